"""The results stage's folder (``data/results``): written once per build, read by every report.

Layout: one folder per report id, each with one Parquet file per table result
(``topics.parquet``) and ``values.json`` holding every other result (dicts of numbers, the
pooled models); ``manifest.json`` at the top records the digest of the processed data and of
the code the results depend on (the stages up to this one: :data:`_CODE_STAGES`), and every
file's SHA-256. The folder is current when both digests match and its files are intact
(:func:`is_current`); :func:`for_report` then reads it, and computes otherwise.

Values are stored exactly: Parquet keeps every column's dtype and every float's bits; JSON
numbers are written by ``repr`` and read back to the same float (NaN and infinities as
``NaN``/``Infinity``). A numpy array becomes ``{"__array__": [...]}`` and the pooled
:class:`~analysis.stats.pooled.PooledResult` ``{"__pooled__": {...}}`` (its fit without the
statsmodels object, which no report reads).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..atomic import atomic_dir, check_output_folder, check_replaceable
from ..config import project_path
from ..errors import DataError
from ..hashing import folder_digests, folder_sha256, source_digests, update
from .compute import ReportResults, compute
from .processed import Processed, load

__all__ = [
    "code_digest",
    "for_report",
    "is_current",
    "read",
    "results_dir",
    "summary_of",
    "write",
]

#: The manifest of the results folder: digests of its inputs and of its files.
_MANIFEST = "manifest.json"
#: The results folder's mark of ownership (the project wrote it).
_RESULTS_STAMP = ".results-key"
#: The package's parts the results are computed by (the stages up to this one, in order): a
#: change anywhere else (the words, the figures, the build) leaves the results current.
_CODE_STAGES = (
    "__init__.py",
    "config.py",
    "errors.py",
    "hashing.py",
    "atomic.py",
    "spreadsheet.py",
    "raw",
    "clean",
    "simulate",
    "stats",
    "results",
)


def results_dir(processed: str | Path | None = None) -> Path:
    """The results folder of a processed folder: ``data/results`` beside ``data/processed``;
    beside any other ``.../processed`` its ``results``; else ``<name>-results`` beside it."""
    base = project_path(processed) if processed else project_path("data/processed")
    name = "results" if base.name == "processed" else f"{base.name}-results"
    return base.with_name(name)


def code_digest() -> str:
    """SHA-256 over the code of :data:`_CODE_STAGES` and the pinned versions (pyproject.toml):
    the package's source digests (:func:`analysis.hashing.source_digests`) of those stages'
    Python files."""

    def wanted(name: bytes) -> bool:
        path = name.decode()
        return path == "pyproject.toml" or (
            path.endswith(".py") and path.split("/")[0] in _CODE_STAGES
        )

    h = hashlib.sha256()
    update(h, tuple(pair for pair in source_digests() if wanted(pair[0])))
    return h.hexdigest()


def _data_digest(processed: str | Path) -> str:
    """SHA-256 over the processed data's files (names and bytes; hidden files left out)."""
    return folder_sha256(project_path(processed))


# --------------------------------------------------------------------------------------------
# values as files


def _encode(value: Any) -> Any:
    """A result as JSON: numbers, texts, lists, dicts; numpy scalars as numbers; arrays and the
    pooled result marked."""
    import numpy as np
    import pandas as pd

    from ..stats.pooled import PooledResult

    if isinstance(value, PooledResult):
        return {"__pooled__": _encode(_pooled_fields(value))}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, np.ndarray):
        return {"__array__": [_encode(v) for v in value.tolist()], "dtype": str(value.dtype)}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if value is pd.NA:
        return {"__na__": True}
    raise TypeError(f"a result of type {type(value).__name__} cannot be stored")


def _decode(value: Any) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(value, dict):
        if "__na__" in value:
            return pd.NA
        if "__array__" in value:
            return np.asarray(value["__array__"], dtype=value["dtype"])
        if "__pooled__" in value:
            return _pooled_result(_decode(value["__pooled__"]))
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _series(series: Any) -> dict[str, float]:
    return {str(k): float(v) for k, v in series.items()}


def _pooled_fields(res: Any) -> dict[str, Any]:
    """The pooled result's fields as plain values (the mixed model without its statsmodels
    object: its estimates, intervals, variance parts and diagnostics)."""
    lmm = res.lmm
    fit = None
    if lmm is not None:
        fit = {
            "params": _series(lmm.params),
            "bse": _series(lmm.bse),
            "conf_low": _series(lmm.conf_int["lower"]),
            "conf_high": _series(lmm.conf_int["upper"]),
            "ols_params": _series(lmm.ols_params),
            **{
                k: getattr(lmm, k)
                for k in (
                    "re_var",
                    "scale",
                    "llf",
                    "reml",
                    "converged",
                    "engine",
                    "method",
                    "n_obs",
                    "n_groups",
                    "ols_max_diff_se",
                    "warnings",
                )
            },
        }
    return {
        "summary": res.summary,
        "lmm": fit,
        "interaction": res.interaction,
        "ancova": res.ancova,
        "warnings": res.warnings,
        "attrition": res.attrition,
    }


def _pooled_result(fields: dict[str, Any]) -> Any:
    import pandas as pd

    from ..stats.mixed import MixedFit
    from ..stats.pooled import PooledResult

    fit = fields["lmm"]
    lmm = None
    if fit is not None:
        conf = pd.DataFrame({"lower": fit.pop("conf_low"), "upper": fit.pop("conf_high")})
        lmm = MixedFit(
            params=pd.Series(fit.pop("params"), dtype=float),
            bse=pd.Series(fit.pop("bse"), dtype=float),
            conf_int=conf,
            ols_params=pd.Series(fit.pop("ols_params"), dtype=float),
            **fit,
        )
    return PooledResult(
        summary=fields["summary"],
        lmm=lmm,
        interaction=fields["interaction"],
        ancova=fields["ancova"],
        warnings=fields["warnings"],
        attrition=fields["attrition"],
    )


#: The Parquet metadata key naming the columns whose cells are stored as JSON texts.
_JSON_COLUMNS = b"analysis.json_columns"


def _write_table(frame: Any, path: Path) -> None:
    """A table as Parquet: every column in its own type; a column of mixed Python objects
    (counts beside "hidden", say) as the JSON text of each cell, named in the metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    mixed = [str(c) for c in frame.columns if frame[c].dtype == object]
    plain = frame.assign(**{c: _objects([json.dumps(_encode(v)) for v in frame[c]]) for c in mixed})
    table = pa.Table.from_pandas(plain, preserve_index=False)
    meta = {**(table.schema.metadata or {}), _JSON_COLUMNS: json.dumps(mixed).encode()}
    pq.write_table(table.replace_schema_metadata(meta), path)


def _objects(values: list) -> Any:
    """A pandas Series of Python objects (texts kept as objects, not the string dtype)."""
    import pandas as pd

    return pd.Series(values, dtype=object)


def _read_table(path: Path) -> Any:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    mixed = json.loads((table.schema.metadata or {}).get(_JSON_COLUMNS, b"[]"))
    frame = table.to_pandas()
    for c in mixed:
        frame[c] = _objects([_decode(json.loads(v)) for v in frame[c]])
    return frame


def _report_folder(folder: Path, report_id: str) -> Path:
    """A report's folder in the results folder: a plain name right inside it (a report id that
    is a path, ``../x`` or ``a/b``, is refused, whatever the registry holds)."""
    if not report_id or report_id.startswith(".") or any(c in report_id for c in "/\\\0"):
        raise DataError(
            f"the report id {report_id!r} is not a plain name (it would be a folder outside "
            f"{folder}); workshop ids in workshops.csv are names like W1; nothing was written"
        )
    return folder / report_id


def _write_report(res: ReportResults, folder: Path) -> None:
    import pandas as pd

    folder.mkdir()
    scalars = {}
    for name, value in res.values.items():
        if isinstance(value, pd.DataFrame):
            _write_table(value, folder / f"{name}.parquet")
        else:
            scalars[name] = _encode(value)
    scalars["__names__"] = list(res.values)  # the results' order, tables included
    text = json.dumps(scalars, indent=1, allow_nan=True)
    (folder / "values.json").write_text(text + "\n", encoding="utf-8")


def _read_report(folder: Path, report_id: str) -> ReportResults:
    values = _decode(json.loads((folder / "values.json").read_text(encoding="utf-8")))
    names = values.pop("__names__")
    tables = {name: _read_table(folder / f"{name}.parquet") for name in names if name not in values}
    values = {name: values[name] if name in values else tables[name] for name in names}
    return ReportResults(report_id, values)


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write(
    data: Processed, folder: str | Path | None = None, results: dict | None = None
) -> dict[str, ReportResults]:
    """Compute every report's results (:func:`~analysis.results.compute.compute`; ``results``
    given: those) and write them to ``folder`` (default :func:`results_dir`) whole or not at all.

    The folder must be one the project may write (absent, empty, or written by this stage: its
    :data:`_RESULTS_STAMP`); else a :class:`DataError`, and nothing is touched.
    """
    folder = check_output_folder(project_path(folder or results_dir(data.path)), "--results")
    check_replaceable(folder, "--results", owned=[_RESULTS_STAMP])
    results = compute(data) if results is None else results
    with atomic_dir(folder, owned=[_RESULTS_STAMP], marker="results") as tmp:
        for report_id, res in results.items():
            _write_report(res, _report_folder(tmp, report_id))
        files = {
            name.decode(): digest.hex() for name, digest in folder_digests(tmp, recursive=True)
        }
        manifest = {
            "processed": _data_digest(data.path),
            "code": code_digest(),
            "reports": list(results),
            "files": files,
        }
        (tmp / _MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        (tmp / _RESULTS_STAMP).write_text(manifest["processed"] + "\n")
    return results


def _current_manifest(folder: Path, processed: str | Path) -> dict[str, Any] | None:
    """The manifest of ``folder`` when it holds the results of ``processed`` by this code,
    intact (every file hashed once); None otherwise."""
    manifest = _manifest(folder)
    if not manifest or manifest.get("code") != code_digest():
        return None
    if manifest.get("processed") != _data_digest(processed):
        return None
    found = folder_digests(folder, recursive=True, skip=[_MANIFEST])
    if {name.decode(): digest.hex() for name, digest in found} != manifest.get("files"):
        return None
    return manifest


def is_current(folder: str | Path, processed: str | Path) -> bool:
    """True when ``folder`` holds the results of ``processed`` by this code, intact."""
    return _current_manifest(project_path(folder), processed) is not None


def read(folder: str | Path, report_id: str) -> ReportResults:
    """The stored results of one report (a :class:`DataError` when the folder has none)."""
    folder = project_path(folder)
    if report_id not in _manifest(folder).get("reports", []):
        raise DataError(
            f"{folder}: holds no results of report {report_id!r}; run 'python -m analysis "
            "results' (or 'build')"
        )
    return _read_report(_report_folder(folder, report_id), report_id)


def for_report(
    data: Processed | str | Path | None, report_id: str, folder: str | Path | None = None
) -> ReportResults:
    """The results of one report: read from the results folder (``folder``, default
    :func:`results_dir` of the processed data) when it is current and holds the report, else
    computed here by the same functions (:func:`~analysis.results.compute.compute`).

    ``data`` is the processed data (:func:`~analysis.results.load`) or its folder. The values
    are the same either way; only the time differs.
    """
    if not isinstance(data, Processed):
        data = load(data)
    folder = project_path(folder) if folder else results_dir(data.path)
    manifest = _current_manifest(folder, data.path)
    if manifest is not None and report_id in manifest.get("reports", []):
        return _read_report(_report_folder(folder, report_id), report_id)
    return compute(data, [report_id])[report_id]


def summary_of(folder: str | Path, report_id: str) -> dict[str, Any] | None:
    """The ``summary.json`` dict of one report as the results folder holds it (the pooled
    report's with its workshops' summaries), read as JSON alone (no pandas, for the index);
    None when the folder holds no results of that report."""
    try:
        path = _report_folder(project_path(folder), report_id) / "values.json"
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, DataError):
        return None
    if "summary" in values:  # a workshop's
        return values["summary"]
    pooled = values.get("analysis", {}).get("__pooled__")
    return pooled["summary"] if pooled else None
