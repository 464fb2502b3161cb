"""A seeded simulator of questionnaire exports, written exactly in the project's data contract.

The per-participant answers of the four 2021 workshops were never published, so the project
ships a SYNTHETIC data set made by :func:`simulate`. Same seed, same bytes: every file, the
XLSX workbook included, is byte-identical between runs; nothing depends on the clock.

Model (Rasch type, on the logit scale)
--------------------------------------
* Ability ``theta_i ~ N(0, 1) + 0.02 * (years_of_service_i - 12)``.
* Item difficulty ``b_j``: fixed per item in :data:`ITEM_DIFFICULTY` (K09 and K18 are easy, so a
  ceiling item exists; K05 and K10 are hard); items not listed there are drawn ``N(0, 0.8)``.
* True gain per workshop ``g_w`` (:data:`TRUE_GAIN`: W1 0.9, W2 0.6, W3 1.1, W4 0.4; workshops
  beyond W4 draw ``g_w ~ N(0.75, 0.25)`` clipped to [0.1, 1.5]); each person's gain is
  ``g_w + N(0, 0.3)``.
* ``P(correct) = logistic(theta_i - b_j + gain_i * [post])``. A wrong answer is one of the
  three distractors, uniformly.
* Reaction items (post only): Likert 1-5, ``round(3.9 + 0.8 * s_i + offset_j + N(0, 0.6))``
  clipped to 1..5, with latent satisfaction ``s_i ~ N(0, 1)``; "time was sufficient" (R05) has
  offset -0.6.
* Demographics: gender ``M``/``F`` (about 22 % F), community mostly ``Shqiptar`` (more ``Serb``
  in Mitrovicë), years of service, rank (Polic, Rreshter, Toger, Kapiten), station of the
  directorate; ``submitted_at`` on the workshop date, pre 08:30-09:10, post 15:00-15:45.

Planted messes (a fixed handful per workshop, so they scale with the number of workshops;
slips scale with its size): one-character code slips between pre and post (``n_w // 10``, at
least one; every third one a dropped character), in W3 (and every fourth workshop) an
ambiguous slip that the linking rule must leave unlinked, case/space/dash/dot variants of codes,
one duplicate per workshop (cycling: more answered items wins; tie broken by later
``submitted_at``; tie on both broken by the last row read), incomplete questionnaires (6 or 9
of the knowledge items answered) and one with exactly half answered (kept), invalid answers
(``AB``, ``E``, ``?``, ``x``, reaction ``6``), blank answers, a participant who left early
(pre only) and one who missed the pre (post only), personal columns (``name``; ``emri``,
``mbiemri``, ``phone`` in the Windows-1250 file; ``shenime`` in the late file), Albanian phase
labels, workshops named by id, number and aliases, one Windows-1250 CSV with ``;``, one XLSX,
one UTF-8-with-BOM CSV, one lower-case item header, the rest UTF-8 CSV. Files: one per workshop
and phase plus ``late_submissions.csv`` (read last), which mixes workshops.

Generated codes of one workshop are pairwise at Levenshtein distance >= 3, so a planted slip
is the only distance-1 candidate on both sides, except the ambiguous slip planted on purpose.

Outputs under ``out_dir``: ``workshops.csv``, ``instrument/codebook.csv`` (copied from the
project), ``responses/*``, and ``synthetic/`` with ``truth.json``, ``participants.csv``,
``expected_flow.csv``, ``expected_questionnaires.csv`` and ``manifest.json`` (SHA-256 of every
file written). The expected tables come from applying the contract's rules to the generated
rows, and are checked against the planted counts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

from ..config import RAW
from ..errors import DataError
from .expected import expected, truth
from .files import file_plan, json_bytes, render_files, table_bytes
from .generate import generate
from .model import read_codebook
from .registry import REGISTRY, REGISTRY_COLUMNS

__all__ = ["REGISTRY", "simulate"]

PROJECT_RAW = RAW
MANIFEST = "synthetic/manifest.json"


# --------------------------------------------------------------------------------------------
# writing, with the refusal rule


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _known_hashes(out_dir: Path) -> dict[str, set[str]]:
    """Hashes the simulator recorded for each path (current and, mid-update, previous run)."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    known: dict[str, set[str]] = {}
    for section in ("files", "previous_files"):
        for rel, digest in (data.get(section) or {}).items():
            known.setdefault(rel, set()).add(digest)
    return known


def _foreign_responses(out_dir: Path, known: dict[str, set[str]]) -> list[Path]:
    responses = out_dir / "responses"
    if not responses.is_dir():
        return []
    return [
        p
        for p in sorted(responses.rglob("*"))
        if p.is_file()
        and not p.name.startswith(".")
        and hashlib.sha256(p.read_bytes()).hexdigest()
        not in known.get(p.relative_to(out_dir).as_posix(), set())
    ]


def _write(out_dir: Path, files: dict[str, bytes], manifest: dict, remove: list[Path]) -> None:
    """Stage every file beside its target, then swap them in; the manifest goes last."""
    stage = out_dir / f".simulate-tmp-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        for rel, data in files.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        manifest_path = out_dir / MANIFEST
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        old = {}
        if manifest_path.is_file():
            try:
                old = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {})
            except ValueError:
                old = {}
        # while files are swapped, both the old and the new hashes count as the simulator's
        transitional = dict(manifest, previous_files=old)
        _replace_bytes(manifest_path, json_bytes(transitional))
        for path in remove:
            if path.is_file():
                path.unlink()
        for rel in files:
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / rel, target)
        _replace_bytes(manifest_path, json_bytes(manifest))
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _replace_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


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
    simulator did not write (not in ``synthetic/manifest.json`` with the same SHA-256), unless
    ``force``, which replaces such files. Earlier simulator files are removed first. Returns a
    summary: the files written and the counts.
    """
    out_dir = Path(out_dir)
    if n_workshops < 1 or n_participants < 12 * n_workshops:
        raise DataError(
            f"simulate: {n_participants} participants over {n_workshops} workshop(s) is too few; "
            "the simulator needs at least one workshop and 12 participants per workshop to plant "
            "its checks. Raise --participants or lower --workshops."
        )
    known = _known_hashes(out_dir)
    foreign = _foreign_responses(out_dir, known)
    if foreign and not force:
        names = ", ".join(p.relative_to(out_dir).as_posix() for p in foreign[:10])
        more = f" and {len(foreign) - 10} more" if len(foreign) > 10 else ""
        raise DataError(
            f"{out_dir}: the responses folder holds file(s) the simulator did not write or that "
            f"were edited since ({names}{more}); they may be real questionnaire exports, so the "
            "synthetic data set is not written over them. Move them elsewhere first, or rerun "
            "with --force to delete them and write the synthetic set."
        )

    project_codebook = PROJECT_RAW / "instrument" / "codebook.csv"
    codebook_path = out_dir / "instrument" / "codebook.csv"
    same_codebook = codebook_path.resolve() == project_codebook.resolve()
    codebook_bytes = project_codebook.read_bytes() if project_codebook.is_file() else b""
    codebook = read_codebook(project_codebook)

    gen = generate(seed, n_participants, n_workshops, codebook)
    plan = file_plan(gen)
    files = render_files(plan, gen)
    table, flow = expected(plan, gen)

    reg_buf = io.StringIO()
    writer = csv.DictWriter(reg_buf, fieldnames=list(REGISTRY_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(gen.registry)
    files["workshops.csv"] = reg_buf.getvalue().encode("utf-8")
    if not same_codebook:
        files["instrument/codebook.csv"] = codebook_bytes

    people_cols = list(gen.people[0])
    files["synthetic/truth.json"] = json_bytes(truth(seed, gen, flow))
    files["synthetic/participants.csv"] = table_bytes(gen.people, people_cols)
    files["synthetic/expected_flow.csv"] = table_bytes(flow, list(flow[0]))
    files["synthetic/expected_questionnaires.csv"] = table_bytes(table, list(table[0]))

    hashes = {rel: _sha(data) for rel, data in sorted(files.items())}
    if same_codebook:
        hashes["instrument/codebook.csv"] = _sha(codebook_bytes)
    manifest = {
        "synthetic": True,
        "generator": "analysis.simulate",
        "seed": seed,
        "note": "SHA-256 of every file the simulator wrote; a response file not listed here "
        "with this hash is not synthetic.",
        "files": dict(sorted(hashes.items())),
    }
    stale = [
        out_dir / rel
        for rel in known
        if rel not in files
        and rel != MANIFEST
        and (out_dir / rel).is_file()
        and not (same_codebook and rel == "instrument/codebook.csv")
    ]
    _write(out_dir, files, manifest, [*stale, *foreign])
    responses = sorted(rel for rel in files if rel.startswith("responses/"))
    return {
        "out_dir": str(out_dir),
        "seed": seed,
        "files": sorted([*files, MANIFEST]),
        "response_files": len(responses),
        "questionnaires": len(table),
        "participants": sum(gen.sizes),
        "workshops": n_workshops,
        "paired": sum(r["paired"] for r in flow),
        "fuzzy_links": sum(r["fuzzy_links"] for r in flow),
        "removed": [p.relative_to(out_dir).as_posix() for p in [*stale, *foreign]],
    }
