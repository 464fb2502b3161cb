"""The Bayes factor of the paired t-test (JZS prior) and its evidence category."""

from __future__ import annotations

import math
import sys
import warnings
from typing import Any

import numpy as np
from scipy import integrate

__all__ = ["JZS_SCALE", "bf10_jzs", "bf_category"]

#: The default ("medium") Cauchy scale of the JZS prior on the standardized effect.
JZS_SCALE = math.sqrt(2) / 2

#: Evidence categories of BF10 (Lee & Wagenmakers 2013, after Jeffreys 1961): the lower bound
#: of each category, from the strongest evidence for H1 down; below 1/100 is extreme for H0.
_BF_CATEGORIES: tuple[tuple[float, str], ...] = (
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


def bf10_jzs(t_stat: Any, n: Any, r: float = JZS_SCALE) -> Any:
    """BF10 of a one-sample (paired) t-test with the JZS prior, by numerical integration.

    With ``nu = n - 1`` and the Cauchy scale ``r`` on ``delta`` (written as a normal with
    variance ``g`` mixed over an inverse-gamma(1/2, r^2/2) distribution of ``g``)::

        BF10 = int_0^inf (1 + n g)^(-1/2) (1 + t^2 / ((1 + n g) nu))^(-(nu + 1)/2)
                 r (2 pi)^(-1/2) g^(-3/2) exp(-r^2 / (2 g)) dg
               / (1 + t^2 / nu)^(-(nu + 1)/2)

    (Rouder et al. 2009, eq. 1, with the prior scale ``r``), integrated over ``u = log g``
    (from -40 to 80, beyond which the rest is below double precision) on both sides of the
    integrand's peak on a grid of ``u``, by tanh-sinh quadrature of its log (so that a large
    ``t`` neither overflows nor underflows; ``scipy.integrate.tanhsinh``, to 1e-13 relative),
    every test at once and each on its own. This is
    ``BayesFactor::ttestBF(post, pre, paired = TRUE)`` (``rscale = "medium"``). ``t_stat`` and
    ``n`` may be arrays (broadcast, one test per element): then an array. NaN for ``n < 2`` or
    a non-finite ``t``; infinity where BF10 exceeds the largest double (about 1.8e308, e.g.
    t = 100 with thousands of pairs), which ``summary.json`` cannot hold (it writes null) and
    the reports show as ``> 10³⁰⁸``.

    Reference: Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson, G. (2009).
    Bayesian t tests for accepting and rejecting the null hypothesis. Psychon. Bull. Rev. 16,
    225-237.

    Example:
        >>> round(bf10_jzs(-4.062128, 10), 2)  # R: ttestBF on the sleep data, paired: 17.26
        17.26
        >>> bf10_jzs([-4.062128, 0.5], [10, 1]).round(2).tolist()
        [17.26, nan]
    """
    scalar = np.ndim(t_stat) == 0 and np.ndim(n) == 0
    t, nn = np.broadcast_arrays(np.asarray(t_stat, dtype=float), np.asarray(n, dtype=float))
    t, nn = t.ravel(), np.floor(nn.ravel())
    out = np.full(t.shape, np.nan)
    rows = np.flatnonzero((nn >= 2) & np.isfinite(t))
    if rows.size:
        out[rows] = _bf10(t[rows] ** 2, nn[rows], r)
    return float(out[0]) if scalar else out


#: The grid of ``log g`` on which the integrand's peak is searched.
_GRID = np.linspace(-30.0, 40.0, 701)
#: The range of ``log g`` integrated: beyond it the integrand is below double precision.
_LOW, _HIGH = -40.0, 80.0
#: ``tanhsinh``'s tolerance (the log of 1e-13, relative) and its first level: 2^6 steps per
#: side before its error estimate is trusted, which a peak narrower than the range can fool
#: at lower levels (checked against ``scipy.integrate.quad`` to 1e-12 for |t| <= 60,
#: n <= 20000).
_TANHSINH = {"rtol": math.log(1e-13), "minlevel": 6}
#: The natural log of the largest double: a BF10 above it is reported as infinite.
_LOG_MAX = math.log(sys.float_info.max)


def _bf10(t2: np.ndarray, n: np.ndarray, r: float) -> np.ndarray:
    """BF10 of each test (``t^2``, ``n``): the integral of ``bf10_jzs`` over ``u = log g``, on
    both sides of the integrand's peak on ``_GRID``, by ``scipy.integrate.tanhsinh`` on the
    log of the integrand (every test at once, each converging on its own)."""
    nu = n - 1.0
    log_null = -(nu + 1) / 2 * np.log1p(t2 / nu)
    args = (t2, nu, n, log_null, r)
    grid = _log_integrand(_GRID[None, :], *(a[:, None] for a in args[:-1]), r)
    peak = _GRID[grid.argmax(axis=1)]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        sides = [
            integrate.tanhsinh(_log_integrand, a, b, args=args, log=True, **_TANHSINH)
            for a, b in ((np.full_like(peak, _LOW), peak), (peak, np.full_like(peak, _HIGH)))
        ]
    log_bf = np.logaddexp(sides[0].integral, sides[1].integral)
    done = sides[0].success & sides[1].success & ~np.isnan(log_bf)
    bf = np.where(log_bf > _LOG_MAX, np.inf, np.exp(np.minimum(log_bf, _LOG_MAX)))
    return np.where(done, bf, np.nan)


def _log_integrand(
    u: np.ndarray, t2: np.ndarray, nu: np.ndarray, n: np.ndarray, log_null: np.ndarray, r: float
) -> np.ndarray:
    """The log of the integrand of ``bf10_jzs`` at ``u = log g`` (the density in g times
    dg/du = g), relative to the null's likelihood: ``-log(1 + n g)/2 - (nu + 1)/2
    log(1 + t^2/((1 + n g) nu)) + log(r) - log(2 pi)/2 - 3u/2 - r^2/(2g) + u - log_null``."""
    g = np.exp(u)
    ng = 1 + n * g
    log_lik = -0.5 * np.log(ng) - (nu + 1) / 2 * np.log1p(t2 / (ng * nu))
    prior = np.log(r) - 0.5 * math.log(2 * math.pi) - 1.5 * u - r * r / (2 * g)
    return log_lik + prior + u - log_null


def bf_category(bf10: float) -> str:
    """The evidence category of a BF10 (Lee & Wagenmakers 2013, Table 7.1; after Jeffreys).

    ``> 100`` extreme, ``30-100`` very strong, ``10-30`` strong, ``3-10`` moderate, ``1-3``
    anecdotal evidence for H1; the reciprocal bounds for H0 (``1/3-1`` anecdotal, ...,
    ``< 1/100`` extreme). Returns one of the names of ``_BF_CATEGORIES`` (``"extreme_h1"`` ...
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
    for low, name in _BF_CATEGORIES:
        if name.endswith("_h1") and b >= low:
            return name
        if name.endswith("_h0") and b > low:
            return name
    return "extreme_h0"
