"""The clean step as a pipeline: read, resolve labels, answer status, duplicates, exclusions,
linking and pseudonyms, scores, and the tables; returns frames and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..raw.labels import WorkshopLabels
from .languages import response_languages
from .log import CleaningLog
from .provenance import build_manifest, check_not_mixed
from .pseudonyms import link_and_pseudonymize, pseudonym_key
from .read import read_reference, read_responses, require_raw_folder
from .rules import (
    answer_status,
    check_scorable,
    choose_among_duplicates,
    count_answered,
    count_duplicates,
    exclude_incomplete,
    exclude_without_code,
    number_questionnaires,
    per_phase,
    resolve_labels,
)
from .sources import apply_sources, read_sources, sources_read
from .tables import (
    answers_table,
    flow_table,
    log_invalid_answers,
    paired_table,
    registry_table,
    score_table,
    scored_answers,
)

__all__ = ["CleanResult", "clean"]


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


def clean(raw: Path) -> CleanResult:
    """Read ``raw`` and apply the contract's rules; returns frames, writes nothing."""
    raw = require_raw_folder(raw)
    registry, codebook = read_reference(raw)
    workshops = registry["workshop_id"].tolist()
    n_knowledge = int((codebook["section"] == "knowledge").sum())
    log = CleaningLog()

    data, files = read_responses(raw, codebook, log)
    labels = WorkshopLabels(registry.to_dict("records"))
    sources = read_sources(raw, files, labels)
    data = apply_sources(data, sources, labels, raw / "responses", log)
    data = number_questionnaires(resolve_labels(data, labels, raw / "responses"))
    long = answer_status(data, codebook)
    data = data.assign(response_language=response_languages(data, long, log))
    check_scorable(data, long, codebook, raw / "responses", log.headers)
    check_not_mixed(raw)  # after the files' own faults, which a user fixes first
    # the answers are in ``long`` from here on; each step's frame replaces the one before
    data = count_answered(data, long).drop(columns=codebook["item_id"].tolist())
    received = per_phase(data)
    rows_read = len(data)
    coded, without_code = exclude_without_code(data, log)
    del data
    kept = choose_among_duplicates(coded, log)
    del coded
    duplicates = count_duplicates(received, kept, without_code)
    complete, excluded_codes = exclude_incomplete(kept, n_knowledge, log)
    del kept
    read = [raw / "workshops.csv", raw / "instrument" / "codebook.csv", *sources_read(raw)]
    key = pseudonym_key([*read, *(raw / "responses" / name for name in files)])
    q, link_rows = link_and_pseudonymize(complete, workshops, excluded_codes, log, key)
    del complete

    scored_long = scored_answers(long, q)
    del long
    log_invalid_answers(scored_long, q, log)
    scores = score_table(q, scored_long, codebook, workshops, log)
    answers = answers_table(scored_long, workshops)
    del scored_long, q
    return CleanResult(
        answers=answers,
        scores=scores,
        paired=paired_table(scores),
        log=log.frame(),
        flow=flow_table(workshops, received, duplicates, scores, link_rows),
        manifest=build_manifest(raw),
        registry=registry_table(registry),
        codebook=codebook,
        files=files,
        rows_read=rows_read,
    )
