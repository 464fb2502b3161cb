"""The build's speed-ups change no byte: warm kernel, light cache check."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from analysis import config, results
from analysis.build import plan, warm
from analysis.build.run import execute

from conftest import ROOT

PROCESSED = ROOT / "data" / "processed"


@pytest.mark.slow
def test_warm_kernel_writes_the_bytes_of_a_fresh_kernel(tmp_path):
    """W2 (en) on a fresh kernel, and on the kernel W2 (sq) ran on: the same files, byte for
    byte (the results computed in the notebook, the processed copy having no results stage)."""
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED, processed)

    def job(reports, lang):
        jobs = plan(processed, reports, ["W2"], [lang])
        return next(j for j in jobs if j.report_id == "W2")

    warm.shutdown()
    fresh = tmp_path / "fresh"
    try:
        execute(job(fresh, "en"), "key", "data")
        warm.shutdown()
        reused = tmp_path / "reused"
        execute(job(reused, "sq"), "key", "data")
        assert warm.current.used
        execute(job(reused, "en"), "key", "data")
    finally:
        warm.shutdown()
    a, b = config.report_dir(fresh, "W2", "en"), config.report_dir(reused, "W2", "en")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert len(files) > 10
    rel = {d: config.relative_to_project(d) for d in (fresh, reused)}
    for name in files:
        if name.name == ".build-key":
            continue
        old = (a / name).read_bytes().replace(rel[fresh].encode(), b"REPORTS")
        new = (b / name).read_bytes().replace(rel[reused].encode(), b"REPORTS")
        assert old == new, name
    assert b'"execution_count": 1,' in (b / "report.ipynb").read_bytes()
    assert b"already loaded" not in (b / "report.ipynb").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["build", "report"])
def test_no_change_rebuild_imports_neither_pandas_nor_scipy(tmp_path, command):
    from analysis.build import run_reports
    from analysis.clean import run_clean

    processed = tmp_path / "processed"
    run_clean(config.RAW, processed)
    results.write(results.load(processed))  # the results stage, as build and report run it
    reports = tmp_path / "reports"
    # build has no --workshop: it makes every report of the language
    workshops = None if command == "build" else ["W1"]
    made = run_reports(processed, reports, workshops=workshops, langs=["en"], jobs=2, quiet=True)
    code = (
        f"import sys, runpy; sys.argv = ['analysis', '{command}', '--processed', sys.argv[1], "
        "'--reports', sys.argv[2], '--lang', 'en'] + sys.argv[3:]\n"
        "try:\n    runpy.run_module('analysis', run_name='__main__')\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pandas', 'scipy', 'numpy', 'matplotlib', 'nbconvert', 'papermill'})\n"
        "print('HEAVY', heavy)\n"
    )
    if command == "build":
        code = code.replace("'--processed'", f"'--raw', {str(config.RAW)!r}, '--processed'")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(processed),
            str(reports),
            *["--workshop", "W1"][: 2 * bool(workshops)],
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert f"0 made, {len(made)} already up to date" in out
    assert command == "report" or "is already up to date with" in out
    assert "HEAVY []" in out
