"""The clean step, rule by rule, on small hand-written raw folders."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.clean import clean, describe, run_clean
from analysis.errors import DataError
from analysis.raw.readers import read_export

from conftest import HEADER, RAW

H_TIME = [*HEADER, "submitted_at"]


def _row(code, workshop="W1", phase="pre", answers=("A", "B", "C", "D"), r="", t=None):
    return [code, workshop, phase, *answers, r] + ([] if t is None else [t])


#: Rows of another workshop with every answer valid, so that a file of a test on invalid answers
#: is not refused as unscorable (a column with no valid answer, or more than a fifth invalid).
def _valid_rows(n, t=None):
    return [_row(f"ZQ{i:02d}XY", workshop="W2", t=t) for i in range(n)]


def _log(result, action):
    return result.log.loc[result.log["action"] == action]


def test_duplicate_with_more_answered_items_is_kept(mini_raw):
    mini_raw(
        "a.csv",
        [
            _row("AA11BB", answers=("A", "", "", "D"), t="2021-03-16T09:00"),
            _row("aa-11 bb", answers=("A", "B", "X", "D"), t="2021-03-16T08:00"),
            *_valid_rows(1, t="2021-03-16T08:00"),
        ],
        header=H_TIME,
    )
    result = clean(mini_raw.raw)
    result.scores = result.scores.loc[result.scores["workshop_id"] == "W1"]
    assert len(result.scores) == 1
    # the kept one has 4 answered (one invalid), 3 correct
    assert result.scores.loc[0, "n_answered"] == 4
    assert result.scores.loc[0, "n_correct"] == 3
    dropped = _log(result, "duplicate_dropped")
    assert dropped["source_row"].tolist() == [2]
    assert "more answered" in dropped["detail"].iloc[0]


def test_duplicate_tie_goes_to_latest_submitted_at(mini_raw):
    mini_raw(
        "a.csv",
        [
            _row("AA11BB", answers=("A", "B", "C", "C"), t="2021-03-16T10:00"),
            _row("AA11BB", answers=("A", "A", "A", "A"), t="2021-03-16T09:00"),
        ],
        header=H_TIME,
    )
    result = clean(mini_raw.raw)
    assert result.scores.loc[0, "n_correct"] == 3  # the 10:00 one
    assert _log(result, "duplicate_dropped")["source_row"].tolist() == [3]
    assert "later submitted_at" in _log(result, "duplicate_dropped")["detail"].iloc[0]


def test_duplicate_full_tie_goes_to_last_row_read(mini_raw):
    t = "2021-03-16T10:00"
    mini_raw("b.csv", [_row("AA11BB", answers=("A", "A", "A", "A"), t=t)], header=H_TIME)
    mini_raw("a.csv", [_row("AA11BB", answers=("A", "B", "C", "D"), t=t)], header=H_TIME)
    result = clean(mini_raw.raw)
    # files are read in name order: a.csv then b.csv, so b.csv's row is the last read
    assert result.scores.loc[0, "n_correct"] == 1
    dropped = _log(result, "duplicate_dropped")
    assert dropped["source_file"].tolist() == ["a.csv"]
    assert "read later" in dropped["detail"].iloc[0]


def test_incomplete_threshold_is_exactly_half(mini_raw):
    mini_raw(
        "a.csv",
        [
            _row("HALF01", answers=("A", "?", "", "")),  # 2 of 4 answered (one invalid): kept
            _row("LESS01", answers=("A", "", "", "")),  # 1 of 4: excluded
            *_valid_rows(2),
        ],
    )
    result = clean(mini_raw.raw)
    assert result.scores.loc[result.scores["workshop_id"] == "W1", "n_answered"].tolist() == [2]
    assert _log(result, "excluded_incomplete")["source_row"].tolist() == [3]
    assert result.flow.loc[0, "excluded_pre"] == 1


def test_blank_and_invalid_answers_score_as_incorrect(mini_raw):
    mini_raw("a.csv", [_row("AA11BB", answers=(" a ", "", "AB", "d")), *_valid_rows(1)])
    result = clean(mini_raw.raw)
    s = result.scores.iloc[0]
    assert s["workshop_id"] == "W1"
    assert (s["n_items"], s["n_answered"], s["n_correct"]) == (4, 3, 2)
    assert s["score_pct"] == 50.0
    assert s["topic_trust_pct"] == 50.0 and s["topic_victims_pct"] == 50.0
    answers = result.answers.loc[result.answers["workshop_id"] == "W1"]
    status = answers.set_index("item_id")["status"]
    assert status.to_dict() == {"K01": "valid", "K02": "blank", "K03": "invalid", "K04": "valid"}
    assert _log(result, "invalid_answer")["detail"].str.contains("K03").all()


def test_reaction_answers_are_validated(mini_raw):
    mini_raw(
        "a.csv",
        [_row("AA11BB", phase="post", r="4"), _row("CC22DD", phase="post", r="7")],
    )
    result = clean(mini_raw.raw)
    r = result.answers.loc[result.answers["item_id"] == "R01"].set_index("participant_id")
    assert sorted(r["status"]) == ["invalid", "valid"]
    assert r["correct"].isna().all()


def test_linking_pseudonyms_and_flow(mini_raw):
    mini_raw(
        "pre.csv",
        [_row("AA11BB"), _row("CC22DD"), _row("EE33FF"), _row("ZZ00ZZ")],
    )
    mini_raw(
        "post.csv",
        [
            _row("aa11bb", phase="pas testi", answers=("A", "B", "C", "D")),
            _row("CC23DD", phase="Post", answers=("A", "B", "C", "A")),
            _row("GG44HH", phase="post"),
        ],
    )
    result = clean(mini_raw.raw)
    flow = result.flow.set_index("workshop_id").loc["W1"]
    assert flow["paired"] == 2 and flow["fuzzy_links"] == 1
    assert (flow["unmatched_pre"], flow["unmatched_post"]) == (2, 1)
    assert len(result.paired) == 2
    assert set(result.paired["participant_id"]) <= set(result.scores["participant_id"])
    assert result.scores["participant_id"].str.fullmatch(r"W1-P\d{3}").all()
    assert len(_log(result, "fuzzy_link")) == 1 and len(_log(result, "unmatched")) == 3
    text = pd.concat([result.scores.astype(str), result.log.astype(str)]).to_csv()
    for code in ("AA11BB", "CC22DD", "CC23DD", "GG44HH", "ZZ00ZZ"):
        assert code not in text


def test_flow_balances(mini_raw):
    mini_raw(
        "a.csv",
        [
            _row("AA11BB"),
            _row("AA11BB"),
            _row("CC22DD", answers=("", "", "", "")),
            _row("EE33FF", phase="post"),
        ],
    )
    f = clean(mini_raw.raw).flow.iloc[0]
    assert f["received_pre"] == f["duplicates_pre"] + f["excluded_pre"] + f["scored_pre"] == 3
    assert (f["duplicates_pre"], f["excluded_pre"], f["scored_pre"]) == (1, 1, 1)
    assert f["received_post"] == f["scored_post"] == 1


@pytest.mark.parametrize(
    ("workshop", "phase", "label"),
    [("Gjakova-Peja", "pre", "Gjakova-Peja"), ("W1", "midterm", "midterm")],
)
def test_unknown_label_stops_naming_file_row_label(mini_raw, workshop, phase, label):
    mini_raw("a.csv", [_row("AA11BB"), _row("CC22DD", workshop=workshop, phase=phase)])
    with pytest.raises(DataError) as err:
        clean(mini_raw.raw)
    msg = str(err.value)
    assert "a.csv" in msg and "row 3" in msg and f"'{label}'" in msg and "Accepted" in msg


def test_unknown_label_leaves_processed_untouched(mini_raw, tmp_path):
    mini_raw("a.csv", [_row("AA11BB")])
    processed = tmp_path / "processed"
    run_clean(mini_raw.raw, processed)
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    mini_raw("b.csv", [_row("CC22DD", workshop="Nowhere")])
    with pytest.raises(DataError):
        run_clean(mini_raw.raw, processed)
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]


def test_personal_columns_are_dropped_and_logged_by_name(mini_raw, tmp_path):
    header = [*HEADER, "Name", "emri", "phone"]
    mini_raw("a.csv", [[*_row("AA11BB"), "Arben Krasniqi", "Arben", "+38344111222"]], header=header)
    result = run_clean(mini_raw.raw, tmp_path / "processed")
    dropped = _log(result, "dropped_column")["detail"].tolist()
    assert len(dropped) == 3 and any("'name'" in d for d in dropped)
    for p in (tmp_path / "processed").iterdir():
        data = p.read_bytes()
        for secret in (b"Arben", b"Krasniqi", b"38344111222", b"AA11BB"):
            assert secret not in data, (p.name, secret)


# --- readers -----------------------------------------------------------------------------


def test_reads_utf8_with_bom(mini_raw):
    path = mini_raw("a.csv", [_row("AA11BB", workshop="Pejë-Gjakovë")], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = read_export(path)
    assert frame.columns[2] == "participant_code"
    assert frame.loc[0, "workshop"] == "Pejë-Gjakovë"
    assert clean(mini_raw.raw).scores.loc[0, "workshop_id"] == "W2"


def test_reads_windows_1250_semicolon(mini_raw):
    path = mini_raw(
        "a.csv",
        [_row("AA11BB", workshop="Mitrovicë Jug-Veri", phase="Para testi")],
        encoding="cp1250",
        delimiter=";",
    )
    assert b";" in path.read_bytes() and "ë".encode("cp1250") in path.read_bytes()
    assert read_export(path).loc[0, "workshop"] == "Mitrovicë Jug-Veri"
    assert clean(mini_raw.raw).scores.loc[0, "workshop_id"] == "W4"


def test_reads_xlsx_first_sheet_as_text(mini_raw):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["0012AB", 3, "pre", "A", "B", "C", "D", None])
    book.create_sheet("notes").append(["ignored"])
    path = mini_raw.raw / "responses" / "x.xlsx"
    book.save(path)
    frame = read_export(path)
    assert frame.loc[0, "participant_code"] == "0012AB"
    assert frame.loc[0, "workshop"] == "3"
    assert clean(mini_raw.raw).scores.loc[0, "workshop_id"] == "W3"


def test_xlsx_number_shown_zero_padded_keeps_its_zeros(mini_raw):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([123, "W1", "pre", "A", "B", "C", "D", 4.0])
    sheet["A2"].number_format = "00000"  # Excel shows 00123
    sheet.append([456, "W1", "post", "A", "B", "C", "D", 5])  # General format: 456
    path = mini_raw.raw / "responses" / "x.xlsx"
    book.save(path)
    frame = read_export(path)
    assert frame["participant_code"].tolist() == ["00123", "456"]
    assert frame["r01"].tolist() == ["4", "5"]
    mini_raw("y.csv", [_row("00123", phase="post")])
    assert len(clean(mini_raw.raw).paired) == 1


def test_code_with_leading_zeros_links(mini_raw):
    mini_raw("a.csv", [_row("0012AB"), _row("00-12ab", phase="post")])
    result = clean(mini_raw.raw)
    assert len(result.paired) == 1
    frame = read_export(mini_raw.raw / "responses" / "a.csv")
    assert frame["participant_code"].tolist() == ["0012AB", "00-12ab"]


def test_a_short_codebook_is_cleaned_with_a_note(mini_raw):
    mini_raw("a.csv", [_row("AA11BB"), _row("AA11BB", phase="post")])
    text = describe(clean(mini_raw.raw))
    assert "note: the codebook has 4 knowledge items over 2 topics" in text
    assert "at least 16 over 4" in text and "1 reaction items" in text


def test_the_shipped_codebook_gets_no_note():
    assert "note:" not in describe(clean(RAW))


def test_a_code_whose_partner_was_excluded_is_not_linked_to_someone_else(mini_raw):
    mini_raw(
        "a.csv",
        [
            _row("AB12CD", answers=("A", "", "", "")),  # excluded: 1 of 4 answered
            _row("AB12CE"),  # another officer, one character away
            _row("AB12CD", phase="post"),
        ],
    )
    result = clean(mini_raw.raw)
    assert result.paired.empty and _log(result, "fuzzy_link").empty
    unmatched = _log(result, "unmatched")
    assert len(unmatched) == 2
    post = unmatched.loc[unmatched["phase"] == "post", "detail"].iloc[0]
    assert "its pre questionnaire was excluded as incomplete" in post
    pre = unmatched.loc[unmatched["phase"] == "pre", "detail"].iloc[0]
    assert "no post questionnaire with this code" in pre


def test_en_dash_in_a_code_is_a_duplicate_not_a_second_person(mini_raw):
    mini_raw("a.csv", [_row("AB12CD"), _row("AB\u201312CD"), _row("AB12CD", phase="post")])
    result = clean(mini_raw.raw)
    assert len(result.scores) == 2 and len(_log(result, "duplicate_dropped")) == 1


def test_submitted_at_is_read_day_first(mini_raw):
    # 03/04/2021 is 3 April (day first, as written in Kosovo), later than 20 March
    mini_raw(
        "a.csv",
        [
            _row("AA11BB", answers=("A", "B", "C", "C"), t="03/04/2021 09:00"),
            _row("AA11BB", answers=("A", "A", "A", "A"), t="2021-03-20T09:00"),
        ],
        header=H_TIME,
    )
    result = clean(mini_raw.raw)
    assert result.scores.loc[0, "n_correct"] == 3  # the 3 April one
    assert _log(result, "duplicate_dropped")["source_row"].tolist() == [3]


def test_iso_times_are_year_month_day_whatever_else_is_day_first():
    from analysis.clean.rules import _parse_times

    texts = [
        "2021-03-04T08:30:00",  # 4 March: ISO 8601 is never day first
        "2021-03-04",
        "2021-03-04 08:30:00+02:00",
        "2021-03-04T08:30:00.5Z",
        "03/04/2021 08:30",  # 3 April: day first, as written in Kosovo
        "03.04.2021",
        "04/13/2021",  # no 13th month: 13 April
        "not a time",
        None,
        "2021-03-04T08:30:00",
    ]
    got = _parse_times(pd.Series(texts, dtype="string"))
    want = [
        "2021-03-04 08:30",
        "2021-03-04 00:00",
        "2021-03-04 06:30",
        "2021-03-04 08:30:00.5",
        "2021-04-03 08:30",
        "2021-04-03 00:00",
        "2021-04-13 00:00",
        None,
        None,
        "2021-03-04 08:30",
    ]
    expected = pd.Series(pd.to_datetime(want, utc=True, format="ISO8601")).dt.as_unit(got.dt.unit)
    pd.testing.assert_series_equal(got, expected, check_names=False)


def test_windows_1252_bytes_undefined_in_1250_are_read_as_1252(mini_raw):
    header = ";".join([*HEADER, "notes"])
    body = ";".join(["AB12CD", "Pejë", "pre", "A", "B", "C", "D", "4", "ƒ ˆ ˜ e ç"])
    path = mini_raw.raw / "responses" / "a.csv"
    path.write_bytes(f"{header}\n{body}\n".encode("cp1252"))
    frame = read_export(path)
    assert frame.loc[0, "workshop"] == "Pejë" and frame.loc[0, "notes"] == "ƒ ˆ ˜ e ç"
    assert clean(mini_raw.raw).scores.loc[0, "workshop_id"] == "W2"


def test_reaction_answers_as_spreadsheets_write_them(mini_raw):
    mini_raw("a.csv", [_row("AB12CD", phase="post", r="4,0")])
    mini_raw(
        "b.csv", [_row("CD34EF", phase="post", r="5.0"), _row("EF56GH", phase="post", r="4,5")]
    )
    a = clean(mini_raw.raw).answers
    r = a.loc[a["item_id"] == "R01"]
    # pseudonyms (and so the rows' order) follow the raw files' contents: compare by answer
    assert dict(zip(r["response"], r["status"], strict=True)) == {
        "4": "valid",
        "5": "valid",
        "4,5": "invalid",
    }


def test_files_are_read_in_name_order_ignoring_case(mini_raw):
    # a duplicate tie goes to the last row read: b.csv comes after A.csv whatever the case
    mini_raw("b.csv", [_row("AA11BB", answers=("A", "B", "C", "C"))])
    mini_raw("A.csv", [_row("AA11BB", answers=("A", "A", "A", "A"))])
    result = clean(mini_raw.raw)
    assert result.scores.loc[0, "n_correct"] == 3
    assert _log(result, "duplicate_dropped")["source_file"].tolist() == ["A.csv"]
