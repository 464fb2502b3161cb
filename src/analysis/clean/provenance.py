"""Provenance: hashes of the raw inputs, package versions, the code commit, the synthetic flag."""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from ..config import PROJECT_ROOT, SIMULATOR_MANIFEST
from ..hashing import file_sha256, folder_digests
from ..raw.readers import responses_files

__all__ = [
    "CODE_PATHS",
    "PACKAGES",
    "build_manifest",
    "code_commit",
    "is_synthetic",
    "package_versions",
    "raw_hashes",
]

PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill")


def raw_hashes(raw: Path) -> dict[str, str]:
    """SHA-256 of every file of the raw folder, keyed by its path relative to ``raw``."""
    return {name.decode(): digest.hex() for name, digest in folder_digests(raw, recursive=True)}


def is_synthetic(raw: Path, hashes: dict[str, str] | None = None) -> bool:
    """True when every export of ``responses/`` (the files the clean step reads, see
    ``readers.responses_files``) is one the simulator wrote (its hash is in its manifest).

    ``hashes`` (from :func:`raw_hashes`) saves hashing the exports a second time."""
    raw = Path(raw)
    manifest = raw / SIMULATOR_MANIFEST
    if not manifest.is_file() or not (raw / "responses").is_dir():
        return False
    responses = responses_files(raw / "responses")[0]
    if not responses:
        return False
    try:
        written = json.loads(manifest.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return False
    files = written.get("files", written)
    hashes = hashes or {}

    def digest(p: Path) -> str:
        """The export's SHA-256, from ``hashes`` when it was hashed already."""
        rel = p.relative_to(raw).as_posix()
        return hashes[rel] if rel in hashes else file_sha256(p)

    return all(files.get(p.relative_to(raw).as_posix()) == digest(p) for p in responses)


CODE_PATHS = ("src", "notebooks", "data/raw", "pyproject.toml")


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
        head = _git("log", "-1", "--format=%h", "--", *CODE_PATHS)
        dirty = _git("status", "--porcelain", "--", *CODE_PATHS)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not head:
        return "unknown"
    return head + ("+dirty" if dirty else "")


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages every number depends on."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
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
