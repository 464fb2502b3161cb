"""The published columns: each declared once, with its name, unit and words.

A column of a tidy table (``tables/<name>.csv``, ``tables.xlsx``) is published under one name,
whatever the statistic behind it calls it: the mean gain is ``estimate`` in the tables and
``diff_mean`` in the statistics. Its declaration here (:class:`Column`) says everything the
report needs to know about it: the name, the unit (which also fixes how its values are written:
a ``count`` as a whole number, a ``boolean`` as ``True``/``False``, an ``id`` or ``text`` as
text, everything else as a number at full precision), the message of its description in
``tables/dictionary.csv``, the message of its header where a report's table shows it, and the
key of the statistic it is read from where that differs from its name.

A table that publishes a column with another meaning or from another statistic declares it
for itself (:func:`declare`: the registry's entry with the differences, e.g. the item table's
``p`` read from ``mcnemar_p``); the tables, their headers and the dictionary are built from
these declarations (:mod:`analysis.present.tidy`), and a column declared nowhere is never
published (:func:`described` raises ``KeyError``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..config import LANGS

__all__ = ["UNITS", "Column", "COLUMNS", "declare", "described"]

#: The units of the dictionary; ``count``, ``boolean``, ``id`` and ``text`` are written as whole
#: numbers, flags and text, the others as numbers at full precision.
UNITS = (
    "id",
    "text",
    "count",
    "boolean",
    "percent",
    "percentage_points",
    "proportion",
    "ratio",
    "probability",
    "correlation",
    "coefficient",
    "standard_deviations",
    "test_statistic",
    "degrees_of_freedom",
    "scale_1_5",
    "see_label",
)


@dataclass(frozen=True)
class Column:
    """One published column."""

    #: The column's name in the tidy tables (snake_case).
    name: str
    #: Its unit in the dictionary (one of :data:`UNITS`).
    unit: str
    #: The message key of its description in ``tables/dictionary.csv``.
    description: str
    #: The message key of its header where a shown table has a column of its own for it.
    header: str | None = None
    #: The key of the statistic it is read from (a column of a statistics table, a key of a
    #: summary), where that differs from ``name``.
    source: str | None = None
    #: A text per report language: published as ``<name>_<lang>`` for every language of
    #: :data:`analysis.config.LANGS`, each described as ``<name>`` in that language.
    per_language: bool = False

    @property
    def key(self) -> str:
        """The statistic's key the column is read from."""
        return self.source or self.name


def _registry(*columns: Column) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for column in columns:
        if column.name in out:
            raise ValueError(f"column {column.name!r} is declared twice")
        if column.unit not in UNITS:
            raise ValueError(f"column {column.name!r}: unknown unit {column.unit!r}")
        out[column.name] = column
    return out


_C = Column

#: Every published column, by name.
COLUMNS: dict[str, Column] = _registry(
    # identifiers and the texts a reader needs, one column per language
    _C("stage", "id", "dict_stage"),
    _C("topic", "id", "dict_topic"),
    _C("item_id", "id", "dict_item_id"),
    _C("workshop_id", "id", "dict_workshop_id"),
    _C("variable", "id", "dict_variable"),
    _C("group", "id", "dict_group"),
    _C("term", "id", "dict_term"),
    _C("phase", "id", "dict_phase"),
    _C("category", "id", "dict_category"),
    _C("analysis", "id", "dict_analysis"),
    _C("version", "id", "dict_version"),
    _C("choice", "id", "dict_choice"),
    _C("label", "text", "dict_label", per_language=True),
    _C("variable_label", "text", "dict_variable_label", "col_variable", per_language=True),
    _C("group_label", "text", "dict_group_label", "col_group", per_language=True),
    _C("version_label", "text", "dict_version_label", per_language=True),
    # counts of people and questionnaires
    _C("pre", "count", "dict_flow_pre", "col_pre"),
    _C("post", "count", "dict_flow_post", "col_post"),
    _C("n", "count", "dict_n", "col_n", source="n_paired"),
    _C("n_pre", "count", "dict_n_pre"),
    _C("n_post", "count", "dict_n_post"),
    _C("n_items", "count", "dict_n_items"),
    _C("n_people", "count", "dict_n_people", "col_n"),
    # scores and the gain
    _C("pre_mean", "percent", "dict_pre_mean", "col_pre_mean"),
    _C("pre_sd", "percentage_points", "dict_pre_sd"),
    _C("post_mean", "percent", "dict_post_mean", "col_post_mean"),
    _C("post_sd", "percentage_points", "dict_post_sd"),
    _C("estimate", "see_label", "dict_estimate", "col_gain", source="diff_mean"),
    _C("sd", "percentage_points", "dict_sd", source="diff_sd"),
    _C("ci_low", "see_label", "dict_ci_low", "col_ci", source="diff_ci_low"),
    _C("ci_high", "see_label", "dict_ci_high", "col_ci", source="diff_ci_high"),
    # tests
    _C("test", "id", "dict_test", "col_test"),
    _C("statistic", "test_statistic", "dict_statistic", "col_statistic", source="t_stat"),
    _C("df", "degrees_of_freedom", "dict_df", "col_df", source="t_df"),
    _C("df_den", "degrees_of_freedom", "dict_df_den"),
    _C("p", "probability", "dict_p", "col_p", source="t_p"),
    _C("p_holm", "probability", "dict_p_holm", "col_p_holm", source="t_p_holm"),
    _C("wilcoxon_p", "probability", "dict_wilcoxon_p", "col_wilcoxon_p"),
    _C("wilcoxon_p_holm", "probability", "dict_wilcoxon_p_holm", "col_wilcoxon_p_holm"),
    # effect sizes
    _C("rank_biserial", "correlation", "dict_rank_biserial", "col_rank_biserial"),
    _C("d_z", "standard_deviations", "dict_d_z", "col_d_z"),
    _C("d_z_ci_low", "standard_deviations", "dict_d_z_ci_low", "col_d_z_ci"),
    _C("d_z_ci_high", "standard_deviations", "dict_d_z_ci_high", "col_d_z_ci"),
    _C("g_av", "standard_deviations", "dict_g_av", "col_g_av"),
    _C("hake_g", "ratio", "dict_hake_g", "col_hake_g"),
    _C("mean_norm_change", "ratio", "dict_mean_norm_change", "col_norm_change"),
    _C("pct_improved", "percent", "dict_pct_improved", "col_improved"),
    _C("pct_unchanged", "percent", "dict_pct_unchanged"),
    _C("pct_declined", "percent", "dict_pct_declined"),
    # items
    _C("pre_pct_correct", "percent", "dict_pre_pct_correct", "col_pre_correct"),
    _C("post_pct_correct", "percent", "dict_post_pct_correct", "col_post_correct"),
    _C("change_pct", "percentage_points", "dict_change_pct"),
    _C("n_gained", "count", "dict_n_gained", "col_gained_lost"),
    _C("n_lost", "count", "dict_n_lost"),
    _C("difficulty_pre", "proportion", "dict_difficulty_pre", "col_difficulty"),
    _C("difficulty_post", "proportion", "dict_difficulty_post"),
    _C("discrimination_pre", "correlation", "dict_discrimination_pre", "col_discrimination"),
    _C("discrimination_post", "correlation", "dict_discrimination_post"),
    _C("ceiling", "boolean", "dict_ceiling", "col_flags"),
    _C("negative_discrimination", "boolean", "dict_negative_discrimination"),
    # reaction items: the answers 1-5 counted and as a share
    _C("n_missing", "count", "dict_n_missing"),
    *(_C(f"n_{v}", "count", "dict_n_answer") for v in range(1, 6)),
    *(_C(f"pct_{v}", "percent", "dict_pct_answer") for v in range(1, 6)),
    _C("pct_agree", "percent", "dict_pct_agree", "col_agree"),
    _C("median", "scale_1_5", "dict_median", "col_median"),
    # subgroups: suppressed cells
    _C("suppressed", "boolean", "dict_suppressed"),
    _C("suppression", "id", "dict_suppression"),
    # sensitivity
    _C("alpha", "probability", "dict_alpha"),
    _C("power", "probability", "dict_power"),
    _C("mde_d_z", "standard_deviations", "dict_mde_d_z"),
    # reliability
    _C("kr20_pre", "coefficient", "dict_kr20_pre"),
    _C("kr20_post", "coefficient", "dict_kr20_post"),
    _C("n_scored", "count", "dict_n_scored", "col_n", source="n"),
    _C("k", "count", "dict_k"),
    _C("kr20", "coefficient", "dict_kr20", "col_kr20"),
    _C("kr20_ci_low", "coefficient", "dict_kr20_ci_low", "col_ci", source="ci_low"),
    _C("kr20_ci_high", "coefficient", "dict_kr20_ci_high", "col_ci", source="ci_high"),
    _C("sd_score", "percentage_points", "dict_sd_score", "col_sd", source="sd"),
    _C("sem", "percentage_points", "dict_sem", "col_sem"),
    # options chosen and how answers moved
    _C("is_key", "boolean", "dict_is_key"),
    _C("n_chose_pre", "count", "dict_n_chose_pre"),
    _C("pct_chose_pre", "percent", "dict_pct_chose_pre"),
    _C("n_chose_post", "count", "dict_n_chose_post"),
    _C("pct_chose_post", "percent", "dict_pct_chose_post"),
    _C("n_stayed_correct", "count", "dict_n_stayed_correct", "fig_migration_stayed_correct"),
    _C("n_learned", "count", "dict_n_learned", "fig_migration_learned"),
    _C("n_forgot", "count", "dict_n_forgot", "fig_migration_forgot"),
    _C("n_wrong_moved", "count", "dict_n_wrong_moved", "fig_migration_wrong_moved"),
    _C("n_wrong_same", "count", "dict_n_wrong_same", "fig_migration_wrong_same"),
    # reliable change
    _C("n_category", "count", "dict_n_category", "col_n"),
    _C("pct_category", "percent", "dict_pct_category", "col_share"),
    _C("rci_improved", "count", "dict_rci_improved", "rci_improved"),
    _C("rci_unchanged", "count", "dict_rci_unchanged", "rci_unchanged"),
    _C("rci_declined", "count", "dict_rci_declined", "rci_declined"),
    # attrition
    _C("points", "see_label", "dict_points", "col_points"),
    _C("points_ci_low", "see_label", "dict_points_ci_low", "col_ci"),
    _C("points_ci_high", "see_label", "dict_points_ci_high", "col_ci"),
    # the language versions of the questionnaire
    _C("n_version_pre", "count", "dict_n_version_pre"),
    _C("pct_version_pre", "percent", "dict_pct_version_pre"),
    _C("n_version_post", "count", "dict_n_version_post"),
    _C("pct_version_post", "percent", "dict_pct_version_post"),
    _C("diff_pre", "percentage_points", "dict_diff_pre"),
    _C("diff_post", "percentage_points", "dict_diff_post"),
    _C("versions_differ", "boolean", "dict_versions_differ", "col_flags"),
)


def declare(name: str, **changes: str | bool | None) -> Column:
    """The registry's column ``name`` as one table publishes it: with ``changes`` (``source``,
    ``header``, ``description``, ``unit``) where that table differs.

    >>> declare("p", source="mcnemar_p").key, declare("p").key
    ('mcnemar_p', 't_p')
    """
    column = replace(COLUMNS[name], **changes)
    if column.unit not in UNITS:
        raise ValueError(f"column {name!r}: unknown unit {column.unit!r}")
    return column


def described(name: str, declared: Mapping[str, Column] | None = None) -> tuple[Column, str]:
    """The declaration describing the published column ``name`` (from ``declared``, a table's
    own, else the registry) and the language of a per-language column (``""`` for others).

    Raises ``KeyError`` for a column declared nowhere.

    >>> described("label_sq")[0].name, described("label_sq")[1], described("n_3")[0].description
    ('label', 'sq', 'dict_n_answer')
    """
    known = {**COLUMNS, **(declared or {})}
    if name in known and not known[name].per_language:
        return known[name], ""
    for lang in LANGS:
        base = name.removesuffix(f"_{lang}")
        if base != name and base in known and known[base].per_language:
            return known[base], lang
    raise KeyError(name)
