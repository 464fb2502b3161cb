"""The processed data, read once; one workshop's part of it, split once; which reports it has.

:func:`load` reads ``data/processed`` (what the clean step wrote); :func:`workshop` checks a
workshop id against the registry, the one source of workshop ids, and returns that workshop's
rows of every table, split once, so that no statistics function filters again;
:func:`coverage` says which workshops have questionnaires and linked participants, and so
which reports exist (a workshop report for each workshop with questionnaires, the pooled report
when :data:`MIN_POOLED` workshops have linked participants).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import PROCESSED, project_path
from ..errors import DataError
from ..spreadsheet import restore_frame

if TYPE_CHECKING:  # pandas is imported when the data is read: plan and index need not
    import pandas as pd

__all__ = [
    "FLOW_FILE",
    "MIN_POOLED",
    "REGISTRY_FILE",
    "Coverage",
    "Processed",
    "WorkshopData",
    "coverage",
    "load",
    "resolve_workshop",
    "workshop",
    "workshop_ids",
]

#: The registry of workshops as the clean step wrote it: the one source of workshop ids.
REGISTRY_FILE = "workshops.csv"
#: The participant flow per workshop as the clean step wrote it.
FLOW_FILE = "flow.csv"
#: Workshops with linked participants the pooled report needs.
MIN_POOLED = 2


@dataclass(frozen=True)
class WorkshopData:
    """One workshop's facts, flow and rows of the processed tables."""

    workshop_id: str
    facts: dict[str, Any]
    flow: dict[str, Any]
    scores: pd.DataFrame
    paired: pd.DataFrame
    answers: pd.DataFrame


@dataclass(frozen=True)
class Processed:
    """The processed data of one build, read once."""

    path: Path
    scores: pd.DataFrame
    paired: pd.DataFrame
    answers: pd.DataFrame
    codebook: pd.DataFrame
    registry: pd.DataFrame
    flow: pd.DataFrame
    manifest: dict

    @property
    def synthetic(self) -> bool:
        """True when the raw data is the shipped synthetic set."""
        return bool(self.manifest.get("synthetic"))

    @property
    def n_items(self) -> int:
        """Number of knowledge items of the codebook."""
        return int((self.codebook["section"] == "knowledge").sum())

    @cached_property
    def workshops(self) -> dict[str, WorkshopData]:
        """Every workshop of the registry with its rows, split once (group-by, not filters)."""
        ids = self.registry["workshop_id"].astype(str).tolist()
        parts = {
            name: dict(self._split(getattr(self, name))) for name in ("scores", "paired", "answers")
        }
        facts = self.registry.astype({"workshop_id": str}).set_index("workshop_id", drop=False)
        flow = self.flow.astype({"workshop_id": str}).set_index("workshop_id")
        return {
            wid: WorkshopData(
                workshop_id=wid,
                facts=facts.loc[wid].to_dict(),
                flow=flow.loc[wid].to_dict() if wid in flow.index else {},
                **{
                    name: rows.get(wid, getattr(self, name).iloc[0:0])
                    for name, rows in parts.items()
                },
            )
            for wid in ids
        }

    @staticmethod
    def _split(frame: pd.DataFrame):
        return ((str(k), g) for k, g in frame.groupby("workshop_id", sort=False, observed=True))


def load(processed_dir: str | Path | None = None) -> Processed:
    """Read the processed folder (a path relative to the project root, or absolute; None: the
    project's ``data/processed``)."""
    import pandas as pd

    base = project_path(processed_dir) if processed_dir else PROCESSED
    if not (base / REGISTRY_FILE).is_file():
        raise DataError(
            f"{base}: holds no processed data ({REGISTRY_FILE} is missing). Run "
            "'python -m analysis clean' first, or 'python -m analysis build'."
        )
    files = {  # what the clean step writes: the field, its file, how it is read
        "scores": ("scores.parquet", pd.read_parquet),
        "paired": ("paired.parquet", pd.read_parquet),
        "answers": ("answers.parquet", pd.read_parquet),
        "codebook": (
            "codebook.csv",
            lambda p: restore_frame(pd.read_csv(p, dtype=str, keep_default_na=False)),
        ),
        "registry": (REGISTRY_FILE, lambda p: restore_frame(pd.read_csv(p, dtype=str))),
        "flow": (FLOW_FILE, pd.read_csv),
        "manifest": ("manifest.json", lambda p: json.loads(p.read_text(encoding="utf-8"))),
    }
    read = {}
    for key, (name, reader) in files.items():
        path = base / name
        try:
            read[key] = reader(path)
        except Exception as exc:  # any reader's failure: not the file the clean step wrote
            raise DataError(
                f"{path}: cannot be read as the clean step writes it ({type(exc).__name__}: "
                f"{' '.join(str(exc).split())[:200]}). Run 'python -m analysis clean' (or "
                "'python -m analysis build') again to rewrite the processed data; nothing was "
                "written"
            ) from exc
    return Processed(path=base, **read)


def workshop_ids(processed: str | Path) -> list[str]:
    """The workshop ids of the processed registry, in its order (read without pandas)."""
    path = project_path(processed) / REGISTRY_FILE
    if not path.is_file():
        raise DataError(
            f"{path.parent}: holds no processed data ({REGISTRY_FILE} is missing). Run "
            "'python -m analysis clean' first, or 'python -m analysis build'."
        )
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["workshop_id"] for row in csv.DictReader(fh)]


def resolve_workshop(
    known: Sequence[str], name: str, source: str | Path, given_as: str = "workshop_id"
) -> str:
    """The registry's id for ``name`` (case and surrounding spaces ignored), or a DataError
    naming how it was given (``given_as``), the registry and the accepted ids. The one check of
    a workshop id, for the command line and the notebooks alike."""
    match = [k for k in known if k.lower() == str(name).strip().lower()]
    if not match:
        raise DataError(
            f"{given_as} {name}: no such workshop in {source}. Accepted: {', '.join(known)}."
        )
    return match[0]


def workshop(data: Processed, workshop_id: str) -> WorkshopData:
    """One workshop's part of the processed data, after checking its id against the registry."""
    wid = resolve_workshop(list(data.workshops), workshop_id, data.path / REGISTRY_FILE)
    return data.workshops[wid]


@dataclass(frozen=True)
class Coverage:
    """Which workshops of the registry the processed data holds: every id (registry order), those
    with a scored questionnaire, and those with linked participants (both tests)."""

    workshops: tuple[str, ...]
    with_questionnaires: tuple[str, ...]
    linked: tuple[str, ...]

    @property
    def without_questionnaires(self) -> tuple[str, ...]:
        """The registry's workshops without a scored questionnaire (no report is made)."""
        return tuple(w for w in self.workshops if w not in self.with_questionnaires)

    @property
    def pooled(self) -> bool:
        """Whether the pooled report is made: :data:`MIN_POOLED` or more linked workshops."""
        return len(self.linked) >= MIN_POOLED


def _count(row: dict[str, str], *columns: str) -> int:
    total = 0
    for column in columns:
        try:
            total += int(float(row.get(column) or 0))
        except ValueError:
            continue
    return total


def coverage(processed: str | Path) -> Coverage:
    """The workshops of the processed registry, with questionnaires, and with linked participants
    (read from ``flow.csv`` without pandas; without a flow file every workshop counts as having
    both, as before the flow was written)."""
    known = workshop_ids(processed)
    path = project_path(processed) / FLOW_FILE
    if not path.is_file():
        return Coverage(tuple(known), tuple(known), tuple(known))
    with path.open(encoding="utf-8", newline="") as fh:
        flow = {row["workshop_id"]: row for row in csv.DictReader(fh)}
    rows = [(w, flow.get(w, {})) for w in known]
    return Coverage(
        tuple(known),
        tuple(w for w, row in rows if _count(row, "scored_pre", "scored_post") > 0),
        tuple(w for w, row in rows if _count(row, "paired") > 0),
    )
