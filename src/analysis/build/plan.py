"""Which reports a build makes: one job per workshop and language, and the pooled report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import (
    LANGS,
    POOLED_ID,
    POOLED_NOTEBOOK,
    WORKSHOP_NOTEBOOK,
    relative_to_project,
    report_dir,
)
from ..results import REGISTRY_FILE, resolve_workshop, workshop_ids

__all__ = ["Job", "plan"]


@dataclass(frozen=True)
class Job:
    """One report to produce: its id, language, notebook, papermill parameters and folder."""

    report_id: str
    lang: str
    notebook: Path
    parameters: dict = field(hash=False)
    target: Path = field(hash=False, compare=False, default=Path())

    @property
    def label(self) -> str:
        """Short name for messages, e.g. ``W2 (sq)``."""
        return f"{self.report_id} ({self.lang})"


def _job(report_id: str, lang: str, processed: Path, reports: Path) -> Job:
    target = report_dir(reports, report_id, lang)
    params = {
        "processed_dir": relative_to_project(processed),
        "out_dir": relative_to_project(target),
    }
    if report_id == POOLED_ID:
        return Job(report_id, lang, POOLED_NOTEBOOK, {**params, "lang": lang}, target)
    return Job(
        report_id,
        lang,
        WORKSHOP_NOTEBOOK,
        {"workshop_id": report_id, **params, "lang": lang},
        target,
    )


def plan(
    processed: Path,
    reports: Path,
    workshops: list[str] | None = None,
    langs: list[str] | None = None,
    pooled: bool = True,
) -> list[Job]:
    """The reports to produce, after checking the workshop names against the registry."""
    known = workshop_ids(processed)
    source = Path(processed) / REGISTRY_FILE
    chosen = (
        [resolve_workshop(known, w, source, "--workshop") for w in workshops]
        if workshops
        else known
    )
    jobs = []
    for lang in langs or LANGS:
        jobs += [_job(w, lang, processed, reports) for w in dict.fromkeys(chosen)]
        if pooled:
            jobs.append(_job(POOLED_ID, lang, processed, reports))
    return jobs
