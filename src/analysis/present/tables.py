"""The workshop report's tables, each defined once: what it publishes and what it shows.

Each table is a :class:`analysis.present.tidy.Table` (its published columns, declared in
:mod:`analysis.present.columns`, and its shown columns); each ``*_display`` function takes a
statistics table of :mod:`analysis.stats` (or a results dict) and returns the frame shown on
the page, in the current language, carrying the tidy table saved as ``tables/<name>.csv`` (the
same in every language); each ``labelled_*`` function returns the statistics table with a
display label column, for figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..stats import HIDDEN, MDE_ALPHA, MDE_POWER
from ..stats.disclosure import SUPPRESSED
from .columns import declare
from .locale import fmt_num, t
from .names import group_label, item_labeller, topic_label, variable_label, workshop_label
from .prose import sensitivity_rows
from .tidy import (
    Shown,
    Table,
    numbers,
    shown_count,
    shown_gain,
    shown_interval,
    shown_label,
    shown_number,
    shown_p,
    shown_pair,
    with_tidy,
)

__all__ = [
    "ITEMS",
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
    "reliability_display",
    "option_display",
    "migration_display",
    "reliable_change_display",
    "attrition_display",
    "reliable_change_by_workshop",
]

_NAN = float("nan")

#: The message naming each stage of the participant flow.
_STAGES = {
    "received": "stage_received",
    "duplicates": "stage_duplicates",
    "excluded": "stage_excluded",
    "scored": "stage_scored",
    "unmatched": "stage_unmatched",
    "paired": "stage_paired",
    "fuzzy_links": "stage_fuzzy",
}

#: The participant flow: one row per stage, questionnaires (people for ``paired``) per test.
_FLOW = Table(
    columns=(
        "stage",
        declare("label", source="stage", header="col_stage"),
        "pre post",
    ),
    shown=(shown_label("stage"), shown_count("pre"), shown_count("post")),
    labels={"label": lambda stage: t(_STAGES[stage])},
)


def flow_display(flow: Mapping[str, Any]) -> pd.DataFrame:
    """The flow as a table: stage by phase."""
    rows = pd.DataFrame(
        {
            "stage": list(_STAGES),
            "pre": [flow[f"{s}_pre"] if f"{s}_pre" in flow else flow[s] for s in _STAGES],
            "post": [flow[f"{s}_post"] if f"{s}_post" in flow else flow[s] for s in _STAGES],
        }
    )
    return _FLOW.display(rows)


def labelled_topics(topics: pd.DataFrame) -> pd.DataFrame:
    """The topic table with ``topic_label`` (for the topic figure)."""
    return topics.assign(topic_label=topics["topic"].map(topic_label))


_TOPIC_LABEL = declare("label", source="topic", header="col_topic")

#: The topic table: n, means and SDs per test, the mean gain with its 95% CI, d_z, Holm p;
#: shown: n, means, gain with CI, d_z, Holm p.
_TOPICS = Table(
    columns=(
        "topic",
        _TOPIC_LABEL,
        "n_items n pre_mean pre_sd post_mean post_sd estimate sd ci_low ci_high d_z p_holm",
    ),
    shown=(
        shown_label("topic"),
        *shown_gain(),
        shown_p("p_holm"),
    ),
    labels={"label": topic_label},
)


def topic_display(topics: pd.DataFrame) -> pd.DataFrame:
    """The topic table as shown: n, means, gain with CI, d_z, Holm-adjusted p."""
    return _TOPICS.display(topics)


def _df_cells(frame: pd.DataFrame, _: Any) -> list[str]:
    """The t-test's df as a whole number (a dash where there is no test)."""
    return [
        "–" if pd.isna(v) or pd.isna(df) else str(int(df))
        for v, df in zip(frame["statistic"], frame["df"], strict=True)
    ]


def _share_cells(frame: pd.DataFrame, _: Any) -> list[str]:
    """Improved / unchanged / declined, in percent."""
    shares = zip(frame["pct_improved"], frame["pct_unchanged"], frame["pct_declined"], strict=True)
    return [" / ".join("–" if pd.isna(v) else fmt_num(v, 0) for v in row) for row in shares]


#: Every paired statistic per topic: the t-test (statistic, df, p, Holm p), Wilcoxon,
#: rank-biserial r, d_z with its CI, g_av, Hake's g, normalized change, shares.
_TOPIC_TESTS = Table(
    columns=(
        "topic",
        _TOPIC_LABEL,
        "n test",
        declare("statistic", header="col_t"),
        "df p p_holm wilcoxon_p wilcoxon_p_holm rank_biserial d_z d_z_ci_low d_z_ci_high g_av",
        "hake_g mean_norm_change pct_improved pct_unchanged pct_declined",
    ),
    shown=(
        shown_label("topic"),
        shown_count("n"),
        shown_number("statistic", 2),
        Shown(_df_cells, "df"),
        shown_p("p"),
        shown_p("p_holm"),
        shown_p("wilcoxon_p"),
        shown_p("wilcoxon_p_holm"),
        shown_number("rank_biserial", 2),
        shown_interval("d_z_ci_low", "d_z_ci_high", 2),
        shown_number("g_av", 2),
        shown_number("hake_g", 2),
        shown_number("mean_norm_change", 2),
        Shown(_share_cells, "pct_improved"),
    ),
    labels={"label": topic_label},
)


def topic_tests_display(topics: pd.DataFrame) -> pd.DataFrame:
    """Every paired statistic of each topic (METHODS: the workshop's statistics per topic); the
    t statistic and its df in columns of their own."""
    return _TOPIC_TESTS.display(topics.assign(test="t"))


def labelled_items(items: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The item table with ``item_label`` (for the item figure)."""
    label = item_labeller(codebook)
    return items.assign(item_label=items["item_id"].map(label))


def _full_item_label(codebook: pd.DataFrame) -> Any:
    """An item's id and whole text in the current language."""
    label = item_labeller(codebook)
    return lambda i: label(i, 10_000)


_ITEM_LABEL = declare("label", source="item_id", header="col_item")


def _item_flags(frame: pd.DataFrame, _: Any) -> list[str]:
    return [
        ", ".join([t("flag_ceiling")] * bool(c) + [t("flag_negative")] * bool(n))
        for c, n in zip(frame["ceiling"], frame["negative_discrimination"], strict=True)
    ]


def _gained_lost(frame: pd.DataFrame, _: Any) -> list[str]:
    return [
        f"{int(g)} / {int(lo)}" for g, lo in zip(frame["n_gained"], frame["n_lost"], strict=True)
    ]


#: The item table: percent correct per test, gained / lost, exact McNemar p (and Holm),
#: difficulty and discrimination per test, the flags.
ITEMS = Table(
    columns=(
        "item_id topic",
        _ITEM_LABEL,
        "n pre_pct_correct post_pct_correct change_pct n_gained n_lost",
        declare("p", source="mcnemar_p"),
        declare("p_holm", source="mcnemar_p_holm"),
        "difficulty_pre difficulty_post discrimination_pre discrimination_post",
        "ceiling negative_discrimination",
    ),
    shown=(
        shown_label("item_id"),
        shown_number("pre_pct_correct", 0),
        shown_number("post_pct_correct", 0),
        Shown(_gained_lost, "n_gained"),
        shown_p("p_holm"),
        shown_pair("difficulty_pre", "difficulty_post", 2),
        shown_pair("discrimination_pre", "discrimination_post", 2),
        Shown(_item_flags, "ceiling"),
    ),
)


def item_display(items: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The item table as shown: percent correct, gained / lost, McNemar (Holm), difficulty,
    discrimination, flags in words."""
    return ITEMS.display(items, label=_full_item_label(codebook))


def labelled_reaction(reaction: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The reaction table with ``item_label`` (for the reaction figure)."""
    label = item_labeller(codebook)
    labels = reaction["item_id"].map(lambda i: label(i, 60))
    return reaction.drop(columns=["text_en"], errors="ignore").assign(item_label=labels)


def _answer_share(value: int) -> Shown:
    """The share of answer ``value`` (1-5), headed ``3 (%)``."""
    return Shown(lambda f, _: numbers(f[f"pct_{value}"], 0), header=lambda: f"{value} (%)")


#: The reaction items: n, missing, the count and share of each answer 1-5, agreeing, median;
#: shown: n, the share of each answer, agreeing, median.
_REACTION = Table(
    columns=(
        "item_id",
        declare("label", source="item_id", header="col_statement"),
        declare("n", source="n"),
        "n_missing",
        *(f"n_{v}" for v in range(1, 6)),
        *(f"pct_{v}" for v in range(1, 6)),
        "pct_agree median",
    ),
    shown=(
        shown_label("item_id", by="statement"),
        shown_count("n"),
        *(_answer_share(v) for v in range(1, 6)),
        shown_number("pct_agree", 0),
        shown_number("median", 1),
    ),
)


def reaction_display(reaction: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The reaction table as shown: n, the share of each answer 1-5, agreeing, median."""
    label = item_labeller(codebook)
    return _REACTION.display(
        reaction, label=_full_item_label(codebook), statement=lambda i: label(i, 60)
    )


def _suppression(n: Any) -> str:
    if n == SUPPRESSED:
        return "under_5"
    if n == HIDDEN:
        return "complementary"
    return ""


def _subgroup_n(frame: pd.DataFrame, _: Any) -> list[str]:
    """A group's n, ``<5`` for a group under 5, ``hidden*`` for one hidden as complement."""
    shown = {"under_5": SUPPRESSED, "complementary": t("cell_hidden")}
    return [shown.get(s) or str(n) for n, s in zip(frame["n"], frame["suppression"], strict=True)]


#: The subgroups: n and the mean gain with its 95% CI, empty where suppressed (``suppressed``
#: true, ``suppression`` ``under_5`` for a group under 5 people, ``complementary`` for one that
#: could be worked out from the others).
_SUBGROUPS = Table(
    columns=(
        "variable group",
        declare("variable_label", source="variable"),
        declare("group_label", source="group"),
        declare("n", source="n"),
        "suppressed suppression",
        declare("estimate", source="mean_gain"),
        declare("sd", source="sd_gain"),
        declare("ci_low", source="ci_low"),
        declare("ci_high", source="ci_high"),
    ),
    shown=(
        shown_label("variable", "variable_label"),
        shown_label("group", "group_label"),
        Shown(_subgroup_n, "n"),
        shown_number("estimate", 1),
        shown_interval("ci_low", "ci_high", 1),
    ),
    labels={"variable_label": variable_label, "group_label": group_label},
)


def subgroup_display(subgroups: pd.DataFrame) -> pd.DataFrame:
    """The subgroup table as shown (suppressed cells stay ``<5``, without statistics)."""
    hidden = subgroups["suppressed"].astype(bool).tolist()
    blank = {
        c: [_NAN if s else v for v, s in zip(subgroups[c], hidden, strict=True)]
        for c in ("mean_gain", "sd_gain", "ci_low", "ci_high")
    }
    rows = subgroups.assign(
        n=[None if s else int(v) for v, s in zip(subgroups["n"], hidden, strict=True)],
        suppression=[_suppression(v) for v in subgroups["n"]],
        **blank,
    )
    return _SUBGROUPS.display(rows)


#: The sensitivity analysis as one row: n, alpha, power, minimal detectable and observed d_z.
_SENSITIVITY = Table(
    columns=("workshop_id", "n", "alpha", "power", "mde_d_z", "d_z", "d_z_ci_low", "d_z_ci_high"),
)


def sensitivity_display(summary: Mapping[str, Any], mde: float) -> pd.DataFrame:
    """The sensitivity analysis as a table: n, alpha, power, minimal detectable and observed d_z
    (shown as a statistic and its value per row; published as one row)."""
    keys = ("n_paired", "d_z", "d_z_ci_low", "d_z_ci_high")
    row = {k: summary[k] for k in keys} | {
        "workshop_id": str(summary.get("workshop_id", "")),
        "alpha": MDE_ALPHA,
        "power": MDE_POWER,
        "mde_d_z": mde,
    }
    shown = pd.DataFrame(
        sensitivity_rows(summary, mde), columns=[t("col_statistic"), t("col_value")]
    )
    return with_tidy(shown, _SENSITIVITY.tidy(pd.DataFrame([row])))


def provenance_displays(manifest: Mapping[str, Any]) -> list[pd.DataFrame]:
    """The raw files with their SHA-256, and the package versions."""
    files = pd.DataFrame(sorted(manifest["raw_files"].items()), columns=[t("col_file"), "SHA-256"])
    packages = pd.DataFrame(
        sorted(manifest["packages"].items()),
        columns=[t("col_package"), t("col_version")],
    )
    return [files, packages]


# issue 16: deeper evidence

#: The message naming each test.
_PHASES = {"pre": "col_pre", "post": "col_post"}

#: KR-20 per test (``stats.reliability_by_phase``): the scored questionnaires, the items,
#: KR-20 with its Feldt 95% CI, the SD of the score and the SEM.
_RELIABILITY = Table(
    columns=(
        "phase",
        declare("label", source="phase", header="col_test"),
        "n_scored k kr20 kr20_ci_low kr20_ci_high sd_score sem",
    ),
    shown=(
        shown_label("phase"),
        shown_count("n_scored"),
        shown_number("kr20", 2),
        shown_interval("kr20_ci_low", "kr20_ci_high", 2),
        shown_number("sd_score", 1),
        shown_number("sem", 1),
    ),
    labels={"label": lambda phase: t(_PHASES[phase])},
)


def reliability_display(rel: pd.DataFrame) -> pd.DataFrame:
    """KR-20 per test with its Feldt 95% interval, the SD and the SEM in points
    (``stats.reliability_by_phase``)."""
    return _RELIABILITY.display(rel)


def _share_cells_by_key(shares: pd.DataFrame) -> dict[tuple, dict[str, Any]]:
    """The rows of ``stats.option_shares`` by ``(item_id, choice, phase)``, for look-ups cell by
    cell (a dict, not a frame's index: a table's cells are read many times)."""
    keys = zip(shares["item_id"], shares["choice"], shares["phase"], strict=True)
    return dict(zip(keys, shares.to_dict("records"), strict=True))


#: The options chosen (``stats.option_shares``): one row per item and choice (``A``-``D``,
#: ``blank``, ``invalid``), whether it is the key, and the count and share choosing it in each
#: test; shown as one row per item, a column per choice (pre-test → post-test).
_OPTIONS = Table(
    columns=(
        "item_id",
        _ITEM_LABEL,
        "choice is_key n_chose_pre pct_chose_pre n_chose_post pct_chose_post",
    ),
)


def option_display(
    shares: pd.DataFrame, codebook: pd.DataFrame, among: str = "linked"
) -> pd.DataFrame:
    """Per item, the share choosing each option, pre-test → post-test (``stats.option_shares``;
    ``among`` ``"linked"`` or ``"all"`` scored questionnaires); ✓ marks the keyed answer."""
    if among not in ("linked", "all"):
        raise ValueError(f"among must be 'linked' or 'all', not {among!r}")
    by = _share_cells_by_key(shares)
    pairs = list(dict.fromkeys(zip(shares["item_id"], shares["choice"], strict=True)))

    def cell(column: str, phase: str) -> list:
        return [by[(i, c, phase)][column] for i, c in pairs]

    rows = pd.DataFrame(
        {
            "item_id": [i for i, _ in pairs],
            "choice": [c for _, c in pairs],
            "is_key": cell("is_key", "pre"),
            "n_chose_pre": cell(f"n_{among}", "pre"),
            "pct_chose_pre": cell(f"pct_{among}", "pre"),
            "n_chose_post": cell(f"n_{among}", "post"),
            "pct_chose_post": cell(f"pct_{among}", "post"),
        }
    )
    tidy = _OPTIONS.tidy(rows, label=_full_item_label(codebook))
    pct = f"pct_{among}"
    heads = {
        **{letter: letter for letter in ("A", "B", "C", "D")},
        "blank": t("col_blank"),
        "invalid": t("col_invalid"),
    }
    items = list(dict.fromkeys(shares["item_id"]))
    label = item_labeller(codebook)
    out: dict[str, list[str]] = {t("col_item"): [label(i) for i in items]}
    for choice, head in heads.items():
        cells = []
        for i in items:
            a, b = by[(i, choice, "pre")][pct], by[(i, choice, "post")][pct]
            mark = "✓ " if bool(by[(i, choice, "pre")]["is_key"]) else ""
            fa = fmt_num(a, 0) if pd.notna(a) else "–"
            fb = fmt_num(b, 0) if pd.notna(b) else "–"
            cells.append(f"{mark}{fa} → {fb}")
        out[f"{head} (%)"] = cells
    return with_tidy(pd.DataFrame(out), tidy)


_MOVES = ("n_stayed_correct", "n_learned", "n_forgot", "n_wrong_moved", "n_wrong_same")

#: How the linked participants' answers moved (``stats.answer_migration``): one row per item,
#: the linked participants and how many stayed right, learned, forgot, moved between wrong
#: options or stayed on the same wrong one.
_MIGRATION = Table(
    columns=(
        "item_id",
        _ITEM_LABEL,
        declare("n", source="n_linked"),
        *_MOVES,
    ),
    shown=(
        shown_label("item_id", by="short"),
        shown_count("n"),
        *map(shown_count, _MOVES),
    ),
)


def migration_display(migration: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Per item, how many linked participants' answers stayed right, were learned, forgotten,
    moved between wrong options or stayed on the same wrong one (``stats.answer_migration``)."""
    return _MIGRATION.display(
        migration, label=_full_item_label(codebook), short=item_labeller(codebook)
    )


#: The message naming each Jacobson-Truax category.
_RCI = {"improved": "rci_improved", "unchanged": "rci_unchanged", "declined": "rci_declined"}

#: The Jacobson-Truax categories of one workshop (``stats.reliable_change``): one row per
#: category, the linked participants in it and their share.
_RELIABLE_CHANGE = Table(
    columns=(
        "category",
        declare("label", source="category", header="col_category"),
        "n_category pct_category",
    ),
    shown=(shown_label("category"), shown_count("n_category"), shown_number("pct_category", 0)),
    labels={"label": lambda category: t(_RCI[category])},
)


def reliable_change_display(rci: Mapping[str, Any]) -> pd.DataFrame:
    """The Jacobson-Truax counts and shares of the linked participants
    (``stats.reliable_change``)."""
    rows = pd.DataFrame(
        {
            "category": list(_RCI),
            "n_category": pd.to_numeric(pd.Series([rci[c] for c in _RCI]), errors="coerce"),
            "pct_category": [rci[f"pct_{c}"] for c in _RCI],
        }
    )
    return _RELIABLE_CHANGE.display(rows)


def _attrition_n(frame: pd.DataFrame, _: Any) -> list[str]:
    """The people of each row (none written for the difference of the two groups)."""
    return [
        "" if a == "difference" else str(int(n))
        for a, n in zip(frame["analysis"], frame["n_people"], strict=True)
    ]


#: What attrition could hide (``stats.attrition_analysis``): one row per analysis of the gain
#: (complete case, multiple imputation, no-change bound) and, when some have no post-test, per
#: group's mean pre-test score (with and without a post-test) and their Welch difference; the
#: groups' numbers empty when either group is under 5 (``suppressed``, ``under_5``).
_ATTRITION = Table(
    columns=(
        "analysis",
        declare("label", source="analysis", header="col_analysis"),
        "n_people suppressed suppression points points_ci_low points_ci_high",
    ),
    shown=(
        shown_label("analysis"),
        Shown(_attrition_n, "n_people"),
        shown_number("points", 1),
        shown_interval("points_ci_low", "points_ci_high", 1),
    ),
)


def attrition_display(att: Mapping[str, Any]) -> pd.DataFrame:
    """The gain three ways (complete case, imputed, no-change bound) and the pre-test scores of
    those with and without a post-test (``stats.attrition_analysis``); the groups' mean pre-test
    scores are shown only when neither group is under 5 (``stats.MIN_GROUP``), else a dash (and
    their difference not at all)."""
    c, mi, bound, cc = att["comparison"], att["mi"], att["bound"], att["complete_case"]
    # (analysis, n, points, CI low, CI high)
    rows = [
        ("complete_case", cc["n"], cc["estimate"], cc["ci_low"], cc["ci_high"]),
        ("mi", mi["n"], mi["estimate"], mi["ci_low"], mi["ci_high"]),
        ("bound", bound["n"], bound["estimate"], bound["ci_low"], bound["ci_high"]),
    ]
    hidden = bool(c["n_dropouts"]) and bool(c["suppressed"])
    if c["n_dropouts"]:
        n_all = int(c["n_completers"]) + int(c["n_dropouts"])
        rows += [
            ("completers", c["n_completers"], c["mean_completers"], _NAN, _NAN),
            ("dropouts", c["n_dropouts"], c["mean_dropouts"], _NAN, _NAN),
            ("difference", n_all, c["diff"], c["ci_low"], c["ci_high"]),
        ]
    frame = pd.DataFrame(
        rows, columns=["analysis", "n_people", "points", "points_ci_low", "points_ci_high"]
    )
    groups = frame["analysis"].isin(["completers", "dropouts", "difference"]) & hidden
    for column in ("points", "points_ci_low", "points_ci_high"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").mask(groups)
    frame = frame.assign(
        n_people=[int(n) for n in frame["n_people"]],
        suppressed=groups.tolist(),
        suppression=["under_5" if g else "" for g in groups],
    )

    def label(analysis: str) -> str:
        return t("att_mi", m=mi["m"]) if analysis == "mi" else t(f"att_{analysis}")

    tidy = _ATTRITION.tidy(frame, label=label)
    shown = tidy.loc[~(tidy["suppressed"] & (tidy["analysis"] == "difference"))]
    return with_tidy(_ATTRITION.show(shown, label=label), tidy)


_COUNTS = ("rci_improved", "rci_unchanged", "rci_declined")

#: The Jacobson-Truax counts of each workshop of the series (its ``rci_*`` summary keys): one
#: row per workshop.
_RELIABLE_CHANGE_BY_WORKSHOP = Table(
    columns=(
        "workshop_id",
        declare("label", source="workshop_id", header="col_workshop"),
        "n",
        *_COUNTS,
    ),
    shown=(shown_label("workshop_id"), shown_count("n"), *map(shown_count, _COUNTS)),
)


def reliable_change_by_workshop(
    workshops: Sequence[Mapping[str, Any]], registry: pd.DataFrame
) -> pd.DataFrame:
    """The Jacobson-Truax counts of each workshop (its ``rci_*`` summary keys), one row each."""
    full = pd.DataFrame(list(workshops))
    full = full.assign(**{k: pd.to_numeric(full[k], errors="coerce") for k in _COUNTS})
    return _RELIABLE_CHANGE_BY_WORKSHOP.display(full, label=lambda w: workshop_label(registry, w))
