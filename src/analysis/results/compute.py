"""What each report shows, computed once: every language-independent result of every report id.

A report's results are named values: tables (data frames), dicts of numbers and, for the pooled
report, the models' :class:`~analysis.stats.pooled.PooledResult`. :data:`WORKSHOP_RESULTS` and
:data:`POOLED_RESULTS` name each result and the function of :mod:`analysis.stats` that computes
it; :func:`compute` calls each of those functions once for all the workshops asked for (their
``by="workshop_id"`` form: one call, every workshop, the same code as on one workshop's rows),
and once on every row for the pooled report, which is one more group.

The notebooks do not call this module directly: :func:`analysis.results.for_report` reads the
results stage's folder when it is current and calls :func:`compute` otherwise, so a notebook
gets the same values by hand, under papermill and in the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import POOLED_ID
from .processed import Processed, coverage

__all__ = ["POOLED_RESULTS", "WORKSHOP_RESULTS", "ReportResults", "compute"]

#: The results both kinds of report show: on a workshop's rows, or on every row.
_SHARED: dict[str, str] = {
    "topics": "stats.topic_table",
    "items": "stats.item_table",
    "item_languages": "stats.item_language_table",
    "option_shares": "stats.option_shares",
    "migration": "stats.answer_migration",
    "distractor_shifts": "stats.distractor_shifts",
    "reliability": "stats.reliability_by_phase",
}

#: A workshop report's results: name -> the function that computes it (on the workshop's rows).
WORKSHOP_RESULTS: dict[str, str] = {
    "summary": "stats.workshop_summary",
    **_SHARED,
    "reliable_change": "stats.reliable_change",
    "reaction": "stats.reaction_summary",
    "subgroups": "stats.subgroup_table",
    "mde": "stats.minimal_detectable_effect",
    "attrition": "stats.attrition_analysis",
}

#: The pooled report's results: name -> the function that computes it (on every row).
POOLED_RESULTS: dict[str, str] = {
    "analysis": "stats.pooled.pooled_analysis",
    "gee": "stats.pooled.item_gee",
    "overall": "stats.paired_summary",
    **_SHARED,
    "phase_means": "stats.phase_means",
}


@dataclass(frozen=True)
class ReportResults:
    """The results of one report: ``values[name]`` for each name of :data:`WORKSHOP_RESULTS`
    (or :data:`POOLED_RESULTS`), also as attributes (``res.topics``)."""

    report_id: str
    values: dict[str, Any] = field(repr=False)

    def __getattr__(self, name: str) -> Any:
        """The result called ``name``."""
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(
                f"report {self.report_id} has no result {name!r}; it has: {', '.join(self.values)}"
            ) from None

    def __dir__(self) -> list[str]:
        """The names of the results, for tab completion in JupyterLab."""
        return [*super().__dir__(), *self.values]


def _report_ids(data: Processed) -> list[str]:
    """The reports the processed data has, in build order: each workshop with questionnaires
    (registry order), then the pooled report when enough workshops have linked participants."""
    cover = coverage(data.path)
    return [*cover.with_questionnaires, *([POOLED_ID] if cover.pooled else [])]


def _split(frame: Any, ids: Sequence[str], by: str = "workshop_id") -> dict[str, Any]:
    """A ``by=`` table split back into each workshop's table (the ``by`` column dropped, the
    index 0..n-1): what the function gives on that workshop's rows alone."""
    parts = {str(k): g for k, g in frame.groupby(by, sort=False, observed=True)}
    empty = frame.iloc[0:0]
    return {w: parts.get(w, empty).drop(columns=by).reset_index(drop=True) for w in ids}


def _split_versions(frame: Any, ids: Sequence[str], empty: Any) -> dict[str, Any]:
    """``item_language_table``'s ``by=`` table split into each workshop's: the columns of the
    language versions that workshop shows (the others are empty for it, being another
    workshop's), its counts integers again; a workshop with no version compared gets the
    function's own empty table (``empty``)."""
    out = {}
    for w, part in _split(frame, ids).items():
        if not len(part):
            out[w] = empty
            continue
        shown = [
            c
            for c in part.columns
            if not (str(c).startswith(("n_", "pct_")) and part[c].isna().all())
        ]
        counts = {c: "int64" for c in shown if str(c).startswith("n_")}
        out[w] = part[shown].astype(counts)
    return out


def _workshops(data: Processed, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Every workshop result of the workshops ``ids``: name -> workshop id -> value."""
    from .. import stats

    kw: dict[str, Any] = {"by": "workshop_id", "groups": list(ids)}
    cb = data.codebook
    scores, paired, answers = data.scores, data.paired, data.answers
    by_phase = stats.reliability_by_phase(answers, cb, **kw)
    reliability = _split(by_phase, ids)
    pre_test = by_phase.loc[by_phase["phase"] == "pre"].set_index("workshop_id")
    summaries = stats.workshop_summary(scores, paired, answers, cb, synthetic=data.synthetic, **kw)
    out: dict[str, dict[str, Any]] = {
        "summary": summaries,
        "topics": _split(stats.topic_table(scores, cb, **kw), ids),
        "items": _split(stats.item_table(answers, cb, **kw), ids),
        "item_languages": _split_versions(
            stats.item_language_table(answers, scores, cb, **kw),
            ids,
            stats.item_language_table(answers.iloc[0:0], scores.iloc[0:0], cb),
        ),
        "option_shares": _split(stats.option_shares(answers, cb, **kw), ids),
        "migration": _split(stats.answer_migration(answers, cb, **kw), ids),
        "distractor_shifts": _split(stats.distractor_shifts(answers, cb, **kw), ids),
        "reliability": reliability,
        "reliable_change": stats.reliable_change(
            paired["pre_pct"],
            paired["post_pct"],
            sd_pre=pre_test["sd"],
            reliability=pre_test["kr20"],
            by=paired["workshop_id"],
            groups=list(ids),
        ),
        "reaction": _split(stats.reaction_summary(answers, cb, **kw), ids),
        "subgroups": _split(stats.subgroup_table(paired, **kw), ids),
        "mde": {},
        "attrition": stats.attrition_analysis(scores, paired, **kw),
    }
    mde: dict[int, float] = {}  # one solve per sample size
    for w in ids:
        n = int(summaries[w]["n_paired"])
        if n not in mde:
            mde[n] = stats.minimal_detectable_effect(n)
        out["mde"][w] = mde[n]
    return out


def _pooled(data: Processed, summaries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every result of the pooled report, the workshops' summaries given (not computed again)."""
    from .. import stats
    from ..stats import pooled

    cb = data.codebook
    scores, paired, answers = data.scores, data.paired, data.answers
    scored = dict.fromkeys(scores["workshop_id"].astype(str))  # in order of first appearance
    values = {
        "analysis": pooled.pooled_analysis(
            scores,
            paired,
            answers,
            cb,
            data.synthetic,
            workshops=[summaries[w] for w in scored],
        ),
        "gee": pooled.item_gee(answers, cb),
        "overall": stats.paired_summary(
            paired["pre_pct"], paired["post_pct"], n_items=data.n_items
        ),
        "topics": stats.topic_table(scores, cb),
        "items": stats.item_table(answers, cb),
        "item_languages": stats.item_language_table(answers, scores, cb),
        "option_shares": stats.option_shares(answers, cb),
        "migration": stats.answer_migration(answers, cb),
        "distractor_shifts": stats.distractor_shifts(answers, cb),
        "reliability": stats.reliability_by_phase(answers, cb),
        "phase_means": stats.phase_means(paired),
    }
    return {
        k: v.reset_index(drop=True) if hasattr(v, "reset_index") else v for k, v in values.items()
    }


def compute(data: Processed, ids: Sequence[str] | None = None) -> dict[str, ReportResults]:
    """The results of the reports ``ids`` (default: :func:`_report_ids`), keyed by report id.

    Each function of :data:`WORKSHOP_RESULTS` is called once for all the workshops asked for;
    the pooled report's functions once on every row, with every workshop's summary computed in
    that same call (so the pooled report's workshops are the workshops' own summaries).
    """
    ids = list(dict.fromkeys(_report_ids(data) if ids is None else ids))
    wanted = [w for w in ids if w != POOLED_ID]
    if POOLED_ID in ids:  # the pooled report needs every workshop's summary
        scored = dict.fromkeys(data.scores["workshop_id"].astype(str))
        wanted = list(dict.fromkeys([*wanted, *scored]))
    per = _workshops(data, wanted) if wanted else {}
    out = {
        w: ReportResults(w, {name: values[w] for name, values in per.items()})
        for w in ids
        if w != POOLED_ID
    }
    if POOLED_ID in ids:
        out[POOLED_ID] = ReportResults(POOLED_ID, _pooled(data, per["summary"]))
    return {w: out[w] for w in ids}
