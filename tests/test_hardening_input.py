"""Hardening of the input side: safe ids, bounded spreadsheet reading, Unicode in codes and
labels, near-linear linking, demographic categories, pseudonyms that reveal nothing, and the
simulator's respect for an edited registry."""

from __future__ import annotations

import csv
import re
import time
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from analysis.clean import clean
from analysis.clean.linking import link_codes, one_edit_candidates
from analysis.errors import DataError
from analysis.raw import limits
from analysis.raw.labels import fold, normalize_code, visible
from analysis.raw.readers import read_csv_text, read_xlsx_rows

from conftest import HEADER, MINI_CODEBOOK, write_csv


def _row(code, workshop="W1", phase="pre", answers=("A", "B", "C", "D"), r=""):
    return [code, workshop, phase, *answers, r]


def _registry(raw: Path, **replace: str) -> None:
    """Rewrite the registry with workshop ids replaced (old id -> new id)."""
    rows = list(csv.reader((raw / "workshops.csv").open(encoding="utf-8", newline="")))
    for r in rows[1:]:
        r[0] = replace.get(r[0], r[0])
    write_csv(raw / "workshops.csv", rows)


# ---------------------------------------------------------------- 1. safe ids


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        ("/etc/passwd", "/etc/passwd"),
        ("../x", "../x"),
        ("W 1", "W 1"),
        ("W1\u200b", "W1\\u200b"),
        ("\u04121", "\\u04121"),  # a Cyrillic Ve, which looks like a Latin B
        ("W" * 65, "W" * 65),
        ("Pejë", "Pejë"),
    ],
)
def test_unsafe_workshop_id_stops_clean_naming_file_row_value(mini_raw, bad, shown):
    mini_raw("a.csv", [_row("AA11BB")])
    _registry(mini_raw.raw, W2=bad)
    with pytest.raises(DataError) as err:
        clean(mini_raw.raw)
    msg = str(err.value)
    assert "workshops.csv, row 3, column workshop_id" in msg
    assert f"'{shown}'" in msg and "ASCII letters, digits" in msg


@pytest.mark.parametrize(("column", "index"), [("item_id", 0), ("topic", 2)])
@pytest.mark.parametrize("bad", ["K0 1", "../K01", "K01\u00ad", "x" * 65])
def test_unsafe_codebook_id_stops(mini_raw, column, index, bad):
    rows = [list(r) for r in MINI_CODEBOOK]
    rows[2][index] = bad
    write_csv(mini_raw.raw / "instrument" / "codebook.csv", rows)
    mini_raw("a.csv", [_row("AA11BB")])
    with pytest.raises(DataError) as err:
        clean(mini_raw.raw)
    msg = str(err.value)
    assert f"codebook.csv, row 3, column {column}: '{visible(bad)}'" in msg


def test_safe_ids_of_64_characters_with_dash_and_underscore_are_accepted(mini_raw):
    long_id = "W_1-" + "a" * 60
    _registry(mini_raw.raw, W1=long_id)
    mini_raw("a.csv", [_row("AA11BB", workshop=long_id)])
    assert clean(mini_raw.raw).scores["workshop_id"].tolist() == [long_id]


# ---------------------------------------------------------------- 2. spreadsheets


def _set_dimension(path: Path, ref: str) -> None:
    """Rewrite the first sheet's ``<dimension ref=...>`` of an .xlsx file."""
    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i) for i in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(
        rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), parts[sheet]
    )
    assert f'<dimension ref="{ref}"'.encode() in parts[sheet]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_xlsx_rows_beyond_the_declared_dimension_are_read(tmp_path):
    path = tmp_path / "a.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["participant_code", "workshop", "phase"])
    for i in range(29):
        sheet.append([f"C{i:03d}", "W1", "pre"])
    book.save(path)
    _set_dimension(path, "A1:C2")
    rows = read_xlsx_rows(path)
    assert len(rows) == 30 and rows[-1] == ["C028", "W1", "pre"]


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _xlsx_with(path: Path, rows_xml: str, shared: list[str] | None = None) -> Path:
    """A workbook whose first sheet is ``rows_xml`` (the ``<row>`` elements), declaring the
    dimension ``A1:XFD1048576``, with a shared strings table ``shared`` when given."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        f'<dimension ref="A1:XFD1048576"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )
    Workbook().save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i) for i in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    if shared is not None:
        items = "".join(f"<si><t>{t}</t></si>" for t in shared)
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="{len(shared)}" '
            f'uniqueCount="{len(shared)}">{items}</sst>'
        ).encode()
        override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/>'
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", override.encode() + b"</Types>"
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _far_cell_xlsx(path: Path, far: str) -> Path:
    """A tiny workbook declaring ``A1:XFD1048576`` with a header and one cell at ``far``."""
    number = re.sub(r"[A-Z]", "", far)
    rows = f'<row r="1">{_inline("A1", "participant_code")}</row>'
    rows += f'<row r="{number}">{_inline(far, "x")}</row>'
    _xlsx_with(path, rows)
    assert path.stat().st_size < 8192
    return path


@pytest.mark.parametrize(("far", "limit"), [("XFD1048576", "MAX_ROWS"), ("XFD5", "MAX_COLUMNS")])
def test_xlsx_with_one_far_cell_is_refused_cheaply(tmp_path, far, limit):
    path = _far_cell_xlsx(tmp_path / "far.xlsx", far)
    start = time.perf_counter()
    with pytest.raises(DataError) as err:
        read_xlsx_rows(path)
    assert time.perf_counter() - start < 20  # refused without building a million rows of cells
    assert "far.xlsx" in str(err.value) and limit in str(err.value)


def test_xlsx_far_cell_within_limits_is_read_without_padding(tmp_path, monkeypatch):
    path = _far_cell_xlsx(tmp_path / "far.xlsx", "ABC50")  # ABC = column 731
    monkeypatch.setattr(limits, "MAX_COLUMNS", 1000)
    rows = read_xlsx_rows(path)
    assert len(rows) == 50 and len(rows[0]) == 731 and rows[-1][-1] == "x"


def _shared_xlsx(path: Path, texts: list[str]) -> Path:
    """A workbook whose column A holds the shared strings ``texts``, one a row."""
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="s"><v>{i - 1}</v></c></row>' for i in range(1, len(texts) + 1)
    )
    return _xlsx_with(path, rows, texts)


def test_xlsx_shared_strings_are_read(tmp_path):
    path = _shared_xlsx(tmp_path / "s.xlsx", ["participant_code", "AB12CD"])
    assert read_xlsx_rows(path) == [["participant_code"], ["AB12CD"]]


def test_xlsx_huge_shared_string_is_refused(tmp_path, monkeypatch):
    path = _shared_xlsx(tmp_path / "big.xlsx", ["participant_code", "y" * 30_000])
    with pytest.raises(DataError) as err:
        read_xlsx_rows(path)
    assert "big.xlsx, row 2, column 1" in str(err.value) and "MAX_CELL_CHARS" in str(err.value)
    monkeypatch.setattr(limits, "MAX_SHARED_STRINGS_BYTES", 10_000)
    monkeypatch.setattr("openpyxl.load_workbook", _must_not_be_called)
    with pytest.raises(DataError) as err:
        read_xlsx_rows(path)
    assert "big.xlsx" in str(err.value) and "MAX_SHARED_STRINGS_BYTES" in str(err.value)


def test_xlsx_container_limits_are_checked_before_unpacking(tmp_path, monkeypatch):
    path = _shared_xlsx(tmp_path / "a.xlsx", [f"text {i}" for i in range(20)])
    for name, value in [
        ("MAX_SHARED_STRINGS", 5),
        ("MAX_SHEET_XML_BYTES", 500),
        ("MAX_UNCOMPRESSED_BYTES", 2000),
        ("MAX_ZIP_MEMBERS", 3),
        ("MAX_FILE_BYTES", 1000),
    ]:
        with monkeypatch.context() as m:
            m.setattr(limits, name, value)
            m.setattr("openpyxl.load_workbook", _must_not_be_called)
            with pytest.raises(DataError) as err:
                read_xlsx_rows(path)
            assert "a.xlsx" in str(err.value) and name in str(err.value)


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("the workbook was unpacked before the limits were checked")


@pytest.mark.parametrize(
    ("name", "value"), [("MAX_ROWS", 5), ("MAX_CELLS", 20), ("MAX_COLUMNS", 2)]
)
def test_xlsx_row_limits(tmp_path, monkeypatch, name, value):
    path = tmp_path / "a.xlsx"
    book = Workbook()
    for i in range(10):
        book.active.append([f"c{i}", "W1", "pre"])
    book.save(path)
    monkeypatch.setattr(limits, name, value)
    with pytest.raises(DataError) as err:
        read_xlsx_rows(path)
    assert "a.xlsx" in str(err.value) and name in str(err.value)


def test_csv_of_millions_of_columns_in_one_line_is_refused_fast(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(b"a" + b",a" * 6_000_000)  # 12 MB, one line
    start = time.perf_counter()
    with pytest.raises(DataError) as err:
        read_csv_text(path)
    assert time.perf_counter() - start < 10
    assert "wide.csv, row 1" in str(err.value) and "MAX_COLUMNS" in str(err.value)


@pytest.mark.parametrize(
    ("name", "value", "where"),
    [
        ("MAX_FILE_BYTES", 100, "big.csv:"),
        ("MAX_ROWS", 10, "row 11"),
        ("MAX_CELLS", 30, "row 11"),
        ("MAX_CELL_CHARS", 5, "row 2, column 1"),
    ],
)
def test_csv_limits(tmp_path, monkeypatch, name, value, where):
    path = write_csv(tmp_path / "big.csv", [["a", "b", "c"]] + [["abcdef", "x", "y"]] * 30)
    monkeypatch.setattr(limits, name, value)
    with pytest.raises(DataError) as err:
        read_csv_text(path)
    assert where in str(err.value) and name in str(err.value)


def test_csv_of_many_blank_lines_is_refused_by_rows(tmp_path, monkeypatch):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"a,b\n" + b"\n" * 1000)
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    with pytest.raises(DataError, match="MAX_ROWS"):
        read_csv_text(path)


# ---------------------------------------------------------------- 3. Unicode


@pytest.mark.parametrize(
    "typed",
    [
        "AB12ÇD",  # NFC
        unicodedata.normalize("NFD", "AB12ÇD"),
        "ＡＢ１２ÇＤ",  # fullwidth
        "AB\u200b12ÇD",  # zero-width space
        "AB1\u00ad2ÇD",  # soft hyphen
        "\ufeffAB12ÇD",  # BOM
        "AB12\u200dÇD\u200e",  # zero-width joiner, left-to-right mark
    ],
)
def test_same_visible_code_normalizes_alike(typed):
    assert normalize_code(typed) == normalize_code("AB12ÇD")


@pytest.mark.parametrize(
    "label",
    [
        "Pejë",
        unicodedata.normalize("NFD", "Pejë"),
        "Ｐｅｊë",
        "Pe\u200bjë",
        "Pe\u00adjë",
        "\u200fPejë",
    ],
)
def test_same_visible_label_folds_alike(label):
    assert fold(label) == "peje"


def test_invisible_variants_link_exactly_without_using_the_slip(mini_raw):
    mini_raw(
        "pre.csv",
        [_row("AB12ÇD"), _row("XY\u200b99ZZ"), _row("ＭＮ５５ＰＱ"), _row("KL3\u00ad3GH")],
    )
    mini_raw(
        "post.csv",
        [
            _row(unicodedata.normalize("NFD", "AB12ÇD"), phase="post"),
            _row("XY99ZZ", phase="post"),
            _row("MN55PQ", phase="post"),
            _row("KL33GH", phase="post"),
        ],
    )
    flow = clean(mini_raw.raw).flow.iloc[0]
    assert (flow["paired"], flow["fuzzy_links"]) == (4, 0)


def test_workshop_label_with_invisible_characters_resolves(mini_raw):
    mini_raw("a.csv", [_row("AA11BB", workshop="Pe\u200bjë"), _row("CC22DD", workshop="Ｗ２")])
    assert clean(mini_raw.raw).scores["workshop_id"].tolist() == ["W2", "W2"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("W\u200b2", "W\\u200b2"),
        ("\u0410B12", "\\u0410B12"),  # Cyrillic A among Latin letters
        ("W\u00ad2", "W\\u00ad2"),
        ("\ufeffW2", "\\ufeffW2"),
        ("W\u00a02", "W\\u00a02"),
        ("Ｗ2", "\\uff372"),
        (unicodedata.normalize("NFD", "ë"), "e\\u0308"),
        ("Pejë", "Pejë"),
        ("Србин", "Србин"),
        ("plain ASCII", "plain ASCII"),
        ("tab\there", "tab\\u0009here"),
    ],
)
def test_visible_shows_invisible_and_look_alike_characters(text, shown):
    assert visible(text) == shown


def test_unknown_label_message_shows_invisible_characters(mini_raw):
    mini_raw("a.csv", [_row("AA11BB", workshop="W\u200b9")])
    with pytest.raises(DataError) as err:
        clean(mini_raw.raw)
    assert "unknown workshop 'W\\u200b9'" in str(err.value)


def test_duplicate_header_is_named_after_the_unicode_rule(mini_raw):
    mini_raw("a.csv", [[*_row("AA11BB"), "x"]], header=[*HEADER, "K\u200b01"])
    with pytest.raises(DataError) as err:
        clean(mini_raw.raw)
    assert "column 'k01' appears twice" in str(err.value)


# ---------------------------------------------------------------- 4. linking through an index


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        cur = [i]
        for j, y in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _all_pairs_links(pre, post, excluded_pre=(), excluded_post=()):
    """The rule as the contract states it, comparing every left-over pre with every post code."""
    pre, post = list(dict.fromkeys(pre)), list(dict.fromkeys(post))
    exact = [(c, c) for c in pre if c in set(post)]
    matched = {c for c, _ in exact}
    left_pre = [c for c in pre if c not in matched and c not in set(excluded_post)]
    left_post = [c for c in post if c not in matched and c not in set(excluded_pre)]
    cand = {p: [q for q in left_post if _levenshtein(p, q) == 1] for p in left_pre}
    back = {q: [p for p in left_pre if _levenshtein(p, q) == 1] for q in left_post}
    fuzzy = [(p, qs[0]) for p, qs in cand.items() if len(qs) == 1 and back[qs[0]] == [p]]
    return exact, fuzzy


_codes = st.lists(st.text(alphabet="AB1", min_size=0, max_size=5), max_size=25)


@given(_codes, _codes, _codes, _codes)
def test_indexed_linking_equals_the_all_pairs_rule(pre, post, excluded_pre, excluded_post):
    got = link_codes(pre, post, excluded_pre=excluded_pre, excluded_post=excluded_post)
    assert got == _all_pairs_links(pre, post, excluded_pre, excluded_post)


@given(
    st.lists(st.text(alphabet="AB", min_size=1, max_size=4), max_size=30),
    st.lists(st.text(alphabet="AB", min_size=1, max_size=4), max_size=30),
)
def test_one_edit_candidates_are_exactly_the_pairs_at_distance_one(pre, post):
    post = list(dict.fromkeys(post))
    got = one_edit_candidates(list(dict.fromkeys(pre)), post)
    assert got == {p: [q for q in post if _levenshtein(p, q) == 1] for p in dict.fromkeys(pre)}


# ---------------------------------------------------------------- 6. pseudonyms


def _many(n: int) -> list[list[str]]:
    return [_row(f"AA{i:02d}{chr(65 + i % 26)}Z") for i in range(n)]


def test_pseudonyms_follow_the_keyed_hash_not_the_reading_order():
    from analysis.clean.pseudonyms import (
        Questionnaires,
        link_workshop,
        person_order,
        pseudonyms,
    )

    codes = [f"AA{i:02d}{chr(65 + i % 26)}Z" for i in range(30)]
    q = pd.DataFrame(
        {
            "row": range(31),
            "source_file": "a.csv",
            "source_row": range(2, 33),
            "workshop_id": "W1",
            "phase": ["pre"] * 30 + ["post"],
            "code": [*codes, codes[7]],  # the eighth person is linked
        }
    )
    key = b"k" * 32
    named = pseudonyms(link_workshop("W1", Questionnaires.of(q), {}), key)
    by_hash = sorted(codes, key=lambda c: person_order(key, "W1", c))
    assert [named[i] for i in range(30)] == [f"W1-P{by_hash.index(c) + 1:03d}" for c in codes]
    assert named[30] == named[7]
    assert by_hash != codes  # the numbering is not the reading order
    other = pseudonyms(link_workshop("W1", Questionnaires.of(q), {}), b"j" * 32)
    assert other != named  # another key (other raw data), another order


def test_pseudonym_numbers_do_not_reveal_the_row(mini_raw):
    mini_raw("a.csv", _many(30))
    result = clean(mini_raw.raw)
    # the cleaning log names no pseudonym; the scores do not carry the row
    assert not result.log["detail"].str.contains(r"W1-P\d", regex=True).any()
    assert "source_row" not in result.scores.columns


def test_same_raw_data_gives_the_same_pseudonyms_and_other_data_other_ones(mini_raw):
    mini_raw("a.csv", _many(20))
    first = clean(mini_raw.raw).scores["participant_id"].tolist()
    assert clean(mini_raw.raw).scores["participant_id"].tolist() == first
    mini_raw("b.csv", [_row("ZZ99ZZ", phase="post")])
    scores = clean(mini_raw.raw).scores
    assert scores.loc[scores["phase"] == "pre", "participant_id"].tolist() != first


def test_pseudonym_key_is_not_computable_from_the_published_hashes(mini_raw):
    import hashlib

    from analysis.clean.pseudonyms import pseudonym_key

    path = mini_raw("a.csv", [_row("AA11BB")])
    digest = hashlib.sha256(path.read_bytes()).digest()
    assert pseudonym_key([path]) not in (hashlib.sha256(digest).digest(), digest)


# ---------------------------------------------------------------- 5. demographic categories


@pytest.mark.parametrize(
    ("column", "typed", "expected"),
    [
        ("gender", "F", "F"),
        ("gender", " femër ", "F"),
        ("gender", "Female", "F"),
        ("gender", "WOMAN", "F"),
        ("gender", "m", "M"),
        ("gender", "Mashkull", "M"),
        ("gender", "male", "M"),
        ("gender", "non-binary", "other"),
        ("community", "Albanian", "Shqiptar"),
        ("community", "shqiptare", "Shqiptar"),
        ("community", "SHQIPTAR", "Shqiptar"),
        ("community", "Serbian", "Serb"),
        ("community", "Srbin", "Serb"),
        ("community", "Serbe", "Serb"),
        ("community", "Србин", "Serb"),
        ("community", "Bošnjak", "Boshnjak"),
        ("community", "Roma", "Rom"),
        ("community", "Egyptian", "Egjiptian"),
        ("community", "Kosovar", "other"),
        ("rank", "rreshter", "Rreshter"),
        ("rank", "Sergeant", "Rreshter"),
        ("rank", "Captain", "Kapiten"),
        ("rank", "Major", "other"),
        ("station", "Fushe-Kosove", "Fushë Kosovë"),
        ("station", "FUSHË KOSOVË", "Fushë Kosovë"),
        ("station", "Stacioni Policor Pejë", "Pejë"),
        ("station", "Peć", "Pejë"),
        ("station", "prishtine qender", "Prishtinë Qendër"),
        ("station", "Mitrovica North", "Mitrovicë Veri"),
        ("station", "Tirana", "other"),
        ("station", "", None),
        ("gender", "  ", None),
        ("community", "Shqip\u200btar", "Shqiptar"),
    ],
)
def test_demographic_answers_become_categories(column, typed, expected):
    from analysis.raw.categories import category

    assert category(column, typed) == expected


def test_no_spelling_names_two_categories():
    from analysis.raw.categories import CATEGORIES, SYNONYMS, category_key

    for column, names in CATEGORIES.items():
        seen: dict[str, str] = {}
        for name in names:
            for spelling in (name, *SYNONYMS[column].get(name, ())):
                key = category_key(spelling)
                assert seen.setdefault(key, name) == name, (column, spelling)


def test_the_simulators_values_are_categories_as_they_are():
    from analysis.raw.categories import COMMUNITIES, RANKS, STATIONS, category
    from analysis.simulate.people import COMMUNITIES as SIM_COMMUNITIES
    from analysis.simulate.people import RANKS as SIM_RANKS
    from analysis.simulate.registry import STATIONS as SIM_STATIONS

    assert set(SIM_COMMUNITIES) == set(COMMUNITIES) and set(SIM_RANKS) == set(RANKS)
    stations = {s for names in SIM_STATIONS.values() for s in names}
    assert stations == set(STATIONS)
    assert all(category("station", s) == s for s in stations)
    assert category("gender", "F") == "F" and category("gender", "M") == "M"


def test_free_text_demographics_never_reach_the_tables(mini_raw):
    header = [*HEADER, "gender", "community", "rank", "station"]
    secret = "Zzqx lives at Rruga 5"
    mini_raw(
        "a.csv",
        [
            [*_row("AA11BB"), "femër", "Albanian", "Sergeant", "Stacioni Policor Klinë"],
            [*_row("CC22DD"), secret, secret, secret, secret],
            [*_row("EE33FF"), "", "", "", ""],
        ],
        header=header,
    )
    result = clean(mini_raw.raw)
    scores = result.scores.set_index(result.scores.index)
    got = scores[["gender", "community", "rank", "station"]].astype(object)
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in got.itertuples(index=False)]
    assert sorted(rows, key=str) == sorted(
        [("F", "Shqiptar", "Rreshter", "Klinë"), ("other",) * 4, (None,) * 4], key=str
    )
    text = pd.concat([result.scores.astype(str), result.log.astype(str)]).to_csv()
    assert "Zzqx" not in text
    other = result.log.loc[result.log["action"] == "category_other"]
    assert len(other) == 4 and set(other["source_row"]) == {3}


# ---------------------------------------------------------------- 7. simulate and workshops.csv


def test_simulate_refuses_an_edited_registry_and_force_overrides(tmp_path):
    from analysis.simulate import simulate

    out = tmp_path / "raw"
    simulate(out, seed=1)
    simulate(out, seed=1)  # its own registry: replaced without asking
    registry = out / "workshops.csv"
    edited = registry.read_text(encoding="utf-8").replace("Punëtoria 1", "Punëtoria 1|Fz")
    registry.write_text(edited, encoding="utf-8")
    with pytest.raises(DataError) as err:
        simulate(out, seed=1)
    assert str(registry) in str(err.value) and "--force" in str(err.value)
    assert registry.read_text(encoding="utf-8") == edited
    simulate(out, seed=1, force=True)
    assert registry.read_text(encoding="utf-8") != edited


def test_simulate_refuses_a_users_registry_in_a_new_folder(tmp_path):
    from analysis.simulate import simulate

    out = tmp_path / "raw"
    out.mkdir()
    (out / "workshops.csv").write_text("workshop_id,number\nX1,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="workshops.csv"):
        simulate(out, seed=1)
    assert (out / "workshops.csv").read_text(encoding="utf-8") == "workshop_id,number\nX1,1\n"


@pytest.mark.parametrize("bad", ["../x", "/tmp/evil"])
def test_path_as_workshop_id_stops_the_clean_command(mini_raw, tmp_path, bad):
    import subprocess
    import sys

    mini_raw("a.csv", [_row("AA11BB")])
    _registry(mini_raw.raw, W3=bad)
    processed = tmp_path / "processed"
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "clean", "--raw", str(mini_raw.raw)]
        + ["--processed", str(processed)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith("error:") and "\n\n" not in run.stderr.strip()  # one paragraph
    assert f"row 4, column workshop_id: '{bad}'" in " ".join(run.stderr.split())
    assert not processed.exists() and not (tmp_path / "x").exists()


def test_header_names_with_invisible_or_fullwidth_characters_match(mini_raw):
    header = ["\u200bparticipant_code", "workshop\u00ad", "ｐｈａｓｅ", *HEADER[3:]]
    mini_raw("a.csv", [_row("AA11BB")], header=header)
    assert len(clean(mini_raw.raw).scores) == 1


def test_registry_number_in_other_digits_is_refused(mini_raw):
    rows = list(csv.reader((mini_raw.raw / "workshops.csv").open(encoding="utf-8", newline="")))
    rows[1][1] = "\u00b9"  # a superscript one: a digit to Python, not a number to the registry
    write_csv(mini_raw.raw / "workshops.csv", rows)
    mini_raw("a.csv", [_row("AA11BB")])
    with pytest.raises(DataError, match=r"row 2: number '\\u00b9'"):
        clean(mini_raw.raw)
