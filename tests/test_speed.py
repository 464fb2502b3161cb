"""The build's speed-ups change no byte: results cache, warm kernel, light cache check."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analysis import config, results, stats
from analysis.build import plan, warm
from analysis.build.run import execute

from conftest import ROOT

PROCESSED = ROOT / "data" / "processed"


def _frame(value: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({"a": [1.0, value], "b": pd.array(["x", "y"], dtype="string")})


def test_call_key_follows_the_content_not_the_object():
    key = results.call_key(stats.paired_summary, (_frame(),), {})
    assert key == results.call_key(stats.paired_summary, (_frame(),), {})
    assert key != results.call_key(stats.paired_summary, (_frame(2.0),), {})
    assert key != results.call_key(stats.paired_summary, (_frame().astype({"a": "int64"}),), {})
    assert key != results.call_key(stats.paired_summary, (_frame().rename(columns={"a": "c"}),), {})
    assert key != results.call_key(stats.topic_table, (_frame(),), {})
    assert key != results.call_key(stats.paired_summary, (_frame(),), {"n_items": 20})
    assert results.call_key(stats.paired_summary, (object(),), {}) is None


def test_cached_call_computes_once_and_returns_the_same_values(tmp_path, monkeypatch):
    calls = []

    def table(frame: pd.DataFrame, scale: int = 1) -> dict:
        calls.append(1)
        return {"sum": float(frame["a"].sum()) * scale, "frame": frame * scale}

    monkeypatch.delenv(results.CACHE_ENV, raising=False)
    results.cached_call(table, _frame())
    results.cached_call(table, _frame())
    assert len(calls) == 2  # no cache folder: computed every time
    monkeypatch.setenv(results.CACHE_ENV, str(tmp_path / "cache"))
    first = results.cached_call(table, _frame(), scale=3)
    again = results.cached_call(table, _frame(), scale=3)
    assert len(calls) == 3 and first["sum"] == again["sum"] == 6.0
    pd.testing.assert_frame_equal(first["frame"], again["frame"], check_exact=True)
    results.cached_call(table, _frame(2.0), scale=3)
    assert len(calls) == 4  # other arguments: computed
    shutil.rmtree(tmp_path / "cache")  # a cache removed under the build: computed, no error
    assert results.cached_call(table, _frame(), scale=3)["sum"] == 6.0


def test_cached_statistics_equal_the_computed_ones(tmp_path, monkeypatch):
    data = results.load(PROCESSED)
    w = results.workshop(data, "W1")
    args = (w.scores, w.paired, w.answers, data.codebook)
    kw = {"workshop_id": "W1", "synthetic": data.synthetic}
    plain = stats.workshop_summary(*args, **kw)
    monkeypatch.setenv(results.CACHE_ENV, str(tmp_path))
    computed = results.cached_call(stats.workshop_summary, *args, **kw)
    stored = results.cached_call(stats.workshop_summary, *args, **kw)
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    assert repr(plain) == repr(computed) == repr(stored)


def test_enable_cache_wraps_the_notebooks_statistics_only_when_the_build_asks(monkeypatch):
    from analysis.stats import pooled

    monkeypatch.delenv(results.CACHE_ENV, raising=False)
    results.enable_cache()
    assert not getattr(stats.workshop_summary, "_results_cached", False)
    for name in results.CACHED["analysis.stats"]:
        monkeypatch.setattr(stats, name, getattr(stats, name))
    for name in results.CACHED["analysis.stats.pooled"]:
        monkeypatch.setattr(pooled, name, getattr(pooled, name))
    monkeypatch.setenv(results.CACHE_ENV, "unused")
    results.enable_cache()
    results.enable_cache()  # idempotent: wrapped once
    assert stats.workshop_summary._results_cached
    assert not hasattr(stats.workshop_summary.__wrapped__, "_results_cached")
    assert pooled.item_gee.__name__ == "item_gee" and pooled.item_gee._results_cached


@pytest.mark.slow
def test_warm_kernel_and_results_cache_write_the_bytes_of_a_fresh_kernel(tmp_path, monkeypatch):
    """W2 (en) on a fresh kernel, computing everything, and on the kernel W2 (sq) ran on, its
    statistics from the results cache that run filled: the same files, byte for byte."""
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED, processed)

    def job(reports, lang):
        jobs = plan(processed, reports, ["W2"], [lang])
        return next(j for j in jobs if j.report_id == "W2")

    warm.shutdown()
    monkeypatch.delenv(results.CACHE_ENV, raising=False)
    fresh = tmp_path / "fresh"
    try:
        execute(job(fresh, "en"), "key", "data")
        warm.shutdown()
        monkeypatch.setenv(results.CACHE_ENV, str(tmp_path / "cache"))  # the kernel inherits it
        reused = tmp_path / "reused"
        execute(job(reused, "sq"), "key", "data")
        assert warm.current.used
        execute(job(reused, "en"), "key", "data")
    finally:
        warm.shutdown()
    assert len(list((tmp_path / "cache").glob("*.pickle"))) >= 5
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
    caches = set(config.SCRATCH.glob("results-cache-*"))
    reports = tmp_path / "reports"
    # build has no --workshop: it makes every report of the language
    workshops = None if command == "build" else ["W1"]
    made = run_reports(processed, reports, workshops=workshops, langs=["en"], jobs=2, quiet=True)
    assert set(config.SCRATCH.glob("results-cache-*")) <= caches  # the build's cache is removed
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
