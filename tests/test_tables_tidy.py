"""The tables for reuse (issue 15, point 4): tidy CSVs and one workbook per report, the same in
every language, numbers as numbers at full precision, a dictionary naming every column."""

from __future__ import annotations

import io
import json
import math
import zipfile

import pandas as pd
import pytest

from analysis import results, stats
from analysis.config import LANGS, REPORTS, report_dir
from analysis.present import series, tables
from analysis.present.display import Report, table_csv, workbook_bytes
from analysis.present.tidy import dictionary, tidy_subgroups
from analysis.stats import pooled

NUMERIC = {"n", "estimate", "ci_low", "ci_high", "statistic", "df", "p", "p_holm", "d_z"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """W1's and the series' tables written by a Report in every language."""
    data = results.load(None)
    w = results.workshop(data, "W1")
    summary = stats.workshop_summary(
        w.scores, w.paired, w.answers, data.codebook, workshop_id="W1", synthetic=True
    )
    topics = stats.topic_table(w.scores, data.codebook)
    items = stats.item_table(w.answers, data.codebook)
    reaction = stats.reaction_summary(w.answers, data.codebook)
    subgroups = stats.subgroup_table(w.paired)
    mde = stats.minimal_detectable_effect(summary["n_paired"])
    fit = pooled.pooled_analysis(
        data.scores, data.paired, data.answers, data.codebook, data.synthetic
    )
    gee = pooled.item_gee(data.answers, data.codebook)
    out = {}
    for lang in LANGS:
        report = Report(out=tmp_path_factory.mktemp(lang), lang=lang)
        report._show = lambda *objs: None
        report.table(tables.flow_display(w.flow, lang), "flow")
        report.table(tables.topic_display(topics, lang), "topics")
        report.table(tables.topic_tests_display(topics, lang), "topic_tests")
        report.table(tables.item_display(items, data.codebook, lang), "items")
        report.table(tables.reaction_display(reaction, data.codebook, lang), "reaction")
        report.table(tables.subgroup_display(subgroups, lang), "subgroups")
        report.table(tables.sensitivity_display(summary, mde, lang), "sensitivity")
        report.table(series.workshop_overview(fit.summary["workshops"], data.registry, lang), "w")
        report.table(series.model_display(fit.summary, fit, gee, lang), "models")
        out[lang] = report.out / "tables"
    return {"dirs": out, "summary": summary, "topics": topics, "fit": fit, "gee": gee}


def test_the_tables_are_the_same_bytes_in_every_language(written):
    first, *others = written["dirs"].values()
    names = sorted(p.name for p in first.iterdir())
    assert {"flow.csv", "topics.csv", "dictionary.csv", "tables.xlsx"} <= set(names)
    for other in others:
        assert sorted(p.name for p in other.iterdir()) == names
        for name in names:
            assert (other / name).read_bytes() == (first / name).read_bytes(), name


def test_csvs_are_utf8_with_bom_comma_separated_snake_case_and_numeric(written):
    folder = written["dirs"][LANGS[0]]
    for path in sorted(folder.glob("*.csv")):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name
        assert b"\r" not in raw
        frame = pd.read_csv(path, encoding="utf-8-sig")
        for column in frame.columns:
            assert column == column.lower() and " " not in column, (path.name, column)
            if column in NUMERIC:
                assert pd.api.types.is_numeric_dtype(frame[column]), (path.name, column)


def test_the_numbers_are_the_statistics_at_full_precision(written):
    folder, s, topics = written["dirs"][LANGS[0]], written["summary"], written["topics"]
    sens = pd.read_csv(folder / "sensitivity.csv", encoding="utf-8-sig").iloc[0]
    assert sens["n"] == s["n_paired"] == 14
    assert sens["d_z"] == s["d_z"]  # exactly: written with the shortest repr that round-trips
    assert (sens["d_z_ci_low"], sens["d_z_ci_high"]) == (s["d_z_ci_low"], s["d_z_ci_high"])
    back = pd.read_csv(folder / "topics.csv", encoding="utf-8-sig")
    assert back["estimate"].tolist() == topics["diff_mean"].tolist()
    assert back["ci_low"].tolist() == topics["diff_ci_low"].tolist()
    assert back["p_holm"].tolist() == topics["t_p_holm"].tolist()
    tests = pd.read_csv(folder / "topic_tests.csv", encoding="utf-8-sig")
    assert tests["statistic"].tolist() == topics["t_stat"].tolist()
    assert tests["df"].tolist() == [13.0] * len(topics)  # 14 linked people
    workshops = pd.read_csv(folder / "w.csv", encoding="utf-8-sig")
    for row, w in zip(workshops.itertuples(), written["fit"].summary["workshops"], strict=True):
        assert (row.estimate, row.ci_low, row.ci_high) == (
            w["diff_mean"],
            w["diff_ci_low"],
            w["diff_ci_high"],
        )
    models = pd.read_csv(folder / "models.csv", encoding="utf-8-sig").set_index("term")
    fit = written["fit"]
    assert models.loc["ancova_workshop_F", ["statistic", "df", "df_den"]].tolist() == [
        fit.ancova["F"],
        3.0,  # four workshops
        fit.ancova["df_den"],
    ]
    assert models.loc["lmm_interaction_lr", "df"] == 3.0
    assert models.loc["gee_odds_ratio", "estimate"] == written["gee"]["odds_ratio"]


def test_the_workbook_has_a_sheet_per_table_with_numbers_as_numbers(written):
    from openpyxl import load_workbook

    folder = written["dirs"][LANGS[0]]
    book = load_workbook(folder / "tables.xlsx")
    csvs = sorted(p.stem for p in folder.glob("*.csv"))
    assert sorted(book.sheetnames) == csvs
    sheet = book["sensitivity"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["d_z"] == written["summary"]["d_z"] and isinstance(row["n"], int)
    with zipfile.ZipFile(folder / "tables.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2021, 3, 25, 0, 0, 0)}


def test_every_column_is_in_the_dictionary_with_a_unit(written):
    folder = written["dirs"][LANGS[0]]
    terms = pd.read_csv(folder / "dictionary.csv", encoding="utf-8-sig", keep_default_na=False)
    for path in sorted(folder.glob("*.csv")):
        if path.stem == "dictionary":
            continue
        columns = pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns.tolist()
        described = terms.loc[terms["table"] == path.stem, "column"].tolist()
        assert described == columns, path.name
    assert (terms["unit"] != "").all()
    for lang in LANGS:
        assert (terms[f"description_{lang}"].str.len() > 5).all()
    with pytest.raises(KeyError, match="tables/x.csv: column 'new_thing'"):
        dictionary({"x": pd.DataFrame({"new_thing": [1]})})


def test_suppressed_subgroups_stay_empty_with_their_flag():
    shown = pd.DataFrame(
        {
            "variable": ["gender", "gender", "community"],
            "group": ["M", "other", "=cmd|' /C calc'!A0"],
            "n": ["hidden", "<5", 7],
            "mean_gain": [10.0, 20.0, 5.5],
            "sd_gain": [1.0, 2.0, 3.0],
            "ci_low": [0.0, 1.0, 2.0],
            "ci_high": [9.0, 9.0, 9.0],
            "suppressed": [True, True, False],
        }
    )
    back = pd.read_csv(io.BytesIO(table_csv(tidy_subgroups(shown))), encoding="utf-8-sig")
    assert back["suppressed"].tolist() == [True, True, False]
    assert back["suppression"].fillna("").tolist() == ["complementary", "under_5", ""]
    assert back["n"].isna().tolist() == [True, True, False] and back["n"].iloc[2] == 7
    for column in ("estimate", "sd", "ci_low", "ci_high"):
        assert back[column].isna().tolist() == [True, True, False], column
    assert back["estimate"].iloc[2] == 5.5
    assert back["group"].iloc[2] == "'=cmd|' /C calc'!A0"  # defused: a spreadsheet shows text


def test_a_formula_looking_text_is_defused_in_the_workbook_too():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes({"t": pd.DataFrame({"a": ["=1+1", "ok"]})})))
    cells = [c.value for c in book["t"]["A"]]
    assert cells == ["a", "'=1+1", "ok"]
    assert book["t"]["A2"].data_type == "s"
    twice = workbook_bytes({"t": pd.DataFrame({"a": ["=1+1", "ok"]})})
    assert twice == workbook_bytes({"t": pd.DataFrame({"a": ["=1+1", "ok"]})})


def test_a_named_table_without_a_tidy_table_is_refused(tmp_path):
    report = Report(out=tmp_path)
    report._show = lambda *objs: None
    with pytest.raises(ValueError, match="table 'x' has no tidy table"):
        report.table(pd.DataFrame({"Shown": ["1.0 [0.5, 2.0]"]}), "x")
    report.table(pd.DataFrame({"Shown": ["x"]}))  # an unnamed table is only shown
    assert not (tmp_path / "tables").exists()


# the committed reports (after `make reports`) ------------------------------------------------


def _committed() -> list:
    folders = [report_dir(REPORTS, rid) for rid in ("W1", "W2", "W3", "W4", "pooled")]
    return [f for f in folders if (f / "summary.json").is_file()]


@pytest.mark.parametrize("folder", _committed(), ids=lambda f: f.name)
def test_committed_tables_agree_with_summary_json_and_across_languages(folder):
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    tables_dir = folder / "tables"
    assert (tables_dir / "tables.xlsx").is_file() and (tables_dir / "dictionary.csv").is_file()
    if folder.name == "pooled":
        back = pd.read_csv(tables_dir / "workshops.csv", encoding="utf-8-sig")
        for row, w in zip(back.itertuples(), summary["workshops"], strict=True):
            assert row.workshop_id == w["workshop_id"]
            assert (row.n, row.estimate, row.ci_low, row.ci_high) == (
                w["n_paired"],
                w["diff_mean"],
                w["diff_ci_low"],
                w["diff_ci_high"],
            )
    else:
        sens = pd.read_csv(tables_dir / "sensitivity.csv", encoding="utf-8-sig").iloc[0]
        assert sens["n"] == summary["n_paired"]
        assert math.isclose(sens["d_z"], summary["d_z"], rel_tol=0, abs_tol=0)
    for lang in LANGS[1:]:
        other = report_dir(REPORTS, folder.name, lang) / "tables"
        for path in sorted(tables_dir.iterdir()):
            assert (other / path.name).read_bytes() == path.read_bytes(), (lang, path.name)


# the tables on the page -----------------------------------------------------------------------


def test_numbers_never_wrap_and_text_columns_are_left_aligned():
    from analysis.build.render import TEMPLATE
    from analysis.present.display import html_table

    shown = pd.DataFrame(
        {
            "Topic": ["Communication", "Relations"],
            "95% CI": ["[-0.24, 0.84]", "[0.01, 1.14]"],
            "p": ["< .001", "–"],
            "Gained / lost": ["3 / 4", "0 / 1"],
        }
    )
    page = html_table(shown).data
    assert page.count('class="text"') == 3  # its heading and two cells
    assert page.count('class="num"') == 9
    assert '<td class="num">[-0.24, 0.84]</td>' in page
    assert '<td class="num">&lt; .001</td>' in page
    assert "td.num {\n  white-space: nowrap; text-align: right;" in TEMPLATE
    assert "td.text {\n  white-space: normal; text-align: left;" in TEMPLATE


def test_the_model_table_gives_each_test_its_statistic_and_df(written):
    data = results.load(None)
    fit, gee = written["fit"], written["gee"]
    shown = series.model_display(fit.summary, fit, gee, "en").set_index("Term")
    assert list(shown.columns) == ["Estimate", "95% CI", "Test", "Statistic", "df", "p"]
    assert shown.loc["LMM: phase × workshop (LR χ²)", ["Test", "Statistic", "df"]].tolist() == [
        "χ²",
        "7.50",
        "3",
    ]
    assert shown.loc["ANCOVA: workshop (F)", ["Test", "Statistic", "df", "p"]].tolist() == [
        "F",
        "3.03",
        "3, 53",
        ".037",
    ]
    assert len(data.registry) == 4
