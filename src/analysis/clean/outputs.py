"""Writing the clean step's tables to ``data/processed`` and knowing when they are current.

The folder is written atomically with a manifest of its files' SHA-256 and a key
(:data:`CLEAN_STAMP`) over the raw files, the package's source, the package versions and the
commit, so that ``build`` skips cleaning when nothing changed. Hashing is
:mod:`analysis.hashing`'s.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .. import hashing
from ..atomic import atomic_dir, check_output_folder, check_replaceable
from ..spreadsheet import defuse_frame
from .provenance import code_commit, package_versions, raw_hashes

if TYPE_CHECKING:  # the cleaning (and pandas) is imported when a clean runs, not for the check
    from .pipeline import CleanResult

__all__ = ["CLEAN_STAMP", "processed_is_current", "run_clean"]

CLEAN_STAMP = ".clean-key"


def _clean_key(raw: Path) -> str:
    """Content address of a clean run: every raw file, the package's source, versions, commit.

    ``build`` skips the clean step when ``data/processed`` carries this key already.
    """
    h = hashlib.sha256()
    h.update(json.dumps(raw_hashes(raw), sort_keys=True).encode())
    hashing.update(h, hashing.source_digests())
    h.update(json.dumps(package_versions(), sort_keys=True).encode())
    h.update(code_commit().encode())
    return h.hexdigest()


def processed_is_current(raw: Path, processed: Path) -> bool:
    """True when ``processed`` was cleaned from ``raw`` by this code and is intact."""
    processed = Path(processed)
    try:
        stamp = (processed / CLEAN_STAMP).read_text().strip()
        written = json.loads((processed / "manifest.json").read_text())["processed"]
    except (OSError, ValueError, KeyError):
        return False
    present = {p.name for p in processed.iterdir() if p.is_file() and not p.name.startswith(".")}
    if present != {*written, "manifest.json"}:
        return False
    if any(hashing.file_sha256(processed / n) != d for n, d in written.items()):
        return False
    return stamp == _clean_key(Path(raw))


def _write_processed(result: CleanResult, processed: Path, key: str | None = None) -> None:
    """Write the processed tables atomically: all of them replace the old folder, or none.

    ``key`` (see ``_clean_key``) is kept beside them so that an unchanged build can skip cleaning.
    The folder must be one the project may write (:func:`analysis.atomic.check_output_folder`)
    and is replaced only when absent, empty or written by the clean step (it carries the
    marker or :data:`CLEAN_STAMP`); else a :class:`DataError`, and nothing is touched.
    """
    processed = check_output_folder(processed, "--processed")
    with atomic_dir(processed, owned=[CLEAN_STAMP], marker="clean") as tmp:
        result.answers.to_parquet(tmp / "answers.parquet", index=False)
        for name in ("scores", "paired"):
            frame = getattr(result, name)
            defuse_frame(frame).to_csv(tmp / f"{name}.csv", index=False)
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        # CSVs for people and spreadsheets: no text cell a spreadsheet would run
        defuse_frame(result.log).to_csv(tmp / "cleaning_log.csv", index=False)
        defuse_frame(result.flow).to_csv(tmp / "flow.csv", index=False)
        defuse_frame(result.registry).to_csv(tmp / "workshops.csv", index=False)
        defuse_frame(result.codebook).to_csv(tmp / "codebook.csv", index=False)
        manifest = dict(result.manifest)
        manifest["processed"] = {
            name.decode(): digest.hex() for name, digest in hashing.folder_digests(tmp)
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        if key:
            (tmp / CLEAN_STAMP).write_text(key + "\n")


def run_clean(raw: Path, processed: Path) -> CleanResult:
    """Clean ``raw`` into ``processed`` and return the result.

    ``processed`` is checked first (never the raw folder, a folder holding it, the project
    folder, a file...): a wrong ``--processed`` stops before anything is read or written.
    """
    check_output_folder(processed, "--processed", raw=[raw])
    check_replaceable(Path(processed), "--processed", owned=[CLEAN_STAMP])
    from .pipeline import clean

    key = _clean_key(Path(raw)) if Path(raw).is_dir() else None
    result = clean(raw)
    _write_processed(result, processed, key)
    return result
