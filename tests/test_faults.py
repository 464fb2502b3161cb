"""The fault catalogue (docs/faults.md): every bad input stops the command line with exit status 2
and one paragraph on stderr naming the file, the row or column and what would be accepted; no
traceback; the earlier data/processed/ (and reports/) left byte for byte as they were."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.clean import clean, run_clean

from conftest import HEADER, RAW

W1_PRE = "2021-03-16_ferizaj-gjilan_paratesti.csv"
XLSX = "2021-03-23_prishtine_paratesti.xlsx"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python -m analysis`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        # the root conftest sends notebook outputs to a scratch folder; not here
        env=dict(os.environ),
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def read_rows(path: Path) -> list[list[str]]:
    """The rows of a shipped CSV export (UTF-8 with or without BOM, ',' delimited)."""
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write rows as a UTF-8 CSV file."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def col(rows: list[list[str]], name: str) -> int:
    """Index of a header column, ignoring case."""
    return [h.strip().lower() for h in rows[0]].index(name.lower())


def drop_columns(path: Path, *names: str) -> None:
    """Remove columns (by name, ignoring case) from a CSV export."""
    rows = read_rows(path)
    drop = {col(rows, n) for n in names}
    write_rows(path, [[c for i, c in enumerate(r) if i not in drop] for r in rows])


def set_cell(path: Path, row: int, name: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row number (header = 1)."""
    rows = read_rows(path)
    rows[row - 1][col(rows, name)] = value
    write_rows(path, rows)


def edit_codebook(raw: Path, item: str, **values: str) -> None:
    """Change fields of one codebook row."""
    path = raw / "instrument" / "codebook.csv"
    rows = read_rows(path)
    for r in rows[1:]:
        if r[0] == item:
            for k, v in values.items():
                r[col(rows, k)] = v
    write_rows(path, rows)


@pytest.fixture(scope="module")
def good_processed(tmp_path_factory) -> Path:
    """data/processed from a good clean of a copy of the shipped raw folder (made once)."""
    base = tmp_path_factory.mktemp("good")
    shutil.copytree(RAW, base / "raw")
    run_clean(base / "raw", base / "processed")
    return base / "processed"


@pytest.fixture
def world(tmp_path, good_processed):
    """A copy of the shipped raw folder and an earlier processed folder from a good run."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    shutil.copytree(good_processed, tmp_path / "processed")
    return tmp_path


def _truncate_xlsx(raw: Path) -> str:
    path = raw / "responses" / XLSX
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return XLSX


def _damage_xlsx_sheet(raw: Path) -> str:
    """A valid zip whose sheet XML is cut off: openpyxl only notices while reading rows."""
    path = raw / "responses" / XLSX
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data[: len(data) // 2] if "worksheets/sheet" in name else data)
    return XLSX


def _ragged(raw: Path) -> str:
    path = raw / "responses" / W1_PRE
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] += ",one too many"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return W1_PRE


def _registry_alias_twice(raw: Path) -> str:
    path = raw / "workshops.csv"
    rows = read_rows(path)
    rows[2][col(rows, "aliases")] += "|Gjilan"  # W2 claims W1's alias
    write_rows(path, rows)
    return "workshops.csv"


def _remove(rel: str):
    def mutate(raw: Path) -> str:
        target = raw / rel
        name = target.resolve().name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
        return name

    return mutate


def _empty_responses(raw: Path) -> str:
    for p in (raw / "responses").iterdir():
        p.unlink()
    return "responses"


def _bytes(data: bytes, name: str = W1_PRE):
    def mutate(raw: Path) -> str:
        (raw / "responses" / name).write_bytes(data)
        return name

    return mutate


def _cell(row: int, column: str, value: str):
    def mutate(raw: Path) -> str:
        set_cell(raw / "responses" / W1_PRE, row, column, value)
        return W1_PRE

    return mutate


def _drop(*names: str):
    def mutate(raw: Path) -> str:
        drop_columns(raw / "responses" / W1_PRE, *names)
        return W1_PRE

    return mutate


def _codebook(item: str, **values: str):
    def mutate(raw: Path) -> str:
        edit_codebook(raw, item, **values)
        return "codebook.csv"

    return mutate


# (id, mutation of the raw copy returning the file name, fragments the message must hold)
FAULTS = [
    ("missing-raw-folder", _remove("."), ["raw data folder does not exist", "workshops.csv"]),
    ("missing-registry", _remove("workshops.csv"), ["missing", "workshop_id, number"]),
    ("missing-codebook", _remove("instrument/codebook.csv"), ["missing", "item_id, section"]),
    ("missing-responses-folder", _remove("responses"), ["does not exist", ".xlsx"]),
    ("empty-responses", _empty_responses, ["no questionnaire exports", "Accepted", ".csv"]),
    ("corrupt-xlsx", _truncate_xlsx, ["not a readable .xlsx", "Accepted"]),
    ("damaged-xlsx-sheet", _damage_xlsx_sheet, ["not a readable .xlsx", "Accepted"]),
    ("xlsx-that-is-text", _bytes(b"participant_code,workshop\n", "x.xlsx"), ["not a readable"]),
    ("binary-csv-nul", _bytes(b"PK\x03\x04\x00\x00binary" * 40), ["not text", "UTF-8"]),
    ("binary-csv-undecodable", _bytes(bytes([0x81, 0x90, 0x98]) * 40), ["not text", "Accepted"]),
    ("binary-csv-control", _bytes(b"a,b\n\x01\x02\x03,\x04\n"), ["not text", "line 2"]),
    ("empty-csv", _bytes(b""), ["empty", "row 1"]),
    ("other-file-in-responses", _bytes(b"PK\x03\x04", "export.ods"), ["export.ods", ".xlsx"]),
    ("notes-in-responses", _bytes(b'{"a": 1}', "notes.json"), ["notes.json", "move any other"]),
    (
        "tab-separated-csv",
        _bytes(b"participant_code\tworkshop\tphase\nAB12CD\tW1\tpre\n"),
        ["row 1", "separated by tabs", "',' and ';'"],
    ),
    ("blank-first-line", _bytes(b"\n\nparticipant_code,workshop\n"), ["row 1", "blank"]),
    ("ragged-row", _ragged, ["row 4", "37 fields", "header (row 1) has 36", "Accepted"]),
    ("unknown-workshop", _cell(3, "workshop", "Gjakova-Peja"), ["row 3", "'Gjakova-Peja'"]),
    ("empty-workshop", _cell(5, "workshop", " "), ["row 5", "workshop is empty", "Accepted"]),
    ("empty-phase", _cell(5, "phase", ""), ["row 5", "column phase", "phase is empty"]),
    ("unknown-phase", _cell(4, "phase", "midterm"), ["row 4", "'midterm'", "pastesti"]),
    ("missing-participant_code", _drop("participant_code"), ["participant_code", "K01..K20"]),
    ("missing-workshop", _drop("workshop"), ["column(s) workshop", "ignoring case"]),
    ("missing-phase", _drop("phase"), ["column(s) phase"]),
    ("missing-knowledge-item", _drop("K07"), ["column(s) K07"]),
    ("missing-several", _drop("phase", "K03", "K20"), ["column(s) phase, K03, K20"]),
    ("codebook-duplicate-item", _codebook("K02", item_id="K01"), ["row 3", "'K01'", "unique"]),
    ("codebook-duplicate-case", _codebook("K02", item_id="k01"), ["row 3", "ignoring case"]),
    ("codebook-key-outside", _codebook("K05", key="E"), ["row 6", "key 'E'", "A, B, C, D"]),
    ("codebook-no-topic", _codebook("K05", topic=""), ["row 6", "K05 has no topic"]),
    ("codebook-no-options", _codebook("K05", options_sq=""), ["row 6", "four options"]),
    ("codebook-reaction-key", _codebook("R01", key="A"), ["R01 has a key 'A'", "empty key"]),
    ("codebook-bad-section", _codebook("K01", section="quiz"), ["row 2", "knowledge, reaction"]),
    ("alias-claimed-twice", _registry_alias_twice, ["row 3", "'Gjilan'", "also claimed by W1"]),
]


def check_message(err: str, name: str, fragments: list[str]) -> None:
    """One paragraph starting 'error: ', naming the file and holding every fragment."""
    assert "Traceback" not in err
    assert err.startswith("error: ") and err.endswith("\n") and "\n\n" not in err
    assert name in err
    flat = " ".join(err.split())
    for fragment in fragments:
        assert fragment in flat, (fragment, flat)


@pytest.mark.parametrize(
    ("mutate", "fragments"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS]
)
def test_fault_stops_with_one_paragraph_and_leaves_processed(world, capsys, mutate, fragments):
    raw, processed = world / "raw", world / "processed"
    before = snapshot(processed)
    name = mutate(raw)
    assert main(["clean", "--raw", str(raw), "--processed", str(processed)]) == 2
    out = capsys.readouterr()
    check_message(out.err, name, fragments)
    assert out.out == ""
    assert snapshot(processed) == before
    assert sorted(p.name for p in world.iterdir()) == ["processed", "raw"] or not raw.exists()


# The same through a fresh interpreter, for a few faults (each run costs ~2 s of imports).
VIA_SUBPROCESS = (
    "missing-raw-folder",
    "damaged-xlsx-sheet",
    "binary-csv-nul",
    "ragged-row",
    "unknown-phase",
    "missing-several",
    "codebook-key-outside",
)


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [f[1:] for f in FAULTS if f[0] in VIA_SUBPROCESS],
    ids=[f[0] for f in FAULTS if f[0] in VIA_SUBPROCESS],
)
def test_fault_via_command_line(world, mutate, fragments):
    raw, processed = world / "raw", world / "processed"
    before = snapshot(processed)
    name = mutate(raw)
    run = cli("clean", "--raw", str(raw), "--processed", str(processed), cwd=world)
    assert run.returncode == 2, run.stderr
    check_message(run.stderr, name, fragments)
    assert run.stdout == ""
    assert snapshot(processed) == before


def test_debug_shows_the_traceback(world):
    set_cell(world / "raw" / "responses" / W1_PRE, 3, "phase", "midterm")
    run = cli("--debug", "clean", "--raw", str(world / "raw"), "--processed", "p", cwd=world)
    assert run.returncode == 2
    assert "Traceback" in run.stderr and "DataError" in run.stderr
    assert "midterm" in run.stderr.splitlines()[-1] or "midterm" in run.stderr


def test_unknown_workshop_parameter_for_report(world):
    processed, reports = world / "processed", world / "reports"
    reports.mkdir()
    (reports / "index.html").write_text("earlier\n")
    before = snapshot(processed), snapshot(reports)
    args = ["report", "--processed", str(processed), "--reports", str(reports), "--workshop", "W9"]
    run = cli(*args, cwd=world)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    flat = " ".join(run.stderr.split())
    # checked once, against the registry the clean step wrote (the one source of workshop ids)
    assert (
        "--workshop W9" in flat and "workshops.csv" in flat and "Accepted: W1, W2, W3, W4" in flat
    )
    assert (snapshot(processed), snapshot(reports)) == before


def test_report_without_processed_data(tmp_path):
    run = cli("report", "--processed", "nothing", "--reports", "r", cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "workshops.csv is missing" in run.stderr and not (tmp_path / "r").exists()


def test_internal_error_is_one_line_with_debug_hint(monkeypatch, capsys, tmp_path):
    import analysis.clean

    def broken(raw, processed):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(analysis.clean, "run_clean", broken)
    # (a --processed inside the raw folder is refused before anything runs)
    argv = ["clean", "--raw", str(tmp_path / "raw"), "--processed", str(tmp_path / "p")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("internal error") and err.count("\n") == 1
    assert "ZeroDivisionError" in err and "--debug" in err and "Traceback" not in err
    assert main(["--debug", *argv]) == 1
    assert "Traceback" in capsys.readouterr().err


# --- decisions: what is accepted -----------------------------------------------------------


def test_header_only_export_is_an_export_without_questionnaires(mini_raw):
    mini_raw("a.csv", [["AA11BB", "W1", "pre", "A", "B", "C", "D", ""]])
    mini_raw("b.csv", [])  # header, no rows
    result = clean(mini_raw.raw)
    assert result.files == ["a.csv", "b.csv"] and result.rows_read == 1


def test_exports_with_no_rows_at_all_stop(mini_raw):
    mini_raw("a.csv", [])
    with pytest.raises(Exception) as err:
        clean(mini_raw.raw)
    assert type(err.value).__name__ == "DataError"
    assert "a.csv" in str(err.value) and "no questionnaire rows" in str(err.value)


def test_trailing_dos_end_of_file_mark_is_accepted(mini_raw):
    path = mini_raw("a.csv", [["AA11BB", "W1", "pre", "A", "B", "C", "D", ""]])
    path.write_bytes(path.read_bytes() + b"\x1a")
    assert len(clean(mini_raw.raw).scores) == 1


def test_nothing_scored_still_cleans(mini_raw):
    mini_raw("a.csv", [["AA11BB", "W1", "pre", "A", "", "", "", ""], ["", "W1", "post"] + [""] * 5])
    result = clean(mini_raw.raw)
    flow = result.flow.set_index("workshop_id").loc["W1"]
    assert (flow["received_pre"], flow["excluded_pre"], flow["scored_pre"]) == (1, 1, 0)
    assert (flow["received_post"], flow["excluded_post"]) == (1, 1)
    assert result.scores.empty and "topic_trust_pct" in result.scores.columns


def test_registry_duplicate_id_and_bad_date(tmp_path):
    for edit, fragment in (
        (lambda r: r[2].__setitem__(0, "w1"), "workshop_id 'w1' is already used in row 2"),
        (lambda r: r[2].__setitem__(3, ""), "date '' of W2 is not an ISO 8601 date"),
        (lambda r: r[2].__setitem__(3, "18.03.2021"), "accepted is YYYY-MM-DD"),
    ):
        raw = tmp_path / "raw"
        shutil.rmtree(raw, ignore_errors=True)
        shutil.copytree(RAW, raw)
        rows = read_rows(raw / "workshops.csv")
        edit(rows)
        write_rows(raw / "workshops.csv", rows)
        with pytest.raises(Exception) as err:
            clean(raw)
        assert type(err.value).__name__ == "DataError"
        assert "workshops.csv, row 3" in str(err.value) and fragment in str(err.value)


def test_mixed_time_zones_in_submitted_at(mini_raw):
    header = [*HEADER, "submitted_at"]
    row = ["AA11BB", "W1", "pre", "A", "B", "C", "D", ""]
    mini_raw("a.csv", [[*row, "2021-03-16T09:00+01:00"], [*row, "2021-03-16T10:00"]], header=header)
    result = clean(mini_raw.raw)
    assert result.log.loc[result.log["action"] == "duplicate_dropped", "source_row"].tolist() == [2]
