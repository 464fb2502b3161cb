"""Distractors: which options people chose, how their answers moved, and which wrong option
was chosen more after the workshop than before.

An answer's *choice* is its letter ``A``-``D`` when valid, ``blank`` when unanswered and
``invalid`` otherwise (the scoring rule counts the last two as wrong). Linked participants are
those with both phases in ``answers`` (as in ``tables``).

Every function computes one group of rows or many in one call: with ``by=None`` (the default)
all the rows given are one group and the result has no group column; with ``by`` (a column of
``answers``, e.g. ``"workshop_id"``) each group's rows are a result of their own, the group
column comes first and the groups follow each other in the order of ``groups`` (default: the
order of their first appearance in ``answers``). A group's rows are exactly what ``by=None``
gives on that group's rows alone (it is the same code: ``by=None`` is the one-group case), and
a group of ``groups`` without rows gets what the function gives on no rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .groups import by_column
from .measures import holm, mcnemar_exact

__all__ = [
    "LETTERS",
    "MIGRATIONS",
    "group_codes",
    "answer_choices",
    "option_shares",
    "answer_migration",
    "distractor_shifts",
]

#: The options of a knowledge item.
LETTERS = ("A", "B", "C", "D")
#: Every choice an answer can be: the options, unanswered, and anything else.
_CHOICES = (*LETTERS, "blank", "invalid")
#: How a linked participant's answer to an item moved from pre to post.
MIGRATIONS = ("stayed_correct", "learned", "forgot", "wrong_moved", "wrong_same")
#: The tests, in the order of the tables.
_PHASES = ("pre", "post")

#: Columns of ``option_shares``, in order.
_OPTION_COLUMNS = [
    "item_id",
    "phase",
    "choice",
    "is_key",
    "n_linked",
    "pct_linked",
    "n_all",
    "pct_all",
]
#: Columns of ``answer_migration``, in order.
_MIGRATION_COLUMNS = ["item_id", "n_linked", *[f"n_{m}" for m in MIGRATIONS]]
#: Columns of ``distractor_shifts``, in order.
_DISTRACTOR_COLUMNS = [
    "item_id",
    "choice",
    "n_linked",
    "n_pre",
    "n_post",
    "n_left",
    "n_joined",
    "mcnemar_p",
    "mcnemar_p_holm",
    "increased",
    "flagged",
]


def group_codes(
    frame: pd.DataFrame, by: str | None, groups: Sequence[str] | None = None
) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray | None]:
    """The group of each row of ``frame``: ``(codes, labels)``.

    The groups of :func:`analysis.stats.groups.by_column`, with their ids as an array of the
    column's dtype: with ``by=None`` every row is in the one group (``codes`` 0, ``labels``
    None); with ``by`` a column of ``frame``, ``labels`` are ``groups`` (default: the column's
    values in the order of their first appearance, missing values left out) and ``codes[i]``
    is the position of row ``i``'s value in ``labels``, -1 for a row of no listed group.

    Example:
        >>> f = pd.DataFrame({"w": ["W2", "W1", "W2"]})
        >>> codes, labels = group_codes(f, "w")
        >>> codes.tolist(), list(labels)
        ([0, 1, 0], ['W2', 'W1'])
        >>> group_codes(f, "w", ["W1", "W9"])[0].tolist()
        [-1, 0, -1]
    """
    if by is None and groups is not None:
        raise ValueError("groups are given without a column to group by (by)")
    if groups is not None and len(set(map(str, groups))) < len(groups):
        raise ValueError(f"groups name a group twice: {list(groups)}")
    g = by_column(frame, by, groups)  # the one numbering of groups (stats.groups)
    if not g.grouped:
        return g.codes, None
    return g.codes, pd.array(list(g.ids), dtype=frame[by].dtype)


def _check_by(by: str | None, columns: Sequence[str]) -> None:
    """Refuse a group column that is a column of the table (its values would be the table's)."""
    if by is not None and by in columns:
        raise ValueError(f"by={by!r} is a column of the table; group by another column")


def _n_groups(labels: pd.api.extensions.ExtensionArray | None) -> int:
    return 1 if labels is None else len(labels)


def _by_first(
    out: pd.DataFrame,
    by: str | None,
    labels: pd.api.extensions.ExtensionArray | None,
    codes: np.ndarray,
) -> pd.DataFrame:
    """``out`` (rows already in group order, ``codes`` their groups) with the group column
    ``by`` first (moved there when ``out`` has it); unchanged for ``by=None``."""
    if by is None:
        return out
    if by in out.columns:
        return out[[by, *(c for c in out.columns if c != by)]]
    out = out.copy()
    out.insert(0, by, labels.take(codes))
    return out


def _knowledge(codebook: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """The knowledge items in codebook order and each one's key (upper case)."""
    kn = codebook.loc[codebook["section"] == "knowledge"]
    items = kn["item_id"].astype(str).tolist()
    keys = dict(zip(items, kn["key"].astype(str).str.strip().str.upper(), strict=True))
    return items, keys


def _choices(
    answers: pd.DataFrame, codebook: pd.DataFrame, by: str | None, groups: Sequence[str] | None
) -> tuple[pd.DataFrame, np.ndarray, pd.api.extensions.ExtensionArray | None]:
    """``answer_choices`` without the group column: the frame (rows in group order, then in
    the order of ``answers``), each row's group code and the group labels."""
    codes, labels = group_codes(answers, by, groups)
    items = codebook.loc[codebook["section"] == "knowledge", "item_id"].astype(str)
    keep = answers["item_id"].astype(str).isin(items).to_numpy(dtype=bool) & (codes >= 0)
    rows = np.flatnonzero(keep)
    rows = rows[np.argsort(codes[rows], kind="stable")]
    g = codes[rows]
    cols = ["workshop_id", "participant_id", "phase", "item_id", "response", "status", "correct"]
    a = answers[cols].iloc[rows]
    status = a["status"].astype(str)
    letter = a["response"].astype(str).str.strip().str.upper()
    choice = np.where(
        status == "valid", letter, np.where(status == "blank", "blank", "invalid")
    ).astype(object)
    choice = np.where(np.isin(choice, _CHOICES), choice, "invalid").astype(object)
    # a participant is one (group, workshop, participant); linked with both phases in the group
    workshop = pd.factorize(a["workshop_id"], use_na_sentinel=False)[0]
    participant = pd.factorize(a["participant_id"], use_na_sentinel=False)[0]
    n_w, n_p = int(workshop.max(initial=0)) + 1, int(participant.max(initial=0)) + 1
    person = pd.factorize((g.astype(np.int64) * n_w + workshop) * n_p + participant)[0]
    phase = a["phase"].astype(str).to_numpy()
    n_people = int(person.max()) + 1 if len(person) else 0
    has_pre = np.bincount(person[phase == "pre"], minlength=n_people) > 0
    has_post = np.bincount(person[phase == "post"], minlength=n_people) > 0
    out = pd.DataFrame(
        {
            "workshop_id": a["workshop_id"].astype(str).to_numpy(),
            "participant_id": a["participant_id"].astype(str).to_numpy(),
            "phase": phase,
            "item_id": a["item_id"].astype(str).to_numpy(),
            "choice": pd.array(choice, dtype="string"),
            "correct": a["correct"].astype("boolean").fillna(False).to_numpy(dtype=bool),
            "linked": (has_pre & has_post)[person],
        }
    )
    return out, g, labels


def answer_choices(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Knowledge answers with their choice: ``workshop_id, participant_id, phase, item_id,
    choice, correct, linked``.

    ``choice`` is the upper-case letter of a valid answer, ``blank`` or ``invalid`` by the
    answer's status; ``linked`` is True for a participant with both phases in ``answers``
    (with ``by``: in the group's rows).

    Parameters
    ----------
    answers, codebook
        The processed answers (any rows) and the codebook.
    by
        None: all rows are one group. A column of ``answers`` (e.g. ``"workshop_id"``): the
        rows group by group, the column first (moved there when it is already a column).
    groups
        With ``by``, the groups in the order wanted (default: the order of first appearance);
        rows of other groups are left out.

    Example:
        >>> answer_choices(answers_w1, codebook)  # doctest: +SKIP
    """
    out, g, labels = _choices(answers, codebook, by, groups)
    return _by_first(out, by, labels, g)


def option_shares(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Per item, phase and choice: how many chose it, among linked participants and all scored.

    One row per knowledge item (codebook order), phase (``pre``, ``post``) and choice
    (``_CHOICES``: ``A``-``D``, ``blank``, ``invalid``), columns ``_OPTION_COLUMNS``:
    ``is_key`` (the keyed answer), ``n_linked`` and ``pct_linked`` (percent of the linked
    participants), ``n_all`` and ``pct_all`` (percent of all scored questionnaires of the
    phase). Shares are

    .. math:: \mathrm{pct} = 100 \cdot \frac{\mathrm{count}}{\mathrm{total}}

    (NaN for a total of 0).

    Parameters
    ----------
    answers, codebook
        The processed answers and the codebook.
    by
        None: all rows are one group. A column of ``answers`` (e.g. ``"workshop_id"``), not
        one of the table's: the table of each group, the column first; the totals and the
        linking are the group's.
    groups
        With ``by``, the groups in the order wanted (default: the order of first appearance);
        a group without rows gets zero counts and NaN shares.

    Reference: e.g. Haladyna, T. M., & Rodriguez, M. C. (2013). Developing and validating
    test items, ch. 9 (distractor analysis); ShinyItemAnalysis (Martinkova & Drabinova 2018).

    Example:
        >>> option_shares(answers_w1, codebook).query("item_id == 'K01'")  # doctest: +SKIP
    """
    _check_by(by, _OPTION_COLUMNS)
    items, keys = _knowledge(codebook)
    c, g, labels = _choices(answers, codebook, by, groups)
    n_groups, n_items = _n_groups(labels), len(items)
    cells = n_items * len(_PHASES) * len(_CHOICES)
    item = pd.Index(items).get_indexer(c["item_id"])
    phase = pd.Index(_PHASES).get_indexer(c["phase"])
    choice = pd.Index(_CHOICES).get_indexer(c["choice"])
    cell = ((g * n_items + item) * len(_PHASES) + phase) * len(_CHOICES) + choice
    ok = phase >= 0
    linked = c["linked"].to_numpy(dtype=bool)
    n_all = np.bincount(cell[ok], minlength=n_groups * cells)
    n_linked = np.bincount(cell[ok & linked], minlength=n_groups * cells)
    # the totals: scored questionnaires (all, linked) of each group and phase
    person = ~c.assign(_g=g).duplicated(["_g", "phase", "workshop_id", "participant_id"])
    person = person.to_numpy(dtype=bool)
    slot = g * len(_PHASES) + phase
    tot_all = np.bincount(slot[ok & person], minlength=n_groups * len(_PHASES))
    tot_linked = np.bincount(slot[ok & person & linked], minlength=n_groups * len(_PHASES))
    index = pd.MultiIndex.from_product(
        [items, list(_PHASES), list(_CHOICES)], names=["item_id", "phase", "choice"]
    )
    template = index.to_frame(index=False)
    row = np.tile(np.arange(cells), n_groups)
    group = np.repeat(np.arange(n_groups), cells)
    out = template.take(row).reset_index(drop=True)
    den_slot = group * len(_PHASES) + (row // len(_CHOICES)) % len(_PHASES)
    den_all = tot_all[den_slot].astype(float)
    den_linked = tot_linked[den_slot].astype(float)
    is_key = [keys[i] == ch for i, ch in zip(template["item_id"], template["choice"], strict=True)]
    out["is_key"] = np.array(is_key, dtype=bool)[row]
    out["n_linked"] = n_linked.astype(int)
    out["n_all"] = n_all.astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["pct_linked"] = np.where(den_linked > 0, 100.0 * out["n_linked"] / den_linked, np.nan)
        out["pct_all"] = np.where(den_all > 0, 100.0 * out["n_all"] / den_all, np.nan)
    return _by_first(out[_OPTION_COLUMNS], by, labels, group)


def _linked_wide(
    answers: pd.DataFrame, codebook: pd.DataFrame, by: str | None, groups: Sequence[str] | None
) -> tuple[pd.DataFrame, pd.api.extensions.ExtensionArray | None]:
    """One row per linked participant and item, in group order: ``_g`` (the group code),
    ``item_id``, ``choice_pre``/``choice_post`` and ``correct_pre``/``correct_post``; and the
    group labels."""
    c, g, labels = _choices(answers, codebook, by, groups)
    c = c.assign(_g=g).loc[c["linked"].to_numpy(dtype=bool)]
    on = ["_g", "workshop_id", "participant_id", "item_id"]
    pre = c.loc[c["phase"] == "pre", [*on, "choice", "correct"]]
    post = c.loc[c["phase"] == "post", [*on, "choice", "correct"]]
    wide = pre.merge(post, on=on, suffixes=("_pre", "_post"), validate="one_to_one")
    return wide, labels


def answer_migration(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per item: how each linked participant's answer moved from the pre- to the post-test.

    Counts (columns ``_MIGRATION_COLUMNS``) of ``stayed_correct`` (right both times),
    ``learned`` (wrong, then right), ``forgot`` (right, then wrong), ``wrong_moved`` (wrong
    both times, another choice after) and ``wrong_same`` (wrong both times, the same choice,
    blank and invalid counting as choices); the five add up to ``n_linked``. ``learned`` and
    ``forgot`` are the discordant pairs of ``item_table`` (``n_gained``, ``n_lost``).

    Parameters
    ----------
    answers, codebook
        The processed answers and the codebook.
    by
        None: all rows are one group. A column of ``answers`` (e.g. ``"workshop_id"``), not
        one of the table's: the counts of each group, the column first; the linking is the
        group's.
    groups
        With ``by``, the groups in the order wanted (default: the order of first appearance);
        a group without rows gets zero counts.

    Reference: the discordant pairs of McNemar, Q. (1947). Psychometrika 12, 153-157;
    distractor analysis as in Haladyna & Rodriguez (2013), ch. 9.

    Example:
        >>> answer_migration(answers_w1, codebook)  # doctest: +SKIP
    """
    _check_by(by, _MIGRATION_COLUMNS)
    items = codebook.loc[codebook["section"] == "knowledge", "item_id"].astype(str).tolist()
    w, labels = _linked_wide(answers, codebook, by, groups)
    n_groups, n_items, n_kinds = _n_groups(labels), len(items), len(MIGRATIONS)
    a, b = w["correct_pre"].to_numpy(bool), w["correct_post"].to_numpy(bool)
    same = (w["choice_pre"] == w["choice_post"]).to_numpy(bool)
    kind = np.select([a & b, ~a & b, a & ~b, ~a & ~b & ~same], [0, 1, 2, 3], default=4)
    item = pd.Index(items).get_indexer(w["item_id"])
    cell = (w["_g"].to_numpy(dtype=np.intp) * n_items + item) * n_kinds + kind
    counts = np.bincount(cell, minlength=n_groups * n_items * n_kinds).reshape(-1, n_kinds)
    group = np.repeat(np.arange(n_groups), n_items)
    out = pd.DataFrame({"item_id": items}).take(np.tile(np.arange(n_items), n_groups))
    out = out.reset_index(drop=True)
    out["n_linked"] = counts.sum(axis=1).astype(int)
    for j, mig in enumerate(MIGRATIONS):
        out[f"n_{mig}"] = counts[:, j].astype(int)
    return _by_first(out[_MIGRATION_COLUMNS], by, labels, group)


def distractor_shifts(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    alpha: float = 0.05,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per item and wrong option: chosen by more linked participants after than before?

    For each item and each option ``A``-``D`` that is not the key, among the linked
    participants: ``n_pre``/``n_post`` chose it in the phase; ``n_left`` chose it before and
    not after, ``n_joined`` after and not before (the discordant pairs of "chose this option"
    vs "did not"); ``mcnemar_p`` the exact McNemar test of ``n_left`` vs ``n_joined``,
    ``p = min(1, 2 * Binom.cdf(min(b, c); b + c, 1/2))`` (``measures.mcnemar_exact``; NaN for
    an item without linked participants), ``mcnemar_p_holm`` Holm-adjusted across every
    item's distractors (the family of all ``3 k`` tests; ``measures.holm``); ``increased`` is
    ``n_joined > n_left`` (more chose it after) and ``flagged`` an increase with
    ``mcnemar_p_holm < alpha``, a misconception the training may have reinforced. Columns
    ``_DISTRACTOR_COLUMNS``; items in codebook order, options in letter order.

    Parameters
    ----------
    answers, codebook
        The processed answers and the codebook.
    alpha
        The level of ``flagged``.
    by
        None: all rows are one group. A column of ``answers`` (e.g. ``"workshop_id"``), not
        one of the table's: the table of each group, the column first; the linking is the
        group's and the Holm family is the group's tests.
    groups
        With ``by``, the groups in the order wanted (default: the order of first appearance);
        a group without rows gets zero counts and NaN p-values.

    References: McNemar, Q. (1947). Psychometrika 12, 153-157; Holm, S. (1979). Scand. J.
    Stat. 6, 65-70.

    Example:
        >>> d = distractor_shifts(answers_w1, codebook)  # doctest: +SKIP
        >>> d.loc[d["increased"], ["item_id", "choice", "n_pre", "n_post"]]  # doctest: +SKIP
    """
    _check_by(by, _DISTRACTOR_COLUMNS)
    items, keys = _knowledge(codebook)
    w, labels = _linked_wide(answers, codebook, by, groups)
    n_groups, n_items, n_letters = _n_groups(labels), len(items), len(LETTERS)
    # the (item, wrong option) rows of one group
    pairs = [
        (i, j) for i, item in enumerate(items) for j, x in enumerate(LETTERS) if x != keys[item]
    ]
    t_item = np.array([i for i, _ in pairs], dtype=np.intp)
    t_letter = np.array([j for _, j in pairs], dtype=np.intp)
    group = np.repeat(np.arange(n_groups), len(pairs))
    slot = group * n_items + np.tile(t_item, n_groups)
    cell = slot * n_letters + np.tile(t_letter, n_groups)
    # the counts, per group, item and option
    gi = w["_g"].to_numpy(dtype=np.intp) * n_items + pd.Index(items).get_indexer(w["item_id"])
    pre = pd.Index(LETTERS).get_indexer(w["choice_pre"])
    post = pd.Index(LETTERS).get_indexer(w["choice_post"])
    moved = pre != post
    size = n_groups * n_items * n_letters

    def count(letter: np.ndarray, where: np.ndarray) -> np.ndarray:
        ok = where & (letter >= 0)
        return np.bincount(gi[ok] * n_letters + letter[ok], minlength=size)[cell]

    everyone = np.ones(len(w), dtype=bool)
    n_linked = np.bincount(gi, minlength=n_groups * n_items)[slot]
    left, joined = count(pre, moved), count(post, moved)
    # exact McNemar, once per distinct (left, joined)
    tested = n_linked > 0
    base = int(joined.max(initial=0)) + 1
    distinct, back = np.unique(left[tested] * base + joined[tested], return_inverse=True)
    p_distinct = [mcnemar_exact(*divmod(int(x), base))["p_value"] for x in distinct]
    p = np.full(len(cell), np.nan)
    p[tested] = np.asarray(p_distinct, dtype=float)[back.ravel()]
    # Holm within each group (each group's rows are one block of len(pairs))
    p_holm = np.full(len(cell), np.nan)
    for start in range(0, len(cell), max(len(pairs), 1)):
        block = slice(start, start + len(pairs))
        p_holm[block] = holm(p[block])
    template = pd.DataFrame(
        {"item_id": [items[i] for i in t_item], "choice": [LETTERS[j] for j in t_letter]}
    )
    out = template.take(np.tile(np.arange(len(pairs)), n_groups)).reset_index(drop=True)
    out["n_linked"] = n_linked.astype(int)
    out["n_pre"] = count(pre, everyone)
    out["n_post"] = count(post, everyone)
    out["n_left"] = left
    out["n_joined"] = joined
    out["mcnemar_p"] = p
    out["mcnemar_p_holm"] = p_holm
    out["increased"] = out["n_joined"] > out["n_left"]
    out["flagged"] = out["increased"] & (out["mcnemar_p_holm"] < alpha)
    return _by_first(out[_DISTRACTOR_COLUMNS], by, labels, group)
