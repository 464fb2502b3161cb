"""Reading the raw folder's files into tables of text: CSV or XLSX, chosen by the file's suffix.

A table is kept column by column (:class:`_TextColumns`, one Arrow text array per column): its
rows are made as lists of strings only where they are looked at (the header and the first
rows), so a large export costs about its text, not a Python string and list per cell and row.

The decoders here know nothing of the columns: :mod:`analysis.raw.formats` maps a table's
columns onto the data contract, :mod:`analysis.raw.registry` checks the reference tables.
Every fault in the input becomes a :class:`~analysis.errors.DataError` whose message names the
file, the row or column, and what would be accepted.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError
from . import limits
from .labels import unformat, visible
from .limits import (
    LIMIT_ADVICE,
    UNREADABLE_XLSX,
    RowLimits,
    check_file_size,
    check_xlsx_container,
)

__all__ = [
    "RawTable",
    "list_exports",
    "read_csv_text",
    "read_export",
    "read_raw_table",
    "read_xlsx_rows",
    "responses_files",
    "to_frame",
]

_EXPORT_SUFFIXES = (".csv", ".xlsx")
_ENCODINGS = ("utf-8-sig", "cp1250", "cp1252")


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_NOT_TEXT = (
    "Accepted are CSV files in UTF-8 (with or without BOM) or Windows-1250/1252 and Excel .xlsx "
    "workbooks; open the file in Excel and save it as CSV or .xlsx."
)


def _decode_text(data: bytes, path: Path) -> str:
    """Decode an export's bytes: UTF-8 (with or without BOM), else Windows-1250, else 1252.

    Albanian ``ë`` and ``ç`` have the same bytes in Windows-1250 and 1252, so either export
    keeps them; a 1252 file holding one of the few bytes 1250 leaves undefined (``ƒ ˆ ˜``, in
    a notes column, say) is read as 1252. Bytes with NUL or other control characters (a
    workbook, a PDF, a picture saved as ``.csv``) are not a text file.
    """
    if b"\x00" in data:
        raise DataError(f"{path}: this file is not text (it contains NUL bytes). {_NOT_TEXT}")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        text = text.removesuffix("\x1a")  # the end-of-file mark of old DOS tools
        control = _CONTROL.search(text)
        if control:
            line = text.count("\n", 0, control.start()) + 1
            raise DataError(
                f"{path}, line {line}: this file is not text (it contains the control "
                f"character {control.group()!r}). {_NOT_TEXT}"
            )
        return text
    raise DataError(
        f"{path}: this file is not text (its bytes are neither UTF-8 nor Windows-1250/1252). "
        f"{_NOT_TEXT}"
    )


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter of a CSV header line: ``;`` when it has more of them than ``,``."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _first_line(text: str) -> str:
    """The first line of ``text`` (without building the list of all lines)."""
    match = re.search(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", text)
    return text if match is None else text[: match.start()]


def _header_delimiter(path: Path, header: str) -> str:
    """The delimiter of a CSV's header line, after checking it is a header within the limits."""
    if not header.strip():
        raise DataError(
            f"{path}, row 1: is blank, but row 1 must hold the column names (participant_code, "
            "workshop, phase and the item columns); delete the blank line(s) above the header."
        )
    if header.count("\t") > max(header.count(","), header.count(";")):
        raise DataError(
            f"{path}, row 1: the columns are separated by tabs. Accepted delimiters are ',' and "
            "';': save the sheet from Excel or LibreOffice as CSV (comma or semicolon "
            "separated), or as .xlsx."
        )
    delimiter = _sniff_delimiter(header)
    if header.count(delimiter) + 1 > limits.MAX_COLUMNS:
        raise DataError(
            f"{path}, row 1: the header has {header.count(delimiter) + 1:,} columns "
            f"(delimiter '{delimiter}'), more than the limit of {limits.MAX_COLUMNS:,} "
            f"(MAX_COLUMNS). {LIMIT_ADVICE}"
        )
    return delimiter


#: Rows turned into column arrays at a time: only so many rows are Python lists at once.
_CHUNK_ROWS = 4096
#: Rows kept as lists besides the columns (the header, the rows an adapter looks at).
_HEAD_ROWS = 8
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class _TextColumns(Sequence):
    """A table's rows of text (row 1, the header, first), kept as one Arrow ``string`` array
    per column; a row is made as a list of strings when it is indexed (the first rows
    are kept as lists too). Every row has the header's number of cells."""

    def __init__(self, columns: list, head: list[list[str]], n_rows: int):
        """``columns`` (``pyarrow.ChunkedArray``, one per column), the first rows as lists and
        the number of rows."""
        self.columns = columns
        self.head = head
        self.n_rows = n_rows

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[str]]) -> _TextColumns:
        """The columns of ``rows`` (lists of strings of one width; an empty or blank row is
        taken as a row of empty cells)."""
        builder: _ColumnBuilder | None = None
        for row in rows:
            if builder is None:
                builder = _ColumnBuilder(len(row))
            elif len(row) != builder.width and not any(c.strip() for c in row):
                row = builder.blank
            builder.add(row)
        return builder.table() if builder is not None else cls([], [], 0)

    def __len__(self) -> int:
        """The number of rows, the header included."""
        return self.n_rows

    def __getitem__(self, index):
        """Row ``index`` as a list of strings (a slice: a list of rows)."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.n_rows))]
        if index < 0:
            index += self.n_rows
        if not 0 <= index < self.n_rows:
            raise IndexError(index)
        if index < len(self.head):
            return self.head[index]
        return [column[index].as_py() for column in self.columns]


class _ColumnBuilder:
    """Collects rows of one width, turning every :data:`_CHUNK_ROWS` of them into arrays."""

    def __init__(self, width: int):
        """Start a table of ``width`` columns."""
        self.width = width
        self.blank = [""] * width
        self.parts: list[list] = [[] for _ in range(width)]
        self.pending: list[Sequence[str]] = []
        self.head: list[list[str]] = []
        self.n_rows = 0

    def add(self, row: Sequence[str]) -> None:
        """Add one row (of the table's width)."""
        if len(self.head) < _HEAD_ROWS:
            self.head.append(list(row))
        self.pending.append(row)
        self.n_rows += 1
        if len(self.pending) >= _CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        """Turn the rows collected into one array per column."""
        import pyarrow as pa

        if self.pending:
            for part, cells in zip(self.parts, zip(*self.pending, strict=True), strict=True):
                part.append(pa.array(cells, type=pa.string()))
            self.pending = []

    def table(self) -> _TextColumns:
        """The rows added, as columns."""
        import pyarrow as pa

        self.flush()
        columns = [pa.chunked_array(part, type=pa.string()) for part in self.parts]
        return _TextColumns(columns, self.head, self.n_rows)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings (``\\n``, ``\\r`` or ``\\r\\n``), as a file
    opened with ``newline=""`` gives them to :func:`csv.reader` (without copying the text)."""
    return (m.group() for m in _LINE.finditer(text))


def _read_csv_table(path: Path) -> _TextColumns:
    """Read a CSV export into a table of strings (header first); ragged rows are an error.

    An empty file (or one whose first line is blank) is an error; a file with a header and no
    rows is read as an export holding no questionnaires. A blank row (every cell empty or
    spaces) is kept as a row of empty cells. The file's size is checked before it is read, the
    header's number of columns before it is parsed, and rows, columns, cell lengths and cells
    as it is parsed (see :data:`MAX_FILE_BYTES` and the other limits); a row whose number of
    fields is not the header's is named after the whole file is parsed, as are the limits.
    """
    check_file_size(path)
    text = _decode_text(path.read_bytes(), path)
    if not text:
        raise DataError(
            f"{path}: the file is empty. A CSV export needs the column names in row 1 "
            "(participant_code, workshop, phase and the item columns), then one row per "
            "questionnaire."
        )
    delimiter = _header_delimiter(path, _first_line(text))
    limits = RowLimits(path)
    builder: _ColumnBuilder | None = None
    ragged: tuple[int, int] | None = None  # the first row whose fields are not the header's
    try:
        for number, row in enumerate(csv.reader(_lines(text), delimiter=delimiter), start=1):
            limits.check(row, number)
            if builder is None:
                builder = _ColumnBuilder(len(row))
            elif not any(cell.strip() for cell in row):
                row = builder.blank
            elif len(row) != builder.width:
                ragged = ragged or (number, len(row))
                continue
            builder.add(row)
    except csv.Error as exc:
        raise DataError(
            f"{path}: is not a readable CSV file ({exc}). Accepted are CSV files with ',' or ';' "
            "as delimiter and '\"' around cells that hold the delimiter or a line break."
        ) from None
    if ragged is not None:
        number, fields = ragged
        raise DataError(
            f"{path}, row {number}: has {fields} fields but the header (row 1) has "
            f"{builder.width}, with delimiter '{delimiter}'. Accepted is exactly one field per "
            "column in every row; check that row for an unquoted delimiter, a missing or "
            "extra field, or a line break inside a cell."
        )
    return builder.table()


def read_csv_text(path: Path) -> list[list[str]]:
    """Read a CSV export into rows of strings (header first), as :func:`_read_csv_table` reads
    and checks it; a blank row is a row of empty cells."""
    return list(_read_csv_table(path))


_ZERO_PAD = re.compile(r"^0+$")


def _cell_text(value: object, number_format: str | None = None) -> str:
    """A cell as the text a user sees: whole numbers without ``.0``, dates in ISO form, and a
    number shown zero-padded by its format (``00000``: 123 shows as ``00123``) padded alike,
    so that a code typed as a number keeps the zeros Excel displays."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if number_format and _ZERO_PAD.match(number_format) and value >= 0:
            text = text.zfill(len(number_format))
        return text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _trimmed(cells: Iterable) -> list[str]:
    """A sheet row's cells as text, without the empty cells after the last one with a value."""
    row = [_cell_text(c.value, getattr(c, "number_format", None)) for c in cells]
    while row and not row[-1]:
        row.pop()
    return row


def read_xlsx_rows(path: Path) -> list[list[str]]:
    """Read the first sheet of an .xlsx workbook into rows of strings (header in row 1).

    Every row the sheet holds is read: the size the sheet declares (its ``<dimension>``, which
    a program writing the file may leave wrong) is not trusted. The file and its container are
    checked against the limits before they are unpacked (:func:`check_xlsx_container`), rows,
    columns, cell lengths and cells as the rows are read (:class:`RowLimits`).
    """
    from openpyxl import load_workbook

    check_file_size(path)
    check_xlsx_container(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl errors alike: the file is damaged
        raise DataError(UNREADABLE_XLSX.format(path=path, why=type(exc).__name__)) from exc
    limits = RowLimits(path)
    rows: list[list[str]] = []
    try:
        if not book.worksheets:
            raise DataError(UNREADABLE_XLSX.format(path=path, why="it has no worksheet"))
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # read every row there is, whatever <dimension> says
        blank = 0  # blank rows not yet kept: kept only when a row with a value follows
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            row = _trimmed(cells)
            if not any(c.strip() for c in row):
                blank += 1
                continue
            limits.check(row, number)
            rows.extend([] for _ in range(blank))
            blank = 0
            rows.append(row)
    except DataError:
        raise
    except Exception as exc:  # a damaged sheet is only parsed while its rows are read
        raise DataError(UNREADABLE_XLSX.format(path=path, why=type(exc).__name__)) from exc
    finally:
        book.close()
    if not rows or not any(c.strip() for c in rows[0]):
        raise DataError(
            f"{path}: row 1 of the first sheet is empty, but it must hold the column names "
            "(participant_code, workshop, phase and the item columns)."
        )
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_rows(path: Path) -> Sequence[list[str]]:
    """Decode one file into rows of strings, header first: .xlsx as a workbook (a list of
    rows), else as CSV (a :class:`_TextColumns`)."""
    return read_xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _read_csv_table(path)


@dataclass(frozen=True)
class RawTable:
    """One decoded file: its path and its rows of strings (row 1, the header, first), a list
    of rows or a :class:`_TextColumns`."""

    path: Path
    rows: Sequence[Sequence[str]]

    @property
    def header(self) -> list[str]:
        """The column names, NFKC-normalized without format characters (see
        :func:`~analysis.raw.labels.unformat`), trimmed and lower-cased (as they are matched)."""
        return [unformat(h).strip().lower() for h in self.rows[0]]


def read_raw_table(path: Path) -> RawTable:
    """Decode one file (see :func:`_read_rows`) into a :class:`RawTable`."""
    return RawTable(path, _read_rows(path))


if TYPE_CHECKING:  # pandas is imported when a table is made: the clean step's cache check
    import pandas as pd  # (responses_files) needs none


def _distinct_stripped(column) -> tuple:
    """A text column as the index of each cell's distinct text and those texts stripped (as
    :meth:`str.strip` does, each distinct text once)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column).combine_chunks()
    texts = [t.strip() for t in encoded.dictionary.to_pylist()]
    return encoded.indices, pa.array(texts, type=pa.large_string())


def to_frame(
    table: RawTable, contract: Collection[str] | None = None, header_rows: int = 1
) -> pd.DataFrame:
    """A decoded table as a text frame: header names trimmed and lower-cased, cells as strings.

    Adds ``source_file`` (the file name) and ``source_row`` (the row number as a spreadsheet
    shows it: the header is row 1). Blank lines are skipped, and so are the rows below the
    header up to row ``header_rows`` (a tool's further header rows). A column name that appears
    twice is an error when it is in ``contract`` (or always, when ``contract`` is None); any
    other repeated or empty column name is renamed ``<name> (column N)`` so it can be dropped.
    The cells are stripped once per distinct text of a column.
    """
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc

    path, rows = table.path, table.rows
    header = table.header
    seen: dict[str, int] = {}
    for j, h in enumerate(header, start=1):
        if h in seen and (contract is None or h in contract):
            raise DataError(
                f"{path}: column '{visible(h)}' appears twice in the header (row 1, columns "
                f"{seen[h]} and {j}); accepted is one column per name, so delete or rename one "
                "of them."
            )
        if h in seen or not h:
            header[j - 1] = f"{h} (column {j})".lstrip()
        seen.setdefault(h, j)
    if not isinstance(rows, _TextColumns):
        rows = _TextColumns.from_rows(rows)
    start = min(max(header_rows, 1), len(rows))
    distinct = [_distinct_stripped(column[start:]) for column in rows.columns]
    blank = np.ones(len(rows) - start, dtype=bool)
    for indices, texts in distinct:  # a row is blank when every cell is empty once stripped
        empty = np.asarray(pc.equal(texts, "").to_numpy(zero_copy_only=False), dtype=bool)
        blank &= empty[indices.to_numpy(zero_copy_only=False)]
    keep = np.flatnonzero(~blank)
    whole = len(keep) == len(blank)
    frame = pd.DataFrame(
        {
            j: pd.arrays.ArrowStringArray(texts.take(indices if whole else indices.take(keep)))
            for j, (indices, texts) in enumerate(distinct)
        },
        index=pd.RangeIndex(len(keep)),
    )
    frame.columns = header
    frame.insert(0, "source_row", pd.array(keep + start + 1, dtype="int64"))
    frame.insert(0, "source_file", pd.array([path.name] * len(keep), dtype="string"))
    return frame


def read_export(path: Path, contract: Collection[str] | None = None) -> pd.DataFrame:
    """Read one file as a text frame (see :func:`to_frame` for ``contract``)."""
    return to_frame(read_raw_table(path), contract)


def responses_files(responses: Path) -> tuple[list[Path], list[Path]]:
    """The files of the responses folder, in name order ignoring case: exports (.csv, .xlsx)
    and others.

    Hidden files and the lock files Office leaves beside an open workbook (``~$...``) are
    neither; sub-folders are not looked into.
    """
    files = sorted(
        (p for p in responses.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))),
        key=lambda p: (p.name.casefold(), p.name),  # name order as a file manager shows it
    )
    exports = [p for p in files if p.suffix.lower() in _EXPORT_SUFFIXES]
    return exports, [p for p in files if p.suffix.lower() not in _EXPORT_SUFFIXES]


def list_exports(responses: Path) -> list[Path]:
    """The export files of the responses folder, in name order (.csv and .xlsx).

    Any other file there stops the run: it may be an export in a format not read (.xls, .ods,
    a tab-separated text), and skipping it would silently leave questionnaires out.
    """
    if not responses.is_dir():
        raise DataError(
            f"{responses}: the responses folder does not exist. Put the questionnaire exports "
            "(.csv or .xlsx) there, or run 'python -m analysis simulate' for the synthetic set."
        )
    files, others = responses_files(responses)
    if others:
        names = ", ".join(visible(p.name) for p in others)
        raise DataError(
            f"{responses}: holds {len(others)} file(s) that are not questionnaire exports the "
            f"project reads: {names}. Accepted in this folder are .csv and .xlsx exports only: "
            "save a spreadsheet (.xls, .ods) as .xlsx or export it as CSV, and move any other "
            "file (notes, documents) out of the folder, so that no questionnaire is left out "
            "unnoticed."
        )
    if not files:
        raise DataError(
            f"{responses}: holds no questionnaire exports. Accepted are .csv files (UTF-8 or "
            "Windows-1250/1252, ',' or ';' delimited) and .xlsx workbooks."
        )
    return files
