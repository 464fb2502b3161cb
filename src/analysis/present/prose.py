"""The report's sentences that need logic, as Markdown strings.

Only the choice is here (which sentence, which numbers): the words of every sentence live in the
language files (``src/analysis/locales/<lang>.toml``) and come through
:func:`analysis.present.locale.t`; numbers are formatted by the locale layer. Every number a
sentence states is drawn from the results passed in; every text from the data (a topic, an
item id or text, a commit) is escaped for Markdown (:func:`analysis.present.escape.md_text`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..stats import MDE_ALPHA, MDE_POWER, NAN
from .escape import md_text
from .locale import fmt_ci, fmt_num, fmt_p, locale, t
from .names import item_label, topic_label

__all__ = [
    "SMALL_GROUP",
    "apa_paired",
    "headline",
    "flow_text",
    "topics_text",
    "items_text",
    "reliability_text",
    "reaction_text",
    "sensitivity_text",
    "sensitivity_rows",
    "limitations_text",
    "methods_text",
    "provenance_text",
]

#: Below this many paired participants, one phase's sign of a discrimination may be chance.
SMALL_GROUP = 30


def apa_paired(s: Mapping[str, Any], lang: str) -> str:
    """APA line of a paired comparison: ``t(17) = 4.21, p < .001, d_z = 0.99, 95% CI [..]``.

    The statistics are separated by the language's list separator (``;`` in Albanian, where the
    comma is the decimal mark).
    """
    if not math.isfinite(s.get("t_stat", float("nan"))):
        return t("apa_undefined", lang, n=s.get("n_paired", 0))
    sep = locale(lang).list_separator
    return (
        f"t({int(s['t_df'])}) = {fmt_num(s['t_stat'], lang, 2)}{sep}{fmt_p(s['t_p'], lang)}{sep}"
        f"d_z = {fmt_num(s['d_z'], lang, 2)}{sep}{t('ci95', lang)} "
        f"{fmt_ci(s['d_z_ci_low'], s['d_z_ci_high'], lang, 2)}"
    )


def headline(s: Mapping[str, Any], lang: str) -> str:
    """The headline paired result in words, every number from a ``paired_summary`` dict."""
    if s["n_paired"] < 2:
        return t("headline_too_few", lang, n=s["n_paired"])
    direction = "up" if s["diff_mean"] > 0 else "down"
    agree = (s["wilcoxon_p"] < 0.05) == (s["t_p"] < 0.05)
    change = t(
        f"headline_{direction}",
        lang,
        n=s["n_paired"],
        pre=fmt_num(s["pre_mean"], lang, 1),
        post=fmt_num(s["post_mean"], lang, 1),
        diff=fmt_num(abs(s["diff_mean"]), lang, 1),
        ci=fmt_ci(s["diff_ci_low"], s["diff_ci_high"], lang, 1),
        apa=apa_paired(s, lang),
    )
    wilcoxon = t(
        "wilcoxon_agrees" if agree else "wilcoxon_differs",
        lang,
        wilcoxon=fmt_p(s["wilcoxon_p"], lang),
        rb=fmt_num(s["rank_biserial"], lang, 2),
    )
    effects = t(
        "headline_effects",
        lang,
        g_av=fmt_num(s["g_av"], lang, 2),
        hake=fmt_num(s["hake_g"], lang, 2),
        c=fmt_num(s["mean_norm_change"], lang, 2),
        improved=fmt_num(s["pct_improved"], lang, 0),
        unchanged=fmt_num(s["pct_unchanged"], lang, 0),
        declined=fmt_num(s["pct_declined"], lang, 0),
    )
    return f"{change} {wilcoxon} {effects}"


def flow_text(flow: Mapping[str, Any], lang: str) -> str:
    """The participant flow in words."""
    return t("flow_text", lang, **{k: int(v) for k, v in flow.items() if k != "workshop_id"})


def topics_text(topics: pd.DataFrame, lang: str) -> str:
    """One sentence on the topics: how they are tested and which gained most."""
    if topics["diff_mean"].isna().all():
        return t("headline_too_few", lang, n=int(topics["n_paired"].max() or 0))
    best = topics.loc[topics["diff_mean"].idxmax()]
    return t(
        "topics_text",
        lang,
        k=len(topics),
        best=md_text(topic_label(best["topic"], lang)),
        best_diff=fmt_num(best["diff_mean"], lang, 1),
    )


def _negative_phases(row: Any, lang: str) -> str:
    """In which phase(s) an item's discrimination is negative, in words."""
    phases = [
        t(f"col_{phase}", lang).lower()
        for phase in ("pre", "post")
        if getattr(row, f"discrimination_{phase}") < 0
    ]
    return t("both_phases", lang) if len(phases) == 2 else phases[0]


def items_text(items: pd.DataFrame, lang: str) -> str:
    """Items that changed or fell, ceiling items and possible wrong keys, in words."""
    none = t("none", lang)
    fell = items.loc[items["change_pct"] <= -20]
    fell_text = ", ".join(
        f"{md_text(i)} ({fmt_num(a, lang, 0)} → {fmt_num(b, lang, 0)}%)"
        for i, a, b in zip(
            fell["item_id"], fell["pre_pct_correct"], fell["post_pct_correct"], strict=True
        )
    )
    negative = ", ".join(
        f"{md_text(row.item_id)} ({_negative_phases(row, lang)})"
        for row in items.loc[items["negative_discrimination"]].itertuples(index=False)
    )
    n_paired = int(items["n_paired"].max()) if len(items) else 0
    return t(
        "items_text",
        lang,
        n_sig=int((items["mcnemar_p_holm"] < 0.05).sum()),
        k=len(items),
        n=n_paired,
        fell=fell_text or none,
        ceiling=", ".join(map(md_text, items.loc[items["ceiling"], "item_id"])) or none,
        negative=negative or none,
        chance=t("negative_chance", lang) if n_paired < SMALL_GROUP else "",
    )


def reliability_text(summary: Mapping[str, Any], k: int, lang: str) -> str:
    """KR-20 of both phases in words, saying which falls below .70."""
    text = t(
        "reliability_text",
        lang,
        k=k,
        pre=fmt_num(summary["kr20_pre"], lang, 2),
        post=fmt_num(summary["kr20_post"], lang, 2),
    )
    low = [
        f"KR-20 ({t('col_' + phase, lang).lower()})"
        for phase in ("pre", "post")
        if summary[f"kr20_{phase}"] is not None and summary[f"kr20_{phase}"] < 0.70
    ]
    if len(low) == 2:
        text += " " + t("reliability_low_both", lang)
    elif low:
        text += " " + t("reliability_low", lang, phases=low[0])
    return text


def reaction_text(reaction: pd.DataFrame, codebook: pd.DataFrame, lang: str) -> str:
    """The reaction in words: how many answered, which statement found most agreement."""
    if reaction.empty or reaction["n"].max() == 0:
        return t("headline_too_few", lang, n=0)
    best = reaction.loc[reaction["pct_agree"].idxmax()]
    return t(
        "reaction_text",
        lang,
        n=int(reaction["n"].max()),
        best=md_text(item_label(codebook, best["item_id"], lang, width=80)),
        best_pct=fmt_num(best["pct_agree"], lang, 0),
    )


def sensitivity_text(summary: Mapping[str, Any], mde: float, lang: str) -> str:
    """The minimal detectable effect for this n, and how to read the result: by its
    significance and the interval of d_z (not by comparing the observed d_z with the minimal
    detectable one, which is post-hoc power)."""
    p = summary["t_p"]
    verdict = ""
    if p is not None and math.isfinite(p):
        verdict = t(
            "sensitivity_significant" if p < 0.05 else "sensitivity_not_significant",
            lang,
            ci=fmt_ci(summary["d_z_ci_low"], summary["d_z_ci_high"], lang, 2),
            high=fmt_num(summary["d_z_ci_high"], lang, 2),
        )
    n = summary["n_paired"]
    return t("sensitivity_text", lang, n=n, mde=fmt_num(mde, lang, 2), verdict=verdict)


def sensitivity_rows(summary: Mapping[str, Any], mde: float, lang: str) -> list[tuple[str, str]]:
    """The sensitivity analysis as (statistic, value) pairs: n, alpha, power, minimal
    detectable and observed d_z."""
    observed = fmt_num(summary["d_z"], lang, 2)
    if summary["d_z_ci_low"] is not None and pd.notna(summary["d_z_ci_low"]):
        observed += " " + fmt_ci(summary["d_z_ci_low"], summary["d_z_ci_high"], lang, 2)
    rows = [
        ("sens_n", str(int(summary["n_paired"]))),
        ("sens_alpha", fmt_num(MDE_ALPHA, lang, 2)),
        ("sens_power", fmt_num(MDE_POWER, lang, 2)),
        ("sens_mde", fmt_num(mde, lang, 2)),
        ("sens_observed", observed),
    ]
    return [(t(k, lang), v) for k, v in rows]


def _corr_with_pre(paired: pd.DataFrame, column: str) -> float:
    if len(paired) <= 2:
        return NAN
    return float(pd.Series(paired["pre_pct"]).corr(pd.Series(paired[column])))


def limitations_text(
    summary: Mapping[str, Any],
    flow: Mapping[str, Any],
    paired: pd.DataFrame,
    items: pd.DataFrame,
    synthetic: bool,
    lang: str,
) -> str:
    """The design's limitations, with this workshop's numbers (correlations with the pre-score,
    ceiling items, attrition)."""
    received = int(flow["scored_pre"])
    attrition = 100 * (1 - summary["n_paired"] / received) if received else NAN
    text = t(
        "limitations_text",
        lang,
        r_pre_gain=fmt_num(_corr_with_pre(paired, "gain_pct"), lang, 2),
        r_pre_post=fmt_num(_corr_with_pre(paired, "post_pct"), lang, 2),
        n_ceiling=int(items["ceiling"].sum()),
        k=len(items),
        paired=summary["n_paired"],
        received=received,
        attrition=fmt_num(attrition, lang, 0),
    )
    if synthetic:
        text += "\n" + t("limitations_synthetic", lang)
    return text


def methods_text(k: int, lang: str, pooled: bool = False) -> str:
    """Methods with references (and the pooled models, for the pooled report)."""
    body = t("methods_text", lang, k=k)
    if pooled:
        body += "\n\n" + t("methods_pooled_text", lang)
    return body + "\n\n" + t("references", lang)


def provenance_text(manifest: Mapping[str, Any], lang: str) -> str:
    """The provenance sentence: the raw files and the code commit the data was cleaned with."""
    return t("provenance_text", lang, commit=md_text(manifest.get("commit", "unknown")))
