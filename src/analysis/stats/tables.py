"""Tables on processed frames: knowledge matrix, KR-20 by phase, topics, items, reaction.

Every function takes the rows wanted: one workshop's rows for a workshop's tables, every row
for the pooled picture; or, with ``by="workshop_id"``, every workshop's rows, for every
workshop's table in one call by the same code (``groups``: the rules). The statistics are those
of ``measures``; the knowledge questionnaires' 0/1 matrix is built once
(``scored_questionnaires``).

"Linked" participants are those with a scored pre *and* a scored post questionnaire under the
same ``participant_id`` (the clean step gives a linked pair one pseudonym, and an unlinked
questionnaire a pseudonym of its own), i.e. exactly the rows of the ``paired`` table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .groups import Groups, by_column, group_medians, group_sums
from .measures import (
    PAIRED_KEYS,
    as_float_array,
    holm,
    item_total_correlation,
    kr20,
    mcnemar_exact,
    mean_ci,
    paired_summary,
)

__all__ = [
    "Questionnaires",
    "scored_questionnaires",
    "knowledge_matrix",
    "kr20_by_phase",
    "topic_table",
    "item_table",
    "reaction_summary",
    "ZERO_TOLERANCE",
    "phase_means",
]

#: Columns of ``topic_table``, in order.
_TOPIC_COLUMNS = ["topic", "n_items", *PAIRED_KEYS, "t_p_holm", "wilcoxon_p_holm"]

#: Columns of ``item_table``, in order.
_ITEM_COLUMNS = [
    "item_id",
    "topic",
    "n_paired",
    "pre_pct_correct",
    "post_pct_correct",
    "change_pct",
    "n_lost",
    "n_gained",
    "mcnemar_p",
    "mcnemar_p_holm",
    "n_pre",
    "n_post",
    "difficulty_pre",
    "difficulty_post",
    "discrimination_pre",
    "discrimination_post",
    "ceiling",
    "negative_discrimination",
]

#: Below this magnitude a correlation counts as zero (floating-point rounding of an exact 0).
ZERO_TOLERANCE = 1e-9

#: Columns of ``reaction_summary``, in order.
_REACTION_COLUMNS = [
    "item_id",
    "text_en",
    "n",
    "n_missing",
    *[f"n_{v}" for v in range(1, 6)],
    *[f"pct_{v}" for v in range(1, 6)],
    "pct_agree",
    "median",
]


def _knowledge_items(codebook: pd.DataFrame) -> pd.DataFrame:
    """The codebook's knowledge items: columns ``item_id``, ``topic`` (codebook order)."""
    return codebook.loc[codebook["section"] == "knowledge", ["item_id", "topic"]]


def _mask(values: pd.Series, equal_to: str) -> np.ndarray:
    """``values == equal_to`` as a bool array, missing values False."""
    return (values == equal_to).to_numpy(dtype=bool, na_value=False)


@dataclass(frozen=True)
class Questionnaires:
    """Every scored knowledge questionnaire (pre and post) of some answers, one row each, in
    order of first appearance: its 0/1 answers (``matrix``, columns ``items``), group, phase
    (``post``: 1 for the post-test), workshop and participant, and ``person``, one code per
    participant of a workshop (a pre and a post questionnaire of the same person share it)."""

    items: list[str]
    matrix: np.ndarray
    group: np.ndarray
    post: np.ndarray
    workshop: np.ndarray
    participant: np.ndarray
    person: np.ndarray

    @property
    def group_phase(self) -> np.ndarray:
        """Each row's group and phase as one code: ``2 group + post``."""
        return 2 * self.group + self.post


def scored_questionnaires(
    answers: pd.DataFrame, codebook: pd.DataFrame, codes: np.ndarray
) -> Questionnaires:
    """The 0/1 matrix of every scored knowledge questionnaire in ``answers`` (both phases).

    One row per questionnaire (workshop, participant, phase), in order of first appearance;
    one column per knowledge item of the codebook; a missing ``correct`` (should not occur for
    knowledge items) counts as incorrect, like the scoring rule for unanswered and invalid
    answers. ``codes`` gives each answer row's group (``groups.Groups.codes``); a
    questionnaire is in the group of its first row, and left out when that is -1.

    Example:
        >>> every = np.zeros(len(answers), dtype=int)  # doctest: +SKIP
        >>> scored_questionnaires(answers, codebook, every).matrix.shape  # doctest: +SKIP
        (58, 20)
    """
    items = _knowledge_items(codebook)["item_id"].astype(str).tolist()
    on = answers["item_id"].isin(items).to_numpy(dtype=bool, na_value=False)
    post = _mask(answers["phase"], "post")
    keep = np.flatnonzero(on & (_mask(answers["phase"], "pre") | post) & (codes >= 0))
    a = answers.iloc[keep]
    post, group = post[keep], np.asarray(codes)[keep]
    vals = a["correct"].astype("boolean").fillna(False).astype(int).to_numpy()
    cw, uw = pd.factorize(a["workshop_id"], use_na_sentinel=False)
    cp, up = pd.factorize(a["participant_id"], use_na_sentinel=False)
    person, _ = pd.factorize(cw.astype(np.int64) * max(len(up), 1) + cp)
    rows, _ = pd.factorize(2 * person.astype(np.int64) + post)  # first-seen order
    firsts = np.unique(rows, return_index=True)[1]  # the first answer of each questionnaire
    item_codes, item_values = pd.factorize(a["item_id"])
    col = pd.Index(items).get_indexer([str(v) for v in item_values])[item_codes]
    matrix = np.zeros((len(firsts), len(items)), dtype=int)
    np.maximum.at(matrix, (rows, col), vals)
    return Questionnaires(
        items=items,
        matrix=matrix,
        group=group[firsts],
        post=post[firsts].astype(int),
        workshop=np.array([str(u) for u in uw], dtype=object)[cw[firsts]],
        participant=np.array([str(u) for u in up], dtype=object)[cp[firsts]],
        person=person[firsts],
    )


def knowledge_matrix(answers: pd.DataFrame, codebook: pd.DataFrame, phase: str) -> pd.DataFrame:
    """0/1 matrix of a phase: index ``(workshop_id, participant_id)``, columns knowledge items.

    The rows of ``scored_questionnaires`` of the phase, in order of first appearance.

    Example:
        >>> m = knowledge_matrix(answers_w1, codebook, "pre")  # doctest: +SKIP
    """
    q = scored_questionnaires(answers, codebook, np.zeros(len(answers), dtype=np.intp))
    at = q.post == {"pre": 0, "post": 1}.get(phase, -1)
    index = pd.MultiIndex.from_arrays(
        [q.workshop[at], q.participant[at]], names=["workshop_id", "participant_id"]
    )
    return pd.DataFrame(q.matrix[at], index=index, columns=pd.Index(q.items, name="item_id"))


def kr20_by_phase(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> dict[str, Any]:
    """KR-20 of the knowledge test per phase, over all scored questionnaires of the phase.

    Returns ``{"pre": kr20_pre, "post": kr20_post}`` (``measures.kr20``); with ``by``, a dict
    of them keyed by group id.

    Example:
        >>> kr20_by_phase(answers_w1, codebook)  # doctest: +SKIP
        {'pre': 0.61, 'post': 0.55}
    """
    g = by_column(answers, by, groups)
    q = scored_questionnaires(answers, codebook, g.codes)
    values = list(kr20(q.matrix, by=Groups.of_codes(q.group_phase, 2 * g.size)).values())
    return g.result([{"pre": values[2 * i], "post": values[2 * i + 1]} for i in range(g.size)])


def topic_table(
    scores: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Paired statistics per topic sub-score (linked participants), Holm-adjusted across topics.

    One row per topic (codebook order), columns ``_TOPIC_COLUMNS``: ``topic``, ``n_items``,
    every ``paired_summary`` key (Wilcoxon and rank-biserial on the topic's integer numbers
    correct), ``t_p_holm`` and ``wilcoxon_p_holm`` (Holm 1979 across the topics). The linked
    participants: a pre and a post row of ``scores`` with the same ``participant_id`` (the
    first of each), in the order of the pre-tests. ``t_df`` is an integer column when every
    topic has two pairs or more. With ``by``: the groups' tables one after another, every
    group and topic computed in one ``paired_summary`` call.

    Reference: Holm, S. (1979). Scand. J. Stat. 6, 65-70.

    Example:
        >>> t = topic_table(scores_w1, codebook)  # doctest: +SKIP
        >>> t[["topic", "diff_mean", "t_p_holm"]]  # doctest: +SKIP
    """
    g = by_column(scores, by, groups)
    per_topic = _knowledge_items(codebook).groupby("topic", sort=False).size()
    topics = [(str(t), int(k)) for t, k in per_topic.items()]
    size, n_topics = g.size, len(topics)
    w = g.codes
    person, _ = pd.factorize(scores["participant_id"], use_na_sentinel=False)
    key = w.astype(np.int64) * (int(person.max()) + 1 if person.size else 1) + person
    first = {}
    for phase in ("pre", "post"):
        at = np.flatnonzero(_mask(scores["phase"], phase) & (w >= 0))
        keys, seen = np.unique(key[at], return_index=True)
        first[phase] = pd.Series(at[seen], index=keys)
    pre_rows = first["pre"].sort_values()  # in the order of the pre-tests
    linked = pre_rows.index.intersection(first["post"].index, sort=False)
    pre_at = pre_rows.loc[linked].to_numpy()
    post_at = first["post"].loc[linked].to_numpy()
    lw = w[pre_at]
    parts: dict[str, list[np.ndarray]] = {"pre": [], "post": [], "cell": [], "k": []}
    for j, (topic, k) in enumerate(topics):
        col = f"topic_{topic}_pct"
        if col in scores.columns:
            values = as_float_array(scores[col])
            parts["pre"].append(values[pre_at])
            parts["post"].append(values[post_at])
            parts["cell"].append(lw * n_topics + j)
            parts["k"].append(np.full(lw.size, k))
    joined = {name: np.concatenate(v) if v else np.array([]) for name, v in parts.items()}
    cells = Groups.of_codes(joined["cell"].astype(np.intp), size * n_topics)
    ps = paired_summary(joined["pre"], joined["post"], n_items=joined["k"], by=cells)
    columns: dict[str, Any] = {
        "topic": np.array([t for t, _ in topics] * size, dtype=object),
        "n_items": np.tile(np.array([k for _, k in topics], dtype=np.int64), size),
        **{key: np.array([s[key] for s in ps.values()], dtype=float) for key in PAIRED_KEYS},
    }
    columns["n_paired"] = columns["n_paired"].astype(np.int64)
    group_of_row = np.repeat(np.arange(size), n_topics)
    rows = Groups.of_codes(group_of_row, size)
    for key in ("t_p", "wilcoxon_p"):
        adjusted = holm(columns[key], by=rows).values()
        columns[f"{key}_holm"] = np.concatenate([np.empty(0), *adjusted])
    if (columns["n_paired"] >= 2).all():
        columns["t_df"] = columns["t_df"].astype(np.int64)
    return g.table(pd.DataFrame(columns)[_TOPIC_COLUMNS], group_of_row)


def item_table(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    ceiling: float = 0.90,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per knowledge item: pre/post percent correct, exact McNemar, difficulty, discrimination.

    Columns (``_ITEM_COLUMNS``): ``item_id, topic, n_paired, pre_pct_correct, post_pct_correct,
    change_pct`` (linked participants: a pre and a post questionnaire of the same participant of
    the same workshop); ``n_lost`` (correct pre, wrong post) and ``n_gained`` (wrong pre,
    correct post), the discordant pairs; ``mcnemar_p`` (``mcnemar_exact``; NaN without linked
    participants) and ``mcnemar_p_holm`` (Holm across items); ``n_pre, n_post`` (all scored
    questionnaires of the phase); ``difficulty_pre/post`` (share correct, 0-1) and
    ``discrimination_pre/post`` (corrected item-total point-biserial,
    ``item_total_correlation``) over all scored questionnaires of the phase; flags ``ceiling``
    (``difficulty_pre >= 0.90``) and ``negative_discrimination`` (discrimination < 0 in at
    least one phase, METHODS, beyond rounding: below ``-ZERO_TOLERANCE``; negative in both
    phases points to a wrong key, in one phase alone it may be noise of a small group). With
    ``by``: the groups' tables one after another, from one matrix of every questionnaire.

    References: McNemar, Q. (1947). Psychometrika 12, 153-157; Holm, S. (1979). Scand. J.
    Stat. 6, 65-70; Crocker, L., & Algina, J. (1986). Introduction to classical and modern test
    theory, ch. 14.

    Example:
        >>> t = item_table(answers_w1, codebook)  # doctest: +SKIP
        >>> t.loc[t["ceiling"], "item_id"]  # doctest: +SKIP
    """
    g = by_column(answers, by, groups)
    size = g.size
    kn = _knowledge_items(codebook).astype({"item_id": str, "topic": str})
    q = scored_questionnaires(answers, codebook, g.codes)
    k = len(q.items)
    m = q.matrix.astype(float)
    n = np.bincount(q.group_phase, minlength=2 * size)
    with np.errstate(invalid="ignore", divide="ignore"):
        difficulty = group_sums(m, q.group_phase, 2 * size) / n[:, None]  # exact: sums of 0/1
    by_phase = Groups.of_codes(q.group_phase, 2 * size)
    r = np.array(list(item_total_correlation(m, by=by_phase).values())).reshape(2 * size, k)
    changes = _linked_item_changes(q, size)
    columns = {
        "item_id": np.tile(kn["item_id"].to_numpy(dtype=object), size),
        "topic": np.tile(kn["topic"].to_numpy(dtype=object), size),
        **{key: v.reshape(-1) for key, v in changes.items()},
        "n_pre": np.repeat(n[0::2].astype(np.int64), k),
        "n_post": np.repeat(n[1::2].astype(np.int64), k),
        "difficulty_pre": difficulty[0::2].reshape(-1),
        "difficulty_post": difficulty[1::2].reshape(-1),
        "discrimination_pre": r[0::2].reshape(-1),
        "discrimination_post": r[1::2].reshape(-1),
    }
    columns["ceiling"] = columns["difficulty_pre"] >= ceiling
    # a correlation that is zero but for rounding (|r| < ZERO_TOLERANCE) is not negative: its sign
    # would follow the order in which the rows happen to be summed
    columns["negative_discrimination"] = (columns["discrimination_pre"] < -ZERO_TOLERANCE) | (
        columns["discrimination_post"] < -ZERO_TOLERANCE
    )
    return g.table(pd.DataFrame(columns)[_ITEM_COLUMNS], np.repeat(np.arange(size), k))


def _linked_item_changes(q: Questionnaires, size: int) -> dict[str, np.ndarray]:
    """The linked participants' columns of ``item_table`` of every group, shape (groups,
    items): ``n_paired``, percent correct pre/post and the change, the discordant pairs
    ``n_lost`` and ``n_gained``, their exact McNemar p-values (NaN without linked
    participants) and the Holm adjustment across the group's items."""
    k = q.matrix.shape[1]
    key = q.group.astype(np.int64) * (int(q.person.max()) + 1 if q.person.size else 1)
    key = key + q.person
    pre = np.flatnonzero(q.post == 0)
    post = np.flatnonzero(q.post == 1)
    match = pd.Index(key[post]).get_indexer(key[pre])
    pre, post = pre[match >= 0], post[match[match >= 0]]
    a = q.matrix[pre].astype(bool)
    b = q.matrix[post].astype(bool)
    lw = q.group[pre]
    n = np.bincount(lw, minlength=size)
    n_lost = group_sums(a & ~b, lw, size).astype(int)
    n_gained = group_sums(~a & b, lw, size).astype(int)
    linked = (n > 0)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        pre_pct = np.where(linked, 100.0 * (group_sums(a, lw, size) / n[:, None]), np.nan)
        post_pct = np.where(linked, 100.0 * (group_sums(b, lw, size) / n[:, None]), np.nan)
    p = np.where(linked, mcnemar_exact(n_lost, n_gained)["p_value"].reshape(size, k), np.nan)
    rows = Groups.of_codes(np.repeat(np.arange(size), k), size)
    adjusted = np.concatenate([np.empty(0), *holm(p.ravel(), by=rows).values()])
    return {
        "n_paired": np.repeat(n.astype(np.int64), k).reshape(size, k),
        "pre_pct_correct": pre_pct,
        "post_pct_correct": post_pct,
        "change_pct": post_pct - pre_pct,
        "n_lost": n_lost,
        "n_gained": n_gained,
        "mcnemar_p": p,
        "mcnemar_p_holm": adjusted.reshape(size, k),
    }


def reaction_summary(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per reaction item (Kirkpatrick level 1): distribution over 1-5, share agreeing, median.

    Over the post questionnaires; a response counts when its status is ``valid`` and it is an
    integer 1-5 (blank and invalid are ``n_missing``). Columns (``_REACTION_COLUMNS``):
    ``item_id, text_en, n, n_missing, n_1..n_5, pct_1..pct_5`` (percent of ``n``),
    ``pct_agree`` (percent 4-5), ``median``. With ``by``: the groups' tables one after another,
    counted at once.

    Reference: Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). Evaluating Training Programs.

    Example:
        >>> reaction_summary(answers_w1, codebook)[["item_id", "pct_agree"]]  # doctest: +SKIP
    """
    g = by_column(answers, by, groups)
    cb = codebook.loc[codebook["section"] == "reaction"]
    items = cb["item_id"].astype(str).tolist()
    size, n_items = g.size, len(items)
    on = _mask(answers["phase"], "post") & (g.codes >= 0)
    on &= answers["item_id"].isin(items).to_numpy(dtype=bool, na_value=False)
    a = answers.loc[on]
    v = pd.to_numeric(a["response"].where(a["status"] == "valid"), errors="coerce")
    v = v.where(v.isin([1, 2, 3, 4, 5])).to_numpy(dtype=float, na_value=np.nan)
    item = pd.Index(items).get_indexer(a["item_id"].astype(str).to_numpy(dtype=object))
    cell = g.codes[on] * n_items + item
    total = np.bincount(cell, minlength=size * n_items)
    valid = ~np.isnan(v)
    cv, vv = cell[valid], v[valid]
    counts = np.bincount(cv * 5 + (vv.astype(int) - 1), minlength=size * n_items * 5)
    counts = counts.reshape(size * n_items, 5)
    n = counts.sum(axis=1)
    text = cb.set_index("item_id")["text_en"] if "text_en" in cb else pd.Series(dtype=str)
    columns: dict[str, Any] = {
        "item_id": items * size,
        "text_en": [text.get(i, pd.NA) for i in items] * size,
        "n": n,
        "n_missing": total - n,
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        for val in range(1, 6):
            columns[f"n_{val}"] = counts[:, val - 1]
        for val in range(1, 6):
            columns[f"pct_{val}"] = 100.0 * counts[:, val - 1] / n
        columns["pct_agree"] = 100.0 * (counts[:, 3] + counts[:, 4]) / n
    columns["median"] = group_medians(vv, cv, size * n_items)
    frame = pd.DataFrame(columns)[_REACTION_COLUMNS]
    return g.table(frame, np.repeat(np.arange(size), n_items))


_PHASE_MEANS_COLUMNS = ["workshop_id", "phase", "n", "mean", "ci_low", "ci_high"]


def phase_means(paired: pd.DataFrame) -> pd.DataFrame:
    """Mean score with its 95% t interval per workshop and phase, over the paired participants.

    One row per workshop (in order of appearance) and phase (``pre``, ``post``): ``n`` (paired
    participants), ``mean`` and ``ci_low``/``ci_high`` from ``mean_ci`` (``mean ± t(0.975,
    n - 1) · SD / sqrt(n)``, Student 1908), in percent correct.

    Example:
        >>> p = pd.DataFrame({"workshop_id": ["W1"] * 3, "pre_pct": [40.0, 50.0, 60.0],
        ...                   "post_pct": [60.0, 70.0, 80.0]})
        >>> phase_means(p)[["phase", "n", "mean"]].to_dict("list")
        {'phase': ['pre', 'post'], 'n': [3, 3], 'mean': [50.0, 70.0]}
    """
    rows = []
    for wid, g in paired.groupby("workshop_id", sort=False, observed=True):
        for phase in ("pre", "post"):
            m, _sd, lo, hi = mean_ci(g[f"{phase}_pct"].to_numpy(dtype=float))
            rows.append(
                {
                    "workshop_id": wid,
                    "phase": phase,
                    "n": len(g),
                    "mean": m,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
    return pd.DataFrame(rows, columns=_PHASE_MEANS_COLUMNS)
