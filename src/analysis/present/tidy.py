"""Tables for reuse: the statistics frames as tidy tables, the same in every language.

Each ``tidy_*`` function takes the statistics table (or results dict) that a ``*_display``
function of :mod:`analysis.present.tables`, :mod:`analysis.present.series` or
:mod:`analysis.present.versions` shows, and returns
the table written to ``tables/<name>.csv`` and ``tables.xlsx`` (beside): one row per unit (a
topic, an item, a subgroup, a workshop, a model term), snake_case column names, numbers as
numbers at full precision, identifiers as the data has them, and every text a reader needs in
one column per language of :data:`analysis.config.LANGS` (``label_en``, ``label_sq``, ...), so
that the file is the same, byte for byte, whatever the report's language. Suppressed subgroup
cells (fewer than 5 people, or a group that could be worked out from others) stay empty, with
the flag ``suppressed`` and its reason.

:func:`dictionary` names every column of every table, its unit and what it holds.
:func:`with_tidy` attaches a tidy table to the display frame (``frame.attrs["tidy"]``), so that
:meth:`analysis.present.display.Report.table` saves the tidy table of what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..config import LANGS
from ..stats import HIDDEN
from ..stats.disclosure import SUPPRESSED
from .locale import language_label, t
from .names import group_label, item_labeller, topic_label, variable_label, workshop_label

__all__ = [
    "TIDY",
    "TERM_KEYS",
    "with_tidy",
    "tidy_of",
    "tidy_flow",
    "tidy_topics",
    "tidy_topic_tests",
    "tidy_items",
    "tidy_reaction",
    "tidy_subgroups",
    "tidy_sensitivity",
    "tidy_workshops",
    "model_rows",
    "tidy_models",
    "share_cells",
    "tidy_options",
    "tidy_migration",
    "tidy_reliability",
    "tidy_reliable_change",
    "tidy_reliable_change_by_workshop",
    "tidy_attrition",
    "tidy_item_languages",
    "dictionary",
]

#: The message naming each pooled model term (:func:`model_rows`).
TERM_KEYS = {
    "lmm_phase_effect": "term_lmm_phase_effect",
    "lmm_interaction_lr": "term_lmm_interaction_lr",
    "ancova_workshop_F": "term_ancova_workshop_F",
    "gee_odds_ratio": "term_gee_odds_ratio",
}

#: The key of a display frame's ``attrs`` that holds its tidy table.
TIDY = "tidy"

_NAN = float("nan")


def with_tidy(shown: pd.DataFrame, tidy: pd.DataFrame) -> pd.DataFrame:
    """``shown`` carrying ``tidy`` as the table to save for it (in ``shown.attrs``)."""
    shown.attrs[TIDY] = tidy
    return shown


def tidy_of(shown: pd.DataFrame) -> pd.DataFrame | None:
    """The tidy table a display frame carries (:func:`with_tidy`), or None."""
    tidy = shown.attrs.get(TIDY)
    return tidy if isinstance(tidy, pd.DataFrame) else None


def _labels(values: pd.Series, name: str, label: Callable[[Any, str], str]) -> dict[str, list]:
    """One column ``<name>_<lang>`` per report language."""
    return {f"{name}_{lang}": [label(v, lang) for v in values] for lang in LANGS}


def _int(series: pd.Series) -> pd.Series:
    return pd.Series(series, dtype="Int64").reset_index(drop=True)


def _float(series: Any) -> pd.Series:
    return pd.Series(pd.to_numeric(pd.Series(series), errors="coerce"), dtype="float64")


def tidy_flow(flow: Mapping[str, Any]) -> pd.DataFrame:
    """The participant flow: one row per stage, questionnaires (people for ``paired``) per test."""
    stages = {
        "received": "stage_received",
        "duplicates": "stage_duplicates",
        "excluded": "stage_excluded",
        "scored": "stage_scored",
        "unmatched": "stage_unmatched",
        "paired": "stage_paired",
        "fuzzy_links": "stage_fuzzy",
    }
    pre = [flow[f"{s}_pre"] if f"{s}_pre" in flow else flow[s] for s in stages]
    post = [flow[f"{s}_post"] if f"{s}_post" in flow else flow[s] for s in stages]
    return pd.DataFrame(
        {
            "stage": list(stages),
            **_labels(pd.Series(list(stages.values())), "label", t),
            "pre": _int(pd.Series(pre)),
            "post": _int(pd.Series(post)),
        }
    )


def tidy_topics(topics: pd.DataFrame) -> pd.DataFrame:
    """The topic table: n, means and SDs per test, the mean gain with its 95% CI, d_z, Holm p."""
    return pd.DataFrame(
        {
            "topic": topics["topic"].astype(str).tolist(),
            **_labels(topics["topic"], "label", topic_label),
            "n_items": _int(topics["n_items"]),
            "n": _int(topics["n_paired"]),
            "pre_mean": _float(topics["pre_mean"]).tolist(),
            "pre_sd": _float(topics["pre_sd"]).tolist(),
            "post_mean": _float(topics["post_mean"]).tolist(),
            "post_sd": _float(topics["post_sd"]).tolist(),
            "estimate": _float(topics["diff_mean"]).tolist(),
            "sd": _float(topics["diff_sd"]).tolist(),
            "ci_low": _float(topics["diff_ci_low"]).tolist(),
            "ci_high": _float(topics["diff_ci_high"]).tolist(),
            "d_z": _float(topics["d_z"]).tolist(),
            "p_holm": _float(topics["t_p_holm"]).tolist(),
        }
    )


def tidy_topic_tests(topics: pd.DataFrame) -> pd.DataFrame:
    """Every paired statistic per topic: the t-test (statistic, df, p, Holm p), Wilcoxon,
    rank-biserial r, d_z with its CI, g_av, Hake's g, normalized change, shares."""
    return pd.DataFrame(
        {
            "topic": topics["topic"].astype(str).tolist(),
            **_labels(topics["topic"], "label", topic_label),
            "n": _int(topics["n_paired"]),
            "test": ["t"] * len(topics),
            "statistic": _float(topics["t_stat"]).tolist(),
            "df": _float(topics["t_df"]).tolist(),
            "p": _float(topics["t_p"]).tolist(),
            "p_holm": _float(topics["t_p_holm"]).tolist(),
            "wilcoxon_p": _float(topics["wilcoxon_p"]).tolist(),
            "wilcoxon_p_holm": _float(topics["wilcoxon_p_holm"]).tolist(),
            "rank_biserial": _float(topics["rank_biserial"]).tolist(),
            "d_z": _float(topics["d_z"]).tolist(),
            "d_z_ci_low": _float(topics["d_z_ci_low"]).tolist(),
            "d_z_ci_high": _float(topics["d_z_ci_high"]).tolist(),
            "g_av": _float(topics["g_av"]).tolist(),
            "hake_g": _float(topics["hake_g"]).tolist(),
            "mean_norm_change": _float(topics["mean_norm_change"]).tolist(),
            "pct_improved": _float(topics["pct_improved"]).tolist(),
            "pct_unchanged": _float(topics["pct_unchanged"]).tolist(),
            "pct_declined": _float(topics["pct_declined"]).tolist(),
        }
    )


def tidy_items(items: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The item table: percent correct per test, gained / lost, exact McNemar p (and Holm),
    difficulty and discrimination per test, the flags."""
    return pd.DataFrame(
        {
            "item_id": items["item_id"].astype(str).tolist(),
            "topic": items["topic"].astype(str).tolist(),
            **_item_labels(items["item_id"], codebook),
            "n": _int(items["n_paired"]),
            "pre_pct_correct": _float(items["pre_pct_correct"]).tolist(),
            "post_pct_correct": _float(items["post_pct_correct"]).tolist(),
            "change_pct": _float(items["change_pct"]).tolist(),
            "n_gained": _int(items["n_gained"]),
            "n_lost": _int(items["n_lost"]),
            "p": _float(items["mcnemar_p"]).tolist(),
            "p_holm": _float(items["mcnemar_p_holm"]).tolist(),
            "difficulty_pre": _float(items["difficulty_pre"]).tolist(),
            "difficulty_post": _float(items["difficulty_post"]).tolist(),
            "discrimination_pre": _float(items["discrimination_pre"]).tolist(),
            "discrimination_post": _float(items["discrimination_post"]).tolist(),
            "ceiling": items["ceiling"].astype(bool).tolist(),
            "negative_discrimination": items["negative_discrimination"].astype(bool).tolist(),
        }
    )


def tidy_reaction(reaction: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The reaction items: n, missing, the count and share of each answer 1-5, agreeing, median."""
    columns = [c for v in range(1, 6) for c in (f"n_{v}", f"pct_{v}")]
    return pd.DataFrame(
        {
            "item_id": reaction["item_id"].astype(str).tolist(),
            **_item_labels(reaction["item_id"], codebook),
            "n": _int(reaction["n"]),
            "n_missing": _int(reaction["n_missing"]),
            **{
                c: (_int(reaction[c]) if c.startswith("n_") else _float(reaction[c]).tolist())
                for c in sorted(columns, key=lambda c: (c[0] == "p", c))
            },
            "pct_agree": _float(reaction["pct_agree"]).tolist(),
            "median": _float(reaction["median"]).tolist(),
        }
    )


def _suppression(n: Any) -> str:
    if n == SUPPRESSED:
        return "under_5"
    if n == HIDDEN:
        return "complementary"
    return ""


def tidy_subgroups(subgroups: pd.DataFrame) -> pd.DataFrame:
    """The subgroups: n and the mean gain with its 95% CI, empty where suppressed (``suppressed``
    true, ``suppression`` ``under_5`` for a group under 5 people, ``complementary`` for one that
    could be worked out from the others)."""
    hidden = subgroups["suppressed"].astype(bool)
    n = [None if s else int(v) for v, s in zip(subgroups["n"], hidden, strict=True)]

    def stat(column: str) -> list[float]:
        values = _float(subgroups[column]).tolist()
        return [_NAN if s else v for v, s in zip(values, hidden, strict=True)]

    return pd.DataFrame(
        {
            "variable": subgroups["variable"].astype(str).tolist(),
            "group": subgroups["group"].astype(str).tolist(),
            **_labels(subgroups["variable"], "variable_label", variable_label),
            **_labels(subgroups["group"], "group_label", group_label),
            "n": pd.Series(n, dtype="Int64"),
            "suppressed": hidden.tolist(),
            "suppression": [_suppression(v) for v in subgroups["n"]],
            "estimate": stat("mean_gain"),
            "sd": stat("sd_gain"),
            "ci_low": stat("ci_low"),
            "ci_high": stat("ci_high"),
        }
    )


def tidy_sensitivity(
    summary: Mapping[str, Any], mde: float, alpha: float, power: float
) -> pd.DataFrame:
    """The sensitivity analysis as one row: n, alpha, power, minimal detectable and observed d_z."""
    return pd.DataFrame(
        {
            "workshop_id": [str(summary.get("workshop_id", ""))],
            "n": pd.Series([int(summary["n_paired"])], dtype="Int64"),
            "alpha": [float(alpha)],
            "power": [float(power)],
            "mde_d_z": [float(mde)],
            "d_z": _float([summary["d_z"]]).tolist(),
            "d_z_ci_low": _float([summary["d_z_ci_low"]]).tolist(),
            "d_z_ci_high": _float([summary["d_z_ci_high"]]).tolist(),
        }
    )


def tidy_workshops(workshops: Sequence[Mapping[str, Any]], registry: pd.DataFrame) -> pd.DataFrame:
    """One row per workshop of the series: n, means, the gain with its CI and t-test, d_z, g_av,
    KR-20 per test (the numbers of ``summary.json``'s ``workshops``)."""
    full = pd.DataFrame(list(workshops))
    ids = full["workshop_id"].astype(str)
    return pd.DataFrame(
        {
            "workshop_id": ids.tolist(),
            **_labels(ids, "label", lambda w, lang: workshop_label(registry, w, lang)),
            "n_pre": _int(full["n_pre"]),
            "n_post": _int(full["n_post"]),
            "n": _int(full["n_paired"]),
            "pre_mean": _float(full["pre_mean"]).tolist(),
            "post_mean": _float(full["post_mean"]).tolist(),
            "estimate": _float(full["diff_mean"]).tolist(),
            "ci_low": _float(full["diff_ci_low"]).tolist(),
            "ci_high": _float(full["diff_ci_high"]).tolist(),
            "test": ["t"] * len(full),
            "statistic": _float(full["t_stat"]).tolist(),
            "df": _float(full["t_df"]).tolist(),
            "p": _float(full["t_p"]).tolist(),
            "d_z": _float(full["d_z"]).tolist(),
            "d_z_ci_low": _float(full["d_z_ci_low"]).tolist(),
            "d_z_ci_high": _float(full["d_z_ci_high"]).tolist(),
            "g_av": _float(full["g_av"]).tolist(),
            "kr20_pre": _float(full["kr20_pre"]).tolist(),
            "kr20_post": _float(full["kr20_post"]).tolist(),
        }
    )


def model_rows(summary: Mapping[str, Any], analysis: Any, gee: Mapping[str, Any]) -> pd.DataFrame:
    """The pooled models' terms with estimate, CI, test, statistic, df (numerator and
    denominator) and p: the frame both the shown and the tidy model table are made from."""
    s, inter, anc = summary, analysis.interaction, analysis.ancova
    rows = [
        (
            "lmm_phase_effect",
            s["lmm_phase_effect"],
            s["lmm_phase_ci_low"],
            s["lmm_phase_ci_high"],
            "",
            _NAN,
            _NAN,
            _NAN,
            _NAN,
        ),
        (
            "lmm_interaction_lr",
            _NAN,
            _NAN,
            _NAN,
            "chi2",
            inter.get("lr"),
            inter.get("df"),
            _NAN,
            s["lmm_interaction_p"],
        ),
        (
            "ancova_workshop_F",
            _NAN,
            _NAN,
            _NAN,
            "F",
            anc.get("F"),
            anc.get("df_num"),
            anc.get("df_den"),
            s["ancova_workshop_p"],
        ),
        (
            "gee_odds_ratio",
            gee["odds_ratio"],
            gee["or_ci_low"],
            gee["or_ci_high"],
            "",
            _NAN,
            _NAN,
            _NAN,
            gee["p"],
        ),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["term", "estimate", "ci_low", "ci_high", "test", "statistic", "df", "df_den", "p"],
    )
    for column in ("estimate", "ci_low", "ci_high", "statistic", "df", "df_den", "p"):
        frame[column] = _float(frame[column])
    return frame


def tidy_models(rows: pd.DataFrame) -> pd.DataFrame:
    """The pooled models' terms (:func:`model_rows`) with their labels per language."""
    out = rows.copy()
    for lang in reversed(LANGS):
        out.insert(1, f"label_{lang}", [t(TERM_KEYS[k], lang) for k in rows["term"]])
    return out


def _item_labels(ids: pd.Series, codebook: pd.DataFrame) -> dict[str, list]:
    label = item_labeller(codebook)
    return _labels(ids, "label", lambda i, lang: label(i, lang, 10_000))


def share_cells(shares: pd.DataFrame) -> dict[tuple, dict[str, Any]]:
    """The rows of ``stats.option_shares`` by ``(item_id, choice, phase)``, for look-ups cell by
    cell (a dict, not a frame's index: a table's cells are read many times)."""
    keys = zip(shares["item_id"], shares["choice"], shares["phase"], strict=True)
    return dict(zip(keys, shares.to_dict("records"), strict=True))


def tidy_options(
    shares: pd.DataFrame, codebook: pd.DataFrame, among: str = "linked"
) -> pd.DataFrame:
    """The options chosen (``stats.option_shares``): one row per item and choice (``A``-``D``,
    ``blank``, ``invalid``), whether it is the key, and the count and share choosing it in each
    test, among the linked participants (``among="linked"``) or all scored questionnaires
    (``"all"``)."""
    if among not in ("linked", "all"):
        raise ValueError(f"among must be 'linked' or 'all', not {among!r}")
    by = share_cells(shares)
    pairs = list(dict.fromkeys(zip(shares["item_id"], shares["choice"], strict=True)))
    ids = pd.Series([i for i, _ in pairs], dtype=object)

    def cell(column: str, phase: str) -> list:
        return [by[(i, c, phase)][column] for i, c in pairs]

    return pd.DataFrame(
        {
            "item_id": ids.astype(str).tolist(),
            **_item_labels(ids, codebook),
            "choice": [str(c) for _, c in pairs],
            "is_key": [bool(v) for v in cell("is_key", "pre")],
            "n_chose_pre": _int(pd.Series(cell(f"n_{among}", "pre"))),
            "pct_chose_pre": _float(cell(f"pct_{among}", "pre")).tolist(),
            "n_chose_post": _int(pd.Series(cell(f"n_{among}", "post"))),
            "pct_chose_post": _float(cell(f"pct_{among}", "post")).tolist(),
        }
    )


def tidy_migration(migration: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """How the linked participants' answers moved (``stats.answer_migration``): one row per item,
    the linked participants and how many stayed right, learned, forgot, moved between wrong
    options or stayed on the same wrong one."""
    moves = ("n_stayed_correct", "n_learned", "n_forgot", "n_wrong_moved", "n_wrong_same")
    return pd.DataFrame(
        {
            "item_id": migration["item_id"].astype(str).tolist(),
            **_item_labels(migration["item_id"], codebook),
            "n": _int(migration["n_linked"]),
            **{m: _int(migration[m]) for m in moves},
        }
    )


_PHASE_LABEL = {"pre": "col_pre", "post": "col_post"}


def tidy_reliability(rel: pd.DataFrame) -> pd.DataFrame:
    """KR-20 per test (``stats.reliability_by_phase``): one row per test, the scored
    questionnaires, the items, KR-20 with its Feldt 95% CI, the SD of the score and the SEM."""
    return pd.DataFrame(
        {
            "phase": rel["phase"].astype(str).tolist(),
            **_labels(rel["phase"], "label", lambda ph, lang: t(_PHASE_LABEL[ph], lang)),
            "n_scored": _int(rel["n"]),
            "k": _int(rel["k"]),
            "kr20": _float(rel["kr20"]).tolist(),
            "kr20_ci_low": _float(rel["ci_low"]).tolist(),
            "kr20_ci_high": _float(rel["ci_high"]).tolist(),
            "sd_score": _float(rel["sd"]).tolist(),
            "sem": _float(rel["sem"]).tolist(),
        }
    )


_RCI = {"improved": "rci_improved", "unchanged": "rci_unchanged", "declined": "rci_declined"}


def tidy_reliable_change(rci: Mapping[str, Any]) -> pd.DataFrame:
    """The Jacobson-Truax categories of one workshop (``stats.reliable_change``): one row per
    category, the linked participants in it and their share."""
    return pd.DataFrame(
        {
            "category": list(_RCI),
            **_labels(pd.Series(list(_RCI.values())), "label", t),
            "n_category": _int(_float([rci[c] for c in _RCI])),
            "pct_category": _float([rci[f"pct_{c}"] for c in _RCI]).tolist(),
        }
    )


def tidy_reliable_change_by_workshop(
    workshops: Sequence[Mapping[str, Any]], registry: pd.DataFrame
) -> pd.DataFrame:
    """The Jacobson-Truax counts of each workshop of the series (its ``rci_*`` summary keys): one
    row per workshop."""
    full = pd.DataFrame(list(workshops))
    ids = full["workshop_id"].astype(str)
    return pd.DataFrame(
        {
            "workshop_id": ids.tolist(),
            **_labels(ids, "label", lambda w, lang: workshop_label(registry, w, lang)),
            "n": _int(full["n_paired"]),
            **{key: _int(_float(full[key])) for key in _RCI.values()},
        }
    )


def tidy_attrition(att: Mapping[str, Any]) -> pd.DataFrame:
    """What attrition could hide (``stats.attrition_analysis``): one row per analysis of the gain
    (complete case, multiple imputation, no-change bound) and, when some have no post-test, per
    group's mean pre-test score (with and without a post-test) and their Welch difference; the
    groups' numbers empty when either group is under 5 (``suppressed``, ``under_5``), as shown."""
    c, mi, bound, cc = att["comparison"], att["mi"], att["bound"], att["complete_case"]
    # (analysis, its label's key and placeholders, n, points, CI low, CI high, suppressed)
    rows = [
        ("complete_case", {}, cc["n"], cc["estimate"], cc["ci_low"], cc["ci_high"], False),
        ("mi", {"m": mi["m"]}, mi["n"], mi["estimate"], mi["ci_low"], mi["ci_high"], False),
        ("bound", {}, bound["n"], bound["estimate"], bound["ci_low"], bound["ci_high"], False),
    ]
    if c["n_dropouts"]:
        hidden = bool(c["suppressed"])
        n_all = int(c["n_completers"]) + int(c["n_dropouts"])
        rows += [
            ("completers", {}, c["n_completers"], c["mean_completers"], _NAN, _NAN, hidden),
            ("dropouts", {}, c["n_dropouts"], c["mean_dropouts"], _NAN, _NAN, hidden),
            ("difference", {}, n_all, c["diff"], c["ci_low"], c["ci_high"], hidden),
        ]

    def stat(i: int) -> list[float]:
        values = _float([r[i] for r in rows]).tolist()
        return [_NAN if r[6] else v for v, r in zip(values, rows, strict=True)]

    return pd.DataFrame(
        {
            "analysis": [r[0] for r in rows],
            **{f"label_{lang}": [t(f"att_{r[0]}", lang, **r[1]) for r in rows] for lang in LANGS},
            "n_people": _int(pd.Series([int(r[2]) for r in rows])),
            "suppressed": [r[6] for r in rows],
            "suppression": ["under_5" if r[6] else "" for r in rows],
            "points": stat(3),
            "points_ci_low": stat(4),
            "points_ci_high": stat(5),
        }
    )


def tidy_item_languages(table: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The language versions compared (``stats.item_language_table``): one row per item and
    version, the version's scored questionnaires and percent correct in each test, the item's
    spread between the versions in each test and its flag."""
    versions = [c.removeprefix("n_pre_") for c in table.columns if c.startswith("n_pre_")]
    rows = [(r, v) for _, r in table.iterrows() for v in versions]
    ids = pd.Series([str(r["item_id"]) for r, _ in rows], dtype=object)
    codes = pd.Series([v for _, v in rows], dtype=object)

    def column(name: str) -> list:
        return [r[name.format(v=v)] for r, v in rows]

    return pd.DataFrame(
        {
            "item_id": ids.tolist(),
            "version": codes.tolist(),
            **_item_labels(ids, codebook),
            **_labels(codes, "version_label", language_label),
            "n_version_pre": _int(pd.Series(column("n_pre_{v}"), dtype="float64")),
            "pct_version_pre": _float(column("pct_pre_{v}")).tolist(),
            "n_version_post": _int(pd.Series(column("n_post_{v}"), dtype="float64")),
            "pct_version_post": _float(column("pct_post_{v}")).tolist(),
            "diff_pre": _float(column("diff_pre")).tolist(),
            "diff_post": _float(column("diff_post")).tolist(),
            "versions_differ": [bool(f) for f in column("flag")],
        }
    )


def _descriptions(lang: str) -> dict[str, tuple[str, str]]:
    """Every tidy column: its unit and what it holds, in ``lang``."""
    return {
        "stage": ("id", t("dict_stage", lang)),
        "label": ("text", t("dict_label", lang)),
        "variable_label": ("text", t("dict_variable_label", lang)),
        "group_label": ("text", t("dict_group_label", lang)),
        "pre": ("count", t("dict_flow_pre", lang)),
        "post": ("count", t("dict_flow_post", lang)),
        "topic": ("id", t("dict_topic", lang)),
        "item_id": ("id", t("dict_item_id", lang)),
        "workshop_id": ("id", t("dict_workshop_id", lang)),
        "variable": ("id", t("dict_variable", lang)),
        "group": ("id", t("dict_group", lang)),
        "term": ("id", t("dict_term", lang)),
        "n_items": ("count", t("dict_n_items", lang)),
        "n": ("count", t("dict_n", lang)),
        "n_pre": ("count", t("dict_n_pre", lang)),
        "n_post": ("count", t("dict_n_post", lang)),
        "pre_mean": ("percent", t("dict_pre_mean", lang)),
        "pre_sd": ("percentage_points", t("dict_pre_sd", lang)),
        "post_mean": ("percent", t("dict_post_mean", lang)),
        "post_sd": ("percentage_points", t("dict_post_sd", lang)),
        "estimate": ("see_label", t("dict_estimate", lang)),
        "sd": ("percentage_points", t("dict_sd", lang)),
        "ci_low": ("see_label", t("dict_ci_low", lang)),
        "ci_high": ("see_label", t("dict_ci_high", lang)),
        "test": ("id", t("dict_test", lang)),
        "statistic": ("test_statistic", t("dict_statistic", lang)),
        "df": ("degrees_of_freedom", t("dict_df", lang)),
        "df_den": ("degrees_of_freedom", t("dict_df_den", lang)),
        "p": ("probability", t("dict_p", lang)),
        "p_holm": ("probability", t("dict_p_holm", lang)),
        "wilcoxon_p": ("probability", t("dict_wilcoxon_p", lang)),
        "wilcoxon_p_holm": ("probability", t("dict_wilcoxon_p_holm", lang)),
        "rank_biserial": ("correlation", t("dict_rank_biserial", lang)),
        "d_z": ("standard_deviations", t("dict_d_z", lang)),
        "d_z_ci_low": ("standard_deviations", t("dict_d_z_ci_low", lang)),
        "d_z_ci_high": ("standard_deviations", t("dict_d_z_ci_high", lang)),
        "g_av": ("standard_deviations", t("dict_g_av", lang)),
        "hake_g": ("ratio", t("dict_hake_g", lang)),
        "mean_norm_change": ("ratio", t("dict_mean_norm_change", lang)),
        "pct_improved": ("percent", t("dict_pct_improved", lang)),
        "pct_unchanged": ("percent", t("dict_pct_unchanged", lang)),
        "pct_declined": ("percent", t("dict_pct_declined", lang)),
        "pre_pct_correct": ("percent", t("dict_pre_pct_correct", lang)),
        "post_pct_correct": ("percent", t("dict_post_pct_correct", lang)),
        "change_pct": ("percentage_points", t("dict_change_pct", lang)),
        "n_gained": ("count", t("dict_n_gained", lang)),
        "n_lost": ("count", t("dict_n_lost", lang)),
        "difficulty_pre": ("proportion", t("dict_difficulty_pre", lang)),
        "difficulty_post": ("proportion", t("dict_difficulty_post", lang)),
        "discrimination_pre": ("correlation", t("dict_discrimination_pre", lang)),
        "discrimination_post": ("correlation", t("dict_discrimination_post", lang)),
        "ceiling": ("boolean", t("dict_ceiling", lang)),
        "negative_discrimination": ("boolean", t("dict_negative_discrimination", lang)),
        "n_missing": ("count", t("dict_n_missing", lang)),
        "n_answer": ("count", t("dict_n_answer", lang)),
        "pct_answer": ("percent", t("dict_pct_answer", lang)),
        "pct_agree": ("percent", t("dict_pct_agree", lang)),
        "median": ("scale_1_5", t("dict_median", lang)),
        "suppressed": ("boolean", t("dict_suppressed", lang)),
        "suppression": ("id", t("dict_suppression", lang)),
        "alpha": ("probability", t("dict_alpha", lang)),
        "power": ("probability", t("dict_power", lang)),
        "mde_d_z": ("standard_deviations", t("dict_mde_d_z", lang)),
        "kr20_pre": ("coefficient", t("dict_kr20_pre", lang)),
        "kr20_post": ("coefficient", t("dict_kr20_post", lang)),
        "version_label": ("text", t("dict_version_label", lang)),
        "choice": ("id", t("dict_choice", lang)),
        "is_key": ("boolean", t("dict_is_key", lang)),
        "n_chose_pre": ("count", t("dict_n_chose_pre", lang)),
        "pct_chose_pre": ("percent", t("dict_pct_chose_pre", lang)),
        "n_chose_post": ("count", t("dict_n_chose_post", lang)),
        "pct_chose_post": ("percent", t("dict_pct_chose_post", lang)),
        "n_stayed_correct": ("count", t("dict_n_stayed_correct", lang)),
        "n_learned": ("count", t("dict_n_learned", lang)),
        "n_forgot": ("count", t("dict_n_forgot", lang)),
        "n_wrong_moved": ("count", t("dict_n_wrong_moved", lang)),
        "n_wrong_same": ("count", t("dict_n_wrong_same", lang)),
        "phase": ("id", t("dict_phase", lang)),
        "n_scored": ("count", t("dict_n_scored", lang)),
        "k": ("count", t("dict_k", lang)),
        "kr20": ("coefficient", t("dict_kr20", lang)),
        "kr20_ci_low": ("coefficient", t("dict_kr20_ci_low", lang)),
        "kr20_ci_high": ("coefficient", t("dict_kr20_ci_high", lang)),
        "sd_score": ("percentage_points", t("dict_sd_score", lang)),
        "sem": ("percentage_points", t("dict_sem", lang)),
        "category": ("id", t("dict_category", lang)),
        "n_category": ("count", t("dict_n_category", lang)),
        "pct_category": ("percent", t("dict_pct_category", lang)),
        "rci_improved": ("count", t("dict_rci_improved", lang)),
        "rci_unchanged": ("count", t("dict_rci_unchanged", lang)),
        "rci_declined": ("count", t("dict_rci_declined", lang)),
        "analysis": ("id", t("dict_analysis", lang)),
        "n_people": ("count", t("dict_n_people", lang)),
        "points": ("see_label", t("dict_points", lang)),
        "points_ci_low": ("see_label", t("dict_points_ci_low", lang)),
        "points_ci_high": ("see_label", t("dict_points_ci_high", lang)),
        "version": ("id", t("dict_version", lang)),
        "n_version_pre": ("count", t("dict_n_version_pre", lang)),
        "pct_version_pre": ("percent", t("dict_pct_version_pre", lang)),
        "n_version_post": ("count", t("dict_n_version_post", lang)),
        "pct_version_post": ("percent", t("dict_pct_version_post", lang)),
        "diff_pre": ("percentage_points", t("dict_diff_pre", lang)),
        "diff_post": ("percentage_points", t("dict_diff_post", lang)),
        "versions_differ": ("boolean", t("dict_versions_differ", lang)),
    }


def _entry(column: str) -> str:
    """The dictionary entry a column is described by (``label_sq`` by ``label``, ``n_3`` by
    ``n_answer``)."""
    for lang in LANGS:
        if column.endswith(f"_{lang}") and column.removesuffix(f"_{lang}") in (
            "label",
            "variable_label",
            "group_label",
            "version_label",
        ):
            return column.removesuffix(f"_{lang}")
    if column[:2] == "n_" and column[2:].isdigit():
        return "n_answer"
    if column[:4] == "pct_" and column[4:].isdigit():
        return "pct_answer"
    return column


def dictionary(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The data dictionary of ``tables`` (name -> tidy table): one row per table and column,
    with the column's unit and its description in every language.

    Raises ``KeyError`` for a column the dictionary does not describe (a new column must be
    described before it is published)."""
    described = {lang: _descriptions(lang) for lang in LANGS}
    rows = []
    for name, frame in tables.items():
        for column in frame.columns:
            entry = _entry(str(column))
            if entry not in described[LANGS[0]]:
                raise KeyError(f"tables/{name}.csv: column {column!r} has no dictionary entry")
            unit = described[LANGS[0]][entry][0]
            lang_of = next((g for g in LANGS if str(column).endswith(f"_{g}")), "")
            texts = {
                f"description_{g}": described[g][entry][1]
                + (
                    f" ({t('dict_in_language', g, language=lang_of)})"
                    if lang_of and entry != column
                    else ""
                )
                for g in LANGS
            }
            rows.append({"table": name, "column": str(column), "unit": unit, **texts})
    return pd.DataFrame(
        rows, columns=["table", "column", "unit", *[f"description_{g}" for g in LANGS]]
    )
