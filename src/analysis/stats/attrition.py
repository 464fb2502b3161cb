"""What attrition could hide: who was lost, the gain under multiple imputation, a bound.

* ``completer_comparison``: pre-test scores of those who also took the post-test against those
  who did not (Welch).
* ``rubin_pool``: Rubin's rules for one scalar estimate.
* ``impute_gain``: the mean gain with the missing post-tests multiply imputed from a normal
  model conditional on the pre-score (proper imputation).
* ``no_change_gain``: the gain if every missing post-test had shown no change.
* ``attrition_analysis``: all three on the processed frames (one workshop, or all rows).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

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
    "attrition_frame",
    "attrition_analysis",
]

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
    a = as_float_array(completers)
    b = as_float_array(dropouts)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    ma, sa = (mean_ci(a)[:2]) if a.size else (NAN, NAN)
    mb, sb = (mean_ci(b)[:2]) if b.size else (NAN, NAN)
    out: dict[str, Any] = {
        "n_completers": int(a.size),
        "mean_completers": ma,
        "sd_completers": sa,
        "n_dropouts": int(b.size),
        "mean_dropouts": mb,
        "sd_dropouts": sb,
        "diff": ma - mb if a.size and b.size else NAN,
        "ci_low": NAN,
        "ci_high": NAN,
        "t": NAN,
        "df": NAN,
        "p": NAN,
    }
    if a.size < 2 or b.size < 2:
        return out
    va, vb = sa * sa / a.size, sb * sb / b.size
    se = math.sqrt(va + vb)
    if se <= 0:
        return out
    df = (va + vb) ** 2 / (va * va / (a.size - 1) + vb * vb / (b.size - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    tval = out["diff"] / se
    out.update(
        ci_low=out["diff"] - half,
        ci_high=out["diff"] + half,
        t=tval,
        df=df,
        p=float(2 * stats.t.sf(abs(tval), df)),
    )
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
    q = as_float_array(estimates)
    u = as_float_array(variances)
    m = int(q.size)
    qbar = float(q.mean())
    ubar = float(u.mean())
    b = float(q.var(ddof=1)) if m > 1 else 0.0
    total = ubar + (1 + 1 / m) * b
    df = (m - 1) * (1 + ubar / ((1 + 1 / m) * b)) ** 2 if b > 0 else math.inf
    df = min(df, float(df_complete))
    half = float(stats.t.ppf(0.5 + level / 2, df)) * math.sqrt(total) if total >= 0 else NAN
    return {
        "estimate": qbar,
        "within_var": ubar,
        "between_var": b,
        "total_var": total,
        "df": df,
        "ci_low": qbar - half,
        "ci_high": qbar + half,
        "lambda": (1 + 1 / m) * b / total if total > 0 else 0.0,
        "m": m,
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
    with the complete-data ``df = N - 1``. ``groups`` (e.g. the workshop) adds its dummies to
    the model. Imputed scores are not rounded or bounded to 0-100 (the mean is the target).
    Draws from ``numpy.random.default_rng(seed)``: the same seed gives the same numbers.

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
    x = as_float_array(pre)
    y = as_float_array(post)
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    if int(m) < 2:
        raise ValueError(f"multiple imputation needs m >= 2 imputations (got {m})")
    keep = np.isfinite(x)
    x, y = x[keep], y[keep]
    g = None if groups is None else np.asarray(groups, dtype=object)[keep]
    n = int(x.size)
    miss = ~np.isfinite(y)
    out: dict[str, Any] = {"n": n, "n_missing": int(miss.sum()), "m": int(m), "seed": int(seed)}
    nan_pool = dict.fromkeys(
        ["estimate", "within_var", "between_var", "total_var", "df", "ci_low", "ci_high"], NAN
    )
    if g is not None and len(set(g.tolist())) < 2:
        g = None
    design = _design(x, g)
    p = design.shape[1]
    obs = ~miss
    n_obs = int(obs.sum())
    if n < 2 or n_obs < p + 1:
        return out | nan_pool | {"lambda": NAN}
    if not miss.any():
        q = float((y - x).mean())
        u = float((y - x).var(ddof=1) / n)
        return out | rubin_pool([q] * int(m), [u] * int(m), n - 1, level)
    xo, yo = design[obs], y[obs]
    xtx_inv = np.linalg.inv(gram(xo))  # the dense product's numbers (profile.gram)
    beta_hat = xtx_inv @ xo.T @ yo
    rss = float(((yo - xo @ beta_hat) ** 2).sum())
    chol = np.linalg.cholesky(xtx_inv)
    rng = np.random.default_rng(int(seed))
    xm = design[miss]
    qs, us = [], []
    for _ in range(int(m)):
        sigma2 = rss / rng.chisquare(n_obs - p)
        beta = beta_hat + math.sqrt(sigma2) * (chol @ rng.standard_normal(p))
        yc = y.copy()
        yc[miss] = xm @ beta + math.sqrt(sigma2) * rng.standard_normal(int(miss.sum()))
        d = yc - x
        qs.append(float(d.mean()))
        us.append(float(d.var(ddof=1) / n))
    return out | rubin_pool(qs, us, n - 1, level)


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
    x = as_float_array(pre)
    y = as_float_array(post)
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    keep = np.isfinite(x)
    x, y = x[keep], y[keep]
    miss = ~np.isfinite(y)
    d = np.where(miss, 0.0, y - x)
    est, _sd, lo, hi = mean_ci(d, level)
    return {
        "n": int(x.size),
        "n_missing": int(miss.sum()),
        "estimate": est,
        "ci_low": lo,
        "ci_high": hi,
    }


def attrition_frame(scores: pd.DataFrame, paired: pd.DataFrame) -> pd.DataFrame:
    """Every scored pre-test with its post score where linked (NaN where not): the MI data.

    Columns ``workshop_id``, ``participant_id``, ``pre_pct`` (the pre-test's ``score_pct``),
    ``post_pct`` (from ``paired``; missing for a pre-test without a linked post-test),
    ``completer`` (bool). Rows in the order of ``scores``.

    Example:
        >>> attrition_frame(scores_w1, paired_w1)  # doctest: +SKIP
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
) -> dict[str, Any]:
    """The attrition checks of one workshop (or of all rows, by workshop in the model).

    ``comparison``: ``completer_comparison`` of the pre-test scores (completers: a linked
    post-test), with ``suppressed`` True when either group is under ``MIN_GROUP`` (its mean is
    then not to be published); ``mi``: ``impute_gain`` (with the workshop as a group when
    there are several); ``bound``: ``no_change_gain``; ``complete_case``: the mean gain of the
    linked participants and its t interval (``measures.mean_ci``). Every scored pre-test
    counts; a post-test without a linked pre-test has no pre-score to condition on and is not
    used.

    Example:
        >>> r = attrition_analysis(scores_w1, paired_w1, m=20, seed=1)  # doctest: +SKIP
        >>> r["mi"]["estimate"], r["bound"]["estimate"]  # doctest: +SKIP
    """
    f = attrition_frame(scores, paired)
    pre = f["pre_pct"].to_numpy(dtype=float)
    post = f["post_pct"].to_numpy(dtype=float)
    done = f["completer"].to_numpy(dtype=bool)
    several = f["workshop_id"].nunique() > 1
    groups = f["workshop_id"].astype(str).to_numpy(dtype=object) if several else None
    est, _sd, lo, hi = mean_ci(post[done] - pre[done])
    comparison = completer_comparison(pre[done], pre[~done])
    comparison["suppressed"] = min(int(done.sum()), int((~done).sum())) < MIN_GROUP
    return {
        "comparison": comparison,
        "mi": impute_gain(pre, post, groups=groups, m=m, seed=seed),
        "bound": no_change_gain(pre, post),
        "complete_case": {"n": int(done.sum()), "estimate": est, "ci_low": lo, "ci_high": hi},
    }
