"""Report figures, in the current language (:func:`analysis.present.locale.current`).

Every figure function takes a plain table (the columns are listed in its docstring), returns a
:class:`matplotlib.figure.Figure` and draws nothing else. Figures are created with
``matplotlib.figure.Figure`` directly, not through ``pyplot``: they are not registered with the
pyplot figure manager, so there is nothing to close (a figure is freed when no longer
referenced) and no figure is shown twice in a notebook. Display one with
``IPython.display.display(fig)`` or as the last expression of a cell; write it with :func:`save`.

Words come from the language files (:func:`analysis.present.locale.t`) and numbers from
``fmt_num``/``fmt_p``; item, topic and workshop labels are passed in by the caller as display
text and are not translated.

Small numbers: the functions never fail on empty or tiny inputs; they draw an empty-state
message instead. Figures of individual scores (``paired_slopes``, ``score_distributions``) show
nothing below :data:`MIN_N` people, and rows of aggregate tables whose ``n``/``n_paired`` column
is below :data:`MIN_N` (or is the suppression mark ``"<5"``) are not drawn. Suppressing subgroup
cells under 5 is the job of the tables upstream (``stats``); the check here is a second guard.
"""

from .base import (
    LIKERT_COLOURS,
    MIN_N,
    OKABE_ITO,
    PALETTE,
    mark_synthetic,
    save,
    set_theme,
)
from .compare import forest_plot, workshop_means
from .distractors import answer_migration_bars
from .items import item_dumbbell, reaction_bars, topic_change
from .scores import flow_figure, paired_slopes, score_distributions

__all__ = [
    "MIN_N",
    "PALETTE",
    "OKABE_ITO",
    "LIKERT_COLOURS",
    "set_theme",
    "save",
    "mark_synthetic",
    "flow_figure",
    "paired_slopes",
    "score_distributions",
    "topic_change",
    "item_dumbbell",
    "reaction_bars",
    "forest_plot",
    "workshop_means",
    "answer_migration_bars",
]
