"""The raw folder's reference tables: the workshop registry and the instrument's codebook.

Each is read like an export (see :mod:`analysis.raw.readers`) and checked row by row; a fault
becomes a :class:`~analysis.errors.DataError` naming the file, the row and what is accepted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataError
from .answers import LETTERS, KnowledgeAnswers, item_options
from .contract import CONTRACT_COLUMNS
from .labels import fold, visible
from .readers import read_export

__all__ = [
    "REGISTRY_COLUMNS",
    "read_codebook",
    "read_reference_table",
    "read_registry",
]

REGISTRY_COLUMNS = ("workshop_id", "number", "directorate", "date", "aliases")
_CODEBOOK_COLUMNS = ("item_id", "section", "topic", "text_sq", "text_en", "options", "key", "scale")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ROW_NOUN = {"workshop registry": "workshop", "codebook": "question", "sources table": "file"}
#: A workshop id, item id or topic: ASCII letters, digits, ``_`` and ``-``, 1 to 64 of them.
#: Such ids become file and folder names, column names and keys; nothing else may slip in.
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SAFE_ID_RULE = "1 to 64 ASCII letters, digits, '_' or '-' (no spaces, dots, slashes or accents)"


def _check_safe_id(value: str, where: str, column: str, example: str) -> None:
    """Stop unless ``value`` (column ``column`` of the row ``where``) is a :data:`_SAFE_ID`."""
    if not _SAFE_ID.fullmatch(value):
        raise DataError(
            f"{where}, column {column}: '{visible(value)}' is not accepted as an id; accepted "
            f"are {_SAFE_ID_RULE}, e.g. {example}."
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
            f"{path}: the {what} has a header but no rows; it needs one row per {_ROW_NOUN[what]}."
        )
    return frame.fillna("")


def _is_iso_date(text: str) -> bool:
    """True for a real calendar date written ``YYYY-MM-DD``."""
    if not _ISO_DATE.fullmatch(text):
        return False
    try:
        pd.Timestamp(text)
    except ValueError:
        return False
    return True


def _check_registry_row(row, where: str, ids: dict[str, int]) -> None:
    """A registry row has a unique :data:`_SAFE_ID` id (ignoring case), a whole number and an
    ISO date."""
    if not row.workshop_id:
        raise DataError(f"{where}: workshop_id is empty; accepted is a short unique id such as W1.")
    _check_safe_id(row.workshop_id, where, "workshop_id", "W1")
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
    if not _is_iso_date(row.date):
        raise DataError(
            f"{where}: date '{visible(row.date)}' of {row.workshop_id} is not an ISO 8601 date; "
            "accepted is YYYY-MM-DD, e.g. 2021-03-16."
        )


def _workshop_names(row) -> list[str]:
    """Every label naming a registry row's workshop: its id, number, aliases and directorate
    texts (``directorate`` and ``directorate_<lang>``, e.g. ``directorate_sq``).

    ``row`` is a mapping (a registry record) or a row of ``itertuples``."""
    record = row if isinstance(row, dict) else row._asdict()
    directorates = [
        v
        for k, v in record.items()
        if (k == "directorate" or k.startswith("directorate_")) and isinstance(v, str)
    ]
    aliases = str(record.get("aliases") or "").split("|")
    return [str(record["workshop_id"]), str(record["number"]), *aliases, *directorates]


def _check_workshop_labels(row, where: str, claimed: dict[str, tuple[str, int]]) -> None:
    """A registry row's id, number, aliases and directorate texts (folded) name no other
    workshop."""
    for label in _workshop_names(row):
        key = fold(label)
        if not key:
            continue
        other = claimed.get(key)
        if other and other[0] != row.workshop_id:
            raise DataError(
                f"{where}: the label '{visible(label)}' (folded '{visible(key)}') of "
                f"{row.workshop_id} is also claimed by {other[0]} (row {other[1]}); each id, "
                "number, alias and directorate must name one workshop only, so remove it from one "
                "of the two rows."
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
        _check_registry_row(row, where, ids)
        _check_workshop_labels(row, where, claimed)
    return frame.drop(columns=["source_row"]).reset_index(drop=True)


def _check_knowledge_item(row, where: str) -> None:
    """A knowledge item has a key A-D, a topic and four options in each language it gives
    (``options_sq`` or ``options``, ``options_en``), no option text naming two letters."""
    if row.key.strip().upper() not in LETTERS:
        raise DataError(
            f"{where}: knowledge item {row.item_id} has key '{visible(row.key)}'; accepted: "
            "one of A, B, C, D."
        )
    if not row.topic:
        raise DataError(
            f"{where}: knowledge item {row.item_id} has no topic; accepted is a short "
            "topic id such as trust, communication or victims."
        )
    record = row._asdict()
    options = item_options(record)
    if "sq" not in options:
        column = "options_sq" if "options_sq" in record else "options"
        raise DataError(
            f"{where}: knowledge item {row.item_id} needs four options A-D separated by '|' in "
            f"{column}; it has none."
        )
    for lang, texts in options.items():
        if len([o for o in texts if o]) != 4 or len(texts) != 4:
            raise DataError(
                f"{where}: knowledge item {row.item_id} needs four options A-D separated "
                f"by '|' in options_{lang}; it has '{visible('|'.join(texts))}'."
            )
    for text, letter, other in KnowledgeAnswers(record).clashes():
        raise DataError(
            f"{where}: knowledge item {row.item_id}: the option text '{visible(text)}' of "
            f"{letter} is, folded, also {other}'s (its option text or choice name), so an answer "
            "of it could not be scored; accepted are option texts that differ (folded) within "
            "an item."
        )


def _item_aliases(row) -> list[str]:
    """The alternative headers of a codebook row (its ``aliases``, ``|``-separated)."""
    text = getattr(row, "aliases", "") if not isinstance(row, dict) else row.get("aliases", "")
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [a.strip() for a in str(text).split("|") if a.strip()]


def _check_item_aliases(row, where: str, claimed: dict[str, tuple[str, int]]) -> None:
    """A codebook row's item id and aliases (folded) name no other item."""
    for label in [row.item_id, *_item_aliases(row)]:
        key = fold(label)
        if not key:
            continue
        other = claimed.get(key)
        if other and other[0] != row.item_id:
            raise DataError(
                f"{where}: the alias '{visible(label)}' (folded '{visible(key)}') of "
                f"{row.item_id} also names {other[0]} (row {other[1]}); each item id and alias "
                "must name one item only, so remove it from one of the two rows."
            )
        claimed[key] = (row.item_id, row.source_row)


def _check_reaction_item(row, where: str) -> None:
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


def _check_codebook_row(row, where: str, seen: dict[str, int], reserved: set[str]) -> None:
    """A codebook row has a unique :data:`_SAFE_ID` item id (ignoring case), not an export
    column's name, a :data:`_SAFE_ID` topic (when given) and the fields its section asks for."""
    if not row.item_id:
        raise DataError(
            f"{where}: item_id is empty; accepted is the column name the exports use for "
            "this question, e.g. K01."
        )
    _check_safe_id(row.item_id, where, "item_id", "K01")
    if row.topic:
        _check_safe_id(row.topic, where, "topic", "trust")
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
        _check_knowledge_item(row, where)
    elif row.section == "reaction":
        _check_reaction_item(row, where)
    else:
        raise DataError(
            f"{where}: section '{visible(row.section)}' of item {row.item_id} is not accepted; "
            "accepted: knowledge, reaction."
        )


def read_codebook(raw: Path) -> pd.DataFrame:
    """Read and check ``instrument/codebook.csv`` (sections, keys, topics, options, scales,
    aliases).

    Options are given per language: ``options_sq`` (or the older ``options``, read as
    Albanian when ``options_sq`` is absent) and optionally ``options_en``; ``aliases`` holds
    alternative headers of the item (``|``-separated), unique across items (folded).

    Item ids must be unique ignoring case (export headers are matched ignoring case) and must
    not be one of the export's other column names.
    """
    path = raw / "instrument" / "codebook.csv"
    required = tuple(c for c in _CODEBOOK_COLUMNS if c != "options")
    frame = read_reference_table(path, required, "codebook")
    if "options" not in frame.columns and "options_sq" not in frame.columns:
        raise DataError(
            f"{path}: the codebook lacks the column options_sq (or options) in its header "
            f"(row 1); expected columns: {', '.join(_CODEBOOK_COLUMNS)}, and optionally "
            "options_sq, options_en and aliases."
        )
    seen: dict[str, int] = {}
    claimed: dict[str, tuple[str, int]] = {}
    reserved = {*CONTRACT_COLUMNS, "source_file", "source_row"}
    for row in frame.itertuples(index=False):
        where = f"{path}, row {row.source_row}"
        _check_codebook_row(row, where, seen, reserved)
        _check_item_aliases(row, where, claimed)
    frame = frame.assign(key=frame["key"].str.strip().str.upper())
    if not (frame["section"] == "knowledge").any():
        raise DataError(
            f"{path}: the codebook has no knowledge items; accepted is a codebook with at least "
            "one row whose section is knowledge (the contract asks for 16 or more)."
        )
    return frame.drop(columns=["source_row"]).reset_index(drop=True)
