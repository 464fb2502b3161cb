"""The pooled report's sentences and tables: the series of workshops as a whole.

As in :mod:`analysis.present.prose`, only the choice of sentence and numbers is here; the words
are in the language files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..config import POOLED_ID
from ..stats import NAN
from .escape import md_text
from .locale import fmt_ci, fmt_num, fmt_p, t
from .names import workshop_label
from .tables import intervals, numbers, p_values
from .tidy import TERM_KEYS, model_rows, tidy_models, tidy_workshops, with_tidy

__all__ = [
    "workshop_overview",
    "forest_rows",
    "compare_text",
    "interaction_text",
    "models_text",
    "model_display",
    "warnings_text",
    "pooled_limitations",
    "LABEL_WIDTH",
]

#: Longest directorate on the forest plot's axis (the shipped ones have up to 43 characters).
LABEL_WIDTH = 48


def workshop_overview(
    workshops: Sequence[Mapping[str, Any]], registry: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """One row per workshop as shown: n, means, gain with CI, d_z, g_av."""
    full = pd.DataFrame(list(workshops))
    shown = pd.DataFrame(
        {
            t("col_workshop", lang): full["workshop_id"].map(
                lambda w: workshop_label(registry, w, lang)
            ),
            t("col_n", lang): full["n_paired"],
            t("col_pre_mean", lang): numbers(full["pre_mean"], lang, 1),
            t("col_post_mean", lang): numbers(full["post_mean"], lang, 1),
            t("col_gain", lang): numbers(full["diff_mean"], lang, 1),
            t("col_ci", lang): [
                fmt_ci(a, b, lang, 1)
                for a, b in zip(full["diff_ci_low"], full["diff_ci_high"], strict=True)
            ],
            t("col_d_z", lang): numbers(full["d_z"], lang, 2),
            t("col_g_av", lang): numbers(full["g_av"], lang, 2),
        }
    )
    return with_tidy(shown, tidy_workshops(workshops, registry))


def forest_rows(
    workshops: Sequence[Mapping[str, Any]],
    overall: Mapping[str, Any],
    registry: pd.DataFrame,
    lang: str,
) -> pd.DataFrame:
    """Rows of the forest plot: each workshop, then all workshops together (a directorate
    longer than ``LABEL_WIDTH`` characters shortened, so that the axis leaves room for the
    plot)."""
    rows = pd.DataFrame(list(workshops))
    rows = rows.assign(
        workshop_label=rows["workshop_id"].map(
            lambda w: workshop_label(registry, w, lang, width=LABEL_WIDTH)
        )
    )
    keys = ("diff_mean", "diff_ci_low", "diff_ci_high", "g_av", "n_paired")
    pooled = {k: overall[k] for k in keys}
    pooled |= {"workshop_id": POOLED_ID, "workshop_label": t("fig_pooled", lang)}
    return pd.concat([rows, pd.DataFrame([pooled])], ignore_index=True)


def compare_text(lang: str) -> str:
    """What the workshop comparison figure shows, and what it does not."""
    return t("compare_text", lang)


def interaction_text(interaction: Mapping[str, Any], p: float, lang: str) -> str:
    """The phase x workshop test in words: its chi-squared, or why there is none (one workshop,
    or no degree of freedom left for it); never a "chi-squared(0)"."""
    df = interaction.get("df") or 0
    lr = interaction.get("lr", float("nan"))
    if int(interaction.get("n_workshops", 2)) < 2:
        return t("interaction_one_workshop", lang)
    if df < 1 or lr is None or not math.isfinite(lr):
        return t("interaction_no_df", lang)
    return t("interaction_test", lang, df=int(df), lr=fmt_num(lr, lang, 2), p_int=fmt_p(p, lang))


def models_text(
    summary: Mapping[str, Any],
    analysis: Any,
    gee: Mapping[str, Any],
    overall_diff: float,
    lang: str,
) -> str:
    """The pooled models in words: the mixed model, the interaction test, ANCOVA and the GEE."""
    s, lmm = summary, analysis.lmm
    note = t(
        "overall_note",
        lang,
        simple=fmt_num(overall_diff, lang, 1),
        lmm=fmt_num(s["lmm_phase_effect"], lang, 1),
    )
    models = t(
        "lmm_text",
        lang,
        n_obs=lmm.n_obs if lmm else 0,
        n_groups=lmm.n_groups if lmm else 0,
        effect=fmt_num(s["lmm_phase_effect"], lang, 1),
        ci=fmt_ci(s["lmm_phase_ci_low"], s["lmm_phase_ci_high"], lang, 1),
        interaction=interaction_text(analysis.interaction, s["lmm_interaction_p"], lang),
        p_ancova=fmt_p(s["ancova_workshop_p"], lang),
        or_=fmt_num(gee["odds_ratio"], lang, 2),
        or_ci=fmt_ci(gee["or_ci_low"], gee["or_ci_high"], lang, 2),
        p_gee=fmt_p(gee["p"], lang),
    )
    reading = t(
        "models_reading",
        lang,
        n_workshops=len(s.get("workshops", [])),
        p_int=fmt_p(s["lmm_interaction_p"], lang),
        p_ancova=fmt_p(s["ancova_workshop_p"], lang),
    )
    return "\n\n".join([note, models, reading])


def model_display(
    summary: Mapping[str, Any], analysis: Any, gee: Mapping[str, Any], lang: str
) -> pd.DataFrame:
    """The pooled model statistics as a table, as shown: each term's estimate with its CI, and
    its test (χ², F) with the statistic, the df and p in columns of their own."""
    full = model_rows(summary, analysis, gee)
    tests = {"chi2": "χ²", "F": "F", "": "–"}
    labels = tidy_models(full)
    shown = pd.DataFrame(
        {
            t("col_term", lang): [t(TERM_KEYS[k], lang) for k in full["term"]],
            t("col_estimate", lang): numbers(full["estimate"], lang, 2),
            t("col_ci", lang): intervals(full["ci_low"], full["ci_high"], lang, 2),
            t("col_test", lang): full["test"].map(tests),
            t("col_statistic", lang): numbers(full["statistic"], lang, 2),
            t("col_df", lang): [_df(a, b) for a, b in zip(full["df"], full["df_den"], strict=True)],
            t("col_p", lang): p_values(full["p"], lang),
        }
    )
    return with_tidy(shown, labels)


def _df(df: float, df_den: float) -> str:
    """Degrees of freedom as shown: ``3`` or ``3, 53`` (numerator, denominator), ``–`` for none."""
    if pd.isna(df):
        return "–"
    return f"{df:.0f}" if pd.isna(df_den) else f"{df:.0f}, {df_den:.0f}"


def warnings_text(analysis: Any, gee: Mapping[str, Any], lang: str) -> str:
    """The model diagnostics: every warning the fits raised, or that there were none.

    Each warning is shown as code, its text escaped (:func:`analysis.present.escape.md_text`):
    a warning may quote the data."""
    messages = list(dict.fromkeys([*analysis.warnings, *gee.get("warnings", [])]))
    if not messages:
        lmm = analysis.lmm
        diff = lmm.ols_max_diff_se if lmm else float("nan")
        return t("warnings_none", lang, diff=fmt_num(diff, lang, 2))
    return (
        t("warnings_some", lang)
        + "\n\n"
        + "\n".join(f"- <code>{md_text(m)}</code>" for m in messages)
    )


def pooled_limitations(
    workshops: Sequence[Mapping[str, Any]],
    n_paired: int,
    scored_pre: int,
    synthetic: bool,
    lang: str,
) -> str:
    """The limitations of the series as a whole, with its attrition and reliability numbers."""
    kr = [
        float(w[f"kr20_{ph}"])
        for w in workshops
        for ph in ("pre", "post")
        if w[f"kr20_{ph}"] is not None and math.isfinite(w[f"kr20_{ph}"])
    ]
    numbers_text = t(
        "limitations_pooled_numbers",
        lang,
        paired=n_paired,
        scored_pre=scored_pre,
        attrition=fmt_num(100 * (1 - n_paired / scored_pre) if scored_pre else NAN, lang, 0),
        kr_min=fmt_num(min(kr) if kr else NAN, lang, 2),
        kr_max=fmt_num(max(kr) if kr else NAN, lang, 2),
        n_low=sum(k < 0.70 for k in kr),
        n_kr=len(kr),
    )
    text = t("limitations_pooled", lang, n_workshops=len(workshops)) + "\n" + numbers_text
    if synthetic:
        text += "\n" + t("limitations_synthetic", lang)
    return text
