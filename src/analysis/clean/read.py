"""The clean step's reading stage: the raw folder, its reference tables and every export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..raw.contract import Contracted
from ..raw.formats import read_contract
from ..raw.labels import visible
from ..raw.readers import list_exports, read_raw_table
from ..raw.registry import read_codebook, read_registry
from .log import CleaningLog

__all__ = ["read_reference", "read_responses", "require_raw_folder"]


def require_raw_folder(raw: Path) -> Path:
    """``raw`` as a path; stops when the folder does not exist."""
    raw = Path(raw)
    if not raw.is_dir():
        raise DataError(
            f"{raw}: the raw data folder does not exist. It must hold workshops.csv, "
            "instrument/codebook.csv and responses/ (see data/raw/README.md)."
        )
    return raw


def read_reference(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The checked workshop registry and codebook of ``raw``."""
    return read_registry(raw), read_codebook(raw)


def _log_columns(converted: Contracted, name: str, log: CleaningLog) -> None:
    """Log what an adapter did to the columns of the export ``name``: one ``mapped_column``
    per header it matched (the header as written, the target, the rule) and one
    ``dropped_column`` per column it left out (by name, never a value)."""
    for m in converted.mapped:
        log.headers[(name, m.target)] = m.header
        log.add(
            "mapped_column",
            f"column '{visible(m.header)}' -> {m.target} ({m.rule}; {converted.source} export)",
            name,
        )
    for col in converted.dropped:
        if converted.source == "contract":
            log.add("dropped_column", f"column '{col}' is not in the contract", name)
        else:
            log.add(
                "dropped_column",
                f"column '{col}' is not in the contract ({converted.source} export)",
                name,
            )


def read_responses(
    raw: Path, codebook: pd.DataFrame, log: CleaningLog
) -> tuple[pd.DataFrame, list[str]]:
    """Read every export of ``raw/responses`` into one text frame in reading order.

    Each export is converted to the contract by the input format that matches it (see
    :mod:`analysis.raw.formats`); every header it matched and every column it drops is logged
    by name (:func:`_log_columns`). The files whose headers cannot be read are all named in one
    error. Returns the frame and the names of the files read.
    """
    frames = []
    errors: list[DataError] = []
    files = list_exports(raw / "responses")
    for path in files:
        try:
            converted = read_contract(read_raw_table(path), codebook)
        except DataError as exc:  # every file at fault is named in one run
            errors.append(exc)
            continue
        _log_columns(converted, path.name, log)
        frames.append(converted.frame)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise DataError(
            f"{len(errors)} of the {len(files)} exports in {raw / 'responses'} cannot be read, "
            "each named with what to change: "
            + " ".join(f"({n}) {e}" for n, e in enumerate(errors, start=1))
        )
    data = pd.concat(frames, ignore_index=True)
    if data.empty:
        raise DataError(
            f"{raw / 'responses'}: the exports ({', '.join(p.name for p in files)}) hold column "
            "names but no questionnaire rows. Accepted is at least one row, below the header, "
            "per submitted questionnaire."
        )
    return data.astype({c: "string" for c in data.columns if c != "source_row"}), [
        p.name for p in files
    ]
