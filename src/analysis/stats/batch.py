"""Every workshop's summary and tables at once, from the processed frames of all workshops.

Each function returns, keyed by workshop id, what the per-workshop function returns on that
workshop's rows:

* ``summaries_by_workshop``: ``contract.workshop_summary`` (the ``W*/summary.json`` dicts);
* ``topic_tables_by_workshop``: ``tables.topic_table``;
* ``item_tables_by_workshop``: ``tables.item_table``;
* ``reaction_summaries_by_workshop``: ``tables.reaction_summary``;
* ``subgroup_tables_by_workshop``: ``disclosure.subgroup_table``.

The frames are grouped by workshop once and every statistic is computed for all workshops
together (``grouped``: sums per group, the distributions' functions on arrays, the roots of the
noncentral-t interval by one vectorized Brent search), so that the cost grows with the rows,
not with the number of workshops; what is left per workshop is plain Python on a few numbers
(the subgroups' suppression, the Bayes factor's integral, the imputations' linear algebra).
``workshop_ids`` names the workshops and their order (default: their order of first
appearance); a workshop without rows gets what the per-workshop function gives on its empty
rows. The numbers equal the per-workshop functions' but for the rounding of a sum's order;
``tests/test_batch.py`` compares them on the shipped and on simulated data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .attrition import MI_IMPUTATIONS, MI_SEED, attrition_frame
from .bayes import bf10_jzs_many
from .change import RCI_CRITICAL
from .contract import SUMMARY_KEYS
from .disclosure import (
    HIDDEN,
    MIN_CELL,
    OTHER,
    SUBGROUP_COLUMNS,
    SUPPRESSED,
    YEARS_BANDS,
    differencing_suppression,
    subgroup_table,
    years_band,
)
from .grouped import (
    group_sums,
    holm_rows,
    mcnemar_pvalues,
    mean_cis,
    paired_summaries,
    size_stacks,
)
from .measures import NAN, PAIRED_KEYS, as_float_array
from .tables import (
    ITEM_COLUMNS,
    REACTION_COLUMNS,
    TOPIC_COLUMNS,
    ZERO_TOLERANCE,
    reaction_summary,
    topic_table,
)

__all__ = [
    "summaries_by_workshop",
    "topic_tables_by_workshop",
    "item_tables_by_workshop",
    "reaction_summaries_by_workshop",
    "subgroup_tables_by_workshop",
]


# --------------------------------------------------------------------------------------------
# workshops and their rows


def _ids(frame: pd.DataFrame, workshop_ids: Sequence[str] | None) -> list[str]:
    """The workshops asked for (duplicates dropped), or those of ``frame`` in order of first
    appearance."""
    if workshop_ids is None:
        _, uniques = pd.factorize(frame["workshop_id"])
        return list(dict.fromkeys(str(u) for u in uniques))
    return list(dict.fromkeys(str(w) for w in workshop_ids))


def _codes(frame: pd.DataFrame, ids: list[str]) -> np.ndarray:
    """Each row's position of its workshop in ``ids``; -1 for a missing or another workshop."""
    codes, uniques = pd.factorize(frame["workshop_id"])
    lut = pd.Index(ids, dtype=object).get_indexer([str(u) for u in uniques])
    return np.where(codes >= 0, lut[codes] if len(lut) else -1, -1).astype(np.intp)


def _py(value: Any) -> float:
    """A plain float, NaN as ``measures.NAN``."""
    v = float(value)
    return NAN if v != v else v


def _mask(values: pd.Series, equal_to: str) -> np.ndarray:
    """``values == equal_to`` as a bool array, missing values False."""
    return (values == equal_to).to_numpy(dtype=bool, na_value=False)


def _frames(big: pd.DataFrame, ids: list[str], rows: int) -> dict[str, pd.DataFrame]:
    """``big``'s consecutive blocks of ``rows`` rows, one per workshop, each indexed 0..rows-1."""
    return {
        w: big.iloc[i * rows : (i + 1) * rows].reset_index(drop=True) for i, w in enumerate(ids)
    }


# --------------------------------------------------------------------------------------------
# the knowledge questionnaires of every workshop: one 0/1 matrix


@dataclass
class _Questionnaires:
    """Every scored knowledge questionnaire (pre and post) of the workshops, one row each, in
    order of first appearance: its 0/1 answers, workshop, phase and participant."""

    items: list[str]
    matrix: np.ndarray
    workshop: np.ndarray
    post: np.ndarray
    person: np.ndarray

    @property
    def group(self) -> np.ndarray:
        """Each row's workshop and phase as one code: ``2 workshop + (phase == post)``."""
        return 2 * self.workshop + self.post


def _questionnaires(
    answers: pd.DataFrame, codebook: pd.DataFrame, ids: list[str]
) -> _Questionnaires:
    """The rows of ``tables.knowledge_matrix`` of every workshop and both phases at once.

    As ``knowledge_matrix``: the codebook's knowledge items, a missing ``correct`` counting as
    incorrect, one row per questionnaire in order of first appearance (so that each workshop's
    and phase's rows come in the order of its own ``knowledge_matrix``).
    """
    items = codebook.loc[codebook["section"] == "knowledge", "item_id"].astype(str).tolist()
    a = answers.loc[answers["item_id"].isin(items)]
    post = _mask(a["phase"], "post")
    w = _codes(a, ids)
    keep = (_mask(a["phase"], "pre") | post) & (w >= 0)
    a, post, w = a.loc[keep], post[keep], w[keep]
    vals = a["correct"].astype("boolean").fillna(False).astype(int).to_numpy()
    person, people = pd.factorize(a["participant_id"].astype(str))
    key = (w.astype(np.int64) * 2 + post) * max(len(people), 1) + person
    codes, _ = pd.factorize(key)
    firsts = np.unique(codes, return_index=True)[1]
    item_codes, item_values = pd.factorize(a["item_id"])
    col = pd.Index(items).get_indexer([str(v) for v in item_values])[item_codes]
    matrix = np.zeros((len(firsts), len(items)), dtype=int)
    np.maximum.at(matrix, (codes, col), vals)
    return _Questionnaires(items, matrix, w[firsts], post[firsts].astype(int), person[firsts])


def _reliability(q: _Questionnaires, n_workshops: int, level: float = 0.95) -> dict[str, Any]:
    """``reliability.reliability_by_phase`` of every workshop: arrays of shape (workshops, 2),
    the pre-test in column 0 and the post-test in column 1, for each of its columns."""
    size = 2 * n_workshops
    m = q.matrix.astype(float)
    n = np.bincount(q.group, minlength=size)
    k = m.shape[1]
    r, sd = np.full(size, np.nan), np.full(size, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        for which, rows in size_stacks(q.group, size):
            if rows.shape[1] < 2:
                continue
            stack = m[rows]  # one workshop and phase per row: (groups, questionnaires, items)
            total = stack.sum(axis=2)
            if k >= 2:
                var_total = total.var(axis=1, ddof=1)
                ratio = stack.var(axis=1, ddof=1).sum(axis=1) / var_total
                r[which] = np.where(var_total > 0, k / (k - 1) * (1 - ratio), np.nan)
            if k:
                sd[which] = (100.0 * total / k).std(axis=1, ddof=1)
        interval = (n >= 2) & (k >= 2) & np.isfinite(r)
        a = np.maximum(n - 1, 1)
        b = a * max(k - 1, 1)
        tail = (1 - level) / 2
        low = np.where(interval, 1 - (1 - r) * stats.f.ppf(1 - tail, a, b), np.nan)
        high = np.where(interval, 1 - (1 - r) * stats.f.ppf(tail, a, b), np.nan)
        sem = np.where((n >= 2) & np.isfinite(r) & (r <= 1), sd * np.sqrt(1 - r), np.nan)
    out = {"n": n, "k": np.full(size, k), "kr20": r, "ci_low": low, "ci_high": high}
    out |= {"sd": sd, "sem": sem}
    return {key: v.reshape(n_workshops, 2) for key, v in out.items()}


# --------------------------------------------------------------------------------------------
# the workshop summary


def summaries_by_workshop(
    scores: pd.DataFrame,
    paired: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    synthetic: bool,
    workshop_ids: Sequence[str] | None = None,
    mi_imputations: int = MI_IMPUTATIONS,
    mi_seed: int = MI_SEED,
) -> dict[str, dict[str, Any]]:
    """``contract.workshop_summary`` of every workshop, keyed by workshop id.

    The frames hold every workshop's rows; ``workshop_ids`` (default: the workshops of
    ``scores`` in order of first appearance) says which and in what order. Per workshop, as
    ``workshop_summary``: ``n_pre``/``n_post`` scored questionnaires; the pairs statistics of
    ``measures.paired_summary`` on the integer numbers correct of ``n_items`` (the first
    questionnaire's, else the codebook's knowledge items) computed for all workshops at once
    (``grouped.paired_summaries``: t-test, Wilcoxon, rank-biserial, ``d_z`` with its exact
    noncentral-t interval, Steiger & Fouladi 1997); KR-20 with its Feldt (1965) interval and the
    SEM; ``bf10`` (``bayes.bf10_jzs_many``, Rouder et al. 2009); the Jacobson-Truax (1991)
    reliable change counts; the mean gain under multiple imputation (Rubin 1987; the draws of
    ``attrition.impute_gain`` with the same seed, shared by the workshops of the same shape).

    References: Steiger & Fouladi (1997); Feldt, L. S. (1965). Psychometrika 30, 357-370;
    Rouder, J. N., et al. (2009). Psychon. Bull. Rev. 16, 225-237; Jacobson, N. S., & Truax, P.
    (1991). J. Consult. Clin. Psychol. 59, 12-19; Rubin, D. B. (1987). Multiple Imputation
    for Nonresponse in Surveys. Wiley.

    Example:
        >>> s = summaries_by_workshop(
        ...     scores, paired, answers, codebook, synthetic=True
        ... )  # doctest: +SKIP
        >>> s["W1"]["d_z"]  # doctest: +SKIP
    """
    ids = _ids(scores, workshop_ids)
    size = len(ids)
    sc = _codes(scores, ids)
    n_items = np.full(size, int((codebook["section"] == "knowledge").sum()), dtype=np.int64)
    known = np.flatnonzero(sc >= 0)
    workshops, first = np.unique(sc[known], return_index=True)
    n_items[workshops] = scores["n_items"].to_numpy()[known[first]].astype(np.int64)
    n_pre = np.bincount(sc[(sc >= 0) & _mask(scores["phase"], "pre")], minlength=size)
    n_post = np.bincount(sc[(sc >= 0) & _mask(scores["phase"], "post")], minlength=size)

    pc = _codes(paired, ids)
    on = pc >= 0
    pre = as_float_array(paired["pre_pct"])[on]
    post = as_float_array(paired["post_pct"])[on]
    pc = pc[on]
    ps = paired_summaries(pre, post, pc, size, n_items=n_items[pc])
    rel = _reliability(_questionnaires(answers, codebook, ids), size)
    rci = _reliable_change(pre, post, pc, size, rel["sd"][:, 0], rel["kr20"][:, 0])
    mi = _imputed_gains(scores, paired, ids, mi_imputations, mi_seed)
    bf10 = bf10_jzs_many(ps["t_stat"], ps["n_paired"])
    out = {}
    for i, w in enumerate(ids):
        n = int(ps["n_paired"][i])
        summary: dict[str, Any] = {
            "workshop_id": w,
            "n_pre": int(n_pre[i]),
            "n_post": int(n_post[i]),
            **{key: _py(ps[key][i]) for key in PAIRED_KEYS},
            "n_paired": n,
            "t_df": n - 1 if n >= 2 else NAN,
            "bf10": _py(bf10[i]),
            "synthetic": bool(synthetic),
        }
        for phase, j in (("pre", 0), ("post", 1)):
            summary[f"kr20_{phase}"] = _py(rel["kr20"][i, j])
            summary[f"kr20_{phase}_ci_low"] = _py(rel["ci_low"][i, j])
            summary[f"kr20_{phase}_ci_high"] = _py(rel["ci_high"][i, j])
        summary["sem_pre"] = _py(rel["sem"][i, 0])
        for key in ("improved", "unchanged", "declined"):
            summary[f"rci_{key}"] = rci[key][i]
        for key, name in (("estimate", "gain_mi"), ("ci_low", "gain_mi_ci_low")):
            summary[name] = _py(mi[key][i])
        summary["gain_mi_ci_high"] = _py(mi["ci_high"][i])
        out[w] = {key: summary[key] for key in SUMMARY_KEYS}
    return out


def _reliable_change(
    pre: np.ndarray,
    post: np.ndarray,
    groups: np.ndarray,
    size: int,
    sd_pre: np.ndarray,
    reliability: np.ndarray,
    critical: float = RCI_CRITICAL,
) -> dict[str, list[Any]]:
    """``change.reliable_change``'s counts of every workshop: ``RCI_i = d_i / S_diff`` with
    ``S_diff = sqrt(2) SD_pre sqrt(1 - r)``, beyond ``critical`` (NaN where ``S_diff`` is not
    a positive number, or no pair)."""
    ok = np.isfinite(pre) & np.isfinite(post)
    d, g = (post - pre)[ok], groups[ok]
    n = np.bincount(g, minlength=size)
    with np.errstate(invalid="ignore"):
        usable = np.isfinite(reliability) & np.isfinite(sd_pre) & (reliability <= 1)
        se = np.where(usable, sd_pre * np.sqrt(np.where(usable, 1 - reliability, 0.0)), np.nan)
        s_diff = np.where(np.isfinite(se), np.sqrt(2 * se * se), np.nan)
        rci = d / s_diff[g]
    improved = np.bincount(g, weights=rci > critical, minlength=size).astype(int)
    declined = np.bincount(g, weights=rci < -critical, minlength=size).astype(int)
    counted = np.isfinite(s_diff) & (s_diff > 0) & (n > 0)
    out: dict[str, list[Any]] = {"improved": [], "unchanged": [], "declined": []}
    for i in range(size):
        if counted[i]:
            imp, dec = int(improved[i]), int(declined[i])
            out["improved"].append(imp)
            out["declined"].append(dec)
            out["unchanged"].append(int(n[i]) - imp - dec)
        else:
            for key in out:
                out[key].append(NAN)
    return out


def _imputed_gains(
    scores: pd.DataFrame, paired: pd.DataFrame, ids: list[str], m: int, seed: int
) -> dict[str, np.ndarray]:
    """``attrition.impute_gain`` of every workshop (one workshop: no group dummies), pooled
    by Rubin's rules: its ``estimate``, ``ci_low`` and ``ci_high``.

    Each workshop's draws come from ``numpy.random.default_rng(seed)`` in ``impute_gain``'s
    order, so workshops with the same numbers of completers and of missing post-tests draw the
    same numbers: they are drawn once per such shape.
    """
    if int(m) < 2:
        raise ValueError(f"multiple imputation needs m >= 2 imputations (got {m})")
    m = int(m)
    f = attrition_frame(scores, paired)
    w = _codes(f, ids)
    x_all = f["pre_pct"].to_numpy(dtype=float)
    y_all = f["post_pct"].to_numpy(dtype=float)
    on = (w >= 0) & np.isfinite(x_all)
    order = np.argsort(w[on], kind="stable")
    x_all, y_all, w = x_all[on][order], y_all[on][order], w[on][order]
    bounds = np.searchsorted(w, np.arange(len(ids) + 1))
    q = np.full((len(ids), m), np.nan)
    u = np.full((len(ids), m), np.nan)
    df_complete = np.full(len(ids), np.nan)
    draws: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for i in range(len(ids)):
        x, y = x_all[bounds[i] : bounds[i + 1]], y_all[bounds[i] : bounds[i + 1]]
        n = x.size
        miss = ~np.isfinite(y)
        obs = ~miss
        n_obs = int(obs.sum())
        if n < 2 or n_obs < 3:
            continue
        df_complete[i] = n - 1
        if not miss.any():
            q[i] = float((y - x).mean())
            u[i] = float((y - x).var(ddof=1) / n)
            continue
        design = np.column_stack([np.ones_like(x), x])
        xo, yo = design[obs], y[obs]
        xtx_inv = np.linalg.inv(xo.T @ xo)
        beta_hat = xtx_inv @ xo.T @ yo
        rss = float(((yo - xo @ beta_hat) ** 2).sum())
        chol = np.linalg.cholesky(xtx_inv)
        shape = (n_obs - 2, int(miss.sum()))
        if shape not in draws:
            draws[shape] = _imputation_draws(seed, m, *shape)
        chi, z, e = draws[shape]
        sigma = np.sqrt(rss / chi)[:, None]
        # one imputation per row; stacked matmul multiplies as impute_gain's chol @ z does
        beta = beta_hat + sigma * np.matmul(chol, z[:, :, None])[:, :, 0]
        completed = np.tile(y, (m, 1))
        completed[:, miss] = np.matmul(design[miss], beta[:, :, None])[:, :, 0] + sigma * e
        d = completed - x
        q[i] = d.mean(axis=1)
        u[i] = d.var(axis=1, ddof=1) / n
    return _rubin_rows(q, u, df_complete)


def _imputation_draws(seed: int, m: int, df: int, n_missing: int) -> tuple[np.ndarray, ...]:
    """The random numbers of ``impute_gain``'s ``m`` imputations, in its order: per imputation
    a chi-square on ``df`` degrees of freedom, two normals for the coefficients, then one
    normal per missing post-test."""
    rng = np.random.default_rng(int(seed))
    chi, z, e = np.empty(m), np.empty((m, 2)), np.empty((m, n_missing))
    for j in range(m):
        chi[j] = rng.chisquare(df)
        z[j] = rng.standard_normal(2)
        e[j] = rng.standard_normal(n_missing)
    return chi, z, e


def _rubin_rows(
    q: np.ndarray, u: np.ndarray, df_complete: np.ndarray, level: float = 0.95
) -> dict[str, np.ndarray]:
    """``attrition.rubin_pool`` of each row of estimates ``q`` and variances ``u``: the
    estimate and its interval (NaN rows stay NaN)."""
    m = q.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        qbar = q.mean(axis=1)
        ubar = u.mean(axis=1)
        b = q.var(axis=1, ddof=1) if m > 1 else np.zeros(len(q))
        total = ubar + (1 + 1 / m) * b
        df = np.where(b > 0, (m - 1) * (1 + ubar / ((1 + 1 / m) * b)) ** 2, math.inf)
        df = np.minimum(df, df_complete)
        half = np.where(
            total >= 0,
            stats.t.ppf(0.5 + level / 2, np.where(np.isnan(df), 1.0, df)) * np.sqrt(total),
            np.nan,
        )
    return {"estimate": qbar, "ci_low": qbar - half, "ci_high": qbar + half}


# --------------------------------------------------------------------------------------------
# the tables


def topic_tables_by_workshop(
    scores: pd.DataFrame, codebook: pd.DataFrame, workshop_ids: Sequence[str] | None = None
) -> dict[str, pd.DataFrame]:
    """``tables.topic_table`` of every workshop, keyed by workshop id.

    Per workshop and topic, the paired statistics of the topic's sub-score over the linked
    participants (a pre and a post questionnaire in ``scores``), all computed at once by
    ``grouped.paired_summaries`` (Wilcoxon and rank-biserial on the integer numbers correct of
    the topic's items), then Holm-adjusted across the workshop's topics (``grouped.holm_rows``).
    ``workshop_ids``: as ``summaries_by_workshop``.

    Reference: Holm, S. (1979). Scand. J. Stat. 6, 65-70.

    Example:
        >>> topic_tables_by_workshop(scores, codebook)["W1"]  # doctest: +SKIP
    """
    ids = _ids(scores, workshop_ids)
    kn = codebook.loc[codebook["section"] == "knowledge", ["item_id", "topic"]]
    per_topic = kn.groupby("topic", sort=False).size()
    topics = [(str(t), int(k)) for t, k in per_topic.items()]
    if not topics or not ids:
        empty = topic_table(scores.iloc[:0], codebook)
        return {w: empty.copy() for w in ids}
    size, n_topics = len(ids), len(topics)
    w = _codes(scores, ids)
    person, _ = pd.factorize(scores["participant_id"], use_na_sentinel=False)
    key = w.astype(np.int64) * (int(person.max()) + 1 if person.size else 1) + person
    rows = {}
    for phase in ("pre", "post"):
        at = np.flatnonzero(_mask(scores["phase"], phase) & (w >= 0))
        keys, first = np.unique(key[at], return_index=True)
        rows[phase] = pd.Series(at[first], index=keys)
    pre_rows = rows["pre"].sort_values()  # the pre-tests' order, as topic_table's
    linked = pre_rows.index.intersection(rows["post"].index, sort=False)
    pre_at = pre_rows.loc[linked].to_numpy()
    post_at = rows["post"].loc[linked].to_numpy()
    lw = w[pre_at]
    parts = {"pre": [], "post": [], "groups": [], "k": []}
    for j, (topic, k) in enumerate(topics):
        col = f"topic_{topic}_pct"
        if col not in scores.columns:
            continue
        values = as_float_array(scores[col])
        parts["pre"].append(values[pre_at])
        parts["post"].append(values[post_at])
        parts["groups"].append(lw * n_topics + j)
        parts["k"].append(np.full(lw.size, k))
    joined = {name: np.concatenate(v) if v else np.array([]) for name, v in parts.items()}
    ps = paired_summaries(
        joined["pre"],
        joined["post"],
        joined["groups"].astype(np.intp),
        size * n_topics,
        n_items=joined["k"],
    )
    columns: dict[str, Any] = {
        "topic": np.array([t for t, _ in topics] * size, dtype=object),
        "n_items": np.tile(np.array([k for _, k in topics], dtype=np.int64), size),
        **{key: ps[key] for key in PAIRED_KEYS},
    }
    columns["t_p_holm"] = holm_rows(ps["t_p"].reshape(size, n_topics)).ravel()
    columns["wilcoxon_p_holm"] = holm_rows(ps["wilcoxon_p"].reshape(size, n_topics)).ravel()
    as_float = pd.DataFrame(columns)[TOPIC_COLUMNS]
    columns["t_df"] = np.where(np.isnan(ps["t_df"]), 0, ps["t_df"]).astype(np.int64)
    as_int = pd.DataFrame(columns)[TOPIC_COLUMNS]
    every_df = (ps["n_paired"].reshape(size, n_topics) >= 2).all(axis=1)
    out = {}
    for i, wid in enumerate(ids):
        big = as_int if every_df[i] else as_float
        out[wid] = big.iloc[i * n_topics : (i + 1) * n_topics].reset_index(drop=True)
    return out


def item_tables_by_workshop(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    workshop_ids: Sequence[str] | None = None,
    *,
    ceiling: float = 0.90,
) -> dict[str, pd.DataFrame]:
    """``tables.item_table`` of every workshop, keyed by workshop id.

    One 0/1 matrix of every workshop's questionnaires; per workshop, phase and item the share
    correct (difficulty) and the corrected item-total correlation
    ``corr(x_j, total - x_j)`` from sums per group (the rows added in the per-workshop order,
    so the numbers are the same to the last bit); the linked participants' discordant pairs
    per item, their exact McNemar tests (``grouped.mcnemar_pvalues``) and the Holm adjustment
    across the workshop's items (``grouped.holm_rows``). ``workshop_ids``: as
    ``summaries_by_workshop`` (default: the workshops of ``answers``).

    References: McNemar, Q. (1947). Psychometrika 12, 153-157; Holm, S. (1979). Scand. J.
    Stat. 6, 65-70; Crocker, L., & Algina, J. (1986). Introduction to classical and modern test
    theory, ch. 14.

    Example:
        >>> item_tables_by_workshop(answers, codebook)["W1"]  # doctest: +SKIP
    """
    ids = _ids(answers, workshop_ids)
    size = len(ids)
    kn = codebook.loc[codebook["section"] == "knowledge", ["item_id", "topic"]]
    kn = kn.astype({"item_id": str, "topic": str})
    q = _questionnaires(answers, codebook, ids)
    k = len(q.items)
    g = q.group
    m = q.matrix.astype(float)
    n = np.bincount(g, minlength=2 * size)
    with np.errstate(invalid="ignore", divide="ignore"):
        difficulty = group_sums(m, g, 2 * size) / n[:, None]  # exact: sums of 0/1
        r = np.full((2 * size, k), np.nan)
        for which, rows in size_stacks(g, 2 * size):
            if rows.shape[1] < 2:
                continue
            # as item_total_correlation on knowledge_matrix's (column-major) matrix: one
            # workshop and phase per row, each item's questionnaires contiguous
            stack = np.ascontiguousarray(m[rows].transpose(0, 2, 1))
            rest = stack.sum(axis=1, keepdims=True) - stack
            xc = stack - stack.mean(axis=2, keepdims=True)
            rc = rest - rest.mean(axis=2, keepdims=True)
            den = np.sqrt((xc**2).sum(axis=2) * (rc**2).sum(axis=2))
            r[which] = (xc * rc).sum(axis=2) / den
    r = np.where(np.isfinite(r), r, np.nan)
    changes = _linked_item_changes(q, size)
    n_pre, n_post = n[0::2], n[1::2]
    columns = {
        "item_id": np.tile(kn["item_id"].to_numpy(dtype=object), size),
        "topic": np.tile(kn["topic"].to_numpy(dtype=object), size),
        **{key: v.reshape(-1) for key, v in changes.items()},
        "n_pre": np.repeat(n_pre.astype(np.int64), k),
        "n_post": np.repeat(n_post.astype(np.int64), k),
        "difficulty_pre": difficulty[0::2].reshape(-1),
        "difficulty_post": difficulty[1::2].reshape(-1),
        "discrimination_pre": r[0::2].reshape(-1),
        "discrimination_post": r[1::2].reshape(-1),
    }
    columns["ceiling"] = columns["difficulty_pre"] >= ceiling
    columns["negative_discrimination"] = (columns["discrimination_pre"] < -ZERO_TOLERANCE) | (
        columns["discrimination_post"] < -ZERO_TOLERANCE
    )
    return _frames(pd.DataFrame(columns)[ITEM_COLUMNS], ids, k)


def _linked_item_changes(q: _Questionnaires, size: int) -> dict[str, np.ndarray]:
    """The linked participants' columns of ``item_table`` for every workshop, shape
    (workshops, items): a pre and a post questionnaire of the same participant in the same
    workshop, in the order of the pre-tests."""
    k = q.matrix.shape[1]
    key = q.workshop.astype(np.int64) * (int(q.person.max()) + 1 if q.person.size else 1)
    key = key + q.person
    pre = np.flatnonzero(q.post == 0)
    post = np.flatnonzero(q.post == 1)
    match = pd.Index(key[post]).get_indexer(key[pre])
    pre, post = pre[match >= 0], post[match[match >= 0]]
    a = q.matrix[pre].astype(bool)
    b = q.matrix[post].astype(bool)
    lw = q.workshop[pre]
    n = np.bincount(lw, minlength=size)
    n_lost = group_sums(a & ~b, lw, size).astype(int)
    n_gained = group_sums(~a & b, lw, size).astype(int)
    linked = (n > 0)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        pre_pct = np.where(linked, 100.0 * (group_sums(a, lw, size) / n[:, None]), np.nan)
        post_pct = np.where(linked, 100.0 * (group_sums(b, lw, size) / n[:, None]), np.nan)
    p = np.where(linked, mcnemar_pvalues(n_lost, n_gained), np.nan)
    return {
        "n_paired": np.repeat(n.astype(np.int64), k).reshape(size, k),
        "pre_pct_correct": pre_pct,
        "post_pct_correct": post_pct,
        "change_pct": post_pct - pre_pct,
        "n_lost": n_lost,
        "n_gained": n_gained,
        "mcnemar_p": p,
        "mcnemar_p_holm": holm_rows(p),
    }


def reaction_summaries_by_workshop(
    answers: pd.DataFrame, codebook: pd.DataFrame, workshop_ids: Sequence[str] | None = None
) -> dict[str, pd.DataFrame]:
    """``tables.reaction_summary`` of every workshop, keyed by workshop id.

    Per workshop and reaction item (Kirkpatrick level 1), over the post questionnaires: the
    counts of the valid answers 1-5 (counted for all workshops at once), the missing ones,
    the shares ``100 n_v / n``, the share agreeing (4-5) and the median. ``workshop_ids``: as
    ``summaries_by_workshop`` (default: the workshops of ``answers``).

    Reference: Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). Evaluating Training Programs.

    Example:
        >>> reaction_summaries_by_workshop(answers, codebook)["W1"]  # doctest: +SKIP
    """
    ids = _ids(answers, workshop_ids)
    cb = codebook.loc[codebook["section"] == "reaction"]
    items = cb["item_id"].astype(str).tolist()
    if not items or not ids:
        empty = reaction_summary(answers.iloc[:0], codebook)
        return {w: empty.copy() for w in ids}
    size, n_items = len(ids), len(items)
    a = answers.loc[(answers["phase"] == "post") & answers["item_id"].isin(items)]
    v = pd.to_numeric(a["response"].where(a["status"] == "valid"), errors="coerce")
    v = v.where(v.isin([1, 2, 3, 4, 5])).to_numpy(dtype=float, na_value=np.nan)
    w = _codes(a, ids)
    item = pd.Index(items).get_indexer(a["item_id"].astype(str).to_numpy(dtype=object))
    on = w >= 0
    cell = (w * n_items + item)[on]
    v = v[on]
    total = np.bincount(cell, minlength=size * n_items)
    valid = ~np.isnan(v)
    cv, vv = cell[valid], v[valid]
    counts = np.bincount(cv * 5 + (vv.astype(int) - 1), minlength=size * n_items * 5)
    counts = counts.reshape(size * n_items, 5)
    n = counts.sum(axis=1)
    median = _medians(vv, cv, size * n_items)
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
    columns["median"] = median
    return _frames(pd.DataFrame(columns)[REACTION_COLUMNS], ids, n_items)


def _medians(values: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    """The median of each group's values (the mean of the two middle ones for an even
    count); NaN for an empty group."""
    out = np.full(size, np.nan)
    if not values.size:
        return out
    order = np.lexsort((values, groups))
    v = values[order]
    n = np.bincount(groups, minlength=size)
    start = np.concatenate([[0], np.cumsum(n)[:-1]])
    has = n > 0
    lo = start + (n - 1) // 2
    hi = start + n // 2
    out[has] = (v[lo[has]] + v[hi[has]]) / 2
    return out


def subgroup_tables_by_workshop(
    paired: pd.DataFrame,
    workshop_ids: Sequence[str] | None = None,
    *,
    variables: Sequence[str] = ("gender", "community", "years_of_service"),
    min_cell: int = MIN_CELL,
) -> dict[str, pd.DataFrame]:
    """``disclosure.subgroup_table`` of every workshop, keyed by workshop id.

    The groups of every characteristic are labelled once for all rows (``years_band``, a
    missing value as ``missing``); per workshop its cells (groups under ``min_cell`` pooled
    as ``other``) and the cells to hide (``disclosure.differencing_suppression``, which is
    the workshop's own, in Python); the shown cells' mean gains with their t intervals for
    all workshops at once (``grouped.mean_cis``). ``workshop_ids``: as
    ``summaries_by_workshop`` (default: the workshops of ``paired``).

    Reference: Hundepool, A., et al. (2012). Statistical Disclosure Control. Wiley, ch. 4-5.

    Example:
        >>> subgroup_tables_by_workshop(paired)["W1"]  # doctest: +SKIP
    """
    ids = _ids(paired, workshop_ids)
    empty = subgroup_table(paired.iloc[:0], variables=variables, min_cell=min_cell)
    present = [v for v in variables if v in paired.columns]
    w = _codes(paired, ids)
    order = np.argsort(w, kind="stable")
    order = order[w[order] >= 0]
    bounds = np.searchsorted(w[order], np.arange(len(ids) + 1))
    gain = as_float_array(paired["gain_pct"])[order] if len(paired) else np.array([])
    finite = np.isfinite(gain)
    labels = {var: _labels(paired[var].iloc[order], var) for var in present}
    rows: list[tuple[str, str, Any, bool]] = []
    shown_rows: list[np.ndarray] = []  # per shown cell: its row in the table, repeated
    shown_members: list[np.ndarray] = []  # ... and its members' positions in the sorted rows
    spans = []
    for i in range(len(ids)):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        start = len(rows)
        if hi > lo:
            cells = {
                var: _cells(*(part[lo:hi] for part in labels[var]), var, finite[lo:hi], min_cell)
                for var in present
            }
            everyone = np.flatnonzero(finite[lo:hi]).tolist()
            hidden = differencing_suppression(cells, everyone, min_cell)
            for var, groups in cells.items():
                for grp, at in groups.items():
                    if grp in hidden[var]:
                        rows.append((var, grp, SUPPRESSED if at.size < min_cell else HIDDEN, True))
                    else:
                        shown_rows.append(np.full(at.size, len(rows)))
                        shown_members.append(lo + at)
                        rows.append((var, grp, int(at.size), False))
        spans.append((start, len(rows)))
    big = empty
    if rows:
        at = np.concatenate(shown_members) if shown_members else np.array([], dtype=np.intp)
        row = np.concatenate(shown_rows) if shown_rows else np.array([], dtype=np.intp)
        mean, sd, low, high = mean_cis(gain[at], row, len(rows))
        big = pd.DataFrame(
            {
                "variable": np.array([r[0] for r in rows], dtype=object),
                "group": np.array([r[1] for r in rows], dtype=object),
                "n": _objects([r[2] for r in rows]),
                "mean_gain": mean,
                "sd_gain": sd,
                "ci_low": low,
                "ci_high": high,
                "suppressed": np.array([r[3] for r in rows], dtype=bool),
            }
        )[SUBGROUP_COLUMNS]
    return {
        wid: big.iloc[start:stop].reset_index(drop=True) if stop > start else empty.copy()
        for wid, (start, stop) in zip(ids, spans, strict=True)
    }


def _objects(values: list[Any]) -> np.ndarray:
    """An object array holding ``values`` as they are (Python ints and strings)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _labels(values: pd.Series, var: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group of one characteristic, as ``subgroup_table`` names it (the years
    of service in bands, other values as text, a missing value ``missing``), and where the
    value is missing."""
    if var == "years_of_service":
        g = years_band(values.to_numpy())
    else:
        g = pd.Series(values.to_numpy(), dtype="string")
    missing = g.isna().to_numpy()
    return g.fillna("missing").to_numpy(dtype=object), missing


def _cells(
    g: np.ndarray, missing: np.ndarray, var: str, finite: np.ndarray, min_cell: int
) -> dict[str, np.ndarray]:
    """One workshop's cells of one characteristic: the row positions (within the workshop) of
    each group with a finite gain, in the table's order (the years bands or the sorted values,
    then ``missing``), groups under ``min_cell`` pooled into ``other``."""
    if var == "years_of_service":
        order = [b[0] for b in YEARS_BANDS]
    else:
        order = sorted(set(g[~missing].tolist()))
    if (g == "missing").any():
        order = [*order, "missing"]
    cells: dict[str, np.ndarray] = {}
    for grp in order:
        at = np.flatnonzero((g == grp) & finite)
        if at.size:
            cells[grp] = at
    small = [key for key, at in cells.items() if at.size < min_cell]
    if small:
        merged = [*small, OTHER] if OTHER in cells and OTHER not in small else small
        pooled = np.concatenate([cells[key] for key in merged])
        cells = {key: at for key, at in cells.items() if key not in merged} | {OTHER: pooled}
    return cells
