"""Single statistics of many groups at once: for every group of an array's rows, what the
statistic of ``measures`` gives on that group's rows alone, to the last bit.

Groups are integer codes ``0 .. n_groups - 1``, one per row (the rows of a group need not be
adjacent, and keep their order); every function returns one value per group, in code order,
so that a group's result never depends on the other groups. The groups of the same size are
stacked into one array (``size_stacks``) and reduced along its rows by the numpy functions the
single statistics call (``mean``, ``std``, ``nanmean``), which add in the same order as on one
group alone; the distributions' functions are called once on the arrays of every group
(``scipy.stats``, ``scipy.special``); the Wilcoxon test follows ``scipy.stats.wilcoxon``'s
choice of method group by group; and the noncentral-t interval is found by Brent's method run
on every group at once, step for step ``scipy.optimize.brentq``. ``tests/test_batch.py``
compares every function with its single statistic.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from scipy import special, stats

from ..clean.scoring import normalized_change
from .measures import PAIRED_KEYS, as_float_array, d_z_exact_ci

__all__ = [
    "size_stacks",
    "group_sums",
    "group_ranks",
    "rank_biserials",
    "wilcoxon_pvalues",
    "d_z_exact_cis",
    "mean_cis",
    "paired_summaries",
    "holm_rows",
    "mcnemar_pvalues",
]

#: ``scipy.optimize.brentq``'s defaults, as ``measures.d_z_exact_ci`` calls it.
_XTOL, _RTOL, _MAXITER = 1e-10, 4 * np.finfo(float).eps, 500


def _codes(groups: Any) -> np.ndarray:
    return np.asarray(groups, dtype=np.intp).ravel()


def size_stacks(groups: Any, n_groups: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The rows of each group, stacked by the groups' sizes: per size ``s`` (empty groups
    left out), the groups of ``s`` rows and the row indices ``(groups, s)`` of each, in order.

    ``values[rows]`` is then an array with one group per row, and a numpy reduction along its
    axis 1 (``mean``, ``std``, ``sum``; for 2-d ``values``, the questionnaires' axis) gives for
    each group the same bits as that reduction on the group alone.

    Example:
        >>> [(g.tolist(), rows.tolist()) for g, rows in size_stacks([1, 0, 1, 2], 3)]
        [([0, 2], [[1], [3]]), ([1], [[0, 2]])]
    """
    g = _codes(groups)
    order = np.argsort(g, kind="stable")
    sizes = np.bincount(g, minlength=n_groups)
    starts = np.cumsum(sizes) - sizes
    out = []
    for size in np.unique(sizes[sizes > 0]):
        which = np.flatnonzero(sizes == size)
        out.append((which, order[starts[which, None] + np.arange(size)]))
    return out


def group_sums(values: Any, groups: Any, n_groups: int) -> np.ndarray:
    """Sum per group: ``s_g = sum_{i: groups_i = g} values_i``, the rows added one by one.

    ``values`` is 1-d (a sum per group) or 2-d (a sum per group and column, shape
    ``(n_groups, columns)``); an empty group sums to 0. For counts (integers below 2^53)
    the sums are exact; for other numbers use ``size_stacks`` and numpy's reductions.

    Example:
        >>> group_sums([1.0, 2.0, 4.0], [1, 0, 1], 3).tolist()
        [2.0, 5.0, 0.0]
    """
    g = _codes(groups)
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        return np.bincount(g, weights=v, minlength=n_groups)
    out = np.zeros((n_groups, v.shape[1]))
    for j in range(v.shape[1]):
        out[:, j] = np.bincount(g, weights=v[:, j], minlength=n_groups)
    return out


def group_ranks(values: Any, groups: Any, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Average ranks within each group (``scipy.stats.rankdata(method="average")`` of the
    group's values) and each group's tie term ``sum_t (t^3 - t)`` over its runs of ``t`` equal
    values.

    Example:
        >>> r, ties = group_ranks([3.0, 1.0, 3.0, 5.0], [0, 0, 0, 1], 2)
        >>> r.tolist(), ties.tolist()
        ([2.5, 1.0, 2.5, 1.0], [6.0, 0.0])
    """
    v = np.asarray(values, dtype=float).ravel()
    g = _codes(groups)
    size = v.size
    ranks = np.empty(size)
    if not size:
        return ranks, np.zeros(n_groups)
    order = np.lexsort((v, g))
    vs, gs = v[order], g[order]
    first = np.ones(size, dtype=bool)
    first[1:] = gs[1:] != gs[:-1]
    run = first.copy()
    run[1:] |= vs[1:] != vs[:-1]
    at = np.arange(size)
    ordinal = at - np.maximum.accumulate(np.where(first, at, 0)) + 1
    starts = np.flatnonzero(run)
    lengths = np.diff(np.append(starts, size))
    average = ordinal[starts] + (lengths.astype(float) - 1) / 2
    ranks[order] = average[np.cumsum(run) - 1]
    t = lengths.astype(float)
    return ranks, np.bincount(gs[starts], weights=t**3 - t, minlength=n_groups)


def rank_biserials(diff: Any, groups: Any, n_groups: int) -> np.ndarray:
    """``measures.rank_biserial`` per group: ``r = (W+ - W-) / (W+ + W-)`` (Kerby 2014).

    Ranks of ``|d_i|`` over the group's non-zero finite differences, ties at their average
    rank; NaN for a group without such a difference.

    Reference: Kerby, D. S. (2014). The simple difference formula. Compr. Psychol. 3.

    Example:
        >>> rank_biserials([1, 2, -3, 4, 0], [0, 0, 0, 0, 1], 2).tolist()
        [0.4, nan]
    """
    d = as_float_array(diff).ravel()
    g = _codes(groups)
    keep = np.isfinite(d) & (d != 0)
    d, g = d[keep], g[keep]
    r, _ = group_ranks(np.abs(d), g, n_groups)
    w_plus = np.bincount(g, weights=np.where(d > 0, r, 0.0), minlength=n_groups)
    w_minus = np.bincount(g, weights=np.where(d < 0, r, 0.0), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (w_plus - w_minus) / (w_plus + w_minus)
    out[np.bincount(g, minlength=n_groups) == 0] = np.nan
    return out


def wilcoxon_pvalues(after: Any, before: Any, groups: Any, n_groups: int) -> np.ndarray:
    """``scipy.stats.wilcoxon(after, before).pvalue`` (its defaults) of each group.

    With ``d = after - before`` of a group's ``N`` pairs, the zeros dropped (Wilcoxon's
    method), ``n`` non-zero differences, ``R+`` the sum of the ranks of the positive ones:
    when ``N <= 50`` and no ``|d|`` is tied or zero, the exact null distribution of ``R+``
    (``p = 2 min(P(R+ <= r), P(R+ >= r))``); with ties or zeros and ``N <= 13``, the exact
    permutation distribution over the ``2^N`` signs (``scipy.stats.permutation_test``); else
    the normal approximation without continuity correction,
    ``z = (R+ - n(n+1)/4) / sqrt((n(n+1)(2n+1) - sum(t^3 - t)/2) / 24)``, ``p = 2 Phi(-|z|)``.
    NaN for a group whose differences are all zero (or that has none).

    Reference: Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics
    Bull. 1, 80-83; Pratt, J. W. (1959). J. Am. Stat. Assoc. 54, 655-667 (ties).

    Example:
        >>> p = wilcoxon_pvalues([3, 4, 5, 6, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 1], 2)
        >>> p.tolist()  # 2 * (1 / 16) = 0.125 (exact, 4 pairs); all zero in group 1
        [0.125, nan]
    """
    g = _codes(groups)
    d = np.asarray(after, dtype=float).ravel() - np.asarray(before, dtype=float).ravel()
    n_all = np.bincount(g, minlength=n_groups)
    nonzero = d != 0
    dn, gn = d[nonzero], g[nonzero]
    count = np.bincount(gn, minlength=n_groups)
    n_zero = n_all - count
    ranks, tie = group_ranks(np.abs(dn), gn, n_groups)
    r_plus = np.bincount(gn, weights=np.where(dn > 0, ranks, 0.0), minlength=n_groups)
    c = count.astype(float)
    mean = c * (c + 1.0) * 0.25
    se = c * (c + 1.0) * (2.0 * c + 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt((se - tie / 2) / 24)
        p = 2 * special.ndtr(-np.abs((r_plus - mean) / se))
    p[count == 0] = np.nan
    has_ties = tie > 0  # a run of t > 1 tied values adds t^3 - t > 0
    exact = (count > 0) & (n_all <= 50) & ~has_ties & (n_zero == 0)
    for k in np.flatnonzero(exact):
        p[k] = _exact_signed_rank(int(count[k]), float(r_plus[k]))
    flips = (count > 0) & (n_all <= 13) & ~exact
    if flips.any():
        by = np.argsort(gn, kind="stable")
        bounds = np.searchsorted(gn[by], np.arange(n_groups + 1))
        for k in np.flatnonzero(flips):
            own = ranks[by[bounds[k] : bounds[k + 1]]]
            p[k] = _sign_flip_pvalue(own, int(n_zero[k]), float(r_plus[k]))
    return p


def _signed_rank_pmf(n: int) -> np.ndarray:
    """The null distribution of the signed-rank statistic of ``n`` untied non-zero values,
    ``P(R+ = r)`` for ``r = 0 .. n(n+1)/2``, by the recursion on ``n`` (exact dyadic numbers)."""
    c = np.ones(1)
    for k in range(1, n + 1):
        prev = c
        c = np.zeros(k * (k + 1) // 2 + 1)
        c[: prev.size] = prev * 0.5
        c[-prev.size :] += prev * 0.5
    return c


def _exact_signed_rank(n: int, r_plus: float) -> float:
    """Two-sided exact p of the signed-rank statistic ``r_plus`` of ``n`` untied values."""
    pmf = _signed_rank_pmf(n)
    mean = n * (n + 1) / 4

    def cdf(k: int) -> float:
        return float(pmf[: k + 1].sum()) if k <= mean else 1 - float(pmf[k + 1 :].sum())

    def sf(k: int) -> float:
        return float(pmf[k:].sum()) if k <= mean else 1 - float(pmf[:k].sum())

    p = 2 * min(sf(math.floor(r_plus)), cdf(math.ceil(r_plus)))
    return float(min(max(p, 0.0), 1.0))


def _sign_flip_pvalue(ranks: np.ndarray, n_zero: int, r_plus: float) -> float:
    """Two-sided p of ``r_plus`` over every sign of the ``N`` differences (``N`` = the ranked
    non-zero ones and ``n_zero`` zeros): the share of the ``2^N`` sign patterns with a
    statistic as low, or as high, doubled (at most 1)."""
    twice = np.rint(2 * ranks).astype(np.int64)
    counts = np.zeros(int(twice.sum()) + 1, dtype=np.int64)
    counts[0] = 1
    for step in twice:
        counts[step:] = counts[step:] + counts[: counts.size - step].copy()
    counts *= 2**n_zero
    total = 2 ** (ranks.size + n_zero)
    obs = round(2 * r_plus)
    less = float(counts[: obs + 1].sum()) / total
    greater = float(counts[obs:].sum()) / total
    return float(min(max(min(less, greater) * 2, 0.0), 1.0))


def d_z_exact_cis(t_stats: Any, ns: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``measures.d_z_exact_ci`` of many t statistics at once: the exact interval of ``d_z``.

    ``lambda_low`` solves ``nct.cdf(t, n - 1, lambda) = (1 + level)/2`` and ``lambda_high``
    ``= (1 - level)/2`` (Steiger & Fouladi 1997); the interval is ``lambda / sqrt(n)``. The
    brackets are widened as ``d_z_exact_ci`` widens them and the roots found by Brent's method
    on every statistic at once, step for step ``scipy.optimize.brentq`` (``xtol = 1e-10``), so
    each root is the one ``d_z_exact_ci`` finds. NaN where ``n < 2`` or ``t`` is not finite;
    a statistic for which the method meets a NaN or does not converge is given to
    ``d_z_exact_ci`` itself.

    Reference: Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and
    the evaluation of statistical models. In Harlow, Mulaik & Steiger (Eds.), What if there
    were no significance tests? Erlbaum.

    Example:
        >>> low, high = d_z_exact_cis([4.0621, 1.0], [10, 1])
        >>> [round(float(v), 2) for v in (low[0], high[0])], bool(np.isnan(low[1]))
        ([0.41, 2.12], True)
    """
    t, n = np.broadcast_arrays(np.asarray(t_stats, dtype=float), np.asarray(ns))
    t, n = t.ravel(), n.ravel().astype(np.int64)
    low, high = np.full(t.shape, np.nan), np.full(t.shape, np.nan)
    rows = np.flatnonzero((n >= 2) & np.isfinite(t))
    if not rows.size:
        return low, high
    tt, df = t[rows], (n[rows] - 1).astype(float)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        lam_low, bad_low = _nct_roots(tt, df, 0.5 + level / 2)
        lam_high, bad_high = _nct_roots(tt, df, 0.5 - level / 2)
    root_n = np.sqrt(n[rows])
    low[rows], high[rows] = lam_low / root_n, lam_high / root_n
    for i in np.flatnonzero(bad_low | bad_high):
        low[rows[i]], high[rows[i]] = d_z_exact_ci(float(tt[i]), int(n[rows[i]]), level)
    return low, high


def _nct_roots(t: np.ndarray, df: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray]:
    """The ``lambda`` with ``nct.cdf(t, df, lambda) = q`` for each ``(t, df)``, as
    ``d_z_exact_ci`` finds it: the bracket ``t -/+ max(2, |t|/2)`` widened (each side by the
    step, which doubles) until the cdf changes sign, up to 60 times (NaN after), then Brent.
    Returns the roots and where the search failed (a NaN met, no convergence)."""

    def f(lam: np.ndarray, at: np.ndarray) -> np.ndarray:
        return stats.nct.cdf(t[at], df[at], lam) - q

    size = t.size
    roots = np.full(size, np.nan)
    step = np.maximum(2.0, np.abs(t) / 2)
    lo, hi = t - step, t + step
    todo = np.arange(size)
    found = []
    for _ in range(60):
        if not todo.size:
            break
        vals = f(np.concatenate([lo[todo], hi[todo]]), np.concatenate([todo, todo]))
        flo, fhi = vals[: todo.size], vals[todo.size :]
        ok = (flo >= 0) & (fhi <= 0)
        done = todo[ok]
        found.append((done, lo[done], hi[done], flo[ok], fhi[ok]))
        todo, flo, fhi = todo[~ok], flo[~ok], fhi[~ok]
        lo[todo] = np.where(flo < 0, lo[todo] - step[todo], lo[todo])
        hi[todo] = np.where(fhi > 0, hi[todo] + step[todo], hi[todo])
        step[todo] = step[todo] * 2
    at, a, b, fa, fb = (np.concatenate(parts) for parts in zip(*found, strict=True))
    solved, failed = _brentq_many(f, at, a, b, fa, fb)
    roots[at] = solved
    bad = np.zeros(size, dtype=bool)
    bad[at[failed]] = True
    return roots, bad


def _brentq_many(
    f: Any, at: np.ndarray, xpre: np.ndarray, xcur: np.ndarray, fpre: np.ndarray, fcur: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Brent's method on many brackets at once, each step as in scipy's ``brentq`` (the C code
    of ``scipy/optimize/Zeros/brentq.c``: inverse quadratic or linear interpolation, else
    bisection), with ``xtol``, ``rtol`` and ``maxiter`` of ``brentq``'s defaults (``xtol`` as
    ``d_z_exact_ci`` sets it). ``f(x, at)`` evaluates the functions ``at`` at ``x``; ``fpre``
    and ``fcur`` are their values at the brackets' ends ``xpre`` and ``xcur``. Returns the roots
    and where the method failed (a NaN, which ``brentq`` raises on, or no convergence)."""
    size = at.size
    out = np.full(size, np.nan)
    failed = np.zeros(size, dtype=bool)
    zero_pre = fpre == 0
    out[zero_pre] = xpre[zero_pre]
    zero_cur = (fcur == 0) & ~zero_pre
    out[zero_cur] = xcur[zero_cur]
    pos = np.flatnonzero(~(zero_pre | zero_cur))
    xpre, xcur, fpre, fcur = xpre[pos], xcur[pos], fpre[pos], fcur[pos]
    xblk = np.zeros(pos.size)
    fblk = np.zeros(pos.size)
    spre = np.zeros(pos.size)
    scur = np.zeros(pos.size)
    for _ in range(_MAXITER):
        if not pos.size:
            break
        signs = fpre * fcur < 0
        xblk = np.where(signs, xpre, xblk)
        fblk = np.where(signs, fpre, fblk)
        spre = np.where(signs, xcur - xpre, spre)
        scur = np.where(signs, xcur - xpre, scur)
        swap = np.abs(fblk) < np.abs(fcur)
        xpre, xcur, xblk = (
            np.where(swap, xcur, xpre),
            np.where(swap, xblk, xcur),
            np.where(swap, xcur, xblk),
        )
        fpre, fcur, fblk = (
            np.where(swap, fcur, fpre),
            np.where(swap, fblk, fcur),
            np.where(swap, fcur, fblk),
        )
        delta = (_XTOL + _RTOL * np.abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        conv = (fcur == 0) | (np.abs(sbis) < delta)
        out[pos[conv]] = xcur[conv]
        keep = ~conv
        pos = pos[keep]
        xpre, xcur, xblk = xpre[keep], xcur[keep], xblk[keep]
        fpre, fcur, fblk = fpre[keep], fcur[keep], fblk[keep]
        spre, scur, delta, sbis = spre[keep], scur[keep], delta[keep], sbis[keep]
        if not pos.size:
            break
        interpolate = (np.abs(spre) > delta) & (np.abs(fcur) < np.abs(fpre))
        linear = -fcur * (xcur - xpre) / (fcur - fpre)
        dpre = (fpre - fcur) / (xpre - xcur)
        dblk = (fblk - fcur) / (xblk - xcur)
        quadratic = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
        stry = np.where(xpre == xblk, linear, quadratic)
        a, b = np.abs(spre), 3 * np.abs(sbis) - delta
        good = interpolate & (2 * np.abs(stry) < np.where(a < b, a, b))
        spre, scur = np.where(good, scur, sbis), np.where(good, stry, sbis)
        xpre, fpre = xcur, fcur
        xcur = np.where(np.abs(scur) > delta, xcur + scur, xcur + np.where(sbis > 0, delta, -delta))
        fcur = f(xcur, at[pos])
        nan = np.isnan(fcur)
        if nan.any():
            failed[pos[nan]] = True
            keep = ~nan
            pos = pos[keep]
            xpre, xcur, xblk = xpre[keep], xcur[keep], xblk[keep]
            fpre, fcur, fblk = fpre[keep], fcur[keep], fblk[keep]
            spre, scur = spre[keep], scur[keep]
    failed[pos] = True
    return out, failed


def mean_cis(
    x: Any, groups: Any, n_groups: int, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``measures.mean_ci`` per group: mean, SD (ddof=1) and ``mean +/- t((1+level)/2, n-1) sd
    / sqrt(n)``; NaN where undefined (an empty group: all; one value: all but the mean).

    Reference: Student (1908). The probable error of a mean. Biometrika 6, 1-25.

    Example:
        >>> m, sd, lo, hi = mean_cis([4.0, 6.0, 8.0, 10.0, 3.0], [0, 0, 0, 0, 1], 3)
        >>> m.tolist(), round(float(lo[0]), 6), bool(np.isnan(sd[1]))
        ([7.0, 3.0, nan], 2.891479, True)
    """
    v = as_float_array(x).ravel()
    mean, sd = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    half = np.full(n_groups, np.nan)
    for which, rows in size_stacks(groups, n_groups):
        values = v[rows]
        mean[which] = values.mean(axis=1)
        size = rows.shape[1]
        if size >= 2:
            sd[which] = values.std(axis=1, ddof=1)
            t = float(stats.t.ppf(0.5 + level / 2, size - 1))
            half[which] = t * sd[which] / math.sqrt(size)
    return mean, sd, mean - half, mean + half


def paired_summaries(
    pre: Any, post: Any, groups: Any, n_groups: int, *, n_items: Any = None
) -> dict[str, np.ndarray]:
    """``measures.paired_summary`` of every group at once: each ``PAIRED_KEYS`` key an array.

    The same statistics on each group's pairs (``d_i = post_i - pre_i``, pairs with a missing
    value dropped): means and SDs (ddof=1), the t interval of the mean difference, the paired
    t-test (``t = mean(d) / (sd(d)/sqrt(n))``, ``p = 2 T_{n-1}(-|t|)``), ``wilcoxon_pvalues``
    and ``rank_biserials`` (on the integer numbers correct ``rint(x n_items / 100)`` when
    ``n_items`` is given; it may be an array with a value per row), ``d_z = mean(d)/sd(d)``
    with ``d_z_exact_cis``, ``g_av = d_av (1 - 3/(8n - 9))`` (Lakens 2013), ``hake_g`` (Hake
    1998), the mean normalized change (Marx & Cummings 2007), the shares improved, unchanged
    and declined; NaN where ``paired_summary`` gives NaN (fewer than 2 pairs, an SD within
    round-off of zero, no non-zero difference). ``n_paired`` is an integer array; ``t_df`` is
    ``n - 1`` where there are 2 pairs or more, NaN elsewhere.

    References: Student (1908); Lakens, D. (2013). Front. Psychol. 4, 863; Hake, R. R. (1998).
    Am. J. Phys. 66, 64-74; Marx, J. D., & Cummings, K. (2007). Am. J. Phys. 75, 87-91.

    Example:
        >>> s = paired_summaries([50, 60, 70, 40], [60, 60, 90, 40], [0, 0, 0, 1], 2, n_items=10)
        >>> s["n_paired"].tolist(), s["diff_mean"].tolist(), s["pct_unchanged"].tolist()
        ([3, 1], [10.0, 0.0], [33.33333333333333, 100.0])
    """
    x, y = as_float_array(pre).ravel(), as_float_array(post).ravel()
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    g = _codes(groups)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y, g = x[ok], y[ok], g[ok]
    n = np.bincount(g, minlength=n_groups)
    out = {key: np.full(n_groups, np.nan) for key in PAIRED_KEYS}
    out["n_paired"] = n
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # nanmean of a group without c_i
        if n_items is not None:
            k = np.broadcast_to(np.asarray(n_items, dtype=float), ok.shape)[ok]
            xi = np.rint(x * k / 100).astype(int)
            yi = np.rint(y * k / 100).astype(int)
            di = yi - xi
        else:
            xi, yi = x, y
            di = y - x
        nf = n.astype(float)
        for key, sign in (("pct_improved", 1), ("pct_unchanged", 0), ("pct_declined", -1)):
            out[key] = 100.0 * (
                np.bincount(g, weights=np.sign(di) == sign, minlength=n_groups) / nf
            )
        out["rank_biserial"] = rank_biserials(di, g, n_groups)
        out["wilcoxon_p"] = wilcoxon_pvalues(yi, xi, g, n_groups)
        for which, rows in size_stacks(g, n_groups):
            for key, value in _stack_statistics(x[rows], y[rows]).items():
                out[key][which] = value
    out["d_z_ci_low"], out["d_z_ci_high"] = d_z_exact_cis(out["t_stat"], n)
    return out


def _stack_statistics(x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """``paired_summary``'s means, SDs, t-test, effect sizes and mean ``c_i`` of groups of the
    same size ``n`` (one group per row of ``x`` and ``y``), by the numpy and scipy calls of
    ``paired_summary`` along the rows (the t-test as ``scipy.stats.ttest_rel`` computes it)."""
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
    # scipy.stats.ttest_rel(post, pre): var = mean((d - mean)^2) n/(n-1), t = mean / sqrt(var/n)
    var = ((d - d.mean(axis=1, keepdims=True)) ** 2).mean(axis=1) * (n / (n - 1))
    t = out["diff_mean"] / np.sqrt(var / n)
    out["t_stat"] = np.where(tested, t, np.nan)
    out["t_p"] = np.where(tested, 2 * special.stdtr(n - 1.0, -np.abs(t)), np.nan)
    out["d_z"] = np.where(tested, out["diff_mean"] / sd, np.nan)
    sd_av = (out["pre_sd"] + out["post_sd"]) / 2
    g_av = out["diff_mean"] / sd_av * (1 - 3 / (4 * 2 * n - 9))
    out["g_av"] = np.where(sd_av > tol, g_av, np.nan)
    return out


def holm_rows(pvalues: Any) -> np.ndarray:
    """``measures.holm`` of each row of a 2-d array: Holm (1979) step-down adjusted p-values
    within the row, NaN entries kept NaN and not counted.

    Sorted ascending, ``p_(i) (m - i + 1)`` (i = 1..m, m the row's non-NaN count), a running
    maximum, capped at 1.

    Reference: Holm, S. (1979). Scand. J. Stat. 6, 65-70.

    Example:
        >>> holm_rows([[0.01, 0.04, float("nan")], [0.03, 0.02, 0.01]]).round(4).tolist()
        [[0.02, 0.04, nan], [0.04, 0.04, 0.03]]
    """
    p = np.array(pvalues, dtype=float, ndmin=2)
    out = np.full(p.shape, np.nan)
    if not p.size:
        return out
    m = (~np.isnan(p)).sum(axis=1, keepdims=True)
    order = np.argsort(p, axis=1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=1) * (m - np.arange(p.shape[1]))
    adj = np.minimum(np.maximum.accumulate(ranked, axis=1), 1.0)
    np.put_along_axis(out, order, adj, axis=1)
    return out


def mcnemar_pvalues(b: Any, c: Any) -> np.ndarray:
    """``measures.mcnemar_exact(b, c)["p_value"]`` of arrays of discordant counts.

    ``p = min(1, 2 Binom.cdf(min(b, c); b + c, 1/2))``, and 1 without discordant pairs.

    Reference: McNemar, Q. (1947). Psychometrika 12, 153-157.

    Example:
        >>> mcnemar_pvalues([1, 0, 3], [9, 0, 3]).tolist()
        [0.021484375, 1.0, 1.0]
    """
    b = np.asarray(b, dtype=np.int64)
    c = np.asarray(c, dtype=np.int64)
    n = b + c
    p = np.minimum(1.0, 2.0 * stats.binom.cdf(np.minimum(b, c), n, 0.5))
    return np.where(n == 0, 1.0, p)
