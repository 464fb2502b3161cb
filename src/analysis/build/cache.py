"""The report cache: a report is rebuilt only when what it depends on changed.

A report's key is the SHA-256 over the processed data, its notebook, the package's source
(code, language files, templates) and its parameters. The key, the processed data's fingerprint
and a digest of the report folder's own files are written as the folder's stamp
(``.build-key``); a folder whose stamp or files differ is stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..config import POOLED_ID
from ..hashing import Digests, file_digest, folder_digests, folder_sha256, source_digests, update
from .pdf import REPORT_PDF
from .plan import Job

__all__ = [
    "CACHE_FILE",
    "Inputs",
    "data_fingerprint",
    "outputs_digest",
    "cache_key",
    "write_stamp",
    "stale_jobs",
    "stale_reports",
]

CACHE_FILE = ".build-key"


def data_fingerprint(processed: Path) -> str:
    """SHA-256 over the processed data files (names and bytes; hidden files left out)."""
    return folder_sha256(processed)


def outputs_digest(folder: Path) -> str:
    """SHA-256 over the files of a report folder (names and bytes), its cache stamp and its PDF
    left out.

    Recorded in the stamp when the report is written, so that a report folder edited or
    overwritten since (a notebook run by hand into ``reports/``, say) counts as stale.
    """
    h = hashlib.sha256()
    # the PDF is made from report.html (python -m analysis pdf), which the digest holds
    update(h, folder_digests(folder, recursive=True, skip=[CACHE_FILE, REPORT_PDF]))
    return h.hexdigest()


@dataclass(frozen=True)
class Inputs:
    """Digests of what the reports depend on, read once per run (not once per report)."""

    data: str
    source: Digests
    notebooks: dict = field(hash=False)

    @classmethod
    def read(cls, processed: Path, notebooks: list[Path]) -> Inputs:
        """Hash the processed data, the package's source and the given notebooks."""
        return cls(
            data=data_fingerprint(processed),
            source=source_digests(),
            notebooks={nb: file_digest(nb) for nb in set(notebooks)},
        )


def cache_key(job: Job, inputs: Inputs) -> str:
    """Content address of a report: processed data, notebook, package source, parameters."""
    h = hashlib.sha256()
    h.update(inputs.data.encode())
    h.update(inputs.notebooks[job.notebook])
    update(h, inputs.source)
    h.update(json.dumps(job.parameters, sort_keys=True).encode())
    return h.hexdigest()


def _read_stamp(folder: Path) -> dict:
    """The stamp of a report folder (empty when there is none or it is unreadable)."""
    try:
        return json.loads((folder / CACHE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def write_stamp(folder: Path, key: str, data: str) -> None:
    """Write the stamp of a finished report folder: its key, data and files' digest."""
    stamp = {"key": key, "processed": data, "outputs": outputs_digest(folder)}
    (folder / CACHE_FILE).write_text(json.dumps(stamp) + "\n")


def stale_jobs(jobs: list[Job], processed: Path, force: bool = False) -> list[tuple[Job, str]]:
    """The jobs to execute, with their cache keys, in the order to run them.

    A report is fresh (left out) when its folder's stamp holds the job's current
    :func:`cache_key` and the folder's files are still those written with it; ``force`` makes
    every job stale. Pooled reports come first: they are the longest, so starting them early
    keeps every worker busy until the end.
    """
    inputs = Inputs.read(processed, [job.notebook for job in jobs])
    stale = []
    for job in jobs:
        key = cache_key(job, inputs)
        stamp = _read_stamp(job.target)
        if force or stamp.get("key") != key or stamp.get("outputs") != outputs_digest(job.target):
            stale.append((job, key))
    return sorted(stale, key=lambda s: s[0].report_id != POOLED_ID)


def stale_reports(reports: Path, processed: Path, current: str | None = None) -> list[str]:
    """Notes for report folders built from other processed data than the current one."""
    current = current or data_fingerprint(processed)
    notes = []
    for stamp in sorted(reports.glob(f"**/{CACHE_FILE}")):
        shown = _read_stamp(stamp.parent).get("processed")
        if shown and shown != current:
            notes.append(
                f"note: {stamp.parent.relative_to(reports)} shows older processed data than "
                f"{processed}; rerun 'python -m analysis report' to update it"
            )
    return notes
