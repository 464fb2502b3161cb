"""Privacy: names, phone numbers, notes and the participant codes typed in the exports never
reach data/processed/ or reports/ (contract: personal columns dropped on reading; rule 7)."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.raw.labels import normalize_code
from analysis.raw.readers import read_csv_text, read_export

from conftest import RAW

# the root conftest sends notebook outputs to a scratch folder; these runs write real reports
ENV = dict(os.environ)
PERSONAL = ("emri", "mbiemri", "telefoni", "notes")
BASE64 = re.compile(rb"base64,[A-Za-z0-9+/=\s\\n]+|\"image/png\": \"[A-Za-z0-9+/=\s\\n]+\"")


def _markers(n: int, row: int) -> list[str]:
    """Unique strings for the personal columns of export ``n``, row ``row``."""
    return [
        f"Zzyzxname{n}r{row}",
        f"Qqvxsurname{n}r{row}",
        f"+383 49 77{n:02d} {row:03d}",
        f"Xnote secret {n}-{row}; the officer said Wwqnote{n}r{row}",
    ]


def plant(raw: Path) -> tuple[set[str], set[str]]:
    """Add personal columns with unique markers to every export; return (markers, codes)."""
    markers: set[str] = set()
    codes: set[str] = set()
    for n, path in enumerate(sorted((raw / "responses").iterdir())):
        if path.suffix == ".xlsx":
            book = load_workbook(path)
            sheet = book.worksheets[0]
            width = sheet.max_column
            for j, name in enumerate(PERSONAL, start=1):
                sheet.cell(row=1, column=width + j, value=name)
            for i in range(2, sheet.max_row + 1):
                for j, value in enumerate(_markers(n, i), start=1):
                    sheet.cell(row=i, column=width + j, value=value)
                    markers.add(value)
            book.save(path)
        else:  # rewritten as UTF-8 with ',' (whatever it was before)
            rows = read_csv_text(path)
            rows[0] = [*rows[0], *PERSONAL]
            for i in range(1, len(rows)):
                rows[i] = [*rows[i], *_markers(n, i + 1)]
                markers.update(_markers(n, i + 1))
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows(rows)
        typed = read_export(path, contract=["participant_code"])["participant_code"].dropna()
        codes.update(c for c in typed if c.strip())
        codes.update(normalize_code(c) for c in typed if normalize_code(c))
    return markers, codes


def texts(folder: Path):
    """(path, bytes) of every file; Parquet files also as the text of all their values."""
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        data = p.read_bytes()
        yield p, data
        if p.suffix == ".parquet":
            frame = pd.read_parquet(p)
            values = frame.astype("string").fillna("").to_numpy().ravel().tolist()
            yield p, "\n".join([*frame.columns, *values]).encode("utf-8")


@pytest.mark.slow
def test_no_personal_data_or_raw_code_in_outputs(tmp_path):
    raw, processed, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    shutil.copytree(RAW, raw)
    markers, codes = plant(raw)
    assert len(markers) > 500 and len(codes) > 100
    assert any(c != normalize_code(c) for c in codes)  # codes as typed, e.g. 'ab-12 cd'
    for args in (
        ["clean", "--raw", str(raw), "--processed", str(processed)],
        ["report", "--processed", str(processed), "--reports", str(reports)]
        + ["--workshop", "W1", "--lang", "en", "--jobs", "2"],
    ):
        run = subprocess.run(
            [sys.executable, "-m", "analysis", *args],
            capture_output=True,
            text=True,
            timeout=900,
            env=ENV,
        )
        assert run.returncode == 0, run.stderr
    log = pd.read_csv(processed / "cleaning_log.csv")
    dropped = log.loc[log["action"] == "dropped_column", "detail"]
    assert all(any(f"'{c}'" in d for d in dropped) for c in PERSONAL)  # logged by name only
    files = list(texts(processed)) + list(texts(reports))
    names = {p.relative_to(tmp_path).as_posix() for p, _ in files}
    assert {"reports/W1/report.html", "reports/pooled/report.ipynb", "reports/index.html"} <= names
    assert any(n.endswith(".png") for n in names) and any(n.endswith(".svg") for n in names)
    pattern = re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)))
    # codes: long enough to be distinctive; embedded base64 pictures are left out of this search
    # (a six-letter code can turn up by chance in base64 text, and a picture holds no text)
    distinctive = sorted((c for c in codes if len(c) >= 5), key=len, reverse=True)
    code_pattern = re.compile("|".join(re.escape(c) for c in distinctive))
    for path, data in files:
        text = data.decode("utf-8", errors="replace")
        hit = pattern.search(text)
        assert hit is None, (path, hit and hit.group())
        searched = data if path.suffix == ".png" else BASE64.sub(b"", data)
        hit = code_pattern.search(searched.decode("utf-8", errors="replace"))
        assert hit is None, (path, hit and hit.group())


PSEUDONYM = re.compile(r"\bW\d+-P\d+\b")


def test_cleaning_log_never_ties_a_pseudonym_to_a_file_row(tmp_path):
    """cleaning_log.csv is published with data/processed: a row naming a file (and row) carries
    no pseudonym, and a row carrying a pseudonym names no file or row."""
    from analysis.clean import run_clean

    processed = tmp_path / "processed"
    run_clean(RAW, processed)
    log = pd.read_csv(processed / "cleaning_log.csv", dtype=str, keep_default_na=False)
    assert {"fuzzy_link", "unmatched", "invalid_answer"} <= set(log["action"])
    with_pseudonym = log.apply(lambda r: ",".join(r), axis=1).str.contains(PSEUDONYM)
    names_a_file = (log["source_file"] != "") | (log["source_row"] != "")
    assert not (with_pseudonym & names_a_file).any(), log.loc[with_pseudonym & names_a_file]
