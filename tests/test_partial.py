"""Partial data: exports for some workshops only. A workshop without questionnaires gets no
report and the index says so; the pooled report counts the workshops it holds and is not made
with fewer than two linked workshops; no "chi-squared(0)" anywhere."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from analysis.atomic import MARKER
from analysis.build import index
from analysis.build.plan import plan
from analysis.config import LANGS, POOLED_ID, report_dir
from analysis.errors import DataError
from analysis.present import page, series
from analysis.present.locale import language, locale, t
from analysis.results import coverage, results_dir
from analysis.stats import pooled

from conftest import ROOT

PROCESSED = ROOT / "data" / "processed"


def _processed(tmp_path, flow: dict[str, tuple[int, int, int]]):
    """A copy of the processed data whose flow gives (scored_pre, scored_post, paired)."""
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED, processed)
    path = processed / "flow.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        pre, post, paired = flow.get(row["workshop_id"], (0, 0, 0))
        row.update(scored_pre=pre, scored_post=post, paired=paired)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return processed


def _labels(jobs) -> set[str]:
    return {j.label for j in jobs}


def test_plan_leaves_out_workshops_without_questionnaires_and_the_pooled_report(tmp_path):
    processed = _processed(tmp_path, {"W1": (16, 16, 14)})
    jobs = plan(processed, tmp_path / "reports")
    assert _labels(jobs) == {f"W1 ({lang})" for lang in LANGS}
    cover = coverage(processed)
    assert cover.without_questionnaires == ("W2", "W3", "W4")
    assert not cover.pooled


def test_plan_makes_the_pooled_report_with_two_linked_workshops(tmp_path):
    # W3: scored pre-tests but nobody linked: its report, but it does not count for pooling
    processed = _processed(tmp_path, {"W1": (16, 16, 14), "W2": (17, 0, 0), "W4": (15, 16, 14)})
    jobs = plan(processed, tmp_path / "reports", langs=["en"])
    assert _labels(jobs) == {"W1 (en)", "W2 (en)", "W4 (en)", "pooled (en)"}
    assert coverage(processed).linked == ("W1", "W4")


def test_plan_with_one_linked_workshop_has_no_pooled_report(tmp_path):
    processed = _processed(tmp_path, {"W1": (16, 16, 14), "W2": (17, 0, 0)})
    jobs = plan(processed, tmp_path / "reports", langs=["en"])
    assert _labels(jobs) == {"W1 (en)", "W2 (en)"}


def test_workshop_option_naming_a_workshop_without_questionnaires_stops(tmp_path):
    processed = _processed(tmp_path, {"W1": (16, 16, 14)})
    with pytest.raises(DataError) as err:
        plan(processed, tmp_path / "reports", ["w2"])
    message = str(err.value)
    assert "--workshop W2" in message and "no questionnaires" in message
    assert "flow.csv" in message and "Workshops with questionnaires: W1" in message


def _fake_results(processed, report_id, summary):
    """The summary of a report as the results stage holds it (the index reads it there)."""
    folder = results_dir(processed) / report_id
    folder.mkdir(parents=True, exist_ok=True)
    values = {"analysis": {"__pooled__": {"summary": summary}}} if report_id == POOLED_ID else {}
    values = values or {"summary": summary}
    (folder / "values.json").write_text(json.dumps(values))


def _fake_reports(reports, ids, lang="en", processed=None):
    summary = {"n_paired": 14, "diff_mean": 10.0, "diff_ci_low": 5.0, "diff_ci_high": 15.0}
    summary |= {"d_z": 1.0, "g_av": 0.9, "synthetic": True}
    for rid in ids:
        folder = report_dir(reports, rid, lang)
        folder.mkdir(parents=True)
        content = {"workshops": [{"workshop_id": "W1"}]} if rid == POOLED_ID else summary
        (folder / "summary.json").write_text(json.dumps(content))
        (folder / "report.html").write_text(f"<p>{rid}</p>\n")
        (folder / MARKER).write_text("written by python -m analysis (report)\n")
        if processed is not None:
            _fake_results(processed, rid, content)


@pytest.mark.parametrize("lang", LANGS)
def test_index_lists_a_workshop_without_questionnaires_and_says_why_no_pooled(tmp_path, lang):
    processed = _processed(tmp_path, {"W1": (16, 16, 14)})
    reports = tmp_path / "reports"
    _fake_reports(reports, ["W1"], lang, processed)
    with language(lang):
        text = index.index_markdown(reports, processed)
        assert text.count(t("index_no_questionnaires")) == 3  # W2, W3, W4
        assert "W2/report.html" not in text and "W1/report.html" in text
        assert t("index_pooled_none", n_linked=1, n_min=2) in text
        assert "pooled/report.html" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_index_pooled_link_counts_the_pooled_workshops(tmp_path, lang):
    processed = _processed(tmp_path, {w: (16, 16, 14) for w in ("W1", "W2", "W3")})
    reports = tmp_path / "reports"
    _fake_reports(reports, ["W1", "W2", "W3"], lang, processed)
    folder = report_dir(reports, POOLED_ID, lang)
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<p>pooled</p>\n")
    three = {"workshops": [{"workshop_id": w} for w in ("W1", "W2", "W3")]}
    _fake_results(processed, POOLED_ID, three)
    with language(lang):
        text = index.index_markdown(reports, processed)
        assert t("index_pooled_link", n_workshops=3) in text
        assert text.startswith("<p") and text.count(t("index_no_questionnaires")) == 1


def test_retired_report_folders_are_removed_only_when_the_project_wrote_them(tmp_path):
    processed = _processed(tmp_path, {"W1": (16, 16, 14)})
    reports = tmp_path / "reports"
    _fake_reports(reports, ["W1", "W2", POOLED_ID], "en")
    _fake_reports(reports, ["W3"], "sq")
    foreign = report_dir(reports, "W4", "en")
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("mine")
    kept = index.retire_reports(reports, processed)
    assert kept == [foreign]
    assert (foreign / "notes.txt").read_text() == "mine"
    assert not report_dir(reports, "W2", "en").exists()
    assert not report_dir(reports, "W3", "sq").exists()
    assert not report_dir(reports, POOLED_ID, "en").exists()  # one linked workshop: no pooled
    assert (report_dir(reports, "W1", "en") / "summary.json").is_file()
    assert not list(reports.glob("**/.*retired*"))
    text = index.index_markdown(reports, processed)
    assert "W4/report.html" not in text  # left in place, not linked


@pytest.mark.parametrize("lang", LANGS)
def test_pooled_title_counts_and_names_the_workshops_it_holds(lang):
    names = ["W1 Ferizaj", "W3 Prishtinë", "W4 Mitrovicë"]
    with language(lang):
        text = page.pooled_title(3, 90, 40, "headline", False, names=names)
        assert t("pooled_title", n_workshops=3) in text
        assert all(n in text for n in names)
        sep = locale().list_separator
        assert sep.join(names) in text
        assert "four" not in text.lower() and "katër" not in text.lower()


@pytest.mark.parametrize("lang", LANGS)
def test_interaction_with_one_workshop_is_not_testable_and_never_chi2_of_0(lang):
    with language(lang):
        one = {"n_workshops": 1, "lr": float("nan"), "df": 0, "p": float("nan")}
        assert series.interaction_text(one, float("nan")) == t("interaction_one_workshop")
        degenerate = {"n_workshops": 3, "lr": 0.0, "df": 0, "p": float("nan")}
        assert series.interaction_text(degenerate, float("nan")) == t("interaction_no_df")
        tested = {"n_workshops": 4, "lr": 3.5, "df": 3, "p": 0.32}
        assert "(3)" in series.interaction_text(tested, 0.32)
        for text in (t("interaction_one_workshop"), t("interaction_no_df")):
            assert "χ²" not in text


@pytest.fixture(scope="module")
def one_workshop():
    from analysis import results

    data = results.load(PROCESSED)
    w = results.workshop(data, "W1")
    fit = pooled.pooled_analysis(w.scores, w.paired, w.answers, data.codebook, False)
    gee = pooled.item_gee(w.answers, data.codebook)
    return fit, gee


@pytest.mark.parametrize("lang", LANGS)
def test_pooled_models_over_one_workshop_say_not_testable(one_workshop, lang):
    fit, gee = one_workshop
    assert fit.interaction["n_workshops"] == 1
    with language(lang):
        text = series.models_text(fit.summary, fit, gee, 10.0)
        assert "χ²(0)" not in text and "χ²(–)" not in text
        assert t("interaction_one_workshop") in text
        limits = series.pooled_limitations(fit.summary["workshops"], 14, 16, False)
        assert "four" not in (text + limits).lower() and "katër" not in (text + limits).lower()


def test_an_id_that_is_a_path_stops_the_plan_even_without_questionnaires(tmp_path):
    processed = _processed(tmp_path, {"W1": (16, 16, 14)})
    registry = processed / "workshops.csv"
    registry.write_text(registry.read_text().replace("W2,", "../victim,", 1))
    with pytest.raises(DataError, match="not a plain name|lies outside"):
        plan(processed, tmp_path / "reports")
