"""Tables as a report shows them: translated headers, numbers formatted in the report language.

Each ``*_display`` function takes a statistics table of :mod:`analysis.stats` (or a results
dict) and returns the frame shown on the page, carrying the tidy table saved as
``tables/<name>.csv`` (:mod:`analysis.present.tidy`, the same in every language); each
``labelled_*`` function returns the statistics table with a display label column, for figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..stats import HIDDEN, MDE_ALPHA, MDE_POWER, NAN
from .locale import fmt_ci, fmt_num, fmt_p, t
from .names import group_label, item_labeller, topic_label, variable_label, workshop_label
from .prose import sensitivity_rows
from .tidy import (
    share_cells,
    tidy_attrition,
    tidy_flow,
    tidy_items,
    tidy_migration,
    tidy_options,
    tidy_reaction,
    tidy_reliability,
    tidy_reliable_change,
    tidy_reliable_change_by_workshop,
    tidy_sensitivity,
    tidy_subgroups,
    tidy_topic_tests,
    tidy_topics,
    with_tidy,
)

__all__ = [
    "flow_display",
    "labelled_topics",
    "topic_display",
    "topic_tests_display",
    "labelled_items",
    "item_display",
    "labelled_reaction",
    "reaction_display",
    "subgroup_display",
    "sensitivity_display",
    "provenance_displays",
    "numbers",
    "p_values",
    "intervals",
    "reliability_display",
    "option_display",
    "migration_display",
    "reliable_change_display",
    "attrition_display",
    "reliable_change_by_workshop",
]


def numbers(series: pd.Series, lang: str, digits: int) -> pd.Series:
    """Numbers for table cells (a dash for a missing value)."""
    return series.map(lambda v: fmt_num(float(v), lang, digits) if pd.notna(v) else "–")


def p_values(series: pd.Series, lang: str) -> pd.Series:
    """p-values for a table cell: ``,034`` / ``< ,001`` (the ``p =`` of the prose dropped)."""
    return series.map(
        lambda v: (
            fmt_p(float(v), lang).removeprefix("p = ").removeprefix("p ") if pd.notna(v) else "–"
        )
    )


def intervals(low: pd.Series, high: pd.Series, lang: str, digits: int) -> list[str]:
    """Intervals for table cells (a dash where the interval is missing)."""
    return [
        "–" if pd.isna(lo) else fmt_ci(lo, hi, lang, digits)
        for lo, hi in zip(low, high, strict=True)
    ]


def flow_display(flow: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """The flow as a table: stage by phase."""
    rows = [
        ("stage_received", flow["received_pre"], flow["received_post"]),
        ("stage_duplicates", flow["duplicates_pre"], flow["duplicates_post"]),
        ("stage_excluded", flow["excluded_pre"], flow["excluded_post"]),
        ("stage_scored", flow["scored_pre"], flow["scored_post"]),
        ("stage_unmatched", flow["unmatched_pre"], flow["unmatched_post"]),
        ("stage_paired", flow["paired"], flow["paired"]),
        ("stage_fuzzy", flow["fuzzy_links"], flow["fuzzy_links"]),
    ]
    shown = pd.DataFrame(
        [(t(k, lang), int(a), int(b)) for k, a, b in rows],
        columns=[t("col_stage", lang), t("col_pre", lang), t("col_post", lang)],
    )
    return with_tidy(shown, tidy_flow(flow))


def labelled_topics(topics: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The topic table with ``topic_label`` (for the topic figure)."""
    return topics.assign(topic_label=topics["topic"].map(lambda x: topic_label(x, lang)))


def topic_display(topics: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The topic table as shown: n, means, gain with CI, d_z, Holm-adjusted p."""
    shown = pd.DataFrame(
        {
            t("col_topic", lang): topics["topic"].map(lambda x: topic_label(x, lang)),
            t("col_n", lang): topics["n_paired"],
            t("col_pre_mean", lang): numbers(topics["pre_mean"], lang, 1),
            t("col_post_mean", lang): numbers(topics["post_mean"], lang, 1),
            t("col_gain", lang): numbers(topics["diff_mean"], lang, 1),
            t("col_ci", lang): [
                fmt_ci(a, b, lang, 1)
                for a, b in zip(topics["diff_ci_low"], topics["diff_ci_high"], strict=True)
            ],
            t("col_d_z", lang): numbers(topics["d_z"], lang, 2),
            t("col_p_holm", lang): p_values(topics["t_p_holm"], lang),
        }
    )
    return with_tidy(shown, tidy_topics(topics))


def topic_tests_display(topics: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every paired statistic of each topic (METHODS: the workshop's statistics per topic); the
    t statistic and its df in columns of their own."""
    shares = zip(
        topics["pct_improved"], topics["pct_unchanged"], topics["pct_declined"], strict=True
    )
    shown = pd.DataFrame(
        {
            t("col_topic", lang): topics["topic"].map(lambda x: topic_label(x, lang)),
            t("col_n", lang): topics["n_paired"],
            t("col_t", lang): numbers(topics["t_stat"], lang, 2),
            t("col_df", lang): [
                "–" if pd.isna(v) or pd.isna(df) else str(int(df))
                for v, df in zip(topics["t_stat"], topics["t_df"], strict=True)
            ],
            t("col_p", lang): p_values(topics["t_p"], lang),
            t("col_p_holm", lang): p_values(topics["t_p_holm"], lang),
            t("col_wilcoxon_p", lang): p_values(topics["wilcoxon_p"], lang),
            t("col_wilcoxon_p_holm", lang): p_values(topics["wilcoxon_p_holm"], lang),
            t("col_rank_biserial", lang): numbers(topics["rank_biserial"], lang, 2),
            t("col_d_z_ci", lang): intervals(topics["d_z_ci_low"], topics["d_z_ci_high"], lang, 2),
            t("col_g_av", lang): numbers(topics["g_av"], lang, 2),
            t("col_hake_g", lang): numbers(topics["hake_g"], lang, 2),
            t("col_norm_change", lang): numbers(topics["mean_norm_change"], lang, 2),
            t("col_improved", lang): [
                " / ".join("–" if pd.isna(v) else fmt_num(v, lang, 0) for v in row)
                for row in shares
            ],
        }
    )
    return with_tidy(shown, tidy_topic_tests(topics))


def labelled_items(items: pd.DataFrame, codebook: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The item table with ``item_label`` (for the item figure)."""
    label = item_labeller(codebook)
    return items.assign(item_label=items["item_id"].map(lambda i: label(i, lang)))


def _item_flags(items: pd.DataFrame, lang: str) -> list[str]:
    return [
        ", ".join([t("flag_ceiling", lang)] * bool(c) + [t("flag_negative", lang)] * bool(n))
        for c, n in zip(items["ceiling"], items["negative_discrimination"], strict=True)
    ]


def item_display(items: pd.DataFrame, codebook: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The item table as shown: percent correct, gained / lost, McNemar (Holm), difficulty,
    discrimination, flags in words."""
    label = item_labeller(codebook)
    full_text = items["item_id"].map(lambda i: label(i, lang, 10_000))
    shown = pd.DataFrame(
        {
            t("col_item", lang): full_text,
            t("col_pre_correct", lang): numbers(items["pre_pct_correct"], lang, 0),
            t("col_post_correct", lang): numbers(items["post_pct_correct"], lang, 0),
            t("col_gained_lost", lang): [
                f"{int(g)} / {int(lo)}"
                for g, lo in zip(items["n_gained"], items["n_lost"], strict=True)
            ],
            t("col_p_holm", lang): p_values(items["mcnemar_p_holm"], lang),
            t("col_difficulty", lang): numbers(items["difficulty_pre"], lang, 2)
            + " / "
            + numbers(items["difficulty_post"], lang, 2),
            t("col_discrimination", lang): numbers(items["discrimination_pre"], lang, 2)
            + " / "
            + numbers(items["discrimination_post"], lang, 2),
            t("col_flags", lang): _item_flags(items, lang),
        }
    )
    return with_tidy(shown, tidy_items(items, codebook))


def labelled_reaction(reaction: pd.DataFrame, codebook: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The reaction table with ``item_label`` (for the reaction figure)."""
    label = item_labeller(codebook)
    labels = reaction["item_id"].map(lambda i: label(i, lang, 60))
    return reaction.drop(columns=["text_en"], errors="ignore").assign(item_label=labels)


def reaction_display(reaction: pd.DataFrame, codebook: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The reaction table as shown: n, the share of each answer 1-5, agreeing, median."""
    label = item_labeller(codebook)
    labels = reaction["item_id"].map(lambda i: label(i, lang, 60))
    shown = pd.DataFrame(
        {
            t("col_statement", lang): labels,
            t("col_n", lang): reaction["n"],
            **{f"{v} (%)": numbers(reaction[f"pct_{v}"], lang, 0) for v in range(1, 6)},
            t("col_agree", lang): numbers(reaction["pct_agree"], lang, 0),
            t("col_median", lang): numbers(reaction["median"], lang, 1),
        }
    )
    return with_tidy(shown, tidy_reaction(reaction, codebook))


def subgroup_display(subgroups: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The subgroup table as shown (suppressed cells stay ``<5``, without statistics)."""
    n = subgroups["n"].map(lambda v: t("cell_hidden", lang) if v == HIDDEN else str(v))
    shown = pd.DataFrame(
        {
            t("col_variable", lang): subgroups["variable"].map(lambda v: variable_label(v, lang)),
            t("col_group", lang): subgroups["group"].map(lambda g: group_label(g, lang)),
            t("col_n", lang): n,
            t("col_gain", lang): numbers(subgroups["mean_gain"], lang, 1),
            t("col_ci", lang): [
                "–" if s else fmt_ci(a, b, lang, 1)
                for a, b, s in zip(
                    subgroups["ci_low"], subgroups["ci_high"], subgroups["suppressed"], strict=True
                )
            ],
        }
    )
    return with_tidy(shown, tidy_subgroups(subgroups))


def sensitivity_display(summary: Mapping[str, Any], mde: float, lang: str) -> pd.DataFrame:
    """The sensitivity analysis as a table: n, alpha, power, minimal detectable and observed d_z."""
    shown = pd.DataFrame(
        sensitivity_rows(summary, mde, lang),
        columns=[t("col_statistic", lang), t("col_value", lang)],
    )
    return with_tidy(shown, tidy_sensitivity(summary, mde, MDE_ALPHA, MDE_POWER))


def provenance_displays(manifest: Mapping[str, Any], lang: str) -> list[pd.DataFrame]:
    """The raw files with their SHA-256, and the package versions."""
    files = pd.DataFrame(
        sorted(manifest["raw_files"].items()), columns=[t("col_file", lang), "SHA-256"]
    )
    packages = pd.DataFrame(
        sorted(manifest["packages"].items()),
        columns=[t("col_package", lang), t("col_version", lang)],
    )
    return [files, packages]


# issue 16: deeper evidence


def reliability_display(rel: pd.DataFrame, lang: str) -> pd.DataFrame:
    """KR-20 per test with its Feldt 95% interval, the SD and the SEM in points
    (``stats.reliability_by_phase``)."""
    phase = {"pre": t("col_pre", lang), "post": t("col_post", lang)}
    shown = pd.DataFrame(
        {
            t("col_test", lang): rel["phase"].map(phase),
            t("col_n", lang): rel["n"],
            t("col_kr20", lang): numbers(rel["kr20"], lang, 2),
            t("col_ci", lang): intervals(rel["ci_low"], rel["ci_high"], lang, 2),
            t("col_sd", lang): numbers(rel["sd"], lang, 1),
            t("col_sem", lang): numbers(rel["sem"], lang, 1),
        }
    )
    return with_tidy(shown, tidy_reliability(rel))


def option_display(
    shares: pd.DataFrame, codebook: pd.DataFrame, lang: str, among: str = "linked"
) -> pd.DataFrame:
    """Per item, the share choosing each option, pre-test → post-test (``stats.option_shares``;
    ``among`` ``"linked"`` or ``"all"`` scored questionnaires); ✓ marks the keyed answer."""
    if among not in ("linked", "all"):
        raise ValueError(f"among must be 'linked' or 'all', not {among!r}")
    pct = f"pct_{among}"
    heads = {
        **{letter: letter for letter in ("A", "B", "C", "D")},
        "blank": t("col_blank", lang),
        "invalid": t("col_invalid", lang),
    }
    items = list(dict.fromkeys(shares["item_id"]))
    by = share_cells(shares)
    label = item_labeller(codebook)
    out: dict[str, list[str]] = {t("col_item", lang): [label(i, lang) for i in items]}
    for choice, head in heads.items():
        cells = []
        for i in items:
            a, b = by[(i, choice, "pre")][pct], by[(i, choice, "post")][pct]
            mark = "✓ " if bool(by[(i, choice, "pre")]["is_key"]) else ""
            fa = fmt_num(a, lang, 0) if pd.notna(a) else "–"
            fb = fmt_num(b, lang, 0) if pd.notna(b) else "–"
            cells.append(f"{mark}{fa} → {fb}")
        out[f"{head} (%)"] = cells
    return with_tidy(pd.DataFrame(out), tidy_options(shares, codebook, among))


def migration_display(migration: pd.DataFrame, codebook: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per item, how many linked participants' answers stayed right, were learned, forgotten,
    moved between wrong options or stayed on the same wrong one (``stats.answer_migration``)."""
    label = item_labeller(codebook)
    shown = pd.DataFrame(
        {
            t("col_item", lang): migration["item_id"].map(lambda i: label(i, lang)),
            t("col_n", lang): migration["n_linked"],
            t("fig_migration_stayed_correct", lang): migration["n_stayed_correct"],
            t("fig_migration_learned", lang): migration["n_learned"],
            t("fig_migration_forgot", lang): migration["n_forgot"],
            t("fig_migration_wrong_moved", lang): migration["n_wrong_moved"],
            t("fig_migration_wrong_same", lang): migration["n_wrong_same"],
        }
    )
    return with_tidy(shown, tidy_migration(migration, codebook))


def reliable_change_display(rci: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """The Jacobson-Truax counts and shares of the linked participants
    (``stats.reliable_change``)."""
    rows = [
        (t("rci_improved", lang), rci["improved"], rci["pct_improved"]),
        (t("rci_unchanged", lang), rci["unchanged"], rci["pct_unchanged"]),
        (t("rci_declined", lang), rci["declined"], rci["pct_declined"]),
    ]
    shown = pd.DataFrame(
        [
            (name, "–" if pd.isna(n) else str(int(n)), fmt_num(p, lang, 0) if pd.notna(p) else "–")
            for name, n, p in rows
        ],
        columns=[t("col_category", lang), t("col_n", lang), t("col_share", lang)],
    )
    return with_tidy(shown, tidy_reliable_change(rci))


def attrition_display(att: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """The gain three ways (complete case, imputed, no-change bound) and the pre-test scores of
    those with and without a post-test (``stats.attrition_analysis``); the groups' mean pre-test
    scores are shown only when neither group is under 5 (``stats.MIN_GROUP``), else a dash."""
    c, mi, bound, cc = att["comparison"], att["mi"], att["bound"], att["complete_case"]

    def row(name: str, n: Any, est: float, lo: float, hi: float) -> tuple[str, str, str, str]:
        ci = "–" if pd.isna(lo) else fmt_ci(lo, hi, lang, 1)
        return name, str(n), fmt_num(est, lang, 1) if pd.notna(est) else "–", ci

    rows = [
        row(t("att_complete_case", lang), cc["n"], cc["estimate"], cc["ci_low"], cc["ci_high"]),
        row(t("att_mi", lang, m=mi["m"]), mi["n"], mi["estimate"], mi["ci_low"], mi["ci_high"]),
        row(t("att_bound", lang), bound["n"], bound["estimate"], bound["ci_low"], bound["ci_high"]),
    ]
    if c["n_dropouts"] and not c["suppressed"]:
        rows += [
            row(t("att_completers", lang), c["n_completers"], c["mean_completers"], NAN, NAN),
            row(t("att_dropouts", lang), c["n_dropouts"], c["mean_dropouts"], NAN, NAN),
            row(t("att_difference", lang), "", c["diff"], c["ci_low"], c["ci_high"]),
        ]
    elif c["n_dropouts"]:
        rows += [
            (t("att_completers", lang), str(c["n_completers"]), "–", "–"),
            (t("att_dropouts", lang), str(c["n_dropouts"]), "–", "–"),
        ]
    shown = pd.DataFrame(
        rows,
        columns=[
            t("col_analysis", lang),
            t("col_n", lang),
            t("col_points", lang),
            t("col_ci", lang),
        ],
    )
    return with_tidy(shown, tidy_attrition(att))


def reliable_change_by_workshop(
    workshops: Sequence[Mapping[str, Any]], registry: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """The Jacobson-Truax counts of each workshop (its ``rci_*`` summary keys), one row each."""
    full = pd.DataFrame(list(workshops))

    def counts(col: str) -> list[str]:
        return ["–" if pd.isna(v) else str(int(v)) for v in full[col]]

    shown = pd.DataFrame(
        {
            t("col_workshop", lang): full["workshop_id"].map(
                lambda w: workshop_label(registry, w, lang)
            ),
            t("col_n", lang): full["n_paired"],
            t("rci_improved", lang): counts("rci_improved"),
            t("rci_unchanged", lang): counts("rci_unchanged"),
            t("rci_declined", lang): counts("rci_declined"),
        }
    )
    return with_tidy(shown, tidy_reliable_change_by_workshop(workshops, registry))
