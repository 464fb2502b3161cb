"""Single statistics: one function per statistic, as pinned in the methods (METHODS).

Every function takes numbers or arrays and returns plain numbers, dicts or arrays; nothing here
knows the processed frames. Scores are percent correct (0-100); standard deviations use
``ddof=1``; intervals are 95 %. The normalized change ``c_i`` is ``normalized_change`` of
``analysis.clean.scoring`` (where the ``paired`` table gets it).

Each statistic of many values takes ``by`` (an array of group labels, one per element) and
``groups`` and then gives every group's result in one call, a dict keyed by group id (the rules:
``groups``); the statistics of one value per test (``d_z_exact_ci``, ``mcnemar_exact``, and
``bayes.bf10_jzs``) also take arrays and give arrays. Either way a group's numbers are computed
by the same code as with ``by=None`` on its values alone.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.optimize import elementwise

from ..clean.scoring import normalized_change
from .groups import by_labels, group_ranks, size_stacks, split

__all__ = [
    "NAN",
    "MDE_ALPHA",
    "MDE_POWER",
    "PAIRED_KEYS",
    "as_float_array",
    "mean_ci",
    "rank_biserial",
    "d_z_exact_ci",
    "paired_summary",
    "kr20",
    "holm",
    "mcnemar_exact",
    "minimal_detectable_effect",
    "item_total_correlation",
]

NAN = float("nan")
MDE_ALPHA = 0.05  # two-sided significance level of the sensitivity analysis (METHODS)
MDE_POWER = 0.80  # its power

#: Keys of ``paired_summary``, in order (the computing keys; ``contract`` declares the files').
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

#: ``scipy.optimize.elementwise.find_root``'s tolerances for the noncentral-t interval: the
#: root to 4 ulps relative (a bound near 0 as exact as a large one), any |f| only when 0.
_ROOT_TOLERANCES = {"xatol": 4 * np.finfo(float).tiny, "xrtol": 4 * np.finfo(float).eps}
#: The permutation test's stacks hold at most this many sign patterns times groups (memory).
_PERMUTATION_BUDGET = 2**17


def _f(x: Any) -> float:
    """Plain Python float (NaN for None/NA/non-finite-free conversion)."""
    if x is None or x is pd.NA:
        return NAN
    try:
        return float(x)
    except (TypeError, ValueError):
        return NAN


def as_float_array(x: Any) -> np.ndarray:
    """Float ndarray from an array-like (pandas NA -> NaN)."""
    if isinstance(x, pd.Series | pd.Index):
        return pd.to_numeric(pd.Series(x), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(x, dtype=float)


def mean_ci(
    x: Any, level: float = 0.95, *, by: Any = None, groups: Sequence[Any] | None = None
) -> Any:
    """Mean, SD (ddof=1) and t interval: ``mean +/- t((1+level)/2, n-1) sd / sqrt(n)``.

    Returns ``(mean, sd, ci_low, ci_high)``; NaN where undefined (no value: all NaN; one
    value: the mean only). With ``by`` (a label per value): a dict keyed by group id of those
    tuples, the groups' values reduced in stacks of one size (``groups.size_stacks``).

    Reference: Student (1908). The probable error of a mean. Biometrika 6, 1-25.

    Example:
        >>> mean_ci([4.0, 6.0, 8.0, 10.0])  # t(.975, 3) = 3.182
        (7.0, 2.581988897471611, 2.891479486478959, 11.108520513521041)
        >>> mean_ci([4.0, 6.0, 8.0, 10.0, 3.0], by=["a"] * 4 + ["b"])["b"]
        (3.0, nan, nan, nan)
    """
    v = as_float_array(x).ravel()
    g = by_labels(v.size, by, groups)
    cols = _mean_cis(v, g.codes, g.size, level)
    return g.result([tuple(_f(c[i]) for c in cols) for i in range(g.size)])


def _mean_cis(
    v: np.ndarray, codes: np.ndarray, size: int, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``mean_ci`` of every group as four arrays (mean, sd, ci_low, ci_high)."""
    mean, sd, half = (np.full(size, np.nan) for _ in range(3))
    for which, rows in size_stacks(codes, size):
        values = v[rows]
        mean[which] = values.mean(axis=1)
        n = rows.shape[1]
        if n >= 2:
            sd[which] = values.std(axis=1, ddof=1)
            half[which] = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd[which] / math.sqrt(n)
    return mean, sd, mean - half, mean + half


def rank_biserial(diff: Any, *, by: Any = None, groups: Sequence[Any] | None = None) -> Any:
    """Matched-pairs rank-biserial correlation ``r = (W+ - W-) / (W+ + W-)`` (Kerby 2014).

    Ranks of ``|d_i|`` over the non-zero differences, ties at their average rank. NaN when
    every difference is zero (or missing). With ``by``: a dict keyed by group id.

    Reference: Kerby, D. S. (2014). The simple difference formula. Compr. Psychol. 3.

    Example:
        >>> rank_biserial([1, 2, -3, 4])  # W+ = 1+2+4 = 7, W- = 3
        0.4
        >>> rank_biserial([1, 2, -3, 4, 0], by=[1, 1, 1, 1, 2])
        {'1': 0.4, '2': nan}
    """
    d = as_float_array(diff).ravel()
    g = by_labels(d.size, by, groups)
    return g.result([_f(r) for r in _rank_biserials(d, g.codes, g.size)])


def _rank_biserials(d: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """``rank_biserial`` of every group: the ranks within each group (``group_ranks``)."""
    keep = np.isfinite(d) & (d != 0) & (codes >= 0)
    d, g = d[keep], codes[keep]
    r, _ = group_ranks(np.abs(d), g, size)
    w_plus = np.bincount(g, weights=np.where(d > 0, r, 0.0), minlength=size)
    w_minus = np.bincount(g, weights=np.where(d < 0, r, 0.0), minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (w_plus - w_minus) / (w_plus + w_minus)
    out[np.bincount(g, minlength=size) == 0] = np.nan
    return out


def _wilcoxon_pvalues(
    after: np.ndarray, before: np.ndarray, codes: np.ndarray, size: int
) -> np.ndarray:
    """``scipy.stats.wilcoxon(after, before).pvalue`` (its defaults) of every group; NaN for a
    group without a non-zero difference.

    scipy chooses its method once per call, from the length of the samples and whether any
    difference is zero or tied (``method="auto"``: exact, a permutation test, or the normal
    approximation). So the groups are given to it in stacks of one length and one kind (some
    zero or tie, or none), one call per stack along ``axis=1``: scipy makes for each group the
    choice it makes for that group alone, and computes its p the same way.
    """
    d = after - before
    g = codes
    n = np.bincount(g, minlength=size)
    nonzero = d != 0
    count = np.bincount(g[nonzero], minlength=size)
    _, tie = group_ranks(np.abs(d[nonzero]), g[nonzero], size)
    plain = (count == n) & (tie == 0)  # no zero and no tied |d|
    p = np.full(size, np.nan)
    for which, rows in size_stacks(g, size):
        length = rows.shape[1]
        for kind in (True, False):
            at = np.flatnonzero((plain[which] == kind) & (count[which] > 0))
            patterns = 2**length if length <= 13 and not kind else 1
            step = max(1, _PERMUTATION_BUDGET // patterns)
            for start in range(0, at.size, step):
                part = at[start : start + step]
                res = stats.wilcoxon(after[rows[part]], before[rows[part]], axis=1)
                p[which[part]] = res.pvalue
    return p


def d_z_exact_ci(t_stat: Any, n: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Exact interval of ``d_z`` by inverting the noncentral t (Steiger & Fouladi 1997).

    ``lambda_low`` solves ``nct.cdf(t, n-1, lambda) = (1+level)/2``, ``lambda_high`` solves
    ``= (1-level)/2``; the interval is ``lambda / sqrt(n)``. Both roots of every ``(t, n)`` at
    once: the bracket ``t -/+ max(2, |t|/2)`` widened by ``scipy.optimize.elementwise.
    bracket_root``, the root found by ``elementwise.find_root`` (Chandrupatla's method) to 4
    ulps. ``t_stat`` and ``n`` may be arrays (broadcast): then arrays. NaN where ``n < 2``,
    ``t`` is not finite or no root is found.

    Reference: Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and
    the evaluation of statistical models. In Harlow, Mulaik & Steiger (Eds.), What if there
    were no significance tests? Erlbaum.

    Example:
        >>> [round(v, 2) for v in d_z_exact_ci(4.0621, 10)]  # R sleep data
        [0.41, 2.12]
        >>> low, high = d_z_exact_ci([4.0621, 1.0], [10, 1])
        >>> low.round(2).tolist()
        [0.41, nan]
    """
    scalar = np.ndim(t_stat) == 0 and np.ndim(n) == 0
    t, size = np.broadcast_arrays(np.asarray(t_stat, dtype=float), np.asarray(n, dtype=float))
    t, size = t.ravel(), size.ravel()
    low, high = np.full(t.shape, np.nan), np.full(t.shape, np.nan)
    rows = np.flatnonzero((size >= 2) & np.isfinite(t))
    if rows.size:
        tt, df = t[rows], size[rows] - 1
        root_n = np.sqrt(size[rows])
        low[rows] = _nct_roots(tt, df, 0.5 + level / 2) / root_n
        high[rows] = _nct_roots(tt, df, 0.5 - level / 2) / root_n
    if scalar:
        return float(low[0]), float(high[0])
    return low, high


def _nct_cdf_minus(lam: np.ndarray, t: np.ndarray, df: np.ndarray, q: float) -> np.ndarray:
    return stats.nct.cdf(t, df, lam) - q


def _nct_roots(t: np.ndarray, df: np.ndarray, q: float) -> np.ndarray:
    """The ``lambda`` with ``nct.cdf(t, df, lambda) = q`` for each ``(t, df)``; NaN where the
    bracket or the root is not found."""
    step = np.maximum(2.0, np.abs(t) / 2)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        bracket = elementwise.bracket_root(_nct_cdf_minus, t - step, t + step, args=(t, df, q))
        root = elementwise.find_root(
            _nct_cdf_minus, bracket.bracket, args=(t, df, q), tolerances=_ROOT_TOLERANCES
        )
    return np.where(bracket.success & root.success, root.x, np.nan)


def paired_summary(
    pre: Any,
    post: Any,
    *,
    n_items: Any = None,
    by: Any = None,
    groups: Sequence[Any] | None = None,
) -> Any:
    """Every pairs-only statistic of a workshop (METHODS, per workshop), as plain numbers.

    With ``d_i = post_i - pre_i``: means/SDs (ddof=1); ``diff_ci = mean(d) +/- t(.975, n-1)
    sd(d)/sqrt(n)``; paired t (``t = mean(d) / (sd(d)/sqrt(n))``, ``p = 2 T_{n-1}(-|t|)``, as
    ``scipy.stats.ttest_rel(post, pre)``); ``wilcoxon_p`` (``scipy.stats.wilcoxon(post, pre)``
    itself, its defaults); matched-pairs ``rank_biserial`` (Kerby 2014); ``d_z = mean(d)/sd(d)``
    with the exact noncentral-t interval ``d_z_exact_ci`` (Steiger & Fouladi 1997);
    ``g_av = d_av (1 - 3/(8n - 9))``, ``d_av = mean(d) / ((sd_pre + sd_post)/2)`` (Lakens 2013);
    ``hake_g = (post_mean - pre_mean)/(100 - pre_mean)`` (Hake 1998); mean of ``c_i``
    (``normalized_change``, Marx & Cummings 2007); percent improved / unchanged / declined.

    When ``n_items`` is given (a number, or one per pair), pre/post are percents of ``n_items``
    items and the Wilcoxon test, the rank-biserial correlation and the improved/unchanged/
    declined shares use the integer numbers correct ``np.rint(x * n_items / 100)``. Pairs with a
    missing value are dropped. NaN where undefined (n < 2, an SD within round-off of zero, all
    differences zero for the Wilcoxon test). ``hake_g`` and ``mean_norm_change`` assume a 0-100
    scale. ``t_df`` is ``n - 1`` (int) from two pairs on. With ``by`` (a label per pair): a dict
    keyed by group id of these dicts, every group computed at once.

    References: Student (1908); Wilcoxon, F. (1945). Biometrics Bull. 1, 80-83; Lakens, D.
    (2013). Front. Psychol. 4, 863; Hake, R. R. (1998). Am. J. Phys. 66, 64-74; Marx, J. D., &
    Cummings, K. (2007). Am. J. Phys. 75, 87-91.

    Example:
        >>> s = paired_summary([50, 60, 70], [60, 60, 90], n_items=10)
        >>> s["n_paired"], s["diff_mean"], s["pct_unchanged"]
        (3, 10.0, 33.33333333333333)
        >>> s = paired_summary([50, 60, 70, 40], [60, 60, 90, 40], by=[1, 1, 1, 2])
        >>> s["2"]["n_paired"], s["2"]["diff_mean"]
        (1, 0.0)
    """
    x = as_float_array(pre)
    y = as_float_array(post)
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    x, y = x.ravel(), y.ravel()
    g = by_labels(x.size, by, groups)
    cols = _paired(x, y, g.codes, g.size, n_items)
    return g.result([_paired_dict(cols, i) for i in range(g.size)])


def _paired_dict(cols: dict[str, np.ndarray], i: int) -> dict[str, Any]:
    """Group ``i``'s ``paired_summary`` dict: plain numbers, ``n_paired`` and ``t_df`` ints."""
    out = {key: _f(cols[key][i]) for key in PAIRED_KEYS}
    n = int(cols["n_paired"][i])
    out["n_paired"] = n
    out["t_df"] = n - 1 if n >= 2 else NAN
    return out


def _paired(
    x: np.ndarray, y: np.ndarray, codes: np.ndarray, size: int, n_items: Any
) -> dict[str, np.ndarray]:
    """``paired_summary`` of every group: each key an array with a value per group."""
    ok = np.isfinite(x) & np.isfinite(y) & (codes >= 0)
    k = None if n_items is None else np.broadcast_to(np.asarray(n_items, dtype=float), ok.shape)
    x, y, g = x[ok], y[ok], codes[ok]
    n = np.bincount(g, minlength=size)
    out = {key: np.full(size, np.nan) for key in PAIRED_KEYS}
    out["n_paired"] = n
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore")  # nanmean of a group without c_i; scipy's small n
        if k is not None:
            xi = np.rint(x * k[ok] / 100).astype(int)
            yi = np.rint(y * k[ok] / 100).astype(int)
        else:
            xi, yi = x, y
        di = yi - xi
        for key, sign in (("pct_improved", 1), ("pct_unchanged", 0), ("pct_declined", -1)):
            out[key] = 100.0 * (np.bincount(g, weights=np.sign(di) == sign, minlength=size) / n)
        out["rank_biserial"] = _rank_biserials(di.astype(float), g, size)
        out["wilcoxon_p"] = _wilcoxon_pvalues(yi.astype(float), xi.astype(float), g, size)
        for which, rows in size_stacks(g, size):
            for key, value in _stack_statistics(x[rows], y[rows]).items():
                out[key][which] = value
    out["d_z_ci_low"], out["d_z_ci_high"] = d_z_exact_ci(out["t_stat"], n)
    return out


def _stack_statistics(x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """``paired_summary``'s means, SDs, t-test, effect sizes and mean ``c_i`` of groups of the
    same size ``n`` (one group per row of ``x`` and ``y``), reduced along the rows."""
    n = x.shape[1]
    d = y - x
    out = {"pre_mean": x.mean(axis=1), "post_mean": y.mean(axis=1), "diff_mean": d.mean(axis=1)}
    pm = out["pre_mean"]
    out["hake_g"] = np.where(pm != 100.0, (out["post_mean"] - pm) / (100.0 - pm), np.nan)
    c = normalized_change(x, y)
    out["mean_norm_change"] = np.where(np.isfinite(c).any(axis=1), np.nanmean(c, axis=1), np.nan)
    if n < 2:
        return out
    # SDs below round-off of the data's magnitude count as zero (e.g. a constant shift)
    scale = np.maximum(np.abs(x).max(axis=1), np.abs(y).max(axis=1))
    tol = 1e-10 * np.maximum(1.0, scale)
    out["pre_sd"] = x.std(axis=1, ddof=1)
    out["post_sd"] = y.std(axis=1, ddof=1)
    sd = d.std(axis=1, ddof=1)
    out["diff_sd"] = sd
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    out["diff_ci_low"] = out["diff_mean"] - half
    out["diff_ci_high"] = out["diff_mean"] + half
    out["t_df"] = np.full(len(x), n - 1.0)
    tested = sd > tol
    # as scipy.stats.ttest_rel(post, pre): var = mean((d - mean)^2) n/(n-1), t = mean / sqrt(var/n)
    var = ((d - d.mean(axis=1, keepdims=True)) ** 2).mean(axis=1) * (n / (n - 1))
    t = out["diff_mean"] / np.sqrt(var / n)
    out["t_stat"] = np.where(tested, t, np.nan)
    out["t_p"] = np.where(tested, 2 * special.stdtr(n - 1.0, -np.abs(t)), np.nan)
    out["d_z"] = np.where(tested, out["diff_mean"] / sd, np.nan)
    sd_av = (out["pre_sd"] + out["post_sd"]) / 2
    g_av = out["diff_mean"] / sd_av * (1 - 3 / (4 * 2 * n - 9))
    out["g_av"] = np.where(sd_av > tol, g_av, np.nan)
    return out


def kr20(matrix: Any, *, by: Any = None, groups: Sequence[Any] | None = None) -> Any:
    """KR-20 (Cronbach's alpha on a 0/1 item matrix; rows = questionnaires, columns = items).

    ``KR20 = k/(k-1) * (1 - sum(var_item) / var_total)`` with sample variances (ddof=1).
    Rows with a missing value are dropped. NaN with fewer than 2 rows or 2 items, or when the
    total score does not vary. With ``by`` (a label per row): a dict keyed by group id.

    Reference: Kuder, G. F., & Richardson, M. W. (1937). Psychometrika 2, 151-160;
    Cronbach, L. J. (1951). Psychometrika 16, 297-334.

    Example:
        >>> round(kr20([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]), 4)
        0.75
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2:
        raise ValueError("kr20 needs a 2-d matrix")
    g = by_labels(m.shape[0], by, groups)
    complete = ~np.isnan(m).any(axis=1)
    values = _kr20s(m[complete], g.codes[complete], g.size)
    return g.result([_f(v) for v in values])


def _kr20s(m: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """``kr20`` of every group of the rows of ``m`` (complete rows)."""
    k = m.shape[1]
    out = np.full(size, np.nan)
    if k < 2:
        return out
    with np.errstate(invalid="ignore", divide="ignore"):
        for which, rows in size_stacks(codes, size):
            if rows.shape[1] < 2:
                continue
            stack = m[rows]  # one group per row: (groups, questionnaires, items)
            var_total = stack.sum(axis=2).var(axis=1, ddof=1)
            ratio = stack.var(axis=1, ddof=1).sum(axis=1) / var_total
            out[which] = np.where(var_total > 0, k / (k - 1) * (1 - ratio), np.nan)
    return out


def holm(pvalues: Any, *, by: Any = None, groups: Sequence[Any] | None = None) -> Any:
    """Holm (1979) step-down adjusted p-values; NaN entries stay NaN and are not counted.

    Sorted ascending, ``p_(i) * (m - i + 1)`` (i = 1..m), made monotone by a running maximum,
    capped at 1. With ``by`` (a label per p-value): a dict keyed by group id of the adjusted
    p-values of each group (in their order), every group adjusted on its own.

    Reference: Holm, S. (1979). Scand. J. Stat. 6, 65-70.

    Example:
        >>> holm([0.01, 0.02, 0.03, 0.04, 0.05]).round(4).tolist()
        [0.05, 0.08, 0.09, 0.09, 0.09]
        >>> {k: v.tolist() for k, v in holm([0.01, 0.04, 0.2], by=["a", "a", "b"]).items()}
        {'a': [0.02, 0.04], 'b': [0.2]}
    """
    p = as_float_array(pvalues).ravel()
    g = by_labels(p.size, by, groups)
    adjusted, members = _holm_groups(p, g.codes, g.size)
    return g.result(split(adjusted, members, g.size))


def _holm_groups(p: np.ndarray, codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every p-value adjusted within its group (``_holm_rows`` of the groups laid out as rows,
    padded with NaN), and the group of each, in the order of ``p`` (rows of code -1 dropped)."""
    on = codes >= 0
    p, g = p[on], codes[on]
    count = np.bincount(g, minlength=size)
    order = np.argsort(g, kind="stable")
    place = np.empty(g.size, dtype=np.intp)
    place[order] = np.arange(g.size) - (np.cumsum(count) - count)[g[order]]
    table = np.full((size, int(count.max()) if g.size else 0), np.nan)
    table[g, place] = p
    return _holm_rows(table)[g, place], g


def _holm_rows(p: np.ndarray) -> np.ndarray:
    """``holm`` of each row of a 2-d array (NaN entries not counted)."""
    out = np.full(p.shape, np.nan)
    if not p.size:
        return out
    m = (~np.isnan(p)).sum(axis=1, keepdims=True)
    order = np.argsort(p, axis=1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=1) * (m - np.arange(p.shape[1]))
    adj = np.minimum(np.maximum.accumulate(ranked, axis=1), 1.0)
    np.put_along_axis(out, order, adj, axis=1)
    return out


def mcnemar_exact(
    b: Any, c: Any, *, by: Any = None, groups: Sequence[Any] | None = None
) -> dict[str, Any]:
    """Exact McNemar test: two-sided binomial test of ``b`` vs ``c`` discordant pairs, p = 1/2.

    ``p = min(1, 2 * Binom.cdf(min(b, c); b + c, 1/2))`` (equals
    ``scipy.stats.binomtest(b, b + c).pvalue`` and statsmodels ``mcnemar(exact=True)``);
    ``p = 1`` when there are no discordant pairs. ``b`` and ``c`` may be arrays (one test per
    element): then every value of the dict is an array; with ``by`` (a label per element), a
    dict keyed by group id of those dicts.

    Reference: McNemar, Q. (1947). Psychometrika 12, 153-157.

    Example:
        >>> mcnemar_exact(1, 9)["p_value"]  # 2 * (1 + 10) / 1024
        0.021484375
        >>> mcnemar_exact([1, 0], [9, 0])["p_value"].tolist()
        [0.021484375, 1.0]
    """
    bb = np.asarray(b, dtype=np.int64)
    cc = np.asarray(c, dtype=np.int64)
    n = bb + cc
    low = np.minimum(bb, cc)
    p = np.where(n == 0, 1.0, np.minimum(1.0, 2.0 * stats.binom.cdf(low, n, 0.5)))
    if by is None and bb.ndim == 0 and cc.ndim == 0:
        return {
            "b": int(bb),
            "c": int(cc),
            "n_discordant": int(n),
            "statistic": int(low),
            "p_value": float(p),
        }
    out = {"b": bb, "c": cc, "n_discordant": n, "statistic": low, "p_value": p}
    out = {key: np.broadcast_to(v, p.shape).ravel() for key, v in out.items()}
    if by is None:
        return out
    g = by_labels(p.size, by, groups)
    parts = {key: split(v, g.codes, g.size) for key, v in out.items()}
    return g.result([{key: parts[key][i] for key in out} for i in range(g.size)])


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


def item_total_correlation(
    matrix: Any, *, by: Any = None, groups: Sequence[Any] | None = None
) -> Any:
    """Corrected item-total (point-biserial) correlation per column: ``corr(x_j, total - x_j)``.

    Vectorized over items; NaN where the item or the rest score does not vary, or with fewer
    than 2 rows. With ``by`` (a label per row): a dict keyed by group id of these arrays.

    Reference: e.g. Crocker, L., & Algina, J. (1986). Introduction to classical and modern test
    theory, ch. 14.

    Example:
        >>> item_total_correlation([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]).round(3).tolist()
        [0.522, 0.707, 0.522]
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2:
        return np.full(0, np.nan)
    g = by_labels(m.shape[0], by, groups)
    values = _item_totals(m, g.codes, g.size)
    return g.result(list(values))


def _item_totals(m: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """``item_total_correlation`` of every group of the rows of ``m``: shape (groups, items);
    each item's values summed contiguously (pairwise), as numpy sums a column of a
    column-major matrix."""
    out = np.full((size, m.shape[1]), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        for which, rows in size_stacks(codes, size):
            if rows.shape[1] < 2:
                continue
            stack = np.ascontiguousarray(m[rows].transpose(0, 2, 1))  # (groups, items, rows)
            rest = stack.sum(axis=1, keepdims=True) - stack
            xc = stack - stack.mean(axis=2, keepdims=True)
            rc = rest - rest.mean(axis=2, keepdims=True)
            den = np.sqrt((xc**2).sum(axis=2) * (rc**2).sum(axis=2))
            out[which] = (xc * rc).sum(axis=2) / den
    return np.where(np.isfinite(out), out, np.nan)
