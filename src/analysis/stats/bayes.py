"""The Bayes factor of the paired t-test (JZS prior) and its evidence category."""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import integrate

from .measures import NAN

__all__ = ["JZS_SCALE", "BF_CATEGORIES", "bf10_jzs", "bf10_jzs_many", "bf_category"]

#: The default ("medium") Cauchy scale of the JZS prior on the standardized effect.
JZS_SCALE = math.sqrt(2) / 2

#: Evidence categories of BF10 (Lee & Wagenmakers 2013, after Jeffreys 1961): the lower bound
#: of each category, from the strongest evidence for H1 down; below 1/100 is extreme for H0.
BF_CATEGORIES: tuple[tuple[float, str], ...] = (
    (100.0, "extreme_h1"),
    (30.0, "very_strong_h1"),
    (10.0, "strong_h1"),
    (3.0, "moderate_h1"),
    (1.0, "anecdotal_h1"),
    (1 / 3, "anecdotal_h0"),
    (1 / 10, "moderate_h0"),
    (1 / 30, "strong_h0"),
    (1 / 100, "very_strong_h0"),
    (0.0, "extreme_h0"),
)


def bf10_jzs(t_stat: float, n: int, r: float = JZS_SCALE) -> float:
    """BF10 of a one-sample (paired) t-test with the JZS prior, by numerical integration.

    With ``nu = n - 1`` and the Cauchy scale ``r`` on ``delta`` (written as a normal with
    variance ``g`` mixed over an inverse-gamma(1/2, r^2/2) distribution of ``g``)::

        BF10 = int_0^inf (1 + n g)^(-1/2) (1 + t^2 / ((1 + n g) nu))^(-(nu + 1)/2)
                 r (2 pi)^(-1/2) g^(-3/2) exp(-r^2 / (2 g)) dg
               / (1 + t^2 / nu)^(-(nu + 1)/2)

    (Rouder et al. 2009, eq. 1, with the prior scale ``r``), integrated over ``log g`` (from
    -40 to 80, beyond which the rest is below double precision) with ``scipy.integrate.quad``.
    This is ``BayesFactor::ttestBF(post, pre, paired = TRUE)`` (``rscale = "medium"``).
    NaN for ``n < 2`` or a non-finite ``t``; infinity where BF10 exceeds the largest double
    (about 1.8e308, e.g. t = 100 with thousands of pairs), which ``summary.json`` cannot hold
    (it writes null) and the reports show as ``> 10³⁰⁸``.

    Reference: Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson, G. (2009).
    Bayesian t tests for accepting and rejecting the null hypothesis. Psychon. Bull. Rev. 16,
    225-237.

    Example:
        >>> round(bf10_jzs(-4.062128, 10), 2)  # R: ttestBF on the sleep data, paired: 17.26
        17.26
    """
    n = int(n)
    if n < 2 or not math.isfinite(float(t_stat)):
        return NAN
    t2, nu = float(t_stat) ** 2, n - 1.0
    log_null = -(nu + 1) / 2 * math.log1p(t2 / nu)
    # scale by the integrand's peak so that large t neither overflows nor underflows
    log_integrand = _log_integrand(t2, nu, n, r, log_null)
    vals = np.array([log_integrand(u) for u in _GRID])
    peak = float(vals.max())
    u0 = float(_GRID[int(vals.argmax())])
    return _bf10_from_peak(log_integrand, peak, u0)


def bf10_jzs_many(t_stats: Any, ns: Any, r: float = JZS_SCALE) -> np.ndarray:
    """``bf10_jzs`` of many paired t-tests at once: ``BF10_i = bf10_jzs(t_i, n_i, r)``.

    The same integral as ``bf10_jzs`` (Rouder et al. 2009, eq. 1), the same numbers: the
    integrand's peak on the grid of ``log g`` is searched for every test at once (numpy), the
    few grid points that may hold it are evaluated again as ``bf10_jzs`` evaluates them, and
    the integral itself is ``bf10_jzs``'s (``scipy.integrate.quad``). NaN where ``n_i < 2`` or
    ``t_i`` is not finite.

    Reference: Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson, G. (2009).
    Psychon. Bull. Rev. 16, 225-237.

    Example:
        >>> bf10_jzs_many([-4.062128, 0.5], [10, 1]).round(2).tolist()
        [17.26, nan]
    """
    t, n = np.broadcast_arrays(np.asarray(t_stats, dtype=float), np.asarray(ns))
    t, n = t.ravel(), n.ravel().astype(np.int64)
    out = np.full(t.shape, np.nan)
    rows = np.flatnonzero((n >= 2) & np.isfinite(t))
    if not rows.size:
        return out
    t2 = np.array([float(v) ** 2 for v in t[rows]])
    nu = n[rows] - 1.0
    log_null = np.array([-(v + 1) / 2 * math.log1p(a / v) for a, v in zip(t2, nu, strict=True)])
    vals, bound = _log_integrand_grid(t2, nu, n[rows].astype(float), r, log_null)
    top = vals.max(axis=1)
    with np.errstate(invalid="ignore"):
        near = vals + bound >= (top - bound[np.arange(rows.size), vals.argmax(axis=1)])[:, None]
    for i, row in enumerate(rows):
        cand = np.flatnonzero(near[i])
        if not np.isfinite(top[i]) or not cand.size:
            out[row] = bf10_jzs(float(t[row]), int(n[row]), r)
            continue
        log_integrand = _log_integrand(
            float(t2[i]), float(nu[i]), int(n[row]), r, float(log_null[i])
        )
        exact = [log_integrand(_GRID[j]) for j in cand]
        peak = max(exact)
        u0 = float(_GRID[cand[exact.index(peak)]])
        out[row] = _bf10_from_peak(log_integrand, float(peak), u0)
    return out


#: The grid of ``log g`` on which the integrand's peak is searched.
_GRID = np.linspace(-30.0, 40.0, 701)


def _log_integrand(
    t2: float, nu: float, n: int, r: float, log_null: float
) -> Callable[[float], float]:
    """The log of the integrand of ``bf10_jzs`` as a function of ``u = log g`` (the density in
    g times dg/du = g), relative to the null's likelihood, for ``t^2 = t2`` and ``nu = n - 1``:
    ``-log(1 + n g)/2 - (nu + 1)/2 log(1 + t^2/((1 + n g) nu)) + log(r) - log(2 pi)/2
    - 3u/2 - r^2/(2g) + u - log_null``, its constant terms computed once."""
    half_nu1 = (nu + 1) / 2
    prior0 = math.log(r) - 0.5 * math.log(2 * math.pi)
    rr = r * r
    exp, log, log1p = math.exp, math.log, math.log1p

    def log_integrand(u: float) -> float:
        g = exp(u)
        ng = 1 + n * g
        log_lik = -0.5 * log(ng) - half_nu1 * log1p(t2 / (ng * nu))
        return log_lik + (prior0 - 1.5 * u - rr / (2 * g)) + u - log_null

    return log_integrand


def _log_integrand_grid(
    t2: np.ndarray, nu: np.ndarray, n: np.ndarray, r: float, log_null: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``_log_integrand`` on ``_GRID`` for many tests (rows), in numpy, and a bound of its
    difference from ``_log_integrand``'s value (numpy's and the math module's exp and log
    differ by a few units in the last place: 64 of them per term are allowed)."""
    u = _GRID[None, :]
    t2, nu, n, log_null = (a[:, None] for a in (t2, nu, n, log_null))
    g = np.exp(u)
    ng = 1 + n * g
    log_ng = -0.5 * np.log(ng)
    lik = (nu + 1) / 2 * np.log1p(t2 / (ng * nu))
    prior = r * r / (2 * g)
    vals = (
        log_ng - lik + (math.log(r) - 0.5 * math.log(2 * math.pi) - 1.5 * u - prior) + u
    ) - log_null
    scale = np.abs(log_ng) + np.abs(lik) + (nu + 1) / 2 + 2.5 * np.abs(u) + prior
    bound = 64 * np.finfo(float).eps * (scale + np.abs(log_null) + 4.0)
    return vals, bound


def _bf10_from_peak(log_integrand: Callable[[float], float], peak: float, u0: float) -> float:
    """BF10 from the integrand's peak on the grid (its log ``peak``, at ``u0``): the integral
    of ``exp(log integrand - peak)`` on both sides of ``u0`` (``scipy.integrate.quad``)."""

    def scaled(u: float) -> float:
        return math.exp(log_integrand(u) - peak)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        parts = [
            integrate.quad(scaled, a, b, epsabs=0, epsrel=1e-10)[0]
            for a, b in ((-40.0, u0), (u0, 80.0))
        ]
    total = sum(parts)
    if total <= 0 or not math.isfinite(total):
        return NAN
    log_bf = peak + math.log(total)
    return math.inf if log_bf > _LOG_MAX else float(math.exp(log_bf))


#: The natural log of the largest double: a BF10 above it is reported as infinite.
_LOG_MAX = math.log(sys.float_info.max)


def bf_category(bf10: float) -> str:
    """The evidence category of a BF10 (Lee & Wagenmakers 2013, Table 7.1; after Jeffreys).

    ``> 100`` extreme, ``30-100`` very strong, ``10-30`` strong, ``3-10`` moderate, ``1-3``
    anecdotal evidence for H1; the reciprocal bounds for H0 (``1/3-1`` anecdotal, ...,
    ``< 1/100`` extreme). Returns one of the names of ``BF_CATEGORIES`` (``"extreme_h1"`` ...
    ``"extreme_h0"``), or ``"undefined"`` for a NaN. A BF10 of exactly 1 counts as anecdotal
    for H1; a bound belongs to the stronger category's side (``BF10 = 3`` is moderate).

    Reference: Lee, M. D., & Wagenmakers, E.-J. (2013). Bayesian cognitive modeling: A
    practical course. Cambridge University Press; Jeffreys, H. (1961). Theory of probability
    (3rd ed.).

    Example:
        >>> bf_category(17.26), bf_category(0.2), bf_category(1.0)
        ('strong_h1', 'moderate_h0', 'anecdotal_h1')
    """
    b = float(bf10)
    if math.isnan(b):
        return "undefined"
    for low, name in BF_CATEGORIES:
        if name.endswith("_h1") and b >= low:
            return name
        if name.endswith("_h0") and b > low:
            return name
    return "extreme_h0"
