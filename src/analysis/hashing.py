"""Content hashing, one way for every cache key and provenance record of the project.

A folder's content is a sorted sequence of ``(relative name, SHA-256 digest)`` pairs; a key is
the SHA-256 over such sequences and other bytes. The clean step's key, the report cache keys,
the provenance manifest and the report folders' stamps all use these functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from .config import PROJECT_ROOT, SOURCE

__all__ = [
    "Digests",
    "file_digest",
    "file_sha256",
    "digests",
    "folder_digests",
    "folder_sha256",
    "source_digests",
    "update",
]

#: ``(name relative to a root, SHA-256 digest)`` pairs, sorted by the caller's order.
Digests = tuple[tuple[bytes, bytes], ...]
#: The files of the package that its results depend on: code, message files, templates.
_SOURCE_PATTERNS = ("*.py", "*.toml", "*.j2", "*.po", "*.mo")


def file_digest(path: Path) -> bytes:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).digest()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    return file_digest(path).hex()


def digests(paths: Iterable[Path], root: Path) -> Digests:
    """``(name relative to root, digest)`` of each path, in the order given."""
    return tuple((Path(p).relative_to(root).as_posix().encode(), file_digest(p)) for p in paths)


def folder_digests(folder: Path, *, recursive: bool = False, skip: Iterable[str] = ()) -> Digests:
    """Digests of a folder's files in name order; hidden files and ``skip`` names left out."""
    folder = Path(folder)
    if not folder.is_dir():
        return ()
    skipped = set(skip)
    found = folder.rglob("*") if recursive else folder.iterdir()
    files = sorted(
        p for p in found if p.is_file() and not p.name.startswith(".") and p.name not in skipped
    )
    return digests(files, folder)


def folder_sha256(folder: Path) -> str:
    """SHA-256 over a folder's files (names and bytes, :func:`folder_digests`), as hex."""
    h = hashlib.sha256()
    update(h, folder_digests(folder))
    return h.hexdigest()


def source_digests(source: Path = SOURCE) -> Digests:
    """Digests of the package's code, message files and templates (``_SOURCE_PATTERNS``), and of
    ``pyproject.toml``, whose pins fix the versions of every package the results depend on."""
    files = sorted({p for pattern in _SOURCE_PATTERNS for p in Path(source).rglob(pattern)})
    pins = PROJECT_ROOT / "pyproject.toml"
    return digests(files, source) + (digests([pins], PROJECT_ROOT) if pins.is_file() else ())


def update(h: hashlib._Hash, pairs: Digests) -> None:
    """Feed ``(name, digest)`` pairs into a running hash."""
    for name, digest in pairs:
        h.update(name)
        h.update(digest)
