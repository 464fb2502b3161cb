"""Readers for the raw folder: the workshop registry, the codebook and the questionnaire exports.

Every fault in the input becomes a :class:`~analysis.errors.DataError` whose message names the
file, the row or column, and what would be accepted.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from .errors import DataError
from .labels import fold

REGISTRY_COLUMNS = ("workshop_id", "number", "directorate", "date", "aliases")
CODEBOOK_COLUMNS = ("item_id", "section", "topic", "text_sq", "text_en", "options", "key", "scale")
REQUIRED_COLUMNS = ("participant_code", "workshop", "phase")
OPTIONAL_COLUMNS = ("submitted_at", "gender", "community", "years_of_service", "rank", "station")
EXPORT_SUFFIXES = (".csv", ".xlsx")
ENCODINGS = ("utf-8-sig", "cp1250")


def decode_text(data: bytes, path: Path) -> str:
    """Decode an export's bytes: UTF-8 (with or without BOM), else Windows-1250.

    Albanian ``ë`` and ``ç`` have the same bytes in Windows-1250 and 1252, so either export
    keeps them. Bytes with NUL characters are not a text file.
    """
    if b"\x00" in data:
        raise DataError(
            f"{path}: this file is not text (it contains NUL bytes). Accepted are CSV files in "
            "UTF-8 or Windows-1250/1252 and Excel .xlsx workbooks; save the export as one of those."
        )
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(f"{path}: cannot be decoded as UTF-8 or Windows-1250 text.")  # unreachable


def _sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_csv_text(path: Path) -> list[list[str]]:
    """Read a CSV export into rows of strings (header first); ragged rows are an error."""
    text = decode_text(path.read_bytes(), path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DataError(f"{path}: the file is empty; row 1 must hold the column names.")
    delimiter = _sniff_delimiter(lines[0])
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = len(rows[0])
    out = [rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            out.append([""] * width)
            continue
        if len(row) != width:
            raise DataError(
                f"{path}, row {number}: has {len(row)} fields but the header has {width} "
                f"(delimiter '{delimiter}'). Every row must have one field per column; check for "
                "an unquoted delimiter or a line break inside a cell."
            )
        out.append(row)
    return out


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_xlsx_rows(path: Path) -> list[list[str]]:
    """Read the first sheet of an .xlsx workbook into rows of strings (header in row 1)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(
            f"{path}: is not a readable .xlsx workbook ({type(exc).__name__}). Open it in Excel "
            "and save it again as .xlsx, or export the first sheet as CSV."
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows or not any(c.strip() for c in rows[0]):
        raise DataError(f"{path}: the first sheet is empty; row 1 must hold the column names.")
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def read_export(path: Path) -> pd.DataFrame:
    """Read one export as text: header names trimmed and lower-cased, cells as strings.

    Adds ``source_file`` (the file name) and ``source_row`` (the row number as a spreadsheet
    shows it: the header is row 1). Blank lines are skipped.
    """
    rows = read_xlsx_rows(path) if path.suffix.lower() == ".xlsx" else read_csv_text(path)
    header = [h.strip().lower() for h in rows[0]]
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            raise DataError(
                f"{path}: column '{h}' appears twice in the header (row 1); every column name "
                "must be unique."
            )
        seen.add(h)
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    frame = pd.DataFrame(
        [[c.strip() for c in r] for _, r in body], columns=header, dtype="string"
    ).reindex(columns=header)
    frame = frame.loc[:, [h for h in header if h]]
    frame.insert(0, "source_row", pd.array([n for n, _ in body], dtype="int64"))
    frame.insert(0, "source_file", pd.array([path.name] * len(body), dtype="string"))
    return frame


def list_exports(responses: Path) -> list[Path]:
    """The export files of the responses folder, in name order (.csv and .xlsx)."""
    if not responses.is_dir():
        raise DataError(
            f"{responses}: the responses folder does not exist. Put the questionnaire exports "
            "(.csv or .xlsx) there, or run 'python -m analysis simulate' for the synthetic set."
        )
    files = sorted(
        p
        for p in responses.iterdir()
        if p.is_file()
        and p.suffix.lower() in EXPORT_SUFFIXES
        and not p.name.startswith((".", "~$"))
    )
    if not files:
        raise DataError(
            f"{responses}: holds no questionnaire exports. Accepted are .csv files (UTF-8 or "
            "Windows-1250/1252, ',' or ';' delimited) and .xlsx workbooks."
        )
    return files


def _read_table(path: Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    if not path.is_file():
        raise DataError(
            f"{path}: the {what} is missing. It needs the columns {', '.join(columns)}."
        )
    frame = read_export(path).drop(columns=["source_file"])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path}: the {what} lacks the column(s) {', '.join(missing)}; "
            f"expected columns: {', '.join(columns)}."
        )
    return frame.fillna("")


def read_registry(raw: Path) -> pd.DataFrame:
    """Read and check ``workshops.csv``: unique ids and numbers, ISO dates, unambiguous aliases."""
    path = raw / "workshops.csv"
    frame = _read_table(path, REGISTRY_COLUMNS, "workshop registry")
    claimed: dict[str, tuple[str, int]] = {}
    for row in frame.itertuples(index=False):
        if not row.workshop_id:
            raise DataError(f"{path}, row {row.source_row}: workshop_id is empty.")
        if not str(row.number).isdigit():
            raise DataError(
                f"{path}, row {row.source_row}: number '{row.number}' is not a whole number."
            )
        try:
            pd.Timestamp(row.date)
        except ValueError:
            raise DataError(
                f"{path}, row {row.source_row}: date '{row.date}' is not an ISO 8601 date "
                "(YYYY-MM-DD)."
            ) from None
        for label in [row.workshop_id, row.number, *str(row.aliases).split("|")]:
            key = fold(label)
            if not key:
                continue
            other = claimed.get(key)
            if other and other[0] != row.workshop_id:
                raise DataError(
                    f"{path}, row {row.source_row}: the label '{label}' (folded '{key}') of "
                    f"{row.workshop_id} is also claimed by {other[0]} (row {other[1]}); each "
                    "id, number and alias must name one workshop only."
                )
            claimed[key] = (row.workshop_id, row.source_row)
    return frame.drop(columns=["source_row"]).reset_index(drop=True)


def read_codebook(raw: Path) -> pd.DataFrame:
    """Read and check ``instrument/codebook.csv`` (sections, keys, topics, options, scales)."""
    path = raw / "instrument" / "codebook.csv"
    frame = _read_table(path, CODEBOOK_COLUMNS, "codebook")
    seen: dict[str, int] = {}
    for row in frame.itertuples(index=False):
        where = f"{path}, row {row.source_row}"
        if not row.item_id:
            raise DataError(f"{where}: item_id is empty.")
        if row.item_id in seen:
            raise DataError(
                f"{where}: item_id '{row.item_id}' is already used in row {seen[row.item_id]}; "
                "every item_id must be unique."
            )
        seen[row.item_id] = row.source_row
        if row.section == "knowledge":
            if row.key.strip().upper() not in ("A", "B", "C", "D"):
                raise DataError(
                    f"{where}: knowledge item {row.item_id} has key '{row.key}'; accepted: "
                    "one of A, B, C, D."
                )
            if not row.topic:
                raise DataError(f"{where}: knowledge item {row.item_id} has no topic.")
            if len([o for o in row.options.split("|") if o.strip()]) != 4:
                raise DataError(
                    f"{where}: knowledge item {row.item_id} needs four options A-D separated "
                    f"by '|'; it has '{row.options}'."
                )
        elif row.section == "reaction":
            if row.key:
                raise DataError(
                    f"{where}: reaction item {row.item_id} has a key '{row.key}'; reaction "
                    "items are not scored, leave key empty."
                )
            if row.scale != "likert5":
                raise DataError(
                    f"{where}: reaction item {row.item_id} has scale '{row.scale}'; accepted: "
                    "likert5."
                )
        else:
            raise DataError(
                f"{where}: section '{row.section}' of item {row.item_id} is not one of "
                "knowledge, reaction."
            )
    frame = frame.assign(key=frame["key"].str.strip().str.upper())
    if not (frame["section"] == "knowledge").any():
        raise DataError(f"{path}: the codebook has no knowledge items.")
    return frame.drop(columns=["source_row"]).reset_index(drop=True)
