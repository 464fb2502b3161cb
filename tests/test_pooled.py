"""Tests of analysis.stats.pooled: lme4 reference fit, the mixed-model guard, pooled summary."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats as st
from test_stats import SLEEP_1, SLEEP_2, make_frames, rows_of

from analysis.stats import POOLED_KEYS, workshop_summary
from analysis.stats.mixed import MixedFit, fit_random_intercept
from analysis.stats.pooled import (
    ancova_workshop,
    item_gee,
    lmm_interaction_test,
    lmm_phase,
    pooled_analysis,
    pooled_summary,
)

SLEEP = pd.DataFrame(
    {
        "extra": SLEEP_1 + SLEEP_2,
        "group": ["1"] * 10 + ["2"] * 10,
        "ID": [str(i) for i in range(1, 11)] * 2,
    }
)


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return make_frames(n_per_workshop=25, n_workshops=4, seed=11)


@pytest.mark.parametrize("engine", ["statsmodels", "profile"])
def test_sleep_mixed_model_matches_lme4(engine):
    # R: summary(lmer(extra ~ group + (1|ID), sleep)) (REML):
    # group2 1.5800, SE 0.3890; random effects ID variance 2.8483, residual variance 0.7564.
    fit = fit_random_intercept("extra ~ group", SLEEP, "ID", engine=engine)
    assert isinstance(fit, MixedFit)
    assert fit.params["group[T.2]"] == pytest.approx(1.58, abs=1e-6)
    assert fit.bse["group[T.2]"] == pytest.approx(0.389, abs=5e-4)
    assert fit.re_var == pytest.approx(2.848, abs=2e-3)
    assert fit.scale == pytest.approx(0.756, abs=1e-3)
    assert fit.params["Intercept"] == pytest.approx(0.75, abs=1e-6)
    c = fit.coef("group[T.2]")
    # Wald interval from lme4's estimate and SE: 1.58 -/+ qnorm(0.975) * 0.389
    assert c["ci_low"] == pytest.approx(1.58 - 1.959964 * 0.389, abs=1e-3)
    assert c["ci_high"] == pytest.approx(1.58 + 1.959964 * 0.389, abs=1e-3)
    assert fit.warnings == []


def test_engines_agree_on_unbalanced_data(frames):
    a = lmm_phase(frames["scores"], engine="statsmodels")
    b = lmm_phase(frames["scores"], engine="profile")
    assert a.engine == "statsmodels" and b.engine == "profile"
    pd.testing.assert_series_equal(a.params, b.params, atol=1e-4, rtol=1e-5)
    # SEs: statsmodels inverts the observed information of (fixed, variance) jointly; the
    # profile engine uses the GLS covariance sigma^2 (X'V^-1 X)^-1 (as lme4): close, not equal.
    pd.testing.assert_series_equal(a.bse, b.bse, rtol=1e-2)
    assert a.llf == pytest.approx(b.llf, abs=1e-5)
    a_ml = fit_random_intercept(
        "score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)",
        frames["scores"],
        "participant_id",
        reml=False,
        engine="statsmodels",
    )
    b_ml = fit_random_intercept(
        "score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)",
        frames["scores"],
        "participant_id",
        reml=False,
        engine="profile",
    )
    assert a_ml.llf == pytest.approx(b_ml.llf, abs=1e-5)


def _zero_between_variance(n: int = 60, seed: int = 4) -> pd.DataFrame:
    # pre = 50 - d/2, post = 50 + d/2: every participant has the same mean, so the
    # between-participant variance is exactly zero (REML boundary).
    rng = np.random.default_rng(seed)
    d = rng.normal(10, 5, n)
    wid = np.repeat(["W1", "W2", "W3"], n // 3)
    return pd.DataFrame(
        {
            "participant_id": np.r_[np.arange(n), np.arange(n)].astype(str),
            "workshop_id": np.r_[wid, wid],
            "phase": ["pre"] * n + ["post"] * n,
            "score_pct": np.r_[50 - d / 2, 50 + d / 2],
        }
    )


@pytest.mark.parametrize("engine", ["statsmodels", "profile"])
def test_guard_zero_variance_equals_ols_and_warns(engine):
    data = _zero_between_variance()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak
        fit = lmm_phase(data, engine=engine)
    ols = smf.ols("score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)", data).fit()
    np.testing.assert_allclose(fit.params.to_numpy(), ols.params.to_numpy(), atol=1e-6)
    assert fit.re_var == pytest.approx(0, abs=1e-4)
    assert any("boundary" in w for w in fit.warnings)


def test_guard_rejects_all_zero_fixed_effects(monkeypatch):
    # Simulate statsmodels issue 10239: lbfgs "converges" to zero fixed effects.
    from statsmodels.regression.mixed_linear_model import MixedLM

    real_fit = MixedLM.fit

    def fake_fit(self, *args, **kwargs):
        res = real_fit(self, *args, **kwargs)
        if kwargs.get("method") == ["lbfgs"]:
            res.fe_params = res.fe_params * 0.0
        return res

    monkeypatch.setattr(MixedLM, "fit", fake_fit)
    fit = fit_random_intercept("extra ~ group", SLEEP, "ID", engine="statsmodels")
    assert fit.method != "lbfgs"
    assert fit.params["group[T.2]"] == pytest.approx(1.58, abs=1e-4)
    assert any("10239" in w for w in fit.warnings)


@pytest.mark.parametrize("engine", ["statsmodels", "profile"])
def test_interaction_lr_test_matches_ml_fits_done_here(frames, engine):
    # the two ML fits made here with statsmodels' MixedLM, and the chi-square tail from scipy
    d = frames["scores"]
    fits = [
        smf.mixedlm(f, d, groups=d["participant_id"]).fit(reml=False)
        for f in (
            "score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)",
            "score_pct ~ C(phase, Treatment('pre')) * C(workshop_id)",
        )
    ]
    lr = 2 * (fits[1].llf - fits[0].llf)
    res = lmm_interaction_test(d, engine=engine)
    assert res["df"] == 3
    assert res["llf_null"] == pytest.approx(fits[0].llf, rel=1e-6)
    assert res["llf_full"] == pytest.approx(fits[1].llf, rel=1e-6)
    assert res["lr"] == pytest.approx(lr, rel=1e-3, abs=1e-4)
    assert res["p"] == pytest.approx(st.chi2.sf(lr, 3), rel=1e-3)


def test_ancova_f_from_nested_least_squares(frames):
    # type II F of the workshop term (no interaction in the model) = the nested-model F-test,
    # computed here from two least-squares fits with numpy
    d = frames["paired"]
    y = d["post_pct"].to_numpy(float)
    dummies = pd.get_dummies(d["workshop_id"], drop_first=True, dtype=float).to_numpy()
    reduced = np.column_stack([np.ones(len(d)), d["pre_pct"].to_numpy(float)])
    full = np.column_stack([reduced, dummies])

    def rss(x):
        beta = np.linalg.lstsq(x, y, rcond=None)[0]
        return float(((y - x @ beta) ** 2).sum())

    df_num, df_den = dummies.shape[1], len(d) - full.shape[1]
    f = ((rss(reduced) - rss(full)) / df_num) / (rss(full) / df_den)
    res = ancova_workshop(d)
    assert (res["df_num"], res["df_den"]) == (df_num, df_den) == (3, len(d) - 5)
    assert res["F"] == pytest.approx(f, rel=1e-9)
    assert res["p"] == pytest.approx(st.f.sf(f, df_num, df_den), rel=1e-9)


def test_item_gee(frames):
    res = item_gee(frames["answers"], frames["codebook"])
    # the simulated post test is easier: odds ratio above 1
    assert res["odds_ratio"] > 1 and res["or_ci_low"] < res["odds_ratio"] < res["or_ci_high"]
    assert res["n_obs"] == (frames["answers"]["item_id"].str.startswith("K")).sum()


def test_pooled_summary_keys_and_values(frames):
    f = frames
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning may leak on normal data
        res = pooled_analysis(f["scores"], f["paired"], f["answers"], f["codebook"], True)
    s = res.summary
    assert tuple(s) == POOLED_KEYS
    json.dumps(s)
    assert s["n_paired"] == len(f["paired"])
    assert [w["workshop_id"] for w in s["workshops"]] == ["W1", "W2", "W3", "W4"]
    assert s["workshops"][1] == workshop_summary(
        *(rows_of(f[k], "W2") for k in ("scores", "paired", "answers")),
        f["codebook"],
        workshop_id="W2",
        synthetic=True,
    )
    assert s["lmm_phase_ci_low"] < s["lmm_phase_effect"] < s["lmm_phase_ci_high"]
    # the summary's model numbers are those of REML and ML fits made here with statsmodels
    d = f["scores"]
    reml = smf.mixedlm(
        "score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)", d, groups=d["participant_id"]
    ).fit(reml=True)
    term = "C(phase, Treatment('pre'))[T.post]"
    assert s["lmm_phase_effect"] == pytest.approx(reml.params[term], rel=1e-5)
    lo, hi = reml.conf_int().loc[term]
    assert s["lmm_phase_ci_low"] == pytest.approx(lo, rel=1e-3)
    assert s["lmm_phase_ci_high"] == pytest.approx(hi, rel=1e-3)
    assert not math.isnan(s["lmm_interaction_p"]) and res.warnings == []
    assert pooled_summary(f["scores"], f["paired"], f["answers"], f["codebook"], True) == s
