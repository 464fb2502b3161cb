"""The clean step: read the raw exports, apply the contract's rules 1-7, write data/processed/.

Rules (see data/raw/README.md): normalize labels and codes; stop on an unknown workshop or phase
label; resolve duplicates; exclude incomplete questionnaires; score; link pre to post (exact,
then unique Levenshtein-1); replace codes by pseudonyms.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import hashing
from ..atomic import atomic_dir
from ..errors import DataError
from ..raw.formats import read_contract
from ..raw.labels import (
    PHASES,
    POST_LABELS,
    PRE_LABELS,
    WorkshopLabels,
    normalize_code,
    normalize_phase,
)
from ..raw.readers import list_exports, read_raw_table
from ..raw.registry import read_codebook, read_registry
from .linking import link_codes
from .provenance import (
    build_manifest,
    code_commit,
    package_versions,
    raw_hashes,
)
from .scoring import normalized_change

LOG_COLUMNS = ["source_file", "source_row", "workshop_id", "phase", "action", "detail"]
FLOW_COLUMNS = [
    "workshop_id",
    "received_pre",
    "received_post",
    "duplicates_pre",
    "duplicates_post",
    "excluded_pre",
    "excluded_post",
    "scored_pre",
    "scored_post",
    "paired",
    "fuzzy_links",
    "unmatched_pre",
    "unmatched_post",
]
DEMOGRAPHICS = ("gender", "community", "years_of_service", "rank", "station")
LETTERS = ("A", "B", "C", "D")


@dataclass
class CleanResult:
    """Everything the clean step produces, as frames, before anything is written."""

    answers: pd.DataFrame
    scores: pd.DataFrame
    paired: pd.DataFrame
    log: pd.DataFrame
    flow: pd.DataFrame
    manifest: dict
    registry: pd.DataFrame
    codebook: pd.DataFrame
    files: list[str] = field(default_factory=list)
    rows_read: int = 0


class _Log:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, action, detail, source_file=None, source_row=None, workshop_id=None, phase=None):
        self.rows.append(
            {
                "source_file": source_file,
                "source_row": source_row,
                "workshop_id": workshop_id,
                "phase": phase,
                "action": action,
                "detail": detail,
            }
        )

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=LOG_COLUMNS)
        return frame.astype(
            {
                "source_file": "string",
                "source_row": "Int64",
                "workshop_id": "string",
                "phase": "string",
                "action": "string",
                "detail": "string",
            }
        )


def read_responses(raw: Path, codebook: pd.DataFrame, log: _Log) -> tuple[pd.DataFrame, list[str]]:
    """Read every export of ``raw/responses`` into one text frame in reading order.

    Each export is converted to the contract by the input format that matches it (see
    :mod:`analysis.raw.formats`); every column it drops is logged by name.
    """
    frames = []
    files = list_exports(raw / "responses")
    for path in files:
        converted = read_contract(read_raw_table(path), codebook)
        for col in converted.dropped:
            log.add("dropped_column", f"column '{col}' is not in the contract", path.name)
        frames.append(converted.frame)
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


def _resolve_labels(data: pd.DataFrame, labels: WorkshopLabels, responses: Path) -> pd.DataFrame:
    workshop = data["workshop"].map(lambda v: labels.resolve(v) if pd.notna(v) else None)
    bad = workshop.isna()
    if bad.any():
        row = data.loc[bad.idxmax()]
        blank = pd.isna(row.workshop) or not str(row.workshop).strip()
        what = "the workshop is empty" if blank else f"unknown workshop '{row.workshop}'"
        raise DataError(
            f"{responses / row.source_file}, row {row.source_row}, column workshop: {what}. "
            f"Accepted (compared ignoring case, accents, spaces, '-', '/', '_', '.'): "
            f"{labels.accepted()}. Add the label to the aliases in workshops.csv if it is right."
        )
    phase = data["phase"].map(lambda v: normalize_phase(v) if pd.notna(v) else None)
    bad = phase.isna()
    if bad.any():
        row = data.loc[bad.idxmax()]
        blank = pd.isna(row.phase) or not str(row.phase).strip()
        what = "the phase is empty" if blank else f"unknown phase '{row.phase}'"
        raise DataError(
            f"{responses / row.source_file}, row {row.source_row}, column phase: {what}. "
            f"Accepted for pre: {', '.join(PRE_LABELS)}; for post: {', '.join(POST_LABELS)} "
            "(ignoring case, accents and separators)."
        )
    code = data["participant_code"].fillna("").map(normalize_code)
    return data.assign(
        workshop_id=workshop.astype("string"),
        phase=phase.astype("string"),
        code=code.astype("string"),
    )


def _answer_status(data: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Long frame of every questionnaire x item with response, status and correctness."""
    items = codebook["item_id"].tolist()
    long = data[["row", *items]].melt(id_vars="row", var_name="item_id", value_name="raw")
    long = long.merge(codebook[["item_id", "section", "key"]], on="item_id", how="left")
    raw = long["raw"].fillna("").str.strip()
    upper = raw.str.upper()
    knowledge = long["section"] == "knowledge"
    blank = raw == ""
    valid_k = knowledge & upper.isin(LETTERS)
    # a whole number 1-5, also as a spreadsheet writes it: 4.0, or 4,0 with a decimal comma
    valid_r = ~knowledge & raw.str.fullmatch(r"[1-5]([.,]0+)?").fillna(False)
    valid = valid_k | valid_r
    status = np.where(blank, "blank", np.where(valid, "valid", "invalid"))
    response = np.where(valid_k, upper, np.where(valid_r, raw.str[:1], raw))
    long = long.assign(
        response=pd.array(np.where(blank, None, response), dtype="string"),
        status=pd.array(status, dtype="string"),
        correct=pd.array(
            np.where(knowledge, (valid_k & (upper == long["key"])).to_numpy(), None),
            dtype="boolean",
        ),
    )
    return long.drop(columns=["raw", "key"])


def _choose_among_duplicates(q: pd.DataFrame, log: _Log) -> pd.DataFrame:
    """Rule 3: per workshop, phase and code keep the most answered, then latest, then last read."""
    order = q.sort_values(
        ["workshop_id", "phase", "code", "n_answered", "submitted_ts", "row"],
        ascending=[True, True, True, False, False, False],
        na_position="last",
    )
    first = ~order.duplicated(["workshop_id", "phase", "code"], keep="first")
    key = ["workshop_id", "phase", "code"]
    cols = [*key, "n_answered", "submitted_ts", "source_file", "source_row"]
    in_dup_group = order.duplicated(key, keep=False)
    kept = {
        (k.workshop_id, k.phase, k.code): k
        for k in order.loc[first & in_dup_group, cols].itertuples(index=False)
    }
    for r in order.loc[~first, cols].itertuples(index=False):
        k = kept[(r.workshop_id, r.phase, r.code)]
        if k.n_answered != r.n_answered:
            why = "more answered knowledge items"
        elif not pd.isna(k.submitted_ts) and (
            pd.isna(r.submitted_ts) or k.submitted_ts != r.submitted_ts
        ):
            why = "later submitted_at"
        else:
            why = "read later"
        log.add(
            "duplicate_dropped",
            f"same code as {k.source_file} row {k.source_row}, which was kept ({why}); "
            f"answered {r.n_answered} vs {k.n_answered}",
            r.source_file,
            r.source_row,
            r.workshop_id,
            r.phase,
        )
    return q.loc[order.index[first.to_numpy()]].sort_values("row")


def clean(raw: Path) -> CleanResult:
    """Read ``raw`` and apply the contract's rules; returns frames, writes nothing."""
    raw = Path(raw)
    if not raw.is_dir():
        raise DataError(
            f"{raw}: the raw data folder does not exist. It must hold workshops.csv, "
            "instrument/codebook.csv and responses/ (see data/raw/README.md)."
        )
    registry = read_registry(raw)
    codebook = read_codebook(raw)
    labels = WorkshopLabels(registry.to_dict("records"))
    knowledge = codebook.loc[codebook["section"] == "knowledge", "item_id"].tolist()
    topics = list(dict.fromkeys(codebook.loc[codebook["section"] == "knowledge", "topic"]))
    k = len(knowledge)
    log = _Log()

    data, files = read_responses(raw, codebook, log)
    rows_read = len(data)
    data = _resolve_labels(data, labels, raw / "responses").reset_index(drop=True)
    data = data.assign(
        row=np.arange(len(data)),
        # naive times and times with an offset compared alike (as UTC); unreadable ones as
        # missing; 03/04/2021 and 03.04.2021 are day first, as written in Kosovo (ISO unchanged)
        submitted_ts=pd.to_datetime(
            data["submitted_at"], errors="coerce", format="mixed", utc=True, dayfirst=True
        ),
    )
    long = _answer_status(data, codebook)
    answered = (
        long.loc[long["section"] == "knowledge"]
        .assign(answered=lambda f: f["status"] != "blank")
        .groupby("row")["answered"]
        .sum()
    )
    data = data.assign(n_answered=answered.reindex(data["row"]).to_numpy().astype(int))
    received = data.groupby(["workshop_id", "phase"]).size()

    no_code = data["code"] == ""
    for r in data.loc[no_code].itertuples(index=False):
        log.add(
            "excluded_no_code",
            "participant_code is empty; the questionnaire cannot be linked",
            r.source_file,
            r.source_row,
            r.workshop_id,
            r.phase,
        )
    q = _choose_among_duplicates(data.loc[~no_code], log)
    duplicates = received.sub(q.groupby(["workshop_id", "phase"]).size(), fill_value=0)
    duplicates = duplicates.sub(
        data.loc[no_code].groupby(["workshop_id", "phase"]).size(), fill_value=0
    )

    incomplete = q["n_answered"] * 2 < k
    for r in q.loc[incomplete].itertuples(index=False):
        log.add(
            "excluded_incomplete",
            f"answered {r.n_answered} of {k} knowledge items (fewer than half)",
            r.source_file,
            r.source_row,
            r.workshop_id,
            r.phase,
        )
    excluded_codes = q.loc[incomplete].groupby(["workshop_id", "phase"])["code"].agg(set).to_dict()
    q = q.loc[~incomplete]

    # Link pre and post within each workshop (rule 6) and assign pseudonyms (rule 7).
    person: dict = {}  # index -> pseudonym; one Series at the end (no per-row .loc writes)
    link_rows = []
    # plain Python look-ups of the few columns the loop needs (no per-cell pandas access)
    row_of = dict(zip(q.index, q["row"].tolist(), strict=True))
    src = dict(
        zip(
            q.index,
            zip(q["source_file"].tolist(), q["source_row"].tolist(), strict=True),
            strict=True,
        )
    )
    by_workshop_phase: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for i, wid, phase, code in zip(
        q.index, q["workshop_id"].tolist(), q["phase"].tolist(), q["code"].tolist(), strict=True
    ):
        by_workshop_phase.setdefault((wid, phase), []).append((code, i))
    for wid in registry["workshop_id"]:
        pre_rows = by_workshop_phase.get((wid, "pre"), [])
        post_rows = by_workshop_phase.get((wid, "post"), [])
        gone = {ph: excluded_codes.get((wid, ph), set()) for ph in ("pre", "post")}
        exact, fuzzy = link_codes(
            [c for c, _ in pre_rows],
            [c for c, _ in post_rows],
            excluded_pre=gone["pre"],
            excluded_post=gone["post"],
        )
        pre_by_code = dict(pre_rows)
        post_by_code = dict(post_rows)
        persons: list[tuple[int, list[int]]] = []
        linked_pre, linked_post = set(), set()
        for a, b in exact + fuzzy:
            i, j = pre_by_code[a], post_by_code[b]
            linked_pre.add(a)
            linked_post.add(b)
            persons.append((min(row_of[i], row_of[j]), [i, j]))
        persons += [(row_of[i], [i]) for c, i in pre_by_code.items() if c not in linked_pre]
        persons += [(row_of[i], [i]) for c, i in post_by_code.items() if c not in linked_post]
        persons.sort()
        width = max(3, len(str(len(persons))))
        for n, (_, idx) in enumerate(persons, start=1):
            person.update(dict.fromkeys(idx, f"{wid}-P{n:0{width}d}"))
        for a, b in fuzzy:
            i, j = pre_by_code[a], post_by_code[b]
            log.add(
                "fuzzy_link",
                f"{person[i]}: pre ({src[i][0]} row {src[i][1]}) and "
                f"post ({src[j][0]} row {src[j][1]}) codes differ by "
                "one character; linked as each other's only candidate",
                src[j][0],
                int(src[j][1]),
                wid,
                "post",
            )
        for phase, by_code, linked in (
            ("pre", pre_by_code, linked_pre),
            ("post", post_by_code, linked_post),
        ):
            other = "post" if phase == "pre" else "pre"
            for c, i in by_code.items():
                if c not in linked:
                    why = (
                        f"its {other} questionnaire was excluded as incomplete"
                        if c in gone[other]
                        else f"no {other} questionnaire with this code in {wid}"
                    )
                    log.add(
                        "unmatched",
                        f"{person[i]}: {why}; used in the per-phase statistics only",
                        src[i][0],
                        int(src[i][1]),
                        wid,
                        phase,
                    )
        link_rows.append(
            {"workshop_id": wid, "paired": len(exact) + len(fuzzy), "fuzzy_links": len(fuzzy)}
        )
    q = q.assign(participant_id=pd.Series(person, index=q.index, dtype="string"))

    # Scores (rule 5).
    scored_long = long.loc[long["row"].isin(q["row"])].merge(
        q[["row", "workshop_id", "participant_id", "phase"]], on="row"
    )
    scored_long = scored_long.loc[
        (scored_long["section"] == "knowledge") | (scored_long["phase"] == "post")
    ]
    source_of = dict(
        zip(
            q["row"].tolist(),
            zip(q["source_file"].tolist(), q["source_row"].tolist(), strict=True),
            strict=True,
        )
    )
    for r in scored_long.loc[scored_long["status"] == "invalid"].itertuples(index=False):
        source_file, source_row = source_of[r.row]
        what = "counted as incorrect" if r.section == "knowledge" else "treated as missing"
        log.add(
            "invalid_answer",
            f"{r.participant_id} {r.item_id}: '{r.response}' is not an accepted answer; {what}",
            source_file,
            int(source_row),
            r.workshop_id,
            r.phase,
        )
    kn = scored_long.loc[scored_long["section"] == "knowledge"].merge(
        codebook[["item_id", "topic"]], on="item_id"
    )
    kn = kn.assign(correct_i=kn["correct"].astype(int))
    n_correct = kn.groupby("row")["correct_i"].sum()
    topic_pct = kn.pivot_table(index="row", columns="topic", values="correct_i", aggfunc="mean")
    topic_pct = topic_pct.reindex(columns=topics)  # every topic, even with nothing scored
    q = q.set_index("row", drop=False)
    scores = pd.DataFrame(
        {
            "workshop_id": q["workshop_id"],
            "participant_id": q["participant_id"],
            "phase": q["phase"],
            "n_items": k,
            "n_answered": q["n_answered"],
            "n_correct": n_correct.reindex(q.index).astype(int),
        }
    )
    scores["score_pct"] = 100.0 * scores["n_correct"] / k
    for t in topics:
        scores[f"topic_{t}_pct"] = 100.0 * topic_pct[t].reindex(q.index)
    demo = [c for c in DEMOGRAPHICS if q[c].notna().any()]
    for c in demo:
        scores[c] = q[c]
    if "years_of_service" in demo:
        years = pd.to_numeric(q["years_of_service"], errors="coerce")
        for r in q.loc[years.isna() & q["years_of_service"].notna()].itertuples(index=False):
            log.add(
                "invalid_value",
                f"years_of_service '{r.years_of_service}' is not a number; left empty",
                r.source_file,
                r.source_row,
                r.workshop_id,
                r.phase,
            )
        scores["years_of_service"] = years.astype("Float64")
    order = {w: i for i, w in enumerate(registry["workshop_id"])}
    scores = scores.sort_values(
        ["workshop_id", "participant_id", "phase"],
        key=lambda s: s.map(order) if s.name == "workshop_id" else s,
        ascending=[True, True, False],
    ).reset_index(drop=True)

    # Paired table.
    pre_s = scores.loc[scores["phase"] == "pre"].set_index("participant_id")
    post_s = scores.loc[scores["phase"] == "post"].set_index("participant_id")
    ids = [p for p in pre_s.index if p in post_s.index]
    paired = pd.DataFrame(
        {
            "workshop_id": pre_s.loc[ids, "workshop_id"].to_numpy(),
            "participant_id": ids,
            "pre_pct": pre_s.loc[ids, "score_pct"].to_numpy(),
            "post_pct": post_s.loc[ids, "score_pct"].to_numpy(),
        }
    )
    paired["gain_pct"] = paired["post_pct"] - paired["pre_pct"]
    paired["norm_change"] = normalized_change(paired["pre_pct"], paired["post_pct"])
    for c in demo:
        paired[c] = pre_s.loc[ids, c].fillna(post_s.loc[ids, c]).to_numpy()
    paired = paired.astype({"workshop_id": "string", "participant_id": "string"})

    answers = (
        scored_long.loc[:, ["workshop_id", "participant_id", "phase", "item_id", "response"]]
        .assign(status=scored_long["status"], correct=scored_long["correct"])
        .astype({"item_id": "string"})
    )
    answers = answers.sort_values(
        ["workshop_id", "participant_id", "phase", "item_id"],
        key=lambda s: s.map(order) if s.name == "workshop_id" else s,
        ascending=[True, True, False, True],
    ).reset_index(drop=True)

    # Flow per workshop.
    scored = scores.groupby(["workshop_id", "phase"]).size()
    excluded = received.sub(duplicates, fill_value=0).sub(scored, fill_value=0)
    links = pd.DataFrame(link_rows).set_index("workshop_id")
    unmatched = scored.sub(links["paired"].reindex(scored.index, level=0), fill_value=0)
    flow_rows = []
    for wid in registry["workshop_id"]:
        row = {"workshop_id": wid}
        for phase in PHASES:
            key = (wid, phase)
            row[f"received_{phase}"] = int(received.get(key, 0))
            row[f"duplicates_{phase}"] = int(duplicates.get(key, 0))
            row[f"excluded_{phase}"] = int(excluded.get(key, 0))
            row[f"scored_{phase}"] = int(scored.get(key, 0))
            row[f"unmatched_{phase}"] = int(unmatched.get(key, 0))
        row["paired"] = int(links.at[wid, "paired"])
        row["fuzzy_links"] = int(links.at[wid, "fuzzy_links"])
        flow_rows.append(row)
    flow = pd.DataFrame(flow_rows, columns=FLOW_COLUMNS)

    manifest = build_manifest(raw)
    return CleanResult(
        answers=answers,
        scores=scores,
        paired=paired,
        log=log.frame(),
        flow=flow,
        manifest=manifest,
        registry=registry.loc[
            :,
            [
                c
                for c in ("workshop_id", "number", "directorate", "date", "directorate_sq")
                if c in registry.columns
            ],
        ],
        codebook=codebook,
        files=files,
        rows_read=rows_read,
    )


CLEAN_STAMP = ".clean-key"


def clean_key(raw: Path) -> str:
    """Content address of a clean run: every raw file, the package's source, versions, commit.

    ``build`` skips the clean step when ``data/processed`` carries this key already.
    """
    h = hashlib.sha256()
    h.update(json.dumps(raw_hashes(raw), sort_keys=True).encode())
    hashing.update(h, hashing.source_digests())
    h.update(json.dumps(package_versions(), sort_keys=True).encode())
    h.update(code_commit().encode())
    return h.hexdigest()


def processed_is_current(raw: Path, processed: Path) -> bool:
    """True when ``processed`` was cleaned from ``raw`` by this code and is intact."""
    processed = Path(processed)
    try:
        stamp = (processed / CLEAN_STAMP).read_text().strip()
        written = json.loads((processed / "manifest.json").read_text())["processed"]
    except (OSError, ValueError, KeyError):
        return False
    present = {p.name for p in processed.iterdir() if p.is_file() and not p.name.startswith(".")}
    if present != {*written, "manifest.json"}:
        return False
    if any(hashing.file_sha256(processed / n) != d for n, d in written.items()):
        return False
    return stamp == clean_key(Path(raw))


def write_processed(result: CleanResult, processed: Path, key: str | None = None) -> None:
    """Write the processed tables atomically: all of them replace the old folder, or none.

    ``key`` (see ``clean_key``) is kept beside them so that an unchanged build can skip cleaning.
    """
    with atomic_dir(Path(processed)) as tmp:
        result.answers.to_parquet(tmp / "answers.parquet", index=False)
        for name in ("scores", "paired"):
            frame = getattr(result, name)
            frame.to_csv(tmp / f"{name}.csv", index=False)
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        result.log.to_csv(tmp / "cleaning_log.csv", index=False)
        result.flow.to_csv(tmp / "flow.csv", index=False)
        result.registry.to_csv(tmp / "workshops.csv", index=False)
        result.codebook.to_csv(tmp / "codebook.csv", index=False)
        manifest = dict(result.manifest)
        manifest["processed"] = {
            name.decode(): digest.hex() for name, digest in hashing.folder_digests(tmp)
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        if key:
            (tmp / CLEAN_STAMP).write_text(key + "\n")


MIN_KNOWLEDGE_ITEMS, MIN_TOPICS, MIN_REACTION_ITEMS = 16, 4, 5  # the instrument's design


def codebook_notes(codebook: pd.DataFrame) -> list[str]:
    """Where the codebook falls short of the instrument's design (at least 16 knowledge items
    over at least 4 topics, and 5 reaction items): the data is still cleaned, but KR-20 and
    the topic scores rest on fewer items than planned, so the run says so."""
    knowledge = codebook.loc[codebook["section"] == "knowledge"]
    n_items, n_topics = len(knowledge), knowledge["topic"].nunique()
    n_reaction = int((codebook["section"] == "reaction").sum())
    notes = []
    if n_items < MIN_KNOWLEDGE_ITEMS or n_topics < MIN_TOPICS:
        notes.append(
            f"note: the codebook has {n_items} knowledge items over {n_topics} topics; the "
            f"instrument is designed with at least {MIN_KNOWLEDGE_ITEMS} over {MIN_TOPICS}, so "
            "reliability (KR-20) and the topic scores rest on fewer items than planned"
        )
    if n_reaction < MIN_REACTION_ITEMS:
        notes.append(
            f"note: the codebook has {n_reaction} reaction items; the instrument is designed "
            f"with at least {MIN_REACTION_ITEMS}"
        )
    return notes


def describe(result: CleanResult) -> str:
    """A few lines saying what the clean step read and did (and where the codebook is short)."""
    log_counts = result.log["action"].value_counts()
    lines = [
        f"read {len(result.files)} export files, {result.rows_read} questionnaires"
        + (" (SYNTHETIC data)" if result.manifest.get("synthetic") else ""),
        "actions: "
        + ", ".join(f"{a} {int(n)}" for a, n in sorted(log_counts.items()) if a != "invalid_answer")
        + f", invalid answers {int(log_counts.get('invalid_answer', 0))}",
    ]
    for r in result.flow.itertuples(index=False):
        lines.append(
            f"  {r.workshop_id}: received {r.received_pre} pre / {r.received_post} post, "
            f"scored {r.scored_pre} / {r.scored_post}, paired {r.paired} "
            f"({r.fuzzy_links} by a one-character slip)"
        )
    return "\n".join([*lines, *codebook_notes(result.codebook)])


def run_clean(raw: Path, processed: Path) -> CleanResult:
    """Clean ``raw`` into ``processed`` and return the result."""
    key = clean_key(Path(raw)) if Path(raw).is_dir() else None
    result = clean(raw)
    write_processed(result, processed, key)
    return result
