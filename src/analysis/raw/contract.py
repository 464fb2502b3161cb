"""The data contract's frame, as every input format returns it: its columns, and the protocol of
an input format (:class:`SourceFormat`).

The contract frame has the columns ``source_file``, ``source_row``, :data:`REQUIRED_COLUMNS`,
:data:`OPTIONAL_COLUMNS` (missing ones empty) and one column per codebook item, named as the
codebook spells it; cells are text as the export holds them (the clean step normalizes them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from .headers import HeaderMatch
from .readers import RawTable

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "FROM_SOURCES",
    "CONTRACT_COLUMNS",
    "FIRST_ROWS",
    "Contracted",
    "SourceFormat",
    "knowledge_items",
    "contract_columns",
    "contract_frame",
]


REQUIRED_COLUMNS = ("participant_code", "workshop", "phase")
OPTIONAL_COLUMNS = (
    "submitted_at",
    "gender",
    "community",
    "years_of_service",
    "rank",
    "station",
    "language",
)
#: Required columns that ``data/raw/sources.csv`` may give for a whole file instead (a form
#: per workshop and test): a file lacking them is read, and the clean step takes them from
#: sources.csv or stops naming the file and the line to add.
FROM_SOURCES = ("workshop", "phase")
#: Every column of the contract other than the codebook's items.
CONTRACT_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
#: How many rows below the header an adapter's ``matches`` is shown.
FIRST_ROWS = 5


@dataclass(frozen=True)
class Contracted:
    """An export converted to the contract: the frame, the export columns left out, the
    headers matched (none for the contract's own layout) and the adapter's name."""

    frame: pd.DataFrame
    dropped: list[str]
    mapped: list[HeaderMatch] = field(default_factory=list)
    source: str = "contract"


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


def contract_frame(frame: pd.DataFrame, columns: dict[str, int], codebook) -> pd.DataFrame:
    """The contract's frame from ``frame`` (to_frame's) and the position of each target."""
    items = codebook["item_id"].tolist()
    na = pd.array([pd.NA] * len(frame), dtype="string")
    out = {"source_file": frame["source_file"], "source_row": frame["source_row"]}
    for target in (*CONTRACT_COLUMNS, *items):
        out[target] = frame.iloc[:, 1 + columns[target]] if target in columns else na
    return pd.DataFrame(out).reset_index(drop=True)
