"""Writing into a raw folder safely: the manifest, the refusal rule, and the staged swap."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..config import SIMULATOR_MANIFEST
from ..errors import DataError
from ..hashing import file_sha256
from .files import json_bytes

__all__ = [
    "foreign_registry",
    "foreign_responses",
    "known_hashes",
    "manifest",
    "refuse_foreign",
    "refuse_registry",
    "stale_files",
    "write",
]

_CODEBOOK = "instrument/codebook.csv"


def known_hashes(out_dir: Path) -> dict[str, set[str]]:
    """Hashes the simulator recorded for each path (current and, mid-update, previous run)."""
    path = out_dir / SIMULATOR_MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    known: dict[str, set[str]] = {}
    for section in ("files", "previous_files"):
        for rel, digest in (data.get(section) or {}).items():
            known.setdefault(rel, set()).add(digest)
    return known


def foreign_responses(out_dir: Path, known: dict[str, set[str]]) -> list[Path]:
    """Files under ``out_dir/responses`` the simulator did not write (or that were edited)."""
    responses = out_dir / "responses"
    if not responses.is_dir():
        return []
    return [
        p
        for p in sorted(responses.rglob("*"))
        if p.is_file()
        and not p.name.startswith(".")
        and file_sha256(p) not in known.get(p.relative_to(out_dir).as_posix(), set())
    ]


def foreign_registry(out_dir: Path, known: dict[str, set[str]]) -> Path | None:
    """``out_dir/workshops.csv`` when it exists and is not the one the simulator wrote (its
    hash is not in the manifest: written or edited by somebody else), else ``None``."""
    path = out_dir / "workshops.csv"
    if path.is_file() and file_sha256(path) not in known.get("workshops.csv", set()):
        return path
    return None


def refuse_registry(path: Path) -> None:
    """Raise the :class:`DataError` that refuses to write over an edited registry ``path``."""
    raise DataError(
        f"{path}: this workshop registry is not the one the simulator wrote (it was edited, or "
        "written by somebody else: its SHA-256 is not in synthetic/manifest.json), so the "
        "synthetic registry is not written over it. Move it elsewhere first, or rerun with "
        "--force to replace it with the synthetic registry."
    )


def refuse_foreign(out_dir: Path, foreign: list[Path]) -> None:
    """Raise the :class:`DataError` that refuses to write over ``foreign`` response files."""
    names = ", ".join(p.relative_to(out_dir).as_posix() for p in foreign[:10])
    more = f" and {len(foreign) - 10} more" if len(foreign) > 10 else ""
    raise DataError(
        f"{out_dir}: the responses folder holds file(s) the simulator did not write or that "
        f"were edited since ({names}{more}); they may be real questionnaire exports, so the "
        "synthetic data set is not written over them. Move them elsewhere first, or rerun "
        "with --force to delete them and write the synthetic set."
    )


def manifest(files: dict[str, bytes], seed: int, shared_codebook: bytes | None) -> dict:
    """The manifest of ``files``; ``shared_codebook``: the project's codebook, when not copied."""
    hashes = {rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(files.items())}
    if shared_codebook is not None:
        hashes[_CODEBOOK] = hashlib.sha256(shared_codebook).hexdigest()
    return {
        "synthetic": True,
        "generator": "analysis.simulate",
        "seed": seed,
        "note": "SHA-256 of every file the simulator wrote; a response file not listed here "
        "with this hash is not synthetic.",
        "files": dict(sorted(hashes.items())),
    }


def stale_files(
    out_dir: Path, known: dict[str, set[str]], files: dict[str, bytes], shared_codebook: bool
) -> list[Path]:
    """Files of an earlier run that this run does not write (the shared codebook stays)."""
    return [
        out_dir / rel
        for rel in known
        if rel not in files
        and rel != SIMULATOR_MANIFEST.as_posix()
        and (out_dir / rel).is_file()
        and not (shared_codebook and rel == _CODEBOOK)
    ]


def write(out_dir: Path, files: dict[str, bytes], record: dict, remove: list[Path]) -> None:
    """Stage every file beside its target, then swap them in; the manifest ``record`` goes last."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # created exclusively, with an unpredictable name: nothing planted there can be written through
    stage = Path(tempfile.mkdtemp(prefix=f".simulate-tmp-{os.getpid()}-", dir=out_dir))
    try:
        for rel, data in files.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        manifest_path = out_dir / SIMULATOR_MANIFEST
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        # while files are swapped, both the old and the new hashes count as the simulator's
        transitional = dict(record, previous_files=_recorded_files(manifest_path))
        _replace_bytes(manifest_path, json_bytes(transitional))
        for path in remove:
            if path.is_file():
                path.unlink()
        for rel in files:
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / rel, target)
        _replace_bytes(manifest_path, json_bytes(record))
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _recorded_files(manifest_path: Path) -> dict[str, str]:
    """The ``files`` section of an existing manifest; empty when there is none or it is bad."""
    if not manifest_path.is_file():
        return {}
    try:
        return json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {})
    except ValueError:
        return {}


def _replace_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through an exclusively created temporary file and a rename."""
    atomic_write_bytes(path, data)
