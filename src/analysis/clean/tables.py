"""Rule 5 and the tables the clean step writes: scores, paired, answers, flow and workshops."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..raw.categories import CATEGORIES, OTHER, category
from ..raw.labels import PHASES
from .log import ROW_FIELDS, CleaningLog
from .rules import per_distinct
from .scoring import normalized_change

__all__ = [
    "answers_table",
    "flow_table",
    "log_invalid_answers",
    "paired_table",
    "registry_table",
    "score_table",
    "scored_answers",
]

_FLOW_COLUMNS = [
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
_DEMOGRAPHICS = ("gender", "community", "years_of_service", "rank", "station")
_REGISTRY_OUTPUT_COLUMNS = (
    "workshop_id",
    "number",
    "directorate",
    "date",
    "directorate_sq",
    "directorate_sr",
)


def _sort_by_workshop(
    frame: pd.DataFrame, by: list[str], ascending: list[bool], workshops: list[str]
) -> pd.DataFrame:
    """Sort by ``by``, workshops in registry order, other keys by value; index reset."""
    order = {w: i for i, w in enumerate(workshops)}
    return frame.sort_values(
        by,
        key=lambda s: s.map(order) if s.name == "workshop_id" else s,
        ascending=ascending,
    ).reset_index(drop=True)


def scored_answers(long: pd.DataFrame, q: pd.DataFrame) -> pd.DataFrame:
    """The answers that count: knowledge items of every scored questionnaire, reaction items
    of the post questionnaires, with workshop, pseudonym and phase (as categoricals), in the
    order of ``long``."""
    at = pd.Index(q["row"]).get_indexer(long["row"])  # each answer's questionnaire, -1: none
    post = np.append((q["phase"] == "post").to_numpy(dtype=bool), False)  # at -1: False
    knowledge = (long["section"] == "knowledge").to_numpy(dtype=bool)
    keep = (at >= 0) & (knowledge | post[at])
    at = at[keep]
    return long.loc[keep].assign(
        **{c: pd.Categorical(q[c]).take(at) for c in ("workshop_id", "participant_id", "phase")}
    )


def log_invalid_answers(scored_long: pd.DataFrame, q: pd.DataFrame, log: CleaningLog) -> None:
    """Rule 5: log each answer that is not an accepted one (incorrect, or missing if reaction),
    by file, row and item (never by pseudonym)."""
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
            f"{r.item_id}: '{r.response}' is not an accepted answer; {what}",
            source_file,
            int(source_row),
            r.workshop_id,
            r.phase,
        )


def _categorize(q: pd.DataFrame, column: str, log: CleaningLog) -> pd.Series:
    """The answers of a demographic ``column`` as categories (:mod:`analysis.raw.categories`):
    never the text typed. An answer that is no category becomes ``other``, logged by file and
    row without its text; an empty one is missing."""
    mapped = per_distinct(q[column], lambda v: category(column, v))  # each answer looked up once
    accepted = ", ".join(CATEGORIES[column])
    other = q.loc[mapped.eq(OTHER).fillna(False).to_numpy(dtype=bool), list(ROW_FIELDS)]
    for r in other.itertuples(index=False):
        log.add_for(
            r,
            "category_other",
            f"{column}: the answer is none of the accepted categories ({accepted}, or a "
            f"spelling listed in data/raw/README.md); recorded as '{OTHER}'",
        )
    return mapped


def _add_demographics(scores: pd.DataFrame, q: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """Add the demographic columns anybody answered: ``gender``, ``community``, ``rank`` and
    ``station`` as categories (see :func:`_categorize`), ``years_of_service`` as a number (a
    value that is not one is logged and left empty)."""
    demo = [c for c in _DEMOGRAPHICS if q[c].notna().any()]
    for c in demo:
        scores[c] = _categorize(q, c, log) if c in CATEGORIES else q[c]
    if "years_of_service" in demo:
        years = pd.to_numeric(q["years_of_service"], errors="coerce")
        for r in q.loc[years.isna() & q["years_of_service"].notna()].itertuples(index=False):
            log.add_for(
                r,
                "invalid_value",
                f"years_of_service '{r.years_of_service}' is not a number; left empty",
            )
        scores["years_of_service"] = years.astype("Float64")
    return scores


def score_table(
    q: pd.DataFrame,
    scored_long: pd.DataFrame,
    codebook: pd.DataFrame,
    workshops: list[str],
    log: CleaningLog,
) -> pd.DataFrame:
    """Rule 5: per questionnaire the knowledge score, the topic scores and demographics."""
    knowledge = codebook.loc[codebook["section"] == "knowledge"]
    k = len(knowledge)
    topics = list(dict.fromkeys(knowledge["topic"]))
    # per questionnaire (its position in q) and topic: the items answered correctly, of how many
    kn = (scored_long["section"] == "knowledge").to_numpy(dtype=bool)
    at = pd.Index(q["row"]).get_indexer(scored_long["row"].to_numpy()[kn])
    items = pd.Categorical(scored_long["item_id"])
    topic_of = dict(zip(knowledge["item_id"], knowledge["topic"].map(topics.index), strict=True))
    topic = np.array([topic_of.get(i, -1) for i in items.categories], dtype=np.intp)
    cell = at * len(topics) + topic[items.codes[kn]]
    correct = scored_long["correct"].array[kn].astype(int)
    size = len(q) * len(topics)
    right = np.bincount(cell, weights=correct, minlength=size).reshape(len(q), len(topics))
    asked = np.bincount(cell, minlength=size).reshape(len(q), len(topics))
    n_correct = right.sum(axis=1).astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        topic_pct = np.where(asked > 0, right / asked, np.nan)  # the mean; none asked: missing
    q = q.set_index("row", drop=False)
    scores = pd.DataFrame(
        {
            "workshop_id": q["workshop_id"],
            "participant_id": q["participant_id"],
            "phase": q["phase"],
            "n_items": k,
            "n_answered": q["n_answered"],
            "n_correct": n_correct,
        }
    )
    scores["score_pct"] = 100.0 * scores["n_correct"] / k
    if "response_language" in q:
        scores["response_language"] = q["response_language"].astype("string")
    for j, t in enumerate(topics):
        scores[f"topic_{t}_pct"] = 100.0 * topic_pct[:, j]
    scores = _add_demographics(scores, q, log)
    return _sort_by_workshop(
        scores, ["workshop_id", "participant_id", "phase"], [True, True, False], workshops
    )


def paired_table(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per person with both phases scored: pre, post, gain, normalized change."""
    demo = [c for c in _DEMOGRAPHICS if c in scores.columns]
    pre_s = scores.loc[scores["phase"] == "pre"].set_index("participant_id")
    post_s = scores.loc[scores["phase"] == "post"].set_index("participant_id")
    ids = pre_s.index[pre_s.index.isin(post_s.index)].tolist()  # in pre order
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
    return paired.astype({"workshop_id": "string", "participant_id": "string"})


def _ranks(
    values: pd.Series, order: dict[str, int] | None = None, descending: bool = False
) -> np.ndarray:
    """Each value's place when ``values`` are sorted: by ``order`` when given, else as text
    (descending: the other way); a missing value last. Computed once per distinct value."""
    cat = pd.Categorical(values)
    n = len(cat.categories)
    if order is None:
        rank = np.empty(n, dtype=np.int32)
        rank[cat.categories.argsort()] = np.arange(n)[::-1] if descending else np.arange(n)
    else:
        rank = np.array([order.get(c, len(order)) for c in cat.categories], dtype=np.int32)
    return np.append(rank, np.int32(max(n, len(order or ()))))[cat.codes]


def _texts_at(values: pd.Series, at: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values`` at the positions ``at`` as a ``string`` array, built from its distinct texts."""
    cat = pd.Categorical(values)
    return pd.array(cat.categories, dtype="string").take(cat.codes[at], allow_fill=True)


def answers_table(scored_long: pd.DataFrame, workshops: list[str]) -> pd.DataFrame:
    """Every answer that counts, by pseudonym, with its status and correctness.

    Sorted as :func:`_sort_by_workshop` sorts: workshops in registry order, then pseudonym,
    phase (post first) and item id, each column ranked once per distinct value; the texts are
    ``string`` columns.
    """
    order = np.lexsort(
        (
            _ranks(scored_long["item_id"]),
            _ranks(scored_long["phase"], descending=True),
            _ranks(scored_long["participant_id"]),
            _ranks(scored_long["workshop_id"], {w: i for i, w in enumerate(workshops)}),
        )
    )
    texts = ["workshop_id", "participant_id", "phase", "item_id", "response", "status"]
    return pd.DataFrame(
        {
            **{c: _texts_at(scored_long[c], order) for c in texts},
            "correct": scored_long["correct"].array.take(order),
        }
    )


def flow_table(
    workshops: list[str],
    received: pd.Series,
    duplicates: pd.Series,
    scores: pd.DataFrame,
    link_rows: list[dict],
) -> pd.DataFrame:
    """Per workshop and phase: received, duplicates, excluded, scored, paired, unmatched."""
    scored = scores.groupby(["workshop_id", "phase"]).size()
    excluded = received.sub(duplicates, fill_value=0).sub(scored, fill_value=0)
    links = pd.DataFrame(link_rows).set_index("workshop_id")
    unmatched = scored.sub(links["paired"].reindex(scored.index, level=0), fill_value=0)
    flow_rows = []
    for wid in workshops:
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
    return pd.DataFrame(flow_rows, columns=_FLOW_COLUMNS)


def registry_table(registry: pd.DataFrame) -> pd.DataFrame:
    """The registry's columns written as ``workshops.csv`` (aliases left out): the contract's,
    then the directorate's name in every language the registry gives (``directorate_<lang>``)."""
    known = [c for c in _REGISTRY_OUTPUT_COLUMNS if c in registry.columns]
    names = [c for c in registry.columns if str(c).startswith("directorate_") and c not in known]
    return registry.loc[:, [*known, *names]]
