"""Statistics of the evaluation (METHODS), one idea per module.

* ``measures``: single statistics, one function per statistic (``paired_summary``, ``kr20``,
  ``holm``, ``mcnemar_exact``, ...), on numbers and arrays.
* ``tables``: tables on processed frames (``topic_table``, ``item_table``,
  ``reaction_summary``, ``knowledge_matrix``, ``kr20_by_phase``).
* ``languages``: the questionnaire's language versions compared item by item
  (``item_language_table``), a check of the translation.
* ``disclosure``: the subgroup table with small cells suppressed (``subgroup_table``).
* ``contract``: the keys of the summary files (``SUMMARY_KEYS``, ``POOLED_KEYS``) and
  ``workshop_summary``.
* ``mixed``: the guarded random-intercept mixed model (``fit_random_intercept``), on the
  exact profile-likelihood engine of ``profile``.
* ``pooled``: the pooled report's models (``from analysis.stats.pooled import ...``).

Functions on frames take frames already restricted to the rows wanted: one workshop's rows,
or every row for the pooled picture; split the processed data by workshop once, e.g.
``dict(iter(paired.groupby("workshop_id", sort=False)))``. The per-workshop API is re-exported
here (``from analysis import stats; stats.paired_summary(...)``).
"""

from ..clean.scoring import normalized_change
from .contract import POOLED_KEYS, SUMMARY_KEYS, workshop_summary
from .disclosure import (
    HIDDEN,
    OTHER,
    SUBGROUP_COLUMNS,
    SUPPRESSED,
    YEARS_BANDS,
    complementary_suppression,
    differencing_suppression,
    subgroup_table,
    years_band,
)
from .languages import item_language_table
from .measures import (
    MDE_ALPHA,
    MDE_POWER,
    NAN,
    PAIRED_KEYS,
    d_z_exact_ci,
    holm,
    item_total_correlation,
    kr20,
    mcnemar_exact,
    mean_ci,
    minimal_detectable_effect,
    paired_summary,
    rank_biserial,
)
from .tables import (
    ITEM_COLUMNS,
    PHASE_MEANS_COLUMNS,
    REACTION_COLUMNS,
    TOPIC_COLUMNS,
    ZERO_TOLERANCE,
    item_table,
    knowledge_matrix,
    kr20_by_phase,
    phase_means,
    reaction_summary,
    topic_table,
)

__all__ = [
    "item_language_table",
    # contract
    "SUMMARY_KEYS",
    "POOLED_KEYS",
    "workshop_summary",
    # measures
    "NAN",
    "MDE_ALPHA",
    "MDE_POWER",
    "PAIRED_KEYS",
    "normalized_change",  # defined in clean.scoring, where paired gets it
    "mean_ci",
    "rank_biserial",
    "d_z_exact_ci",
    "paired_summary",
    "kr20",
    "holm",
    "mcnemar_exact",
    "minimal_detectable_effect",
    "item_total_correlation",
    # tables
    "TOPIC_COLUMNS",
    "ITEM_COLUMNS",
    "REACTION_COLUMNS",
    "knowledge_matrix",
    "kr20_by_phase",
    "topic_table",
    "item_table",
    "reaction_summary",
    "ZERO_TOLERANCE",
    "PHASE_MEANS_COLUMNS",
    "phase_means",
    # disclosure
    "SUPPRESSED",
    "HIDDEN",
    "OTHER",
    "YEARS_BANDS",
    "SUBGROUP_COLUMNS",
    "years_band",
    "complementary_suppression",
    "differencing_suppression",
    "subgroup_table",
]
