"""Atomic outputs: a clean run killed midway, or a report whose notebook fails, leaves the earlier
data/processed/ and report folders byte for byte as they were."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.atomic import _alive, recover
from analysis.clean import run_clean
from analysis.simulate import simulate

from conftest import RAW


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def big_raw(tmp_path_factory) -> Path:
    """A synthetic raw folder of 3000 participants in 12 workshops (cleaning takes seconds)."""
    raw = tmp_path_factory.mktemp("big") / "raw"
    simulate(raw, seed=1, n_participants=3000, n_workshops=12)
    return raw


def _start_clean(raw: Path, processed: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis",
            "clean",
            "--raw",
            str(raw),
            "--processed",
            str(processed),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _kill_when(proc: subprocess.Popen, ready, limit: float = 120.0) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False when it ended first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    proc.kill()
    proc.wait()
    pytest.fail("the clean run neither ended nor reached the kill point")


def _earlier_state(processed: Path) -> dict[str, bytes]:
    """What a reader finds now; in the microseconds between the two renames of the swap the
    folder is absent and its backup beside it, which :func:`recover` (run first by every
    write) puts back."""
    if not processed.exists():
        recover(processed)
    return snapshot(processed)


def test_clean_killed_midway_leaves_processed_intact(big_raw, tmp_path, tmp_path_factory):
    # how long a whole run takes on this machine: the kill points are fractions of it, so that
    # the test kills mid-run on a slow machine and on a fast one alike
    t0 = time.monotonic()
    timing = _start_clean(big_raw, tmp_path_factory.mktemp("timing") / "processed")
    assert timing.wait() == 0, timing.stderr.read()
    whole = time.monotonic() - t0

    small = tmp_path / "raw"
    shutil.copytree(RAW, small)
    processed = tmp_path / "processed"
    run_clean(small, processed)  # the earlier run, on other data
    before = snapshot(processed)

    def writing() -> bool:
        return any(tmp_path.glob(".processed.tmp-*"))

    kill_points = [("while writing", writing)]
    kill_points += [
        (f"after {f:.0%} of a run", lambda f=f: time.monotonic() - t0 > f * whole)
        for f in (0.25, 0.5)
    ]
    for label, ready in kill_points:
        t0 = time.monotonic()
        proc = _start_clean(big_raw, processed)
        killed = _kill_when(proc, ready)
        assert killed, f"the run ended before the kill point ({label}): {proc.stderr.read()!r}"
        assert proc.returncode == -signal.SIGKILL
        assert _earlier_state(processed) == before, label

    # leftovers of the killed runs (temporary folders) are cleaned by the next run
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".processed")]
    assert leftovers, "expected the killed run's temporary folder"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "clean",
            "--raw",
            str(big_raw),
            "--processed",
            str(processed),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]
    flow = pd.read_csv(processed / "flow.csv")
    assert len(flow) == 12 and snapshot(processed) != before


def _earlier_reports(tmp_path: Path) -> tuple[Path, Path, dict]:
    """Processed data whose scores.parquet is corrupt, and earlier report folders of the build."""
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    shutil.copytree(RAW, tmp_path / "raw")
    run_clean(tmp_path / "raw", processed)
    (processed / "scores.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    for report in ("W1", "pooled"):
        (reports / report / "figures").mkdir(parents=True)
        (reports / report / ".analysis-output").write_text("")  # the build's (else not replaced)
        (reports / report / "report.html").write_text(f"earlier {report} report\n")
        (reports / report / "figures" / "f.svg").write_text("<svg/>\n")
    return processed, reports, snapshot(reports)


@pytest.mark.slow
def test_unreadable_processed_data_stops_the_report_command_before_any_notebook(tmp_path):
    """The report command's results stage reads the processed data first: a corrupt
    scores.parquet stops it with exit 2 and one paragraph naming the file and the fix; the
    earlier report folders stay as they were and no results folder is written."""
    processed, reports, before = _earlier_reports(tmp_path)
    cmd = [sys.executable, "-m", "analysis", "report", "--processed", str(processed)]
    cmd += ["--reports", str(reports), "--workshop", "W1", "--lang", "en", "--jobs", "2"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=dict(os.environ))
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert "scores.parquet" in run.stderr and "python -m analysis clean" in run.stderr
    assert snapshot(reports) == before
    assert not (tmp_path / "results").exists()


@pytest.mark.slow
def test_failing_notebook_leaves_earlier_report_folder(tmp_path):
    """The report step's notebooks on processed data whose scores.parquet is corrupt (no
    results stage before them): the notebooks fail (a ReportError naming the report), the
    earlier report folders stay as they were."""
    from analysis.build import run_reports
    from analysis.errors import ReportError

    processed, reports, before = _earlier_reports(tmp_path)
    with pytest.raises(ReportError, match=r"W1 \(en\) failed.*left as they were"):
        run_reports(processed, reports, workshops=["W1"], langs=["en"], jobs=2, quiet=True)
    after = snapshot(reports)
    after.pop("index.html", None)  # the index page is rewritten (it lists what exists)
    after.pop(".analysis-output", None)  # and the reports folder marked as the build's
    assert after == before
    assert not [p for p in reports.rglob(".*tmp-*")]


def _start_report(processed: Path, reports: Path) -> subprocess.Popen:
    """``python -m analysis report`` for W1 in English, in its own process group."""
    cmd = [sys.executable, "-m", "analysis", "report", "--processed", str(processed)]
    cmd += ["--reports", str(reports), "--workshop", "W1", "--lang", "en", "--jobs", "1"]
    return subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # the pool's workers are killed with it, as by a closed terminal
        env=dict(os.environ),
    )


@pytest.mark.slow
def test_report_killed_midway_leaves_earlier_report_folder(tmp_path):
    """SIGKILL the report step (and its workers) while the notebook runs and again once the
    executed notebook is written: the earlier report folder stays byte for byte; the next run
    removes the leftovers and writes the report."""
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    shutil.copytree(RAW, tmp_path / "raw")
    run_clean(tmp_path / "raw", processed)
    (reports / "W1" / "figures").mkdir(parents=True)
    (reports / "W1" / ".analysis-output").write_text("")  # the build's (else not replaced)
    (reports / "W1" / "report.html").write_text("earlier W1 report\n")
    (reports / "W1" / "figures" / "f.svg").write_text("<svg/>\n")
    before = snapshot(reports / "W1")

    def temporary(name: str = ""):
        return lambda: any(
            p.is_dir() and (not name or (p / name).exists()) for p in reports.glob(".W1.tmp-*")
        )

    for label, ready in [
        ("notebook running", temporary()),
        ("notebook written", temporary("report.ipynb")),
    ]:
        proc = _start_report(processed, reports)
        deadline = time.monotonic() + 600
        while proc.poll() is None and not ready() and time.monotonic() < deadline:
            time.sleep(0.002)
        assert proc.poll() is None, (
            f"the run ended before the kill point ({label}): {proc.stderr.read()!r}"
        )
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _earlier_state(reports / "W1") == before, label
        assert [p for p in reports.glob(".W1.tmp-*")], "expected the killed run's temporary folder"

    done = _start_report(processed, reports)
    assert done.wait(timeout=600) == 0, done.stderr.read()
    log = done.stderr.read().decode()
    assert "reports:" in log and "[IPKernelApp]" not in log  # no kernel log noise
    assert not [p.name for p in reports.iterdir() if p.name.startswith(".W1")]
    html = (reports / "W1" / "report.html").read_text(encoding="utf-8")
    assert "earlier W1 report" not in html and not (reports / "W1" / "figures" / "f.svg").exists()


def test_a_zombie_has_ended(tmp_path):
    """A killed process its parent has not reaped yet still answers ``kill(pid, 0)``; its
    temporary folder is a leftover all the same."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    stat = Path(f"/proc/{child.pid}/stat")
    deadline = time.monotonic() + 60
    while stat.read_text().rsplit(")", 1)[-1].split()[0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.01)
    leftover = tmp_path / f".processed.tmp-{child.pid}"
    leftover.mkdir()
    assert not _alive(child.pid)
    recover(tmp_path / "processed")
    assert not leftover.exists()
    child.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert _alive(running.pid)
        kept = tmp_path / f".processed.tmp-{running.pid}"
        kept.mkdir()
        recover(tmp_path / "processed")
        assert kept.exists()  # a run still writing keeps its folder
    finally:
        running.kill()
        running.wait()
