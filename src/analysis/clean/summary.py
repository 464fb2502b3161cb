"""What a clean run says on the command line: what it read and did, where the codebook is short."""

from __future__ import annotations

import pandas as pd

from .pipeline import CleanResult

__all__ = [
    "describe",
]

_MIN_KNOWLEDGE_ITEMS, _MIN_TOPICS, _MIN_REACTION_ITEMS = 16, 4, 5  # the instrument's design


def _codebook_notes(codebook: pd.DataFrame) -> list[str]:
    """Where the codebook falls short of the instrument's design (at least 16 knowledge items
    over at least 4 topics, and 5 reaction items): the data is still cleaned, but KR-20 and
    the topic scores rest on fewer items than planned, so the run says so."""
    knowledge = codebook.loc[codebook["section"] == "knowledge"]
    n_items, n_topics = len(knowledge), knowledge["topic"].nunique()
    n_reaction = int((codebook["section"] == "reaction").sum())
    notes = []
    if n_items < _MIN_KNOWLEDGE_ITEMS or n_topics < _MIN_TOPICS:
        notes.append(
            f"note: the codebook has {n_items} knowledge items over {n_topics} topics; the "
            f"instrument is designed with at least {_MIN_KNOWLEDGE_ITEMS} over {_MIN_TOPICS}, so "
            "reliability (KR-20) and the topic scores rest on fewer items than planned"
        )
    if n_reaction < _MIN_REACTION_ITEMS:
        notes.append(
            f"note: the codebook has {n_reaction} reaction items; the instrument is designed "
            f"with at least {_MIN_REACTION_ITEMS}"
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
    return "\n".join([*lines, *_codebook_notes(result.codebook)])
