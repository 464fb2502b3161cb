"""Statistics of the evaluation (METHODS), one idea per module.

* ``measures``: single statistics, one function per statistic (``paired_summary``, ``kr20``,
  ``holm``, ``mcnemar_exact``, ...), on numbers and arrays.
* ``tables``: tables on processed frames (``topic_table``, ``item_table``,
  ``reaction_summary``, ``scored_questionnaires``, ``knowledge_matrix``, ``kr20_by_phase``).
* ``languages``: the questionnaire's language versions compared item by item
  (``item_language_table``), a check of the translation.
* ``disclosure``: the subgroup table with small cells suppressed (``subgroup_table``).
* ``contract``: the keys of the summary files (``SUMMARY_KEYS``, ``POOLED_KEYS``) and
  ``workshop_summary``.
* ``mixed``: the guarded random-intercept mixed model (``fit_random_intercept``), on the
  exact profile-likelihood engine of ``profile``.
* ``reliability``: KR-20 with its Feldt interval and the SEM (``kr20_feldt_ci``,
  ``reliability_by_phase``).
* ``distractors``: the options chosen, the answers' pre->post migration and the distractors
  chosen more after the workshop (``option_shares``, ``answer_migration``,
  ``distractor_shifts``).
* ``change``: the Jacobson-Truax reliable change index (``reliable_change``).
* ``attrition``: what attrition could hide (``completer_comparison``, ``impute_gain``,
  ``rubin_pool``, ``no_change_gain``, ``attrition_analysis``).
* ``bayes``: the JZS Bayes factor of the paired t-test and its category (``bf10_jzs``,
  ``bf_category``).
* ``groups``: the groups of a statistic's ``by=`` (``Groups``, ``by_column``, ``by_labels``)
  and the groups' rows stacked by size (``size_stacks``, ``group_sums``, ...).
* ``pooled``: the pooled report's models (``from analysis.stats.pooled import ...``).
* ``gee``: the logistic GEE with an exchangeable working correlation, statsmodels' algorithm
  vectorized over clusters (``exchangeable_logit_gee``), for ``pooled.item_gee``.

Functions on frames take the rows wanted: one workshop's rows, or every row for the pooled
picture. Every per-report statistic also computes every workshop at once, by the same code:
``by="workshop_id"`` (for statistics of arrays, an array of labels) and ``groups`` (the
workshops and their order) give each workshop's result, what the call gives on that
workshop's rows alone (a frame: the workshops' rows one after another, ``workshop_id``
first; anything else: a dict keyed by workshop id; the rules in ``groups``). The API is
re-exported here (``from analysis import stats; stats.paired_summary(...)``).
"""

from ..clean.scoring import normalized_change
from .attrition import (
    MI_IMPUTATIONS,
    MI_SEED,
    MIN_GROUP,
    attrition_analysis,
    completer_comparison,
    impute_gain,
    no_change_gain,
    rubin_pool,
)
from .bayes import JZS_SCALE, bf10_jzs, bf_category
from .change import RCI_CRITICAL, reliable_change
from .contract import POOLED_KEYS, SUMMARY_KEYS, workshop_summary
from .disclosure import (
    HIDDEN,
    MIN_CELL,
    OTHER,
    SUPPRESSED,
    complementary_suppression,
    differencing_suppression,
    subgroup_table,
    years_band,
)
from .distractors import (
    LETTERS,
    MIGRATIONS,
    answer_choices,
    answer_migration,
    distractor_shifts,
    option_shares,
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
from .reliability import (
    READABLE_RELIABILITY,
    kr20_feldt_ci,
    reliability_by_phase,
    standard_error_of_measurement,
)
from .tables import (
    ZERO_TOLERANCE,
    Questionnaires,
    item_table,
    knowledge_matrix,
    kr20_by_phase,
    phase_means,
    reaction_summary,
    scored_questionnaires,
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
    "Questionnaires",
    "scored_questionnaires",
    "knowledge_matrix",
    "kr20_by_phase",
    "topic_table",
    "item_table",
    "reaction_summary",
    "ZERO_TOLERANCE",
    "phase_means",
    # disclosure
    "MIN_CELL",
    "SUPPRESSED",
    "HIDDEN",
    "OTHER",
    "years_band",
    "complementary_suppression",
    "differencing_suppression",
    "subgroup_table",
    # reliability
    "READABLE_RELIABILITY",
    "kr20_feldt_ci",
    "standard_error_of_measurement",
    "reliability_by_phase",
    # distractors
    "LETTERS",
    "MIGRATIONS",
    "answer_choices",
    "option_shares",
    "answer_migration",
    "distractor_shifts",
    # change
    "RCI_CRITICAL",
    "reliable_change",
    # attrition
    "MIN_GROUP",
    "MI_IMPUTATIONS",
    "MI_SEED",
    "completer_comparison",
    "rubin_pool",
    "impute_gain",
    "no_change_gain",
    "attrition_analysis",
    # bayes
    "JZS_SCALE",
    "bf10_jzs",
    "bf_category",
]
