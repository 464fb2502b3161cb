"""The processed data, read once, and one workshop's part of it, split once; the results cache.

:func:`load` reads ``data/processed`` (what the clean step wrote); :func:`workshop` checks a
workshop id against the registry, the one source of workshop ids, and returns that workshop's
rows of every table, split once, so that no statistics function filters again.

The results cache computes each result once per build, not once per language: the build sets
:data:`CACHE_ENV` to a folder (in ``scratch/``, emptied at the start of every build), and
:func:`load` then has the statistics the notebooks call (:data:`CACHED`) consult it: a call
whose function, arguments (their content: every frame's values, index, columns and dtypes) and
package source (:func:`analysis.hashing.source_digests`) were seen before returns the stored
result, unpickled; any other computes and stores it. A notebook run by hand (no
:data:`CACHE_ENV`) computes everything, as before.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import PROCESSED, project_path
from .errors import DataError
from .hashing import source_digests, update
from .spreadsheet import restore_frame

if TYPE_CHECKING:  # pandas is imported when the data is read: plan and index need not
    import pandas as pd

__all__ = [
    "Processed",
    "WorkshopData",
    "REGISTRY_FILE",
    "CACHE_ENV",
    "CACHED",
    "call_key",
    "cached_call",
    "enable_cache",
    "load",
    "workshop_ids",
    "resolve_workshop",
    "workshop",
]

#: The registry of workshops as the clean step wrote it: the one source of workshop ids.
REGISTRY_FILE = "workshops.csv"
#: The environment variable that turns the results cache on: the folder it is kept in.
CACHE_ENV = "ANALYSIS_RESULTS_CACHE"
#: The statistics the notebooks call that the cache serves, by module: each result depends on
#: its arguments and the code alone, not on the report's language.
CACHED = {
    "analysis.stats": (
        "workshop_summary",
        "topic_table",
        "item_table",
        "reaction_summary",
        "subgroup_table",
        "paired_summary",
        "phase_means",
        "reliability_by_phase",
        "attrition_analysis",
    ),
    "analysis.stats.pooled": ("pooled_analysis", "item_gee"),
}


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


@functools.cache
def _code() -> bytes:
    h = hashlib.sha256()
    update(h, source_digests())
    return h.digest()


def _feed(h: Any, value: Any) -> bool:
    """Feed ``value``'s type and content into ``h``; False for a value the key cannot hold."""
    import numpy as np
    import pandas as pd

    h.update(type(value).__name__.encode() + b"\0")
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        h.update(repr((list(frame.columns), [str(d) for d in frame.dtypes])).encode())
        h.update(repr(getattr(value, "name", None)).encode())
        try:
            h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        except TypeError:
            return False
        return True
    if value is None or isinstance(value, bool | int | float | str | np.generic):
        h.update(repr(value).encode() + b"\0")
        return True
    if isinstance(value, dict):
        return all(_feed(h, k) and _feed(h, v) for k, v in value.items())
    if isinstance(value, list | tuple):
        h.update(str(len(value)).encode())
        return all(_feed(h, v) for v in value)
    return False


def call_key(fn: Callable, args: tuple, kwargs: dict) -> str | None:
    """The cache key of a call: SHA-256 over the package source, the function's qualified name
    and its arguments' content; None when an argument is of a kind the key cannot hold."""
    h = hashlib.sha256(_code())
    h.update(f"{fn.__module__}.{fn.__qualname__}".encode())
    if not _feed(h, list(args)) or not _feed(h, dict(sorted(kwargs.items()))):
        return None
    return h.hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (so that two reports of one workshop in two languages
    compute its results once: the second waits for the first); no lock where flock is missing."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def cached_call(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, from the results cache when :data:`CACHE_ENV` names a folder
    and the same call was computed before (see the module docstring). A cache that cannot be
    read or written (the folder removed, a result that does not pickle) is passed by: the
    result is computed."""
    folder = os.environ.get(CACHE_ENV)
    key = call_key(fn, args, kwargs) if folder else None
    if key is None:
        return fn(*args, **kwargs)
    base = Path(folder)
    path = base / f"{key}.pickle"
    with contextlib.ExitStack() as stack:
        try:
            base.mkdir(parents=True, exist_ok=True)
            stack.enter_context(_locked(base / f"{key}.lock"))
        except OSError:
            return fn(*args, **kwargs)
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError):
            return pickle.loads(path.read_bytes())
        value = fn(*args, **kwargs)
        _store(value, path)
        return value


def _store(value: Any, path: Path) -> None:
    """Write ``value`` pickled to ``path`` whole or not at all (nothing when it does not pickle
    or the folder is gone)."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)


def enable_cache() -> None:
    """Have the statistics of :data:`CACHED` consult the results cache (when :data:`CACHE_ENV`
    is set; idempotent): their module attributes, which the notebooks call, are wrapped."""
    import importlib

    if not os.environ.get(CACHE_ENV):
        return
    for module_name, names in CACHED.items():
        module = importlib.import_module(module_name)
        for name in names:
            fn = getattr(module, name)
            if getattr(fn, "_results_cached", False):
                continue
            setattr(module, name, _cached(fn))


def _cached(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return cached_call(fn, *args, **kwargs)

    wrapper._results_cached = True  # type: ignore[attr-defined]
    return wrapper


def load(processed_dir: str | Path | None = None) -> Processed:
    """Read the processed folder (a path relative to the project root, or absolute; None: the
    project's ``data/processed``). With :data:`CACHE_ENV` set (by the build), the statistics
    the notebooks call consult the results cache (:func:`enable_cache`)."""
    import pandas as pd

    enable_cache()

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
