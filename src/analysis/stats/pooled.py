"""Pooled report: models over all workshops (METHODS, "Pooled report").

* ``fit_random_intercept``: linear mixed model with a random intercept per group, REML or ML.
  Two engines give the same (exact) estimates: ``statsmodels`` ``MixedLM`` (the reference
  of METHODS) wrapped in a guard, and ``profile``, a vectorized closed-form profile likelihood
  for the random-intercept model (fast for thousands of participants, where MixedLM loops over
  groups in Python). ``engine="auto"`` uses statsmodels up to ``SM_MAX_GROUPS`` groups.
* The guard (statsmodels issue 10239: with a near-zero random-intercept variance ``lbfgs`` can
  return zero fixed effects while claiming convergence): every optimizer fit is checked
  (converged, finite, variance >= 0, fixed effects equal to the exact profile solution); on
  failure the next optimizer is tried (``lbfgs``, ``bfgs``, ``powell``, ``nm``); at a zero
  variance the fixed effects must equal OLS and are replaced by OLS when they do not; the fixed
  effects are always cross-checked against OLS of the same fixed part. Every warning raised
  while fitting is caught and returned in ``warnings`` (nothing is printed).
* ``lmm_phase``, ``lmm_interaction_test``, ``ancova_workshop``, ``item_gee`` and
  ``pooled_summary`` / ``pooled_analysis``.

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
from scipy import linalg, optimize, sparse, stats

from .contract import workshop_summary

__all__ = [
    "PHASE_TERM",
    "SM_MAX_GROUPS",
    "MixedFit",
    "PooledResult",
    "fit_random_intercept",
    "lmm_phase",
    "lmm_interaction_test",
    "ancova_workshop",
    "item_gee",
    "pooled_analysis",
    "pooled_summary",
]

#: Name of the post-vs-pre coefficient in the pooled models.
PHASE_TERM = "C(phase, Treatment('pre'))[T.post]"
LMM_FORMULA = "score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)"
LMM_FORMULA_INTERACTION = "score_pct ~ C(phase, Treatment('pre')) * C(workshop_id)"
#: ``engine="auto"`` uses statsmodels MixedLM up to this many groups, the profile engine above.
SM_MAX_GROUPS = 1000
METHODS = ("lbfgs", "bfgs", "powell", "nm")
NAN = float("nan")
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


@dataclass
class PooledResult:
    """Everything of the pooled report: the summary dict, the fits, and all warnings."""

    summary: dict[str, Any]
    lmm: MixedFit | None
    interaction: dict[str, Any]
    ancova: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# design and the exact profile engine


def _design(
    formula: str, data: pd.DataFrame, groups: str
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, list[str]]:
    """Response, full-rank fixed-effects matrix, names, group codes; and notes on dropped terms."""
    import statsmodels.formula.api as smf

    d = data.loc[data[groups].notna()]
    model = smf.ols(formula, d, missing="drop")
    y = np.asarray(model.endog, dtype=float)
    x = np.asarray(model.exog, dtype=float)
    names = list(model.exog_names)
    g = pd.factorize(d.loc[model.data.row_labels, groups].astype(str))[0]
    notes: list[str] = []
    if x.shape[1]:
        _, r, piv = linalg.qr(x, mode="economic", pivoting=True)
        diag = np.abs(np.diag(r))
        rank = int((diag > diag.max() * 1e-10).sum()) if diag.size else 0
        if rank < x.shape[1]:
            keep = np.sort(piv[:rank])
            dropped = [names[i] for i in range(len(names)) if i not in set(keep)]
            notes.append(f"fixed effects not estimable (aliased), dropped: {', '.join(dropped)}")
            x = x[:, keep]
            names = [names[i] for i in keep]
    return y, x, names, g, notes


class _Profile:
    """Closed-form profile likelihood of ``y = X b + u_g + e``, ``var(u)/var(e) = gamma``."""

    def __init__(self, y: np.ndarray, x: np.ndarray, g: np.ndarray) -> None:
        n_groups = int(g.max()) + 1 if g.size else 0
        z = sparse.csr_matrix((np.ones(g.size), (g, np.arange(g.size))), shape=(n_groups, g.size))
        self.n, self.p = x.shape
        m = np.bincount(g, minlength=n_groups).astype(float)
        sx = np.asarray(z @ x)
        sy = np.asarray(z @ y).ravel()
        self.xtx = x.T @ x
        self.xty = x.T @ y
        self.yty = float(y @ y)
        # The weights gamma / (1 + gamma m_g) depend on a group only through its size m_g, and
        # sizes take few values (1 or 2 questionnaires here): sum the group cross-products per
        # size once, so that each likelihood evaluation costs O(p^2) instead of O(groups p^2).
        self.sizes, size_of = np.unique(m, return_inverse=True)
        self.count = np.bincount(size_of, minlength=self.sizes.size).astype(float)
        self.sxx = np.stack([sx[size_of == k].T @ sx[size_of == k] for k in range(self.sizes.size)])
        self.sxy = np.stack([sx[size_of == k].T @ sy[size_of == k] for k in range(self.sizes.size)])
        self.syy = np.array(
            [float(sy[size_of == k] @ sy[size_of == k]) for k in range(self.sizes.size)]
        )

    def solve(self, gamma: float) -> tuple[np.ndarray, np.ndarray, float, float]:
        """Beta, A = X'H^-1 X, Q = r'H^-1 r, log|H| at ``gamma``."""
        w = gamma / (1.0 + gamma * self.sizes)
        a = self.xtx - np.tensordot(w, self.sxx, axes=1)
        b = self.xty - w @ self.sxy
        beta = np.linalg.solve(a, b)
        q = self.yty - float(w @ self.syy) - float(b @ beta)
        return beta, a, max(q, 0.0), float(self.count @ np.log1p(gamma * self.sizes))

    def neg2ll(self, gamma: float, reml: bool) -> float:
        """-2 log-likelihood (ML) or -2 restricted log-likelihood (REML), scale profiled out."""
        _, a, q, logdet = self.solve(gamma)
        nu = self.n - self.p if reml else self.n
        s2 = q / nu
        if s2 <= 0:
            return math.inf
        out = nu * math.log(2 * math.pi * s2) + logdet + nu
        if reml:
            out += float(np.linalg.slogdet(a)[1])
        return out

    def fit(self, reml: bool) -> dict[str, Any]:
        """Maximize over ``gamma >= 0`` (bounded search on log gamma; gamma = 0 checked)."""
        res = optimize.minimize_scalar(
            lambda t: self.neg2ll(math.exp(t), reml),
            bounds=(-25.0, 12.0),
            method="bounded",
            options={"xatol": 1e-9},
        )
        gamma = math.exp(res.x)
        if self.neg2ll(0.0, reml) <= self.neg2ll(gamma, reml):
            gamma = 0.0
        beta, a, q, _ = self.solve(gamma)
        scale = q / (self.n - self.p if reml else self.n)
        cov = scale * np.linalg.inv(a)
        return {
            "beta": beta,
            "bse": np.sqrt(np.diag(cov)),
            "scale": scale,
            "re_var": gamma * scale,
            "llf": -0.5 * self.neg2ll(gamma, reml),
            "converged": bool(res.success),
        }


def _msg(w: warnings.WarningMessage) -> str:
    return f"{w.category.__name__}: {w.message}"


# --------------------------------------------------------------------------------------------
# public model functions


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
    or ``"auto"`` (statsmodels up to ``SM_MAX_GROUPS`` groups). Intervals ``b +/- z(.975) SE``.
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
    from statsmodels.regression.mixed_linear_model import MixedLM

    if engine not in ("auto", "statsmodels", "profile"):
        raise ValueError(f"engine must be 'auto', 'statsmodels' or 'profile', not {engine!r}")
    msgs: list[str] = []
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        y, x, names, g, notes = _design(formula, data, groups)
        msgs.extend(notes)
        n_groups = int(g.max()) + 1 if g.size else 0
        ols = sparse_free_ols(y, x)
        ols_params = pd.Series(ols["beta"], index=names)
        prof = _Profile(y, x, g).fit(reml)
    msgs.extend(_msg(w) for w in caught)
    if engine == "auto":
        engine = "statsmodels" if n_groups <= SM_MAX_GROUPS else "profile"

    beta, bse = prof["beta"], prof["bse"]
    re_var, scale, llf, converged = prof["re_var"], prof["scale"], prof["llf"], prof["converged"]
    method, result = "profile", None
    if engine == "statsmodels":
        frame = pd.DataFrame(x, columns=names)
        accepted = False
        for m in methods:
            with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
                warnings.simplefilter("always")
                try:
                    model = MixedLM(y, frame, groups=g)
                    r = model.fit(reml=reml, method=[m])
                except Exception as exc:  # noqa: BLE001
                    msgs.append(f"MixedLM {m}: failed ({type(exc).__name__}: {exc})")
                    r = None
            msgs.extend(f"MixedLM {m}: {_msg(w)}" for w in caught)
            if r is None:
                continue
            fe = np.asarray(r.fe_params, dtype=float)
            se = np.asarray(r.bse_fe, dtype=float)
            tau2 = float(np.asarray(r.cov_re)[0, 0])
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
                    problems.append(
                        f"fixed effects differ from the exact profile solution by {gap:.3g} SE"
                    )
            if problems:
                msgs.append(f"MixedLM {m}: rejected: {'; '.join(problems)}; trying the next")
                continue
            beta, bse = fe, se
            re_var, scale, llf = tau2, float(r.scale), float(r.llf)
            converged, method, result, accepted = True, m, r, True
            break
        if not accepted:
            msgs.append(
                "MixedLM: no optimizer passed the checks; using the exact profile-likelihood "
                "solution"
            )
            engine = "profile"

    boundary = re_var <= 1e-6 * max(scale, 1e-12)
    ols_se = np.maximum(ols["bse"], 1e-12)
    if boundary:
        msgs.append(
            "random-intercept variance estimated at zero (boundary): the model reduces to OLS"
        )
        gap = float(np.max(np.abs(beta - ols["beta"]) / ols_se)) if len(names) else 0.0
        if gap > 1e-3:
            msgs.append(
                f"fixed effects differ from OLS by {gap:.3g} SE at a zero variance; "
                "replaced by the OLS estimates"
            )
            beta = ols["beta"]
            bse = ols["bse"] if reml else ols["bse"] * math.sqrt((len(y) - len(names)) / len(y))
    gap = float(np.max(np.abs(beta - ols["beta"]) / ols_se)) if len(names) else 0.0
    if gap > ols_tol_se:
        msgs.append(
            f"fixed effects differ from OLS of the same fixed part by up to {gap:.3g} OLS SE "
            "(possible with unbalanced data, e.g. many unlinked questionnaires)"
        )
    params = pd.Series(beta, index=names, dtype=float)
    bse_s = pd.Series(bse, index=names, dtype=float)
    ci = pd.DataFrame({"lower": params - Z975 * bse_s, "upper": params + Z975 * bse_s})
    return MixedFit(
        params=params,
        bse=bse_s,
        conf_int=ci,
        re_var=float(re_var),
        scale=float(scale),
        llf=float(llf),
        reml=reml,
        converged=bool(converged),
        engine=engine,
        method=method,
        n_obs=len(y),
        n_groups=n_groups,
        ols_params=ols_params,
        ols_max_diff_se=gap,
        warnings=list(dict.fromkeys(msgs)),
        result=result,
    )


def sparse_free_ols(y: np.ndarray, x: np.ndarray) -> dict[str, np.ndarray]:
    """OLS estimates and SEs by least squares: ``b = (X'X)^-1 X'y``, ``s^2 = RSS/(n-p)``.

    Example:
        >>> sparse_free_ols(np.array([1.0, 2.0, 4.0]), np.ones((3, 1)))["beta"].round(3).tolist()
        [2.333]
    """
    n, p = x.shape
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    rss = float(((y - x @ beta) ** 2).sum())
    s2 = rss / (n - p) if n > p else NAN
    bse = np.sqrt(np.diag(s2 * np.linalg.pinv(x.T @ x))) if p else np.array([])
    return {"beta": beta, "bse": bse, "scale": s2}


def lmm_phase(scores: pd.DataFrame, *, engine: str = "auto") -> MixedFit:
    """Pooled learning effect: ``score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)``.

    Random intercept per ``participant_id`` (unique across workshops), REML, every scored
    questionnaire; the post coefficient is ``fit.coef(PHASE_TERM)``. With a single workshop the
    workshop term is left out.

    Example:
        >>> lmm_phase(scores).coef(PHASE_TERM)["estimate"]  # doctest: +SKIP
    """
    formula = LMM_FORMULA if scores["workshop_id"].nunique() > 1 else LMM_FORMULA.split(" +")[0]
    return fit_random_intercept(formula, scores, "participant_id", reml=True, engine=engine)


def lmm_interaction_test(scores: pd.DataFrame, *, engine: str = "auto") -> dict[str, Any]:
    """Likelihood-ratio test of ``phase x workshop`` (both models by ML), df = workshops - 1.

    ``LR = 2 (llf_1 - llf_0)``, ``p = chi2.sf(LR, df)``; df is the difference in estimable
    fixed effects (``n_workshops - 1`` unless a workshop lacks a phase; a warning then).
    Returns ``lr, df, p, llf_null, llf_full, warnings``.

    Example:
        >>> lmm_interaction_test(scores)["p"]  # doctest: +SKIP
    """
    n_w = int(scores["workshop_id"].nunique())
    out: dict[str, Any] = {"lr": NAN, "df": 0, "p": NAN, "llf_null": NAN, "llf_full": NAN}
    if n_w < 2:
        out["warnings"] = ["fewer than two workshops: no interaction test"]
        return out
    f0 = fit_random_intercept(LMM_FORMULA, scores, "participant_id", reml=False, engine=engine)
    f1 = fit_random_intercept(
        LMM_FORMULA_INTERACTION, scores, "participant_id", reml=False, engine=engine
    )
    df = len(f1.params) - len(f0.params)
    msgs = [f"null model: {w}" for w in f0.warnings] + [f"full model: {w}" for w in f1.warnings]
    if df != n_w - 1:
        msgs.append(f"interaction test df = {df}, not n_workshops - 1 = {n_w - 1}")
    lr = max(0.0, 2.0 * (f1.llf - f0.llf))
    out.update(
        lr=lr,
        df=int(df),
        p=float(stats.chi2.sf(lr, df)) if df > 0 else NAN,
        llf_null=f0.llf,
        llf_full=f1.llf,
    )
    out["warnings"] = msgs
    return out


def ancova_workshop(paired: pd.DataFrame) -> dict[str, Any]:
    """ANCOVA ``post_pct ~ pre_pct + C(workshop_id)`` (OLS), type II F-test of the workshop term.

    Uses ``statsmodels.stats.anova.anova_lm(typ=2)``. Returns ``F, df_num, df_den, p,
    warnings``; NaN with fewer than two workshops.

    Example:
        >>> ancova_workshop(paired)["p"]  # doctest: +SKIP
    """
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm

    out: dict[str, Any] = {"F": NAN, "df_num": NAN, "df_den": NAN, "p": NAN, "warnings": []}
    d = paired.loc[paired["pre_pct"].notna() & paired["post_pct"].notna()]
    if d["workshop_id"].nunique() < 2:
        out["warnings"].append("fewer than two workshops: no ANCOVA")
        return out
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        fit = smf.ols("post_pct ~ pre_pct + C(workshop_id)", d).fit()
        tab = anova_lm(fit, typ=2)
    row = tab.loc["C(workshop_id)"]
    out.update(
        F=float(row["F"]),
        df_num=float(row["df"]),
        df_den=float(tab.loc["Residual", "df"]),
        p=float(row["PR(>F)"]),
    )
    out["warnings"] = [_msg(w) for w in caught]
    return out


def item_gee(answers: pd.DataFrame, codebook: pd.DataFrame) -> dict[str, Any]:
    """Item-level logistic GEE ``correct ~ phase + C(topic)``: participant clusters, exchangeable.

    Knowledge items of every scored questionnaire of ``answers`` (all workshops for the pooled
    check, or one workshop's rows); returns the post-vs-pre log-odds ``coef``,
    ``se``, ``odds_ratio`` with Wald 95 % interval ``or_ci_low, or_ci_high``, ``p``, ``n_obs``,
    ``n_clusters``, ``warnings``. A sensitivity check (METHODS, pooled report).

    Reference: Liang, K.-Y., & Zeger, S. L. (1986). Biometrika 73, 13-22.

    Example:
        >>> item_gee(answers, codebook)["odds_ratio"]  # doctest: +SKIP
    """
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    kn = codebook.loc[codebook["section"] == "knowledge", ["item_id", "topic"]]
    cols = ["participant_id", "phase", "item_id", "correct"]
    d = answers.loc[answers["item_id"].isin(kn["item_id"]), cols]
    d = d.merge(kn, on="item_id").assign(
        correct=lambda f: f["correct"].astype("boolean").fillna(False).astype(float),
        participant_id=lambda f: f["participant_id"].astype(str),
    )
    d = d.sort_values("participant_id", kind="stable").reset_index(drop=True)
    out: dict[str, Any] = {"n_obs": len(d), "n_clusters": int(d["participant_id"].nunique())}
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        try:
            fit = smf.gee(
                "correct ~ C(phase, Treatment('pre')) + C(topic)",
                "participant_id",
                d,
                family=sm.families.Binomial(),
                cov_struct=sm.cov_struct.Exchangeable(),
            ).fit()
            coef, se = float(fit.params[PHASE_TERM]), float(fit.bse[PHASE_TERM])
            p = float(fit.pvalues[PHASE_TERM])
        except Exception as exc:  # noqa: BLE001
            coef = se = p = NAN
            out["error"] = f"{type(exc).__name__}: {exc}"
    out.update(
        coef=coef,
        se=se,
        odds_ratio=math.exp(coef) if np.isfinite(coef) else NAN,
        or_ci_low=math.exp(coef - Z975 * se) if np.isfinite(se) else NAN,
        or_ci_high=math.exp(coef + Z975 * se) if np.isfinite(se) else NAN,
        p=p,
        warnings=[_msg(w) for w in caught],
    )
    return out


def pooled_analysis(
    scores: pd.DataFrame,
    paired: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    synthetic: bool,
    *,
    engine: str = "auto",
) -> PooledResult:
    """Every pooled number with its fits and warnings: ``PooledResult.summary`` has ``POOLED_KEYS``.

    ``workshops``: ``workshop_summary`` of each workshop (order of first appearance in
    ``scores``); ``n_paired``: rows of ``paired``; ``lmm_*``: ``lmm_phase``;
    ``lmm_interaction_p``: ``lmm_interaction_test``; ``ancova_workshop_p``: ``ancova_workshop``.

    Example:
        >>> res = pooled_analysis(scores, paired, answers, codebook, True)  # doctest: +SKIP
        >>> res.summary["lmm_phase_effect"], res.warnings  # doctest: +SKIP
    """
    ids = list(dict.fromkeys(scores["workshop_id"].astype(str)))
    by = {
        name: dict(iter(frame.groupby(frame["workshop_id"].astype(str), sort=False)))
        for name, frame in (("scores", scores), ("paired", paired), ("answers", answers))
    }
    empty = {"scores": scores.iloc[:0], "paired": paired.iloc[:0], "answers": answers.iloc[:0]}
    ws = [
        workshop_summary(
            *(by[k].get(w, empty[k]) for k in ("scores", "paired", "answers")),
            codebook,
            workshop_id=w,
            synthetic=synthetic,
        )
        for w in ids
    ]
    msgs: list[str] = []
    lmm: MixedFit | None = None
    eff = {"estimate": NAN, "ci_low": NAN, "ci_high": NAN}
    if len(scores) and (scores["phase"] == "post").any() and (scores["phase"] == "pre").any():
        lmm = lmm_phase(scores, engine=engine)
        msgs += [f"mixed model: {w}" for w in lmm.warnings]
        eff = lmm.coef(PHASE_TERM)
    inter = lmm_interaction_test(scores, engine=engine)
    msgs += [f"interaction test: {w}" for w in inter["warnings"]]
    anc = ancova_workshop(paired)
    msgs += [f"ANCOVA: {w}" for w in anc["warnings"]]
    summary = {
        "workshops": ws,
        "n_paired": len(paired),
        "lmm_phase_effect": eff["estimate"],
        "lmm_phase_ci_low": eff["ci_low"],
        "lmm_phase_ci_high": eff["ci_high"],
        "lmm_interaction_p": inter["p"],
        "ancova_workshop_p": anc["p"],
        "synthetic": bool(synthetic),
    }
    return PooledResult(summary=summary, lmm=lmm, interaction=inter, ancova=anc, warnings=msgs)


def pooled_summary(
    scores: pd.DataFrame,
    paired: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    synthetic: bool,
    *,
    engine: str = "auto",
) -> dict[str, Any]:
    """The ``pooled/summary.json`` dict (``POOLED_KEYS`` in order); see ``pooled_analysis``.

    Example:
        >>> list(pooled_summary(scores, paired, answers, codebook, True))  # doctest: +SKIP
    """
    return pooled_analysis(scores, paired, answers, codebook, synthetic, engine=engine).summary
