"""Provenance: hashes of the raw inputs, package versions, the code commit, the synthetic flag."""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from ..config import PROJECT_ROOT, SIMULATOR_MANIFEST
from ..errors import DataError
from ..hashing import file_sha256, folder_digests
from ..raw.labels import visible
from ..raw.readers import responses_files

__all__ = [
    "build_manifest",
    "check_not_mixed",
    "code_commit",
    "is_synthetic",
    "package_versions",
    "raw_hashes",
    "split_synthetic",
]

_PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill")


def raw_hashes(raw: Path) -> dict[str, str]:
    """SHA-256 of every file of the raw folder, keyed by its path relative to ``raw``."""
    return {name.decode(): digest.hex() for name, digest in folder_digests(raw, recursive=True)}


def split_synthetic(
    raw: Path, hashes: dict[str, str] | None = None
) -> tuple[list[Path], list[Path]]:
    """The exports of ``responses/`` (see ``readers.responses_files``) as ``(written by the
    simulator, others)``: an export is the simulator's when its hash is in its manifest.

    Without a readable manifest every export is another's. ``hashes`` (from
    :func:`raw_hashes`) saves hashing the exports a second time."""
    raw = Path(raw)
    if not (raw / "responses").is_dir():
        return [], []
    responses = responses_files(raw / "responses")[0]
    manifest = raw / SIMULATOR_MANIFEST
    try:
        written = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
    except (ValueError, OSError):
        written = {}
    files = written.get("files", written) if isinstance(written, dict) else {}
    hashes = hashes or {}

    def digest(p: Path) -> str:
        """The export's SHA-256, from ``hashes`` when it was hashed already."""
        rel = p.relative_to(raw).as_posix()
        return hashes[rel] if rel in hashes else file_sha256(p)

    ours = [p for p in responses if files and files.get(p.relative_to(raw).as_posix()) == digest(p)]
    return ours, [p for p in responses if p not in ours]


def is_synthetic(raw: Path, hashes: dict[str, str] | None = None) -> bool:
    """True when every export of ``responses/`` (the files the clean step reads, see
    ``readers.responses_files``) is one the simulator wrote (its hash is in its manifest).

    ``hashes`` (from :func:`raw_hashes`) saves hashing the exports a second time."""
    ours, others = split_synthetic(raw, hashes)
    return bool(ours) and not others


def check_not_mixed(raw: Path) -> None:
    """Stop when ``responses/`` holds synthetic exports (the simulator's) beside other files.

    Merged, the synthetic answers would be counted as real ones and the SYNTHETIC banner would
    go off; the error names the synthetic files to delete."""
    ours, others = split_synthetic(raw)
    if ours and others:
        raise DataError(
            f"{Path(raw) / 'responses'}: holds {len(ours)} synthetic export(s) written by the "
            f"simulator ({', '.join(visible(p.name) for p in ours)}) beside {len(others)} "
            f"other file(s) ({', '.join(visible(p.name) for p in others)}); merged, invented "
            "answers would be counted as real ones. Delete the synthetic exports (see "
            "data/raw/README.md, 'Replacing the synthetic data with real exports'), or remove "
            "the other files to work on the synthetic set alone."
        )


_CODE_PATHS = ("src", "notebooks", "data/raw", "pyproject.toml")


def _git(*args: str) -> str:
    """The output of a git command run in the project's checkout."""
    return subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), *args],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    ).stdout.strip()


def code_commit() -> str:
    """The last commit that changed the code, notebooks or raw data (``+dirty`` when edited since).

    Commits that only rebuild ``reports/`` or ``data/processed/`` do not count, so that a fresh
    clone rebuilds byte-identical outputs. ``unknown`` outside a git checkout.
    """
    try:
        head = _git("log", "-1", "--format=%h", "--", *_CODE_PATHS)
        dirty = _git("status", "--porcelain", "--", *_CODE_PATHS)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not head:
        return "unknown"
    return head + ("+dirty" if dirty else "")


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages every number depends on."""
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_manifest(raw: Path) -> dict:
    """The provenance record written as ``data/processed/manifest.json`` (every raw file
    hashed once, for the record and the synthetic flag alike)."""
    hashes = raw_hashes(raw)
    return {
        "synthetic": is_synthetic(raw, hashes),
        "raw_files": hashes,
        "packages": package_versions(),
        "commit": code_commit(),
    }
