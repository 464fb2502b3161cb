"""Answers matched through the codebook, workshop and phase from sources.csv, and the refusals
of what cannot be scored (issue 11, items 3-5)."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.__main__ import main
from analysis.clean import clean
from analysis.clean.provenance import check_not_mixed, is_synthetic, split_synthetic
from analysis.clean.rules import answer_status
from analysis.errors import DataError
from analysis.present.locale import texts
from analysis.raw.answers import LIKERT_LABELS, KnowledgeAnswers, match_reaction
from analysis.raw.labels import WorkshopLabels
from analysis.raw.registry import read_codebook, read_registry

from conftest import RAW, write_csv

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = read_codebook(RAW)
KNOWLEDGE = CODEBOOK.loc[CODEBOOK["section"] == "knowledge"].to_dict("records")
REACTION = CODEBOOK.loc[CODEBOOK["section"] == "reaction", "item_id"].tolist()
ITEMS = CODEBOOK["item_id"].tolist()
HEADER = ["participant_code", "workshop", "phase", *ITEMS]
LETTERS = "ABCD"

#: Every accepted written form of knowledge answer ``letter`` of a codebook row.
KNOWLEDGE_FORMS = {
    "letter": lambda row, i: LETTERS[i],
    "letter lower case, spaced": lambda row, i: f" {LETTERS[i].lower()} ",
    "choice name": lambda row, i: "abcd"[i],
    "text sq": lambda row, i: row["options_sq"].split("|")[i],
    "text en": lambda row, i: row["options_en"].split("|")[i],
    "text en upper case": lambda row, i: row["options_en"].split("|")[i].upper(),
    "text sq decomposed": lambda row, i: unicodedata.normalize(
        "NFD", row["options_sq"].split("|")[i]
    ),
    "B) text sq": lambda row, i: f"{LETTERS[i]}) {row['options_sq'].split('|')[i]}",
    "b. text en": lambda row, i: f"{'abcd'[i]}. {row['options_en'].split('|')[i]}",
    "B. text en": lambda row, i: f"{LETTERS[i]}. {row['options_en'].split('|')[i]}",
}
LIKERT_EN = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]
LIKERT_SQ = [
    "Aspak dakord",
    "Nuk jam dakord",
    "As dakord, as jo dakord",
    "Dakord",
    "Plotësisht dakord",
]
LIKERT_SR = [
    "Uopšte se ne slažem",
    "Ne slažem se",
    "Niti se slažem niti se ne slažem",
    "Slažem se",
    "Potpuno se slažem",
]
REACTION_FORMS = {
    "number": lambda p: str(p),
    "number as a spreadsheet writes it": lambda p: f"{p},0",
    "label en": lambda p: LIKERT_EN[p - 1],
    "label sq": lambda p: LIKERT_SQ[p - 1],
    "label sr": lambda p: LIKERT_SR[p - 1],
    "label lower case": lambda p: LIKERT_EN[p - 1].lower(),
    "number - label en": lambda p: f"{p} - {LIKERT_EN[p - 1]}",
    "number – label sq": lambda p: f"{p} – {LIKERT_SQ[p - 1]}",
    "number. label sr": lambda p: f"{p}. {LIKERT_SR[p - 1]}",
}


def _answers(n: int) -> list[tuple[str, str, str, list[int], list[int]]]:
    """``n`` questionnaires: code, workshop, phase, letter indices 0-3, points 1-5 (or 0)."""
    out = []
    for q in range(n):
        letters = [(q * 7 + j * 3 + (q % 3) * j) % 4 for j in range(len(KNOWLEDGE))]
        phase = "post" if q % 2 else "pre"
        points = [((q + j) % 5) + 1 if phase == "post" else 0 for j in range(len(REACTION))]
        # pre and post of one person share a code; six questionnaires per workshop
        out.append((f"QA{q // 2:02d}ZX", "W1" if q < 6 else "W2", phase, letters, points))
    return out


ANSWERS = _answers(12)


def _export_rows(kform, rform, answers=ANSWERS) -> list[list[str]]:
    """The questionnaires ``answers`` as export rows; ``kform(q, j)`` / ``rform(q, j)`` name the
    form of knowledge item ``j`` / reaction item ``j`` of questionnaire ``q``."""
    rows = []
    for q, (code, workshop, phase, letters, points) in enumerate(answers):
        k = [KNOWLEDGE_FORMS[kform(q, j)](row, letters[j]) for j, row in enumerate(KNOWLEDGE)]
        r = [REACTION_FORMS[rform(q, j)](p) if p else "" for j, p in enumerate(points)]
        rows.append([code, workshop, phase, *k, *r])
    return rows


def _raw(tmp_path: Path, name: str = "raw") -> Path:
    """A raw folder with the shipped registry and codebook and no exports."""
    raw = tmp_path / name
    (raw / "responses").mkdir(parents=True)
    (raw / "instrument").mkdir()
    shutil.copy(RAW / "workshops.csv", raw / "workshops.csv")
    shutil.copy(RAW / "instrument" / "codebook.csv", raw / "instrument" / "codebook.csv")
    return raw


def _scores(raw: Path) -> list[tuple]:
    """The scores as comparable rows (pseudonyms depend on the files' bytes, so left out; so is
    the language the texts tell, which letters do not: tests/test_response_language.py)."""
    result = clean(raw)
    scores = result.scores.drop(columns=["participant_id", "response_language"])
    reaction = (
        result.answers.loc[result.answers["item_id"].isin(REACTION)]
        .pivot(index="participant_id", columns="item_id", values="response")
        .reindex(result.scores["participant_id"])
    )
    scores = pd.concat([scores.reset_index(drop=True), reaction.reset_index(drop=True)], axis=1)
    rows = scores.astype("string").fillna("<NA>").itertuples(index=False, name=None)
    return sorted(rows)


@pytest.fixture(scope="module")
def letters_scores(tmp_path_factory) -> list[tuple]:
    """The scores of ``ANSWERS`` given as letters and numbers, the contract's forms."""
    raw = _raw(tmp_path_factory.mktemp("letters"))
    write_csv(
        raw / "responses" / "a.csv",
        [HEADER, *_export_rows(lambda q, j: "letter", lambda q, j: "number")],
    )
    return _scores(raw)


@pytest.mark.parametrize("kform", list(KNOWLEDGE_FORMS))
def test_each_knowledge_form_scores_as_the_letters(tmp_path, letters_scores, kform):
    raw = _raw(tmp_path)
    rows = _export_rows(lambda q, j: kform, lambda q, j: "number")
    write_csv(raw / "responses" / "a.csv", [HEADER, *rows])
    assert _scores(raw) == letters_scores


@pytest.mark.parametrize("rform", list(REACTION_FORMS))
def test_each_likert_form_scores_as_the_numbers(tmp_path, letters_scores, rform):
    raw = _raw(tmp_path)
    rows = _export_rows(lambda q, j: "text en", lambda q, j: rform)
    write_csv(raw / "responses" / "a.csv", [HEADER, *rows])
    assert _scores(raw) == letters_scores


def test_forms_mixed_within_a_file_and_over_files(tmp_path, letters_scores):
    raw = _raw(tmp_path)
    kforms, rforms = list(KNOWLEDGE_FORMS), list(REACTION_FORMS)
    rows = _export_rows(
        lambda q, j: kforms[(q + j) % len(kforms)], lambda q, j: rforms[(q * 2 + j) % len(rforms)]
    )
    write_csv(raw / "responses" / "a.csv", [HEADER, *rows[:5]])
    write_csv(raw / "responses" / "b.csv", [HEADER, *rows[5:]])
    assert _scores(raw) == letters_scores


def _frame(rows: list[list[str]]) -> pd.DataFrame:
    frame = pd.DataFrame([r[3:] for r in rows], columns=ITEMS, dtype="string")
    return frame.assign(row=range(len(frame)))


LETTER_STATUS = answer_status(
    _frame(_export_rows(lambda q, j: "letter", lambda q, j: "number")), CODEBOOK
).drop(columns="language")  # the language texts tell (letters tell none)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(KNOWLEDGE_FORMS)), st.sampled_from(list(REACTION_FORMS))),
        min_size=len(ANSWERS) * len(ITEMS),
        max_size=len(ANSWERS) * len(ITEMS),
    )
)
def test_any_mix_of_accepted_forms_gives_the_same_scores(forms):
    """Property: whatever accepted form each answer is written in, status, response and
    correctness are those of the same answers given as letters and numbers."""
    n = len(ITEMS)
    rows = _export_rows(lambda q, j: forms[q * n + j][0], lambda q, j: forms[q * n + j][1])
    long = answer_status(_frame(rows), CODEBOOK).drop(columns="language")
    pd.testing.assert_frame_equal(long, LETTER_STATUS)


def test_the_likert_labels_are_the_reports_labels():
    """The English, Albanian and Serbian labels accepted are the ones the reports write."""
    for lang, labels in (("en", LIKERT_EN), ("sq", LIKERT_SQ), ("sr", LIKERT_SR)):
        messages = texts(lang)
        assert [messages[f"fig_likert_{p}"] for p in range(1, 6)] == labels
    for p in range(1, 6):
        assert {LIKERT_EN[p - 1], LIKERT_SQ[p - 1], LIKERT_SR[p - 1]} <= set(LIKERT_LABELS[p])
    assert match_reaction("Neutral") == "3"


@pytest.mark.parametrize(
    "value",
    ["AB", "E", "?", "x", "A/B", "B) Zëvendësimi i patrullimit me takime publike", "B)", "6"],
)
def test_what_is_not_an_answer_stays_invalid(value):
    """Two letters, other letters, a prefix whose text is another option's, a bare prefix."""
    assert KnowledgeAnswers(KNOWLEDGE[0]).match(value) is None


@pytest.mark.parametrize("value", ["5 - Disagree", "6", "0", "Very good", "4.5", "Agree strongly"])
def test_what_is_not_a_likert_answer_stays_invalid(value):
    assert match_reaction(value) is None


def test_the_shipped_codebook_has_english_options_for_every_knowledge_item():
    for row in KNOWLEDGE:
        en = row["options_en"].split("|")
        assert len(en) == 4 and all(o.strip() for o in en), row["item_id"]
        assert row["aliases"].split("|")[0] == f"Pyetja {int(row['item_id'][1:])}"


def test_a_codebook_with_options_sq_reads_like_one_with_options(tmp_path):
    raw = _raw(tmp_path)
    path = raw / "instrument" / "codebook.csv"
    path.write_text(path.read_text("utf-8").replace(",options,", ",options_sq,", 1), "utf-8")
    first = read_codebook(raw).to_dict("records")[0]
    assert KnowledgeAnswers(first).match("Rritja e numrit të arrestimeve në sektor") == "A"


K01_EN_A = "Increasing the number of arrests in the sector"


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (
            lambda t: t.replace(f"{K01_EN_A}|", "", 1),
            "four options A-D separated by '|' in options_en",
        ),
        (lambda t: t.replace("Replacing patrols with public meetings", K01_EN_A, 1), "also A's"),
        (lambda t: t.replace("Pyetja 2|Q2", "Pyetja 2|Q1", 1), "also names K01"),
    ],
    ids=["options-en-three", "option-text-twice", "alias-twice"],
)
def test_codebook_faults_of_options_and_aliases(tmp_path, edit, fragment):
    raw = _raw(tmp_path)
    path = raw / "instrument" / "codebook.csv"
    path.write_text(edit(path.read_text("utf-8")), "utf-8")
    with pytest.raises(DataError, match="codebook.csv, row") as err:
        read_codebook(raw)
    assert fragment in str(err.value)


def test_a_workshop_is_named_by_its_directorate():
    labels = WorkshopLabels(read_registry(RAW).to_dict("records"))
    assert labels.resolve("Ferizaj-Gjilan and Border") == "W1"
    assert labels.resolve("prishtine dhe te kufirit") == "W3"
    assert labels.resolve("Mitrovicë Jug-Veri (South-North) and Border") == "W4"


def test_a_kobo_labels_export_of_the_workshop_question_reads(tmp_path, letters_scores):
    raw = _raw(tmp_path)
    names = {"W1": "Ferizaj-Gjilan and Border", "W2": "Pejë-Gjakovë dhe të Kufirit"}
    rows = _export_rows(lambda q, j: "text sq", lambda q, j: "label sq")
    write_csv(raw / "responses" / "a.csv", [HEADER, *[[r[0], names[r[1]], *r[2:]] for r in rows]])
    assert _scores(raw) == letters_scores


# ---- refusals: what cannot be scored stops the run -------------------------------------------


def test_a_column_none_of_whose_answers_maps_stops(tmp_path, capsys):
    raw = _raw(tmp_path)
    rows = _export_rows(lambda q, j: "letter", lambda q, j: "number")
    for r in rows:
        r[3 + 4] = "Something the form said"  # K05
    for r in rows[1::2]:
        r[HEADER.index("R02")] = "Very good"
    write_csv(raw / "responses" / "a.csv", [HEADER, *rows])
    write_csv(
        raw / "responses" / "b.csv",
        [HEADER, *_export_rows(lambda q, j: "letter", lambda q, j: "number")],
    )
    assert main(["clean", "--raw", str(raw), "--processed", str(tmp_path / "p")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "a.csv: column K05: none of its 12 answer(s)" in err
    assert "'Something the form said'" in err and "the option's text" in err
    assert "column R02" in err and "'Very good'" in err and "Strongly agree" in err
    assert "b.csv" not in err
    assert not (tmp_path / "p").exists()


def test_more_than_a_fifth_unmapped_in_a_file_stops_and_a_fifth_does_not(tmp_path):
    raw = _raw(tmp_path)
    rows = _export_rows(lambda q, j: "letter", lambda q, j: "number")
    cells = [(q, j) for q in range(len(rows)) for j in range(len(KNOWLEDGE))]
    fifth = len(cells) // 5  # 48 of 240
    for q, j in cells[:fifth]:
        rows[q][3 + j] = "?"
    # each column keeps valid answers, so only the share of the file is at fault
    write_csv(raw / "responses" / "a.csv", [HEADER, *rows])
    clean(raw)  # exactly a fifth: invalid answers, scored as incorrect
    q, j = cells[fifth]
    rows[q][3 + j] = "E"
    write_csv(raw / "responses" / "a.csv", [HEADER, *rows])
    write_csv(raw / "responses" / "b.csv", [HEADER, *rows])
    with pytest.raises(DataError) as err:
        clean(raw)
    message = str(err.value)
    assert "a.csv: 49 of its 240 knowledge answers (more than a fifth)" in message
    assert "b.csv: 49 of its 240" in message  # every file at fault, in one run
    assert "'?'" in message and "'E'" in message


def _shipped(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    return raw


def test_synthetic_exports_beside_a_real_one_stop(tmp_path, capsys):
    raw = _shipped(tmp_path)
    assert is_synthetic(raw)
    check_not_mixed(raw)
    write_csv(
        raw / "responses" / "real.csv",
        [HEADER, *_export_rows(lambda q, j: "text en", lambda q, j: "label en")],
    )
    ours, others = split_synthetic(raw)
    assert [p.name for p in others] == ["real.csv"] and len(ours) == 9
    assert main(["clean", "--raw", str(raw), "--processed", str(tmp_path / "p")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "holds 9 synthetic export(s)" in err and "late_submissions.csv" in err
    assert "real.csv" in err and "Delete the synthetic exports" in err


def test_an_edited_synthetic_export_beside_the_others_stops(tmp_path):
    raw = _shipped(tmp_path)
    late = raw / "responses" / "late_submissions.csv"
    late.write_bytes(late.read_bytes() + b"\n")
    with pytest.raises(DataError, match="holds 8 synthetic export"):
        clean(raw)


def test_real_exports_alone_are_not_refused(tmp_path):
    raw = _shipped(tmp_path)
    for p in (raw / "responses").iterdir():
        p.unlink()
    write_csv(
        raw / "responses" / "real.csv",
        [HEADER, *_export_rows(lambda q, j: "letter", lambda q, j: "number")],
    )
    result = clean(raw)
    assert result.manifest["synthetic"] is False and len(result.scores) == len(ANSWERS)


# ---- sources.csv ------------------------------------------------------------------------------


def _without(rows: list[list[str]], *columns: str) -> list[list[str]]:
    """Rows with the cells of ``columns`` (workshop, phase) emptied."""
    drop = [HEADER.index(c) for c in columns]
    return [[("" if i in drop else v) for i, v in enumerate(r)] for r in rows]


def _by_source(rows):
    """The rows split by workshop and phase, as one form per workshop and phase exports them."""
    out: dict[tuple[str, str], list[list[str]]] = {}
    for r in rows:
        out.setdefault((r[1], r[2]), []).append(r)
    return out


def test_sources_csv_supplies_workshop_and_phase(tmp_path, letters_scores):
    raw = _raw(tmp_path)
    rows = _export_rows(lambda q, j: "text en", lambda q, j: "number")
    lines = [["file", "workshop", "phase"]]
    for n, ((workshop, phase), group) in enumerate(sorted(_by_source(rows).items())):
        name = f"Form {n}.csv"
        write_csv(raw / "responses" / name, [HEADER, *_without(group, "workshop", "phase")])
        lines.append([name.upper(), workshop, "Paratest" if phase == "pre" else phase])
    # a file with its own columns and a row leaving both empty
    write_csv(raw / "responses" / "own.csv", [HEADER])
    lines.append(["own.csv", "", ""])
    write_csv(raw / "sources.csv", lines)
    assert _scores(raw) == letters_scores
    log = clean(raw).log
    supplied = log.loc[log["action"] == "from_sources"]
    assert len(supplied) == 2 * (len(lines) - 2)


def test_sources_csv_value_agreeing_with_the_file_is_accepted(tmp_path, letters_scores):
    raw = _raw(tmp_path)
    rows = _export_rows(lambda q, j: "letter", lambda q, j: "number")
    for (workshop, phase), group in _by_source(rows).items():
        write_csv(raw / "responses" / f"{workshop}-{phase}.csv", [HEADER, *group])
    labels = {"W1": "Ferizaj", "W2": "2"}
    write_csv(
        raw / "sources.csv",
        [
            ["file", "workshop", "phase"],
            *[[f"{w}-{p}.csv", labels[w], p] for w, p in _by_source(rows)],
        ],
    )
    assert _scores(raw) == letters_scores


def test_a_file_without_workshop_and_no_sources_row_stops_showing_the_line(tmp_path, capsys):
    raw = _raw(tmp_path)
    rows = _export_rows(lambda q, j: "letter", lambda q, j: "number")
    write_csv(raw / "responses" / "google form.csv", [HEADER, *_without(rows, "workshop", "phase")])
    write_csv(raw / "responses" / "ms.csv", [HEADER, *_without(rows, "workshop")])
    write_csv(raw / "responses" / "ok.csv", [HEADER, *rows])
    assert main(["clean", "--raw", str(raw), "--processed", str(tmp_path / "p")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    add = "add to data/raw/sources.csv: file,workshop,phase (the header, once) and the line"
    assert f"{add} google form.csv,W1,pre (with this file's own workshop and phase" in err
    assert f"{add} ms.csv,W1, (with this file's own workshop in place of W1)" in err
    assert (
        "google form.csv: lacks the column(s) workshop, phase" in err
        and "ms.csv: lacks the column(s) workshop (" in err
    )
    assert "ok.csv" not in err


def test_a_sources_row_leaving_a_column_empty_for_a_file_without_it_stops(tmp_path):
    raw = _raw(tmp_path)
    rows = _export_rows(lambda q, j: "letter", lambda q, j: "number")
    write_csv(raw / "responses" / "a.csv", [HEADER, *_without(rows[:1], "phase")])
    write_csv(raw / "sources.csv", [["file", "workshop", "phase"], ["a.csv", "W1", ""]])
    with pytest.raises(
        DataError, match=r"a.csv: lacks the column\(s\) phase .* the line a.csv,,pre "
    ):
        clean(raw)


def test_a_disagreeing_sources_value_stops(tmp_path):
    raw = _raw(tmp_path)
    rows = [r for r in _export_rows(lambda q, j: "letter", lambda q, j: "number") if r[1] == "W1"]
    write_csv(raw / "responses" / "a.csv", [HEADER, *rows])
    write_csv(raw / "responses" / "b.csv", [HEADER, *[[*r[:2], "pre", *r[3:]] for r in rows]])
    write_csv(
        raw / "sources.csv",
        [["file", "workshop", "phase"], ["a.csv", "W2", ""], ["b.csv", "", "post"]],
    )
    with pytest.raises(DataError) as err:
        clean(raw)
    message = str(err.value)
    assert (
        "a.csv, row 2, column workshop: the file says 'W1' but sources.csv (row 2) gives 'W2'"
        in message
    )
    assert (
        "b.csv, row 2, column phase: the file says 'pre' but sources.csv (row 3) gives 'post'"
        in message
    )


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (["nothere.csv", "W1", "pre"], "no file 'nothere.csv' in responses/"),
        (["a.csv", "W9", "pre"], "unknown workshop 'W9'"),
        (["a.csv", "W1", "mid"], "unknown phase 'mid'"),
        (["", "W1", "pre"], "file is empty"),
    ],
)
def test_sources_csv_faults(tmp_path, line, fragment):
    raw = _raw(tmp_path)
    write_csv(
        raw / "responses" / "a.csv",
        [HEADER, *_export_rows(lambda q, j: "letter", lambda q, j: "number")],
    )
    write_csv(raw / "sources.csv", [["file", "workshop", "phase"], line])
    with pytest.raises(DataError, match="sources.csv, row 2") as err:
        clean(raw)
    assert fragment in str(err.value)


def test_sources_csv_naming_a_file_twice_stops(tmp_path):
    raw = _raw(tmp_path)
    write_csv(
        raw / "responses" / "a.csv",
        [HEADER, *_export_rows(lambda q, j: "letter", lambda q, j: "number")],
    )
    write_csv(
        raw / "sources.csv", [["file", "workshop", "phase"], ["a.csv", "", ""], ["A.CSV", "", ""]]
    )
    with pytest.raises(DataError, match="already named in row 2"):
        clean(raw)


def test_sources_csv_is_hashed_but_is_no_export(tmp_path):
    raw = _raw(tmp_path)
    write_csv(
        raw / "responses" / "a.csv",
        [HEADER, *_export_rows(lambda q, j: "letter", lambda q, j: "number")],
    )
    first = clean(raw)
    write_csv(raw / "sources.csv", [["file", "workshop", "phase"], ["a.csv", "", ""]])
    second = clean(raw)
    assert "sources.csv" not in first.manifest["raw_files"]
    assert "sources.csv" in second.manifest["raw_files"] and second.files == ["a.csv"]
