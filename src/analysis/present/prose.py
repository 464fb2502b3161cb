"""The report's sentences that need logic, as Markdown strings.

Only the choice is here (which sentence, which numbers): the words of every sentence live in the
message catalogs (the English source in :mod:`analysis.present.messages`) and come through
:func:`analysis.present.locale.t` in the current language
(:func:`analysis.present.locale.current`); numbers are formatted by the locale layer. Every
number a sentence states is drawn from the results passed in; every text from the data (a
topic, an item id or text, a commit) is escaped for Markdown
(:func:`analysis.present.escape.md_text`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..stats import MDE_ALPHA, MDE_POWER, NAN, RCI_CRITICAL, READABLE_RELIABILITY, bf_category
from .escape import md_text
from .locale import fmt_ci, fmt_num, fmt_p, locale, localized, t
from .names import item_label, topic_label

__all__ = [
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
    "bf_text",
    "bf_words",
    "reliable_change_pooled_text",
    "bayes_text",
    "reliability_interval_text",
    "distractors_text",
    "reliable_change_text",
    "attrition_text",
    "attrition_limitation",
    "design_box",
    "evidence_references",
]

#: Below this many paired participants, one phase's sign of a discrimination may be chance.
_SMALL_GROUP = 30


def apa_paired(s: Mapping[str, Any]) -> str:
    """APA line of a paired comparison: ``t(17) = 4.21, p < .001, d_z = 0.99, 95% CI [..]``,
    with ``BF₁₀ = 13.6`` after the p-value when ``s`` has a ``bf10``.

    The statistics are separated by the language's list separator (``;`` in Albanian, where the
    comma is the decimal mark).
    """
    if not math.isfinite(s.get("t_stat", float("nan"))):
        return t("apa_undefined", n=s.get("n_paired", 0))
    sep = locale().list_separator
    bf = s.get("bf10")
    bf_part = f"{t('apa_bf', bf=bf_text(bf))}{sep}" if bf is not None else ""
    return (
        f"t({int(s['t_df'])}) = {fmt_num(s['t_stat'], 2)}{sep}{fmt_p(s['t_p'])}{sep}"
        f"{bf_part}d_z = {fmt_num(s['d_z'], 2)}{sep}{t('ci95')} "
        f"{fmt_ci(s['d_z_ci_low'], s['d_z_ci_high'], 2)}"
    )


def headline(s: Mapping[str, Any]) -> str:
    """The headline paired result in words, every number from a ``paired_summary`` dict."""
    if s["n_paired"] < 2:
        return t("headline_too_few", n=s["n_paired"])
    direction = "up" if s["diff_mean"] > 0 else "down"
    agree = (s["wilcoxon_p"] < 0.05) == (s["t_p"] < 0.05)
    change = t(
        f"headline_{direction}",
        n=s["n_paired"],
        pre=fmt_num(s["pre_mean"], 1),
        post=fmt_num(s["post_mean"], 1),
        diff=fmt_num(abs(s["diff_mean"]), 1),
        ci=fmt_ci(s["diff_ci_low"], s["diff_ci_high"], 1),
        apa=apa_paired(s),
    )
    wilcoxon = t(
        "wilcoxon_agrees" if agree else "wilcoxon_differs",
        wilcoxon=fmt_p(s["wilcoxon_p"]),
        rb=fmt_num(s["rank_biserial"], 2),
    )
    effects = t(
        "headline_effects",
        g_av=fmt_num(s["g_av"], 2),
        hake=fmt_num(s["hake_g"], 2),
        c=fmt_num(s["mean_norm_change"], 2),
        improved=fmt_num(s["pct_improved"], 0),
        unchanged=fmt_num(s["pct_unchanged"], 0),
        declined=fmt_num(s["pct_declined"], 0),
    )
    return f"{change} {wilcoxon} {effects}"


def flow_text(flow: Mapping[str, Any]) -> str:
    """The participant flow in words."""
    return t("flow_text", **{k: int(v) for k, v in flow.items() if k != "workshop_id"})


def topics_text(topics: pd.DataFrame) -> str:
    """One sentence on the topics: how they are tested and which gained most."""
    if topics["diff_mean"].isna().all():
        return t("headline_too_few", n=int(topics["n_paired"].max() or 0))
    best = topics.loc[topics["diff_mean"].idxmax()]
    return t(
        "topics_text",
        k=len(topics),
        best=md_text(topic_label(best["topic"])),
        best_diff=fmt_num(best["diff_mean"], 1),
    )


def _negative_phases(row: Any) -> str:
    """In which phase(s) an item's discrimination is negative, in words."""
    phases = [
        t(f"col_{phase}").lower()
        for phase in ("pre", "post")
        if getattr(row, f"discrimination_{phase}") < 0
    ]
    return t("both_phases") if len(phases) == 2 else phases[0]


def items_text(items: pd.DataFrame) -> str:
    """Items that changed or fell, ceiling items and possible wrong keys, in words."""
    none = t("none")
    fell = items.loc[items["change_pct"] <= -20]
    fell_text = ", ".join(
        f"{md_text(i)} ({fmt_num(a, 0)} → {fmt_num(b, 0)}%)"
        for i, a, b in zip(
            fell["item_id"], fell["pre_pct_correct"], fell["post_pct_correct"], strict=True
        )
    )
    negative = ", ".join(
        f"{md_text(row.item_id)} ({_negative_phases(row)})"
        for row in items.loc[items["negative_discrimination"]].itertuples(index=False)
    )
    n_paired = int(items["n_paired"].max()) if len(items) else 0
    return t(
        "items_text",
        n_sig=int((items["mcnemar_p_holm"] < 0.05).sum()),
        k=len(items),
        n=n_paired,
        fell=fell_text or none,
        ceiling=", ".join(map(md_text, items.loc[items["ceiling"], "item_id"])) or none,
        negative=negative or none,
        chance=t("negative_chance") if n_paired < _SMALL_GROUP else "",
    )


def reliability_text(summary: Mapping[str, Any], k: int) -> str:
    """KR-20 of both phases in words, saying which falls below .70."""
    text = t(
        "reliability_text",
        k=k,
        pre=fmt_num(summary["kr20_pre"], 2),
        post=fmt_num(summary["kr20_post"], 2),
    )
    low = [
        f"KR-20 ({t('col_' + phase).lower()})"
        for phase in ("pre", "post")
        if summary[f"kr20_{phase}"] is not None and summary[f"kr20_{phase}"] < 0.70
    ]
    if len(low) == 2:
        text += " " + t("reliability_low_both")
    elif low:
        text += " " + t("reliability_low", phases=low[0])
    return text


def reaction_text(reaction: pd.DataFrame, codebook: pd.DataFrame) -> str:
    """The reaction in words: how many answered, which statement found most agreement."""
    if reaction.empty or reaction["n"].max() == 0:
        return t("headline_too_few", n=0)
    best = reaction.loc[reaction["pct_agree"].idxmax()]
    return t(
        "reaction_text",
        n=int(reaction["n"].max()),
        best=md_text(item_label(codebook, best["item_id"], width=80)),
        best_pct=fmt_num(best["pct_agree"], 0),
    )


def sensitivity_text(summary: Mapping[str, Any], mde: float) -> str:
    """The minimal detectable effect for this n, and how to read the result: by its
    significance and the interval of d_z (not by comparing the observed d_z with the minimal
    detectable one, which is post-hoc power)."""
    p = summary["t_p"]
    verdict = ""
    if p is not None and math.isfinite(p):
        verdict = t(
            "sensitivity_significant" if p < 0.05 else "sensitivity_not_significant",
            ci=fmt_ci(summary["d_z_ci_low"], summary["d_z_ci_high"], 2),
            high=fmt_num(summary["d_z_ci_high"], 2),
        )
    n = summary["n_paired"]
    return t("sensitivity_text", n=n, mde=fmt_num(mde, 2), verdict=verdict)


def sensitivity_rows(summary: Mapping[str, Any], mde: float) -> list[tuple[str, str]]:
    """The sensitivity analysis as (statistic, value) pairs: n, alpha, power, minimal
    detectable and observed d_z."""
    observed = fmt_num(summary["d_z"], 2)
    if summary["d_z_ci_low"] is not None and pd.notna(summary["d_z_ci_low"]):
        observed += " " + fmt_ci(summary["d_z_ci_low"], summary["d_z_ci_high"], 2)
    rows = [
        ("sens_n", str(int(summary["n_paired"]))),
        ("sens_alpha", fmt_num(MDE_ALPHA, 2)),
        ("sens_power", fmt_num(MDE_POWER, 2)),
        ("sens_mde", fmt_num(mde, 2)),
        ("sens_observed", observed),
    ]
    return [(t(k), v) for k, v in rows]


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
) -> str:
    """The design's limitations, with this workshop's numbers (correlations with the pre-score,
    ceiling items, attrition)."""
    received = int(flow["scored_pre"])
    attrition = 100 * (1 - summary["n_paired"] / received) if received else NAN
    text = t(
        "limitations_text",
        r_pre_gain=fmt_num(_corr_with_pre(paired, "gain_pct"), 2),
        r_pre_post=fmt_num(_corr_with_pre(paired, "post_pct"), 2),
        n_ceiling=int(items["ceiling"].sum()),
        k=len(items),
        paired=summary["n_paired"],
        received=received,
        attrition=fmt_num(attrition, 0),
    )
    if synthetic:
        text += "\n" + t("limitations_synthetic")
    return text


def methods_text(k: int, pooled: bool = False) -> str:
    """Methods with references (and the pooled models, for the pooled report)."""
    body = t("methods_text", k=k)
    if pooled:
        body += "\n\n" + t("methods_pooled_text")
    return body + "\n\n" + t("references")


def provenance_text(manifest: Mapping[str, Any]) -> str:
    """The provenance sentence: the raw files and the code commit the data was cleaned with."""
    return t("provenance_text", commit=md_text(manifest.get("commit", "unknown")))


# issue 16: deeper evidence


def bf_text(bf10: float | None) -> str:
    """A Bayes factor as shown: two decimals below 10, one below 1000, then ``1.2 × 10⁴``.

    >>> bf_text(13.637), bf_text(0.3112), bf_text(math.inf)
    ('13.6', '0.31', '> 10³⁰⁸')
    >>> from analysis.present.locale import language
    >>> with language("sq"):
    ...     bf_text(12233.6)
    '1,2 × 10⁴'

    """
    if bf10 is not None and bf10 == math.inf:
        return "> 10³⁰⁸"
    if bf10 is None or not math.isfinite(bf10):
        return "–"
    if bf10 < 1000:
        return fmt_num(bf10, 2 if bf10 < 10 else 1)
    exponent = math.floor(math.log10(bf10))
    mantissa = bf10 / 10**exponent
    if round(mantissa, 1) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    superscript = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{fmt_num(mantissa, 1)} × 10{superscript}"


def bf_words(bf10: float | None) -> str:
    """The evidence category of a BF10 in words (Lee & Wagenmakers 2013, ``stats.bf_category``)."""
    words = {
        "extreme_h1": lambda: t("bf_extreme_h1"),
        "very_strong_h1": lambda: t("bf_very_strong_h1"),
        "strong_h1": lambda: t("bf_strong_h1"),
        "moderate_h1": lambda: t("bf_moderate_h1"),
        "anecdotal_h1": lambda: t("bf_anecdotal_h1"),
        "anecdotal_h0": lambda: t("bf_anecdotal_h0"),
        "moderate_h0": lambda: t("bf_moderate_h0"),
        "strong_h0": lambda: t("bf_strong_h0"),
        "very_strong_h0": lambda: t("bf_very_strong_h0"),
        "extreme_h0": lambda: t("bf_extreme_h0"),
    }
    value = NAN if bf10 is None else float(bf10)
    return words.get(bf_category(value), lambda: t("bf_undefined"))()


def bayes_text(summary: Mapping[str, Any]) -> str:
    """The Bayes factor of the paired t-test with its category in words."""
    bf = summary.get("bf10")
    return t("bayes_text", bf=bf_text(bf), category=bf_words(bf))


def reliability_interval_text(rel: pd.DataFrame) -> str:
    """KR-20 of both phases with the Feldt intervals and the pre-test's SEM, and whether the
    test is reliable enough to read item and topic results, judged from the lower bounds
    (``stats.READABLE_RELIABILITY``)."""
    r = rel.set_index("phase")
    low = [
        phase
        for phase in ("pre", "post")
        if not (
            math.isfinite(r.loc[phase, "ci_low"]) and r.loc[phase, "ci_low"] >= READABLE_RELIABILITY
        )
    ]
    if not low:
        verdict = t("reliability_enough")
    else:
        phases = {
            "pre": t("reliability_phase_pre"),
            "post": t("reliability_phase_post"),
        }
        which = t("reliability_phase_both") if len(low) == 2 else phases[low[0]]
        verdict = t("reliability_not_enough", phases=which)
    sem = r.loc["pre", "sem"]
    return t(
        "reliability_ci_text",
        pre=fmt_num(r.loc["pre", "kr20"], 2),
        ci_pre=fmt_ci(r.loc["pre", "ci_low"], r.loc["pre", "ci_high"], 2),
        n_pre=int(r.loc["pre", "n"]),
        post=fmt_num(r.loc["post", "kr20"], 2),
        ci_post=fmt_ci(r.loc["post", "ci_low"], r.loc["post", "ci_high"], 2),
        n_post=int(r.loc["post", "n"]),
        sem=fmt_num(sem, 1),
        sem2=fmt_num(RCI_CRITICAL * sem if math.isfinite(sem) else NAN, 1),
        verdict=verdict,
    )


def _option_text(codebook: pd.DataFrame, item_id: str, letter: str) -> str:
    """The text of option ``letter`` of an item in the report's language (escaped)."""
    row = codebook.loc[codebook["item_id"] == item_id].iloc[0].to_dict()
    options = localized(row, "options").split("|")
    i = "ABCD".find(letter)
    text = options[i].strip() if 0 <= i < len(options) else letter
    return md_text(text if len(text) <= 80 else text[:79].rstrip() + "…")


def distractors_text(shifts: pd.DataFrame, codebook: pd.DataFrame, top: int = 5) -> str:
    """Which wrong options more participants chose after the workshop (the ``top`` largest
    increases, named in words with their counts) and which of them are significant (Holm)."""

    def named(rows: pd.DataFrame) -> str:
        return "; ".join(
            t(
                "distractor_option",
                item=md_text(r.item_id),
                letter=r.choice,
                text=_option_text(codebook, r.item_id, r.choice),
                pre=int(r.n_pre),
                post=int(r.n_post),
            )
            for r in rows.itertuples(index=False)
        )

    up = shifts.loc[shifts["increased"]]
    up = up.assign(_net=up["n_joined"] - up["n_left"]).sort_values(
        ["_net", "mcnemar_p"], ascending=[False, True], kind="stable"
    )
    n = int(shifts["n_linked"].max()) if len(shifts) else 0
    text = t("distractors_text", n=n, increased=named(up.head(top)) or t("none"))
    m = int(shifts["mcnemar_p"].notna().sum())
    flagged = shifts.loc[shifts["flagged"]]
    if len(flagged):
        return text + " " + t("distractors_flagged", m=m, flagged=named(flagged))
    return text + " " + t("distractors_none_flagged", m=m)


def reliable_change_text(rci: Mapping[str, Any], rel: pd.DataFrame) -> str:
    """The Jacobson-Truax counts in words (``stats.reliable_change``), with the threshold."""
    if not math.isfinite(rci["threshold"]) or not math.isfinite(rci["improved"]):
        return t("rci_undefined")
    pre = rel.set_index("phase").loc["pre"]
    return t(
        "rci_text",
        kr20=fmt_num(pre["kr20"], 2),
        sd=fmt_num(pre["sd"], 1),
        threshold=fmt_num(rci["threshold"], 1),
        n=int(rci["n"]),
        improved=int(rci["improved"]),
        unchanged=int(rci["unchanged"]),
        declined=int(rci["declined"]),
    )


def attrition_text(att: Mapping[str, Any]) -> str:
    """Who was lost, and the gain three ways (complete case, imputed, no-change bound); the
    pre-test scores of those lost only when both groups are at least ``stats.MIN_GROUP``."""
    c, mi, bound, cc = att["comparison"], att["mi"], att["bound"], att["complete_case"]
    if c["n_dropouts"] == 0:
        return t("attrition_none")
    if c["suppressed"]:
        comparison = t("attrition_compare_small")
    else:
        comparison = t(
            "attrition_compare",
            dropout_mean=fmt_num(c["mean_dropouts"], 1),
            completer_mean=fmt_num(c["mean_completers"], 1),
            diff=fmt_num(c["diff"], 1),
            ci=fmt_ci(c["ci_low"], c["ci_high"], 1),
        )
    return t(
        "attrition_text",
        dropouts=int(c["n_dropouts"]),
        n_pre=int(c["n_completers"] + c["n_dropouts"]),
        comparison=comparison,
        paired=int(cc["n"]),
        cc=fmt_num(cc["estimate"], 1),
        cc_ci=fmt_ci(cc["ci_low"], cc["ci_high"], 1),
        m=int(mi["m"]),
        mi=fmt_num(mi["estimate"], 1),
        mi_ci=fmt_ci(mi["ci_low"], mi["ci_high"], 1),
        bound=fmt_num(bound["estimate"], 1),
        bound_ci=fmt_ci(bound["ci_low"], bound["ci_high"], 1),
    )


def attrition_limitation(att: Mapping[str, Any]) -> str:
    """The limitations' bullet on attrition with the imputed gain and the no-change bound
    (empty when no pre-test lacks its post-test)."""
    mi, bound, cc = att["mi"], att["bound"], att["complete_case"]
    if att["comparison"]["n_dropouts"] == 0:
        return ""
    robust = math.isfinite(bound["ci_low"]) and bound["ci_low"] > 0
    return t(
        "limitations_attrition",
        mi=fmt_num(mi["estimate"], 1),
        mi_ci=fmt_ci(mi["ci_low"], mi["ci_high"], 1),
        cc=fmt_num(cc["estimate"], 1),
        bound=fmt_num(bound["estimate"], 1),
        bound_ci=fmt_ci(bound["ci_low"], bound["ci_high"], 1),
        verdict=t("attrition_robust") if robust else t("attrition_fragile"),
    )


def design_box(
    summary: Mapping[str, Any],
    rel: pd.DataFrame,
    att: Mapping[str, Any],
    paired: pd.DataFrame,
    k: int,
) -> str:
    """ "What this design can claim": a Markdown block filled from the run, after the items of
    the TREND statement for non-randomized evaluations (Des Jarlais et al. 2004): design,
    allocation and blinding, participants and attrition, the measure's reliability with its
    interval, the threats with this run's numbers, the claim, and the stronger next round.

    ``summary`` needs ``n_paired``, ``diff_mean``, ``diff_ci_low/high``, ``bf10`` and
    ``rci_improved``; ``rel`` is ``stats.reliability_by_phase``; ``att``
    ``stats.attrition_analysis``."""
    r = rel.set_index("phase")
    c, mi, bound, cc = att["comparison"], att["mi"], att["bound"], att["complete_case"]
    n_pre = int(c["n_completers"] + c["n_dropouts"])
    improved = summary.get("rci_improved", NAN)
    return t(
        "design_box",
        n_pre=n_pre,
        n_post=int(r.loc["post", "n"]),
        paired=int(summary["n_paired"]),
        attrition=fmt_num(100 * c["n_dropouts"] / n_pre if n_pre else NAN, 0),
        k=k,
        kr20_pre=fmt_num(r.loc["pre", "kr20"], 2),
        kr20_ci=fmt_ci(r.loc["pre", "ci_low"], r.loc["pre", "ci_high"], 2),
        kr20_post=fmt_num(r.loc["post", "kr20"], 2),
        sem=fmt_num(r.loc["pre", "sem"], 1),
        r_pre_gain=fmt_num(_corr_with_pre(paired, "gain_pct"), 2),
        dropouts=int(c["n_dropouts"]),
        cc=fmt_num(cc["estimate"], 1),
        mi=fmt_num(mi["estimate"], 1),
        bound=fmt_num(bound["estimate"], 1),
        gain=fmt_num(summary["diff_mean"], 1),
        gain_ci=fmt_ci(summary["diff_ci_low"], summary["diff_ci_high"], 1),
        bf_words=f"{t('apa_bf', bf=bf_text(summary.get('bf10')))}, "
        + bf_words(summary.get("bf10")),
        improved="–" if not math.isfinite(improved) else int(improved),
    )


def evidence_references() -> str:
    """The references of the deeper-evidence sections."""
    return t("references_evidence")


def reliable_change_pooled_text(summary: Mapping[str, Any]) -> str:
    """The pooled Jacobson-Truax counts in words (each officer against their own workshop's
    pre-test; the sums of ``pooled/summary.json``)."""
    if not math.isfinite(summary["rci_improved"]):
        return t("rci_undefined")
    return t(
        "rci_pooled_text",
        n=int(summary["n_paired"]),
        improved=int(summary["rci_improved"]),
        unchanged=int(summary["rci_unchanged"]),
        declined=int(summary["rci_declined"]),
    )
