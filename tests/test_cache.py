"""The report cache: a change reruns exactly the reports it touches, nothing else does."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from analysis import build as report
from analysis import config, hashing
from analysis.build import cache
from analysis.config import LANGS

from conftest import ROOT

PROCESSED = ROOT / "data" / "processed"


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A copy of the processed data, notebooks and source, and reports stamped as up to date."""
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED, processed)
    source = tmp_path / "src"
    shutil.copytree(config.SOURCE, source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "source_digests", lambda: hashing.source_digests(source))
    books = {}
    for nb in (config.WORKSHOP_NOTEBOOK, config.POOLED_NOTEBOOK):
        books[nb] = tmp_path / nb.name
        shutil.copy(nb, books[nb])
    reports = tmp_path / "reports"
    jobs = [
        dataclasses.replace(j, notebook=books[j.notebook]) for j in report.plan(processed, reports)
    ]
    for job, key in report.stale_jobs(jobs, processed):
        job.target.mkdir(parents=True)
        (job.target / "report.html").write_text(f"{job.target.name}\n")
        stamp = {"key": key, "outputs": report.outputs_digest(job.target)}
        (job.target / report.CACHE_FILE).write_text(json.dumps(stamp))
    return processed, reports, jobs, source, books


def _stale(jobs, processed, reports, force=False) -> set[str]:
    return {j.label for j, _ in report.stale_jobs(jobs, processed, force)}


ALL = {f"{w} ({lang})" for w in ("W1", "W2", "W3", "W4", "pooled") for lang in LANGS}


def test_nothing_changed_reruns_nothing(built):
    processed, reports, jobs, _, _ = built
    assert len(jobs) == 5 * len(LANGS)
    assert _stale(jobs, processed, reports) == set()


def test_force_reruns_everything(built):
    processed, reports, jobs, _, _ = built
    assert _stale(jobs, processed, reports, force=True) == ALL


def test_processed_data_change_reruns_every_report(built):
    processed, reports, jobs, _, _ = built
    with (processed / "scores.csv").open("a") as fh:
        fh.write("\n")
    assert _stale(jobs, processed, reports) == ALL


def test_source_change_reruns_every_report(built):
    processed, reports, jobs, source, _ = built
    with (source / "config.py").open("a") as fh:
        fh.write("# edited\n")
    assert _stale(jobs, processed, reports) == ALL


@pytest.mark.parametrize(
    "path", ["locales/sq/LC_MESSAGES/analysis.po", "build/templates/index.md.j2"]
)
def test_language_file_or_template_change_reruns_every_report(built, path):
    processed, reports, jobs, source, _ = built
    with (source / path).open("a") as fh:
        fh.write("\n")
    assert _stale(jobs, processed, reports) == ALL


def test_workshop_notebook_change_reruns_the_workshop_reports_only(built):
    processed, reports, jobs, _, books = built
    with books[config.WORKSHOP_NOTEBOOK].open("a") as fh:
        fh.write("\n")
    assert _stale(jobs, processed, reports) == {x for x in ALL if not x.startswith("pooled")}


def test_pooled_notebook_change_reruns_the_pooled_reports_only(built):
    processed, reports, jobs, _, books = built
    with books[config.POOLED_NOTEBOOK].open("a") as fh:
        fh.write("\n")
    assert _stale(jobs, processed, reports) == {f"pooled ({lang})" for lang in LANGS}


@pytest.mark.parametrize(
    ("touched", "expected"),
    [
        (lambda j: j.lang == "sq", {x for x in ALL if x.endswith("(sq)")}),
        (lambda j: j.report_id == "W1", {f"W1 ({lang})" for lang in LANGS}),
        (lambda j: j.label == "pooled (en)", {"pooled (en)"}),
    ],
)
def test_parameter_change_reruns_the_reports_it_touches(built, touched, expected):
    processed, reports, jobs, _, _ = built
    jobs = [
        dataclasses.replace(j, parameters={**j.parameters, "processed_dir": "elsewhere"})
        if touched(j)
        else j
        for j in jobs
    ]
    assert _stale(jobs, processed, reports) == expected


def test_hidden_files_do_not_count_as_data(built):
    processed, reports, jobs, _, _ = built
    (processed / ".clean-stamp").write_text("{}")
    assert _stale(jobs, processed, reports) == set()


def test_a_failed_or_missing_report_reruns(built):
    processed, reports, jobs, _, _ = built
    (reports / "W2" / report.CACHE_FILE).unlink()
    (reports / "sq" / "W3" / report.CACHE_FILE).write_text("not json")
    assert _stale(jobs, processed, reports) == {"W2 (en)", "W3 (sq)"}


def test_an_edited_or_added_output_file_reruns_that_report(built):
    processed, reports, jobs, _, _ = built
    (reports / "W2" / "report.html").write_text("run by hand into reports/\n")
    (reports / "sq" / "pooled" / "tables").mkdir()
    (reports / "sq" / "pooled" / "tables" / "extra.csv").write_text("a\n")
    assert _stale(jobs, processed, reports) == {"W2 (en)", "pooled (sq)"}


def test_key_is_the_same_when_the_inputs_are_read_again(built):
    processed, _, jobs, _, _ = built
    first = cache.Inputs.read(processed, [j.notebook for j in jobs])
    again = cache.Inputs.read(processed, [j.notebook for j in jobs])
    assert [report.cache_key(j, first) for j in jobs] == [report.cache_key(j, again) for j in jobs]


def test_pooled_reports_run_first(built):
    processed, reports, jobs, _, _ = built
    order = [j.report_id for j, _ in report.stale_jobs(jobs, processed, force=True)]
    assert order[:2] == ["pooled", "pooled"]


@pytest.mark.slow
def test_second_run_executes_nothing(tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED, processed)
    reports = tmp_path / "reports"
    kw = {"workshops": ["W1"], "langs": ["en"], "jobs": 2, "quiet": True}
    first = report.run_reports(processed, reports, **kw)
    assert sorted(r["label"] for r in first if "seconds" in r) == ["W1 (en)", "pooled (en)"]
    assert (reports / "W1" / "report.html").is_file()
    second = report.run_reports(processed, reports, **kw)
    assert all(r.get("cached") for r in second) and len(second) == 2


def test_build_skips_clean_only_when_raw_and_code_are_unchanged(tmp_path):
    from analysis.clean import CLEAN_STAMP, processed_is_current, run_clean

    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    processed = tmp_path / "processed"
    run_clean(raw, processed)
    assert (processed / CLEAN_STAMP).is_file()
    assert processed_is_current(raw, processed)
    # a changed raw file makes it stale
    (raw / "responses" / "extra.csv").write_bytes(
        (raw / "responses" / "late_submissions.csv").read_bytes()
    )
    assert not processed_is_current(raw, processed)
    (raw / "responses" / "extra.csv").unlink()
    assert processed_is_current(raw, processed)
    # a processed file edited by hand makes it stale too
    scores = processed / "scores.csv"
    scores.write_bytes(scores.read_bytes() + b"\n")
    assert not processed_is_current(raw, processed)


def test_a_change_of_the_pinned_versions_reruns_every_report(built, monkeypatch, tmp_path):
    processed, reports, jobs, source, _ = built
    pins = tmp_path / "pyproject.toml"
    pins.write_text(
        (config.PROJECT_ROOT / "pyproject.toml").read_text() + "\n# matplotlib bumped\n"
    )
    monkeypatch.setattr(hashing, "PROJECT_ROOT", tmp_path)
    assert _stale(jobs, processed, reports) == ALL
