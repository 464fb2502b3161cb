"""Pooled report: models over all workshops (METHODS, "Pooled report").

* ``lmm_phase``: the pooled learning effect, a random-intercept mixed model
  (``mixed.fit_random_intercept``) of every scored questionnaire.
* ``lmm_interaction_test``: does the effect differ between workshops (likelihood ratio).
* ``ancova_workshop``: post score by workshop, adjusted for the pre score.
* ``item_gee``: item-level logistic GEE, a sensitivity check (``gee.exchangeable_logit_gee``).
* ``pooled_analysis`` / ``pooled_summary``: every number of ``pooled/summary.json``
  (``contract.POOLED_KEYS``), with the per-workshop summaries.

References: Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data.
Biometrics 38, 963-974; Liang, K.-Y., & Zeger, S. L. (1986). Biometrika 73, 13-22.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .attrition import MI_IMPUTATIONS, MI_SEED, attrition_analysis
from .bayes import bf10_jzs
from .contract import POOLED_KEYS, workshop_summary
from .gee import exchangeable_logit_gee
from .measures import NAN, paired_summary
from .mixed import FAST_OLS_MIN, Z975, MixedFit, fit_random_intercept, warning_text

__all__ = [
    "PHASE_TERM",
    "LMM_FORMULA",
    "LMM_FORMULA_PHASE",
    "LMM_FORMULA_INTERACTION",
    "PooledResult",
    "lmm_phase",
    "lmm_interaction_test",
    "ANCOVA_DIRECT_MIN",
    "ancova_workshop",
    "item_gee",
    "workshop_summaries",
    "pooled_analysis",
    "pooled_summary",
]

#: ``ancova_workshop`` tests more workshops than this by the extra sum of squares.
ANCOVA_DIRECT_MIN = FAST_OLS_MIN
#: Name of the post-vs-pre coefficient in the pooled models.
PHASE_TERM = "C(phase, Treatment('pre'))[T.post]"
#: The pooled model: phase and workshop as fixed effects.
LMM_FORMULA = "score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)"
#: The pooled model of a single workshop: phase only.
LMM_FORMULA_PHASE = "score_pct ~ C(phase, Treatment('pre'))"
#: The model of the interaction test: the phase effect differs by workshop.
LMM_FORMULA_INTERACTION = "score_pct ~ C(phase, Treatment('pre')) * C(workshop_id)"


@dataclass
class PooledResult:
    """Everything of the pooled report: the summary dict, the fits, and all warnings."""

    summary: dict[str, Any]
    lmm: MixedFit | None
    interaction: dict[str, Any]
    ancova: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    attrition: dict[str, Any] = field(default_factory=dict)


def lmm_phase(scores: pd.DataFrame, *, engine: str = "auto") -> MixedFit:
    """Pooled learning effect: ``score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)``.

    Random intercept per ``participant_id`` (unique across workshops), REML, every scored
    questionnaire; the post coefficient is ``fit.coef(PHASE_TERM)``. With a single workshop the
    workshop term is left out.

    Example:
        >>> lmm_phase(scores).coef(PHASE_TERM)["estimate"]  # doctest: +SKIP
    """
    formula = LMM_FORMULA if scores["workshop_id"].nunique() > 1 else LMM_FORMULA_PHASE
    return fit_random_intercept(formula, scores, "participant_id", reml=True, engine=engine)


def lmm_interaction_test(scores: pd.DataFrame, *, engine: str = "auto") -> dict[str, Any]:
    """Likelihood-ratio test of ``phase x workshop`` (both models by ML), df = workshops - 1.

    ``LR = 2 (llf_1 - llf_0)``, ``p = chi2.sf(LR, df)``; df is the difference in estimable
    fixed effects (``n_workshops - 1`` unless a workshop lacks a phase; a warning then).
    Returns ``n_workshops, lr, df, p, llf_null, llf_full, warnings``; with fewer than two
    workshops there is no test (``df`` 0, the rest NaN).

    Example:
        >>> lmm_interaction_test(scores)["p"]  # doctest: +SKIP
    """
    n_w = int(scores["workshop_id"].nunique())
    out: dict[str, Any] = {
        "n_workshops": n_w,
        "lr": NAN,
        "df": 0,
        "p": NAN,
        "llf_null": NAN,
        "llf_full": NAN,
    }
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

    Uses ``statsmodels.stats.anova.anova_lm(typ=2)``; with more than ``ANCOVA_DIRECT_MIN``
    workshops (where statsmodels' SVD of the n x workshops design costs O(n k^2)) the same
    test by the extra sum of squares, ``F = ((RSS_0 - RSS_1)/(k - 1)) / (RSS_1/(n - k - 1))``,
    ``RSS_1`` of the regression on the pre-score within workshops (Frisch-Waugh-Lovell),
    ``RSS_0`` of the regression on the pre-score alone (a design statsmodels should judge,
    such as pre-scores constant within every workshop, goes to statsmodels). Returns ``F,
    df_num, df_den, p, warnings``; NaN with fewer than two workshops.

    Reference: e.g. Greene, W. H. (2012). Econometric Analysis (7th ed.), sec. 3.3 and 5.3.

    Example:
        >>> ancova_workshop(paired)["p"]  # doctest: +SKIP
    """
    out: dict[str, Any] = {"F": NAN, "df_num": NAN, "df_den": NAN, "p": NAN, "warnings": []}
    d = paired.loc[paired["pre_pct"].notna() & paired["post_pct"].notna()]
    n_workshops = d["workshop_id"].nunique()
    if n_workshops < 2:
        out["warnings"].append("fewer than two workshops: no ANCOVA")
        return out
    direct = _ancova_direct(d) if n_workshops > ANCOVA_DIRECT_MIN else None
    if direct is not None:
        return out | direct
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm

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
    out["warnings"] = [warning_text(w) for w in caught]
    return out


def _knowledge_rows(
    answers: pd.DataFrame, codebook: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, list[Any], np.ndarray]:
    """The positions of the rows of ``answers`` that answer a knowledge item, their item codes
    (``pd.factorize`` of the item ids), the topic of each code (None: not a knowledge item),
    and the rows' participant codes (-1: none)."""
    kn = codebook.loc[codebook["section"] == "knowledge", ["item_id", "topic"]]
    topic_of = dict(zip(kn["item_id"], kn["topic"], strict=True))
    item_code, items = pd.factorize(answers["item_id"])
    known = np.array([it in topic_of for it in items] + [False], dtype=bool)
    rows = np.flatnonzero(known[item_code])  # code -1 (no item id) reads the last False
    pid = pd.factorize(answers["participant_id"])[0][rows]
    return rows, item_code[rows], [topic_of.get(it) for it in items], pid


def _item_design(
    answers: pd.DataFrame, rows: np.ndarray, item_code: np.ndarray, topics: list[Any], pid
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``y, X, groups`` of ``correct ~ C(phase, Treatment('pre')) + C(topic)``, clusters
    ``participant_id``, on the knowledge rows (``_knowledge_rows``).

    The matrix patsy builds, from the columns' codes: ``Intercept``, a dummy per phase but
    ``pre``, a dummy per topic but the first; levels sorted, from the rows present; then rows
    without a topic or a participant dropped (statsmodels' ``missing="drop"``). A
    ``ValueError`` when no row is a pre-test (no reference level), none a post-test (no
    post-vs-pre term), or a phase is missing.
    """
    phase_code, phases = pd.factorize(answers["phase"])
    phase_code = phase_code[rows]
    if (phase_code < 0).any():
        raise ValueError(f"phase missing in {int((phase_code < 0).sum())} knowledge rows")
    present = np.bincount(phase_code, minlength=len(phases)) > 0
    phase_levels = sorted(phases[present])
    if "pre" not in phase_levels:
        raise ValueError("no pre-test rows: the reference level 'pre' is not found")
    if "post" not in phase_levels:
        raise ValueError(f"no post-test rows: no term {PHASE_TERM}")
    used = np.flatnonzero(np.bincount(item_code, minlength=len(topics)))
    topic_levels = sorted({topics[i] for i in used if isinstance(topics[i], str)})
    first = len(phase_levels)  # Intercept and the phases' dummies come first
    col_of_topic = {t: j for j, t in enumerate(topic_levels[1:], start=first)}
    # each item's topic column: 0 for the reference topic (the intercept's, already 1), -1 none
    item_col = np.array(
        [col_of_topic.get(t, 0) if isinstance(t, str) else -1 for t in topics], dtype=np.intp
    )[item_code]
    col_of_phase = {lev: j for j, lev in enumerate([p for p in phase_levels if p != "pre"], 1)}
    phase_col = np.array([col_of_phase.get(lev, 0) for lev in phases], dtype=np.intp)[phase_code]
    kept = (item_col >= 0) & (pid >= 0)
    n = int(kept.sum())
    x = np.zeros((n, first + len(topic_levels) - 1))
    x[:, 0] = 1.0
    at = np.arange(n)
    x[at, phase_col[kept]] = 1.0  # column 0 for pre: the intercept
    x[at, item_col[kept]] = 1.0
    correct = answers["correct"].astype("boolean").fillna(False).to_numpy(dtype=float)
    return correct[rows[kept]], x, pid[kept]


def _ancova_direct(d: pd.DataFrame) -> dict[str, Any] | None:
    """``ancova_workshop``'s F-test by the extra sum of squares, or None when the design is
    degenerate (no pre-score variation within workshops or overall, no residual)."""
    y = d["post_pct"].to_numpy(dtype=float)
    x = d["pre_pct"].to_numpy(dtype=float)
    g, levels = pd.factorize(d["workshop_id"].astype(str))
    n, k = y.size, len(levels)
    df_den = n - k - 1
    count = np.bincount(g, minlength=k)
    xc = x - (np.bincount(g, weights=x, minlength=k) / count)[g]
    yc = y - (np.bincount(g, weights=y, minlength=k) / count)[g]
    xr, yr = x - x.mean(), y - y.mean()
    sxx, sxr = float(xc @ xc), float(xr @ xr)
    if df_den <= 0 or not sxx > 1e-12 * max(1.0, sxr) or not sxr > 0:
        return None
    rss_full = float(((yc - float(xc @ yc) / sxx * xc) ** 2).sum())
    rss_reduced = float(((yr - float(xr @ yr) / sxr * xr) ** 2).sum())
    if not rss_full > 0:
        return None
    f_value = ((rss_reduced - rss_full) / (k - 1)) / (rss_full / df_den)
    p = float(stats.f.sf(f_value, k - 1, df_den))
    return {"F": f_value, "df_num": float(k - 1), "df_den": float(df_den), "p": p}


def item_gee(answers: pd.DataFrame, codebook: pd.DataFrame) -> dict[str, Any]:
    """Item-level logistic GEE ``correct ~ phase + C(topic)``: participant clusters, exchangeable.

    Knowledge items of every scored questionnaire of ``answers`` (all workshops for the pooled
    check, or one workshop's rows); returns the post-vs-pre log-odds ``coef``,
    ``se``, ``odds_ratio`` with Wald 95 % interval ``or_ci_low, or_ci_high``, ``p``, ``n_obs``,
    ``n_clusters``, ``warnings`` (and ``error`` when there is no fit). A sensitivity check
    (METHODS, pooled report). Fitted by ``gee.exchangeable_logit_gee``, statsmodels'
    ``smf.gee(..., family=Binomial(), cov_struct=Exchangeable()).fit()`` vectorized; a
    post-vs-pre term the topics determine (no topic answered in both phases) is not
    identified: NaN and a warning.

    Reference: Liang, K.-Y., & Zeger, S. L. (1986). Biometrika 73, 13-22.

    Example:
        >>> item_gee(answers, codebook)["odds_ratio"]  # doctest: +SKIP
    """
    from statsmodels.tools.sm_exceptions import SingularMatrixWarning

    rows, item_code, topics, pid = _knowledge_rows(answers, codebook)
    n_clusters = int(np.count_nonzero(np.bincount(pid[pid >= 0])))
    out: dict[str, Any] = {"n_obs": len(rows), "n_clusters": n_clusters}
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        try:
            fit = exchangeable_logit_gee(*_item_design(answers, rows, item_code, topics, pid))
            coef, se, p = (float(v[1]) for v in (fit.params, fit.bse, fit.pvalues))
            if not fit.identified[1]:
                warnings.warn(
                    "the post-vs-pre term is not identified: the topics determine the phase "
                    "(no topic answered in both phases); no estimate",
                    SingularMatrixWarning,
                    stacklevel=2,
                )
                coef = se = p = NAN
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
        warnings=[warning_text(w) for w in caught],
    )
    return out


def workshop_summaries(
    scores: pd.DataFrame,
    paired: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    synthetic: bool,
) -> list[dict[str, Any]]:
    """``workshop_summary`` of each workshop, in order of first appearance in ``scores``.

    Computed for all workshops at once (``workshop_summary(..., by="workshop_id")``: the same
    numbers as ``workshop_summary`` on each workshop's rows); a workshop without rows in
    ``paired`` or ``answers`` gets the summary of its empty rows.

    Example:
        >>> ws = workshop_summaries(scores, paired, answers, codebook, True)  # doctest: +SKIP
        >>> [s["workshop_id"] for s in ws]  # doctest: +SKIP
        ['W1', 'W2', 'W3', 'W4']
    """
    every = workshop_summary(
        scores, paired, answers, codebook, synthetic=synthetic, by="workshop_id"
    )
    return list(every.values())


def pooled_analysis(
    scores: pd.DataFrame,
    paired: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    synthetic: bool,
    *,
    engine: str = "auto",
    mi_imputations: int = MI_IMPUTATIONS,
    mi_seed: int = MI_SEED,
    workshops: list[dict[str, Any]] | None = None,
) -> PooledResult:
    """Every pooled number with its fits and warnings: ``PooledResult.summary`` has ``POOLED_KEYS``.

    ``workshops``: ``workshop_summaries`` (``workshop_summary`` of each workshop, in order of
    first appearance in ``scores``); ``n_paired``: rows of ``paired``; ``lmm_*``: ``lmm_phase``;
    ``lmm_interaction_p``: ``lmm_interaction_test``; ``ancova_workshop_p``: ``ancova_workshop``;
    ``bf10``: ``bf10_jzs`` of the paired t over all linked participants; ``rci_*``: the sums of
    the workshops' counts (each person against their own workshop's pre-test reliability);
    ``gain_mi*``: ``attrition_analysis`` over all rows (the workshop in the imputation model),
    kept whole in ``PooledResult.attrition``. ``workshops`` given (the ``workshop_summaries`` of
    the same frames, e.g. computed for the workshops' own reports) is used as it is instead of
    being computed again.

    Example:
        >>> res = pooled_analysis(scores, paired, answers, codebook, True)  # doctest: +SKIP
        >>> res.summary["lmm_phase_effect"], res.warnings  # doctest: +SKIP
    """
    ws = (
        workshop_summaries(scores, paired, answers, codebook, synthetic)
        if workshops is None
        else list(workshops)
    )
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
    att = attrition_analysis(scores, paired, m=mi_imputations, seed=mi_seed)
    ps = paired_summary(paired["pre_pct"], paired["post_pct"])
    n_pairs = int(ps["n_paired"])
    rci = {
        key: sum(w[key] for w in ws) if all(np.isfinite(w[key]) for w in ws) else NAN
        for key in ("rci_improved", "rci_unchanged", "rci_declined")
    }
    values = {
        "workshops": ws,
        "n_paired": len(paired),
        "lmm_phase_effect": eff["estimate"],
        "lmm_phase_ci_low": eff["ci_low"],
        "lmm_phase_ci_high": eff["ci_high"],
        "lmm_interaction_p": inter["p"],
        "ancova_workshop_p": anc["p"],
        "bf10": bf10_jzs(ps["t_stat"], n_pairs) if n_pairs >= 2 else NAN,
        **rci,
        "gain_mi": att["mi"]["estimate"],
        "gain_mi_ci_low": att["mi"]["ci_low"],
        "gain_mi_ci_high": att["mi"]["ci_high"],
        "synthetic": bool(synthetic),
    }
    summary = {key: values[key] for key in POOLED_KEYS}
    return PooledResult(
        summary=summary, lmm=lmm, interaction=inter, ancova=anc, warnings=msgs, attrition=att
    )


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
