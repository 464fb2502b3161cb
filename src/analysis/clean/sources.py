"""Workshop and phase from outside the file: ``data/raw/sources.csv``.

A Google or Microsoft form is often one form per workshop and phase, and its export has no
workshop or phase column. ``sources.csv`` (optional, in the raw folder beside
``workshops.csv``; not an export, so it is not read as one) says per file what it lacks:
columns ``file`` (a file name in ``responses/``, compared ignoring case), ``workshop`` and
``phase``. An empty cell means the file has that column. A value given in both the file and
``sources.csv`` that disagrees stops the run; so does a file that has neither. File names are
never read for meaning.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..raw.labels import POST_LABELS, PRE_LABELS, WorkshopLabels, normalize_phase, visible
from ..raw.registry import read_reference_table
from .log import CleaningLog

__all__ = [
    "apply_sources",
    "read_sources",
    "sources_read",
]

_SOURCES_FILE = "sources.csv"
_SOURCES_COLUMNS = ("file", "workshop", "phase")


@dataclass(frozen=True)
class _Source:
    """One row of ``sources.csv``: the file it names and what it supplies (``""``: nothing)."""

    file: str
    workshop: str
    phase: str
    row: int


def _key(name: str) -> str:
    """A file name as compared: NFC, ignoring case."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def sources_read(raw: Path) -> list[Path]:
    """``[raw/sources.csv]`` when the file exists, else ``[]`` (for the pseudonym key)."""
    path = Path(raw) / _SOURCES_FILE
    return [path] if path.is_file() else []


def read_sources(raw: Path, files: list[str], labels: WorkshopLabels) -> dict[str, _Source]:
    """The checked rows of ``raw/sources.csv`` by file name (case-folded); ``{}`` without it.

    Every row names one export of ``responses/`` (once), and its workshop and phase, when
    given, are ones the registry and the contract accept.
    """
    path = Path(raw) / _SOURCES_FILE
    if not path.is_file():
        return {}
    frame = read_reference_table(path, _SOURCES_COLUMNS, "sources table")
    known = {_key(name): name for name in files}
    out: dict[str, _Source] = {}
    for r in frame.itertuples(index=False):
        where = f"{path}, row {r.source_row}"
        key = _key(r.file)
        if not key:
            raise DataError(f"{where}: file is empty; accepted is a file name in responses/.")
        if key in out:
            raise DataError(
                f"{where}: the file '{visible(r.file)}' is already named in row "
                f"{out[key].row} (names are compared ignoring case); name each file once."
            )
        if key not in known:
            raise DataError(
                f"{where}: no file '{visible(r.file)}' in responses/; accepted are the names "
                f"of the exports there: {', '.join(visible(n) for n in files)}."
            )
        workshop, phase = r.workshop.strip(), r.phase.strip()
        if workshop and labels.resolve(workshop) is None:
            raise DataError(
                f"{where}, column workshop: unknown workshop '{visible(workshop)}'. Accepted "
                f"(compared folded): {labels.accepted()}; or empty when the file has a "
                "workshop column."
            )
        if phase and normalize_phase(phase) is None:
            raise DataError(
                f"{where}, column phase: unknown phase '{visible(phase)}'. Accepted for pre: "
                f"{', '.join(PRE_LABELS)}; for post: {', '.join(POST_LABELS)}; or empty when "
                "the file has a phase column."
            )
        out[key] = _Source(known[key], workshop, phase, int(r.source_row))
    return out


def _file_faults(
    rows: pd.DataFrame, source: _Source | None, resolvers: dict, path: Path
) -> list[str]:
    """What is wrong with one file's workshop and phase against its ``sources.csv`` row."""
    faults = []
    for column, resolve in resolvers.items():
        given = getattr(source, column) if source else ""
        values = rows[column].fillna("").str.strip()
        present = values != ""
        if not given:
            if not present.any():
                faults.append(column)
            continue
        want = resolve(given)
        clash = present & (values.map(resolve) != want)
        if clash.any():
            first = rows.loc[clash.idxmax()]
            return [
                f"{path}, row {first.source_row}, column {column}: the file says "
                f"'{visible(first[column])}' but sources.csv (row {source.row}) gives "
                f"'{visible(given)}' for this file. Correct the one that is wrong, or leave "
                f"sources.csv's {column} empty to use the file's column."
            ]
    if not faults:
        return []
    name = rows["source_file"].iloc[0]
    example = {"workshop": "W1", "phase": "pre"}
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow(
        [name, *(example[c] if c in faults else "" for c in resolvers)]
    )
    lacks = " and ".join(faults)
    return [
        f"{path}: lacks the column(s) {', '.join(faults)} (no such column, or it is empty; "
        "header names are matched ignoring case, accents and punctuation, see "
        "data/raw/README.md) and no row in data/raw/sources.csv gives it. Either add the "
        f"column(s) to the file, or add to data/raw/sources.csv: file,workshop,phase (the "
        f"header, once) and the line {line.getvalue()} (with this file's own {lacks} in place "
        f"of {' and '.join(example[c] for c in faults)})."
    ]


def apply_sources(
    data: pd.DataFrame,
    sources: dict[str, _Source],
    labels: WorkshopLabels,
    responses: Path,
    log: CleaningLog,
) -> pd.DataFrame:
    """Fill each file's empty ``workshop`` and ``phase`` cells from its ``sources.csv`` row.

    Stops (one :class:`~analysis.errors.DataError` naming every file at fault) when a file
    and its row disagree, or when a file has no workshop (or phase) and no row gives it.
    Each value supplied is logged (``from_sources``).
    """
    resolvers = {"workshop": labels.resolve, "phase": normalize_phase}
    faults: list[str] = []
    data = data.copy()
    # split once by file (only the columns looked at), not a filter of every row per file
    small = data[["source_file", "source_row", *resolvers]]
    for name, rows in small.groupby("source_file", sort=False):
        source = sources.get(_key(name))
        found = _file_faults(rows, source, resolvers, responses / name)
        if found:
            faults += found
            continue
        if source is None:
            continue
        for column in resolvers:
            given = getattr(source, column)
            empty = rows.index[(rows[column].fillna("").str.strip() == "").to_numpy(dtype=bool)]
            if given and len(empty):
                data.loc[empty, column] = given
                log.add(
                    "from_sources",
                    f"{column} '{given}' from sources.csv row {source.row} "
                    f"({len(empty)} questionnaire(s))",
                    name,
                )
    if faults:
        raise DataError("\n".join(faults))
    return data
