"""The language versions of the questionnaire compared, item by item, as a translation check."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .distractors import group_codes

__all__ = ["MIN_VERSION_N", "DIFFICULTY_MARGIN", "PHASES", "item_language_table"]

#: A language version is shown only with at least this many scored questionnaires of a phase
#: (the report's minimum cell size).
MIN_VERSION_N = 5
#: Percentage points between two versions' percent correct above which an item is flagged.
DIFFICULTY_MARGIN = 20.0
PHASES = ("pre", "post")


def item_language_table(
    answers: pd.DataFrame,
    scores: pd.DataFrame,
    codebook: pd.DataFrame,
    margin: float = DIFFICULTY_MARGIN,
    min_n: int = MIN_VERSION_N,
    *,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Difficulty of each knowledge item in each language version of the questionnaire.

    Per item and phase, among the scored questionnaires answered in a known language
    (``scores["response_language"]``), the percent correct in each version,

    .. math:: p_{\ell} = 100 \cdot \frac{1}{n_\ell} \sum_{i \in \ell} x_i,

    with :math:`x_i` 1 for a correct answer (blank and invalid count as wrong, as in the
    score), and the spread between the versions, :math:`\max_\ell p_\ell - \min_m p_m`. An
    item is flagged when the versions differ by more than ``margin`` points in both tests and
    in the same direction: a wording that reads differently does so before and after the
    workshop, while chance differences of groups this small (about 25 points for two groups of
    8 at 50%) rarely repeat. Only versions with at least ``min_n`` questionnaires in each phase
    take part (smaller ones are not shown, as any subgroup), so the table is empty unless two
    versions reach it. Descriptive, a check of the translation in the spirit of a differential
    item functioning screen by proportions correct (Holland & Wainer, 1993): the versions differ
    in who chose them as well as in wording, so no test is made.

    Returns one row per item: ``item_id``, for each phase and version ``n_<phase>_<lang>`` and
    ``pct_<phase>_<lang>``, ``diff_pre`` and ``diff_post`` (the spread, signed as the first
    version minus the second when there are two), and ``flag``.

    Parameters
    ----------
    answers, scores, codebook
        The processed answers and scores (joined on ``participant_id`` and ``phase``) and the
        codebook.
    margin, min_n
        The flagging margin (points) and the smallest version shown (questionnaires a phase).
    by
        None: all rows are one group. A column of ``answers`` and ``scores`` (e.g.
        ``"workshop_id"``), not one of the table's: the table of each group, the column
        first; each group's versions are its own. A group with fewer than two versions shown
        has no rows. When the groups' versions differ, the table has the columns of every
        version shown anywhere (pre columns, ``diff_pre``, post columns, ``diff_post``,
        ``flag``; versions sorted) and a group's rows are empty (NaN) in the columns of
        versions it does not show, which makes those ``n_`` columns float.
    groups
        With ``by``, the groups in the order wanted (default: the order of first appearance in
        ``answers``).

    Examples
    --------
    >>> ids = list("abcdefghij")
    >>> ans = pd.DataFrame({"participant_id": ids * 2, "phase": ["pre"] * 10 + ["post"] * 10,
    ...     "item_id": "K1", "correct": ([True] * 5 + [False] * 4 + [True]) * 2})
    >>> sc = pd.DataFrame({"participant_id": ids * 2, "phase": ["pre"] * 10 + ["post"] * 10,
    ...     "response_language": (["sq"] * 5 + ["sr"] * 5) * 2})
    >>> cb = pd.DataFrame({"item_id": ["K1"], "section": ["knowledge"]})
    >>> row = item_language_table(ans, sc, cb).iloc[0]
    >>> [row[c].item() for c in ("pct_pre_sq", "pct_pre_sr", "n_post_sr", "diff_pre", "flag")]
    [100.0, 20.0, 5, 80.0, True]
    >>> two = item_language_table(ans.assign(w="W1"), sc.assign(w="W1"), cb, by="w",
    ...     groups=["W0", "W1"])
    >>> two[["w", "item_id", "diff_pre"]].to_dict("records")
    [{'w': 'W1', 'item_id': 'K1', 'diff_pre': 80.0}]
    """
    fixed = ("item_id", "diff_pre", "diff_post", "flag")
    if by is not None and (
        by in fixed or by.startswith(("n_pre_", "pct_pre_", "n_post_", "pct_post_"))
    ):
        raise ValueError(f"by={by!r} is a column of the table; group by another column")
    codes, labels = group_codes(answers, by, groups)
    n_groups = 1 if labels is None else len(labels)
    knowledge = codebook.loc[codebook["section"] == "knowledge", "item_id"].tolist()
    empty = pd.DataFrame(columns=["item_id", "diff_pre", "diff_post", "flag"])
    if by is not None:
        empty.insert(0, by, labels[:0])
    if "response_language" not in scores or scores["response_language"].isna().all():
        return empty
    # the scored questionnaires of a known language, and the versions each group shows
    sc_codes = group_codes(scores, by, None if labels is None else list(labels))[0]
    known = scores["response_language"].notna().to_numpy(dtype=bool) & (sc_codes >= 0)
    lang = scores.loc[known, ["participant_id", "phase", "response_language"]]
    lang = lang.assign(_g=sc_codes[known])
    names = sorted(lang["response_language"].unique())
    n_langs = len(names)
    lang_code = pd.Index(names).get_indexer(lang["response_language"])
    phase = pd.Index(PHASES).get_indexer(lang["phase"])
    ok = phase >= 0
    slot = (lang["_g"].to_numpy() * n_langs + lang_code) * len(PHASES) + phase
    sizes = np.bincount(slot[ok], minlength=n_groups * n_langs * len(PHASES))
    shown = (sizes.reshape(n_groups, n_langs, len(PHASES)) >= min_n).all(axis=2)
    kept = np.flatnonzero(shown.sum(axis=1) >= 2)
    if len(kept) == 0:
        return empty
    # every knowledge answer of a shown version: x = 1 if correct
    lang = lang.loc[shown[lang["_g"].to_numpy(), lang_code]]
    keep = answers["item_id"].isin(knowledge).to_numpy(dtype=bool) & (codes >= 0)
    rows = (
        answers.loc[keep].assign(_g=codes[keep]).merge(lang, on=["_g", "participant_id", "phase"])
    )
    phase = pd.Index(PHASES).get_indexer(rows["phase"])
    ok = phase >= 0
    n_items = len(knowledge)
    item = pd.Index(knowledge).get_indexer(rows["item_id"])
    version = pd.Index(names).get_indexer(rows["response_language"])
    cell = ((rows["_g"].to_numpy() * n_items + item) * len(PHASES) + phase) * n_langs + version
    cell = cell[ok]
    x = rows["correct"].fillna(False).astype(float).to_numpy()[ok]
    size = n_groups * n_items * len(PHASES) * n_langs
    shape = (n_groups, n_items, len(PHASES), n_langs)
    n = np.bincount(cell, minlength=size).reshape(shape)
    total = np.bincount(cell, weights=x, minlength=size).reshape(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(n > 0, 100.0 * (total / n), np.nan)
    # one block of rows per set of versions shown (groups sharing it side by side)
    sets, which = np.unique(shown[kept], axis=0, return_inverse=True)
    blocks = []
    for s, versions in enumerate(sets):
        members = kept[which.ravel() == s]
        g = np.repeat(members, n_items)
        i = np.tile(np.arange(n_items), len(members))
        out = pd.DataFrame({"item_id": knowledge}).take(i).reset_index(drop=True)
        v_idx = np.flatnonzero(versions)
        directions = {}
        for p, ph in enumerate(PHASES):
            for v in v_idx:
                out[f"n_{ph}_{names[v]}"] = n[g, i, p, v]
                out[f"pct_{ph}_{names[v]}"] = pct[g, i, p, v]
            values = out[[f"pct_{ph}_{names[v]}" for v in v_idx]].to_numpy()
            spread = values.max(axis=1) - values.min(axis=1)
            out[f"diff_{ph}"] = spread if len(v_idx) > 2 else values[:, 0] - values[:, 1]
            directions[ph] = (values.argmax(axis=1), values.argmin(axis=1))
        big = (out["diff_pre"].abs() > margin) & (out["diff_post"].abs() > margin)
        same = (directions["pre"][0] == directions["post"][0]) & (
            directions["pre"][1] == directions["post"][1]
        )
        out["flag"] = big & pd.Series(same, index=out.index)
        blocks.append(out.assign(_g=g))
    out = pd.concat(blocks, ignore_index=True) if len(blocks) > 1 else blocks[0]
    shown_anywhere = [names[v] for v in np.flatnonzero(sets.any(axis=0))]
    columns = ["item_id"]
    for ph in PHASES:
        columns += [f"{k}_{ph}_{v}" for v in shown_anywhere for k in ("n", "pct")]
        columns.append(f"diff_{ph}")
    columns.append("flag")
    order = np.argsort(out["_g"].to_numpy(), kind="stable")
    g = out["_g"].to_numpy()[order]
    out = out.take(order).reset_index(drop=True)[columns]
    if by is not None:
        out.insert(0, by, labels.take(g))
    return out
