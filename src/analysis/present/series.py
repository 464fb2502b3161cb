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
from .columns import declare
from .escape import md_text
from .locale import fmt_ci, fmt_num, fmt_p, t
from .names import workshop_label
from .tidy import (
    Shown,
    Table,
    shown_gain,
    shown_interval,
    shown_label,
    shown_number,
    shown_p,
)

__all__ = [
    "MODELS",
    "workshop_overview",
    "forest_rows",
    "compare_text",
    "interaction_text",
    "models_text",
    "model_display",
    "warnings_text",
    "pooled_limitations",
]

#: Longest directorate on the forest plot's axis (the shipped ones have up to 43 characters).
_LABEL_WIDTH = 48

#: One row per workshop of the series: n, means, the gain with its CI and t-test, d_z, g_av,
#: KR-20 per test (the numbers of ``summary.json``'s ``workshops``); shown: n, means, gain with
#: CI, d_z, g_av.
_WORKSHOPS = Table(
    columns=(
        "workshop_id",
        declare("label", source="workshop_id", header="col_workshop"),
        "n_pre n_post n pre_mean post_mean estimate ci_low ci_high",
        "test statistic df p d_z d_z_ci_low d_z_ci_high g_av kr20_pre kr20_post",
    ),
    shown=(
        shown_label("workshop_id"),
        *shown_gain(),
        shown_number("g_av", 2),
    ),
)


def workshop_overview(
    workshops: Sequence[Mapping[str, Any]], registry: pd.DataFrame
) -> pd.DataFrame:
    """One row per workshop as shown: n, means, gain with CI, d_z, g_av."""
    rows = pd.DataFrame(list(workshops)).assign(test="t")
    return _WORKSHOPS.display(rows, label=lambda w: workshop_label(registry, w))


def forest_rows(
    workshops: Sequence[Mapping[str, Any]],
    overall: Mapping[str, Any],
    registry: pd.DataFrame,
) -> pd.DataFrame:
    """Rows of the forest plot: each workshop, then all workshops together (a directorate
    longer than ``_LABEL_WIDTH`` characters shortened, so that the axis leaves room for the
    plot)."""
    rows = pd.DataFrame(list(workshops))
    rows = rows.assign(
        workshop_label=rows["workshop_id"].map(
            lambda w: workshop_label(registry, w, width=_LABEL_WIDTH)
        )
    )
    keys = ("diff_mean", "diff_ci_low", "diff_ci_high", "g_av", "n_paired")
    pooled = {k: overall[k] for k in keys}
    pooled |= {"workshop_id": POOLED_ID, "workshop_label": t("fig_pooled")}
    return pd.concat([rows, pd.DataFrame([pooled])], ignore_index=True)


def compare_text() -> str:
    """What the workshop comparison figure shows, and what it does not."""
    return t("compare_text")


def interaction_text(interaction: Mapping[str, Any], p: float) -> str:
    """The phase x workshop test in words: its chi-squared, or why there is none (one workshop,
    or no degree of freedom left for it); never a "chi-squared(0)"."""
    df = interaction.get("df") or 0
    lr = interaction.get("lr", float("nan"))
    if int(interaction.get("n_workshops", 2)) < 2:
        return t("interaction_one_workshop")
    if df < 1 or lr is None or not math.isfinite(lr):
        return t("interaction_no_df")
    return t("interaction_test", df=int(df), lr=fmt_num(lr, 2), p_int=fmt_p(p))


def models_text(
    summary: Mapping[str, Any],
    analysis: Any,
    gee: Mapping[str, Any],
    overall_diff: float,
) -> str:
    """The pooled models in words: the mixed model, the interaction test, ANCOVA and the GEE."""
    s, lmm = summary, analysis.lmm
    note = t(
        "overall_note",
        simple=fmt_num(overall_diff, 1),
        lmm=fmt_num(s["lmm_phase_effect"], 1),
    )
    models = t(
        "lmm_text",
        n_obs=lmm.n_obs if lmm else 0,
        n_groups=lmm.n_groups if lmm else 0,
        effect=fmt_num(s["lmm_phase_effect"], 1),
        ci=fmt_ci(s["lmm_phase_ci_low"], s["lmm_phase_ci_high"], 1),
        interaction=interaction_text(analysis.interaction, s["lmm_interaction_p"]),
        p_ancova=fmt_p(s["ancova_workshop_p"]),
        or_=fmt_num(gee["odds_ratio"], 2),
        or_ci=fmt_ci(gee["or_ci_low"], gee["or_ci_high"], 2),
        p_gee=fmt_p(gee["p"]),
    )
    reading = t(
        "models_reading",
        n_workshops=len(s.get("workshops", [])),
        p_int=fmt_p(s["lmm_interaction_p"]),
        p_ancova=fmt_p(s["ancova_workshop_p"]),
    )
    return "\n\n".join([note, models, reading])


#: The message naming each pooled model term (:func:`_model_rows`).
_TERM_KEYS = {
    "lmm_phase_effect": "term_lmm_phase_effect",
    "lmm_interaction_lr": "term_lmm_interaction_lr",
    "ancova_workshop_F": "term_ancova_workshop_F",
    "gee_odds_ratio": "term_gee_odds_ratio",
}


def _model_rows(summary: Mapping[str, Any], analysis: Any, gee: Mapping[str, Any]) -> pd.DataFrame:
    """The pooled models' terms with estimate, CI, test, statistic, df (numerator and
    denominator) and p: the statistics of the model table (:data:`MODELS`)."""
    s, inter, anc = summary, analysis.interaction, analysis.ancova
    rows = [
        {
            "term": "lmm_phase_effect",
            "estimate": s["lmm_phase_effect"],
            "ci_low": s["lmm_phase_ci_low"],
            "ci_high": s["lmm_phase_ci_high"],
            "test": "",
        },
        {
            "term": "lmm_interaction_lr",
            "test": "chi2",
            "statistic": inter.get("lr"),
            "df": inter.get("df"),
            "p": s["lmm_interaction_p"],
        },
        {
            "term": "ancova_workshop_F",
            "test": "F",
            "statistic": anc.get("F"),
            "df": anc.get("df_num"),
            "df_den": anc.get("df_den"),
            "p": s["ancova_workshop_p"],
        },
        {
            "term": "gee_odds_ratio",
            "estimate": gee["odds_ratio"],
            "ci_low": gee["or_ci_low"],
            "ci_high": gee["or_ci_high"],
            "test": "",
            "p": gee["p"],
        },
    ]
    columns = ["term", "estimate", "ci_low", "ci_high", "test", "statistic", "df", "df_den", "p"]
    return pd.DataFrame(rows, columns=columns)


def _df(df: float, df_den: float) -> str:
    """Degrees of freedom as shown: ``3`` or ``3, 53`` (numerator, denominator), ``–`` for none."""
    if pd.isna(df):
        return "–"
    return f"{df:.0f}" if pd.isna(df_den) else f"{df:.0f}, {df_den:.0f}"


_TESTS = {"chi2": "χ²", "F": "F", "": "–"}

#: The pooled models' terms (:func:`_model_rows`): each term's estimate with its CI (as its
#: label says: points of the gain, or the GEE's odds ratio), its test (χ², F) with the
#: statistic, the df (numerator and denominator) and p.
MODELS = Table(
    columns=(
        "term",
        declare("label", source="term", header="col_term"),
        declare("estimate", source="estimate", header="col_estimate"),
        declare("ci_low", source="ci_low"),
        declare("ci_high", source="ci_high"),
        "test",
        declare("statistic", source="statistic"),
        declare("df", source="df"),
        "df_den",
        declare("p", source="p"),
    ),
    shown=(
        shown_label("term"),
        shown_number("estimate", 2),
        shown_interval("ci_low", "ci_high", 2),
        Shown(lambda f, _: f["test"].map(_TESTS), "test"),
        shown_number("statistic", 2),
        Shown(lambda f, _: [_df(a, b) for a, b in zip(f["df"], f["df_den"], strict=True)], "df"),
        shown_p("p"),
    ),
    labels={"label": lambda term: t(_TERM_KEYS[term])},
)


def model_display(
    summary: Mapping[str, Any], analysis: Any, gee: Mapping[str, Any]
) -> pd.DataFrame:
    """The pooled model statistics as a table, as shown: each term's estimate with its CI, and
    its test (χ², F) with the statistic, the df and p in columns of their own."""
    return MODELS.display(_model_rows(summary, analysis, gee))


def warnings_text(analysis: Any, gee: Mapping[str, Any]) -> str:
    """The model diagnostics: every warning the fits raised, or that there were none.

    Each warning is shown as code, its text escaped (:func:`analysis.present.escape.md_text`):
    a warning may quote the data."""
    messages = list(dict.fromkeys([*analysis.warnings, *gee.get("warnings", [])]))
    if not messages:
        lmm = analysis.lmm
        diff = lmm.ols_max_diff_se if lmm else float("nan")
        return t("warnings_none", diff=fmt_num(diff, 2))
    return t("warnings_some") + "\n\n" + "\n".join(f"- <code>{md_text(m)}</code>" for m in messages)


def pooled_limitations(
    workshops: Sequence[Mapping[str, Any]],
    n_paired: int,
    scored_pre: int,
    synthetic: bool,
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
        paired=n_paired,
        scored_pre=scored_pre,
        attrition=fmt_num(100 * (1 - n_paired / scored_pre) if scored_pre else NAN, 0),
        kr_min=fmt_num(min(kr) if kr else NAN, 2),
        kr_max=fmt_num(max(kr) if kr else NAN, 2),
        n_low=sum(k < 0.70 for k in kr),
        n_kr=len(kr),
    )
    text = t("limitations_pooled", n_workshops=len(workshops)) + "\n" + numbers_text
    if synthetic:
        text += "\n" + t("limitations_synthetic")
    return text
