"""Hardening of the writers: outputs stay in their folders, interrupts stop a build at once, one
build at a time, and failures of the system are messages, not bugs."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.atomic import (
    MARKER,
    atomic_dir,
    atomic_write_bytes,
    check_output_folder,
    check_replaceable,
    lock_path,
    recover,
)
from analysis.build.plan import _target
from analysis.clean import run_clean
from analysis.config import PROJECT_ROOT
from analysis.errors import DataError

from conftest import RAW


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), hidden ones included."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory) -> Path:
    """A project-like folder: ``raw`` (a copy of data/raw) and ``processed`` cleaned from it."""
    world = tmp_path_factory.mktemp("world")
    shutil.copytree(RAW, world / "raw")
    run_clean(world / "raw", world / "processed")
    return world


@pytest.fixture
def world(cleaned, tmp_path) -> Path:
    shutil.copytree(cleaned, tmp_path / "w")
    return tmp_path / "w"


# --- 1. outputs stay in their folders ---------------------------------------------------------


@pytest.mark.parametrize("wid", ["../victim", "/tmp/victim", "a/b", ".", "..", "sq", ".hidden"])
def test_workshop_id_that_is_a_path_never_names_a_report_folder(tmp_path, wid):
    """[workshop-id-is-a-path] defence in depth: whatever the registry holds, a report folder
    is a folder of its own right inside reports/ (or reports/<lang>/)."""
    with pytest.raises(DataError, match="not a plain name|lies outside"):
        _target(tmp_path / "reports", wid, "en")
    assert _target(tmp_path / "reports", "W1", "sq") == tmp_path / "reports" / "sq" / "W1"


def test_workshop_id_that_is_a_path_leaves_the_folder_it_names(world, capsys):
    """[workshop-id-is-a-path] a registry whose id is ``../victim``: the report step stops with
    status 2 before anything runs; the folder the id names is untouched."""
    victim = world / "victim"
    victim.mkdir()
    (victim / "thesis.docx").write_text("years of work\n")
    registry = world / "processed" / "workshops.csv"
    registry.write_text(registry.read_text().replace("W1,", "../victim,", 1))
    argv = ["report", "--processed", str(world / "processed"), "--reports", str(world / "rep")]
    assert main([*argv, "--lang", "en"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert snapshot(victim) == {"thesis.docx": b"years of work\n"}
    assert not (world / "rep").exists()


def test_processed_that_holds_the_raw_folder_is_refused(tmp_path, capsys):
    """[processed-holds-raw] ``clean --raw X/data/raw --processed X/data`` (a typo) used to
    delete data/raw; now status 2, naming the folder, nothing touched."""
    shutil.copytree(RAW, tmp_path / "data" / "raw")
    before = snapshot(tmp_path / "data")
    argv = ["clean", "--raw", str(tmp_path / "data" / "raw"), "--processed", str(tmp_path / "data")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --processed") and "holds the raw folder" in " ".join(err.split())
    assert snapshot(tmp_path / "data") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


@pytest.mark.parametrize("where", ["raw", "inside-raw"])
def test_processed_that_is_or_lies_in_the_raw_folder_is_refused(tmp_path, capsys, where):
    """[processed-is-raw]"""
    shutil.copytree(RAW, tmp_path / "raw")
    before = snapshot(tmp_path / "raw")
    processed = tmp_path / "raw" if where == "raw" else tmp_path / "raw" / "out"
    assert main(["clean", "--raw", str(tmp_path / "raw"), "--processed", str(processed)]) == 2
    assert "the raw folder" in capsys.readouterr().err
    assert snapshot(tmp_path / "raw") == before


def test_processed_that_is_a_file_is_refused(tmp_path, capsys):
    """[processed-is-a-file] a --processed that is a file used to be turned into a folder."""
    shutil.copytree(RAW, tmp_path / "raw")
    target = tmp_path / "notes.txt"
    target.write_text("mine\n")
    assert main(["clean", "--raw", str(tmp_path / "raw"), "--processed", str(target)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"--processed {target} is a file" in err and "Traceback" not in err
    assert target.read_text() == "mine\n"


def test_processed_below_a_file_is_refused(tmp_path, capsys):
    """[processed-parent-is-a-file] a --processed whose parent is a file: status 2, the path."""
    shutil.copytree(RAW, tmp_path / "raw")
    (tmp_path / "afile").write_text("x\n")
    processed = tmp_path / "afile" / "processed"
    assert main(["clean", "--raw", str(tmp_path / "raw"), "--processed", str(processed)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert str(processed) in err and "below the file" in err and "Traceback" not in err


@pytest.mark.parametrize("reports", ["processed", "processed/reports"])
def test_processed_and_reports_that_overlap_are_refused(world, capsys, reports):
    """[processed-and-reports-overlap]"""
    before = snapshot(world)
    argv = ["build", "--raw", str(world / "raw"), "--processed", str(world / "processed")]
    assert main([*argv, "--reports", str(world / reports)]) == 2
    assert "overlap" in capsys.readouterr().err
    assert snapshot(world) == before


@pytest.mark.parametrize(
    ("folder", "why"),
    [
        (Path("/"), "root of the file system"),
        (Path.home(), "home folder"),
        (PROJECT_ROOT, "project folder"),
        (PROJECT_ROOT / "data", "holds the raw folder"),
    ],
)
def test_forbidden_output_folders(folder, why):
    """[forbidden-output-folder]"""
    with pytest.raises(DataError, match=why):
        check_output_folder(folder, "--reports")


def test_a_folder_of_others_is_not_replaced(tmp_path, capsys):
    """[processed-holds-other-files] a --processed holding files the project did not write is
    not replaced whole; absent, empty, marked or stamped folders are."""
    shutil.copytree(RAW, tmp_path / "raw")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "budget.xlsx").write_text("x\n")
    assert main(["clean", "--raw", str(tmp_path / "raw"), "--processed", str(mine)]) == 2
    assert f"{MARKER}" in capsys.readouterr().err
    assert snapshot(mine) == {"budget.xlsx": b"x\n"}
    check_replaceable(tmp_path / "absent", "x")
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty", "x")
    (mine / ".clean-key").write_text("k\n")  # data/processed as committed before the marker
    check_replaceable(mine, "x", owned=[".clean-key"])
    (mine / ".clean-key").unlink()
    (mine / MARKER).write_text("")
    check_replaceable(mine, "x")


def test_clean_marks_its_folder_with_fixed_content(world):
    """The marker is written into data/processed and is the same bytes on every run."""
    marker = (world / "processed" / MARKER).read_bytes()
    run_clean(world / "raw", world / "processed")
    assert (world / "processed" / MARKER).read_bytes() == marker
    assert b"clean" in marker and str(os.getpid()).encode() not in marker


def test_planted_symlinks_are_not_followed(tmp_path):
    """[planted-symlink] a symlink at the target or at a temporary name never makes a write land
    where it points."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_text("keep\n")
    out = tmp_path / "reports"
    out.mkdir()
    # the temporary names of the old code, planted as links
    for name in (
        f".index.html.tmp-{os.getpid()}",
        f".W1.tmp-{os.getpid()}",
        f".W1.old-{os.getpid()}",
    ):
        (out / name).symlink_to(outside)
    (out / "index.html").symlink_to(outside / "precious")
    atomic_write_bytes(out / "index.html", b"new\n", within=out)
    assert not (out / "index.html").is_symlink() and (out / "index.html").read_bytes() == b"new\n"
    with atomic_dir(out / "W1", within=out) as tmp:
        (tmp / "report.html").write_text("report\n")
    assert (out / "W1" / "report.html").read_text() == "report\n"
    assert snapshot(outside) == {"precious": b"keep\n"}
    assert not [p for p in out.iterdir() if p.name.startswith(".W1")]
    with pytest.raises(DataError, match="lies outside"):
        atomic_write_bytes(out / ".." / "escaped.html", b"x", within=out)
    (out / "W2").symlink_to(outside)
    with pytest.raises(DataError), atomic_dir(out / "W2", within=out):
        pass
    assert snapshot(outside) == {"precious": b"keep\n"}


def test_recover_puts_back_a_backup_of_a_run_killed_between_the_renames(tmp_path):
    """A run killed between its two renames left ``.processed.old-<pid>-<random>`` and no
    folder: the next write puts it back first (and removes dead runs' temporary folders)."""
    old = tmp_path / ".processed.old-999999-abcd"
    old.mkdir()
    (old / "flow.csv").write_text("earlier\n")
    dead = tmp_path / ".processed.tmp-999999-efgh"
    dead.mkdir()
    recover(tmp_path / "processed")
    assert (tmp_path / "processed" / "flow.csv").read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed"]


# --- 4. failures of the system --------------------------------------------------------------


def test_disk_full_is_a_message_naming_the_path(world, capsys, monkeypatch):
    """[disk-full] ENOSPC while writing data/processed: status 2, one paragraph naming the path
    and the system's reason, not 'internal error'; the earlier folder as it was."""
    import pandas as pd

    processed = world / "processed"
    before = snapshot(processed)

    def full(self, path, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    assert main(["clean", "--raw", str(world / "raw"), "--processed", str(processed)]) == 2
    err = capsys.readouterr().err
    flat = " ".join(err.split())
    assert err.startswith("error: ") and "internal error" not in err and "Traceback" not in err
    assert "No space left on device (ENOSPC)" in flat and ".csv" in flat
    assert snapshot(processed) == before
    assert not [p for p in world.iterdir() if ".tmp-" in p.name]


def test_read_only_folder_is_a_message_naming_the_path(world, capsys, monkeypatch):
    """[read-only-folder] EROFS (or EACCES) making the temporary folder: status 2, the path.
    (Tests run as root, where chmod does not stop a write: the failure is provoked.)"""
    import tempfile

    def read_only(*args, dir=None, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    argv = ["clean", "--raw", str(world / "raw"), "--processed", str(world / "processed")]
    assert main(argv) == 2
    flat = " ".join(capsys.readouterr().err.split())
    assert f"{world}: Read-only file system (EROFS)" in flat and "internal error" not in flat


# --- 3. one build at a time -------------------------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from analysis.atomic import locked
with locked([Path(sys.argv[1])]):
    print("held", flush=True)
    time.sleep(120)
"""


def _clean(world: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "analysis", "clean", "--raw", str(world / "raw")]
    cmd += ["--processed", str(world / "processed")]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_second_run_stops_at_once_naming_the_running_one(world):
    """[two-builds-at-once] a second run on the same folders stops at once (status 2), naming
    the running one's pid and command; once that run ended (killed: its lock is stale) the
    next run takes the lock over."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(world / "processed")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = snapshot(world / "processed")
        t0 = time.monotonic()
        second = _clean(world)
        assert second.returncode == 2, second.stderr
        flat = " ".join(second.stderr.split())
        assert f"pid {holder.pid}" in flat and "being written by another run" in flat
        assert str(lock_path(world / "processed")) in flat and "Traceback" not in flat
        assert time.monotonic() - t0 < 20  # stopped at once, did not wait
        assert snapshot(world / "processed") == before
        # report reads the processed folder: it waits for no clean, it stops too
        cmd = [sys.executable, "-m", "analysis", "report", "--processed", str(world / "processed")]
        cmd += ["--reports", str(world / "reports")]
        report = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert report.returncode == 2 and f"pid {holder.pid}" in report.stderr, report.stderr
        assert not (world / "reports").exists()
    finally:
        holder.kill()
        holder.wait()
    assert lock_path(world / "processed") == world / ".processed.lock"
    assert lock_path(world / "processed").exists()  # left by the killed holder: stale
    third = _clean(world)
    assert third.returncode == 0, third.stderr
    assert not lock_path(world / "processed").exists()  # a run that ends removes its lock


# --- 2. interrupts ----------------------------------------------------------------------------


def _processes():
    """``(pid, fields of /proc/<pid>/stat after the name)`` of every process that can be read."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            yield int(stat.parent.name), stat.read_text().rsplit(")", 1)[-1].split()
        except (OSError, ValueError):
            continue


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    parent = {p: int(fields[1]) for p, fields in _processes()}
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parent.items() if pp == p} - found
        found |= kids
        todo += kids
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -9)]
)
def test_signal_stops_the_build_at_once(world, sig, status):
    """[interrupted-build] Ctrl-C (SIGINT to the process group) or SIGTERM a few seconds after the
    first notebook started: the build ends within seconds with 128 + the signal, one line and no
    traceback; no worker or kernel is left, no report folder replaced: reports/ as before.
    [killed-build] SIGKILL to the main process alone: its workers and kernels end with it."""
    reports = world / "reports"
    for rid in ("W1", "W2", "pooled"):  # earlier reports, stale (their stamps match nothing)
        (reports / rid).mkdir(parents=True)
        (reports / rid / "report.html").write_text(f"earlier {rid}\n")
        (reports / rid / ".build-key").write_text("{}\n")
    (reports / "index.html").write_text("earlier index\n")
    before = snapshot(reports)
    cmd = [sys.executable, "-m", "analysis", "build", "--raw", str(world / "raw")]
    cmd += ["--processed", str(world / "processed"), "--reports", str(reports)]
    cmd += ["--lang", "en", "--jobs", "2"]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=dict(os.environ),
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            if any("ipykernel" in _cmdline(p) for p in _descendants(proc.pid)):
                break
            time.sleep(0.1)
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(3)
        below = _descendants(proc.pid)
        assert any("ipykernel" in _cmdline(p) for p in below)
        t0 = time.monotonic()
        if sig == signal.SIGKILL:
            os.kill(proc.pid, sig)  # the main process only: the workers must not go on
        else:
            os.killpg(proc.pid, sig)
        err = proc.communicate(timeout=60)[1]
        took = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == status, err
    assert took < 20, took
    assert "Traceback" not in err
    if sig != signal.SIGKILL:
        assert err.strip().splitlines()[-1].startswith("stopped by")
    deadline = time.monotonic() + 10
    while any(_running(p) for p in below) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in below if _running(p)]
    assert left == [], [_cmdline(p) for p in left]
    assert snapshot(reports) == before
    assert not [p for p in reports.rglob(".*") if ".tmp-" in p.name or ".old-" in p.name]


def _in_session(sid: int) -> list[int]:
    """The running processes of session ``sid`` (from /proc)."""
    return [p for p, fields in _processes() if int(fields[3]) == sid and fields[0] != "Z"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_failing_clean_stops_the_workers_started_beside_it(world):
    """The build starts its workers (and their kernels) while the clean step runs: a clean that
    stops on bad input ends them too, at once: exit 2, one paragraph, no process left behind
    (the kernels lead sessions of their own: each is found as a child of a worker)."""
    (world / "raw" / "instrument" / "codebook.csv").write_text("not,a,codebook\n1,2,3\n")
    cmd = [sys.executable, "-m", "analysis", "build", "--raw", str(world / "raw")]
    cmd += ["--processed", str(world / "processed2"), "--reports", str(world / "reports")]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    seen: set[int] = set()
    while proc.poll() is None:  # every process of the build and, below its workers, the kernels
        below = _descendants(proc.pid)
        seen |= below | {k for p in below for k in _descendants(p)}
        time.sleep(0.05)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 2, err
    assert "Traceback" not in err and "codebook" in err
    assert seen, "no worker was started beside the clean step"
    deadline = time.monotonic() + 10
    while (_in_session(proc.pid) or any(_running(p) for p in seen)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _in_session(proc.pid) == [] and [p for p in seen if _running(p)] == []
    assert not (world / "processed2").exists() and not (world / "reports").exists()
