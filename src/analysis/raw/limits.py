"""Limits on one file read (an export, the registry, the codebook), checked before the memory
they guard is spent; over a limit the file is refused with a message naming it and the limit.

The values and what each guards are listed in docs/faults.md ("Limits").
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import DataError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_COLUMNS",
    "MAX_CELL_CHARS",
    "MAX_CELLS",
    "MAX_ZIP_MEMBERS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_SHEET_XML_BYTES",
    "MAX_SHARED_STRINGS",
    "MAX_SHARED_STRINGS_BYTES",
    "LIMIT_ADVICE",
    "UNREADABLE_XLSX",
    "check_file_size",
    "RowLimits",
    "check_xlsx_container",
]


# Limits on one file read (an export, the registry, the codebook), each checked before the
# memory it guards is spent: a questionnaire export holds some hundred rows of some fifty
# columns, so these are far above any real one and far below what would exhaust a laptop.
#: Bytes of one file on disk (CSV or XLSX).
MAX_FILE_BYTES = 100 * 1024 * 1024
#: Rows of one table, header included (trailing blank rows of a sheet are not counted).
MAX_ROWS = 1_000_000
#: Columns of one table (of a sheet: up to the last cell that holds a value).
MAX_COLUMNS = 500
#: Characters of one cell.
MAX_CELL_CHARS = 10_000
#: Cells of one table (rows x columns).
MAX_CELLS = 10_000_000
#: XLSX: members of the zip container.
MAX_ZIP_MEMBERS = 10_000
#: XLSX: uncompressed bytes of all members together, as the zip declares them.
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
#: XLSX: uncompressed bytes of one sheet's XML (or any other member but the shared strings).
MAX_SHEET_XML_BYTES = 200 * 1024 * 1024
#: XLSX: shared strings (the workbook's table of distinct texts), as counted in its header.
MAX_SHARED_STRINGS = 1_000_000
#: XLSX: uncompressed bytes of the shared strings table (it is read whole into memory).
MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024

LIMIT_ADVICE = (
    "Accepted is a questionnaire export (one row per questionnaire, one column per question); "
    "check that the file is the right one, or split it into several exports."
)


def _byte_size(n: int) -> str:
    """A byte count for messages: ``52,428,800 bytes (50.0 MB)``."""
    return f"{n:,} bytes ({n / 1024 / 1024:.1f} MB)"


def check_file_size(path: Path) -> None:
    """Stop when the file is larger than :data:`MAX_FILE_BYTES` (before it is read)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(
            f"{path}: the file has {_byte_size(size)}, more than the limit of "
            f"{_byte_size(MAX_FILE_BYTES)} (MAX_FILE_BYTES) for one file. {LIMIT_ADVICE}"
        )


class RowLimits:
    """Counts the rows and cells of one table as they are read; stops past a limit.

    ``check(row, number)`` takes a row (a list of strings, without trailing empty cells for a
    sheet) and its row number as a spreadsheet shows it.
    """

    def __init__(self, path: Path):
        """Start counting for the file ``path`` (named in the messages)."""
        self.path = path
        self.cells = 0

    def check(self, row: list[str], number: int) -> None:
        """Stop when row ``number`` crosses :data:`MAX_ROWS`, :data:`MAX_COLUMNS`,
        :data:`MAX_CELL_CHARS` or :data:`MAX_CELLS`."""
        path = self.path
        if number > MAX_ROWS:
            raise DataError(
                f"{path}, row {number:,}: the table has more than {MAX_ROWS:,} rows (MAX_ROWS), "
                f"the limit for one file. {LIMIT_ADVICE}"
            )
        if len(row) > MAX_COLUMNS:
            raise DataError(
                f"{path}, row {number:,}: has {len(row):,} columns, more than the limit of "
                f"{MAX_COLUMNS:,} (MAX_COLUMNS). {LIMIT_ADVICE}"
            )
        if max(map(len, row), default=0) > MAX_CELL_CHARS:  # then the first such cell is named
            j, cell = next((j, c) for j, c in enumerate(row, start=1) if len(c) > MAX_CELL_CHARS)
            raise DataError(
                f"{path}, row {number:,}, column {j}: the cell holds {len(cell):,} "
                f"characters, more than the limit of {MAX_CELL_CHARS:,} (MAX_CELL_CHARS). "
                f"{LIMIT_ADVICE}"
            )
        self.cells += len(row)
        if self.cells > MAX_CELLS:
            raise DataError(
                f"{path}, row {number:,}: the table has more than {MAX_CELLS:,} cells "
                f"(MAX_CELLS), the limit for one file. {LIMIT_ADVICE}"
            )


UNREADABLE_XLSX = (
    "{path}: is not a readable .xlsx workbook ({why}). Accepted are Excel .xlsx workbooks "
    "(the first sheet, header in row 1) and CSV files; open it in Excel and save it again "
    "as .xlsx, or export the first sheet as CSV."
)
_SHARED_COUNT = re.compile(rb"<(?:\w+:)?sst\b[^>]*?\buniqueCount=\"(\d+)\"")


def _xlsx_limit(path: Path, what: str, size: int, limit: int, name: str) -> DataError:
    """The error for a workbook whose ``what`` has ``size`` bytes, over ``limit``."""
    return DataError(
        f"{path}: {what} has {_byte_size(size)} uncompressed, more than the limit of "
        f"{_byte_size(limit)} ({name}); it is refused before it is unpacked. {LIMIT_ADVICE}"
    )


def check_xlsx_container(path: Path) -> None:
    """Check an .xlsx file's zip container against the limits before openpyxl unpacks it.

    The sizes are those the zip declares for its members (reading a member stops at its
    declared size, so a member cannot unpack to more): every member at most
    :data:`MAX_SHEET_XML_BYTES` (sheets, styles, the workbook), the shared strings at most
    :data:`MAX_SHARED_STRINGS_BYTES` and :data:`MAX_SHARED_STRINGS` (its ``uniqueCount``), all
    together at most :data:`MAX_UNCOMPRESSED_BYTES`, and at most :data:`MAX_ZIP_MEMBERS` members.
    A file that is not a zip is left to openpyxl, which names it unreadable.
    """
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with book:
        members = book.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise DataError(
                f"{path}: the workbook's container holds {len(members):,} parts, more than the "
                f"limit of {MAX_ZIP_MEMBERS:,} (MAX_ZIP_MEMBERS). {LIMIT_ADVICE}"
            )
        total = sum(m.file_size for m in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _xlsx_limit(
                path, "the workbook", total, MAX_UNCOMPRESSED_BYTES, "MAX_UNCOMPRESSED_BYTES"
            )
        for m in members:
            if m.filename.lower().endswith("sharedstrings.xml"):
                if m.file_size > MAX_SHARED_STRINGS_BYTES:
                    raise _xlsx_limit(
                        path,
                        "its shared strings table",
                        m.file_size,
                        MAX_SHARED_STRINGS_BYTES,
                        "MAX_SHARED_STRINGS_BYTES",
                    )
                _check_shared_count(path, book, m)
            elif m.file_size > MAX_SHEET_XML_BYTES:
                raise _xlsx_limit(
                    path,
                    f"its part {m.filename}",
                    m.file_size,
                    MAX_SHEET_XML_BYTES,
                    "MAX_SHEET_XML_BYTES",
                )


def _check_shared_count(path: Path, book: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Stop when the shared strings table declares more than :data:`MAX_SHARED_STRINGS`."""
    try:
        with book.open(member) as fh:
            head = fh.read(4096)
    except Exception as exc:  # a damaged member: openpyxl names the workbook unreadable
        raise DataError(UNREADABLE_XLSX.format(path=path, why=type(exc).__name__)) from exc
    match = _SHARED_COUNT.search(head)
    if match and int(match.group(1)) > MAX_SHARED_STRINGS:
        raise DataError(
            f"{path}: the workbook's shared strings table declares {int(match.group(1)):,} "
            f"texts, more than the limit of {MAX_SHARED_STRINGS:,} (MAX_SHARED_STRINGS). "
            f"{LIMIT_ADVICE}"
        )
