"""Which reports a build makes: one job per workshop and language, and the pooled report.

Only a workshop with questionnaires gets a report: one with no scored questionnaire in the
processed data (``flow.csv``: ``scored_pre`` and ``scored_post`` both 0) is left out, and the
index lists it as having none. The pooled report is made only when at least
:data:`MIN_POOLED` workshops have linked participants (``flow.csv``: ``paired``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import check_inside
from ..config import (
    ALL_LANGS,
    LANGS,
    POOLED_ID,
    POOLED_NOTEBOOK,
    WORKSHOP_NOTEBOOK,
    relative_to_project,
    report_dir,
)
from ..errors import DataError
from ..results import FLOW_FILE, REGISTRY_FILE, coverage, resolve_workshop

__all__ = ["Job", "plan"]


@dataclass(frozen=True)
class Job:
    """One report to produce: its id, language, notebook, papermill parameters and folder."""

    report_id: str
    lang: str
    notebook: Path
    parameters: dict = field(hash=False)
    target: Path = field(hash=False, compare=False, default=Path())
    #: The reports folder the job's folder must lie in (checked before anything is written).
    root: Path = field(hash=False, compare=False, default=Path())

    @property
    def label(self) -> str:
        """Short name for messages, e.g. ``W2 (sq)``."""
        return f"{self.report_id} ({self.lang})"


def _target(reports: Path, report_id: str, lang: str) -> Path:
    """The report's folder, a folder of its own right inside its language's folder: an id that
    is a path (``../x``, ``/tmp/x``, ``a/b``, ``.``) is refused, whatever the registry holds."""
    target = report_dir(reports, report_id, lang)
    base = report_dir(reports, POOLED_ID, lang).parent
    resolved = check_inside(target, reports, f"the folder of report {report_id!r}")
    clash = lang == LANGS[0] and report_id in ALL_LANGS  # reports/sq holds the Albanian reports
    if (
        resolved.parent != base.resolve()
        or resolved.name != report_id
        or clash
        or report_id[0] == "."
    ):
        raise DataError(
            f"the workshop id {report_id!r} is not a plain name (it would make the report folder "
            f"{resolved}, not a folder of its own in {base}); workshop ids in workshops.csv are "
            "names like W1; nothing was written"
        )
    return target


def _job(report_id: str, lang: str, processed: Path, reports: Path) -> Job:
    target = _target(reports, report_id, lang)
    params = {
        "processed_dir": relative_to_project(processed),
        "out_dir": relative_to_project(target),
    }
    if report_id == POOLED_ID:
        return Job(report_id, lang, POOLED_NOTEBOOK, {**params, "lang": lang}, target, reports)
    return Job(
        report_id,
        lang,
        WORKSHOP_NOTEBOOK,
        {"workshop_id": report_id, **params, "lang": lang},
        target,
        reports,
    )


def plan(
    processed: Path,
    reports: Path,
    workshops: list[str] | None = None,
    langs: list[str] | None = None,
    pooled: bool = True,
) -> list[Job]:
    """The reports to produce, after checking the workshop names against the registry.

    A workshop without questionnaires gets no report (a ``--workshop`` naming it stops with a
    :class:`DataError`); the pooled report is left out unless :data:`MIN_POOLED` workshops have
    linked participants.
    """
    cover = coverage(processed)
    known = list(cover.workshops)
    source = Path(processed) / REGISTRY_FILE
    for lang in langs or LANGS:  # every id of the registry, with questionnaires or not
        for w in known:
            _target(reports, w, lang)
    if workshops:
        chosen = [resolve_workshop(known, w, source, "--workshop") for w in workshops]
        empty = [w for w in dict.fromkeys(chosen) if w not in cover.with_questionnaires]
        if empty:
            have = ", ".join(cover.with_questionnaires) or "none"
            raise DataError(
                f"--workshop {' '.join(empty)}: {'has' if len(empty) == 1 else 'have'} no "
                f"questionnaires (no scored pre-test or post-test in "
                f"{Path(processed) / FLOW_FILE}), so no report can be made; add "
                f"{'its' if len(empty) == 1 else 'their'} exports to the raw folder's responses/ "
                f"and run 'python -m analysis build'. Workshops with questionnaires: {have}; "
                "nothing was written"
            )
    else:
        chosen = list(cover.with_questionnaires)
    jobs = []
    for lang in langs or LANGS:
        jobs += [_job(w, lang, processed, reports) for w in dict.fromkeys(chosen)]
        if pooled and cover.pooled:
            jobs.append(_job(POOLED_ID, lang, processed, reports))
    return jobs
