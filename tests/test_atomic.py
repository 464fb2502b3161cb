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

from analysis.atomic import recover
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


@pytest.mark.slow
def test_failing_notebook_leaves_earlier_report_folder(tmp_path):
    """Point the report step at processed data whose scores.parquet is corrupt: the notebooks
    fail (exit 1, a ReportError naming the report), the earlier report folders stay as they were."""
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    shutil.copytree(RAW, tmp_path / "raw")
    run_clean(tmp_path / "raw", processed)
    (processed / "scores.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    for report in ("W1", "pooled"):
        (reports / report / "figures").mkdir(parents=True)
        (reports / report / "report.html").write_text(f"earlier {report} report\n")
        (reports / report / "figures" / "f.svg").write_text("<svg/>\n")
    before = snapshot(reports)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "report",
            "--processed",
            str(processed),
            "--reports",
            str(reports),
            "--workshop",
            "W1",
            "--lang",
            "en",
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k != "ANALYSIS_REPORT_OUT"},
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "W1 (en) failed" in run.stderr and "left as they were" in run.stderr
    after = snapshot(reports)
    after.pop("index.html", None)  # the index page is rewritten (it lists what exists)
    assert after == before
    assert not [p for p in reports.rglob(".*tmp-*")]
