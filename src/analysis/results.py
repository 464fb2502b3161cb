"""The processed data, read once, and one workshop's part of it, split once.

:func:`load` reads ``data/processed`` (what the clean step wrote); :func:`workshop` checks a
workshop id against the registry, the one source of workshop ids, and returns that workshop's
rows of every table, split once, so that no statistics function filters again.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import PROCESSED, project_path
from .errors import DataError
from .spreadsheet import restore_frame

if TYPE_CHECKING:  # pandas is imported when the data is read: plan and index need not
    import pandas as pd

__all__ = [
    "Processed",
    "WorkshopData",
    "REGISTRY_FILE",
    "load",
    "workshop_ids",
    "resolve_workshop",
    "workshop",
]

#: The registry of workshops as the clean step wrote it: the one source of workshop ids.
REGISTRY_FILE = "workshops.csv"


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
    return Processed(
        path=base,
        scores=pd.read_parquet(base / "scores.parquet"),
        paired=pd.read_parquet(base / "paired.parquet"),
        answers=pd.read_parquet(base / "answers.parquet"),
        codebook=restore_frame(
            pd.read_csv(base / "codebook.csv", dtype=str, keep_default_na=False)
        ),
        registry=restore_frame(pd.read_csv(base / REGISTRY_FILE, dtype=str)),
        flow=pd.read_csv(base / "flow.csv"),
        manifest=json.loads((base / "manifest.json").read_text(encoding="utf-8")),
    )


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
