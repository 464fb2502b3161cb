"""Input formats: how the columns of a questionnaire export map onto the data contract.

Reading an export has two parts. The *decoder* (:mod:`analysis.raw.readers`) turns the file's
bytes into a table of text (kept column by column); the file's suffix picks it (CSV or XLSX).
The *format* says what the columns of that table mean; it is chosen from the header and the
first rows, never from the file's name or suffix: the adapters of :data:`FORMATS` are asked in
order, and the first whose ``matches`` is true converts the table to the contract's columns
with ``to_contract``.

The adapters: the project's own layout (:class:`_ContractLayout`, the contract's column names
as headers); the exports of survey tools (:class:`GoogleForms`, :class:`MicrosoftForms`,
:class:`KoboToolbox`, :class:`OdkCentral`, :class:`LimeSurvey`, :class:`Qualtrics`), each
recognized by the tool's own metadata columns; and last :class:`Spreadsheet`, any other table,
whose headers are matched through the codebook (:mod:`analysis.raw.headers`). A tool's export
has its platform columns dropped, its submission time taken as ``submitted_at``, and every
other header matched through the codebook; a file whose headers lack a required column is
refused with the columns it has and the tool it resembles.

The contract frame every adapter returns has the columns ``source_file``, ``source_row``,
:data:`REQUIRED_COLUMNS`, :data:`OPTIONAL_COLUMNS` (missing ones empty) and one column per
codebook item, named as the codebook spells it; cells are text as the export holds them (the
clean step normalizes them). Columns the contract has no place for (names, notes, e-mail
addresses, a tool's metadata) are left out and returned as ``dropped``, and the headers
matched as ``mapped``, so the clean step logs them by name.

To add a format:

1. write one class with a ``name``, ``matches(header, first_rows)`` and
   ``to_contract(table, codebook)`` (see :class:`~analysis.raw.contract.SourceFormat`); for a
   survey tool, subclass :class:`~analysis.raw.platforms.PlatformExport` in
   :mod:`analysis.raw.platforms` and list its ``signature`` and ``platform`` columns (see
   ``OdkCentral``);
2. add an instance of it to ``TOOLS`` there (a survey tool), or to :data:`FORMATS` (another
   layout), before the layouts whose test is less specific.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import DataError
from .contract import (
    CONTRACT_COLUMNS,
    FIRST_ROWS,
    REQUIRED_COLUMNS,
    Contracted,
    SourceFormat,
    contract_columns,
)
from .platforms import SPREADSHEET, TOOLS, missing_columns_error
from .readers import RawTable, to_frame

__all__ = [
    "FORMATS",
    "choose_format",
    "read_contract",
]


class _ContractLayout:
    """The project's own layout (data/raw/README.md): the contract's column names as headers,
    matched ignoring case and surrounding spaces; any other column is dropped.

    A table with the required columns by name but an item's column named otherwise (by its
    question text, say) is read by :class:`Spreadsheet`, through the codebook.
    """

    name = "contract"

    def matches(self, header: Sequence[str], first_rows: Sequence[Sequence[str]]) -> bool:
        """True when the header holds every required column."""
        return all(c in header for c in REQUIRED_COLUMNS)

    def to_contract(self, table: RawTable, codebook: pd.DataFrame) -> Contracted:
        """Keep the contract's columns (a repeated one is an error), drop and name the others."""
        keep = contract_columns(codebook)
        frame = to_frame(table, contract=keep)
        if missing_columns_error(table, set(frame.columns), codebook):
            return SPREADSHEET.to_contract(table, codebook)
        dropped = [c for c in frame.columns[2:] if c not in keep]
        frame = frame.reindex(columns=["source_file", "source_row", *keep])
        items = codebook["item_id"].tolist()
        frame.columns = ["source_file", "source_row", *CONTRACT_COLUMNS, *items]
        return Contracted(frame, dropped)


_CONTRACT_LAYOUT = _ContractLayout()
#: The adapters, asked in this order; the first that matches reads the export.
FORMATS: list[SourceFormat] = [*TOOLS, _CONTRACT_LAYOUT, SPREADSHEET]


def choose_format(table: RawTable) -> SourceFormat | None:
    """The first adapter of :data:`FORMATS` that matches the table's header and first rows."""
    first_rows = table.rows[1 : 1 + FIRST_ROWS]
    return next((f for f in FORMATS if f.matches(table.header, first_rows)), None)


def _unmatched_error(table: RawTable, codebook: pd.DataFrame) -> DataError:
    """The error for a table whose headers lack a required column, diagnosed against the
    contract layout.

    A repeated contract column is named first (as the contract layout would), then the
    required columns the table lacks.
    """
    frame = to_frame(table, contract=contract_columns(codebook))
    error = missing_columns_error(table, set(frame.columns), codebook)
    if error is None:  # an adapter declined a table the contract layout reads: a bug
        raise AssertionError(f"{table.path}: no input format matches")
    return error


def read_contract(table: RawTable, codebook: pd.DataFrame) -> Contracted:
    """Convert a decoded export to the contract with the first adapter that matches it."""
    fmt = choose_format(table)
    if fmt is None:
        raise _unmatched_error(table, codebook)
    return fmt.to_contract(table, codebook)
