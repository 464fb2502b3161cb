"""Input formats: how the columns of a questionnaire export map onto the data contract.

Reading an export has two parts. The *decoder* (:mod:`analysis.raw.readers`) turns the file's
bytes into rows of text; the file's suffix picks it (CSV or XLSX). The *format* says what the
columns of those rows mean; it is chosen from the header and the first rows, never from the
suffix: the adapters of :data:`FORMATS` are asked in order, and the first whose ``matches`` is
true converts the table to the contract's columns with ``to_contract``. When none matches, the
table is diagnosed against the project's own layout (:class:`ContractLayout`), and the
:class:`~analysis.errors.DataError` names the required columns it lacks.

The contract frame every adapter returns has the columns ``source_file``, ``source_row``,
:data:`REQUIRED_COLUMNS`, :data:`OPTIONAL_COLUMNS` (missing ones empty) and one column per
codebook item, named as the codebook spells it; cells are text as the export holds them (the
clean step normalizes them). Columns the contract has no place for (names, notes, e-mail
addresses) are left out and returned as ``dropped``, so the clean step logs them by name.

To add a format (Google Forms, Kobo, ODK, ...):

1. write one class with a ``name``, ``matches(header, first_rows)`` and
   ``to_contract(table, codebook)`` (see :class:`SourceFormat`; :class:`ContractLayout` is the
   example), which renames the export's columns to the contract's and drops the others;
2. add an instance of it to :data:`FORMATS`, before the layouts whose test is less specific.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from ..errors import DataError
from .readers import RawTable, to_frame

__all__ = [
    "CONTRACT_COLUMNS",
    "CONTRACT_LAYOUT",
    "FIRST_ROWS",
    "FORMATS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ContractLayout",
    "Contracted",
    "SourceFormat",
    "choose_format",
    "contract_columns",
    "knowledge_items",
    "missing_columns_error",
    "read_contract",
    "unmatched_error",
]

REQUIRED_COLUMNS = ("participant_code", "workshop", "phase")
OPTIONAL_COLUMNS = ("submitted_at", "gender", "community", "years_of_service", "rank", "station")
#: Every column of the contract other than the codebook's items.
CONTRACT_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
#: How many rows below the header an adapter's ``matches`` is shown.
FIRST_ROWS = 5


@dataclass(frozen=True)
class Contracted:
    """An export converted to the contract: the frame and the export columns left out."""

    frame: pd.DataFrame
    dropped: list[str]


class SourceFormat(Protocol):
    """An input format: recognizes an export's layout and converts it to the contract."""

    name: str

    def matches(self, header: Sequence[str], first_rows: Sequence[Sequence[str]]) -> bool:
        """True when a table with this header (trimmed, lower-cased) and rows is this format."""
        ...

    def to_contract(self, table: RawTable, codebook: pd.DataFrame) -> Contracted:
        """The table's questionnaires in the contract's columns (see the module docstring)."""
        ...


def knowledge_items(codebook: pd.DataFrame) -> list[str]:
    """The codebook's knowledge item ids, in codebook order."""
    return codebook.loc[codebook["section"] == "knowledge", "item_id"].tolist()


def contract_columns(codebook: pd.DataFrame) -> list[str]:
    """The contract's columns as an export's header names them (items lower-cased)."""
    return [*CONTRACT_COLUMNS, *(i.lower() for i in codebook["item_id"].tolist())]


def missing_columns_error(
    table: RawTable, columns: Collection[str], codebook: pd.DataFrame
) -> DataError | None:
    """The error naming the required columns (and knowledge items) ``columns`` lacks, if any."""
    knowledge = knowledge_items(codebook)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    missing += [i for i in knowledge if i.lower() not in columns]
    if not missing:
        return None
    return DataError(
        f"{table.path}: lacks the required column(s) {', '.join(missing)}. An export needs "
        f"participant_code, workshop, phase and one column per knowledge item of the "
        f"codebook ({knowledge[0]}..{knowledge[-1]}); header names are matched "
        "ignoring case and surrounding spaces."
    )


class ContractLayout:
    """The project's own layout (data/raw/README.md): the contract's column names as headers,
    matched ignoring case and surrounding spaces; any other column is dropped."""

    name = "contract"

    def matches(self, header: Sequence[str], first_rows: Sequence[Sequence[str]]) -> bool:
        """True when the header holds every required column."""
        return all(c in header for c in REQUIRED_COLUMNS)

    def to_contract(self, table: RawTable, codebook: pd.DataFrame) -> Contracted:
        """Keep the contract's columns (a repeated one is an error), drop and name the others."""
        keep = contract_columns(codebook)
        frame = to_frame(table, contract=keep)
        error = missing_columns_error(table, set(frame.columns), codebook)
        if error:
            raise error
        dropped = [c for c in frame.columns[2:] if c not in keep]
        frame = frame.reindex(columns=["source_file", "source_row", *keep])
        items = codebook["item_id"].tolist()
        frame.columns = ["source_file", "source_row", *CONTRACT_COLUMNS, *items]
        return Contracted(frame, dropped)


CONTRACT_LAYOUT = ContractLayout()
#: The adapters, asked in this order; the first that matches reads the export.
FORMATS: list[SourceFormat] = [CONTRACT_LAYOUT]


def choose_format(table: RawTable) -> SourceFormat | None:
    """The first adapter of :data:`FORMATS` that matches the table's header and first rows."""
    first_rows = table.rows[1 : 1 + FIRST_ROWS]
    return next((f for f in FORMATS if f.matches(table.header, first_rows)), None)


def unmatched_error(table: RawTable, codebook: pd.DataFrame) -> DataError:
    """The error for a table no adapter matches, diagnosed against the contract layout.

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
        raise unmatched_error(table, codebook)
    return fmt.to_contract(table, codebook)
