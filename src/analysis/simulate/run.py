"""The simulator's entry point: check, draw, render, derive the truth, and write."""

from __future__ import annotations

from pathlib import Path

from ..config import RAW, SIMULATOR_MANIFEST
from ..errors import DataError
from .expected import expected, truth
from .files import file_plan, json_bytes, render_files, table_bytes
from .generate import Generated, generate
from .model import instrument_rows
from .registry import REGISTRY_COLUMNS
from .write import (
    foreign_registry,
    foreign_responses,
    known_hashes,
    manifest,
    refuse_foreign,
    refuse_registry,
    stale_files,
    write,
)

__all__ = ["simulate"]


def simulate(
    out_dir: Path,
    *,
    seed: int = 2021,
    n_participants: int = 74,
    n_workshops: int = 4,
    force: bool = False,
) -> dict:
    """Write a synthetic raw folder (registry, codebook, exports, truth) into ``out_dir``.

    Refuses (:class:`~analysis.errors.DataError`) when ``out_dir/responses`` holds a file the
    simulator did not write (not in ``synthetic/manifest.json`` with the same SHA-256), or when
    ``out_dir/workshops.csv`` is not the registry it wrote, unless ``force``, which replaces
    such files. Earlier simulator files are removed first. Returns a
    summary: the files written and the counts.
    """
    out_dir = Path(out_dir)
    _check_sizes(n_participants, n_workshops)
    known = known_hashes(out_dir)
    foreign = foreign_responses(out_dir, known)
    registry = foreign_registry(out_dir, known)
    if registry and not force:
        refuse_registry(registry)
    if foreign and not force:
        refuse_foreign(out_dir, foreign)
    project_codebook = RAW / "instrument" / "codebook.csv"
    shared = (out_dir / "instrument" / "codebook.csv").resolve() == project_codebook.resolve()
    codebook_bytes = project_codebook.read_bytes() if project_codebook.is_file() else b""
    gen = generate(seed, n_participants, n_workshops, instrument_rows(project_codebook))
    plan = file_plan(gen)
    files = render_files(plan, gen)
    table, flow = expected(plan, gen)
    files["workshops.csv"] = table_bytes(gen.registry, REGISTRY_COLUMNS)
    if not shared:
        files["instrument/codebook.csv"] = codebook_bytes
    files.update(_synthetic_files(seed, gen, table, flow))
    record = manifest(files, seed, codebook_bytes if shared else None)
    removed = [*stale_files(out_dir, known, files, shared), *foreign]
    write(out_dir, files, record, removed)
    return {
        "out_dir": str(out_dir),
        "seed": seed,
        "files": sorted([*files, SIMULATOR_MANIFEST.as_posix()]),
        "response_files": sum(rel.startswith("responses/") for rel in files),
        "questionnaires": len(table),
        "participants": sum(gen.sizes),
        "workshops": n_workshops,
        "paired": sum(r["paired"] for r in flow),
        "fuzzy_links": sum(r["fuzzy_links"] for r in flow),
        "removed": [p.relative_to(out_dir).as_posix() for p in removed],
    }


def _check_sizes(n_participants: int, n_workshops: int) -> None:
    """Refuse sizes too small to plant the checks."""
    if n_workshops < 1 or n_participants < 12 * n_workshops:
        raise DataError(
            f"simulate: {n_participants} participants over {n_workshops} workshop(s) is too few; "
            "the simulator needs at least one workshop and 12 participants per workshop to plant "
            "its checks. Raise --participants or lower --workshops."
        )


def _synthetic_files(
    seed: int, gen: Generated, table: list[dict], flow: list[dict]
) -> dict[str, bytes]:
    """The ``synthetic/`` files: truth, participants, expected flow and questionnaires."""
    return {
        "synthetic/truth.json": json_bytes(truth(seed, gen, flow)),
        "synthetic/participants.csv": table_bytes(gen.people, list(gen.people[0])),
        "synthetic/expected_flow.csv": table_bytes(flow, list(flow[0])),
        "synthetic/expected_questionnaires.csv": table_bytes(table, list(table[0])),
    }
