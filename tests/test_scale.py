"""The national-scale fast paths give exactly what they replace (issue 17, point 4).

Each fast path is compared with the code it replaces on the same input: the pooled models'
design matrices built from the factors' codes against patsy's, the rank shortcut against the
pivoted QR, the pooled analysis reusing the workshop summaries against computing them, the
cross-products of a 0/1 design from its non-zero entries against the dense product, and the
least squares of many columns by the normal equations against numpy's SVD.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from test_stats import make_frames

from analysis.stats.mixed import FAST_OLS_MIN, sparse_free_ols
from analysis.stats.pooled import (
    LMM_FORMULA,
    LMM_FORMULA_INTERACTION,
    LMM_FORMULA_PHASE,
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


def test_pooled_analysis_reuses_workshop_summaries():
    f = make_frames()
    args = (f["scores"], f["paired"], f["answers"], f["codebook"], True)
    ws = workshop_summaries(*args)
    again = pooled_analysis(*args, workshops=ws).summary
    assert again == pooled_analysis(*args).summary
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
