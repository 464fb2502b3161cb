"""The logistic GEE with an exchangeable working correlation, vectorized over clusters.

``exchangeable_logit_gee`` is statsmodels' ``GEE(y, X, groups, family=Binomial(),
cov_struct=Exchangeable()).fit()`` with its defaults, step for step (the GLM start, the
Fisher-scoring updates, the moment estimate of the correlation, the stopping rule, the robust
covariance), with each cluster's working covariance inverted in closed form and the cluster
sums taken by ``np.add.reduceat`` instead of a Python loop over clusters. Every sum runs over
cells, the rows of one cluster with the same row of ``X`` (one participant's answers to one
topic in one phase): their mean is the same, so their residuals add up before anything else
(the same sums, grouped).

Reference: Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using generalized
linear models. Biometrika 73, 13-22.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["exchangeable_logit_gee"]

#: statsmodels' ``GEE.fit`` defaults: at most 60 updates; stop when the score's norm < 1e-6.
_MAXITER = 60
_CTOL = 1e-6
#: statsmodels' ``GLM.fit`` (IRLS) defaults for the start values: 100 iterations, deviance
#: changing by at most 1e-8.
_GLM_MAXITER = 100
_GLM_TOL = 1e-8
_EPS = np.finfo(float).eps


@dataclass(frozen=True)
class _GEEFit:
    """A fitted GEE: the coefficients with their robust (sandwich) covariance, and the fit.

    ``params``, ``bse``, ``pvalues`` (two-sided, normal) and ``identified`` (is a column's
    coefficient estimable: the column is not a combination of the others) by column of ``X``;
    ``cov`` the robust covariance, ``cov_naive`` the model-based one; ``dep_param`` the
    working correlation; ``n_iter`` updates made; ``converged``: the score's norm at the last
    update (``score_norm``) under ``ctol``; ``rank`` the rank of ``X``.
    """

    params: np.ndarray
    bse: np.ndarray
    pvalues: np.ndarray
    cov: np.ndarray
    cov_naive: np.ndarray
    dep_param: float
    n_iter: int
    converged: bool
    score_norm: float
    rank: int
    identified: np.ndarray


def _mean(lin: np.ndarray) -> np.ndarray:
    """Inverse logit, as statsmodels' ``Logit.inverse``."""
    return 1.0 / (1.0 + np.exp(-lin))


def _mean_deriv(lin: np.ndarray) -> np.ndarray:
    """d mu / d eta, as statsmodels' ``Logit.inverse_deriv``."""
    t = np.exp(lin)
    return t / (1.0 + t) ** 2


def _variance(mu: np.ndarray) -> np.ndarray:
    """Binomial variance with mu clipped to (eps, 1 - eps), as statsmodels' ``V.Binomial``."""
    p = np.clip(mu, _EPS, 1.0 - _EPS)
    return p * (1.0 - p)


def _deviance(y: np.ndarray, mu: np.ndarray, f: np.ndarray) -> float:
    """Binomial deviance of rows ``y`` counted ``f`` times, as statsmodels' ``Binomial.deviance``
    (IRLS's stopping rule)."""
    a = np.clip(y / (mu + 1e-20), _EPS, np.inf)
    b = np.clip((1.0 - y) / (1.0 - mu + 1e-20), _EPS, np.inf)
    return float(np.sum(f * 2.0 * (y * np.log(a) + (1.0 - y) * np.log(b))))


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a^-1 b``, by the pseudo-inverse when ``a`` is singular (as statsmodels)."""
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(a) @ b


def _rank(xtx: np.ndarray) -> int:
    """Rank of ``X`` from ``X'X`` scaled to unit diagonal (all-zero columns count for none)."""
    d = np.sqrt(np.diag(xtx))
    keep = d > 0
    if not keep.any():
        return 0
    r = xtx[np.ix_(keep, keep)] / np.outer(d[keep], d[keep])
    ev = np.linalg.eigvalsh(r)
    return int((ev > ev[-1] * 1e-10).sum())


def _patterns(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code among the distinct rows of ``x``, and those rows: by a fixed random
    projection, checked exactly (``np.unique`` of the rows when two differ in a code)."""
    proj = np.random.default_rng(20210615).standard_normal(x.shape[1])
    code, uniques = pd.factorize(x @ proj)
    rows = np.empty((len(uniques), x.shape[1]))
    rows[code] = x
    if not np.array_equal(rows[code], x):
        rows, code = np.unique(x, axis=0, return_inverse=True)
    return code.ravel(), rows


def _glm_start(x: np.ndarray, y: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Start values: the independence logistic GLM by IRLS, as statsmodels' ``GLM.fit()``, on
    rows ``x, y`` counted ``f`` times (its sums, grouped).

    The weighted least squares of each step by its normal equations (statsmodels: ``lstsq``
    on the weighted rows; the same solution, the minimum-norm one for a singular design).
    """
    mu = (y + 0.5) / 2.0
    p = np.clip(mu, _EPS, 1.0 - _EPS)
    lin = np.log(p / (1.0 - p))
    dev = [np.inf, _deviance(y, mu, f)]
    if np.isnan(dev[-1]):
        raise ValueError("the starting GLM's first deviance is not a number")
    params = np.zeros(x.shape[1])
    for _ in range(_GLM_MAXITER):
        p = np.clip(mu, _EPS, 1.0 - _EPS)
        deriv = 1.0 / (p * (1.0 - p))
        w = 1.0 / (deriv**2 * _variance(mu))
        z = lin + deriv * (y - mu)
        if not np.all(np.isfinite(np.sqrt(w))) or not np.all(np.isfinite(z)):
            raise ValueError("the starting GLM's weights or working response are not finite")
        xw = x * (f * w)[:, None]
        params = np.linalg.lstsq(xw.T @ x, xw.T @ z, rcond=None)[0]
        lin = x @ params
        mu = _mean(lin)
        dev.append(_deviance(y, mu, f))
        if np.allclose(mu - y, 0):
            warnings.warn(
                "the starting GLM predicts every answer exactly (perfect separation): "
                "its coefficients may not be identified",
                _sm_warning("PerfectSeparationWarning"),
                stacklevel=3,
            )
        if np.allclose(dev[-2], dev[-1], atol=_GLM_TOL, rtol=0.0):
            break
    return params


def _sm_warning(name: str) -> type[Warning]:
    """statsmodels' warning class ``name`` (its reports name the same categories)."""
    from statsmodels.tools import sm_exceptions

    return getattr(sm_exceptions, name)


def exchangeable_logit_gee(
    y: np.ndarray,
    x: np.ndarray,
    groups: np.ndarray,
    *,
    maxiter: int = _MAXITER,
    ctol: float = _CTOL,
) -> _GEEFit:
    r"""Logistic GEE, exchangeable working correlation, robust covariance (Liang & Zeger 1986).

    For binary ``y_ij`` (observation j of cluster i, ``n_i`` of them) with
    ``mu_ij = 1 / (1 + exp(-x_ij' b))``, ``A_i = diag(mu_ij (1 - mu_ij))``,
    ``D_i = A_i X_i`` and the working covariance ``V_i = A_i^(1/2) R_i A_i^(1/2)``,
    ``R_i = (1 - a) I + a J``, ``b`` solves the estimating equations

    .. math:: U(b) = \sum_i D_i' V_i^{-1} (y_i - \mu_i) = 0,

    with ``R_i^-1 = (I - a / (1 + (n_i - 1) a) J) / (1 - a)`` in closed form. The algorithm is
    statsmodels' ``GEE.fit()`` with its defaults: start at the independence GLM (IRLS); each
    step ``b += B^-1 U`` with ``B = sum_i D_i' V_i^-1 D_i``; stop once ``|U| < ctol`` (the
    score before the step) after at least one update of ``a``, else re-estimate ``a`` from the
    Pearson residuals ``e = (y - mu) / sqrt(mu (1 - mu))``:
    ``phi = sum e^2 / (N - p)``, ``a = sum_i sum_{j<k} e_ij e_ik / phi / (P - p)``,
    ``P = sum_i n_i (n_i - 1) / 2`` (``a`` stays 0 when every cluster has one observation).
    The robust covariance is ``B^-1 (sum_i U_i U_i') B^-1`` (the binomial scale is 1); p from
    the normal distribution. At most ``maxiter`` steps; an ``IterationLimitWarning`` when the
    score is still at or above ``ctol`` then, a ``PerfectSeparationWarning`` from the start's
    IRLS when it predicts every ``y`` (statsmodels' categories, in our words).

    ``y``: 0 or 1 (a ``ValueError`` otherwise); ``X``: finite, with its intercept;
    ``groups``: any labels, one per row (rows of a cluster need not be adjacent). The sums run
    over cells, the rows of a cluster with the same row of ``X`` (the same sums, grouped).

    Reference: Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using
    generalized linear models. Biometrika 73, 13-22.

    Example:
        Four participants, two items before and two after: 4 of 8 right before, 6 of 8 after.
        With the same design in every cluster the estimate is the logit of the proportions
        whatever ``a`` (log odds ratio ``ln 3``) and the sandwich the clusters' delta method
        (``sqrt(5/18)``, worked out in ``tests/test_gee.py``):

        >>> y = np.array([1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0])
        >>> x = np.column_stack([np.ones(16), np.tile([0.0, 0.0, 1.0, 1.0], 4)])
        >>> fit = exchangeable_logit_gee(y, x, np.repeat(["P1", "P2", "P3", "P4"], 4))
        >>> round(float(np.exp(fit.params[1])), 9), fit.bse.round(4).tolist()
        (3.0, [0.7071, 0.527])
        >>> round(fit.dep_param, 4), fit.n_iter, fit.converged
        (0.1307, 2, True)
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    cluster = pd.factorize(np.asarray(groups), use_na_sentinel=False)[0]
    n, p = x.shape
    if y.shape != (n,) or cluster.shape != (n,):
        raise ValueError("y, X and groups must have the same number of rows")
    if n == 0:
        raise ValueError("no observations")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must be 0 or 1")
    if not np.all(np.isfinite(x)):
        raise ValueError("X has values that are not finite")
    # cells: the rows of one cluster with one row of X (pattern k), sorted by cluster
    k, xk = _patterns(x)
    cells, cell = np.unique(cluster.astype(np.int64) * len(xk) + k, return_inverse=True)
    ck = cells % len(xk)  # the cell's pattern
    starts = np.flatnonzero(np.r_[True, np.diff(cells // len(xk)) != 0])
    cnt = np.bincount(cell, minlength=len(cells)).astype(float)
    ys = np.bincount(cell, weights=y, minlength=len(cells))
    nk = np.bincount(ck, weights=cnt, minlength=len(xk))
    yk = np.bincount(ck, weights=ys, minlength=len(xk))
    size = np.add.reduceat(cnt, starts)

    def csum(v: np.ndarray) -> np.ndarray:
        return np.add.reduceat(v, starts, axis=0)

    with np.errstate(all="ignore"):
        xtx = xk.T @ (xk * nk[:, None])
        rank = _rank(xtx)
        identified = np.array(
            [rank - _rank(np.delete(np.delete(xtx, j, 0), j, 1)) == 1 for j in range(p)]
        )
        # the GLM on the patterns' right and wrong answers, with their counts
        f = np.r_[yk, nk - yk]
        some = f > 0
        xa, ya = np.vstack([xk, xk])[some], np.r_[np.ones(len(xk)), np.zeros(len(xk))][some]
        params = _glm_start(xa, ya, f[some])
        update_dep = size.max() > 1
        n_pairs = float(np.sum(0.5 * size * (size - 1.0)))
        dep = 0.0

        def at(params: np.ndarray):
            """At ``params``: each pattern's ``V^-1/2``-scaled row of D (``x1``), each cell's
            Pearson residual sum ``r``, their cluster sums; and the cells' squared residuals."""
            lin = xk @ params
            mu = _mean(lin)
            sdev = np.sqrt(_variance(mu))
            x1 = xk * (_mean_deriv(lin) / sdev)[:, None]
            m = mu[ck]
            r = (ys - cnt * m) / sdev[ck]
            r2 = (ys * (1.0 - m) ** 2 + (cnt - ys) * m**2) / sdev[ck] ** 2
            rk = np.bincount(ck, weights=r, minlength=len(xk))
            return x1, r, r2, rk, csum(cnt[:, None] * x1[ck]), csum(r)

        def weights(dep: float) -> np.ndarray:
            """``c_i`` of ``R_i^-1 = (I - c_i (1 - a) J) / (1 - a)``, as statsmodels."""
            return dep / (1.0 - dep) / (1.0 + dep * (size - 1.0))

        def moment_dep(r2: np.ndarray, se: np.ndarray) -> float:
            """statsmodels' ``Exchangeable.update``: the pairs' mean product, over the scale."""
            scale = np.sum(r2) / (n * (n - p) / float(n))
            pairs = np.sum((se**2 - csum(r2)) / 2.0) / scale
            return float(pairs / (n_pairs * (n_pairs - p) / n_pairs))

        x1, r, r2, rk, sx1, se = at(params)
        score_norm, n_assoc, n_iter = -1.0, 0, 0
        for itr in range(maxiter):
            n_iter = itr + 1
            c = weights(dep)
            bmat = x1.T @ (x1 * nk[:, None]) / (1.0 - dep) - (sx1 * c[:, None]).T @ sx1
            score = x1.T @ rk / (1.0 - dep) - sx1.T @ (c * se)
            params = params + _solve(bmat, score)
            x1, r, r2, rk, sx1, se = at(params)
            score_norm = float(np.sqrt(np.sum(score**2)))  # before this step, as statsmodels
            if score_norm < ctol and (n_assoc > 0 or not update_dep):
                break
            if update_dep:
                dep = moment_dep(r2, se)
                n_assoc += 1
        if score_norm >= ctol:
            warnings.warn(
                f"the GEE stopped at its limit of {maxiter} updates before converging "
                f"(score norm {score_norm:.3g}, not under {ctol:g})",
                _sm_warning("IterationLimitWarning"),
                stacklevel=2,
            )
        c = weights(dep)
        bmat = x1.T @ (x1 * nk[:, None]) / (1.0 - dep) - (sx1 * c[:, None]).T @ sx1
        u = csum(r[:, None] * x1[ck]) / (1.0 - dep) - sx1 * (c * se)[:, None]  # clusters' scores
        try:
            bmati = np.linalg.inv(bmat)
        except np.linalg.LinAlgError:
            bmati = np.linalg.pinv(bmat)
        cov = bmati @ (u.T @ u) @ bmati
        bse = np.sqrt(np.diag(cov))
        pvalues = 2.0 * stats.norm.sf(np.abs(params / bse))
    return _GEEFit(
        params=params,
        bse=bse,
        pvalues=pvalues,
        cov=cov,
        cov_naive=bmati,
        dep_param=float(dep),
        n_iter=n_iter,
        converged=bool(score_norm < ctol),
        score_norm=score_norm,
        rank=rank,
        identified=identified,
    )
