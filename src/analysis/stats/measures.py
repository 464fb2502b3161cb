"""Single statistics: one function per statistic, as pinned in the methods (METHODS).

Every function takes numbers or arrays and returns plain numbers, dicts or arrays; nothing here
knows the processed frames. Scores are percent correct (0-100); standard deviations use
``ddof=1``; intervals are 95 %. The normalized change ``c_i`` is ``normalized_change`` of
``analysis.clean.scoring`` (where the ``paired`` table gets it).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..clean.scoring import normalized_change

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


def mean_ci(x: Any, level: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, SD (ddof=1) and t interval: ``mean +/- t((1+level)/2, n-1) sd / sqrt(n)``.

    Returns ``(mean, sd, ci_low, ci_high)``; NaN where undefined (no value: all NaN; one
    value: the mean only).

    Example:
        >>> mean_ci([4.0, 6.0, 8.0, 10.0])  # t(.975, 3) = 3.182
        (7.0, 2.581988897471611, 2.891479486478959, 11.108520513521041)
    """
    x = as_float_array(x)
    n = x.size
    if n == 0:
        return NAN, NAN, NAN, NAN
    m = float(x.mean())
    if n < 2:
        return m, NAN, NAN, NAN
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return m, sd, m - half, m + half


def rank_biserial(diff: Any) -> float:
    """Matched-pairs rank-biserial correlation ``r = (W+ - W-) / (W+ + W-)`` (Kerby 2014).

    Ranks of ``|d_i|`` over the non-zero differences, ties at their average rank. NaN when
    every difference is zero (or missing).

    Reference: Kerby, D. S. (2014). The simple difference formula. Compr. Psychol. 3.

    Example:
        >>> rank_biserial([1, 2, -3, 4])  # W+ = 1+2+4 = 7, W- = 3
        0.4
    """
    d = as_float_array(diff)
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
    x = as_float_array(pre)
    y = as_float_array(post)
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(x.size)
    out: dict[str, Any] = dict.fromkeys(PAIRED_KEYS, NAN)
    out["n_paired"] = n
    if n == 0:
        return out
    out |= _changes(x, y, n_items)
    if n < 2:
        return out
    out |= _spread_and_effects(x, y, out["diff_mean"])
    return out


def _changes(x: np.ndarray, y: np.ndarray, n_items: int | None) -> dict[str, float]:
    """Means, shares improved/unchanged/declined, Hake g, mean c_i, rank-biserial, Wilcoxon p.

    The step of ``paired_summary`` defined from one pair on (``x``, ``y`` without missing).
    """
    out: dict[str, float] = {}
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
    return out


def _spread_and_effects(x: np.ndarray, y: np.ndarray, diff_mean: float) -> dict[str, Any]:
    """SDs, the t interval of the mean difference, paired t, ``d_z`` with its interval, ``g_av``.

    The step of ``paired_summary`` defined from two pairs on.
    """
    n = int(x.size)
    d = y - x
    out: dict[str, Any] = {}
    # SDs below round-off of the data's magnitude count as zero (e.g. a constant shift)
    tol = 1e-10 * max(1.0, float(np.abs(x).max()), float(np.abs(y).max()))
    out["pre_sd"] = float(x.std(ddof=1))
    out["post_sd"] = float(y.std(ddof=1))
    sd = float(d.std(ddof=1))
    out["diff_sd"] = sd
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    out["diff_ci_low"] = diff_mean - half
    out["diff_ci_high"] = diff_mean + half
    out["t_df"] = n - 1
    if sd > tol:
        res = stats.ttest_rel(y, x)
        out["t_stat"] = _f(res.statistic)
        out["t_p"] = _f(res.pvalue)
        out["d_z"] = diff_mean / sd
        out["d_z_ci_low"], out["d_z_ci_high"] = d_z_exact_ci(out["t_stat"], n)
    sd_av = (out["pre_sd"] + out["post_sd"]) / 2
    if sd_av > tol:
        out["g_av"] = diff_mean / sd_av * (1 - 3 / (4 * 2 * n - 9))
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
    p = as_float_array(pvalues).ravel()
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
