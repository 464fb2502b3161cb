"""Hardening of the reports' output: no markup, link, script or formula from the data, no script
from a CDN, and subgroups that withstand a reader who compares rows (disclosure by differencing).

Each test reproduces one defect of the hardening issue; the end-to-end test builds a raw world
whose registry and codebook texts are full of HTML, ``javascript:`` links and ``$...$`` and
compares every HTML page with the same build on the shipped data.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from analysis.config import LANGS, POOLED_ID, report_dir
from analysis.present import page, prose, series
from analysis.present.display import html_table, save_table
from analysis.present.escape import md_text, safe_href
from analysis.present.locale import language
from analysis.stats import (
    HIDDEN,
    complementary_suppression,
    differencing_suppression,
    subgroup_table,
)

from conftest import RAW

#: Markup, links, math and Markdown that a registry or codebook text may hold.
PAYLOAD = (
    "<img src=x onerror=alert(1)><script>alert(2)</script> [c](javascript:alert(3)) "
    '<a href="javascript:alert(4)">a</a> <svg onload=alert(5)> $x^2$ and $ '
    "http://evil.example/x *e* _u_ `code` ~~s~~ | # h &amp;"
)


class Page(HTMLParser):
    """Every tag, attribute, link target and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: set[tuple[str, str]] = set()
        self.links: list[str] = []
        self.script_src: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attrs.add((tag, name))
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                self.links.append(value)
            if tag == "script" and name == "src":
                self.script_src.append(value or "")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Page:
    """The page parsed."""
    p = Page()
    p.feed(html)
    p.close()
    return p


def is_script_url(url: str) -> bool:
    """Whether a browser would run ``url`` as script (``javascript:``, ``vbscript:``, ``data:``
    HTML), ignoring the whitespace and control characters browsers ignore."""
    squeezed = "".join(ch for ch in url if ord(ch) > 32).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


def rendered(markdown: str) -> Page:
    """Markdown rendered by nbconvert (as the reports are), parsed."""
    return parse(markdown2html_mistune(markdown))


def assert_inert(p: Page, allowed_tags: set[str] = frozenset({"p"})) -> None:
    """No tag beyond ``allowed_tags``, no event attribute, no script URL."""
    assert p.tags <= set(allowed_tags), p.tags
    assert not [a for a in p.attrs if a[1].startswith("on")]
    assert not [u for u in p.links if is_script_url(u)]


# 1. no markup from the data ------------------------------------------------------------------


def test_md_text_shows_hostile_text_as_written_and_no_markup():
    p = rendered(f"Title {md_text(PAYLOAD)}")
    assert_inert(p)
    shown = "".join(p.text)
    assert "onerror=alert(1)" in shown and "$x^2$ and $" in shown and "[c](javascript:" in shown
    assert "*e* _u_ `code` ~~s~~ | # h &amp;" in shown


@pytest.mark.parametrize(
    "text",
    ["Pejë-Gjakovë and Border", "K05 Which factor most influences trust?", "Mitrovicë Jug-Veri"],
)
def test_md_text_leaves_ordinary_text_as_it_looks(text):
    assert md_text(text) == text
    assert "".join(rendered(md_text(text)).text).strip() == text


@pytest.mark.parametrize("text", ["- a", "+ a", "> a", "1. a", "2) a", "# a", "=== a", "a\n\n- b"])
def test_md_text_at_a_line_start_makes_no_block(text):
    p = rendered(md_text(text))
    assert p.tags == {"p"}
    assert "".join(p.text).strip() == " ".join(text.split())


def test_workshop_title_escapes_the_directorate():
    facts = {"workshop_id": "W1", "number": 1, "date": "2021-03-16", "directorate": PAYLOAD}
    summary = {"n_pre": 3, "n_post": 3, "n_paired": 3}
    for lang in ("en", "sq"):
        with language(lang):
            p = rendered(page.workshop_title(facts, summary, True))
        assert_inert(p, {"p", "a", "h1", "div"})
        links = [u for u in p.links if not u.startswith("#")]  # nbconvert's heading anchors
        others = [f"../{o}/W1/report.html" for o in LANGS if o != "en"]
        assert links == (["../index.html", *others] if lang == "en" else links)
        assert "".join(p.text).count("onerror=alert(1)") == 2  # in the title and the facts


def test_nav_link_of_a_hostile_id_is_no_script_url():
    p = rendered(page.nav("javascript:alert(1)"))
    assert p.links and not [u for u in p.links if is_script_url(u)]
    assert safe_href("javascript:alert(1)") == "javascript%3Aalert%281%29"


def test_sentences_escape_topics_items_and_warnings():
    codebook = pd.DataFrame(
        {"item_id": ["K01", "R01"], "text_en": [PAYLOAD, PAYLOAD], "text_sq": [PAYLOAD, ""]}
    )
    topics = pd.DataFrame({"topic": [PAYLOAD], "diff_mean": [3.0], "n_paired": [9]})
    reaction = pd.DataFrame({"item_id": ["R01"], "n": [9], "pct_agree": [80.0]})

    class Fit:
        warnings = [PAYLOAD, "ConvergenceWarning: `x` $y$"]
        lmm = None

    for lang in ("en", "sq"):
        with language(lang):
            texts = (
                prose.topics_text(topics),
                prose.reaction_text(reaction, codebook),
                prose.provenance_text({"commit": PAYLOAD}),
                series.warnings_text(Fit(), {}),
            )
        for md in texts:
            p = rendered(md)
            assert_inert(p, {"p", "ul", "li", "code"})
            assert "onerror=alert(1)" in "".join(p.text)


def test_tables_escape_their_cells():
    shown = pd.DataFrame({"Group": [PAYLOAD], "n": [7]})
    p = parse(html_table(shown).data)
    assert_inert(p, {"table", "thead", "tbody", "tr", "th", "td"})
    assert PAYLOAD in "".join(p.text)


def test_figures_show_dollar_signs_as_written(tmp_path):
    from analysis.present import figures as fg

    topics = pd.DataFrame(
        {
            "topic_label": ["costs $5 or $", "$x^2$", "a_b"],
            "diff_mean": [5.0, -2.0, 1.0],
            "diff_ci_low": [1.0, -4.0, 0.0],
            "diff_ci_high": [9.0, 0.0, 2.0],
            "p_holm": [0.01, 0.2, 0.5],
            "n_paired": [12, 12, 12],
        }
    )
    fig = fg.topic_change(topics)
    fg.save(fig, tmp_path, "topic_change")  # an unbalanced "$" raised in mathtext before
    labels = {t.get_text() for ax in fig.axes for t in ax.get_yticklabels()}
    assert {"costs $5 or $", "$x^2$"} <= labels
    assert all(not t.get_parse_math() for ax in fig.axes for t in ax.get_yticklabels())
    assert (tmp_path / "figures" / "topic_change.svg").stat().st_size > 0


def test_index_links_and_texts_from_hostile_ids_and_directorates(tmp_path):
    from analysis.build.index import index_markdown
    from analysis.results import results_dir

    wid = "javascript:alert(1)"
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    processed.mkdir()
    with (processed / "workshops.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["workshop_id", "number", "directorate", "date", "aliases"])
        w.writerow([wid, 1, PAYLOAD + "\n\n[x](javascript:alert(9))", "2021-03-16", "a"])
    summary = {"n_paired": 3, "diff_mean": 1.0, "diff_ci_low": 0.0, "diff_ci_high": 2.0}
    summary |= {"d_z": 0.5, "g_av": 0.4, "synthetic": True}
    stage = results_dir(processed)
    for folder, content in [(POOLED_ID, {"workshops": [{"workshop_id": wid}]}), (wid, summary)]:
        (report_dir(reports, folder, "en")).mkdir(parents=True)
        (report_dir(reports, folder, "en") / "report.html").write_text("<p>report</p>\n")
        values = {"summary": content}
        if folder == POOLED_ID:
            values = {"analysis": {"__pooled__": {"summary": content}}}
        (stage / folder).mkdir(parents=True)
        (stage / folder / "values.json").write_text(json.dumps(values))
    p = rendered(index_markdown(reports, processed))
    assert not [u for u in p.links if is_script_url(u)]
    assert not [a for a in p.attrs if a[1].startswith("on")]
    assert p.tags <= {"p", "a", "h1", "div", "table", "thead", "tbody", "tr", "th", "td", "sub"}
    assert "onerror=alert(1)" in "".join(p.text)


# 2. no script from a CDN -----------------------------------------------------------------------


def test_rendered_html_loads_no_script_and_keeps_dollars():
    from nbformat.v4 import new_markdown_cell, new_notebook

    from analysis.build.render import render_html

    nb = new_notebook(cells=[new_markdown_cell("costs $5 and $x$ here", id="a")])
    nb.metadata["language_info"] = {"name": "python"}
    html = render_html(nb, "t", "en")
    p = parse(html)
    assert "script" not in p.tags  # nothing to run, nothing loaded from outside the file
    assert "cdnjs" not in html and "mathjax" not in html.lower()
    assert "costs $5 and $x$ here" in "".join(p.text)


# 3. no live formulas in report tables ----------------------------------------------------------


def test_report_tables_are_written_without_live_formulas(tmp_path):
    shown = pd.DataFrame(
        {
            "text": ['=HYPERLINK("http://x")', "+1 555", "-x", "@SUM(A1)", "\tx", "\rx", "ok"],
            "number_text": ["-2,6", "+3", "-0.5", "12", "1e3", "-", "7%"],
            "number": [-3.5, 2.0, -1.0, 0.0, 4.0, 5.0, 6.0],
        }
    )
    path = save_table(shown, tmp_path, "t")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    with path.open(encoding="utf-8-sig", newline="") as fh:
        back = pd.DataFrame(list(csv.DictReader(fh, delimiter=",")))
    assert back["text"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "'+1 555",
        "'-x",
        "'@SUM(A1)",
        "'\tx",
        "'\nx",  # a carriage return is written as a line feed, quoted
        "ok",
    ]
    assert back["number_text"].tolist() == ["-2,6", "+3", "-0.5", "12", "1e3", "'-", "7%"]
    assert back["number"].tolist() == ["-3.5", "2.0", "-1.0", "0.0", "4.0", "5.0", "6.0"]
    assert shown["text"].iloc[0].startswith("=")  # the shown frame is left as it was


# 4. differencing -------------------------------------------------------------------------------


def _paired(gender, community, years) -> pd.DataFrame:
    n = len(gender)
    return pd.DataFrame(
        {
            "workshop_id": "W1",
            "gender": gender,
            "community": community,
            "years_of_service": years,
            "gain_pct": np.linspace(-10.0, 30.0, n),
        }
    )


def _published(table: pd.DataFrame, paired: pd.DataFrame) -> list[frozenset[int]]:
    """The member sets of every published group (the whole group included)."""
    from analysis.stats import years_band

    sets = [frozenset(range(len(paired)))]
    for row in table.loc[~table["suppressed"]].itertuples():
        values = paired[row.variable]
        if row.variable == "years_of_service":
            values = years_band(values.to_numpy())
        values = pd.Series(values.to_numpy(), dtype="string").fillna("missing")
        sets.append(frozenset(np.flatnonzero(values.to_numpy() == row.group)))
    return sets


def _assert_no_differencing(table: pd.DataFrame, paired: pd.DataFrame) -> None:
    sets = _published(table, paired)
    for i, a in enumerate(sets):
        for b in sets[i + 1 :]:
            assert len(a ^ b) >= 5, (sorted(a), sorted(b))


def test_the_same_six_people_in_three_characteristics_are_shown_once():
    # the six women are the six Serb officers and the six with under ten years of service
    gender = ["F"] * 6 + ["M"] * 14
    community = ["Serb"] * 6 + ["Shqiptar"] * 14
    years = [3] * 6 + [12] * 7 + [25] * 7
    paired = _paired(gender, community, years)
    table = subgroup_table(paired)
    _assert_no_differencing(table, paired)
    shown = table.loc[~table["suppressed"]]
    stats = shown[["n", "mean_gain", "ci_low", "ci_high"]].astype(float).round(9)
    assert not stats.duplicated().any()  # no row repeated under another name
    assert shown.loc[shown["group"] == "F", "n"].tolist() == [6]  # the first is kept
    hidden = table.loc[table["suppressed"]]
    assert set(hidden["n"]) == {HIDDEN}
    assert {"Serb", "Shqiptar", "0-9"} <= set(hidden["group"])


def test_two_groups_that_differ_by_one_person_are_not_both_shown():
    # women: 0-6; Serb officers: 0-7 (the women and one man)
    gender = ["F"] * 7 + ["M"] * 13
    community = ["Serb"] * 8 + ["Shqiptar"] * 12
    years = [3, 12] * 10
    paired = _paired(gender, community, years)
    table = subgroup_table(paired)
    _assert_no_differencing(table, paired)
    by = table.set_index(["variable", "group"])
    assert by.loc[("gender", "F"), "suppressed"]  # the smaller of the two
    assert by.loc[("gender", "M"), "suppressed"]  # else F = n_paired - M
    assert not by.loc[("community", "Serb"), "suppressed"]


def test_a_group_of_everyone_repeats_the_whole_group_and_is_hidden():
    paired = _paired(["M"] * 12, ["Shqiptar"] * 6 + ["Serb"] * 6, [3] * 6 + [12] * 6)
    table = subgroup_table(paired)
    _assert_no_differencing(table, paired)
    by = table.set_index(["variable", "group"])
    assert by.loc[("gender", "M"), "n"] == HIDDEN
    # Shqiptar and 0-9 are the same six, Serb and 10-19 too: the later characteristic goes
    assert not by.loc[[("community", "Serb"), ("community", "Shqiptar")], "suppressed"].any()
    assert by.loc[[("years_of_service", "0-9"), ("years_of_service", "10-19")], "suppressed"].all()


def test_differencing_suppression_is_deterministic_and_keeps_complementary_guarantees():
    members = {
        "gender": {"F": set(range(6)), "M": set(range(6, 20))},
        "community": {"S": set(range(6)), "A": set(range(6, 18)), "other": {18, 19}},
        "years_of_service": {"0-9": set(range(6)), "10-19": set(range(6, 20))},
    }
    first = differencing_suppression(members)
    assert first == differencing_suppression(members)
    assert first == {
        "gender": set(),
        "community": {"S", "A", "other"},
        "years_of_service": {"0-9", "10-19"},
    }
    # a single hidden cell would follow from the total: never alone
    assert complementary_suppression({"a": 6, "b": 9}, forced={"a"}) == {"a", "b"}
    assert complementary_suppression({"a": 6, "b": 9, "c": 7}, forced={"a"}) == {"a", "c"}
    assert complementary_suppression({"o": 4, "x": 5, "y": 8}, forced={"y"}) == {"o", "y"}


def test_the_hidden_rest_of_a_characteristic_counts_as_published():
    # years: 20+ (4) is pooled as "other" and hidden, 10-19 (6) hidden as its complement, 0-9
    # shown; so the ten people of 0-19 follow as everyone minus 0-9. The Serb officers are
    # those ten and one more: comparing the two gives one person away.
    members = {
        "community": {
            "Bosniak": set(range(17, 23)),
            "Serb": set(range(11)),
            "Shqiptar": set(range(11, 17)),
        },
        "years_of_service": {
            "0-9": set(range(10, 23)),
            "10-19": set(range(6)),
            "other": {6, 7, 8, 9},
        },
    }
    hidden = differencing_suppression(members)
    assert hidden["years_of_service"] == {"10-19", "other"}
    assert hidden["community"] == {"Serb", "Bosniak"}  # Serb (11) is smaller than 0-9 (13)
    everyone = set(range(23))
    shown = [everyone] + [members[v][g] for v in members for g in members[v] if g not in hidden[v]]
    for v, groups in members.items():
        rest = set().union(*(groups[g] for g in hidden[v]))
        if rest and rest != everyone:
            shown.append(rest)
    for i, group in enumerate(shown):
        assert all(len(group ^ other) >= 5 for other in shown[i + 1 :])


def test_shipped_subgroup_tables_pass_the_differencing_rule():
    from analysis import results

    data = results.load(Path(__file__).resolve().parents[1] / "data" / "processed")
    for wid in data.registry["workshop_id"]:
        w = results.workshop(data, wid)
        _assert_no_differencing(subgroup_table(w.paired), w.paired.reset_index(drop=True))


# 1, 2, 5 end to end: a hostile raw world built and compared with the shipped one ----------------


def _hostile_raw(folder: Path) -> None:
    """The shipped raw data with every registry and codebook text made hostile, and one topic
    that no language file translates."""
    registry = pd.read_csv(folder / "workshops.csv", dtype=str, keep_default_na=False)
    for column in ("directorate", "directorate_sq"):
        registry[column] = registry[column] + " " + PAYLOAD
    registry.to_csv(folder / "workshops.csv", index=False)
    path = folder / "instrument" / "codebook.csv"
    codebook = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("text_en", "text_sq"):
        codebook[column] = codebook[column] + " " + PAYLOAD
    codebook.loc[codebook["topic"] == "communities", "topic"] = "untranslated_topic-9"
    codebook.to_csv(path, index=False)


def _build(raw: Path, out: Path) -> dict[str, str]:
    """Clean ``raw`` and make W1's and the pooled report in every language; the HTML pages."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    processed, reports = out / "processed", out / "reports"
    for args in (
        ["clean", "--raw", str(raw), "--processed", str(processed)],
        ["report", "--processed", str(processed), "--reports", str(reports), "--workshop", "W1"]
        + ["--lang", "en", "sq", "--jobs", "2"],
    ):
        run = subprocess.run(
            [sys.executable, "-m", "analysis", *args],
            capture_output=True,
            text=True,
            cwd=out,
            env=env,
            timeout=900,
        )
        assert run.returncode == 0, run.stderr
    pages = {
        p.relative_to(reports).as_posix(): p.read_text("utf-8") for p in reports.rglob("*.html")
    }
    assert len(pages) == 6, sorted(pages)  # W1 and pooled in en and sq, two indexes
    return pages


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The HTML pages of the shipped world and of the hostile one."""
    base = tmp_path_factory.mktemp("hardening")
    shutil.copytree(RAW, base / "raw_clean")
    shutil.copytree(RAW, base / "raw_hostile")
    _hostile_raw(base / "raw_hostile")
    (base / "clean").mkdir()
    (base / "hostile").mkdir()
    return _build(base / "raw_clean", base / "clean"), _build(
        base / "raw_hostile", base / "hostile"
    )


@pytest.mark.slow
def test_hostile_texts_reach_no_page_as_markup(builds):
    clean, hostile = builds
    assert clean.keys() == hostile.keys()
    allowed_tags = set().union(*(parse(h).tags for h in clean.values()))
    allowed_attrs = set().union(*(parse(h).attrs for h in clean.values()))
    for name, html in hostile.items():
        p = parse(html)
        assert p.tags <= allowed_tags, (name, p.tags - allowed_tags)
        assert p.attrs <= allowed_attrs, (name, p.attrs - allowed_attrs)
        assert not [a for a in p.attrs if a[1].startswith("on")], name
        assert not [u for u in p.links if is_script_url(u)], name
        shown = "".join(p.text)
        assert "onerror=alert(1)" in shown, name  # the text is shown, as text
        if name.endswith("report.html"):
            assert "$x^2$ and $" in shown, name
    w1 = "".join(parse(hostile["W1/report.html"]).text)
    assert "untranslated_topic-9" in w1  # an untranslated topic is shown as the codebook's id


@pytest.mark.slow
def test_no_page_loads_a_script(builds):
    for pages in builds:
        for name, html in pages.items():
            p = parse(html)
            assert not p.script_src, (name, p.script_src)
            assert "script" not in p.tags, name


def test_small_groups_join_the_answers_already_called_other():
    """10 Shqiptar, 6 'other' (free text mapped by the clean step) and 2 Serb: the two join the
    six in 'other' (8), the six are not lost under a pooled group of two."""
    from analysis.stats import subgroup_table

    community = ["Shqiptar"] * 10 + ["other"] * 6 + ["Serb"] * 2
    paired = pd.DataFrame(
        {
            "workshop_id": "W1",
            "gain_pct": [float(i % 7) for i in range(len(community))],
            "community": pd.Series(community, dtype="string"),
        }
    )
    table = subgroup_table(paired, variables=("community",))
    groups = dict(zip(table["group"], table["n"], strict=True))
    assert groups == {"Shqiptar": 10, "other": 8}  # before the fix: other "<5", Shqiptar hidden
