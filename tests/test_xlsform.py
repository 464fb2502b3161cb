"""The XLSForm of the questionnaire: made from the codebook and the registry, in every codebook
language, the same bytes each time, and converted by pyxform (the ODK reference converter)."""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ET
import zipfile

import pytest
from openpyxl import load_workbook

from analysis.__main__ import main
from analysis.form import (
    LIKERT_NAMES,
    OPTION_NAMES,
    form_languages,
    write_xlsform,
    xlsform_bytes,
    xlsform_sheets,
)
from analysis.raw.categories import COMMUNITIES, RANKS, STATIONS, category
from analysis.raw.registry import read_codebook, read_registry

from conftest import ROOT

RAW = ROOT / "data" / "raw"
XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"
SQ, EN, SR = "Shqip (sq)", "English (en)", "Srpski (sr)"


@pytest.fixture(scope="module")
def shipped():
    return read_codebook(RAW), read_registry(RAW)


@pytest.fixture(scope="module")
def sheets(shipped):
    return xlsform_sheets(*shipped)


def _records(rows):
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_survey_has_the_contract_columns_items_groups_and_demographics(shipped, sheets):
    codebook, _ = shipped
    survey = _records(sheets["survey"])
    assert sheets["survey"][0][:8] == ["type", "name"] + [
        f"{kind}::{lang}" for kind in ("label", "hint") for lang in (SQ, EN, SR)
    ]
    by_name = {r["name"]: r for r in survey if not r["type"].endswith("group")}
    assert by_name["participant_code"]["type"] == "text"
    assert by_name["participant_code"]["required"] == "yes"
    assert "DR07PR" in by_name["participant_code"][f"hint::{SQ}"]
    assert by_name["workshop"]["type"] == "select_one workshop"
    assert by_name["phase"]["type"] == "select_one phase"
    knowledge = codebook.loc[codebook["section"] == "knowledge"]
    reaction = codebook.loc[codebook["section"] == "reaction"]
    names = [r["name"] for r in survey]
    start, end = names.index("knowledge"), len(names) - names[::-1].index("knowledge") - 1
    assert names[start + 1 : end] == knowledge["item_id"].tolist()
    assert survey[start]["type"] == "begin_group" and survey[end]["type"] == "end_group"
    for row in knowledge.itertuples():
        q = by_name[row.item_id]
        assert q["type"] == f"select_one options_{row.item_id}"
        assert q[f"label::{SQ}"] == row.text_sq and q[f"label::{EN}"] == row.text_en
    start, end = names.index("reaction"), len(names) - names[::-1].index("reaction") - 1
    assert names[start + 1 : end] == reaction["item_id"].tolist()
    assert all(by_name[i]["type"] == "select_one likert5" for i in reaction["item_id"])
    assert by_name["years_of_service"]["type"] == "integer"
    for name in ("gender", "community", "rank", "station"):
        assert by_name[name]["type"] == f"select_one {name}"
        assert by_name[name]["required"] == ""  # optional


def test_choices_are_ids_letters_and_scale_points(shipped, sheets):
    codebook, registry = shipped
    choices = _records(sheets["choices"])
    of = {}
    for c in choices:
        of.setdefault(c["list_name"], []).append(c)
    assert [c["name"] for c in of["workshop"]] == registry["workshop_id"].tolist()
    assert "Ferizaj-Gjilan dhe të Kufirit" in of["workshop"][0][f"label::{SQ}"]
    assert "Ferizaj-Gjilan and Border" in of["workshop"][0][f"label::{EN}"]
    assert [c["name"] for c in of["phase"]] == ["pre", "post"]
    k01 = codebook.set_index("item_id").loc["K01"]
    assert [c["name"] for c in of["options_K01"]] == list(OPTION_NAMES)
    assert [c[f"label::{SQ}"] for c in of["options_K01"]] == k01["options_sq"].split("|")
    assert [c[f"label::{EN}"] for c in of["options_K01"]] == k01["options_en"].split("|")
    assert [c["name"] for c in of["likert5"]] == list(LIKERT_NAMES)
    assert of["likert5"][4][f"label::{EN}"] == "5 - Strongly agree"
    assert [c["name"] for c in of["community"]] == list(COMMUNITIES)
    assert [c["name"] for c in of["rank"]] == list(RANKS)
    # the choice names of stations read back as the stations the clean step knows
    assert [category("station", c["name"]) for c in of["station"]] == list(STATIONS)


def test_options_and_texts_per_language_with_fallback(shipped):
    codebook, registry = shipped
    codebook = codebook.copy()
    codebook["options_en"] = ""
    codebook.loc[codebook["item_id"] == "K01", "options_en"] = "one|two|three|four"
    codebook.loc[codebook["item_id"] == "K02", "text_en"] = ""
    sheets = xlsform_sheets(codebook, registry)
    k01 = [c for c in _records(sheets["choices"]) if c["list_name"] == "options_K01"]
    assert [c[f"label::{EN}"] for c in k01] == ["one", "two", "three", "four"]
    k02 = next(r for r in _records(sheets["survey"]) if r["name"] == "K02")
    assert k02[f"label::{EN}"] == k02[f"label::{SQ}"] != ""  # falls back to the Albanian text


def test_languages_follow_the_codebook(shipped):
    codebook, registry = shipped
    assert form_languages(codebook) == ["sq", "en", "sr"]
    only_sq = codebook.drop(columns=["text_en", "text_sr"])
    sheets = xlsform_sheets(only_sq, registry)
    assert [h for h in sheets["survey"][0] if h.startswith("label::")] == [f"label::{SQ}"]


def test_settings(sheets):
    settings = _records(sheets["settings"])[0]
    assert settings["form_id"] == "police_training_questionnaire"
    assert settings["default_language"] == SQ
    assert settings["form_title"].startswith("Punëtoria")
    assert len(settings["version"]) == 12


def test_bytes_are_the_same_each_time_with_fixed_dates(shipped):
    first, second = xlsform_bytes(*shipped), xlsform_bytes(*shipped)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2021, 3, 23, 0, 0, 0)}
        assert b"2021-03-23T00:00:00Z" in z.read("docProps/core.xml")
    book = load_workbook(io.BytesIO(first))
    assert book.sheetnames == ["survey", "choices", "settings"]


def test_pyxform_converts_the_form(tmp_path, shipped):
    from pyxform.xls2xform import convert

    codebook, _ = shipped
    path = tmp_path / "form.xlsx"
    path.write_bytes(xlsform_bytes(*shipped))
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings)
    assert warnings == []
    (tmp_path / "form.xml").write_text(result.xform, encoding="utf-8")
    root = ET.parse(tmp_path / "form.xml").getroot()
    selects = [e.get("ref") for e in root.iter(f"{XF}select1")]
    knowledge = codebook.loc[codebook["section"] == "knowledge", "item_id"]
    for item in knowledge:
        assert selects.count(f"/data/knowledge/{item}") == 1
    reaction = codebook.loc[codebook["section"] == "reaction", "item_id"]
    assert all(selects.count(f"/data/reaction/{item}") == 1 for item in reaction)
    langs = {tr.get("lang") for tr in root.iter(f"{XF}translation")}
    assert langs == {SQ, EN, SR}
    assert root.find(f"{H}head/{H}title").text.startswith("Punëtoria")
    binds = {b.get("nodeset"): b for b in root.iter(f"{XF}bind")}
    assert binds["/data/participant_code"].get("required") == "true()"
    assert binds["/data/about/years_of_service"].get("type") == "int"


def test_command_writes_to_scratch_refuses_raw_and_an_existing_file(tmp_path, capsys):
    out = tmp_path / "forms" / "q.xlsx"
    assert main(["xlsform", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert main(["xlsform", "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err and out.read_bytes() == data
    assert main(["xlsform", "--out", str(out), "--force"]) == 0
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("responses", "synthetic"))
    for inside in (raw / "q.xlsx", raw / "instrument" / "codebook.xlsx", RAW / "form.xlsx"):
        code = main(["xlsform", "--raw", str(raw), "--out", str(inside), "--force"])
        assert code == 2 and "raw folder" in capsys.readouterr().err
        assert not inside.exists()
    assert main(["xlsform", "--out", str(tmp_path / "q.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_default_out_is_in_the_scratch_folder(monkeypatch, tmp_path):
    from analysis.form import xlsform

    monkeypatch.setattr(xlsform, "DEFAULT_OUT", tmp_path / "scratch" / "form.xlsx")
    assert write_xlsform() == tmp_path / "scratch" / "form.xlsx"
    assert xlsform.DEFAULT_OUT.is_file()
