"""Write a whole output folder or file so that a failed or killed run leaves the old one intact.

Also the guards around every write: an output folder must be one the project may replace
(:func:`check_output_folder`, :func:`check_replaceable`), every path written must lie inside its
output folder (:func:`check_inside`), one run at a time holds a folder (:func:`locked`), and a
signal never lands between the two renames of a swap (:func:`guarded`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .config import PROJECT_ROOT, RAW
from .errors import DataError

__all__ = [
    "MARKER",
    "recover",
    "atomic_dir",
    "atomic_write_bytes",
    "abandon",
    "guarded",
    "check_inside",
    "check_output_folder",
    "check_replaceable",
    "write_marker",
    "lock_path",
    "locked",
]

#: The file the project puts into every folder it writes whole (``data/processed``, each report
#: folder, ``reports/``): a folder carrying it may be replaced by the next run. Its content is
#: fixed (what wrote it), so two runs from the same inputs write the same bytes.
MARKER = ".analysis-output"

#: Temporary folders and files this process has open (removed by :func:`abandon`).
_ACTIVE: set[Path] = set()
#: Signals that arrived while a swap was under way, handled once it is done.
_PENDING: list[int] = []
_SWAPPING = 0


def _pid_of(name: str) -> int | None:
    """The writer's pid in a temporary name ``.<target>.tmp-<pid>[-<random>]``."""
    first = name.rsplit(".tmp-", 1)[-1].split("-", 1)[0]
    return int(first) if first.isdigit() else None


def _remove(path: Path) -> None:
    """Remove a leftover: a symlink or file is unlinked (never followed), a folder removed."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def recover(target: Path) -> None:
    """Restore ``target`` from the backup a run killed between two renames left behind, and
    remove the temporary folders of runs that ended."""
    target = Path(target)
    for old in target.parent.glob(f".{target.name}.old-*"):
        if old.is_symlink() or not old.is_dir():
            _remove(old)  # not ours: a planted link is never followed nor moved into place
        elif target.exists() or target.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(target)
    for tmp in target.parent.glob(f".{target.name}.tmp-*"):
        pid = _pid_of(tmp.name)
        if tmp.is_symlink() or not (pid is not None and _alive(pid)):
            _remove(tmp)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` (not this one) still runs; a zombie (killed, not yet reaped by
    its parent) has ended."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (macOS): the signal test is all there is
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def guarded(handler: Callable) -> Callable:
    """A signal handler that waits while a swap is under way: a signal arriving between the two
    renames is handled right after the second (the swap is never left half done)."""

    def handle(signum, frame):
        if _SWAPPING:
            _PENDING.append(signum)
            return None
        return handler(signum, frame)

    return handle


@contextlib.contextmanager
def _swap_section() -> Iterator[None]:
    global _SWAPPING
    _SWAPPING += 1
    try:
        yield
    finally:
        _SWAPPING -= 1
        if not _SWAPPING:
            while _PENDING:
                signal.raise_signal(_PENDING.pop(0))


def abandon() -> None:
    """Remove every temporary folder and file this process has open (a worker told to stop)."""
    for path in list(_ACTIVE):
        _remove(path)
    _ACTIVE.clear()


def check_inside(path: Path, root: Path, what: str) -> Path:
    """``path`` resolved (its folder; a link at the last name is replaced, not followed); a
    :class:`DataError` unless it lies inside ``root`` (not ``root`` itself), so that no name
    (``../x``, an absolute path, a symlinked folder) makes a write land elsewhere."""
    path = Path(path)
    # the last name is not followed: a write replaces a symlink there, never writes through it
    last = path.name not in ("", ".", "..")
    resolved = path.parent.resolve() / path.name if last else path.resolve()
    base = Path(root).resolve()
    if resolved == base or base not in resolved.parents:
        raise DataError(
            f"{what} {path} lies outside {root} (it resolves to {resolved}); the project writes "
            f"only inside {root}, nothing was written"
        )
    return resolved


def _forbidden(folder: Path, raw: Iterable[Path]) -> str | None:
    """Why ``folder`` (resolved) may never be an output folder, or None."""
    if folder == Path(folder.anchor):
        return "it is the root of the file system"
    if folder == Path.home().resolve():
        return "it is the home folder"
    if folder == PROJECT_ROOT.resolve():
        return "it is the project folder"
    for r in {Path(p).resolve() for p in [*raw, RAW]}:
        if folder == r:
            return f"it is the raw folder {r}"
        if folder in r.parents:
            return f"it holds the raw folder {r}"
        if r in folder.parents:
            return f"it lies inside the raw folder {r}"
    return None


def check_output_folder(folder: Path, what: str, raw: Iterable[Path] = ()) -> Path:
    """``folder`` resolved, after checking it may hold the project's outputs.

    Never a file (nor below one), the file system's root, the home folder, the project folder,
    nor the raw folder, a folder holding it or inside it. Raises :class:`DataError` naming the
    path and what is accepted; nothing is touched.
    """
    resolved = Path(folder).resolve()
    accepted = (
        "give a folder of its own, absent, empty or written by this project (e.g. the default)"
    )
    for p in [resolved, *resolved.parents]:
        if p.exists() and not p.is_dir():
            where = "is a file" if p == resolved else f"lies below the file {p}"
            raise DataError(f"{what} {folder} {where}: {accepted}; nothing was written")
    why = _forbidden(resolved, raw)
    if why:
        raise DataError(
            f"{what} {folder} cannot be written: {why}; {accepted}; nothing was written"
        )
    return resolved


def check_replaceable(folder: Path, what: str, owned: Iterable[str] = ()) -> None:
    """A :class:`DataError` unless ``folder`` may be replaced whole: absent, empty, or written by
    the project (it carries :data:`MARKER` or one of the ``owned`` stamp files)."""
    folder = Path(folder)
    if folder.is_symlink():
        raise DataError(
            f"{what} {folder} is a symbolic link; it is not replaced, nothing was written"
        )
    if not folder.exists():
        return
    if not folder.is_dir():
        raise DataError(f"{what} {folder} is a file, not a folder; nothing was written")
    if not any(folder.iterdir()) or any((folder / n).is_file() for n in (MARKER, *owned)):
        return
    raise DataError(
        f"{what} {folder} holds files this project did not write (it carries no {MARKER}); it "
        "would be replaced whole, so it is left alone: give an absent or empty folder, or move "
        "those files out; nothing was written"
    )


def write_marker(folder: Path, what: str) -> None:
    """Put :data:`MARKER` into ``folder`` (fixed content: which command writes the folder)."""
    data = f"written by python -m analysis ({what}); replaced whole by its next run\n".encode()
    path = Path(folder) / MARKER
    if not (path.is_file() and not path.is_symlink() and path.read_bytes() == data):
        atomic_write_bytes(path, data)


@contextlib.contextmanager
def atomic_dir(
    target: Path, *, within: Path | None = None, owned: Iterable[str] = (), marker: str = ""
) -> Iterator[Path]:
    """Yield a fresh temporary folder beside ``target``; on success it replaces ``target``.

    On an exception the temporary folder is removed and ``target`` is left as it was. The swap is
    two renames on the same file system; :func:`recover` repairs a run killed between them.
    ``within``: the folder ``target`` must lie inside; ``owned``: stamp files that make an
    existing ``target`` the project's (besides :data:`MARKER`); ``marker``: what is written,
    recorded in the new folder's :data:`MARKER`. The temporary names are unpredictable (created
    exclusively) and no symlink is followed.
    """
    target = Path(target)
    if within is not None:
        check_inside(target, within, "the output folder")
    check_replaceable(target, "the output folder", owned)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent))
    _ACTIVE.add(tmp)
    try:
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private (0700); the output is not
        yield tmp
        if marker:
            write_marker(tmp, marker)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        _ACTIVE.discard(tmp)
        raise
    with _swap_section():
        old = None
        if target.exists() or target.is_symlink():
            old = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=tmp.parent)
            )
            target.rename(old)  # onto the empty folder just made: no predictable name
        tmp.rename(target)
        _ACTIVE.discard(tmp)
    if old is not None:
        _remove(old)


def atomic_write_bytes(path: Path, data: bytes, *, within: Path | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and one rename.

    The temporary file is created exclusively (``mkstemp``: ``O_EXCL``, ``O_NOFOLLOW``); the
    rename replaces a symlink at ``path`` rather than writing where it points. ``within``: the
    folder ``path`` must lie inside.
    """
    path = Path(path)
    if within is not None:
        check_inside(path, within, "the output file")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.tmp-{os.getpid()}-", dir=path.parent)
    tmp = Path(name)
    _ACTIVE.add(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            os.fchmod(f.fileno(), 0o666 & ~_umask())
        with _swap_section():
            os.replace(tmp, path)
            _ACTIVE.discard(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        _ACTIVE.discard(tmp)
        raise


def _command() -> str:
    """This process's command line as typed (``python -m analysis build ...``)."""
    argv = list(sys.argv)
    if argv and Path(argv[0]).name == "__main__.py" and Path(argv[0]).parent.name == "analysis":
        argv[0] = "python -m analysis"
    return " ".join(argv)


def lock_path(folder: Path) -> Path:
    """The lock file of an output folder: ``.<name>.lock`` beside it, in its parent."""
    folder = Path(folder).resolve()
    return folder.parent / f".{folder.name}.lock"


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        now = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)


def _lock(folder: Path) -> tuple[int, Path]:
    """Take the lock of one folder; a :class:`DataError` naming the holder when it is held."""
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise DataError(
                f"{folder} is being written by another run of the project ({holder}); wait "
                f"for it to end (or stop it) and run again; the lock is {path}; nothing was "
                "written"
            ) from None
        if _same_file(fd, path):  # not a file its last holder removed meanwhile
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()}: {_command()}\n".encode(), 0)
    return fd, path


@contextlib.contextmanager
def locked(folders: Iterable[Path]) -> Iterator[None]:
    """Hold the lock of each output folder for the block: one run at a time writes them.

    A folder another run holds stops this one at once with a :class:`DataError` naming that run
    (its pid and command, written into the lock file :func:`lock_path`). The lock is ``flock``
    on the lock file, released by the system when its holder ends however it ends, so a lock
    file left by a killed run is simply taken over; a run that ends removes its lock files.
    """
    held: list[tuple[int, Path]] = []
    try:
        for folder in dict.fromkeys(Path(f).resolve() for f in folders):
            held.append(_lock(folder))
        yield
    finally:
        for fd, path in reversed(held):
            with contextlib.suppress(OSError):
                if _same_file(fd, path):
                    path.unlink()  # while still held: a waiting run then makes a new one
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
