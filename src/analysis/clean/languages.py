"""The language each questionnaire was answered in (``response_language`` of ``scores``).

The optional ``language`` column of an export says it when filled (a code or the language's
name in English, Albanian or Serbian: :data:`analysis.raw.answers.LANGUAGE_NAMES`); otherwise
the answers tell it when they were exported as texts: the language whose option texts and scale
labels the questionnaire's answers match most (:func:`analysis.raw.answers.answer_languages`).
A questionnaire answered with letters only, or with a tie, has no language (``<NA>``).
A ``language`` cell that names no language is logged (``unread_language``) and ignored.
"""

from __future__ import annotations

import pandas as pd

from ..raw.answers import form_language
from ..raw.labels import visible
from .log import ROW_FIELDS, CleaningLog

__all__ = ["response_languages"]


def response_languages(data: pd.DataFrame, long: pd.DataFrame, log: CleaningLog) -> pd.Series:
    """Per questionnaire (``data["row"]``), the language it was answered in, or ``<NA>``.

    ``long`` is the frame of :func:`analysis.clean.rules.answer_status`, with its ``language``
    column (the language of each answer cell, when its text tells).
    """
    cells = data["language"].tolist() if "language" in data else [None] * len(data)
    stated = [form_language(v) for v in cells]
    unread = [
        isinstance(v, str) and v.strip() != "" and s is None
        for v, s in zip(cells, stated, strict=True)
    ]
    if any(unread):
        for r in data.loc[unread, [*ROW_FIELDS, "language"]].itertuples(index=False):
            log.add_for(
                r,
                "unread_language",
                f"language '{visible(r.language)}' is not a language the form offers "
                "(a code sq, sr, en or the language's name); the answers' texts tell it instead",
            )
    told_by = long.loc[long["language"].notna().to_numpy(dtype=bool), ["row", "language"]]
    counts = told_by.groupby(["row", "language"]).size().unstack(fill_value=0)
    told = pd.Series(pd.NA, index=counts.index, dtype="string")
    if not counts.empty:
        top = counts.max(axis=1)
        unique = counts.eq(top, axis=0).sum(axis=1) == 1
        told = counts.idxmax(axis=1).astype("string").where(unique)
    by_text = dict(zip(told.index.tolist(), told.tolist(), strict=True))
    result = [
        s if s is not None else by_text.get(row, pd.NA)
        for s, row in zip(stated, data["row"].tolist(), strict=True)
    ]
    return pd.Series(pd.array(result, dtype="string"), index=data.index)
