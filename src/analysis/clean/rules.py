"""The contract's rules 1-4 on the questionnaires read: labels, answer status, duplicates and
the exclusion of questionnaires without a code or with fewer than half the knowledge items."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..raw.answers import (
    accepted_knowledge,
    accepted_reaction,
    answer_languages,
    match_answers,
)
from ..raw.labels import (
    POST_LABELS,
    PRE_LABELS,
    WorkshopLabels,
    normalize_code,
    normalize_phase,
    visible,
)
from .log import CleaningLog

__all__ = [
    "per_distinct",
    "LETTERS",
    "answer_status",
    "check_scorable",
    "choose_among_duplicates",
    "count_answered",
    "count_duplicates",
    "exclude_incomplete",
    "exclude_without_code",
    "number_questionnaires",
    "per_phase",
    "resolve_labels",
    "resolve_workshop",
]

LETTERS = ("A", "B", "C", "D")


def per_distinct(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """``fn`` of every value of ``values``, computed once per distinct value (missing stays
    missing), as a text series on the same index: labels repeat on every row of an export."""
    codes, uniques = pd.factorize(values)
    found = pd.array([fn(v) for v in uniques] + [None], dtype="string")
    return pd.Series(found[codes], index=values.index, dtype="string")  # code -1: missing


def resolve_workshop(data: pd.DataFrame, labels: WorkshopLabels, responses: Path) -> pd.Series:
    """Rule 2: every questionnaire's ``workshop_id``; stops at the first unknown label."""
    workshop = per_distinct(data["workshop"], labels.resolve)
    bad = workshop.isna()
    if bad.any():
        row = data.loc[bad.idxmax()]
        blank = pd.isna(row.workshop) or not str(row.workshop).strip()
        what = "the workshop is empty" if blank else f"unknown workshop '{visible(row.workshop)}'"
        raise DataError(
            f"{responses / row.source_file}, row {row.source_row}, column workshop: {what}. "
            f"Accepted (compared ignoring case, accents, spaces, '-', '/', '_', '.'): "
            f"{labels.accepted()}. Add the label to the aliases in workshops.csv if it is right."
        )
    return workshop


def _resolve_phase(data: pd.DataFrame, responses: Path) -> pd.Series:
    """Rule 2: every questionnaire's phase, ``pre`` or ``post``; stops at the first unknown."""
    phase = per_distinct(data["phase"], normalize_phase)
    bad = phase.isna()
    if bad.any():
        row = data.loc[bad.idxmax()]
        blank = pd.isna(row.phase) or not str(row.phase).strip()
        what = "the phase is empty" if blank else f"unknown phase '{visible(row.phase)}'"
        raise DataError(
            f"{responses / row.source_file}, row {row.source_row}, column phase: {what}. "
            f"Accepted for pre: {', '.join(PRE_LABELS)}; for post: {', '.join(POST_LABELS)} "
            "(ignoring case, accents and separators)."
        )
    return phase


def resolve_labels(data: pd.DataFrame, labels: WorkshopLabels, responses: Path) -> pd.DataFrame:
    """Rules 1-2: add ``workshop_id``, the normalized ``phase`` and the normalized ``code``."""
    workshop = resolve_workshop(data, labels, responses)
    phase = _resolve_phase(data, responses)
    code = per_distinct(data["participant_code"].fillna(""), normalize_code)
    return data.assign(
        workshop_id=workshop.astype("string"),
        phase=phase.astype("string"),
        code=code.astype("string"),
    ).reset_index(drop=True)


def number_questionnaires(data: pd.DataFrame) -> pd.DataFrame:
    """Add ``row`` (the reading order) and ``submitted_ts`` (``submitted_at`` as a UTC time)."""
    return data.assign(
        row=np.arange(len(data)),
        # naive times and times with an offset compared alike (as UTC); unreadable ones as
        # missing; 03/04/2021 and 03.04.2021 are day first, as written in Kosovo (ISO unchanged)
        submitted_ts=_parse_times(data["submitted_at"]),
    )


def _parse_times(values: pd.Series) -> pd.Series:
    """``values`` as UTC times; unreadable and missing ones NaT. Each distinct text is parsed
    once (an export repeats its times): ISO 8601 (``2021-03-04T09:00``, with or without an
    offset) as ISO 8601, year, month, day, at once; any other text alone, day first
    (``format="mixed"``, ``dayfirst=True``: ``03/04/2021`` is 3 April). pandas' mixed parser
    given ``dayfirst`` would read ``2021-03-04`` as 3 April too."""
    codes, uniques = pd.factorize(values)
    texts = pd.Index(uniques, dtype=values.dtype)
    parsed = pd.Series(pd.to_datetime(texts, errors="coerce", format="ISO8601", utc=True))
    other = parsed.isna().to_numpy()
    if other.any():
        rest = pd.to_datetime(
            texts[other], errors="coerce", format="mixed", utc=True, dayfirst=True
        ).as_unit(parsed.dt.unit)
        parsed = parsed.mask(other, pd.Series(rest, index=parsed.index[other]))
    parsed = pd.DatetimeIndex(parsed)
    return pd.Series(parsed.take(codes, allow_fill=True, fill_value=pd.NaT), index=values.index)


def _repeated(values: object, at: np.ndarray) -> pd.Categorical:
    """``values`` taken at the positions ``at``, as a categorical (missing stays missing): a few
    distinct texts on millions of rows cost one small code each."""
    return pd.Categorical(values).take(at)


def answer_status(data: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Long frame of every questionnaire x item with response, status and correctness.

    An answer is matched through the codebook (see :mod:`analysis.raw.answers`): the
    ``response`` of a valid one is its letter A-D or its point 1-5, whatever form it was given
    in; an invalid one keeps the text as written. The rows go item by item (codebook order),
    each item's in the order of ``data``. Each distinct cell of an item is matched once, and
    ``item_id``, ``section``, ``language``, ``response`` and ``status`` are categoricals: an
    export repeats a few answers on every row.
    """
    items = codebook["item_id"].tolist()
    # the distinct cells of each item (an empty cell as ''), and each answer's one among them
    pair_item: list[int] = []
    pair_raw: list[str] = []
    at = []
    for j, item in enumerate(items):
        codes, uniques = pd.factorize(data[item].fillna(""))
        at.append(codes + len(pair_raw))
        pair_item += [j] * len(uniques)
        pair_raw += list(uniques)
    pairs = np.asarray(pair_item, dtype=np.intp)
    item_ids = pd.Series(pd.array(items, dtype="string").take(pairs))
    section = pd.Series(codebook["section"].array.take(pairs))
    key = pd.Series(codebook["key"].array.take(pairs))
    raw = pd.Series(pd.array(pair_raw, dtype="string")).str.strip()
    knowledge = section == "knowledge"
    blank = raw == ""
    matched = match_answers(item_ids, raw, codebook)
    valid = matched.notna().to_numpy()
    status = np.where(blank, "blank", np.where(valid, "valid", "invalid"))
    response = np.where(valid, matched.fillna("").to_numpy(), raw.to_numpy())
    correct = pd.array(
        np.where(knowledge, (valid & (matched.fillna("") == key)).to_numpy(), None),
        dtype="boolean",
    )
    language = answer_languages(item_ids, raw, codebook)
    answer = np.concatenate(at) if at else np.zeros(0, dtype=np.intp)  # each answer's cell
    item = np.repeat(np.arange(len(items)), len(data))
    return pd.DataFrame(
        {
            "row": np.tile(data["row"].to_numpy(), len(items)),
            "item_id": _repeated(codebook["item_id"].array, item),
            "section": _repeated(codebook["section"].array, item),
            "language": _repeated(language.array, answer),
            "response": _repeated(pd.array(np.where(blank, None, response), "string"), answer),
            "status": _repeated(pd.array(status, dtype="string"), answer),
            "correct": correct.take(answer),
        }
    )


def _column_fault(values: pd.Series, column: str, accepted: str) -> str:
    """The line naming one column none of whose answers maps."""
    shown = ", ".join(f"'{visible(v)}'" for v in values.drop_duplicates().head(3))
    return (
        f"column {column}: none of its {len(values)} answer(s) is one the codebook "
        f"accepts (e.g. {shown}); accepted: {accepted}"
    )


def check_scorable(
    data: pd.DataFrame,
    long: pd.DataFrame,
    codebook: pd.DataFrame,
    responses: Path,
    headers: Mapping[tuple[str, str], str] | None = None,
) -> None:
    """Stop when an export's answers cannot be scored (a format fault, not invalid answers).

    A knowledge or reaction column of a file none of whose non-empty answers maps, and a file
    more than a fifth of whose non-empty knowledge answers do not map, are faults; every file
    at fault is named in one :class:`~analysis.errors.DataError`. A column is named by its
    header as the file writes it (``headers``, by file and item) with the item it was read as.
    The answers are counted per file and column by number; only those of a column or file at
    fault are looked at again, for the message.
    """
    headers = headers or {}
    file_codes, names = pd.factorize(data["source_file"])
    file_of = file_codes[pd.Index(data["row"]).get_indexer(long["row"])]  # each answer's file
    item_codes, item_names = pd.factorize(long["item_id"])
    status = long["status"]
    given = (status != "blank").to_numpy(dtype=bool)
    valid = (status == "valid").to_numpy(dtype=bool)
    column = file_of * len(item_names) + item_codes  # one number per file and column
    size = len(names) * len(item_names)
    at_fault = (np.bincount(column[given], minlength=size) > 0) & (
        np.bincount(column[valid], minlength=size) == 0
    )
    rows = {r["item_id"]: r for r in codebook.to_dict("records")}
    faults: dict[str, list[str]] = {}
    if at_fault.any():  # the columns at fault, in the order their answers come
        for c in pd.unique(column[given & at_fault[column]]):
            name, item_id = names[c // len(item_names)], item_names[c % len(item_names)]
            group = long.loc[given & (column == c), "response"]
            row = rows[item_id]
            accepted = (
                accepted_knowledge(row) if row["section"] == "knowledge" else accepted_reaction()
            )
            written = headers.get((name, item_id))
            shown = f"'{visible(written)}' ({item_id})" if written else item_id
            faults.setdefault(name, []).append(_column_fault(group, shown, accepted))
    knowledge = given & (long["section"] == "knowledge").to_numpy(dtype=bool)
    invalid = knowledge & (status == "invalid").to_numpy(dtype=bool)
    n_given = np.bincount(file_of[knowledge], minlength=len(names))
    n_invalid = np.bincount(file_of[invalid], minlength=len(names))
    for f in np.flatnonzero(n_invalid * 5 > n_given):
        name = names[f]
        invalid_answers = long.loc[invalid & (file_of == f), "response"].drop_duplicates()
        shown = ", ".join(f"'{visible(v)}'" for v in invalid_answers.head(3))
        faults.setdefault(name, []).append(
            f"{int(n_invalid[f])} of its {int(n_given[f])} knowledge answers (more than a "
            f"fifth) are not ones the codebook accepts (e.g. {shown}); accepted: a letter A-D, "
            "a choice name a-d, the option's text in a language of the codebook, or 'B) text'"
        )
    if faults:
        lines = [
            f"{responses / name}: " + "; ".join(found)
            for name in sorted(faults, key=lambda n: (n.casefold(), n))
            for found in [faults[name]]
        ]
        raise DataError(
            "answers that cannot be scored (a format fault, not invalid answers): the file "
            "holds answers in a form the codebook does not know, so no score of it would be "
            "right. Export the choices' texts or letters, or add the options' texts to "
            "instrument/codebook.csv (options_sq, options_en).\n" + "\n".join(lines)
        )


def count_answered(data: pd.DataFrame, long: pd.DataFrame) -> pd.DataFrame:
    """Add ``n_answered``: the knowledge items each questionnaire answered (not blank)."""
    answered = (long["section"] == "knowledge").to_numpy(dtype=bool) & (
        long["status"] != "blank"
    ).to_numpy(dtype=bool)
    at = pd.Index(data["row"]).get_indexer(long.loc[answered, "row"])
    return data.assign(n_answered=np.bincount(at, minlength=len(data)).astype(int))


def per_phase(q: pd.DataFrame) -> pd.Series:
    """How many questionnaires per workshop and phase."""
    return q.groupby(["workshop_id", "phase"]).size()


def exclude_without_code(data: pd.DataFrame, log: CleaningLog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Questionnaires with an empty code cannot be linked: ``(with a code, without)``, logged."""
    no_code = data["code"] == ""
    for r in data.loc[no_code].itertuples(index=False):
        log.add_for(
            r, "excluded_no_code", "participant_code is empty; the questionnaire cannot be linked"
        )
    return data.loc[~no_code], data.loc[no_code]


def choose_among_duplicates(q: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
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
        log.add_for(
            r,
            "duplicate_dropped",
            f"same code as {k.source_file} row {k.source_row}, which was kept ({why}); "
            f"answered {r.n_answered} vs {k.n_answered}",
        )
    return q.loc[order.index[first.to_numpy()]].sort_values("row")


def count_duplicates(
    received: pd.Series, kept: pd.DataFrame, without_code: pd.DataFrame
) -> pd.Series:
    """Duplicates dropped per workshop and phase: received, less kept, less those without code."""
    duplicates = received.sub(per_phase(kept), fill_value=0)
    return duplicates.sub(per_phase(without_code), fill_value=0)


def exclude_incomplete(
    q: pd.DataFrame, n_items: int, log: CleaningLog
) -> tuple[pd.DataFrame, dict[tuple[str, str], set[str]]]:
    """Rule 4: drop questionnaires answering fewer than half the ``n_items`` knowledge items.

    Returns the others and the excluded codes per ``(workshop_id, phase)``; each is logged.
    """
    incomplete = q["n_answered"] * 2 < n_items
    for r in q.loc[incomplete].itertuples(index=False):
        log.add_for(
            r,
            "excluded_incomplete",
            f"answered {r.n_answered} of {n_items} knowledge items (fewer than half)",
        )
    excluded_codes = q.loc[incomplete].groupby(["workshop_id", "phase"])["code"].agg(set).to_dict()
    return q.loc[~incomplete], excluded_codes
