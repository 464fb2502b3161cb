"""Linear mixed model with a random intercept per group: two exact engines and a guard.

* ``fit_random_intercept``: linear mixed model with a random intercept per group, REML or ML.
  Two engines give the same (exact) estimates: ``statsmodels`` ``MixedLM`` (the reference
  of METHODS) wrapped in a guard, and ``profile``, a vectorized closed-form profile likelihood
  for the random-intercept model (fast for thousands of participants, where MixedLM loops over
  groups in Python). ``engine="auto"`` uses statsmodels up to ``_SM_MAX_GROUPS`` groups.
* The guard (statsmodels issue 10239: with a near-zero random-intercept variance ``lbfgs`` can
  return zero fixed effects while claiming convergence): every optimizer fit is checked
  (converged, finite, variance >= 0, fixed effects equal to the exact profile solution); on
  failure the next optimizer is tried (``lbfgs``, ``bfgs``, ``powell``, ``nm``); at a zero
  variance the fixed effects must equal OLS and are replaced by OLS when they do not; the fixed
  effects are always cross-checked against OLS of the same fixed part. Every warning raised
  while fitting is caught and returned in ``warnings`` (nothing is printed).

References: Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data.
Biometrics 38, 963-974; Bates, D., et al. (2015). Fitting linear mixed-effects models using
lme4. J. Stat. Softw. 67(1).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg, stats

from .measures import NAN
from .profile import Profile, design_parts, gram

__all__ = [
    "METHODS",
    "Z975",
    "MixedFit",
    "fit_random_intercept",
    "FAST_OLS_MIN",
    "sparse_free_ols",
    "warning_text",
]

#: ``engine="auto"`` uses statsmodels MixedLM up to this many groups, the profile engine above.
_SM_MAX_GROUPS = 1000
#: ``sparse_free_ols`` solves the normal equations (Cholesky) above this many columns.
FAST_OLS_MIN = 64
#: The MixedLM optimizers tried in turn, until a fit passes the guard's checks.
METHODS = ("lbfgs", "bfgs", "powell", "nm")
#: ``z(.975)``, the normal quantile of the Wald 95 % intervals.
Z975 = float(stats.norm.ppf(0.975))


@dataclass
class MixedFit:
    """A random-intercept model fit: estimates, Wald intervals, variance parts, diagnostics."""

    params: pd.Series
    bse: pd.Series
    conf_int: pd.DataFrame
    re_var: float
    scale: float
    llf: float
    reml: bool
    converged: bool
    engine: str
    method: str
    n_obs: int
    n_groups: int
    ols_params: pd.Series
    ols_max_diff_se: float
    warnings: list[str] = field(default_factory=list)
    result: Any = None

    def coef(self, name: str) -> dict[str, float]:
        """Estimate, SE and Wald 95 % interval of one fixed effect."""
        return {
            "estimate": float(self.params[name]),
            "se": float(self.bse[name]),
            "ci_low": float(self.conf_int.loc[name, "lower"]),
            "ci_high": float(self.conf_int.loc[name, "upper"]),
        }


def warning_text(w: warnings.WarningMessage) -> str:
    """A caught warning as one line: ``Category: message``."""
    return f"{w.category.__name__}: {w.message}"


# --------------------------------------------------------------------------------------------
# the guarded fit


def fit_random_intercept(
    formula: str,
    data: pd.DataFrame,
    groups: str,
    *,
    reml: bool = True,
    engine: str = "auto",
    methods: tuple[str, ...] = METHODS,
    ols_tol_se: float = 2.0,
) -> MixedFit:
    """Linear mixed model with a random intercept per ``groups``, guarded; Wald 95 % intervals.

    ``y_ij = x_ij' b + u_i + e_ij``, ``u_i ~ N(0, tau^2)``, ``e_ij ~ N(0, sigma^2)``; REML (or
    ML). ``engine``: ``"statsmodels"`` (``MixedLM``, optimizers ``methods`` tried in turn until
    a fit passes the checks), ``"profile"`` (exact closed-form profile likelihood, vectorized)
    or ``"auto"`` (statsmodels up to ``_SM_MAX_GROUPS`` groups). Intervals ``b +/- z(.975) SE``.
    Point estimates and log-likelihoods of the two engines agree to optimizer precision; the
    profile engine's standard errors are the GLS ones ``sqrt(diag(sigma^2 (X'V^-1X)^-1))`` (as
    lme4), statsmodels' come from the joint observed information and differ slightly (< 1 %)
    in unbalanced data.
    Warnings (optimizer messages, boundary variance, OLS disagreement by more than
    ``ols_tol_se`` OLS standard errors) are returned in ``MixedFit.warnings``.

    Reference: Laird & Ware (1982); statsmodels issue 10239 for the guard.

    Example:
        >>> fit = fit_random_intercept("extra ~ group", sleep, "ID")  # doctest: +SKIP
        >>> round(fit.params["group[T.2]"], 2), round(fit.re_var, 3)  # doctest: +SKIP
        (1.58, 2.848)
    """
    if engine not in ("auto", "statsmodels", "profile"):
        raise ValueError(f"engine must be 'auto', 'statsmodels' or 'profile', not {engine!r}")
    msgs: list[str] = []
    y, x, names, g, ols, prof = _exact_solutions(formula, data, groups, reml, msgs)
    n_groups = int(g.max()) + 1 if g.size else 0
    if engine == "auto":
        engine = "statsmodels" if n_groups <= _SM_MAX_GROUPS else "profile"
    est = {k: prof[k] for k in ("beta", "bse", "re_var", "scale", "llf", "converged")}
    est |= {"method": "profile", "result": None}
    if engine == "statsmodels":
        found = _statsmodels_fit(y, x, names, g, reml, methods, prof, msgs)
        if found is None:
            engine = "profile"
        else:
            est = found
    est["beta"], est["bse"], gap = _ols_guard(est, ols, reml, len(y), msgs, ols_tol_se)
    return _as_mixed_fit(
        est, names, ols, gap, msgs, reml=reml, engine=engine, n_obs=len(y), n_groups=n_groups
    )


def _as_mixed_fit(
    est: dict[str, Any],
    names: list[str],
    ols: dict[str, np.ndarray],
    gap: float,
    msgs: list[str],
    *,
    reml: bool,
    engine: str,
    n_obs: int,
    n_groups: int,
) -> MixedFit:
    """The ``MixedFit`` of the final estimates, with Wald intervals ``b +/- z(.975) SE``."""
    params = pd.Series(est["beta"], index=names, dtype=float)
    bse_s = pd.Series(est["bse"], index=names, dtype=float)
    ci = pd.DataFrame({"lower": params - Z975 * bse_s, "upper": params + Z975 * bse_s})
    return MixedFit(
        params=params,
        bse=bse_s,
        conf_int=ci,
        re_var=float(est["re_var"]),
        scale=float(est["scale"]),
        llf=float(est["llf"]),
        reml=reml,
        converged=bool(est["converged"]),
        engine=engine,
        method=est["method"],
        n_obs=n_obs,
        n_groups=n_groups,
        ols_params=pd.Series(ols["beta"], index=names),
        ols_max_diff_se=gap,
        warnings=list(dict.fromkeys(msgs)),
        result=est["result"],
    )


def _exact_solutions(
    formula: str, data: pd.DataFrame, groups: str, reml: bool, msgs: list[str]
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, dict, dict]:
    """Design (``y, X, names, g``), OLS and the exact profile fit; notes, warnings to ``msgs``."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        y, x, names, g, notes, exact = design_parts(formula, data, groups)
        msgs.extend(notes)
        xtx = gram(x if exact is None else exact)
        ols = sparse_free_ols(y, x, xtx=xtx)
        prof = Profile(y, x, g, xtx=xtx, exact=exact).fit(reml)
    msgs.extend(warning_text(w) for w in caught)
    return y, x, names, g, ols, prof


def _statsmodels_fit(
    y: np.ndarray,
    x: np.ndarray,
    names: list[str],
    g: np.ndarray,
    reml: bool,
    methods: tuple[str, ...],
    prof: dict[str, Any],
    msgs: list[str],
) -> dict[str, Any] | None:
    """The first MixedLM fit (optimizers ``methods`` in turn) that passes the checks, or None.

    Each optimizer's warnings, failures and rejections (``_mixedlm_problems``) go to ``msgs``,
    and a note when none passes (the exact profile solution is used then).
    """
    from statsmodels.regression.mixed_linear_model import MixedLM

    frame = pd.DataFrame(x, columns=names)
    for m in methods:
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            try:
                model = MixedLM(y, frame, groups=g)
                r = model.fit(reml=reml, method=[m])
            except Exception as exc:  # noqa: BLE001
                msgs.append(f"MixedLM {m}: failed ({type(exc).__name__}: {exc})")
                r = None
        msgs.extend(f"MixedLM {m}: {warning_text(w)}" for w in caught)
        if r is None:
            continue
        fe = np.asarray(r.fe_params, dtype=float)
        tau2 = float(np.asarray(r.cov_re)[0, 0])
        problems = _mixedlm_problems(r, fe, tau2, prof)
        if problems:
            msgs.append(f"MixedLM {m}: rejected: {'; '.join(problems)}; trying the next")
            continue
        return {
            "beta": fe,
            "bse": np.asarray(r.bse_fe, dtype=float),
            "re_var": tau2,
            "scale": float(r.scale),
            "llf": float(r.llf),
            "converged": True,
            "method": m,
            "result": r,
        }
    msgs.append(
        "MixedLM: no optimizer passed the checks; using the exact profile-likelihood solution"
    )
    return None


def _mixedlm_problems(r: Any, fe: np.ndarray, tau2: float, prof: dict[str, Any]) -> list[str]:
    """What is wrong with a MixedLM fit: not converged, non-finite, or not the exact solution."""
    problems = []
    if not r.converged:
        problems.append("did not converge")
    if not (np.all(np.isfinite(fe)) and np.isfinite(tau2) and tau2 >= 0):
        problems.append("non-finite estimates")
    elif np.allclose(fe, 0) and not np.allclose(prof["beta"], 0):
        problems.append("returned all-zero fixed effects (statsmodels issue 10239)")
    else:
        gap = np.max(np.abs(fe - prof["beta"]) / np.maximum(prof["bse"], 1e-12))
        if gap > 1e-2:
            problems.append(f"fixed effects differ from the exact profile solution by {gap:.3g} SE")
    return problems


def _ols_guard(
    est: dict[str, Any],
    ols: dict[str, np.ndarray],
    reml: bool,
    n_obs: int,
    msgs: list[str],
    ols_tol_se: float,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Fixed effects and SEs after the OLS checks, and their largest gap to OLS (in OLS SEs).

    At a zero (boundary) variance the model is OLS: estimates that differ from OLS by more than
    1e-3 SE are replaced by OLS (SEs rescaled to ML when ``reml`` is false). Any gap above
    ``ols_tol_se`` is reported in ``msgs``.
    """
    beta, bse = est["beta"], est["bse"]
    p = len(ols["beta"])
    boundary = est["re_var"] <= 1e-6 * max(est["scale"], 1e-12)
    ols_se = np.maximum(ols["bse"], 1e-12)
    if boundary:
        msgs.append(
            "random-intercept variance estimated at zero (boundary): the model reduces to OLS"
        )
        gap = float(np.max(np.abs(beta - ols["beta"]) / ols_se)) if p else 0.0
        if gap > 1e-3:
            msgs.append(
                f"fixed effects differ from OLS by {gap:.3g} SE at a zero variance; "
                "replaced by the OLS estimates"
            )
            beta = ols["beta"]
            bse = ols["bse"] if reml else ols["bse"] * math.sqrt((n_obs - p) / n_obs)
    gap = float(np.max(np.abs(beta - ols["beta"]) / ols_se)) if p else 0.0
    if gap > ols_tol_se:
        msgs.append(
            f"fixed effects differ from OLS of the same fixed part by up to {gap:.3g} OLS SE "
            "(possible with unbalanced data, e.g. many unlinked questionnaires)"
        )
    return beta, bse, gap


def sparse_free_ols(
    y: np.ndarray, x: np.ndarray, *, xtx: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """OLS estimates and SEs by least squares: ``b = (X'X)^-1 X'y``, ``s^2 = RSS/(n-p)``,
    ``SE = sqrt(diag(s^2 (X'X)^-1))``.

    Up to ``FAST_OLS_MIN`` columns ``b`` is numpy's ``lstsq`` (SVD) and ``(X'X)^-1`` the
    pseudo-inverse; with more (the pooled models of hundreds of workshops, where the SVD of the
    n x p matrix costs O(n p^2)) the normal equations are solved by Cholesky on ``X'X``
    (``xtx``, ``profile.gram(x)`` when not given) with one step of iterative refinement,
    ``b += (X'X)^-1 X'(y - X b)``, which gives the least-squares solution to rounding
    (Golub & Van Loan 2013, sec. 5.3 and 3.5.3); a ``X'X`` that is not positive definite takes
    the SVD route.

    Reference: Golub, G. H., & Van Loan, C. F. (2013). Matrix Computations (4th ed.).

    Example:
        >>> sparse_free_ols(np.array([1.0, 2.0, 4.0]), np.ones((3, 1)))["beta"].round(3).tolist()
        [2.333]
    """
    n, p = x.shape
    xtx = gram(x) if xtx is None else xtx
    inverse_diag = None
    if p > FAST_OLS_MIN:
        try:
            factor = linalg.cho_factor(xtx)
        except linalg.LinAlgError:
            factor = None
        if factor is not None:
            beta = linalg.cho_solve(factor, x.T @ y)
            beta = beta + linalg.cho_solve(factor, x.T @ (y - x @ beta))
            # diag((X'X)^-1) = squared row norms of U^-1, X'X = U'U
            upper = np.triu(factor[0]) if not factor[1] else np.tril(factor[0]).T
            u_inv = linalg.solve_triangular(upper, np.eye(p), lower=False)
            inverse_diag = (u_inv * u_inv).sum(axis=1)
    if inverse_diag is None:
        beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    rss = float(((y - x @ beta) ** 2).sum())
    s2 = rss / (n - p) if n > p else NAN
    if not p:
        bse = np.array([])
    elif inverse_diag is not None:
        bse = np.sqrt(s2 * inverse_diag)
    else:
        bse = np.sqrt(np.diag(s2 * np.linalg.pinv(xtx)))
    return {"beta": beta, "bse": bse, "scale": s2}
