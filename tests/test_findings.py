"""The key-findings box: its sentence adds up, its caveat follows the stated rule, and it opens
every report (in the notebooks' plan and in the committed reports' HTML)."""

from __future__ import annotations

import json
import re
from html import escape

import nbformat
import pytest

from analysis.config import DEFAULT_LANG, LANGS, POOLED_ID, report_dir
from analysis.present import findings
from analysis.present.locale import fmt_p, language, t

from conftest import ROOT

REPORTS = ROOT / "reports"
NOTEBOOKS = ROOT / "notebooks"

#: The W1 numbers of the shipped synthetic data (reports/W1/summary.json).
W1 = {
    "n_paired": 14,
    "pre_mean": 50.0,
    "post_mean": 66.42857142857143,
    "diff_mean": 16.428571428571427,
    "diff_ci_low": 6.464707243052702,
    "diff_ci_high": 26.392435614090154,
    "t_stat": 3.5620488320514108,
    "t_df": 13,
    "t_p": 0.003475297885230149,
    "d_z": 0.9519975946067608,
    "d_z_ci_low": 0.30289353472824465,
    "d_z_ci_high": 1.5765520512626112,
    "kr20_pre": 0.8176614881439084,
    "kr20_post": 0.8763145142779416,
    "pct_improved": 78.57142857142857,  # 11 of 14
}


def test_the_plain_sentence_states_the_numbers_a_reader_checks():
    text = findings.plain_result(W1)
    # 66.43 - 50.00 = 16.43, as the headline and the tables show it; 78.57% of 14 = 11 officers
    assert text == (
        "Knowledge rose by 16.4 percentage points, from 50.0% to 66.4% correct; "
        "11 of 14 officers scored higher."
    )
    with language("sq"):
        sq = findings.plain_result(W1)
    assert "16,4 pikë" in sq and "50,0%" in sq and "66,4%" in sq and "11 nga 14" in sq


def test_a_fall_and_no_change_are_said_as_such():
    fell = findings.plain_result({**W1, "pre_mean": 60.2, "post_mean": 55.1})
    assert fell.startswith("Knowledge fell by 5.1 percentage points, from 60.2% to 55.1%")
    same = findings.plain_result({**W1, "pre_mean": 60.22, "post_mean": 60.2})
    assert same.startswith("Knowledge stayed at 60.2% correct")
    too_few = findings.plain_result({**W1, "n_paired": 1})
    assert too_few == t("headline_too_few", n=1)


def test_reliable_change_is_used_when_the_summary_has_it():
    assert "measurement error" not in findings.plain_result(W1)
    with_rci = findings.plain_result({**W1, "rci_improved": 9})
    assert with_rci.endswith("11 of 14 officers scored higher, 9 of them beyond measurement error.")
    suppressed = findings.plain_result({**W1, "rci_improved": None})
    assert suppressed == findings.plain_result(W1)
    with language("sq"):
        assert "9 prej tyre" in findings.plain_result({**W1, "rci_improved": 9})


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({}, "design"),
        ({"n_paired": 9}, "n"),
        ({"n_paired": 10}, "design"),
        ({"kr20_post": 0.69}, "reliability"),
        ({"kr20_pre": 0.70}, "design"),
        ({"kr20_pre": None, "kr20_post": None}, "design"),
        ({"n_paired": 6, "kr20_pre": 0.40}, "n"),  # the small n comes first
    ],
)
def test_the_caveat_follows_the_stated_rule(change, kind):
    assert findings.caveat_kind({**W1, **change}) == kind


def test_the_caveat_names_its_number():
    assert "only 9 officers" in findings.main_caveat({**W1, "n_paired": 9})
    low = findings.main_caveat(W1, kr20=[0.82, 0.5906, None])
    assert "KR-20 0.59, below 0.70" in low
    with language("sq"):
        assert "KR-20 0,59, nën 0,70" in findings.main_caveat(W1, kr20=[0.5906])
    assert "comparison group" in findings.main_caveat(W1)


def test_the_box_is_escaped_html_with_sentence_apa_line_and_caveat():
    box = findings.key_findings({**W1, "t_p": 0.0002})
    assert box.startswith(f"<div class='{findings.FINDINGS_CLASS}'")
    assert "t(13) = 3.56, p &lt; .001, d_z = 0.95, 95% CI [0.30, 1.58]" in box
    assert "<" not in re.sub(r"<(/?)(div|strong|span|br)\b[^>]*>", "", box)
    assert "11 of 14 officers" in box and "Caveat: one group" in box
    with language("sq"):
        sq = findings.key_findings(W1)
        assert f"t(13) = 3,56; {fmt_p(W1['t_p'])}" in sq and "Gjetjet kryesore" in sq


def test_the_pooled_box_takes_every_workshops_reliability():
    pooled = {"workshops": [{**W1, "kr20_pre": 0.5906}, W1], "rci_improved": 40}
    overall = {**W1, "n_paired": 58, "pct_improved": 50.0}
    box = findings.pooled_findings(overall, pooled)
    assert "29 of 58 officers scored higher, 40 of them beyond measurement error" in box
    assert "KR-20 0.59" in box


@pytest.mark.parametrize("name", ["workshop_report", "pooled_report"])
def test_the_notebooks_show_the_box_right_after_the_title(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [
        c
        for c in nb.cells
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    ]
    assert [c["id"] for c in code[:2]] == ["setup", "findings"]
    assert "findings." in code[1].source
    ids = [c["id"] for c in nb.cells]
    assert ids[ids.index("findings") - 1] == "plan-findings"
    assert "report.heading" not in code[0].source  # no section before the box


def _report_pages() -> list:
    ids = [POOLED_ID, "W1", "W2", "W3", "W4"]
    pages = [report_dir(REPORTS, r, lang) / "report.html" for lang in LANGS for r in ids]
    return [p for p in pages if p.is_file()]


@pytest.mark.parametrize("page", _report_pages(), ids=lambda p: str(p.relative_to(REPORTS)))
def test_the_box_precedes_every_section_of_the_committed_report(page):
    """Needs a rebuild after the notebooks change (as tests/test_pipeline.py)."""
    html = page.read_text(encoding="utf-8")
    box = html.find(f"class='{findings.FINDINGS_CLASS}'")
    if box < 0:
        box = html.find(f'class="{findings.FINDINGS_CLASS}"')
    assert box > 0, "no key-findings box"
    first_section = min(m.start() for m in re.finditer(r"<h2\b", html))
    assert box < first_section
    assert html.find("<img") > box  # and before every figure
    summary = json.loads((page.parent / "summary.json").read_text(encoding="utf-8"))
    if page.parent.name != POOLED_ID:
        lang = next((x for x in LANGS if page.is_relative_to(REPORTS / x)), DEFAULT_LANG)
        with language(lang):
            assert escape(findings.plain_result(summary)) in html
