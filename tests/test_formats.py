"""Source formats: exports shaped as survey tools write them, built from the shipped codebook,
clean to exactly the scores of the same answers in the contract layout; headers are matched
through the codebook, and what cannot be matched is refused naming the file and the fix."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import clean
from analysis.errors import DataError
from analysis.raw.formats import FORMATS, choose_format, read_contract
from analysis.raw.headers import HeaderMatcher, header_key
from analysis.raw.platforms import google_timestamp
from analysis.raw.readers import RawTable, read_raw_table
from analysis.raw.registry import read_codebook

from conftest import RAW

CODEBOOK = pd.read_csv(RAW / "instrument" / "codebook.csv", dtype=str, keep_default_na=False)
ITEMS = CODEBOOK["item_id"].tolist()
KNOWLEDGE = CODEBOOK.loc[CODEBOOK["section"] == "knowledge", "item_id"].tolist()
REACTION = CODEBOOK.loc[CODEBOOK["section"] == "reaction", "item_id"].tolist()
TEXT = {lang: dict(zip(ITEMS, CODEBOOK[f"text_{lang}"], strict=True)) for lang in ("en", "sq")}
GROUPS = [("W1", "pre"), ("W1", "post"), ("W2", "pre"), ("W2", "post")]


def _people() -> list[dict]:
    """Questionnaires of 4 people in each of W1 and W2, pre and post; answers A-D and 1-5, a
    few blanks and one invalid answer; ``years_of_service`` tells the people apart."""
    rows = []
    for g, (workshop, phase) in enumerate(GROUPS):
        for i in range(4):
            person = (0 if workshop == "W1" else 10) + i
            answers = {
                k: "ABCD"[(person * 7 + n * 3 + (phase == "post")) % 4]
                for n, k in enumerate(KNOWLEDGE)
            }
            answers[KNOWLEDGE[(person + g) % 20]] = ""
            if person == 2:
                answers[KNOWLEDGE[5]] = "E"
            for n, r in enumerate(REACTION):
                answers[r] = str((person + n) % 5 + 1) if phase == "post" else ""
            rows.append(
                {
                    "participant_code": f"QX{person:02d}Z{chr(65 + person)}",
                    "workshop": workshop,
                    "phase": phase,
                    "hour": 9 + (phase == "post") * 5,
                    "years_of_service": str(person + 1),
                    "gender": "M" if person % 3 else "F",
                    **answers,
                }
            )
    return rows


PEOPLE = _people()


# ------------------------------------------------------------------------- the shapes


def _write_csv(
    path: Path, rows, *, delimiter=",", quoting=csv.QUOTE_MINIMAL, bom=False, lineterminator="\r\n"
):
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        csv.writer(
            fh, delimiter=delimiter, quoting=quoting, lineterminator=lineterminator
        ).writerows(rows)


def _write_xlsx(path: Path, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)


def contract(path: Path, people) -> Path:
    """The project's own layout."""
    header = [
        "participant_code",
        "workshop",
        "phase",
        "submitted_at",
        "years_of_service",
        "gender",
        *ITEMS,
    ]
    body = [
        [
            p["participant_code"],
            p["workshop"],
            p["phase"],
            f"2021-03-16 {p['hour']:02d}:00",
            p["years_of_service"],
            p["gender"],
            *(p[i] for i in ITEMS),
        ]
        for p in people
    ]
    path = path.with_suffix(".csv")
    _write_csv(path, [header, *body])
    return path


def google(lang: str, marker: str = ""):
    def write(path: Path, people) -> Path:
        names = {
            "en": ["Participant code", "Workshop", "Phase", "Years of service", "Gender"],
            "sq": ["Kodi i pjesëmarrësit", "Punëtoria", "Faza", "Vitet e shërbimit", "Gjinia"],
        }[lang]
        header = [
            "Timestamp",
            "Email Address",
            "Score",
            *(n + marker for n in names),
            *(TEXT[lang][i] + marker for i in ITEMS),
        ]
        body = [
            [
                f"2021/03/16 {p['hour'] % 12 or 12}:31:02 {'AM' if p['hour'] < 12 else 'PM'} GMT+1",
                f"x{n}@example.org",
                "14 / 20",
                p["participant_code"],
                p["workshop"],
                p["phase"],
                p["years_of_service"],
                p["gender"],
                *(p[i] for i in ITEMS),
            ]
            for n, p in enumerate(people)
        ]
        path = path.with_suffix(".csv")
        _write_csv(path, [header, *body], lineterminator="\n")
        return path

    write.__name__ = f"google_{lang}{'_marker' if marker else ''}"
    return write


def microsoft(path: Path, people) -> Path:
    """Microsoft Forms quiz: Points - / Feedback - pairs after every question."""
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Total points",
        "Quiz feedback",
        "Participant code",
        "Points - Participant code",
        "Feedback - Participant code",
        "Workshop",
        "Phase",
        "Years of service",
        "Gender",
    ]
    for i in ITEMS:
        header += [TEXT["en"][i], f"Points - {TEXT['en'][i]}", f"Feedback - {TEXT['en'][i]}"]
    body = []
    for n, p in enumerate(people, start=1):
        row = [
            n,
            f"3/16/21 {p['hour']}:00:00",
            f"3/16/21 {p['hour']}:20:00",
            "anonymous",
            "",
            14,
            "",
            p["participant_code"],
            "",
            "",
            p["workshop"],
            p["phase"],
            p["years_of_service"],
            p["gender"],
        ]
        for i in ITEMS:
            row += [p[i] or None, 1, None]
        body.append(row)
    path = path.with_suffix(".xlsx")
    _write_xlsx(path, [header, *body])
    return path


KOBO_META = [
    "start",
    "end",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]


def _kobo_rows(people, names, hxl):
    header = [*names, *KOBO_META]
    rows = [header]
    if hxl:
        rows.append(["#" + h.split("/")[-1].lower() if n % 2 else "" for n, h in enumerate(header)])
        rows[1][0] = "#code"
    for n, p in enumerate(people):
        rows.append(
            [
                p["participant_code"],
                p["workshop"],
                p["phase"],
                p["years_of_service"],
                p["gender"],
                *(p[i] for i in ITEMS),
                "2021-03-16T08:00:00.000+01:00",
                "2021-03-16T08:20:00.000+01:00",
                str(1000 + n),
                f"uuid-{n}",
                f"2021-03-16T{p['hour'] - 1:02d}:20:00",
                "",
                "",
                "submitted_via_web",
                "",
                "vAbC",
                "",
                str(n + 1),
            ]
        )
    return rows


def kobo_labels(lang: str, groups: bool, xlsx: bool, hxl: bool = False):
    def write(path: Path, people) -> Path:
        k = {"en": "Knowledge test/", "sq": "Testi i njohurive/"}[lang] if groups else ""
        r = {"en": "Your opinion/", "sq": "Mendimi juaj/"}[lang] if groups else ""
        names = {
            "en": ["Participant code", "Workshop", "Phase", "Years of service", "Gender"],
            "sq": ["Kodi i pjesëmarrësit", "Punëtoria", "Faza", "Vitet e shërbimit", "Gjinia"],
        }[lang]
        items = [(k if i in KNOWLEDGE else r) + TEXT[lang][i] for i in ITEMS]
        rows = _kobo_rows(people, [*names, *items], hxl)
        if xlsx:
            path = path.with_suffix(".xlsx")
            _write_xlsx(path, rows)
        else:
            path = path.with_suffix(".csv")
            _write_csv(path, rows, delimiter=";", quoting=csv.QUOTE_ALL)
        return path

    write.__name__ = (
        f"kobo_labels_{lang}{'_groups' if groups else ''}"
        + ("_xlsx" if xlsx else "_csv")
        + ("_hxl" if hxl else "")
    )
    return write


def kobo_xml(groups: bool, xlsx: bool, hxl: bool = False):
    def write(path: Path, people) -> Path:
        items = [
            (("group_knowledge/" if i in KNOWLEDGE else "group_reaction/") if groups else "") + i
            for i in ITEMS
        ]
        names = [
            "participant_code",
            "workshop",
            "phase",
            "group_about/years_of_service",
            "group_about/gender",
        ]
        rows = _kobo_rows(people, [*names, *items], hxl)
        if xlsx:
            path = path.with_suffix(".xlsx")
            _write_xlsx(path, rows)
        else:
            path = path.with_suffix(".csv")
            _write_csv(path, rows, delimiter=";", quoting=csv.QUOTE_ALL)
        return path

    write.__name__ = (
        f"kobo_xml{'_groups' if groups else ''}"
        + ("_xlsx" if xlsx else "_csv")
        + ("_hxl" if hxl else "")
    )
    return write


def odk(path: Path, people) -> Path:
    """ODK Central: groups joined with '-', its metadata columns."""
    header = [
        "SubmissionDate",
        "participant_code",
        "workshop",
        "phase",
        "about-years_of_service",
        "about-gender",
        *((("knowledge-" if i in KNOWLEDGE else "reaction-") + i) for i in ITEMS),
        "meta-instanceID",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    ]
    body = [
        [
            f"2021-03-16T{p['hour'] - 1:02d}:20:00.000Z",
            p["participant_code"],
            p["workshop"],
            p["phase"],
            p["years_of_service"],
            p["gender"],
            *(p[i] for i in ITEMS),
            f"uuid:{n}",
            f"uuid:{n}",
            "5",
            "collector",
            "0",
            "0",
            "",
            "received",
            "",
            "0",
            "v1",
        ]
        for n, p in enumerate(people)
    ]
    path = path.with_suffix(".csv")
    _write_csv(path, [header, *body])
    return path


def limesurvey(path: Path, people) -> Path:
    """LimeSurvey: question codes, id, submitdate, BOM."""
    header = [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "kodi",
        "punetoria",
        "faza",
        "vitet",
        "gjinia",
        *ITEMS,
    ]
    body = [
        [
            str(n + 1),
            f"2021-03-16 {p['hour']:02d}:20:00",
            "3",
            "sq",
            "123",
            p["participant_code"],
            p["workshop"],
            p["phase"],
            p["years_of_service"],
            p["gender"],
            *(p[i] for i in ITEMS),
        ]
        for n, p in enumerate(people)
    ]
    path = path.with_suffix(".csv")
    _write_csv(path, [header, *body], bom=True)
    return path


def qualtrics(path: Path, people) -> Path:
    """Qualtrics: question ids, question texts, ImportId tags; its metadata columns."""
    meta = [
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "RecipientLastName",
    ]
    texts = [
        "Participant code",
        "Workshop",
        "Phase",
        "Years of service",
        "Gender",
        *(TEXT["en"][i] for i in ITEMS),
    ]
    ids = [f"QID{100 + n}" for n in range(len(texts))]
    row3 = [json.dumps({"ImportId": m.lower()}) for m in meta]
    row3 += [json.dumps({"ImportId": q}) for q in ids]
    body = [
        [
            "2021-03-16 08:00:00",
            "2021-03-16 08:20:00",
            "IP Address",
            "1.2.3.4",
            "100",
            "1200",
            "True",
            f"2021-03-16 {p['hour']:02d}:20:00",
            f"R_{n}",
            "",
            p["participant_code"],
            p["workshop"],
            p["phase"],
            p["years_of_service"],
            p["gender"],
            *(p[i] for i in ITEMS),
        ]
        for n, p in enumerate(people)
    ]
    path = path.with_suffix(".csv")
    _write_csv(path, [[*meta, *ids], [*meta, *texts], row3, *body])
    return path


SHAPES = [
    google("en"),
    google("sq", marker=" *"),
    microsoft,
    kobo_labels("en", groups=True, xlsx=True, hxl=True),
    kobo_labels("sq", groups=False, xlsx=False),
    kobo_labels("sq", groups=True, xlsx=False),
    kobo_xml(groups=True, xlsx=False, hxl=True),
    kobo_xml(groups=False, xlsx=True),
    kobo_xml(groups=True, xlsx=True),
    odk,
    limesurvey,
    qualtrics,
]
SHAPE_NAMES = [s.__name__ for s in SHAPES]


# ------------------------------------------------------------------------- helpers


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "responses").mkdir(parents=True)
    (raw / "instrument").mkdir()
    shutil.copy(RAW / "workshops.csv", raw / "workshops.csv")
    shutil.copy(RAW / "instrument" / "codebook.csv", raw / "instrument" / "codebook.csv")
    return raw


def _canonical(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores and answers without the pseudonyms (which depend on the files' bytes), each
    person named by their years of service; without ``response_language`` too, which texts
    tell and letters do not (tests/test_response_language.py)."""
    scores = result.scores.drop(columns="response_language", errors="ignore")
    who = scores.drop_duplicates("participant_id").set_index("participant_id")["years_of_service"]
    keys = ["workshop_id", "phase", "years_of_service"]
    s = scores.drop(columns="participant_id").sort_values(keys).reset_index(drop=True)
    a = result.answers.assign(years_of_service=result.answers["participant_id"].map(who))
    a = a.drop(columns="participant_id").sort_values([*keys, "item_id"]).reset_index(drop=True)
    return s, a


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    raw = _raw(tmp_path_factory.mktemp("contract"))
    contract(raw / "responses" / "all", PEOPLE)
    return _canonical(clean(raw))


def _assert_same(result, expected):
    s, a = _canonical(result)
    pd.testing.assert_frame_equal(s, expected[0])
    pd.testing.assert_frame_equal(a, expected[1])


# ------------------------------------------------------------------------- equal scores


def test_contract_layout_reads_the_answers(expected):
    scores = expected[0]
    assert len(scores) == 16 and scores["score_pct"].between(0, 100).all()
    assert scores["score_pct"].nunique() > 3  # the answers differ, so a mismatch would show


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_NAMES)
def test_each_shape_cleans_to_the_contract_scores(shape, tmp_path, expected):
    raw = _raw(tmp_path)
    path = shape(raw / "responses" / "export", PEOPLE)
    fmt = choose_format(read_raw_table(path))
    tool = shape.__name__.split("_")[0]
    assert (
        fmt.name.lower()
        .replace(" ", "")
        .startswith(
            {
                "odk": "odkcentral",
                "kobo": "kobotoolbox",
                "google": "googleforms",
                "microsoft": "microsoftforms",
            }.get(tool, tool)
        )
    )
    _assert_same(clean(raw), expected)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(range(len(SHAPES))), min_size=4, max_size=4))
def test_any_mix_of_shapes_gives_the_same_scores(tmp_path_factory, expected, picks):
    raw = _raw(tmp_path_factory.mktemp("mix"))
    for n, ((workshop, phase), pick) in enumerate(zip(GROUPS, picks, strict=True)):
        people = [p for p in PEOPLE if (p["workshop"], p["phase"]) == (workshop, phase)]
        SHAPES[pick](raw / "responses" / f"export{n}", people)
    _assert_same(clean(raw), expected)


# ------------------------------------------------------------------------- log rows


def _log(result, action):
    log = result.log
    return log.loc[log["action"] == action, "detail"].tolist()


def test_google_export_logs_what_it_mapped_and_dropped(tmp_path):
    raw = _raw(tmp_path)
    google("sq", marker=" *")(raw / "responses" / "export", PEOPLE)
    result = clean(raw)
    mapped = _log(result, "mapped_column")
    assert len(mapped) == 1 + 5 + len(ITEMS)
    assert (
        "column 'Timestamp' -> submitted_at (Google Forms submission time; Google Forms "
        "export)" in mapped
    )
    assert (
        "column 'Kodi i pjesëmarrësit *' -> participant_code (synonym; Google Forms "
        "export)" in mapped
    )
    assert f"column '{TEXT['sq']['K01']} *' -> K01 (item text (sq); Google Forms export)" in mapped
    dropped = _log(result, "dropped_column")
    assert dropped == [
        "column 'Email Address' is not in the contract (Google Forms export)",
        "column 'Score' is not in the contract (Google Forms export)",
    ]
    assert not any("@example.org" in d or "14 / 20" in d for d in mapped + dropped)


def test_group_prefixes_are_logged_as_removed(tmp_path):
    raw = _raw(tmp_path)
    odk(raw / "responses" / "export", PEOPLE)
    mapped = _log(clean(raw), "mapped_column")
    assert (
        "column 'knowledge-K01' -> K01 (item id, group prefix removed; ODK Central export)"
        in mapped
    )
    assert (
        "column 'SubmissionDate' -> submitted_at (ODK Central submission time; ODK Central "
        "export)" in mapped
    )


def test_contract_layout_logs_no_mapped_columns(tmp_path):
    raw = _raw(tmp_path)
    contract(raw / "responses" / "export", PEOPLE)
    assert _log(clean(raw), "mapped_column") == []


def test_microsoft_points_and_feedback_are_dropped(tmp_path):
    raw = _raw(tmp_path)
    microsoft(raw / "responses" / "export", PEOPLE)
    dropped = _log(clean(raw), "dropped_column")
    assert len(dropped) == 6 + 2 * (1 + len(ITEMS))  # the metadata, and a pair per question
    assert (
        f"column 'Points - {TEXT['en']['K01']}' is not in the contract (Microsoft Forms "
        "export)" in dropped
    )


def test_kobo_hxl_row_is_a_header_row(tmp_path):
    raw = _raw(tmp_path)
    path = kobo_xml(groups=True, xlsx=False, hxl=True)(raw / "responses" / "export", PEOPLE)
    frame = read_contract(read_raw_table(path), read_codebook(raw)).frame
    assert len(frame) == len(PEOPLE) and frame["source_row"].iloc[0] == 3
    assert not frame["participant_code"].str.startswith("#").any()


# ------------------------------------------------------------------------- timestamps


def test_google_timestamp_offset_is_honoured():
    assert google_timestamp("2021/03/16 9:31:02 AM GMT+1") == "2021-03-16T09:31:02+01:00"
    assert google_timestamp("2021/03/16 12:05:00 AM GMT-5:30") == "2021-03-16T00:05:00-05:30"
    assert google_timestamp("2021/03/16 12:05:00 PM GMT") == "2021-03-16T12:05:00+00:00"
    assert google_timestamp("not a time") == "not a time"


def test_google_submitted_at_is_the_offset_aware_instant(tmp_path):
    raw = _raw(tmp_path)
    path = google("en")(raw / "responses" / "export", PEOPLE[:1])
    frame = read_contract(read_raw_table(path), read_codebook(raw)).frame
    assert frame.loc[0, "submitted_at"] == "2021-03-16T09:31:02+01:00"
    instant = pd.to_datetime(frame["submitted_at"], utc=True, format="mixed")[0]
    assert instant == pd.Timestamp("2021-03-16 08:31:02", tz="UTC")


def test_a_later_google_offset_decides_a_duplicate(tmp_path):
    """Two questionnaires of one code: 9:00 GMT+1 (08:00 UTC) is earlier than 8:30 GMT+0."""
    raw = _raw(tmp_path)
    p = PEOPLE[0]
    header = ["Timestamp", "Participant code", "Workshop", "Phase", *ITEMS]
    first = [
        "2021/03/16 9:00:00 AM GMT+1",
        p["participant_code"],
        "W1",
        "pre",
        *("A" for _ in KNOWLEDGE),
        *("" for _ in REACTION),
    ]
    second = [
        "2021/03/16 8:30:00 AM GMT",
        p["participant_code"],
        "W1",
        "pre",
        *("B" for _ in KNOWLEDGE),
        *("" for _ in REACTION),
    ]
    _write_csv(raw / "responses" / "g.csv", [header, second, first])
    result = clean(raw)
    kept = result.answers.loc[result.answers["item_id"] == "K01", "response"].tolist()
    assert kept == ["B"]  # the row submitted later in UTC is kept, though read first


# ------------------------------------------------------------------------- header matching


def test_header_key_ignores_case_accents_punctuation_and_marker():
    assert header_key(" „Kodi i Pjesëmarrësit” * ") == "kodi i pjesemarresit"
    assert header_key("What is the main aim of community policing?") == header_key(
        "what is the main aim of community policing"
    )


def test_aliases_column_is_read_when_present():
    codebook = CODEBOOK.assign(aliases=["Pyetja 1|Q1", *[""] * (len(ITEMS) - 1)])
    matcher = HeaderMatcher(codebook)
    assert matcher.lookup("Pyetja 1", "f.csv", 1) == ("K01", "alias")
    assert matcher.lookup("group_k/Q1", "f.csv", 1) == ("K01", "alias, group prefix removed")
    bare = CODEBOOK.drop(columns=["aliases"], errors="ignore")
    assert HeaderMatcher(bare).lookup("Q1", "f.csv", 1) is None  # no aliases column


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Kodi", "participant_code"),
        ("šifra", "participant_code"),
        ("CODE", "participant_code"),
        ("Punëtoria", "workshop"),
        ("Radionica", "workshop"),
        ("faza", "phase"),
        ("Test", "phase"),
        ("Gjinia", "gender"),
        ("Stacioni policor", "station"),
        ("Godine službe", "years_of_service"),
    ],
)
def test_synonyms_name_the_contract_columns(header, target):
    assert HeaderMatcher(CODEBOOK).lookup(header, "f.csv", 1)[0] == target


# ------------------------------------------------------------------------- refusals


def test_two_columns_claiming_one_item_stop_naming_both(tmp_path):
    raw = _raw(tmp_path)
    path = google("en")(raw / "responses" / "export", PEOPLE)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[0][-1] = "K01"  # the last reaction item's column now claims K01 as well
    _write_csv(path, rows)
    with pytest.raises(DataError) as err:
        clean(raw)
    message = str(err.value)
    assert "export.csv" in message and "both name K01" in message
    assert f"'{TEXT['en']['K01']}'" in message and "'K01'" in message


def test_one_header_naming_two_items_stops_naming_both(tmp_path):
    raw = _raw(tmp_path)
    book = CODEBOOK.copy()
    book.loc[1, "text_en"] = book.loc[0, "text_en"]  # K02's English text is K01's
    book.to_csv(raw / "instrument" / "codebook.csv", index=False)
    google("en")(raw / "responses" / "export", PEOPLE)
    with pytest.raises(DataError) as err:
        clean(raw)
    assert "names both K01 and K02" in str(err.value) and "export.csv" in str(err.value)


def test_missing_columns_list_what_the_file_has_and_the_tool_it_resembles(tmp_path):
    raw = _raw(tmp_path)
    path = google("en")(raw / "responses" / "export", PEOPLE)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[0][3] = "Your name"  # no participant code
    _write_csv(path, rows)
    with pytest.raises(DataError) as err:
        clean(raw)
    message = str(err.value)
    assert "export.csv: lacks the required column(s) participant_code." in message
    assert "It has the columns Timestamp, Email Address, Score, Your name" in message
    assert "looks like a Google Forms export: Timestamp, Email Address, Score" in message
    assert "kodi" in message and "ignoring case" in message


def test_an_unknown_layout_resembling_a_tool_is_named(tmp_path):
    raw = _raw(tmp_path)
    _write_csv(
        raw / "responses" / "x.xlsx.csv",
        [["Start time", "Completion time", "Email", "Question 1"], ["a", "b", "c", "d"]],
    )
    with pytest.raises(DataError) as err:
        clean(raw)
    message = str(err.value)
    assert (
        "lacks the required column(s) participant_code, workshop, phase, every knowledge item "
        "(K01..K20)" in message
    )
    assert "looks like a Microsoft Forms export: Start time, Completion time, Email" in message


def test_every_file_at_fault_is_named_in_one_run(tmp_path):
    raw = _raw(tmp_path)
    contract(raw / "responses" / "good", PEOPLE)
    _write_csv(raw / "responses" / "bad1.csv", [["Timestamp", "Score"], ["x", "1 / 20"]])
    _write_csv(raw / "responses" / "bad2.csv", [["name", "K01"], ["Arben", "A"]])
    with pytest.raises(DataError) as err:
        clean(raw)
    message = str(err.value)
    assert "2 of the 3 exports" in message
    assert "bad1.csv: lacks" in message and "bad2.csv: lacks" in message
    assert "good.csv" not in message and "Arben" not in message


def test_formats_are_chosen_from_the_header_not_the_name(tmp_path):
    path = tmp_path / "kobo_export.csv"
    _write_csv(path, [["participant_code", "workshop", "phase", *ITEMS]])
    assert choose_format(RawTable(path, list(csv.reader(path.open())))).name == "contract"
    assert [f.name for f in FORMATS][-1] == "spreadsheet"


def test_a_hand_made_file_is_not_said_to_resemble_a_tool(tmp_path):
    raw = _raw(tmp_path)
    _write_csv(raw / "responses" / "typed.csv", [["name", "email", "K01"], ["Arben", "a@b", "A"]])
    with pytest.raises(DataError) as err:
        clean(raw)
    assert "looks like" not in str(err.value) and "It has the columns name, email, K01" in str(
        err.value
    )


# ------------------------------------------------------------- a real Google Forms round


def test_google_forms_as_exported_one_form_per_workshop_and_test(tmp_path, expected):
    """One Google form per workshop and test, as trainers make them: no Workshop or Phase
    column (data/raw/sources.csv says which file is which), question texts in English as
    headers, answers as the options' texts and the scale's labels. The scores are exactly those
    of the same answers in the contract layout."""
    options = {
        r.item_id: dict(zip("ABCD", r.options_en.split("|"), strict=True))
        for r in CODEBOOK.loc[CODEBOOK["section"] == "knowledge"].itertuples()
    }
    likert = {
        "1": "Strongly disagree",
        "2": "Disagree",
        "3": "Neither agree nor disagree",
        "4": "Agree",
        "5": "Strongly agree",
    }

    def said(item: str, value: str) -> str:
        if item in options:
            return options[item].get(value, value)  # a blank stays blank, an 'E' stays invalid
        return likert.get(value, value)

    raw = _raw(tmp_path)
    sources = [["file", "workshop", "phase"]]
    for workshop, phase in GROUPS:
        name = f"Pyetësori {workshop} {phase} (Responses).csv"
        header = ["Timestamp", "Email Address", "Score", "Participant code", "Years of service"]
        header += ["Gender", *(TEXT["en"][i] for i in ITEMS)]
        body = [
            [
                f"2021/03/16 {p['hour'] % 12 or 12}:31:02 {'AM' if p['hour'] < 12 else 'PM'} GMT+1",
                "",
                "",
                p["participant_code"],
                p["years_of_service"],
                p["gender"],
                *(said(i, p[i]) for i in ITEMS),
            ]
            for p in PEOPLE
            if (p["workshop"], p["phase"]) == (workshop, phase)
        ]
        _write_csv(raw / "responses" / name, [header, *body], lineterminator="\n")
        sources.append([name, workshop, phase])
    _write_csv(raw / "sources.csv", sources, lineterminator="\n")
    _assert_same(clean(raw), expected)


# ------------------------------------------------------------- the XLSForm's own exports


def _form():
    """The XLSForm of the shipped codebook and registry: each question's name, group, label
    per language and the labels of its choices."""
    from analysis.form.xlsform import xlsform_sheets
    from analysis.raw.registry import read_codebook, read_registry

    sheets = xlsform_sheets(read_codebook(RAW), read_registry(RAW))
    head, *rows = sheets["survey"]
    col = {h: j for j, h in enumerate(head)}
    langs = [h for h in head if h.startswith("label::")]
    questions, group = [], None
    for r in rows:
        kind, name = r[col["type"]], r[col["name"]]
        if kind == "begin_group":
            group = name
        elif kind == "end_group":
            group = None
        else:
            labels = {g: r[col[g]] for g in langs}
            questions.append((name, group, kind.split(" ")[-1] if "select" in kind else "", labels))
    chead, *crows = sheets["choices"]
    ccol = {h: j for j, h in enumerate(chead)}
    choices = {}
    for r in crows:
        choices.setdefault(r[ccol["list_name"]], {})[r[ccol["name"]]] = {
            g: r[ccol[g]] for g in langs
        }
    return questions, choices, langs


def _value(p: dict, name: str) -> str:
    """A person's answer as the form's choice name (a-d, 1-5, W1, pre, F)."""
    value = p.get(name, "")
    return value.lower() if name in KNOWLEDGE and value in "ABCD" else value


def _form_export(mode: str, lang: str = "") -> list[list[str]]:
    questions, choices, _ = _form()
    asked = [
        q
        for q in questions
        if q[0] in {*ITEMS, "participant_code", "workshop", "phase", "gender", "years_of_service"}
    ]
    if mode == "odk":
        header = ["SubmissionDate", *(f"{g}-{n}" if g else n for n, g, _, _ in asked)]
        header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "Status"]
    elif mode == "kobo_xml":
        header = ["start", "end", *(f"{g}/{n}" if g else n for n, g, _, _ in asked)]
        header += ["_id", "_uuid", "_submission_time", "_index"]
    else:  # Kobo "labels": the question's label in the chosen language, choices by label
        header = ["start", "end", *(labels[lang] for _, _, _, labels in asked)]
        header += ["_id", "_uuid", "_submission_time", "_index"]
    body = []
    for k, p in enumerate(PEOPLE):
        cells = []
        for name, _, listed, _ in asked:
            value = _value(p, name)
            if mode == "kobo_labels" and listed and value in choices.get(listed, {}):
                value = choices[listed][value][lang]
            cells.append(value)
        when = f"2021-03-16T{p['hour']:02d}:00:00"
        meta = [f"uuid:{k}", f"uuid:{k}", "", "", "submitted"]
        if mode == "odk":
            body.append([when, *cells, *meta])
        else:
            body.append([when, when, *cells, str(k), f"u{k}", when, str(k + 1)])
    return [header, *body]


@pytest.mark.parametrize(
    ("mode", "lang"),
    [
        ("kobo_xml", ""),
        ("kobo_labels", "label::English (en)"),
        ("kobo_labels", "label::Shqip (sq)"),
        ("odk", ""),
    ],
)
def test_the_xlsforms_own_exports_read_back_to_the_same_scores(mode, lang, tmp_path, expected):
    """The form `python -m analysis xlsform` writes, answered and exported as KoboToolbox
    writes it (XML values and headers; labels in English and in Albanian) and as ODK Central
    writes it: the exports read back to exactly the scores of the contract layout."""
    raw = _raw(tmp_path)
    rows = _form_export(mode, lang)
    if mode == "odk":
        _write_csv(raw / "responses" / "submissions.csv", rows)
    else:
        _write_csv(raw / "responses" / "kobo.csv", rows, delimiter=";", quoting=csv.QUOTE_ALL)
    _assert_same(clean(raw), expected)


def test_an_unscorable_column_is_named_by_its_header_as_written(tmp_path):
    """A Google export whose answers to one question are all in a form the codebook does not
    know (numbers typed for a choice question): the run stops naming the file, the column by
    its header as the file writes it (and the item it was read as), and three of its values."""
    raw = _raw(tmp_path)
    path = google("en")(raw / "responses" / "form", PEOPLE)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    j = rows[0].index(TEXT["en"]["K01"])
    for n, row in enumerate(rows[1:], start=1):
        row[j] = str(n)
    _write_csv(path, rows, lineterminator="\n")
    with pytest.raises(DataError) as err:
        clean(raw)
    message = " ".join(str(err.value).split())
    assert "form.csv" in message and f"column '{TEXT['en']['K01']}' (K01)" in message
    assert "'1', '2', '3'" in message and "a letter A-D" in message
