"""Distractors: which options people chose, how their answers moved, and which wrong option
was chosen more after the workshop than before.

An answer's *choice* is its letter ``A``-``D`` when valid, ``blank`` when unanswered and
``invalid`` otherwise (the scoring rule counts the last two as wrong). Linked participants are
those with both phases in ``answers`` (as in ``tables``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .measures import holm, mcnemar_exact

__all__ = [
    "CHOICES",
    "LETTERS",
    "MIGRATIONS",
    "OPTION_COLUMNS",
    "MIGRATION_COLUMNS",
    "DISTRACTOR_COLUMNS",
    "answer_choices",
    "option_shares",
    "answer_migration",
    "distractor_shifts",
]

#: The options of a knowledge item.
LETTERS = ("A", "B", "C", "D")
#: Every choice an answer can be: the options, unanswered, and anything else.
CHOICES = (*LETTERS, "blank", "invalid")
#: How a linked participant's answer to an item moved from pre to post.
MIGRATIONS = ("stayed_correct", "learned", "forgot", "wrong_moved", "wrong_same")

#: Columns of ``option_shares``, in order.
OPTION_COLUMNS = [
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
MIGRATION_COLUMNS = ["item_id", "n_linked", *[f"n_{m}" for m in MIGRATIONS]]
#: Columns of ``distractor_shifts``, in order.
DISTRACTOR_COLUMNS = [
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


def answer_choices(answers: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Knowledge answers with their choice: ``workshop_id, participant_id, phase, item_id,
    choice, correct, linked``.

    ``choice`` is the upper-case letter of a valid answer, ``blank`` or ``invalid`` by the
    answer's status; ``linked`` is True for a participant with both phases in ``answers``.

    Example:
        >>> answer_choices(answers_w1, codebook)  # doctest: +SKIP
    """
    items = codebook.loc[codebook["section"] == "knowledge", "item_id"].astype(str)
    cols = ["workshop_id", "participant_id", "phase", "item_id", "response", "status", "correct"]
    a = answers.loc[answers["item_id"].astype(str).isin(items), cols]
    status = a["status"].astype(str)
    letter = a["response"].astype(str).str.strip().str.upper()
    choice = np.where(
        status == "valid", letter, np.where(status == "blank", "blank", "invalid")
    ).astype(object)
    choice = np.where(np.isin(choice, CHOICES), choice, "invalid").astype(object)
    key = a["workshop_id"].astype(str) + "\x1f" + a["participant_id"].astype(str)
    pre = set(key[a["phase"] == "pre"])
    post = set(key[a["phase"] == "post"])
    out = pd.DataFrame(
        {
            "workshop_id": a["workshop_id"].astype(str).to_numpy(),
            "participant_id": a["participant_id"].astype(str).to_numpy(),
            "phase": a["phase"].astype(str).to_numpy(),
            "item_id": a["item_id"].astype(str).to_numpy(),
            "choice": pd.array(choice, dtype="string"),
            "correct": a["correct"].astype("boolean").fillna(False).to_numpy(dtype=bool),
            "linked": key.isin(pre & post).to_numpy(dtype=bool),
        }
    )
    return out


def option_shares(answers: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Per item, phase and choice: how many chose it, among linked participants and all scored.

    One row per knowledge item (codebook order), phase (``pre``, ``post``) and choice
    (``CHOICES``: ``A``-``D``, ``blank``, ``invalid``), columns ``OPTION_COLUMNS``:
    ``is_key`` (the keyed answer), ``n_linked`` and ``pct_linked`` (percent of the linked
    participants), ``n_all`` and ``pct_all`` (percent of all scored questionnaires of the
    phase). Shares are ``100 * count / total`` (NaN for a total of 0).

    Reference: e.g. Haladyna, T. M., & Rodriguez, M. C. (2013). Developing and validating
    test items, ch. 9 (distractor analysis); ShinyItemAnalysis (Martinkova & Drabinova 2018).

    Example:
        >>> option_shares(answers_w1, codebook).query("item_id == 'K01'")  # doctest: +SKIP
    """
    kn = codebook.loc[codebook["section"] == "knowledge"]
    items = kn["item_id"].astype(str).tolist()
    keys = dict(zip(items, kn["key"].astype(str).str.strip().str.upper(), strict=True))
    c = answer_choices(answers, codebook)
    index = pd.MultiIndex.from_product(
        [items, ["pre", "post"], list(CHOICES)], names=["item_id", "phase", "choice"]
    )
    n_all = c.groupby(["item_id", "phase", "choice"]).size().reindex(index, fill_value=0)
    lk = c.loc[c["linked"]]
    n_linked = lk.groupby(["item_id", "phase", "choice"]).size().reindex(index, fill_value=0)
    tot_all = c.drop_duplicates(["phase", "workshop_id", "participant_id"]).groupby("phase").size()
    tot_linked = (
        lk.drop_duplicates(["phase", "workshop_id", "participant_id"]).groupby("phase").size()
    )
    out = index.to_frame(index=False)
    phases = out["phase"]
    den_all = phases.map(tot_all).fillna(0).to_numpy(dtype=float)
    den_linked = phases.map(tot_linked).fillna(0).to_numpy(dtype=float)
    out["is_key"] = [keys[i] == ch for i, ch in zip(out["item_id"], out["choice"], strict=True)]
    out["n_linked"] = n_linked.to_numpy(dtype=int)
    out["n_all"] = n_all.to_numpy(dtype=int)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["pct_linked"] = np.where(den_linked > 0, 100.0 * out["n_linked"] / den_linked, np.nan)
        out["pct_all"] = np.where(den_all > 0, 100.0 * out["n_all"] / den_all, np.nan)
    return out[OPTION_COLUMNS]


def _linked_wide(answers: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """One row per linked participant and item: ``item_id``, ``pre``/``post`` choice and
    ``pre_ok``/``post_ok`` (correct)."""
    c = answer_choices(answers, codebook)
    c = c.loc[c["linked"]]
    on = ["workshop_id", "participant_id", "item_id"]
    pre = c.loc[c["phase"] == "pre", [*on, "choice", "correct"]]
    post = c.loc[c["phase"] == "post", [*on, "choice", "correct"]]
    return pre.merge(post, on=on, suffixes=("_pre", "_post"), validate="one_to_one")


def answer_migration(answers: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Per item: how each linked participant's answer moved from the pre- to the post-test.

    Counts (columns ``MIGRATION_COLUMNS``) of ``stayed_correct`` (right both times),
    ``learned`` (wrong, then right), ``forgot`` (right, then wrong), ``wrong_moved`` (wrong
    both times, another choice after) and ``wrong_same`` (wrong both times, the same choice,
    blank and invalid counting as choices); the five add up to ``n_linked``. ``learned`` and
    ``forgot`` are the discordant pairs of ``item_table`` (``n_gained``, ``n_lost``).

    Example:
        >>> answer_migration(answers_w1, codebook)  # doctest: +SKIP
    """
    items = codebook.loc[codebook["section"] == "knowledge", "item_id"].astype(str).tolist()
    w = _linked_wide(answers, codebook)
    a, b = w["correct_pre"].to_numpy(bool), w["correct_post"].to_numpy(bool)
    same = (w["choice_pre"] == w["choice_post"]).to_numpy(bool)
    kind = np.select(
        [a & b, ~a & b, a & ~b, ~a & ~b & ~same],
        ["stayed_correct", "learned", "forgot", "wrong_moved"],
        default="wrong_same",
    )
    counts = pd.crosstab(w["item_id"].to_numpy(), kind).reindex(
        index=items, columns=list(MIGRATIONS), fill_value=0
    )
    counts = counts.fillna(0).astype(int)
    out = pd.DataFrame({"item_id": items, "n_linked": counts.sum(axis=1).to_numpy(dtype=int)})
    for mig in MIGRATIONS:
        out[f"n_{mig}"] = counts[mig].to_numpy(dtype=int)
    return out[MIGRATION_COLUMNS]


def distractor_shifts(
    answers: pd.DataFrame, codebook: pd.DataFrame, *, alpha: float = 0.05
) -> pd.DataFrame:
    """Per item and wrong option: chosen by more linked participants after than before?

    For each item and each option ``A``-``D`` that is not the key, among the linked
    participants: ``n_pre``/``n_post`` chose it in the phase; ``n_left`` chose it before and
    not after, ``n_joined`` after and not before (the discordant pairs of "chose this option"
    vs "did not"); ``mcnemar_p`` the exact McNemar test of ``n_left`` vs ``n_joined``
    (``measures.mcnemar_exact``), ``mcnemar_p_holm`` Holm-adjusted across every item's
    distractors (the family of all ``3 k`` tests); ``increased`` is ``n_joined > n_left``
    (more chose it after) and ``flagged`` an increase with ``mcnemar_p_holm < alpha``, a
    misconception the training may have reinforced. Columns ``DISTRACTOR_COLUMNS``; items in
    codebook order, options in letter order.

    References: McNemar, Q. (1947). Psychometrika 12, 153-157; Holm, S. (1979). Scand. J.
    Stat. 6, 65-70.

    Example:
        >>> d = distractor_shifts(answers_w1, codebook)  # doctest: +SKIP
        >>> d.loc[d["increased"], ["item_id", "choice", "n_pre", "n_post"]]  # doctest: +SKIP
    """
    kn = codebook.loc[codebook["section"] == "knowledge"]
    items = kn["item_id"].astype(str).tolist()
    keys = dict(zip(items, kn["key"].astype(str).str.strip().str.upper(), strict=True))
    w = _linked_wide(answers, codebook)
    by_item = dict(iter(w.groupby("item_id", sort=False)))
    rows = []
    for item in items:
        g = by_item.get(item, w.iloc[:0])
        pre = g["choice_pre"].to_numpy(dtype=object)
        post = g["choice_post"].to_numpy(dtype=object)
        for letter in LETTERS:
            if letter == keys[item]:
                continue
            a, b = pre == letter, post == letter
            left, joined = int((a & ~b).sum()), int((~a & b).sum())
            rows.append(
                {
                    "item_id": item,
                    "choice": letter,
                    "n_linked": len(g),
                    "n_pre": int(a.sum()),
                    "n_post": int(b.sum()),
                    "n_left": left,
                    "n_joined": joined,
                    "mcnemar_p": mcnemar_exact(left, joined)["p_value"] if len(g) else np.nan,
                }
            )
    out = pd.DataFrame(rows, columns=DISTRACTOR_COLUMNS[:-3])
    out["mcnemar_p_holm"] = holm(out["mcnemar_p"]) if len(out) else []
    out["increased"] = out["n_joined"] > out["n_left"]
    out["flagged"] = out["increased"] & (out["mcnemar_p_holm"] < alpha)
    return out[DISTRACTOR_COLUMNS]
