"""The index is the dashboard: the pooled key findings, each workshop's numbers and flags, links
to every report in every language (and its PDF), the forest plot, and a stamp that changes with
everything the page shows."""

from __future__ import annotations

import json
import shutil
from html import escape

import pandas as pd
import pytest

from analysis import stats
from analysis.build import index
from analysis.config import LANGS, POOLED_ID, report_dir
from analysis.present import findings
from analysis.present.locale import language, locale, t

from conftest import ROOT

REPORTS = ROOT / "reports"
PROCESSED = ROOT / "data" / "processed"
IDS = [POOLED_ID, "W1", "W2", "W3", "W4"]


@pytest.fixture
def reports(tmp_path):
    """The committed summaries in every language, each beside a report.html, in a new tree."""
    out = tmp_path / "reports"
    for lang in LANGS:
        for rid in IDS:
            source = report_dir(REPORTS, rid, "en") / "summary.json"
            folder = report_dir(out, rid, lang)
            folder.mkdir(parents=True)
            shutil.copy(source, folder / "summary.json")
            (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    return out


def test_flags_name_few_linked_and_low_reliability():
    flags = index.index_flags({"n_paired": 8, "kr20_pre": 0.65, "kr20_post": 0.81})
    assert flags == [
        t("index_flag_few", n=8, few=10),
        t("index_flag_kr20", phase="pre-test", kr20="0.65", low="0.70"),
    ]
    assert index.index_flags({"n_paired": 10, "kr20_pre": 0.70, "kr20_post": None}) == []


def test_the_combined_result_is_the_result_over_all_linked_officers():
    """The index has only the summaries: their weighted means are the pooled report's numbers."""
    paired = pd.read_csv(PROCESSED / "paired.csv")
    overall = stats.paired_summary(paired["pre_pct"], paired["post_pct"])
    pooled = json.loads((REPORTS / POOLED_ID / "summary.json").read_text(encoding="utf-8"))
    combined = findings.combined_result(pooled["workshops"])
    assert combined["n_paired"] == overall["n_paired"] == len(paired)
    for key in ("pre_mean", "post_mean", "pct_improved"):
        assert combined[key] == pytest.approx(overall[key], abs=1e-9)
    # reliable change is per workshop (each officer against their own pre-test): the sum
    overall["rci_improved"] = sum(w["rci_improved"] for w in pooled["workshops"])
    assert combined["rci_improved"] == overall["rci_improved"]
    assert findings.plain_result(combined) == findings.plain_result(overall)


@pytest.mark.parametrize("lang", LANGS)
def test_the_index_shows_the_pooled_result_flags_and_every_report(reports, lang):
    pooled = json.loads((REPORTS / POOLED_ID / "summary.json").read_text(encoding="utf-8"))
    combined = findings.combined_result(pooled["workshops"])
    with language(lang):  # the index of each language is written in it (write_indexes)
        text = index.index_markdown(reports, PROCESSED)
        assert escape(findings.plain_result(combined)) in text
        assert escape(t("findings_caveat", caveat="")) in text
        flags = [flag for w in pooled["workshops"] for flag in index.index_flags(w)]
    box = text.index(f'class="{findings.FINDINGS_CLASS}"')
    assert box < text.index("<table>")  # the result first
    assert all(escape(flag) in text for flag in flags)
    assert len(flags) == 2  # W2, W4
    for rid in IDS:  # each report in each language
        for other in LANGS:
            href = index.report_href(None, lang, rid, other)
            assert f'href="{href}"' in text, (rid, other)
    assert "report.pdf" not in text
    assert f">{locale(lang).name}<" in text


def test_a_pdf_is_linked_when_it_exists_and_the_stamp_follows_it(reports):
    before = index.index_markdown(reports, PROCESSED)
    (report_dir(reports, "W2", "sq") / "report.pdf").write_bytes(b"%PDF-1.7\n")
    after = index.index_markdown(reports, PROCESSED)
    assert 'href="sq/W2/report.pdf"' in after and "report.pdf" not in before
    assert index.index_key(before, "en") != index.index_key(after, "en")


def test_the_forest_plot_is_shown_small_and_its_bytes_are_in_the_stamp(reports):
    assert "<img" not in index.index_markdown(reports, PROCESSED)
    figure = report_dir(reports, POOLED_ID, "en") / index.FOREST
    figure.parent.mkdir()
    figure.write_text("<svg>1</svg>", encoding="utf-8")
    first = index.index_markdown(reports, PROCESSED)
    assert '<img src="pooled/figures/forest.svg"' in first and "max-width:560px" in first
    assert first.index("<img") > first.index("</table>")
    figure.write_text("<svg>2</svg>", encoding="utf-8")
    second = index.index_markdown(reports, PROCESSED)
    assert index.index_key(first, "en") != index.index_key(second, "en")


def test_no_pooled_report_no_box(reports):
    for lang in LANGS:
        shutil.rmtree(report_dir(reports, POOLED_ID, lang))
    text = index.index_markdown(reports, PROCESSED)
    assert findings.FINDINGS_CLASS not in text and "<img" not in text
    assert 'href="W1/report.html"' in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_committed_index_opens_with_the_key_findings(lang):
    """Needs a rebuild after the index changes (as tests/test_pipeline.py)."""
    html = (report_dir(REPORTS, POOLED_ID, lang).parent / "index.html").read_text(encoding="utf-8")
    assert 0 < html.find(findings.FINDINGS_CLASS) < html.find("<table")
    assert "pooled/figures/forest.svg" in html


def test_an_unchanged_index_is_not_built_again_and_a_changed_input_remakes_it(reports, monkeypatch):
    index.write_indexes(reports, PROCESSED)
    page = (reports / "index.html").read_bytes()
    built = []
    real = index.index_markdown
    monkeypatch.setattr(index, "index_markdown", lambda *a: built.append(a) or real(*a))
    index.write_indexes(reports, PROCESSED)  # nothing changed: no Markdown built
    assert built == [] and (reports / "index.html").read_bytes() == page
    (report_dir(reports, "W2", "sq") / "report.pdf").write_bytes(b"%PDF-1.7\n")
    index.write_indexes(reports, PROCESSED)  # an input changed: every language's page again
    assert len(built) == len(LANGS)
    assert b'href="sq/W2/report.pdf"' in (reports / "index.html").read_bytes()
    moved = reports.parent / "elsewhere"  # the stamp names no absolute path
    shutil.copytree(reports, moved)
    built.clear()
    index.write_indexes(moved, PROCESSED)
    assert built == []
