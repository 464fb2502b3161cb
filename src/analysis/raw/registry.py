"""The raw folder's reference tables: the workshop registry and the instrument's codebook.

Each is read like an export (see :mod:`analysis.raw.readers`) and checked row by row; a fault
becomes a :class:`~analysis.errors.DataError` naming the file, the row and what is accepted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataError
from .formats import CONTRACT_COLUMNS
from .labels import fold, visible
from .readers import read_export

__all__ = [
    "CODEBOOK_COLUMNS",
    "ISO_DATE",
    "ROW_NOUN",
    "REGISTRY_COLUMNS",
    "SAFE_ID",
    "SAFE_ID_RULE",
    "check_safe_id",
    "check_codebook_row",
    "check_knowledge_item",
    "check_reaction_item",
    "check_registry_row",
    "check_workshop_labels",
    "is_iso_date",
    "read_codebook",
    "read_reference_table",
    "read_registry",
]

REGISTRY_COLUMNS = ("workshop_id", "number", "directorate", "date", "aliases")
CODEBOOK_COLUMNS = ("item_id", "section", "topic", "text_sq", "text_en", "options", "key", "scale")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ROW_NOUN = {"workshop registry": "workshop", "codebook": "question"}
#: A workshop id, item id or topic: ASCII letters, digits, ``_`` and ``-``, 1 to 64 of them.
#: Such ids become file and folder names, column names and keys; nothing else may slip in.
SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
SAFE_ID_RULE = "1 to 64 ASCII letters, digits, '_' or '-' (no spaces, dots, slashes or accents)"


def check_safe_id(value: str, where: str, column: str, example: str) -> None:
    """Stop unless ``value`` (column ``column`` of the row ``where``) is a :data:`SAFE_ID`."""
    if not SAFE_ID.fullmatch(value):
        raise DataError(
            f"{where}, column {column}: '{visible(value)}' is not accepted as an id; accepted "
            f"are {SAFE_ID_RULE}, e.g. {example}."
        )


def read_reference_table(path: Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """Read a reference CSV (``what``: its name in messages) holding at least ``columns``.

    Cells are text, empty cells ``""``; ``source_row`` is kept for the row checks.
    """
    if not path.is_file():
        raise DataError(
            f"{path}: the {what} is missing. Accepted is a CSV file at this path with the "
            f"columns {', '.join(columns)} (see data/raw/README.md)."
        )
    frame = read_export(path).drop(columns=["source_file"])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path}: the {what} lacks the column(s) {', '.join(missing)} in its header (row 1); "
            f"expected columns: {', '.join(columns)}."
        )
    if frame.empty:
        raise DataError(
            f"{path}: the {what} has a header but no rows; it needs one row per {ROW_NOUN[what]}."
        )
    return frame.fillna("")


def is_iso_date(text: str) -> bool:
    """True for a real calendar date written ``YYYY-MM-DD``."""
    if not ISO_DATE.fullmatch(text):
        return False
    try:
        pd.Timestamp(text)
    except ValueError:
        return False
    return True


def check_registry_row(row, where: str, ids: dict[str, int]) -> None:
    """A registry row has a unique :data:`SAFE_ID` id (ignoring case), a whole number and an
    ISO date."""
    if not row.workshop_id:
        raise DataError(f"{where}: workshop_id is empty; accepted is a short unique id such as W1.")
    check_safe_id(row.workshop_id, where, "workshop_id", "W1")
    if row.workshop_id.lower() in ids:
        raise DataError(
            f"{where}: workshop_id '{row.workshop_id}' is already used in row "
            f"{ids[row.workshop_id.lower()]}; every workshop_id must be unique (ignoring case)."
        )
    ids[row.workshop_id.lower()] = row.source_row
    if not (str(row.number).isascii() and str(row.number).isdigit()):
        raise DataError(
            f"{where}: number '{visible(row.number)}' of {row.workshop_id} is not a whole number; "
            "accepted is the workshop's number, e.g. 1."
        )
    if not is_iso_date(row.date):
        raise DataError(
            f"{where}: date '{visible(row.date)}' of {row.workshop_id} is not an ISO 8601 date; "
            "accepted is YYYY-MM-DD, e.g. 2021-03-16."
        )


def check_workshop_labels(row, where: str, claimed: dict[str, tuple[str, int]]) -> None:
    """A registry row's id, number and aliases (folded) name no other workshop."""
    for label in [row.workshop_id, row.number, *str(row.aliases).split("|")]:
        key = fold(label)
        if not key:
            continue
        other = claimed.get(key)
        if other and other[0] != row.workshop_id:
            raise DataError(
                f"{where}: the label '{visible(label)}' (folded '{visible(key)}') of "
                f"{row.workshop_id} is also claimed by {other[0]} (row {other[1]}); each id, "
                "number and alias must name one workshop only, so remove it from one of the two "
                "rows."
            )
        claimed[key] = (row.workshop_id, row.source_row)


def read_registry(raw: Path) -> pd.DataFrame:
    """Read and check ``workshops.csv``: unique ids and numbers, ISO dates, unambiguous aliases."""
    path = raw / "workshops.csv"
    frame = read_reference_table(path, REGISTRY_COLUMNS, "workshop registry")
    claimed: dict[str, tuple[str, int]] = {}
    ids: dict[str, int] = {}
    for row in frame.itertuples(index=False):
        where = f"{path}, row {row.source_row}"
        check_registry_row(row, where, ids)
        check_workshop_labels(row, where, claimed)
    return frame.drop(columns=["source_row"]).reset_index(drop=True)


def check_knowledge_item(row, where: str) -> None:
    """A knowledge item has a key A-D, a topic and four options."""
    if row.key.strip().upper() not in ("A", "B", "C", "D"):
        raise DataError(
            f"{where}: knowledge item {row.item_id} has key '{visible(row.key)}'; accepted: "
            "one of A, B, C, D."
        )
    if not row.topic:
        raise DataError(
            f"{where}: knowledge item {row.item_id} has no topic; accepted is a short "
            "topic id such as trust, communication or victims."
        )
    if len([o for o in row.options.split("|") if o.strip()]) != 4:
        raise DataError(
            f"{where}: knowledge item {row.item_id} needs four options A-D separated "
            f"by '|'; it has '{visible(row.options)}'."
        )


def check_reaction_item(row, where: str) -> None:
    """A reaction item has no key and the likert5 scale."""
    if row.key:
        raise DataError(
            f"{where}: reaction item {row.item_id} has a key '{visible(row.key)}'; reaction "
            "items are not scored, so accepted is an empty key."
        )
    if row.scale != "likert5":
        raise DataError(
            f"{where}: reaction item {row.item_id} has scale '{visible(row.scale)}'; "
            "accepted: likert5."
        )


def check_codebook_row(row, where: str, seen: dict[str, int], reserved: set[str]) -> None:
    """A codebook row has a unique :data:`SAFE_ID` item id (ignoring case), not an export
    column's name, a :data:`SAFE_ID` topic (when given) and the fields its section asks for."""
    if not row.item_id:
        raise DataError(
            f"{where}: item_id is empty; accepted is the column name the exports use for "
            "this question, e.g. K01."
        )
    check_safe_id(row.item_id, where, "item_id", "K01")
    if row.topic:
        check_safe_id(row.topic, where, "topic", "trust")
    key = row.item_id.lower()
    if key in seen:
        raise DataError(
            f"{where}: item_id '{row.item_id}' is already used in row {seen[key]} (item ids "
            "are compared ignoring case, like export headers); every item_id must be unique."
        )
    if key in reserved:
        raise DataError(
            f"{where}: item_id '{row.item_id}' is the name of another export column; "
            f"accepted is any other name, e.g. K01 (not one of {', '.join(sorted(reserved))})."
        )
    seen[key] = row.source_row
    if row.section == "knowledge":
        check_knowledge_item(row, where)
    elif row.section == "reaction":
        check_reaction_item(row, where)
    else:
        raise DataError(
            f"{where}: section '{visible(row.section)}' of item {row.item_id} is not accepted; "
            "accepted: knowledge, reaction."
        )


def read_codebook(raw: Path) -> pd.DataFrame:
    """Read and check ``instrument/codebook.csv`` (sections, keys, topics, options, scales).

    Item ids must be unique ignoring case (export headers are matched ignoring case) and must
    not be one of the export's other column names.
    """
    path = raw / "instrument" / "codebook.csv"
    frame = read_reference_table(path, CODEBOOK_COLUMNS, "codebook")
    seen: dict[str, int] = {}
    reserved = {*CONTRACT_COLUMNS, "source_file", "source_row"}
    for row in frame.itertuples(index=False):
        check_codebook_row(row, f"{path}, row {row.source_row}", seen, reserved)
    frame = frame.assign(key=frame["key"].str.strip().str.upper())
    if not (frame["section"] == "knowledge").any():
        raise DataError(
            f"{path}: the codebook has no knowledge items; accepted is a codebook with at least "
            "one row whose section is knowledge (the contract asks for 16 or more)."
        )
    return frame.drop(columns=["source_row"]).reset_index(drop=True)
