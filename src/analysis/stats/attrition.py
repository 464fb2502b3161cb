"""What attrition could hide: who was lost, the gain under multiple imputation, a bound.

* ``completer_comparison``: pre-test scores of those who also took the post-test against those
  who did not (Welch).
* ``rubin_pool``: Rubin's rules for one scalar estimate.
* ``impute_gain``: the mean gain with the missing post-tests multiply imputed from a normal
  model conditional on the pre-score (proper imputation).
* ``no_change_gain``: the gain if every missing post-test had shown no change.
* ``attrition_analysis``: all three on the processed frames (one workshop, all rows, or every
  workshop's own with ``by``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .groups import Groups, by_column, split
from .measures import NAN, as_float_array, mean_ci
from .profile import gram

__all__ = [
    "MIN_GROUP",
    "MI_IMPUTATIONS",
    "MI_SEED",
    "completer_comparison",
    "rubin_pool",
    "impute_gain",
    "no_change_gain",
    "attrition_analysis",
]

#: Up to this many columns the imputation model's X'X is the plain dense product.
_DENSE_COLUMNS = 8
#: Smallest group whose pre-test scores are published (the report's suppression rule).
MIN_GROUP = 5
#: Number of imputations (METHODS: at least 20).
MI_IMPUTATIONS = 50
#: Default seed of the imputations (a parameter of every function that draws).
MI_SEED = 20210316


def completer_comparison(completers: Any, dropouts: Any, level: float = 0.95) -> dict[str, Any]:
    """Pre-test scores of completers against non-completers: difference with Welch interval.

    ``diff = mean(completers) - mean(dropouts)``; ``SE = sqrt(s1^2/n1 + s2^2/n2)``, Welch-
    Satterthwaite ``df = SE^4 / ((s1^2/n1)^2/(n1-1) + (s2^2/n2)^2/(n2-1))``; interval
    ``diff +/- t((1+level)/2, df) SE``; ``p`` of ``t = diff / SE`` (two-sided), as
    ``scipy.stats.ttest_ind(equal_var=False)`` and R ``t.test(a, b)``. Returns
    ``n_completers, mean_completers, sd_completers, n_dropouts, mean_dropouts, sd_dropouts,
    diff, ci_low, ci_high, t, df, p``; the test is NaN with fewer than two in either group.

    Reference: Welch, B. L. (1947). The generalization of Student's problem when several
    different population variances are involved. Biometrika 34, 28-35.

    Example:
        >>> r = completer_comparison([60.0, 70.0, 80.0], [40.0, 60.0])
        >>> r["diff"], round(r["df"], 4)
        (20.0, 1.6842)
    """
    a = as_float_array(completers).ravel()
    b = as_float_array(dropouts).ravel()
    one = Groups.of_codes(np.zeros(0, dtype=np.intp), 1)
    return _welch(
        a, np.zeros(a.size, dtype=np.intp), b, np.zeros(b.size, dtype=np.intp), one, level
    )["0"]


def _welch(
    a: np.ndarray, ga: np.ndarray, b: np.ndarray, gb: np.ndarray, g: Groups, level: float = 0.95
) -> dict[str, dict[str, Any]]:
    """``completer_comparison`` of every group (codes ``ga`` and ``gb`` of the completers and
    the dropouts), keyed by group id."""
    fa, fb = np.isfinite(a) & (ga >= 0), np.isfinite(b) & (gb >= 0)
    a, ga, b, gb = a[fa], ga[fa], b[fb], gb[fb]
    na, nb = np.bincount(ga, minlength=g.size), np.bincount(gb, minlength=g.size)
    sa = mean_ci(a, by=Groups.of_codes(ga, g.size))
    sb = mean_ci(b, by=Groups.of_codes(gb, g.size))
    ma, sda = (np.array([v[j] for v in sa.values()]) for j in (0, 1))
    mb, sdb = (np.array([v[j] for v in sb.values()]) for j in (0, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        va, vb = sda * sda / na, sdb * sdb / nb
        se = np.sqrt(va + vb)
        tested = (na >= 2) & (nb >= 2) & (se > 0)
        df = (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1))
        df = np.where(tested, df, 1.0)
        half = stats.t.ppf(0.5 + level / 2, df) * se
        diff = np.where((na > 0) & (nb > 0), ma - mb, np.nan)
        tval = diff / se
        p = 2 * stats.t.sf(np.abs(tval), df)
    out = {}
    for i, gid in enumerate(g.ids):
        test = (
            {
                "ci_low": diff[i] - half[i],
                "ci_high": diff[i] + half[i],
                "t": tval[i],
                "df": df[i],
                "p": p[i],
            }
            if tested[i]
            else dict.fromkeys(["ci_low", "ci_high", "t", "df", "p"], NAN)
        )
        out[gid] = {
            "n_completers": int(na[i]),
            "mean_completers": float(ma[i]),
            "sd_completers": float(sda[i]),
            "n_dropouts": int(nb[i]),
            "mean_dropouts": float(mb[i]),
            "sd_dropouts": float(sdb[i]),
            "diff": float(diff[i]),
            **{key: float(v) for key, v in test.items()},
        }
    return out


def rubin_pool(
    estimates: Any, variances: Any, df_complete: float = math.inf, level: float = 0.95
) -> dict[str, float]:
    """Rubin's rules: pool ``m`` estimates ``Q_j`` with their variances ``U_j``.

    ``Qbar = mean(Q_j)``, ``Ubar = mean(U_j)``, ``B = var(Q_j)`` (ddof=1),
    ``T = Ubar + (1 + 1/m) B``; degrees of freedom
    ``nu = (m - 1) (1 + Ubar / ((1 + 1/m) B))^2`` (Rubin 1987), not more than
    ``df_complete`` (the complete-data degrees of freedom: with ``B = 0`` the interval is that
    of the complete data); interval ``Qbar +/- t((1+level)/2, nu) sqrt(T)``. Also returns the
    fraction of missing information's simple estimate ``lambda = (1 + 1/m) B / T``.

    Reference: Rubin, D. B. (1987). Multiple Imputation for Nonresponse in Surveys. Wiley,
    ch. 3.

    Example:
        >>> r = rubin_pool([1.0, 2.0, 3.0], [0.5, 0.5, 0.5])  # B = 1, T = 0.5 + 4/3
        >>> round(r["total_var"], 4), round(r["df"], 4)
        (1.8333, 3.7812)
    """
    q = as_float_array(estimates).reshape(1, -1)
    u = as_float_array(variances).reshape(1, -1)
    pooled = _rubin_rows(q, u, np.array([float(df_complete)]), level)
    return {key: int(v[0]) if key == "m" else float(v[0]) for key, v in pooled.items()}


def _rubin_rows(
    q: np.ndarray, u: np.ndarray, df_complete: np.ndarray, level: float = 0.95
) -> dict[str, np.ndarray]:
    """``rubin_pool`` of each row of estimates ``q`` and variances ``u`` (rows of NaN: NaN)."""
    m = q.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        qbar = q.mean(axis=1)
        ubar = u.mean(axis=1)
        b = q.var(axis=1, ddof=1) if m > 1 else np.zeros(len(q))
        total = ubar + (1 + 1 / m) * b
        df = np.where(b > 0, (m - 1) * (1 + ubar / ((1 + 1 / m) * b)) ** 2, math.inf)
        df = np.minimum(df, df_complete)
        t = stats.t.ppf(0.5 + level / 2, np.where(np.isnan(df), 1.0, df))
        half = np.where(total >= 0, t * np.sqrt(total), np.nan)
        lam = np.where(total > 0, (1 + 1 / m) * b / total, 0.0)
    return {
        "estimate": qbar,
        "within_var": ubar,
        "between_var": b,
        "total_var": total,
        "df": df,
        "ci_low": qbar - half,
        "ci_high": qbar + half,
        "lambda": lam,
        "m": np.full(len(q), m),
    }


def _design(pre: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Design matrix of the imputation model: intercept, pre-score, group dummies (the groups
    in order of first appearance, the first the reference; each dummy 1.0 in its rows)."""
    if groups is None:
        return np.column_stack([np.ones_like(pre), pre])
    codes, levels = pd.factorize(groups)
    out = np.zeros((pre.size, 1 + len(levels)))
    out[:, 0] = 1.0
    out[:, 1] = pre
    rows = np.flatnonzero(codes >= 1)
    out[rows, 1 + codes[rows]] = 1.0
    return out


def impute_gain(
    pre: Any,
    post: Any,
    *,
    groups: Any = None,
    m: int = MI_IMPUTATIONS,
    seed: int = MI_SEED,
    level: float = 0.95,
) -> dict[str, Any]:
    """Mean gain over every pre-test with the missing post-tests multiply imputed.

    ``pre`` has a value for every participant with a scored pre-test, ``post`` is NaN where
    the post-test is missing. Imputation model, on the completers: the normal linear model
    ``post = b0 + b1 pre (+ group dummies) + e``, ``e ~ N(0, sigma^2)``. Each of the ``m``
    imputations is *proper* (Rubin 1987, Result 4.1 and the usual Bayesian normal model, e.g.
    van Buuren 2018, Algorithm 3.1): ``sigma*^2 = RSS / X``, ``X ~ chi^2(n_obs - p)``;
    ``beta* ~ N(beta_hat, sigma*^2 (X'X)^-1)``; each missing post
    ``= x' beta* + N(0, sigma*^2)``. Each completed data set gives the mean gain ``Q_j`` over
    all ``N`` participants and its variance ``U_j = var(d)/N``; ``rubin_pool`` combines them
    with the complete-data ``df = N - 1``. ``groups`` (e.g. the workshop; the model's groups,
    not ``by``) adds its dummies to the model when it has two values or more. Imputed scores
    are not rounded or bounded to 0-100 (the mean is the target). Draws from
    ``numpy.random.default_rng(seed)``, per imputation a chi-square, ``p`` normals for the
    coefficients and one per missing post-test: the same seed gives the same numbers.

    With no missing post-test every ``Q_j`` is the complete-case mean gain and ``B = 0``: the
    result is the paired mean difference and its t interval exactly. Returns ``n``,
    ``n_missing``, ``m``, ``seed`` and the ``rubin_pool`` keys (``estimate``, ``ci_low``,
    ``ci_high``, ``df``, ...); NaN when fewer completers than model parameters + 1.

    References: Rubin, D. B. (1987). Multiple Imputation for Nonresponse in Surveys. Wiley;
    van Buuren, S. (2018). Flexible Imputation of Missing Data (2nd ed.), section 3.2.

    Example:
        >>> r = impute_gain([40.0, 50.0, 60.0], [50.0, 65.0, 70.0], m=20, seed=1)
        >>> round(r["estimate"], 4), r["n_missing"]  # nothing to impute: the complete-case gain
        (11.6667, 0)
    """
    x = as_float_array(pre).ravel()
    y = as_float_array(post).ravel()
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    labels = None if groups is None else np.asarray(groups, dtype=object).ravel()
    one = Groups.of_codes(np.zeros(x.size, dtype=np.intp), 1)
    return _imputed_gains(x, y, labels, one, m, seed, level)["0"]


def _imputed_gains(
    x: np.ndarray,
    y: np.ndarray,
    labels: np.ndarray | None,
    g: Groups,
    m: int,
    seed: int,
    level: float = 0.95,
) -> dict[str, dict[str, Any]]:
    """``impute_gain`` of every group of ``g`` (each with its own model, its ``labels`` as the
    model's groups), keyed by group id; the groups' imputations pooled by ``_rubin_rows`` at
    once. Each group's draws start from ``seed``: groups of the same shape (degrees of freedom,
    parameters, missing post-tests) draw the same numbers, drawn once."""
    if int(m) < 2:
        raise ValueError(f"multiple imputation needs m >= 2 imputations (got {m})")
    m = int(m)
    q, u = np.full((g.size, m), np.nan), np.full((g.size, m), np.nan)
    df_complete = np.full(g.size, np.nan)
    counts = []
    draws: dict[tuple[int, int, int], tuple[np.ndarray, ...]] = {}
    keep = np.isfinite(x) & (g.codes >= 0)
    parts = [split(v[keep], g.codes[keep], g.size) for v in (x, y)]
    lab = split(labels[keep], g.codes[keep], g.size) if labels is not None else None
    for i, (xi, yi) in enumerate(zip(*parts, strict=True)):
        n, miss = xi.size, ~np.isfinite(yi)
        counts.append((n, int(miss.sum())))
        several = lab is not None and len(set(lab[i].tolist())) >= 2
        design = _design(xi, lab[i] if several else None)
        p = design.shape[1]
        n_obs = n - int(miss.sum())
        if n < 2 or n_obs < p + 1:
            continue
        df_complete[i] = n - 1
        if not miss.any():
            q[i] = float((yi - xi).mean())
            u[i] = float((yi - xi).var(ddof=1) / n)
            continue
        shape = (n_obs - p, p, int(miss.sum()))
        if shape not in draws:
            draws[shape] = _imputation_draws(seed, m, *shape)
        q[i], u[i] = _imputations(xi, yi, design, miss, *draws[shape])
    pooled = _rubin_rows(q, u, df_complete, level)
    pooled["lambda"][np.isnan(df_complete)] = np.nan  # no imputation model
    out = {}
    for i, gid in enumerate(g.ids):
        n, n_missing = counts[i]
        head = {"n": n, "n_missing": n_missing, "m": m, "seed": int(seed)}
        out[gid] = head | {
            key: int(v[i]) if key == "m" else float(v[i]) for key, v in pooled.items()
        }
    return out


def _imputation_draws(seed: int, m: int, df: int, p: int, n_missing: int) -> tuple[np.ndarray, ...]:
    """The random numbers of ``m`` imputations, in ``impute_gain``'s order: per imputation a
    chi-square on ``df`` degrees of freedom, ``p`` normals for the coefficients, then one
    normal per missing post-test."""
    rng = np.random.default_rng(int(seed))
    chi, z, e = np.empty(m), np.empty((m, p)), np.empty((m, n_missing))
    for j in range(m):
        chi[j] = rng.chisquare(df)
        z[j] = rng.standard_normal(p)
        e[j] = rng.standard_normal(n_missing)
    return chi, z, e


def _imputations(
    x: np.ndarray,
    y: np.ndarray,
    design: np.ndarray,
    miss: np.ndarray,
    chi: np.ndarray,
    z: np.ndarray,
    e: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``m`` completed data sets' mean gains ``Q_j`` and variances ``U_j`` (one imputation
    per row of the draws): ``sigma*^2 = RSS / chi``, ``beta* = beta_hat + sigma* L z`` (``L``
    the Cholesky factor of ``(X'X)^-1``), each missing post ``x' beta* + sigma* e``."""
    obs = ~miss
    xo, yo = design[obs], y[obs]
    # X'X: the dense product, or for many dummies the same numbers from the non-zero entries
    xtx_inv = np.linalg.inv(xo.T @ xo if xo.shape[1] <= _DENSE_COLUMNS else gram(xo))
    beta_hat = xtx_inv @ xo.T @ yo
    rss = float(((yo - xo @ beta_hat) ** 2).sum())
    chol = np.linalg.cholesky(xtx_inv)
    sigma = np.sqrt(rss / chi)[:, None]
    beta = beta_hat + sigma * np.matmul(chol, z[:, :, None])[:, :, 0]  # one row per imputation
    completed = np.tile(y, (len(chi), 1))
    completed[:, miss] = np.matmul(design[miss], beta[:, :, None])[:, :, 0] + sigma * e
    d = completed - x
    return d.mean(axis=1), d.var(axis=1, ddof=1) / x.size


def no_change_gain(pre: Any, post: Any, level: float = 0.95) -> dict[str, Any]:
    """The mean gain if every missing post-test had shown no change (a conservative bound).

    Over every participant with a pre-test: ``d_i = post_i - pre_i`` where the post-test is
    there and ``d_i = 0`` where it is missing; ``mean(d)`` with its t interval
    (``measures.mean_ci``). Returns ``n``, ``n_missing``, ``estimate``, ``ci_low``,
    ``ci_high``.

    Reference: e.g. Hake, R. R. (1998), Am. J. Phys. 66, 64 (matched and unmatched students);
    the last observation carried forward, read as a bound, not an estimate.

    Example:
        >>> no_change_gain([40.0, 50.0, 60.0, 70.0], [60.0, 70.0, float("nan"), 80.0])["estimate"]
        12.5
    """
    x = as_float_array(pre).ravel()
    y = as_float_array(post).ravel()
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    one = Groups.of_codes(np.zeros(x.size, dtype=np.intp), 1)
    return _no_change_gains(x, y, one, level)["0"]


def _no_change_gains(x: np.ndarray, y: np.ndarray, g: Groups, level: float) -> dict[str, Any]:
    """``no_change_gain`` of every group, keyed by group id."""
    keep = np.isfinite(x) & (g.codes >= 0)
    codes, miss = g.codes[keep], ~np.isfinite(y[keep])
    d = np.where(miss, 0.0, y[keep] - x[keep])
    ci = mean_ci(d, level, by=Groups.of_codes(codes, g.size))
    n = np.bincount(codes, minlength=g.size)
    n_missing = np.bincount(codes, weights=miss, minlength=g.size)
    return {
        gid: {
            "n": int(n[i]),
            "n_missing": int(n_missing[i]),
            "estimate": est,
            "ci_low": lo,
            "ci_high": hi,
        }
        for i, (gid, (est, _sd, lo, hi)) in enumerate(zip(g.ids, ci.values(), strict=True))
    }


def _attrition_frame(scores: pd.DataFrame, paired: pd.DataFrame) -> pd.DataFrame:
    """Every scored pre-test with its post score where linked (NaN where not): the MI data.

    Columns ``workshop_id``, ``participant_id``, ``pre_pct`` (the pre-test's ``score_pct``),
    ``post_pct`` (from ``paired``; missing for a pre-test without a linked post-test),
    ``completer`` (bool). Rows in the order of ``scores``.

    Example:
        >>> _attrition_frame(scores_w1, paired_w1)  # doctest: +SKIP
    """
    pre = scores.loc[scores["phase"] == "pre", ["workshop_id", "participant_id", "score_pct"]]
    pre = pre.rename(columns={"score_pct": "pre_pct"})
    post = paired[["workshop_id", "participant_id", "post_pct"]]
    out = pre.merge(post, on=["workshop_id", "participant_id"], how="left", validate="one_to_one")
    out["pre_pct"] = pd.to_numeric(out["pre_pct"]).astype(float)
    out["post_pct"] = pd.to_numeric(out["post_pct"]).astype(float)
    out["completer"] = out["post_pct"].notna()
    return out.reset_index(drop=True)


def attrition_analysis(
    scores: pd.DataFrame,
    paired: pd.DataFrame,
    *,
    m: int = MI_IMPUTATIONS,
    seed: int = MI_SEED,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The attrition checks of one workshop (or of all rows, by workshop in the model).

    ``comparison``: ``completer_comparison`` of the pre-test scores (completers: a linked
    post-test), with ``suppressed`` True when either group is under ``MIN_GROUP`` (its mean is
    then not to be published); ``mi``: ``impute_gain`` (with the workshop as a group of the
    imputation model when the rows hold several workshops); ``bound``: ``no_change_gain``;
    ``complete_case``: the mean gain of the linked participants and its t interval
    (``measures.mean_ci``). Every scored pre-test counts; a post-test without a linked
    pre-test has no pre-score to condition on and is not used.

    With ``by`` (a column of ``scores``, e.g. ``"workshop_id"``): a dict keyed by group id of
    each group's checks on its own rows (``by="workshop_id"``: each workshop's own imputation
    model, without workshop dummies), the groups' statistics computed together.

    Example:
        >>> r = attrition_analysis(scores_w1, paired_w1, m=20, seed=1)  # doctest: +SKIP
        >>> r["mi"]["estimate"], r["bound"]["estimate"]  # doctest: +SKIP
    """
    g = by_column(scores, by, groups)
    f = _attrition_frame(scores, paired)
    codes = g.codes[(scores["phase"] == "pre").to_numpy(dtype=bool, na_value=False)]
    rows = replace(g, codes=codes)  # the groups of the pre-tests, _attrition_frame's rows
    pre = f["pre_pct"].to_numpy(dtype=float)
    post = f["post_pct"].to_numpy(dtype=float)
    done = f["completer"].to_numpy(dtype=bool)
    workshops = f["workshop_id"].astype(str).to_numpy(dtype=object)  # dummies where several
    complete = mean_ci(post[done] - pre[done], by=Groups.of_codes(codes[done], g.size))
    comparison = _welch(pre[done], codes[done], pre[~done], codes[~done], g)
    mi = _imputed_gains(pre, post, workshops, rows, m, seed)
    bound = _no_change_gains(pre, post, rows, 0.95)
    n_done = np.bincount(codes[done & (codes >= 0)], minlength=g.size)
    n_lost = np.bincount(codes[~done & (codes >= 0)], minlength=g.size)
    out = []
    for i, gid in enumerate(g.ids):
        est, _sd, lo, hi = complete[str(i)]
        out.append(
            {
                "comparison": comparison[gid]
                | {"suppressed": bool(min(n_done[i], n_lost[i]) < MIN_GROUP)},
                "mi": mi[gid],
                "bound": bound[gid],
                "complete_case": {
                    "n": int(n_done[i]),
                    "estimate": est,
                    "ci_low": lo,
                    "ci_high": hi,
                },
            }
        )
    return g.result(out)
