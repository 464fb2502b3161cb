"""Tests of analysis.stats.gee and pooled.item_gee: statsmodels' GEE, and a hand-worked value.

The reference is statsmodels (a project dependency; R is not needed): the fit item_gee made
before (``smf.gee(...).fit()`` on the merged, sorted frame), with the same defaults.
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from statsmodels.tools.sm_exceptions import (
    IterationLimitWarning,
    PerfectSeparationWarning,
    SingularMatrixWarning,
)
from test_stats import make_frames

from analysis import results
from analysis.stats import pooled
from analysis.stats.gee import exchangeable_logit_gee
from analysis.stats.pooled import PHASE_TERM, item_gee

from conftest import ROOT

FORMULA = "correct ~ C(phase, Treatment('pre')) + C(topic)"


def statsmodels_fit(answers: pd.DataFrame, codebook: pd.DataFrame, **fit_kw):
    """The model and fit item_gee made with statsmodels before (its frame, formula, defaults).

    A new model each time: a fitted model keeps its correlation, the next fit starts there.
    """
    kn = codebook.loc[codebook["section"] == "knowledge", ["item_id", "topic"]]
    d = answers.loc[
        answers["item_id"].isin(kn["item_id"]), ["participant_id", "phase", "item_id", "correct"]
    ]
    d = d.merge(kn, on="item_id").assign(
        correct=lambda f: f["correct"].astype("boolean").fillna(False).astype(float),
        participant_id=lambda f: f["participant_id"].astype(str),
    )
    d = d.sort_values("participant_id", kind="stable").reset_index(drop=True)
    model = smf.gee(
        FORMULA,
        "participant_id",
        d,
        family=sm.families.Binomial(),
        cov_struct=sm.cov_struct.Exchangeable(),
    )
    return model, model.fit(**fit_kw)


def simulated(
    seed: int, n: int, sd_person: float, *, max_items: int = 24, p_single: float = 0.15
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers and codebook: ``n`` participants answering a random number of items (some only
    one: clusters of size 1), pre and post; five topics and a rare one (one item, answered
    with probability 0.03); ability ``N(0, sd_person^2)`` (0: correlation near 0)."""
    rng = np.random.default_rng(seed)
    topics = ["trust", "victims", "communication", "communities", "problem_solving"]
    items = [f"K{i:02d}" for i in range(1, 21)] + ["K21"]
    codebook = pd.DataFrame(
        {
            "item_id": items + ["R01"],
            "section": ["knowledge"] * 21 + ["reaction"],
            "topic": [topics[i % 5] for i in range(20)] + ["rare", pd.NA],
        }
    )
    easy = rng.normal(0.2, 0.7, 21)
    rows = []
    for i in range(n):
        ability = rng.normal(0, sd_person)
        k = 1 if rng.random() < p_single else int(rng.integers(2, max_items + 1))
        for _ in range(k):
            j = 20 if rng.random() < 0.03 else int(rng.integers(0, 20))
            phase = "post" if rng.random() < 0.5 else "pre"
            eta = easy[j] + ability + (0.7 if phase == "post" else 0.0)
            correct = bool(rng.random() < 1 / (1 + math.exp(-eta)))
            rows.append((f"P{i:04d}", phase, items[j], correct))
    answers = pd.DataFrame(rows, columns=["participant_id", "phase", "item_id", "correct"])
    reaction = answers.drop_duplicates("participant_id").assign(item_id="R01", correct=pd.NA)
    answers = pd.concat([answers, reaction], ignore_index=True)
    answers = answers.astype(
        {"participant_id": "string", "phase": "string", "item_id": "string", "correct": "boolean"}
    )
    return answers, codebook


def _shipped():
    d = results.load(ROOT / "data" / "processed")
    return d.answers, d.codebook


def _fixture():
    f = make_frames(n_per_workshop=25, n_workshops=4, seed=11)
    return f["answers"], f["codebook"]


DESIGNS = {
    "shipped data/processed": _shipped,
    "frames fixture": _fixture,
    "unequal clusters, correlation near 0": lambda: simulated(5, 400, 0.0),
    "unequal clusters, high correlation": lambda: simulated(6, 300, 2.5),
}


@pytest.fixture(scope="module", params=list(DESIGNS))
def design(request):
    answers, codebook = DESIGNS[request.param]()
    model, fit = statsmodels_fit(answers, codebook)
    return request.param, answers, codebook, model, fit


def test_the_simulated_designs_are_what_they_claim(design):
    name, _, _, model, fit = design
    sizes = np.bincount(pd.factorize(model.groups)[0])
    dep = fit.cov_struct.dep_params
    if name.startswith("unequal"):
        assert sizes.min() == 1 and sizes.max() >= 20 and (sizes == 1).sum() >= 20
        rare = model.exog[:, model.exog_names.index("C(topic)[T.rare]")].sum()
        assert 0 < rare < 0.05 * len(model.endog)
    if name.endswith("near 0"):
        assert abs(dep) < 0.02
    if name.endswith("high correlation"):
        assert dep > 0.3


def test_estimator_equals_statsmodels_gee(design):
    _, _, _, model, fit = design
    ours = exchangeable_logit_gee(model.endog, model.exog, model.groups)
    np.testing.assert_allclose(ours.params, fit.params.to_numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.bse, fit.bse.to_numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.pvalues, fit.pvalues.to_numpy(), rtol=1e-6, atol=0)
    np.testing.assert_allclose(ours.cov, fit.cov_robust, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.cov_naive, fit.cov_naive, rtol=0, atol=1e-9)
    assert ours.dep_param == pytest.approx(fit.cov_struct.dep_params, abs=1e-9)
    assert ours.n_iter == len(fit.fit_history["params"])
    assert ours.converged and fit.converged
    assert ours.rank == model.exog.shape[1] and ours.identified.all()


def test_item_gee_equals_the_statsmodels_fit_it_made_before(design):
    _, answers, codebook, model, fit = design
    res = item_gee(answers, codebook)
    assert res["warnings"] == [] and "error" not in res
    assert res["n_obs"] == len(model.endog)
    assert res["n_clusters"] == len(np.unique(model.groups))
    assert res["coef"] == pytest.approx(fit.params[PHASE_TERM], abs=1e-6)
    assert res["se"] == pytest.approx(fit.bse[PHASE_TERM], abs=1e-6)
    assert res["p"] == pytest.approx(fit.pvalues[PHASE_TERM], rel=1e-6)
    lo, hi = np.exp(fit.conf_int().loc[PHASE_TERM])
    assert res["or_ci_low"] == pytest.approx(lo, abs=1e-6)
    assert res["or_ci_high"] == pytest.approx(hi, abs=1e-6)
    assert res["odds_ratio"] == pytest.approx(math.exp(fit.params[PHASE_TERM]), abs=1e-6)


def test_a_continuous_covariate_every_row_its_own_cell():
    # no two rows of X alike: the cells are the rows; unequal clusters, sizes 1 to 12
    rng = np.random.default_rng(8)
    groups = np.repeat(np.arange(150), rng.integers(1, 13, 150))
    u = rng.normal(0, 1.2, 150)[groups]
    x = np.column_stack(
        [np.ones(len(groups)), rng.normal(size=len(groups)), rng.random(len(groups))]
    )
    y = (rng.random(len(groups)) < 1 / (1 + np.exp(-(x @ [0.2, 0.8, -1.0] + u)))).astype(float)
    fit = sm.GEE(
        y, x, groups, family=sm.families.Binomial(), cov_struct=sm.cov_struct.Exchangeable()
    ).fit()
    ours = exchangeable_logit_gee(y, x, groups)
    np.testing.assert_allclose(ours.params, fit.params, rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.bse, fit.bse, rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.pvalues, fit.pvalues, rtol=1e-6, atol=0)
    assert ours.dep_param == pytest.approx(fit.cov_struct.dep_params, abs=1e-9)
    assert fit.cov_struct.dep_params > 0.1


def test_bad_input_is_refused():
    x = np.ones((4, 1))
    with pytest.raises(ValueError, match="0 or 1"):
        exchangeable_logit_gee(np.array([0, 1, 0.5, 1]), x, np.arange(4))
    with pytest.raises(ValueError, match="not finite"):
        exchangeable_logit_gee(np.array([0, 1, 0, 1]), x * np.nan, np.arange(4))
    with pytest.raises(ValueError, match="same number of rows"):
        exchangeable_logit_gee(np.array([0, 1, 0]), x, np.arange(4))


def test_the_comparison_can_fail(design):
    # the same data under independence (the GLM's estimates, robust SEs): far more than 1e-6
    # from the exchangeable fit wherever the correlation is not about 0
    name, _, _, model, fit = design
    indep = sm.GEE(model.endog, model.exog, model.groups, family=sm.families.Binomial()).fit()
    gap = np.abs(indep.params - fit.params.to_numpy()).max()
    assert gap > (1e-5 if name.endswith("near 0") else 1e-3)


@pytest.mark.parametrize("maxiter", [1, 2, 3])
def test_truncated_iterations_match_statsmodels_step_for_step(maxiter):
    # the same start, updates and correlation estimates: after 1, 2, 3 updates the same
    # numbers; the iteration-limit warning when statsmodels gives it (not after one update:
    # the score at the GLM start under independence is 0), of its category, in our words
    answers, codebook = simulated(6, 300, 2.5)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        model, fit = statsmodels_fit(answers, codebook, maxiter=maxiter)
    with warnings.catch_warnings(record=True) as mine:
        warnings.simplefilter("always")
        ours = exchangeable_logit_gee(model.endog, model.exog, model.groups, maxiter=maxiter)
    assert [w.category for w in mine] == [w.category for w in theirs]
    assert [w.category for w in mine] == ([IterationLimitWarning] if maxiter > 1 else [])
    if maxiter > 1:
        assert str(mine[0].message).startswith(
            f"the GEE stopped at its limit of {maxiter} updates before converging"
        )
    np.testing.assert_allclose(ours.params, fit.params.to_numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.bse, fit.bse.to_numpy(), rtol=0, atol=1e-10)
    assert ours.dep_param == pytest.approx(fit.cov_struct.dep_params, abs=1e-12)
    assert ours.converged == fit.converged == (maxiter == 1)
    assert ours.n_iter == maxiter


def test_item_gee_reports_non_convergence(monkeypatch):
    answers, codebook = _fixture()
    short = functools.partial(exchangeable_logit_gee, maxiter=2)
    monkeypatch.setattr(pooled, "exchangeable_logit_gee", short)
    res = item_gee(answers, codebook)
    assert len(res["warnings"]) == 1
    assert res["warnings"][0].startswith(
        "IterationLimitWarning: the GEE stopped at its limit of 2 updates before converging"
    )
    assert np.isfinite(res["coef"])  # statsmodels too keeps the last iterate


def test_rows_of_a_cluster_need_not_be_adjacent():
    answers, codebook = simulated(7, 120, 1.0)
    a = item_gee(answers, codebook)
    b = item_gee(answers.sample(frac=1, random_state=3), codebook)
    for key in ("coef", "se", "p"):
        assert b[key] == pytest.approx(a[key], rel=1e-12)


def test_hand_worked_closed_form():
    # Four participants, items 2 pre + 2 post each (the same design in every cluster):
    # pre 1 0 | 1 1 | 0 0 | 1 0 (4/8), post 1 1 | 1 1 | 1 0 | 1 0 (6/8). With X = [1, post]
    # and every cluster alike, sum_i D'V^-1 (y_i - mu) = 0 forces each phase's residuals to sum
    # to 0 whatever a: mu = (1/2, 3/4), post coefficient logit(3/4) - logit(1/2) = ln 3.
    # Sandwich: B = n A K and U_i = A s_i (A: D'V^-1 summed within phase, s_i: cluster i's
    # residual sums by phase, K = m [[v0, 0], [v1, v1]]), so A cancels:
    # cov = K^-1 (sum_i s_i s_i' / n^2) K^-T, var(post) = sum_i (s1_i/(m v1) - s0_i/(m v0))^2 / n^2
    # with m = 2, n = 4, v0 = 1/4, v1 = 3/16, s0 = (0, 1, -1, 0), s1 = (1/2, 1/2, -1/2, -1/2):
    # terms (4/3, -2/3, 2/3, -4/3), var = (40/9) / 16 = 5/18; intercept var = (0+4+4+0)/16 = 1/2.
    # Correlation: Pearson residuals +-1 (pre), 1/sqrt(3) or -sqrt(3) (post), phi = 16/14, the
    # within-cluster pair products sum to 8/sqrt(3) - 4/3 over 4 * 6 - 2 pairs:
    # a = (14/sqrt(3) - 7/3) / 44 = 0.130672...
    y = np.array([1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0])
    x = np.column_stack([np.ones(16), np.tile([0.0, 0.0, 1.0, 1.0], 4)])
    fit = exchangeable_logit_gee(y, x, np.repeat(["P1", "P2", "P3", "P4"], 4))
    assert fit.params[0] == pytest.approx(0.0, abs=1e-12)
    assert fit.params[1] == pytest.approx(math.log(3), abs=1e-12)
    assert fit.bse[1] == pytest.approx(math.sqrt(5 / 18), abs=1e-12)
    assert fit.bse[0] == pytest.approx(math.sqrt(1 / 2), abs=1e-12)
    assert fit.dep_param == pytest.approx((14 / math.sqrt(3) - 7 / 3) / 44, abs=1e-9)
    # the same through item_gee: one topic, odds ratio 3
    answers = pd.DataFrame(
        {
            "participant_id": np.repeat(["P1", "P2", "P3", "P4"], 4),
            "phase": np.tile(["pre", "pre", "post", "post"], 4),
            "item_id": np.tile(["K1", "K2", "K1", "K2"], 4),
            "correct": y.astype(bool),
        }
    )
    codebook = pd.DataFrame({"item_id": ["K1", "K2"], "section": "knowledge", "topic": "t"})
    res = item_gee(answers, codebook)
    assert res["odds_ratio"] == pytest.approx(3.0, abs=1e-12)
    assert res["se"] == pytest.approx(math.sqrt(5 / 18), abs=1e-12)
    assert res["or_ci_low"] == pytest.approx(3 * math.exp(-1.959963984540054 * 0.52704628))
    assert res["n_obs"] == 16 and res["n_clusters"] == 4


def test_perfect_prediction_warns_as_statsmodels_does():
    answers, codebook = _fixture()
    answers = answers.assign(correct=answers["correct"].notna())  # every answer right
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        statsmodels_fit(answers, codebook)
    res = item_gee(answers, codebook)
    assert {w.category for w in theirs} == {PerfectSeparationWarning}
    assert len(res["warnings"]) == len(theirs)
    assert set(res["warnings"]) == {
        "PerfectSeparationWarning: the starting GLM predicts every answer exactly (perfect "
        "separation): its coefficients may not be identified"
    }


def test_a_phase_the_topics_determine_is_not_identified():
    # every topic answered in one phase only: post = a sum of topic dummies (statsmodels gave
    # an arbitrary, huge coefficient; item_gee then raised OverflowError in math.exp)
    answers, codebook = _fixture()
    topic = answers["item_id"].map(codebook.set_index("item_id")["topic"])
    pre_topics = topic.isin(["trust", "victims"])
    keep = (answers["phase"] == "pre") & pre_topics | (answers["phase"] == "post") & ~pre_topics
    res = item_gee(answers[keep.fillna(False)], codebook)
    assert math.isnan(res["coef"]) and math.isnan(res["odds_ratio"]) and math.isnan(res["p"])
    assert len(res["warnings"]) == 1
    assert res["warnings"][0].startswith(
        f"{SingularMatrixWarning.__name__}: the post-vs-pre term is not identified"
    )


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        (["pre"], "no post-test rows"),
        (["post"], "no pre-test rows"),
        ([], "no pre-test rows"),
    ],
)
def test_no_fit_without_both_phases(phases, message):
    # statsmodels: PatsyError (no level 'pre') or KeyError (no post term); NaN and the error
    answers, codebook = _fixture()
    res = item_gee(answers[answers["phase"].isin(phases)], codebook)
    assert math.isnan(res["coef"]) and math.isnan(res["se"]) and math.isnan(res["odds_ratio"])
    assert res["error"].startswith(f"ValueError: {message}")
    assert list(res) == [
        "n_obs",
        "n_clusters",
        "error",
        "coef",
        "se",
        "odds_ratio",
        "or_ci_low",
        "or_ci_high",
        "p",
        "warnings",
    ]


def test_missing_topics_and_participants_are_dropped_as_statsmodels_does():
    answers, codebook = _fixture()
    codebook = codebook.copy()
    codebook.loc[codebook["item_id"] == "K01", "topic"] = np.nan
    answers = answers.copy()
    answers.loc[answers.index[:5], "participant_id"] = pd.NA
    _, fit = statsmodels_fit(answers, codebook)
    res = item_gee(answers, codebook)
    assert res["coef"] == pytest.approx(fit.params[PHASE_TERM], abs=1e-9)
    assert res["se"] == pytest.approx(fit.bse[PHASE_TERM], abs=1e-9)
