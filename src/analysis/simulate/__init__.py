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
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

from ..clean.linking import within_one_edit
from ..config import RAW
from ..errors import DataError
from ..raw.labels import normalize_code
from .generate import Generated, generate
from .model import GAIN_SD, REACTION_OFFSET, read_codebook
from .registry import REGISTRY, REGISTRY_COLUMNS, SLUGS

__all__ = ["REGISTRY", "simulate"]

PROJECT_RAW = RAW
MANIFEST = "synthetic/manifest.json"

PRE_VARIANTS = ("Paratest", "para testi", "pre", "PARA", "Pre-test", "paratesti", "pretest")
POST_VARIANTS = ("Pastest", "pas testi", "Post", "PAS", "Post-test", "pastesti", "posttest")
FIXED_ZIP_TIME = (2021, 3, 23, 0, 0, 0)
FIXED_DOC_TIME = dt.datetime(2021, 3, 23, 0, 0, 0)
BASE_COLUMNS = (
    "participant_code", "workshop", "phase", "submitted_at", "gender", "community",
    "years_of_service", "rank", "station",
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# files


def _file_plan(gen: Generated) -> list[dict]:
    """Assign rows to export files; returns the files in name (= reading) order."""
    registry = gen.registry
    rng = gen.r_render
    files: dict[str, dict] = {}
    for k, w in enumerate(registry):
        wid = w["workshop_id"]
        slug = SLUGS.get(wid, f"sd{int(w['number']):02d}")
        for ph, variants in (("pre", PRE_VARIANTS), ("post", POST_VARIANTS)):
            fmt = "csv"
            if k == 1 and ph == "post":
                fmt = "cp1250"
            elif k == 2 and ph == "pre":
                fmt = "xlsx"
            elif k == 0 and ph == "post":
                fmt = "bom"
            word = variants[k % len(variants)]
            name = f"{w['date']}_{slug}_{'para' if ph == 'pre' else 'pas'}testi"
            name += ".xlsx" if fmt == "xlsx" else ".csv"
            files[(wid, ph)] = {
                "name": name,
                "format": fmt,
                "phase_label": word,
                "header_case": "title" if k == 0 else ("lower_items" if k == 3 else "plain"),
                "rows": [],
            }
    late = {
        "name": "late_submissions.csv",
        "format": "csv",
        "phase_label": None,
        "header_case": "plain",
        "rows": [],
    }
    for r in gen.rows:
        (late if r["late"] else files[(r["workshop_id"], r["phase"])])["rows"].append(r)
    out = []
    for f in [*files.values(), late]:
        f["rows"].sort(key=lambda r: r["submitted_at"])
        for r in f["rows"]:
            variants = PRE_VARIANTS if r["phase"] == "pre" else POST_VARIANTS
            label = f["phase_label"] or variants[int(rng.integers(0, len(variants)))]
            if rng.random() < 0.1:
                label = variants[int(rng.integers(0, len(variants)))]
            r["phase_label"] = label
        out.append(f)
    return sorted(out, key=lambda f: f["name"])


def _header(f: dict, kids: list[str], ritems: list[str]) -> list[str]:
    items = [*kids, *ritems]
    if f["header_case"] == "lower_items":
        items = [i.lower() for i in items]
    base = list(BASE_COLUMNS)
    if f["header_case"] == "title":
        base = [c.title() for c in base]
    if f["format"] == "cp1250":
        return ["emri", "mbiemri", "phone", *base, *items]
    if f["name"] == "late_submissions.csv":
        return [*base, *items, "name", "shenime"]
    return ["name", *base, *items]


def _cells(r: dict, f: dict, n: int) -> list[str]:
    person = r["person"]
    base = [
        r["code_raw"],
        r["workshop_label"],
        r["phase_label"],
        r["submitted_at"],
        person["gender"],
        person["community"],
        str(person["years_of_service"]),
        person["rank"],
        person["station"],
    ]
    first, last = r["name"]
    items = [*r["k"], *r["r"]]
    if f["format"] == "cp1250":
        phone = f"+383 4{n % 10} {100 + (n * 37) % 900} {100 + (n * 53) % 900}"
        return [first, last, phone, *base, *items]
    if f["name"] == "late_submissions.csv":
        return [*base, *items, f"{first} {last}", "dorëzuar me vonesë" if n % 2 else ""]
    return [f"{first} {last}", *base, *items]


def _csv_bytes(rows: list[list[str]], *, fmt: str) -> bytes:
    buf = io.StringIO()
    delimiter, terminator = (";", "\r\n") if fmt == "cp1250" else (",", "\n")
    csv.writer(buf, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    text = buf.getvalue()
    if fmt == "cp1250":
        return text.encode("cp1250")
    if fmt == "bom":
        return text.encode("utf-8-sig")
    return text.encode("utf-8")


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    """An .xlsx workbook with every cell as text; fixed dates so the bytes are reproducible."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Pergjigjet"
    for row in rows:
        sheet.append([str(c) for c in row])
    book.properties.creator = "analysis.simulate"
    book.properties.created = FIXED_DOC_TIME
    buf = io.BytesIO()
    book.save(buf)
    stamp = FIXED_DOC_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def _render_files(plan: list[dict], gen: Generated) -> dict[str, bytes]:
    out = {}
    for f in plan:
        header = _header(f, gen.kids, gen.ritems)
        body = []
        for n, r in enumerate(f["rows"]):
            body.append(_cells(r, f, n))
            r["source_file"] = f["name"]
            r["source_row"] = n + 2  # spreadsheet numbering: the header is row 1
        rows = [header, *body]
        rel = f"responses/{f['name']}"
        out[rel] = _xlsx_bytes(rows) if f["format"] == "xlsx" else _csv_bytes(rows, fmt=f["format"])
    return out


# --------------------------------------------------------------------------------------------
# the truth: the contract's rules applied to the generated rows


def _expected(plan: list[dict], gen: Generated) -> tuple[list[dict], list[dict]]:
    """Apply rules 3-6 to the rows; return (per-questionnaire table, per-workshop flow)."""
    kids, keys = gen.kids, gen.keys
    n_k = len(kids)
    read = [r for f in plan for r in f["rows"]]
    for order, r in enumerate(read):
        vals = [a.strip().upper() for a in r["k"]]
        r["n_answered"] = sum(1 for a in vals if a)
        r["n_correct"] = sum(1 for a, key in zip(vals, keys, strict=True) if a == "ABCD"[key])
        r["read_order"] = order
        r["fate"] = "scored"
        r["link"] = ""
        r["linked_code"] = ""
    groups: dict[tuple, list[dict]] = {}
    for r in read:
        groups.setdefault((r["workshop_id"], r["phase"], normalize_code(r["code_raw"])), []).append(
            r
        )
    for members in groups.values():
        members.sort(key=lambda r: (r["n_answered"], r["submitted_at"], r["read_order"]))
        for r in members[:-1]:
            r["fate"] = "duplicate_dropped"
    for r in read:
        if r["fate"] == "scored" and 2 * r["n_answered"] < n_k:
            r["fate"] = "excluded_incomplete"
    read_of: dict[str, list[dict]] = {w["workshop_id"]: [] for w in gen.registry}
    for r in read:
        read_of[r["workshop_id"]].append(r)
    flow = []
    for w in gen.registry:
        wid = w["workshop_id"]
        mine = read_of[wid]
        scored = {
            ph: {
                normalize_code(r["code_raw"]): r
                for r in mine
                if r["phase"] == ph and r["fate"] == "scored"
            }
            for ph in ("pre", "post")
        }
        exact = set(scored["pre"]) & set(scored["post"])
        for c in exact:
            for ph in ("pre", "post"):
                scored[ph][c]["link"], scored[ph][c]["linked_code"] = "exact", c
        left_pre = [c for c in scored["pre"] if c not in exact]
        left_post = [c for c in scored["post"] if c not in exact]
        cand_pre = {p: [q for q in left_post if within_one_edit(p, q)] for p in left_pre}
        cand_post = {q: [p for p in left_pre if within_one_edit(p, q)] for q in left_post}
        fuzzy = [
            (p, qs[0]) for p, qs in cand_pre.items() if len(qs) == 1 and cand_post[qs[0]] == [p]
        ]
        for p, q in fuzzy:
            scored["pre"][p]["link"], scored["pre"][p]["linked_code"] = "fuzzy", q
            scored["post"][q]["link"], scored["post"][q]["linked_code"] = "fuzzy", p
        row = {"workshop_id": wid}
        these = {ph: [r for r in mine if r["phase"] == ph] for ph in ("pre", "post")}
        for ph in ("pre", "post"):
            row[f"received_{ph}"] = len(these[ph])
        for ph in ("pre", "post"):
            row[f"duplicates_{ph}"] = sum(r["fate"] == "duplicate_dropped" for r in these[ph])
        for ph in ("pre", "post"):
            row[f"excluded_{ph}"] = sum(r["fate"] == "excluded_incomplete" for r in these[ph])
        for ph in ("pre", "post"):
            row[f"scored_{ph}"] = len(scored[ph])
        row["paired"] = len(exact) + len(fuzzy)
        row["fuzzy_links"] = len(fuzzy)
        for ph in ("pre", "post"):
            row[f"unmatched_{ph}"] = row[f"scored_{ph}"] - row["paired"]
            for r in scored[ph].values():
                if not r["link"]:
                    r["link"] = "unmatched"
        flow.append(row)
        planted = gen.planted[wid]
        if row["fuzzy_links"] != planted["fuzzy_links"] or (
            row["duplicates_pre"] + row["duplicates_post"] != planted["duplicates"]
        ):  # pragma: no cover - a simulator bug, not a user error
            raise RuntimeError(f"simulate: planted messes of {wid} do not survive the rules")
    table = [
        {
            "source_file": r["source_file"],
            "source_row": r["source_row"],
            "workshop_id": r["workshop_id"],
            "phase": r["phase"],
            "participant_key": r["participant_key"],
            "code": normalize_code(r["code_raw"]),
            "submitted_at": r["submitted_at"],
            "n_answered": r["n_answered"],
            "n_correct": r["n_correct"],
            "score_pct": round(100 * r["n_correct"] / n_k, 4),
            "fate": r["fate"],
            "link": r["link"],
            "linked_code": r["linked_code"],
        }
        for r in read
    ]
    return table, flow


def _table_bytes(rows: list[dict], columns: list[str] | tuple[str, ...]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


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
        _replace_bytes(manifest_path, _json_bytes(transitional))
        for path in remove:
            if path.is_file():
                path.unlink()
        for rel in files:
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / rel, target)
        _replace_bytes(manifest_path, _json_bytes(manifest))
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
    plan = _file_plan(gen)
    files = _render_files(plan, gen)
    table, flow = _expected(plan, gen)

    reg_buf = io.StringIO()
    writer = csv.DictWriter(reg_buf, fieldnames=list(REGISTRY_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(gen.registry)
    files["workshops.csv"] = reg_buf.getvalue().encode("utf-8")
    if not same_codebook:
        files["instrument/codebook.csv"] = codebook_bytes

    truth = {
        "synthetic": True,
        "generator": "analysis.simulate",
        "seed": seed,
        "n_participants": sum(gen.sizes),
        "n_workshops": n_workshops,
        "n_per_workshop": {
            w["workshop_id"]: s for w, s in zip(gen.registry, gen.sizes, strict=True)
        },
        "model": {
            "p_correct": "logistic(theta_i - b_j + gain_i * post)",
            "theta": "N(0, 1) + 0.02 * (years_of_service - 12)",
            "gain_i": f"true_gain[workshop] + N(0, {GAIN_SD})",
            "reaction": "clip(round(3.9 + 0.8 * s_i + offset_j + N(0, 0.6)), 1, 5), s_i ~ N(0, 1)",
        },
        "item_difficulty": {k: round(float(v), 3) for k, v in zip(gen.kids, gen.b, strict=True)},
        "true_gain": gen.gains,
        "reaction_offset": REACTION_OFFSET,
        "planted": gen.planted,
        "flow_totals": {k: sum(r[k] for r in flow) for k in flow[0] if k != "workshop_id"},
    }
    people_cols = list(gen.people[0])
    files["synthetic/truth.json"] = _json_bytes(truth)
    files["synthetic/participants.csv"] = _table_bytes(gen.people, people_cols)
    files["synthetic/expected_flow.csv"] = _table_bytes(flow, list(flow[0]))
    files["synthetic/expected_questionnaires.csv"] = _table_bytes(table, list(table[0]))

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
