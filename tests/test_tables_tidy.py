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
from analysis.present.locale import language, t
from analysis.present.tidy import dictionary, numbers, tidy_of
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
        with language(lang):
            report.table(tables.flow_display(w.flow), "flow")
            report.table(tables.topic_display(topics), "topics")
            report.table(tables.topic_tests_display(topics), "topic_tests")
            report.table(tables.item_display(items, data.codebook), "items")
            report.table(tables.reaction_display(reaction, data.codebook), "reaction")
            report.table(tables.subgroup_display(subgroups), "subgroups")
            report.table(tables.sensitivity_display(summary, mde), "sensitivity")
            report.table(series.workshop_overview(fit.summary["workshops"], data.registry), "w")
            report.table(series.model_display(fit.summary, fit, gee), "models")
        report.write_tables()
        out[lang] = report.out / "tables"
    return {"dirs": out, "summary": summary, "topics": topics, "fit": fit, "gee": gee}


def test_the_tables_are_the_same_bytes_in_every_language(written):
    first, *others = written["dirs"].values()
    names = sorted(p.name for p in first.iterdir())
    assert {"flow.csv", "topics.csv", "dictionary.csv"} <= set(names)
    for other in others:
        assert sorted(p.name for p in other.iterdir()) == names
        for name in names:
            assert (other / name).read_bytes() == (first / name).read_bytes(), name
        # the workbook lies beside tables/, in the report's folder
        book = (other.parent / "tables.xlsx").read_bytes()
        assert book == (first.parent / "tables.xlsx").read_bytes()


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
    book = load_workbook(folder.parent / "tables.xlsx")
    csvs = sorted(p.stem for p in folder.glob("*.csv"))
    assert sorted(book.sheetnames) == csvs
    sheet = book["sensitivity"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["d_z"] == written["summary"]["d_z"] and isinstance(row["n"], int)
    with zipfile.ZipFile(folder.parent / "tables.xlsx") as z:
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
    tidy = tidy_of(tables.subgroup_display(shown))
    back = pd.read_csv(io.BytesIO(table_csv(tidy)), encoding="utf-8-sig")
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


def test_a_column_the_dictionary_does_not_describe_is_refused_and_the_workbook_waits(tmp_path):
    from analysis.present.tidy import with_tidy

    report = Report(out=tmp_path)
    report._show = lambda *objs: None
    shown = pd.DataFrame({"Shown": ["x"]})
    with pytest.raises(KeyError, match="'not_a_described_column' has no dictionary entry"):
        report.table(with_tidy(shown, pd.DataFrame({"not_a_described_column": [1]})), "x")
    assert not (tmp_path / "tables" / "x.csv").exists() and not report.tidy
    report.table(with_tidy(shown, pd.DataFrame({"n": [3]})), "counts")
    assert (tmp_path / "tables" / "counts.csv").is_file()
    assert not (tmp_path / "tables.xlsx").exists()  # written once, by the last call
    report.summary({"n": 3})
    assert (tmp_path / "tables.xlsx").is_file() and (
        tmp_path / "tables" / "dictionary.csv"
    ).is_file()


# the committed reports (after `make reports`) ------------------------------------------------


def _committed() -> list:
    folders = [report_dir(REPORTS, rid) for rid in ("W1", "W2", "W3", "W4", "pooled")]
    return [f for f in folders if (f / "summary.json").is_file()]


@pytest.mark.parametrize("folder", _committed(), ids=lambda f: f.name)
def test_committed_tables_agree_with_summary_json_and_across_languages(folder):
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    tables_dir = folder / "tables"
    assert (folder / "tables.xlsx").is_file() and (tables_dir / "dictionary.csv").is_file()
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
    shown = series.model_display(fit.summary, fit, gee).set_index("Term")
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


# the newer tables (issue 16): options, migration, reliability, reliable change, attrition,
# language versions -------------------------------------------------------------------------

NEWER = {
    "options": (
        ["item_id", "label_*", "choice", "is_key"],
        ["n_chose_pre", "pct_chose_pre", "n_chose_post", "pct_chose_post"],
    ),
    "options_all": (
        ["item_id", "label_*", "choice", "is_key"],
        ["n_chose_pre", "pct_chose_pre", "n_chose_post", "pct_chose_post"],
    ),
    "migration": (
        ["item_id", "label_*"],
        ["n", "n_stayed_correct", "n_learned", "n_forgot", "n_wrong_moved", "n_wrong_same"],
    ),
    "reliability": (
        ["phase", "label_*"],
        ["n_scored", "k", "kr20", "kr20_ci_low", "kr20_ci_high", "sd_score", "sem"],
    ),
    "reliable_change": (["category", "label_*"], ["n_category", "pct_category"]),
    "reliable_change_pooled": (
        ["workshop_id", "label_*"],
        ["n", "rci_improved", "rci_unchanged", "rci_declined"],
    ),
    "attrition": (
        ["analysis", "label_*"],
        ["n_people", "suppressed", "suppression", "points", "points_ci_low", "points_ci_high"],
    ),
    "item_languages": (
        ["item_id", "version", "label_*", "version_label_*"],
        [
            "n_version_pre",
            "pct_version_pre",
            "n_version_post",
            "pct_version_post",
            "diff_pre",
            "diff_post",
            "versions_differ",
        ],
    ),
}
_TEXT = {"suppression", "suppressed", "is_key", "versions_differ"}


def _expand(columns: list[str]) -> list[str]:
    return [
        c2 for c in columns for c2 in ([f"{c[:-1]}{g}" for g in LANGS] if c.endswith("*") else [c])
    ]


@pytest.fixture(scope="module")
def newer(tmp_path_factory):
    """The newer tables of W1 and the series as the notebooks make them, written in every
    language."""
    from analysis.present import versions

    data = results.load(None)
    w = results.workshop(data, "W1")
    shares = stats.option_shares(w.answers, data.codebook)
    migration = stats.answer_migration(w.answers, data.codebook)
    rel = stats.reliability_by_phase(w.answers, data.codebook)
    pre = rel.set_index("phase").loc["pre"]
    rci = stats.reliable_change(
        w.paired["pre_pct"], w.paired["post_pct"], sd_pre=pre["sd"], reliability=pre["kr20"]
    )
    attrition = stats.attrition_analysis(w.scores, w.paired)
    languages = stats.item_language_table(data.answers, data.scores, data.codebook)
    assert len(languages)  # the shipped data has two versions in the series
    fit = pooled.pooled_analysis(
        data.scores, data.paired, data.answers, data.codebook, data.synthetic
    )
    out = {}
    for lang in LANGS:
        with language(lang):
            shown = {
                "options": tables.option_display(shares, data.codebook),
                "options_all": tables.option_display(shares, data.codebook, among="all"),
                "migration": tables.migration_display(migration, data.codebook),
                "reliability": tables.reliability_display(rel),
                "reliable_change": tables.reliable_change_display(rci),
                "reliable_change_pooled": tables.reliable_change_by_workshop(
                    fit.summary["workshops"], data.registry
                ),
                "attrition": tables.attrition_display(attrition),
                "attrition_pooled": tables.attrition_display(fit.attrition),
                "item_languages": versions.item_language_display(languages, data.codebook),
            }
        report = Report(out=tmp_path_factory.mktemp(f"newer_{lang}"), lang=lang)
        report._show = lambda *objs: None
        for name, frame in shown.items():
            report.table(frame, name)
        out[lang] = report
    return {"reports": out, "shares": shares, "rci": rci, "attrition": attrition, "rel": rel}


@pytest.mark.parametrize("name", list(NEWER))
def test_the_newer_tables_have_their_columns_and_numbers_as_numbers(newer, name):
    ids, numeric = NEWER[name]
    report = newer["reports"][LANGS[0]]
    frame = report.tidy[name]
    assert frame.columns.tolist() == _expand(ids) + numeric
    assert len(frame)
    for column in numeric:
        if column not in _TEXT:
            assert pd.api.types.is_numeric_dtype(frame[column]), column
    back = pd.read_csv(report.out / "tables" / f"{name}.csv", encoding="utf-8-sig")
    assert back.columns.tolist() == frame.columns.tolist()
    for column in numeric:
        if column not in _TEXT:
            assert pd.api.types.is_numeric_dtype(back[column]), column
    for other in LANGS[1:]:
        path = newer["reports"][other].out / "tables" / f"{name}.csv"
        assert path.read_bytes() == (report.out / "tables" / f"{name}.csv").read_bytes()


def test_the_newer_tables_keep_the_statistics_and_suppress_as_shown(newer):
    tidy = newer["reports"][LANGS[0]].tidy
    shares, rci, att = newer["shares"], newer["rci"], newer["attrition"]
    options = tidy["options_all"].set_index(["item_id", "choice"])
    first = shares.iloc[0]
    assert options.loc[(first["item_id"], first["choice"]), "pct_chose_pre"] == first["pct_all"]
    assert len(options) == len(shares) // 2  # one row per item and choice, both tests
    assert tidy["options"]["is_key"].groupby(tidy["options"]["item_id"]).sum().eq(1).all()
    assert tidy["reliability"]["kr20"].tolist() == newer["rel"]["kr20"].tolist()
    assert tidy["reliable_change"]["n_category"].tolist() == [
        rci["improved"],
        rci["unchanged"],
        rci["declined"],
    ]
    w1 = tidy["attrition"].set_index("analysis")
    assert w1.loc["complete_case", "points"] == att["complete_case"]["estimate"]
    assert att["comparison"]["suppressed"]  # W1: 2 without a post-test
    groups = w1.loc[["completers", "dropouts", "difference"]]
    assert groups["suppressed"].all() and (groups["suppression"] == "under_5").all()
    assert groups[["points", "points_ci_low", "points_ci_high"]].isna().all().all()
    assert groups["n_people"].tolist() == [14, 2, 16]
    series_att = tidy["attrition_pooled"].set_index("analysis")
    assert not series_att["suppressed"].any() and series_att["points"].notna().all()
    versions_table = tidy["item_languages"]
    assert sorted(set(versions_table["version"])) == ["sq", "sr"]
    terms = dictionary(tidy)
    assert set(terms["table"]) == set(tidy)


# one name per published quantity (issue 22): the registry of columns -----------------------


def _tables_declared():
    """Every published table of the package (its module's ``Table`` constants)."""
    from analysis.present import versions
    from analysis.present.tidy import Table

    modules = (tables, series, versions)
    return {
        f"{m.__name__}.{name}": value
        for m in modules
        for name, value in vars(m).items()
        if isinstance(value, Table)
    }


def test_every_published_column_is_declared_once_with_its_words():
    from analysis.present.columns import COLUMNS, UNITS
    from analysis.present.messages import MESSAGES

    specs = _tables_declared()
    assert len(specs) == 16  # every table of the two reports
    for column in COLUMNS.values():
        assert column.unit in UNITS and column.description in MESSAGES, column.name
        assert column.header is None or column.header in MESSAGES, column.name
    for name, spec in specs.items():
        names = [c.name for c in spec.columns]
        assert len(names) == len(set(names)), name  # a column once per table
        for column in spec.columns:
            assert column.name in COLUMNS, (name, column.name)  # the registry's, maybe redeclared
            assert column.description in MESSAGES and column.unit in UNITS, (name, column.name)
        for shown in spec.shown:
            assert shown.column is None or shown.column in names, name
    # the mean gain: one published name, read from the statistic's own key
    assert (COLUMNS["estimate"].key, COLUMNS["estimate"].header) == ("diff_mean", "col_gain")
    models = series.MODELS.declared()["estimate"]
    assert (models.key, models.header) == ("estimate", "col_estimate")  # its own table's meaning
    assert tables.ITEMS.declared()["p"].key == "mcnemar_p"


def test_the_shown_headers_and_the_tidy_columns_come_from_one_definition():
    data = results.load(None)
    w = results.workshop(data, "W1")
    topics = stats.topic_table(w.scores, data.codebook)
    for lang in LANGS:
        with language(lang):
            shown = tables.topic_display(topics)
            heads = ["col_topic", "col_n", "col_pre_mean", "col_post_mean", "col_gain", "col_ci"]
            assert list(shown.columns) == [t(k) for k in heads] + [t("col_d_z"), t("col_p_holm")]
            tidy = tidy_of(shown)
            assert tidy["estimate"].tolist() == topics["diff_mean"].tolist()
            assert tidy["n"].tolist() == topics["n_paired"].tolist()
            assert shown[t("col_gain")].tolist() == numbers(topics["diff_mean"], 1).tolist()


def test_a_table_may_declare_a_column_with_its_own_meaning():
    from analysis.present.columns import declare
    from analysis.present.tidy import Table, shown_count

    spec = Table(
        columns=(declare("n", source="n_scored", description="dict_n_scored"), declare("k")),
        shown=(shown_count("n"),),
    )
    frame = spec.tidy(pd.DataFrame({"n_scored": [17], "k": [20]}))
    terms = dictionary({"own": frame, "plain": pd.DataFrame({"n": [3]})}).set_index("table")
    with language("sq"):
        assert terms.loc["own", "description_sq"].iloc[0] == t("dict_n_scored")
        assert terms.loc["plain", "description_sq"] == t("dict_n")  # the registry's meaning
    assert list(spec.show(frame).columns) == ["n"] and frame["n"].tolist() == [17]


def test_the_dictionary_is_the_published_one():
    """W1's tables in the notebook's order give the committed ``dictionary.csv``, byte for byte:
    the names, units and descriptions of the published columns are a contract."""
    data = results.load(None)
    w = results.workshop(data, "W1")
    s = stats.workshop_summary(
        w.scores, w.paired, w.answers, data.codebook, workshop_id="W1", synthetic=True
    )
    topics = stats.topic_table(w.scores, data.codebook)
    shares = stats.option_shares(w.answers, data.codebook)
    rel = stats.reliability_by_phase(w.answers, data.codebook)
    pre = rel.set_index("phase").loc["pre"]
    rci = stats.reliable_change(
        w.paired["pre_pct"], w.paired["post_pct"], sd_pre=pre["sd"], reliability=pre["kr20"]
    )
    shown = {
        "flow": tables.flow_display(w.flow),
        "topics": tables.topic_display(topics),
        "topic_tests": tables.topic_tests_display(topics),
        "items": tables.item_display(stats.item_table(w.answers, data.codebook), data.codebook),
        "options": tables.option_display(shares, data.codebook),
        "options_all": tables.option_display(shares, data.codebook, among="all"),
        "migration": tables.migration_display(
            stats.answer_migration(w.answers, data.codebook), data.codebook
        ),
        "reliability": tables.reliability_display(rel),
        "reliable_change": tables.reliable_change_display(rci),
        "reaction": tables.reaction_display(
            stats.reaction_summary(w.answers, data.codebook), data.codebook
        ),
        "subgroups": tables.subgroup_display(stats.subgroup_table(w.paired)),
        "sensitivity": tables.sensitivity_display(
            s, stats.minimal_detectable_effect(s["n_paired"])
        ),
        "attrition": tables.attrition_display(stats.attrition_analysis(w.scores, w.paired)),
    }
    terms = dictionary({name: tidy_of(frame) for name, frame in shown.items()})
    committed = report_dir(REPORTS, "W1") / "tables" / "dictionary.csv"
    assert table_csv(terms) == committed.read_bytes()
