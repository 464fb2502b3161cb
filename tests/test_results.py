"""The results stage: every report's results computed once, written to data/results, and read
back by the notebooks as exactly what computing them gives (issue "One implementation per
statistic, computed once")."""

from __future__ import annotations

import ast
import json
import math
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import results
from analysis.config import POOLED_ID, SOURCE
from analysis.errors import DataError
from analysis.results import store
from analysis.stats.pooled import PooledResult

from conftest import ROOT

PROCESSED = ROOT / "data" / "processed"


def assert_same(a, b, where=""):
    """``a`` and ``b`` equal to the last bit, of the same types (NaN equal to NaN)."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
        return
    if isinstance(a, PooledResult):
        for name in ("summary", "interaction", "ancova", "warnings", "attrition"):
            assert_same(getattr(a, name), getattr(b, name), f"{where}.{name}")
        for name in ("n_obs", "n_groups", "ols_max_diff_se", "llf", "re_var", "converged"):
            assert_same(getattr(a.lmm, name), getattr(b.lmm, name), f"{where}.lmm.{name}")
        pd.testing.assert_series_equal(a.lmm.params, b.lmm.params, check_exact=True)
        pd.testing.assert_frame_equal(a.lmm.conf_int, b.lmm.conf_int, check_exact=True)
        return
    if isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            assert_same(a[key], b[key], f"{where}/{key}")
        return
    if isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
        return
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype, where
        np.testing.assert_array_equal(a, b, err_msg=where)
        return
    assert type(a) is type(b), (where, type(a), type(b))
    if isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    else:
        assert a == b, (where, a, b)


@pytest.fixture(scope="module")
def data():
    return results.load(PROCESSED)


@pytest.fixture(scope="module")
def computed(data):
    return results.compute(data)


@pytest.fixture(scope="module")
def written(tmp_path_factory, data, computed):
    folder = tmp_path_factory.mktemp("stage") / "results"
    results.write(data, folder, computed)
    return folder


def test_every_report_gets_every_result_named_in_the_registry(computed):
    assert list(computed) == ["W1", "W2", "W3", "W4", POOLED_ID]
    for rid, res in computed.items():
        names = results.POOLED_RESULTS if rid == POOLED_ID else results.WORKSHOP_RESULTS
        assert list(res.values) == list(names), rid
    assert computed["W1"].topics is computed["W1"].values["topics"]
    with pytest.raises(AttributeError, match="has no result 'nothing'"):
        _ = computed["W1"].nothing


def test_the_stored_results_read_back_to_the_last_bit(written, computed):
    assert results.is_current(written, PROCESSED)
    for rid, res in computed.items():
        back = results.read(written, rid)
        assert list(back.values) == list(res.values)
        for name, value in res.values.items():
            assert_same(value, back.values[name], f"{rid}:{name}")


def test_a_workshop_computed_alone_equals_its_part_of_every_workshop(data, computed):
    """The notebook's fallback computes one report; the stage computes all at once."""
    for rid in ("W2", POOLED_ID):
        alone = results.compute(data, [rid])[rid]
        for name, value in computed[rid].values.items():
            assert_same(value, alone.values[name], f"{rid}:{name}")


def test_the_pooled_report_holds_the_workshops_own_summaries(computed):
    workshops = computed[POOLED_ID].analysis.summary["workshops"]
    assert [w["workshop_id"] for w in workshops] == ["W1", "W2", "W3", "W4"]
    for w in workshops:
        assert_same(w, computed[w["workshop_id"]].summary, w["workshop_id"])


def test_the_committed_results_are_current_and_are_what_the_code_computes(computed):
    folder = results.results_dir(PROCESSED)
    assert folder == ROOT / "data" / "results"
    assert results.is_current(folder, PROCESSED), "rerun 'python -m analysis results'"
    for rid, res in computed.items():
        for name, value in res.values.items():
            assert_same(value, results.read(folder, rid).values[name], f"{rid}:{name}")


def test_summary_of_reads_the_summaries_without_pandas(written, computed):
    assert_same(results.summary_of(written, "W3"), computed["W3"].summary)
    assert_same(results.summary_of(written, POOLED_ID), computed[POOLED_ID].analysis.summary)
    assert results.summary_of(written, "W9") is None


@pytest.mark.parametrize("change", ["edit", "remove", "add", "processed", "code"])
def test_a_changed_input_or_file_makes_the_folder_stale(tmp_path, written, change, monkeypatch):
    folder = tmp_path / "results"
    shutil.copytree(written, folder)
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED, processed)
    assert results.is_current(folder, processed)
    if change == "edit":
        path = folder / "W1" / "values.json"
        path.write_text(path.read_text() + " ")
    elif change == "remove":
        (folder / "W2" / "topics.parquet").unlink()
    elif change == "add":
        (folder / "W2" / "extra.parquet").write_bytes(b"")
    elif change == "processed":
        path = processed / "flow.csv"
        path.write_text(path.read_text() + "\n")
    else:
        monkeypatch.setattr(store, "code_digest", lambda: "another code")
    assert not results.is_current(folder, processed)


def test_for_report_reads_when_current_and_computes_the_same_otherwise(
    tmp_path, data, computed, monkeypatch
):
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED, processed)
    local = results.load(processed)
    results.write(local, results.results_dir(processed), computed)
    calls = []
    real = results.compute

    def counting(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr("analysis.results.store.compute", counting)
    read = results.for_report(local, "W4")
    assert calls == []
    (results.results_dir(processed) / "W4" / "items.parquet").unlink()
    again = results.for_report(processed, "W4")
    assert calls == [(["W4"],)]
    for name, value in read.values.items():
        assert_same(value, again.values[name], name)


def test_write_refuses_a_folder_the_project_did_not_write(tmp_path, data, computed):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(DataError, match="--results"):
        results.write(data, mine, computed)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_the_command_writes_the_stage_beside_the_processed_data_once(tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED, processed)
    command = [sys.executable, "-m", "analysis", "results", "--processed", str(processed)]
    first = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    assert "computed once" in first.stdout
    manifest = json.loads((tmp_path / "results" / "manifest.json").read_text())
    assert manifest["reports"] == ["W1", "W2", "W3", "W4", POOLED_ID]
    second = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert second.returncode == 0 and "already up to date" in second.stdout


def test_no_module_patches_another_and_no_result_is_unpickled():
    """The old build cache rebound the statistics with setattr and read pickles back; nothing
    in the package does either now."""
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr":
                target = node.args[0]
                assert isinstance(target, ast.Name) and target.id == "args", path
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert "pickle" not in names, path


@pytest.mark.parametrize("report_id", ["../outside", "a/b", ".hidden", "a\\b"])
def test_a_report_id_that_is_a_path_is_refused_and_nothing_is_written(
    tmp_path, data, computed, report_id
):
    folder = tmp_path / "stage" / "results"
    bad = {report_id: results.ReportResults(report_id, computed["W1"].values)}
    with pytest.raises(DataError, match="not a plain name"):
        results.write(data, folder, bad)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["stage"]
    assert results.summary_of(folder, report_id) is None
