"""Tables on processed frames: knowledge matrix, KR-20 by phase, topics, items, reaction.

Every function takes frames **already restricted to the rows wanted**: one workshop's rows for
a workshop's tables, every row for the pooled picture (split the processed data by workshop
once, e.g. ``dict(iter(answers.groupby("workshop_id", sort=False)))``). The statistics are
those of ``measures``.

"Linked" participants are those with a scored pre *and* a scored post questionnaire under the
same ``participant_id`` (the clean step gives a linked pair one pseudonym, and an unlinked
questionnaire a pseudonym of its own), i.e. exactly the rows of the ``paired`` table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .measures import (
    PAIRED_KEYS,
    holm,
    item_total_correlation,
    kr20,
    mcnemar_exact,
    mean_ci,
    paired_summary,
)

__all__ = [
    "TOPIC_COLUMNS",
    "ITEM_COLUMNS",
    "REACTION_COLUMNS",
    "knowledge_matrix",
    "kr20_by_phase",
    "topic_table",
    "item_table",
    "reaction_summary",
    "ZERO_TOLERANCE",
    "PHASE_MEANS_COLUMNS",
    "phase_means",
]

#: Columns of ``topic_table``, in order.
TOPIC_COLUMNS = ["topic", "n_items", *PAIRED_KEYS, "t_p_holm", "wilcoxon_p_holm"]

#: Columns of ``item_table``, in order.
ITEM_COLUMNS = [
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
REACTION_COLUMNS = [
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


def _linked_ids(phase_ids: pd.DataFrame) -> pd.Index:
    """Participant ids with both a pre and a post row (columns participant_id, phase)."""
    pre = pd.Index(phase_ids.loc[phase_ids["phase"] == "pre", "participant_id"].unique())
    post = pd.Index(phase_ids.loc[phase_ids["phase"] == "post", "participant_id"].unique())
    return pre.intersection(post, sort=False)


def knowledge_matrix(answers: pd.DataFrame, codebook: pd.DataFrame, phase: str) -> pd.DataFrame:
    """0/1 matrix of a phase: index ``(workshop_id, participant_id)``, columns knowledge items.

    Missing ``correct`` (should not occur for knowledge items) counts as incorrect, like the
    scoring rule for unanswered and invalid answers.

    Example:
        >>> m = knowledge_matrix(answers_w1, codebook, "pre")  # doctest: +SKIP
    """
    items = _knowledge_items(codebook)["item_id"].astype(str).tolist()
    a = answers.loc[(answers["phase"] == phase) & answers["item_id"].isin(items)]
    vals = a["correct"].astype("boolean").fillna(False).astype(int).to_numpy()
    # one row per questionnaire: factorize the keys, scatter into a 0/1 matrix (no pivot)
    cw, uw = pd.factorize(a["workshop_id"].astype(str))
    cp, up = pd.factorize(a["participant_id"].astype(str))
    codes, _ = pd.factorize(cw.astype(np.int64) * max(len(up), 1) + cp)  # first-seen order
    firsts = np.unique(codes, return_index=True)[1]  # the first row of each questionnaire
    col = pd.Index(items).get_indexer(a["item_id"].astype(str))
    arr = np.zeros((len(firsts), len(items)), dtype=int)
    np.maximum.at(arr, (codes, col), vals)
    index = pd.MultiIndex.from_arrays(
        [np.asarray(uw, dtype=object)[cw[firsts]], np.asarray(up, dtype=object)[cp[firsts]]],
        names=["workshop_id", "participant_id"],
    )
    m = pd.DataFrame(arr, index=index, columns=items)
    m.columns = pd.Index(items, name="item_id")
    return m


def kr20_by_phase(answers: pd.DataFrame, codebook: pd.DataFrame) -> dict[str, float]:
    """KR-20 of the knowledge test per phase, over all scored questionnaires of the phase.

    Returns ``{"pre": kr20_pre, "post": kr20_post}`` (see ``kr20``).

    Example:
        >>> kr20_by_phase(answers_w1, codebook)  # doctest: +SKIP
        {'pre': 0.61, 'post': 0.55}
    """
    return {ph: kr20(knowledge_matrix(answers, codebook, ph).to_numpy()) for ph in ("pre", "post")}


def topic_table(scores: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Paired statistics per topic sub-score (linked participants), Holm-adjusted across topics.

    One row per topic (codebook order), columns ``TOPIC_COLUMNS``: ``topic``, ``n_items``,
    every ``paired_summary`` key (Wilcoxon and rank-biserial on the topic's integer numbers
    correct), ``t_p_holm`` and ``wilcoxon_p_holm`` (Holm 1979 across the topics).

    Example:
        >>> t = topic_table(scores_w1, codebook)  # doctest: +SKIP
        >>> t[["topic", "diff_mean", "t_p_holm"]]  # doctest: +SKIP
    """
    linked = _linked_ids(scores)
    s = scores.loc[scores["participant_id"].isin(linked)]
    pre = s.loc[s["phase"] == "pre"].set_index("participant_id").reindex(linked)
    post = s.loc[s["phase"] == "post"].set_index("participant_id").reindex(linked)
    kn = _knowledge_items(codebook)
    n_per_topic = kn.groupby("topic", sort=False).size()
    rows = []
    for topic, k in n_per_topic.items():
        col = f"topic_{topic}_pct"
        if col in pre.columns:
            res = paired_summary(pre[col], post[col], n_items=int(k))
        else:
            res = paired_summary([], [])
        rows.append({"topic": str(topic), "n_items": int(k), **res})
    out = pd.DataFrame(rows, columns=["topic", "n_items", *PAIRED_KEYS])
    out["t_p_holm"] = holm(out["t_p"])
    out["wilcoxon_p_holm"] = holm(out["wilcoxon_p"])
    return out[TOPIC_COLUMNS]


def item_table(
    answers: pd.DataFrame, codebook: pd.DataFrame, *, ceiling: float = 0.90
) -> pd.DataFrame:
    """Per knowledge item: pre/post percent correct, exact McNemar, difficulty, discrimination.

    Columns (``ITEM_COLUMNS``): ``item_id, topic, n_paired, pre_pct_correct, post_pct_correct,
    change_pct`` (linked participants); ``n_lost`` (correct pre, wrong post) and ``n_gained``
    (wrong pre, correct post), the discordant pairs; ``mcnemar_p`` (``mcnemar_exact``) and
    ``mcnemar_p_holm`` (Holm across items); ``n_pre, n_post`` (all scored questionnaires of the
    phase); ``difficulty_pre/post`` (share correct, 0-1) and ``discrimination_pre/post``
    (corrected item-total point-biserial, ``item_total_correlation``) over all scored
    questionnaires of the phase; flags ``ceiling`` (``difficulty_pre >= 0.90``) and
    ``negative_discrimination`` (discrimination < 0 in at least one phase, METHODS, beyond
    rounding: below ``-ZERO_TOLERANCE``; negative
    in both phases points to a wrong key, in one phase alone it may be noise of a small group).

    Example:
        >>> t = item_table(answers_w1, codebook)  # doctest: +SKIP
        >>> t.loc[t["ceiling"], "item_id"]  # doctest: +SKIP
    """
    kn = _knowledge_items(codebook).astype({"item_id": str, "topic": str})
    m_pre = knowledge_matrix(answers, codebook, "pre")
    m_post = knowledge_matrix(answers, codebook, "post")
    with np.errstate(invalid="ignore", divide="ignore"):
        diff_pre = m_pre.to_numpy().mean(axis=0) if len(m_pre) else np.full(len(kn), np.nan)
        diff_post = m_post.to_numpy().mean(axis=0) if len(m_post) else np.full(len(kn), np.nan)
    out = pd.DataFrame(
        {
            "item_id": kn["item_id"].to_numpy(),
            "topic": kn["topic"].to_numpy(),
            **_linked_item_changes(m_pre, m_post),
            "n_pre": len(m_pre),
            "n_post": len(m_post),
            "difficulty_pre": diff_pre,
            "difficulty_post": diff_post,
            "discrimination_pre": item_total_correlation(m_pre.to_numpy()),
            "discrimination_post": item_total_correlation(m_post.to_numpy()),
        }
    )
    out["ceiling"] = out["difficulty_pre"].to_numpy() >= ceiling
    # a correlation that is zero but for rounding (|r| < ZERO_TOLERANCE) is not negative: its sign
    # would follow the order in which the rows happen to be summed
    out["negative_discrimination"] = (out["discrimination_pre"] < -ZERO_TOLERANCE) | (
        out["discrimination_post"] < -ZERO_TOLERANCE
    )
    return out[ITEM_COLUMNS]


def _linked_item_changes(m_pre: pd.DataFrame, m_post: pd.DataFrame) -> dict[str, Any]:
    """The linked participants' columns of ``item_table``, from the two phases' 0/1 matrices.

    ``n_paired``, percent correct pre/post and the change, the discordant pairs ``n_lost`` and
    ``n_gained``, and their exact McNemar p-values (``mcnemar_exact``, item by item; NaN without
    linked participants) with the Holm adjustment across items.
    """
    k = m_pre.shape[1]
    linked = m_pre.index.intersection(m_post.index, sort=False)
    a = m_pre.loc[linked].to_numpy(dtype=bool)
    b = m_post.loc[linked].to_numpy(dtype=bool)
    n_lost = (a & ~b).sum(axis=0)
    n_gained = (~a & b).sum(axis=0)
    n = len(linked)
    if n:
        pairs = zip(n_lost, n_gained, strict=True)
        p = np.array([mcnemar_exact(lo, ga)["p_value"] for lo, ga in pairs], dtype=float)
    else:
        p = np.full(k, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        pre_pct = 100.0 * a.mean(axis=0) if n else np.full(k, np.nan)
        post_pct = 100.0 * b.mean(axis=0) if n else np.full(k, np.nan)
    return {
        "n_paired": n,
        "pre_pct_correct": pre_pct,
        "post_pct_correct": post_pct,
        "change_pct": post_pct - pre_pct,
        "n_lost": n_lost.astype(int),
        "n_gained": n_gained.astype(int),
        "mcnemar_p": p,
        "mcnemar_p_holm": holm(p),
    }


def reaction_summary(answers: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Per reaction item (Kirkpatrick level 1): distribution over 1-5, share agreeing, median.

    Over the post questionnaires; a response counts when its status is ``valid`` and it is an
    integer 1-5 (blank and invalid are ``n_missing``). Columns (``REACTION_COLUMNS``):
    ``item_id, text_en, n, n_missing, n_1..n_5, pct_1..pct_5`` (percent of ``n``),
    ``pct_agree`` (percent 4-5), ``median``.

    Reference: Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). Evaluating Training Programs.

    Example:
        >>> reaction_summary(answers_w1, codebook)[["item_id", "pct_agree"]]  # doctest: +SKIP
    """
    cb = codebook.loc[codebook["section"] == "reaction"]
    items = cb["item_id"].astype(str).tolist()
    a = answers.loc[(answers["phase"] == "post") & answers["item_id"].isin(items)]
    v = pd.to_numeric(a["response"].where(a["status"] == "valid"), errors="coerce")
    v = v.where(v.isin([1, 2, 3, 4, 5]))
    a = a.assign(_v=v)
    counts = (
        pd.crosstab(a["item_id"], a["_v"]).reindex(index=items, columns=[1, 2, 3, 4, 5]).fillna(0)
    )
    counts = counts.astype(int)
    n = counts.sum(axis=1)
    total = a.groupby("item_id").size().reindex(items, fill_value=0)
    med = a.groupby("item_id")["_v"].median().reindex(items)
    out = pd.DataFrame({"item_id": items})
    text = cb.set_index("item_id")["text_en"] if "text_en" in cb else pd.Series(dtype=str)
    out["text_en"] = [text.get(i, pd.NA) for i in items]
    out["n"] = n.to_numpy()
    out["n_missing"] = (total - n).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        for val in range(1, 6):
            out[f"n_{val}"] = counts[val].to_numpy()
        for val in range(1, 6):
            out[f"pct_{val}"] = 100.0 * counts[val].to_numpy() / n.to_numpy()
        out["pct_agree"] = 100.0 * (counts[4] + counts[5]).to_numpy() / n.to_numpy()
    out["median"] = med.to_numpy(dtype=float, na_value=np.nan)
    return out[REACTION_COLUMNS]


PHASE_MEANS_COLUMNS = ["workshop_id", "phase", "n", "mean", "ci_low", "ci_high"]


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
    return pd.DataFrame(rows, columns=PHASE_MEANS_COLUMNS)
