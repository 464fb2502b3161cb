"""The national-scale fast paths give exactly what they replace (issue 17, point 4).

Each fast path is compared with the code it replaces on the same input: the pooled models'
design matrices built from the factors' codes against patsy's, the rank shortcut against the
pivoted QR, the pooled analysis reusing the workshop summaries against computing them, the
cross-products of a 0/1 design from its non-zero entries against the dense product, the
least squares of many columns by the normal equations against numpy's SVD, and the ANCOVA of
many workshops by the extra sum of squares against statsmodels' type II test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from test_groups import same_value
from test_stats import make_frames

from analysis.stats.mixed import FAST_OLS_MIN, sparse_free_ols
from analysis.stats.pooled import (
    ANCOVA_DIRECT_MIN,
    LMM_FORMULA,
    LMM_FORMULA_INTERACTION,
    LMM_FORMULA_PHASE,
    ancova_workshop,
    pooled_analysis,
    workshop_summaries,
)
from analysis.stats.profile import categorical_design, design, gram


def _scores(seed: int = 3, n: int = 300) -> pd.DataFrame:
    """Scores of ``n`` questionnaires in 12 workshops (ids that sort differently as text and as
    numbers), a few scores missing."""
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 13, n)
    d = pd.DataFrame(
        {
            "workshop_id": pd.array([f"W{k}" for k in w], dtype="string"),
            "participant_id": pd.array([f"P{k}" for k in rng.integers(0, n // 2, n)], "string"),
            "phase": pd.array(rng.choice(["pre", "post"], n), dtype="string"),
            "score_pct": rng.integers(0, 21, n) * 5.0,
        }
    )
    d.loc[[4, 50], "score_pct"] = np.nan
    return d


@pytest.mark.parametrize("formula", [LMM_FORMULA, LMM_FORMULA_PHASE, LMM_FORMULA_INTERACTION])
def test_categorical_design_is_patsys(formula):
    d = _scores()
    y, x, names, rows = categorical_design(formula, d)
    model = smf.ols(formula, d, missing="drop")
    assert names == list(model.exog_names)
    assert np.array_equal(x, model.exog)
    assert np.array_equal(y, model.endog)
    assert list(rows) == list(model.data.row_labels)
    assert (
        x.shape[1] == {LMM_FORMULA: 13, LMM_FORMULA_PHASE: 2, LMM_FORMULA_INTERACTION: 24}[formula]
    )


def test_categorical_design_declines_what_it_does_not_build():
    d = _scores()
    assert categorical_design("score_pct ~ C(phase)", d) is None  # no reference level
    assert categorical_design("score_pct ~ C(phase, Treatment('mid'))", d) is None
    assert categorical_design("score_pct ~ np.log(score_pct)", d) is None
    missing = d.copy()
    missing.loc[7, "workshop_id"] = pd.NA  # a missing level: patsy decides, as before
    assert categorical_design(LMM_FORMULA, missing) is None
    # ... and design() then builds them with patsy, as before
    y, x, names, g, notes = design("score_pct ~ C(phase)", d, "participant_id")
    assert names == ["Intercept", "C(phase)[T.pre]"] and notes == []


def test_design_drops_aliased_columns_as_before():
    # a workshop holding only post questionnaires: its interaction column is aliased
    d = _scores()
    d = d.loc[~((d["workshop_id"] == "W5") & (d["phase"] == "pre"))]
    y, x, names, g, notes = design(LMM_FORMULA_INTERACTION, d, "participant_id")
    assert "C(phase, Treatment('pre'))[T.post]:C(workshop_id)[T.W5]" not in names
    assert notes and "not estimable" in notes[0]
    assert np.linalg.matrix_rank(x) == x.shape[1]


def test_pooled_analysis_reuses_workshop_summaries(monkeypatch):
    from analysis.stats import pooled

    f = make_frames()
    args = (f["scores"], f["paired"], f["answers"], f["codebook"], True)
    ws = workshop_summaries(*args)
    computed = pooled_analysis(*args).summary

    def again_(*a, **k):
        raise AssertionError("the workshops' summaries were computed again")

    monkeypatch.setattr(pooled, "workshop_summaries", again_)
    again = pooled_analysis(*args, workshops=ws).summary
    assert again == computed
    assert again["workshops"] == ws


def test_gram_is_the_dense_product_to_the_bit():
    d = _scores(n=400)
    _, x, _, _ = categorical_design(LMM_FORMULA_INTERACTION, d)
    assert np.array_equal(gram(x), x.T @ x)  # small integers: the exact sums either way
    counts = np.asarray(x[:50] * 2 + x[50:100])
    assert np.array_equal(gram(counts), counts.T @ counts)
    real = x * 0.1  # not integers: the dense product itself
    assert np.array_equal(gram(real), real.T @ real)


def test_ols_of_many_columns_is_least_squares():
    # 150 workshops: more than FAST_OLS_MIN columns, the normal equations with refinement
    rng = np.random.default_rng(9)
    n = 3000
    d = pd.DataFrame(
        {
            "workshop_id": pd.array([f"W{k}" for k in rng.integers(0, 150, n)], "string"),
            "participant_id": pd.array([f"P{k}" for k in rng.integers(0, n // 2, n)], "string"),
            "phase": pd.array(rng.choice(["pre", "post"], n), dtype="string"),
            "score_pct": rng.integers(0, 21, n) * 5.0,
        }
    )
    y, x, _, _ = categorical_design(LMM_FORMULA, d)
    assert x.shape[1] > FAST_OLS_MIN
    fast = sparse_free_ols(y, x)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    scale = np.abs(beta).max()
    assert np.max(np.abs(fast["beta"] - beta)) < 1e-11 * scale
    s2 = float(((y - x @ beta) ** 2).sum()) / (n - x.shape[1])
    assert fast["scale"] == pytest.approx(s2, rel=1e-12)
    bse = np.sqrt(np.diag(s2 * np.linalg.pinv(x.T @ x)))
    assert np.allclose(fast["bse"], bse, rtol=1e-10, atol=0)


def test_ancova_of_many_workshops_is_statsmodels_type_ii_test():
    from statsmodels.stats.anova import anova_lm

    rng = np.random.default_rng(12)
    n, k = 4000, 120
    w = rng.integers(0, k, n)
    pre = rng.integers(0, 21, n) * 5.0
    post = np.clip(0.6 * pre + 30 + 1.5 * rng.normal(size=k)[w] + rng.normal(0, 10, n), 0, 100)
    d = pd.DataFrame(
        {"workshop_id": pd.array([f"W{j}" for j in w], "string"), "pre_pct": pre, "post_pct": post}
    )
    assert d["workshop_id"].nunique() > ANCOVA_DIRECT_MIN
    got = ancova_workshop(d)
    tab = anova_lm(smf.ols("post_pct ~ pre_pct + C(workshop_id)", d).fit(), typ=2)
    row = tab.loc["C(workshop_id)"]
    assert got["F"] == pytest.approx(row["F"], rel=1e-12)
    assert got["p"] == pytest.approx(row["PR(>F)"], rel=1e-11)
    assert (got["df_num"], got["df_den"]) == (row["df"], tab.loc["Residual", "df"])
    assert got["warnings"] == []
    # pre-scores constant within every workshop: statsmodels judges the design, as before
    flat = d.assign(pre_pct=d.groupby("workshop_id")["pre_pct"].transform("first"))
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        tab = anova_lm(smf.ols("post_pct ~ pre_pct + C(workshop_id)", flat).fit(), typ=2)
    got = ancova_workshop(flat)
    assert got["warnings"] == [f"{c.category.__name__}: {c.message}" for c in caught]
    assert same_value(got["p"], float(tab.loc["C(workshop_id)", "PR(>F)"]))
