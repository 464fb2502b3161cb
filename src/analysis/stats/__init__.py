"""Per-workshop statistics: one function per statistic, as pinned in the methods (METHODS).

Every function takes arrays or the processed frames (``scores``, ``paired``, ``answers``,
``codebook``) and returns plain numbers, dicts, dataclasses or frames. Table functions take an
optional ``workshop_id``: given, the frames are filtered to that workshop; ``None`` uses every
row (the pooled picture). Scores are percent correct (0-100); standard deviations use
``ddof=1``; intervals are 95 %.

"Linked" participants are those with a scored pre *and* a scored post questionnaire under the
same ``participant_id`` (the clean step gives a linked pair one pseudonym, and an unlinked
questionnaire a pseudonym of its own), i.e. exactly the rows of the ``paired`` table.
"""

from __future__ import annotations

import math
import warnings
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..clean.scoring import normalized_change

__all__ = [
    "SUMMARY_KEYS",
    "PAIRED_KEYS",
    "YEARS_BANDS",
    "normalized_change",  # defined in clean.scoring, where paired gets it
    "rank_biserial",
    "d_z_exact_ci",
    "paired_summary",
    "kr20",
    "holm",
    "mcnemar_exact",
    "minimal_detectable_effect",
    "item_total_correlation",
    "knowledge_matrix",
    "kr20_by_phase",
    "topic_table",
    "item_table",
    "reaction_summary",
    "years_band",
    "complementary_suppression",
    "subgroup_table",
    "workshop_summary",
]

#: Keys of ``paired_summary``, in order.
PAIRED_KEYS: tuple[str, ...] = (
    "n_paired",
    "pre_mean",
    "pre_sd",
    "post_mean",
    "post_sd",
    "diff_mean",
    "diff_sd",
    "diff_ci_low",
    "diff_ci_high",
    "t_stat",
    "t_df",
    "t_p",
    "wilcoxon_p",
    "rank_biserial",
    "d_z",
    "d_z_ci_low",
    "d_z_ci_high",
    "g_av",
    "hake_g",
    "mean_norm_change",
    "pct_improved",
    "pct_unchanged",
    "pct_declined",
)

#: Keys of ``W*/summary.json`` (DATA-CONTRACT), in order.
SUMMARY_KEYS: tuple[str, ...] = (
    "workshop_id",
    "n_pre",
    "n_post",
    *PAIRED_KEYS[:-3],
    "kr20_pre",
    "kr20_post",
    *PAIRED_KEYS[-3:],
    "synthetic",
)

#: Years-of-service bands of the subgroup table: (label, lower bound inclusive, upper exclusive).
YEARS_BANDS: tuple[tuple[str, float, float], ...] = (
    ("0-9", 0.0, 10.0),
    ("10-19", 10.0, 20.0),
    ("20+", 20.0, math.inf),
)

NAN = float("nan")
SUPPRESSED = "<5"
#: ``n`` of a cell hidden only so that a smaller one cannot be worked out from the total.
HIDDEN = "hidden"
#: The group that pools every group under the minimum cell size, so that none is named.
OTHER = "other"


# --------------------------------------------------------------------------------------------
# helpers


def _f(x: Any) -> float:
    """Plain Python float (NaN for None/NA/non-finite-free conversion)."""
    if x is None or x is pd.NA:
        return NAN
    try:
        return float(x)
    except (TypeError, ValueError):
        return NAN


def _arr(x: Any) -> np.ndarray:
    """Float ndarray from an array-like (pandas NA -> NaN)."""
    if isinstance(x, pd.Series | pd.Index):
        return pd.to_numeric(pd.Series(x), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(x, dtype=float)


_SPLITS: dict[int, tuple[weakref.ref, dict[str, np.ndarray]]] = {}


def _filter(frame: pd.DataFrame, workshop_id: str | None) -> pd.DataFrame:
    """The rows of one workshop (all rows for ``None``).

    A frame is split by workshop once and the row positions are remembered for as long as the
    frame lives, so that tables computed workshop by workshop do not scan it again each time.
    """
    if workshop_id is None:
        return frame
    entry = _SPLITS.get(id(frame))
    if entry is None or entry[0]() is not frame:
        codes, uniques = pd.factorize(frame["workshop_id"])
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        groups = {str(u): order[bounds[i] : bounds[i + 1]] for i, u in enumerate(uniques)}
        entry = (weakref.ref(frame), groups)
        _SPLITS[id(frame)] = entry
        weakref.finalize(frame, _SPLITS.pop, id(frame), None)
    return frame.iloc[entry[1].get(str(workshop_id), np.array([], dtype=np.intp))]


def _linked_ids(phase_ids: pd.DataFrame) -> pd.Index:
    """Participant ids with both a pre and a post row (columns participant_id, phase)."""
    pre = pd.Index(phase_ids.loc[phase_ids["phase"] == "pre", "participant_id"].unique())
    post = pd.Index(phase_ids.loc[phase_ids["phase"] == "post", "participant_id"].unique())
    return pre.intersection(post, sort=False)


def _mean_ci(x: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, SD, and t interval of the mean (NaN where undefined)."""
    n = x.size
    if n == 0:
        return NAN, NAN, NAN, NAN
    m = float(x.mean())
    if n < 2:
        return m, NAN, NAN, NAN
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return m, sd, m - half, m + half


# --------------------------------------------------------------------------------------------
# single statistics


def rank_biserial(diff: Any) -> float:
    """Matched-pairs rank-biserial correlation ``r = (W+ - W-) / (W+ + W-)`` (Kerby 2014).

    Ranks of ``|d_i|`` over the non-zero differences, ties at their average rank. NaN when
    every difference is zero (or missing).

    Reference: Kerby, D. S. (2014). The simple difference formula. Compr. Psychol. 3.

    Example:
        >>> rank_biserial([1, 2, -3, 4])  # W+ = 1+2+4 = 7, W- = 3
        0.4
    """
    d = _arr(diff)
    d = d[np.isfinite(d) & (d != 0)]
    if d.size == 0:
        return NAN
    r = stats.rankdata(np.abs(d), method="average")
    w_plus = r[d > 0].sum()
    w_minus = r[d < 0].sum()
    return float((w_plus - w_minus) / (w_plus + w_minus))


def d_z_exact_ci(t_stat: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact interval of ``d_z`` by inverting the noncentral t (Steiger & Fouladi 1997).

    ``lambda_low`` solves ``nct.cdf(t, n-1, lambda) = (1+level)/2``, ``lambda_high`` solves
    ``= (1-level)/2`` (scipy ``brentq``); the interval is ``lambda / sqrt(n)``.

    Reference: Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation.

    Example:
        >>> [round(v, 2) for v in d_z_exact_ci(4.0621, 10)]  # R sleep data
        [0.41, 2.12]
    """
    if n < 2 or not np.isfinite(t_stat):
        return NAN, NAN
    df = n - 1

    def root(q: float) -> float:
        def f(lam: float) -> float:
            return float(stats.nct.cdf(t_stat, df, lam)) - q

        # cdf decreases in lambda; widen a bracket around t until it changes sign.
        step = max(2.0, abs(t_stat) / 2)
        lo, hi = t_stat - step, t_stat + step
        for _ in range(60):
            flo, fhi = f(lo), f(hi)
            if flo >= 0 >= fhi:
                return float(optimize.brentq(f, lo, hi, xtol=1e-10, maxiter=500))
            if flo < 0:
                lo -= step
            if fhi > 0:
                hi += step
            step *= 2
        return NAN

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        lam_low = root(0.5 + level / 2)
        lam_high = root(0.5 - level / 2)
    return lam_low / math.sqrt(n), lam_high / math.sqrt(n)


def paired_summary(pre: Any, post: Any, *, n_items: int | None = None) -> dict[str, Any]:
    """Every pairs-only statistic of a workshop (METHODS, per workshop), as plain numbers.

    With ``d_i = post_i - pre_i``: means/SDs (ddof=1); ``diff_ci = mean(d) +/- t(.975, n-1)
    sd(d)/sqrt(n)``; paired t (``scipy.stats.ttest_rel(post, pre)``); ``wilcoxon_p``
    (``scipy.stats.wilcoxon(post, pre)``, defaults); matched-pairs ``rank_biserial`` (Kerby
    2014); ``d_z = mean(d)/sd(d)`` with exact noncentral-t interval (Steiger & Fouladi 1997);
    ``g_av = d_av (1 - 3/(8n - 9))``, ``d_av = mean(d) / ((sd_pre + sd_post)/2)`` (Lakens 2013);
    ``hake_g = (post_mean - pre_mean)/(100 - pre_mean)`` (Hake 1998); mean of ``c_i``
    (``normalized_change``); percent improved / unchanged / declined.

    When ``n_items`` is given, pre/post are percents of ``n_items`` items and the Wilcoxon test,
    the rank-biserial correlation and the improved/unchanged/declined shares use the integer
    numbers correct ``np.rint(x * n_items / 100)``. Pairs with a missing value are dropped.
    NaN where undefined (n < 2, zero SD, all differences zero for the Wilcoxon test).
    ``hake_g`` and ``mean_norm_change`` assume a 0-100 scale.

    Example:
        >>> s = paired_summary([50, 60, 70], [60, 60, 90], n_items=10)
        >>> s["n_paired"], s["diff_mean"], s["pct_unchanged"]
        (3, 10.0, 33.33333333333333)
    """
    x = _arr(pre)
    y = _arr(post)
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(x.size)
    out: dict[str, Any] = dict.fromkeys(PAIRED_KEYS, NAN)
    out["n_paired"] = n
    if n == 0:
        return out
    if n_items is not None:
        xi = np.rint(x * n_items / 100).astype(int)
        yi = np.rint(y * n_items / 100).astype(int)
        di = yi - xi
    else:
        xi, yi = x, y
        di = y - x
    d = y - x
    out["pre_mean"] = float(x.mean())
    out["post_mean"] = float(y.mean())
    out["diff_mean"] = float(d.mean())
    out["pct_improved"] = float(100.0 * np.mean(di > 0))
    out["pct_unchanged"] = float(100.0 * np.mean(di == 0))
    out["pct_declined"] = float(100.0 * np.mean(di < 0))
    pm = out["pre_mean"]
    out["hake_g"] = float((out["post_mean"] - pm) / (100.0 - pm)) if pm != 100.0 else NAN
    c = normalized_change(x, y)
    out["mean_norm_change"] = float(np.nanmean(c)) if np.isfinite(c).any() else NAN
    out["rank_biserial"] = rank_biserial(di)
    if np.any(di != 0):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out["wilcoxon_p"] = _f(stats.wilcoxon(yi, xi).pvalue)
    if n < 2:
        return out
    # SDs below round-off of the data's magnitude count as zero (e.g. a constant shift)
    tol = 1e-10 * max(1.0, float(np.abs(x).max()), float(np.abs(y).max()))
    out["pre_sd"] = float(x.std(ddof=1))
    out["post_sd"] = float(y.std(ddof=1))
    sd = float(d.std(ddof=1))
    out["diff_sd"] = sd
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    out["diff_ci_low"] = out["diff_mean"] - half
    out["diff_ci_high"] = out["diff_mean"] + half
    out["t_df"] = n - 1
    if sd > tol:
        res = stats.ttest_rel(y, x)
        out["t_stat"] = _f(res.statistic)
        out["t_p"] = _f(res.pvalue)
        out["d_z"] = out["diff_mean"] / sd
        out["d_z_ci_low"], out["d_z_ci_high"] = d_z_exact_ci(out["t_stat"], n)
    sd_av = (out["pre_sd"] + out["post_sd"]) / 2
    if sd_av > tol:
        out["g_av"] = out["diff_mean"] / sd_av * (1 - 3 / (4 * 2 * n - 9))
    return out


def kr20(matrix: Any) -> float:
    """KR-20 (Cronbach's alpha on a 0/1 item matrix; rows = questionnaires, columns = items).

    ``KR20 = k/(k-1) * (1 - sum(var_item) / var_total)`` with sample variances (ddof=1).
    Rows with a missing value are dropped. NaN with fewer than 2 rows or 2 items, or when the
    total score does not vary.

    Reference: Kuder, G. F., & Richardson, M. W. (1937). Psychometrika 2, 151-160;
    Cronbach, L. J. (1951). Psychometrika 16, 297-334.

    Example:
        >>> round(kr20([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]), 4)
        0.75
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2:
        raise ValueError("kr20 needs a 2-d matrix")
    m = m[~np.isnan(m).any(axis=1)]
    n, k = m.shape
    if n < 2 or k < 2:
        return NAN
    var_total = m.sum(axis=1).var(ddof=1)
    if var_total <= 0:
        return NAN
    return float(k / (k - 1) * (1 - m.var(axis=0, ddof=1).sum() / var_total))


def holm(pvalues: Any) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values; NaN entries stay NaN and are not counted.

    Sorted ascending, ``p_(i) * (m - i + 1)`` (i = 1..m), made monotone by a running maximum,
    capped at 1.

    Reference: Holm, S. (1979). Scand. J. Stat. 6, 65-70.

    Example:
        >>> holm([0.01, 0.02, 0.03, 0.04, 0.05]).round(4).tolist()
        [0.05, 0.08, 0.09, 0.09, 0.09]
    """
    p = _arr(pvalues).ravel()
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    out[order] = np.minimum(adj, 1.0)
    return out


def mcnemar_exact(b: int, c: int) -> dict[str, float | int]:
    """Exact McNemar test: two-sided binomial test of ``b`` vs ``c`` discordant pairs, p = 1/2.

    ``p = min(1, 2 * Binom.cdf(min(b, c); b + c, 1/2))`` (equals
    ``scipy.stats.binomtest(b, b + c).pvalue`` and statsmodels ``mcnemar(exact=True)``);
    ``p = 1`` when there are no discordant pairs.

    Reference: McNemar, Q. (1947). Psychometrika 12, 153-157.

    Example:
        >>> mcnemar_exact(1, 9)["p_value"]  # 2 * (1 + 10) / 1024
        0.021484375
    """
    b, c = int(b), int(c)
    n = b + c
    p = 1.0 if n == 0 else min(1.0, 2.0 * float(stats.binom.cdf(min(b, c), n, 0.5)))
    return {"b": b, "c": c, "n_discordant": n, "statistic": min(b, c), "p_value": p}


MDE_ALPHA = 0.05  # two-sided significance level of the sensitivity analysis (METHODS)
MDE_POWER = 0.80  # its power


def minimal_detectable_effect(n: int, alpha: float = MDE_ALPHA, power: float = MDE_POWER) -> float:
    """Smallest ``d_z`` a paired t-test on ``n`` pairs detects (two-sided; statsmodels TTestPower).

    Solves ``TTestPower().power(d, nobs=n, alpha=alpha) = power`` for ``d``. NaN for n < 2.

    Reference: Cohen, J. (1988). Statistical power analysis (2nd ed.).

    Example:
        >>> round(minimal_detectable_effect(20), 3)
        0.66
    """
    from statsmodels.stats.power import TTestPower

    if n < 2:
        return NAN
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        d = TTestPower().solve_power(
            effect_size=None, nobs=n, alpha=alpha, power=power, alternative="two-sided"
        )
    return _f(np.squeeze(d))


def item_total_correlation(matrix: Any) -> np.ndarray:
    """Corrected item-total (point-biserial) correlation per column: ``corr(x_j, total - x_j)``.

    Vectorized over items; NaN where the item or the rest score does not vary.

    Reference: e.g. Crocker, L., & Algina, J. (1986). Introduction to classical and modern test
    theory, ch. 14.

    Example:
        >>> item_total_correlation([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]).round(3).tolist()
        [0.522, 0.707, 0.522]
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.shape[0] < 2:
        return np.full(m.shape[-1] if m.ndim == 2 else 0, np.nan)
    rest = m.sum(axis=1, keepdims=True) - m
    xc = m - m.mean(axis=0)
    rc = rest - rest.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (xc * rc).sum(axis=0) / np.sqrt((xc**2).sum(axis=0) * (rc**2).sum(axis=0))
    return np.where(np.isfinite(r), r, np.nan)


# --------------------------------------------------------------------------------------------
# tables


def _knowledge_items(codebook: pd.DataFrame) -> pd.DataFrame:
    return codebook.loc[codebook["section"] == "knowledge", ["item_id", "topic"]]


def knowledge_matrix(
    answers: pd.DataFrame, codebook: pd.DataFrame, phase: str, workshop_id: str | None = None
) -> pd.DataFrame:
    """0/1 matrix of a phase: index ``(workshop_id, participant_id)``, columns knowledge items.

    Missing ``correct`` (should not occur for knowledge items) counts as incorrect, like the
    scoring rule for unanswered and invalid answers.

    Example:
        >>> m = knowledge_matrix(answers, codebook, "pre", "W1")  # doctest: +SKIP
    """
    items = _knowledge_items(codebook)["item_id"].astype(str).tolist()
    a = _filter(answers, workshop_id)
    a = a.loc[(a["phase"] == phase) & a["item_id"].isin(items)]
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


def kr20_by_phase(
    answers: pd.DataFrame, codebook: pd.DataFrame, workshop_id: str | None = None
) -> dict[str, float]:
    """KR-20 of the knowledge test per phase, over all scored questionnaires of the phase.

    Returns ``{"pre": kr20_pre, "post": kr20_post}`` (see ``kr20``).

    Example:
        >>> kr20_by_phase(answers, codebook, "W1")  # doctest: +SKIP
        {'pre': 0.61, 'post': 0.55}
    """
    return {
        ph: kr20(knowledge_matrix(answers, codebook, ph, workshop_id).to_numpy())
        for ph in ("pre", "post")
    }


def topic_table(
    scores: pd.DataFrame, codebook: pd.DataFrame, workshop_id: str | None = None
) -> pd.DataFrame:
    """Paired statistics per topic sub-score (linked participants), Holm-adjusted across topics.

    One row per topic (codebook order): ``topic``, ``n_items``, every ``paired_summary`` key
    (Wilcoxon and rank-biserial on the topic's integer numbers correct), ``t_p_holm`` and
    ``wilcoxon_p_holm`` (Holm 1979 across the topics).

    Example:
        >>> t = topic_table(scores, codebook, "W1")  # doctest: +SKIP
        >>> t[["topic", "diff_mean", "t_p_holm"]]  # doctest: +SKIP
    """
    s = _filter(scores, workshop_id)
    linked = _linked_ids(s)
    s = s.loc[s["participant_id"].isin(linked)]
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
    return out


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


def item_table(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    workshop_id: str | None = None,
    *,
    ceiling: float = 0.90,
) -> pd.DataFrame:
    """Per knowledge item: pre/post percent correct, exact McNemar, difficulty, discrimination.

    Columns: ``item_id, topic, n_paired, pre_pct_correct, post_pct_correct, change_pct``
    (linked participants); ``n_lost`` (correct pre, wrong post) and ``n_gained`` (wrong pre,
    correct post), the discordant pairs; ``mcnemar_p`` (``mcnemar_exact``) and
    ``mcnemar_p_holm`` (Holm across items); ``n_pre, n_post`` (all scored questionnaires of the
    phase); ``difficulty_pre/post`` (share correct, 0-1) and ``discrimination_pre/post``
    (corrected item-total point-biserial, ``item_total_correlation``) over all scored
    questionnaires of the phase; flags ``ceiling`` (``difficulty_pre >= 0.90``) and
    ``negative_discrimination`` (discrimination < 0 in at least one phase, METHODS; negative
    in both phases points to a wrong key, in one phase alone it may be noise of a small group).

    Example:
        >>> t = item_table(answers, codebook, "W1")  # doctest: +SKIP
        >>> t.loc[t["ceiling"], "item_id"]  # doctest: +SKIP
    """
    kn = _knowledge_items(codebook).astype({"item_id": str, "topic": str})
    m_pre = knowledge_matrix(answers, codebook, "pre", workshop_id)
    m_post = knowledge_matrix(answers, codebook, "post", workshop_id)
    linked = m_pre.index.intersection(m_post.index, sort=False)
    a = m_pre.loc[linked].to_numpy(dtype=bool)
    b = m_post.loc[linked].to_numpy(dtype=bool)
    n_lost = (a & ~b).sum(axis=0)
    n_gained = (~a & b).sum(axis=0)
    n = len(linked)
    # exact McNemar, vectorized over items
    nd = n_lost + n_gained
    p = np.where(
        nd > 0,
        np.minimum(1.0, 2.0 * stats.binom.cdf(np.minimum(n_lost, n_gained), nd, 0.5)),
        1.0,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        pre_pct = 100.0 * a.mean(axis=0) if n else np.full(len(kn), np.nan)
        post_pct = 100.0 * b.mean(axis=0) if n else np.full(len(kn), np.nan)
        diff_pre = m_pre.to_numpy().mean(axis=0) if len(m_pre) else np.full(len(kn), np.nan)
        diff_post = m_post.to_numpy().mean(axis=0) if len(m_post) else np.full(len(kn), np.nan)
    disc_pre = item_total_correlation(m_pre.to_numpy())
    disc_post = item_total_correlation(m_post.to_numpy())
    if n == 0:
        p = np.full(len(kn), np.nan)
    out = pd.DataFrame(
        {
            "item_id": kn["item_id"].to_numpy(),
            "topic": kn["topic"].to_numpy(),
            "n_paired": n,
            "pre_pct_correct": pre_pct,
            "post_pct_correct": post_pct,
            "change_pct": post_pct - pre_pct,
            "n_lost": n_lost.astype(int),
            "n_gained": n_gained.astype(int),
            "mcnemar_p": p,
            "mcnemar_p_holm": holm(p),
            "n_pre": len(m_pre),
            "n_post": len(m_post),
            "difficulty_pre": diff_pre,
            "difficulty_post": diff_post,
            "discrimination_pre": disc_pre,
            "discrimination_post": disc_post,
        }
    )
    out["ceiling"] = out["difficulty_pre"].to_numpy() >= ceiling
    out["negative_discrimination"] = (out["discrimination_pre"] < 0) | (
        out["discrimination_post"] < 0
    )
    return out[ITEM_COLUMNS]


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


def reaction_summary(
    answers: pd.DataFrame, codebook: pd.DataFrame, workshop_id: str | None = None
) -> pd.DataFrame:
    """Per reaction item (Kirkpatrick level 1): distribution over 1-5, share agreeing, median.

    Over the post questionnaires; a response counts when its status is ``valid`` and it is an
    integer 1-5 (blank and invalid are ``n_missing``). Columns: ``item_id, text_en, n,
    n_missing, n_1..n_5, pct_1..pct_5`` (percent of ``n``), ``pct_agree`` (percent 4-5),
    ``median``.

    Reference: Kirkpatrick, D. L., & Kirkpatrick, J. D. (2006). Evaluating Training Programs.

    Example:
        >>> reaction_summary(answers, codebook, "W1")[["item_id", "pct_agree"]]  # doctest: +SKIP
    """
    cb = codebook.loc[codebook["section"] == "reaction"]
    items = cb["item_id"].astype(str).tolist()
    a = _filter(answers, workshop_id)
    a = a.loc[(a["phase"] == "post") & a["item_id"].isin(items)]
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


def years_band(years: Any) -> pd.Series:
    """Years of service in bands ``0-9``, ``10-19``, ``20+`` (``YEARS_BANDS``); NA stays NA.

    Example:
        >>> years_band([0, 9.5, 10, 25, None]).tolist()
        ['0-9', '0-9', '10-19', '20+', <NA>]
    """
    y = _arr(pd.Series(years, dtype=object))
    labels = np.array([b[0] for b in YEARS_BANDS] + [""], dtype=object)
    conds = [(y >= lo) & (y < hi) for _, lo, hi in YEARS_BANDS]
    out = pd.Series(np.select(conds, labels[:-1], default=""), dtype="string")
    return out.mask(out == "", pd.NA)


SUBGROUP_COLUMNS = [
    "variable",
    "group",
    "n",
    "mean_gain",
    "sd_gain",
    "ci_low",
    "ci_high",
    "suppressed",
]


def complementary_suppression(sizes: dict[str, int], min_cell: int = 5) -> set[str]:
    """Cells of one characteristic to hide: those under ``min_cell``, plus complements.

    The total of a characteristic is published elsewhere (``n_paired``), so a single hidden
    cell could be worked out by subtraction; and a reader who knows the rule knows that a
    hidden complement holds at least ``min_cell`` people. So the smallest shown cell is hidden
    too (complementary suppression, as statistical offices practise it) until, from the
    hidden total, each small cell could still hold anything from 1 to ``min_cell - 1``:
    ``total - (small - 1) - complements * min_cell >= min_cell - 1``. With 14 people in
    ``other`` 1, ``0-9`` 5 and ``10-19`` 8, hiding ``other`` and ``0-9`` would give them away
    (6 = 1 + 5), so all three are hidden.

    Example:
        >>> sorted(complementary_suppression({"F": 4, "M": 10}))
        ['F', 'M']
        >>> sorted(complementary_suppression({"a": 2, "b": 3, "c": 9}))
        ['a', 'b']
        >>> sorted(complementary_suppression({"other": 1, "0-9": 5, "10-19": 8}))
        ['0-9', '10-19', 'other']
        >>> sorted(complementary_suppression({"a": 6, "b": 9}))
        []
    """
    small = {k for k, n in sizes.items() if n < min_cell}
    hidden = set(small)
    shown = sorted((n, k) for k, n in sizes.items() if k not in hidden)

    def disclosed() -> bool:
        if len(hidden) == 1:
            return True
        slack = sum(sizes[k] for k in hidden) - (len(small) - 1)
        slack -= (len(hidden) - len(small)) * min_cell
        return slack < min_cell - 1

    while small and shown and disclosed():
        hidden.add(shown.pop(0)[1])
    return hidden


def subgroup_table(
    paired: pd.DataFrame,
    workshop_id: str | None = None,
    *,
    variables: Sequence[str] = ("gender", "community", "years_of_service"),
    min_cell: int = 5,
) -> pd.DataFrame:
    """Mean gain (``gain_pct``) with a t interval per subgroup cell, small cells suppressed.

    One row per (``variable``, ``group``): gender, community and years of service in bands
    (``years_band``); a missing value is the group ``missing``. A cell with fewer than
    ``min_cell`` participants shows ``n = "<5"`` and no statistics (NA), ``suppressed = True``,
    to protect identities; every such group is pooled into one group ``other`` first (alone,
    if it is the only one), so that no small group is even named. A cell hidden only as the
    complement of a small one (``complementary_suppression``) shows ``n = "hidden"``. Columns:
    ``variable, group, n`` (int, or the string ``"<5"``), ``mean_gain, sd_gain, ci_low,
    ci_high, suppressed``. Variables absent from ``paired`` are
    skipped.

    Example:
        >>> subgroup_table(paired, "W1")  # doctest: +SKIP
    """
    p = _filter(paired, workshop_id)
    gain = _arr(p["gain_pct"]) if len(p) else np.array([])
    rows = []
    for var in variables:
        if var not in p.columns:
            continue
        if var == "years_of_service":
            g = years_band(p[var].to_numpy())
            order = [b[0] for b in YEARS_BANDS]
        else:
            g = pd.Series(p[var].to_numpy(), dtype="string")
            order = sorted(g.dropna().unique().tolist())
        g = g.fillna("missing").to_numpy()
        if (g == "missing").any():
            order = [*order, "missing"]
        cells: dict[str, np.ndarray] = {}
        for grp in order:
            x = gain[g == grp]
            x = x[np.isfinite(x)]
            if x.size:
                cells[grp] = x
        # groups under min_cell are not even named: they are pooled into one group "other"
        # (a single small group too: "Serb <5" would tell that the workshop had a Serb officer)
        small = [k for k, v in cells.items() if v.size < min_cell]
        if small:
            cells = {k: v for k, v in cells.items() if k not in small} | {
                OTHER: np.concatenate([cells[k] for k in small])
            }
        primary = {k for k, v in cells.items() if v.size < min_cell}
        hidden = complementary_suppression({k: v.size for k, v in cells.items()}, min_cell)
        for grp, x in cells.items():
            if grp in hidden:
                n = SUPPRESSED if grp in primary else HIDDEN
                rows.append(
                    {"variable": var, "group": grp, "n": n, "suppressed": True}
                    | dict.fromkeys(["mean_gain", "sd_gain", "ci_low", "ci_high"], NAN)
                )
                continue
            m, sd, lo, hi = _mean_ci(x)
            rows.append(
                {
                    "variable": var,
                    "group": grp,
                    "n": int(x.size),
                    "mean_gain": m,
                    "sd_gain": sd,
                    "ci_low": lo,
                    "ci_high": hi,
                    "suppressed": False,
                }
            )
    out = pd.DataFrame(rows, columns=SUBGROUP_COLUMNS)
    return out.astype({"n": object, "suppressed": bool})


def workshop_summary(
    scores: pd.DataFrame,
    paired: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    workshop_id: str,
    synthetic: bool,
) -> dict[str, Any]:
    """The ``W*/summary.json`` dict: exactly ``SUMMARY_KEYS``, in order, plain Python values.

    ``n_pre``/``n_post`` count the scored questionnaires of the phase; the pairs statistics come
    from ``paired_summary(pre_pct, post_pct, n_items=...)`` on the ``paired`` rows;
    ``kr20_pre``/``kr20_post`` from ``kr20_by_phase``.

    Example:
        >>> s = workshop_summary(scores, paired, answers, codebook, "W1", True)  # doctest: +SKIP
        >>> list(s)[:3]  # doctest: +SKIP
        ['workshop_id', 'n_pre', 'n_post']
    """
    s = _filter(scores, workshop_id)
    p = _filter(paired, workshop_id)
    n_items = (
        int(s["n_items"].iloc[0]) if len(s) else int((codebook["section"] == "knowledge").sum())
    )
    ps = paired_summary(p["pre_pct"], p["post_pct"], n_items=n_items)
    k = kr20_by_phase(answers, codebook, workshop_id)
    out: dict[str, Any] = {
        "workshop_id": str(workshop_id),
        "n_pre": int((s["phase"] == "pre").sum()),
        "n_post": int((s["phase"] == "post").sum()),
        **ps,
        "kr20_pre": k["pre"],
        "kr20_post": k["post"],
        "synthetic": bool(synthetic),
    }
    return {key: out[key] for key in SUMMARY_KEYS}
