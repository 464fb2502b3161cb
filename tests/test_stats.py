"""Tests of analysis.stats against published examples and by properties (hypothesis)."""

from __future__ import annotations

import ast
import importlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.multitest import multipletests

from analysis import stats as stats_package
from analysis.stats import (
    PAIRED_KEYS,
    SUMMARY_KEYS,
    complementary_suppression,
    d_z_exact_ci,
    holm,
    item_table,
    item_total_correlation,
    knowledge_matrix,
    kr20,
    kr20_by_phase,
    mcnemar_exact,
    minimal_detectable_effect,
    normalized_change,
    paired_summary,
    rank_biserial,
    reaction_summary,
    subgroup_table,
    topic_table,
    workshop_summary,
    years_band,
)

# R datasets::sleep (Cushny & Peebles 1905, as in R): extra by group, ID 1..10.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# Lakens (2013), Front. Psychol. 4:863, Table 1 (movie ratings, within-subjects example).
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]

TOPICS = ["trust", "problem_solving", "communication", "victims", "communities"]
STATS_MODULES = [
    "measures",
    "tables",
    "disclosure",
    "contract",
    "mixed",
    "pooled",
    "reliability",
    "distractors",
    "change",
    "attrition",
    "bayes",
    "groups",
]


# --------------------------------------------------------------------------------------------
# synthetic processed frames (shapes of DATA-CONTRACT), vectorized; shared with test_pooled


#: The dtypes of the processed answers' columns (``answers.parquet``).
ANSWER_DTYPES = {
    "workshop_id": "string",
    "participant_id": "string",
    "phase": "string",
    "item_id": "string",
    "response": "string",
    "status": "string",
    "correct": "boolean",
}


def make_codebook(k: int = 20, n_reaction: int = 6) -> pd.DataFrame:
    kn = pd.DataFrame(
        {
            "item_id": [f"K{i:02d}" for i in range(1, k + 1)],
            "section": "knowledge",
            "topic": [TOPICS[i % len(TOPICS)] for i in range(k)],
            "key": "A",
            "scale": pd.NA,
        }
    )
    re = pd.DataFrame(
        {
            "item_id": [f"R{i:02d}" for i in range(1, n_reaction + 1)],
            "section": "reaction",
            "topic": pd.NA,
            "key": pd.NA,
            "scale": "likert5",
        }
    )
    cb = pd.concat([kn, re], ignore_index=True)
    cb["text_sq"] = cb["item_id"]
    cb["text_en"] = "Question " + cb["item_id"]
    cb["options"] = pd.NA
    return cb[["item_id", "section", "topic", "text_sq", "text_en", "options", "key", "scale"]]


def make_frames(
    n_per_workshop: int = 20, n_workshops: int = 4, seed: int = 0, p_unlinked: float = 0.1
) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    cb = make_codebook()
    kn = cb.loc[cb["section"] == "knowledge"]
    k = len(kn)
    n = n_per_workshop * n_workshops
    wid = np.repeat([f"W{i + 1}" for i in range(n_workshops)], n_per_workshop)
    pid = np.array([f"{w}-P{i:04d}" for i, w in enumerate(wid)])
    ability = rng.normal(0, 1, n)
    easy = rng.normal(0.3, 0.8, k)
    has_pre = rng.random(n) > p_unlinked / 2
    has_post = rng.random(n) > p_unlinked / 2
    has_pre[~has_pre & ~has_post] = True
    rows = []
    for phase, has, boost in (("pre", has_pre, 0.0), ("post", has_post, 0.8)):
        prob = 1 / (1 + np.exp(-(ability[:, None] + easy[None, :] + boost)))
        correct = rng.random((n, k)) < prob
        correct = correct[has]
        m = int(has.sum())
        frame = pd.DataFrame(
            {
                "workshop_id": np.repeat(wid[has], k),
                "participant_id": np.repeat(pid[has], k),
                "phase": phase,
                "item_id": np.tile(kn["item_id"].to_numpy(), m),
                "response": np.where(correct.ravel(), "A", "B"),
                "status": "valid",
                "correct": correct.ravel(),
            }
        )
        rows.append(frame)
        if phase == "post":
            lik = rng.integers(1, 6, size=(m, 6)).ravel()
            lik_resp = lik.astype(str).astype(object)
            blank = rng.random(lik.size) < 0.05
            lik_resp[blank] = ""
            rows.append(
                pd.DataFrame(
                    {
                        "workshop_id": np.repeat(wid[has], 6),
                        "participant_id": np.repeat(pid[has], 6),
                        "phase": phase,
                        "item_id": np.tile([f"R{i:02d}" for i in range(1, 7)], m),
                        "response": lik_resp,
                        "status": np.where(blank, "blank", "valid"),
                        "correct": pd.NA,
                    }
                )
            )
    answers = pd.concat(rows, ignore_index=True).astype(ANSWER_DTYPES)
    scores = scores_of(answers, kn)
    demo = pd.DataFrame(
        {
            "participant_id": pid,
            "gender": rng.choice(["female", "male"], n, p=[0.2, 0.8]),
            "community": rng.choice(["Albanian", "Serb", "Turkish"], n, p=[0.8, 0.15, 0.05]),
            "years_of_service": np.where(
                rng.random(n) < 0.05, np.nan, rng.integers(1, 35, n).astype(float)
            ),
        }
    ).astype({"participant_id": "string", "gender": "string", "community": "string"})
    scores = scores.merge(demo, on="participant_id")
    paired = paired_of(scores, demo)
    return {"scores": scores, "paired": paired, "answers": answers, "codebook": cb}


def scores_of(answers: pd.DataFrame, kn: pd.DataFrame) -> pd.DataFrame:
    """The scores of simulated answers (every knowledge item answered), as the clean step
    writes them: per questionnaire the correct answers, the percent and each topic's percent
    (``kn``: the codebook's knowledge items)."""
    k = len(kn)
    kn_ans = answers.loc[answers["item_id"].str.startswith("K")].merge(
        kn[["item_id", "topic"]], on="item_id"
    )
    kn_ans = kn_ans.assign(c=kn_ans["correct"].astype(int))
    keys = ["workshop_id", "participant_id", "phase"]
    scores = kn_ans.groupby(keys, sort=False).agg(n_correct=("c", "sum")).reset_index()
    scores["n_items"] = k
    scores["n_answered"] = k
    scores["score_pct"] = 100.0 * scores["n_correct"] / k
    tp = kn_ans.pivot_table(index=keys, columns="topic", values="c", aggfunc="mean")
    tp = (100.0 * tp).add_prefix("topic_").add_suffix("_pct").reset_index()
    return scores.merge(tp, on=keys)


def paired_of(scores: pd.DataFrame, demo: pd.DataFrame) -> pd.DataFrame:
    """The paired table of simulated scores, as the clean step writes it: the participants
    with both tests, their gain and normalized change, and their demographics (``demo``)."""
    pre = scores.loc[scores["phase"] == "pre"].set_index("participant_id")
    post = scores.loc[scores["phase"] == "post"].set_index("participant_id")
    ids = pre.index.intersection(post.index, sort=False)
    paired = pd.DataFrame(
        {
            "workshop_id": pre.loc[ids, "workshop_id"].to_numpy(),
            "participant_id": ids.to_numpy(),
            "pre_pct": pre.loc[ids, "score_pct"].to_numpy(),
            "post_pct": post.loc[ids, "score_pct"].to_numpy(),
        }
    )
    paired["gain_pct"] = paired["post_pct"] - paired["pre_pct"]
    paired["norm_change"] = normalized_change(paired["pre_pct"], paired["post_pct"])
    paired = paired.merge(demo, on="participant_id").astype(
        {"workshop_id": "string", "participant_id": "string"}
    )
    return paired


def rows_of(frame: pd.DataFrame, workshop_id: str) -> pd.DataFrame:
    """The rows of one workshop (the stats functions take frames already filtered)."""
    return frame[frame["workshop_id"] == workshop_id]


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return make_frames()


# --------------------------------------------------------------------------------------------
# published examples


def test_sleep_paired_t_matches_r():
    # R: t.test(extra ~ group, data = sleep, paired = TRUE) with group 2 - group 1:
    # t = 4.0621, df = 9, p-value = 0.002833, 95 % CI 0.7001142 2.4598858, mean diff 1.58.
    s = paired_summary(SLEEP_1, SLEEP_2)
    assert s["t_stat"] == pytest.approx(4.0621, abs=1e-4)
    assert s["t_df"] == 9
    assert s["t_p"] == pytest.approx(0.002833, abs=1e-6)
    assert s["diff_mean"] == pytest.approx(1.58)
    assert s["diff_ci_low"] == pytest.approx(0.7001142, abs=1e-6)
    assert s["diff_ci_high"] == pytest.approx(2.4598858, abs=1e-6)
    # d_z = 1.58 / 1.23 = 1.28; exact CI [0.41, 2.12] (e.g. MBESS::ci.sm(ncp = 4.0621, N = 10)).
    assert s["d_z"] == pytest.approx(1.2846, abs=1e-4)
    assert s["d_z_ci_low"] == pytest.approx(0.41, abs=0.005)
    assert s["d_z_ci_high"] == pytest.approx(2.12, abs=0.005)


def test_d_z_interval_solves_the_noncentral_t_equations():
    t, n = 4.0621, 10
    lo, hi = d_z_exact_ci(t, n)
    assert sps.nct.cdf(t, n - 1, lo * math.sqrt(n)) == pytest.approx(0.975, abs=1e-8)
    assert sps.nct.cdf(t, n - 1, hi * math.sqrt(n)) == pytest.approx(0.025, abs=1e-8)


def test_lakens_2013_movie_example():
    # Lakens (2013), Front. Psychol. 4:863, Table 1 and text: t(9) = 4.74, d_z = 1.50,
    # d_av = 1.13, g_av = 1.08 (Hedges' correction as in the companion spreadsheet).
    s = paired_summary(MOVIE_2, MOVIE_1)
    assert s["t_stat"] == pytest.approx(4.74, abs=0.005)
    assert s["t_df"] == 9
    assert s["d_z"] == pytest.approx(1.50, abs=0.005)
    d_av = s["diff_mean"] / ((s["pre_sd"] + s["post_sd"]) / 2)
    assert d_av == pytest.approx(1.13, abs=0.005)
    assert s["g_av"] == pytest.approx(1.08, abs=0.005)
    # and to the last digit, recomputed here from METHODS' formula
    pre, post = np.array(MOVIE_2, float), np.array(MOVIE_1, float)
    n = len(pre)
    d_av_here = (post - pre).mean() / ((pre.std(ddof=1) + post.std(ddof=1)) / 2)
    assert s["g_av"] == pytest.approx(d_av_here * (1 - 3 / (8 * n - 9)), rel=1e-12)


def test_paired_summary_keys_json_and_scipy_agreement():
    pre = [40, 55, 60, 70, 35, 80, 65, 50]
    post = [60, 55, 75, 85, 50, 75, 80, 65]
    s = paired_summary(pre, post, n_items=20)
    assert tuple(s) == PAIRED_KEYS
    json.dumps(s)  # plain Python values
    assert all(type(v) in (int, float) for v in s.values())
    # Wilcoxon on integer numbers correct equals the one on percents
    xi, yi = np.rint(np.array(pre) * 0.2).astype(int), np.rint(np.array(post) * 0.2).astype(int)
    assert s["wilcoxon_p"] == pytest.approx(sps.wilcoxon(yi, xi).pvalue)
    assert s["wilcoxon_p"] == pytest.approx(sps.wilcoxon(post, pre).pvalue)
    assert s["pct_improved"] + s["pct_unchanged"] + s["pct_declined"] == pytest.approx(100)
    # Hake g from means; norm change mean of c_i
    assert s["hake_g"] == pytest.approx((np.mean(post) - np.mean(pre)) / (100 - np.mean(pre)))
    assert s["mean_norm_change"] == pytest.approx(np.nanmean(normalized_change(pre, post)))


def test_paired_summary_degenerate_cases():
    empty = paired_summary([], [])
    assert empty["n_paired"] == 0 and all(math.isnan(empty[k]) for k in PAIRED_KEYS[1:])
    one = paired_summary([50], [60])
    assert one["n_paired"] == 1 and one["diff_mean"] == 10 and math.isnan(one["diff_sd"])
    same = paired_summary([50, 60, 70], [50, 60, 70], n_items=10)
    assert math.isnan(same["wilcoxon_p"]) and math.isnan(same["rank_biserial"])
    assert math.isnan(same["t_stat"]) and math.isnan(same["d_z"])
    assert same["pct_unchanged"] == 100.0
    with pytest.raises(ValueError):
        paired_summary([1, 2], [1])


def test_rank_biserial_kerby_example():
    # Kerby (2014): r = (W+ - W-) / (W+ + W-); d = 1, 2, -3, 4: W+ = 7, W- = 3 -> 0.4.
    assert rank_biserial([1, 2, -3, 4]) == pytest.approx(0.4)
    # ties at average rank; zeros dropped: |d| = 1, 1, 2 -> ranks 1.5, 1.5, 3
    assert rank_biserial([0, 1, -1, 2]) == pytest.approx((1.5 + 3 - 1.5) / 6)


def test_normalized_change_cases():
    c = normalized_change([50, 80, 40, 100, 0, 0, 100], [75, 60, 40, 100, 0, 50, 50])
    np.testing.assert_allclose(c, [0.5, -0.25, 0.0, np.nan, np.nan, 0.5, -0.5])


def test_kr20_hand_computed_and_alpha_formula():
    m = np.array(
        [
            [1, 1, 1, 1, 0],
            [1, 1, 1, 0, 0],
            [1, 1, 0, 0, 0],
            [1, 0, 1, 0, 1],
            [0, 0, 0, 0, 0],
            [1, 1, 1, 1, 1],
        ]
    )
    # Hand computation: item variances (ddof=1) and total variance.
    k = 5
    item_var = [np.var(m[:, j], ddof=1) for j in range(k)]
    totals = m.sum(axis=1)  # 4, 3, 2, 3, 0, 5 -> mean 17/6
    assert totals.tolist() == [4, 3, 2, 3, 0, 5]
    expected = k / (k - 1) * (1 - sum(item_var) / np.var(totals, ddof=1))
    assert kr20(m) == pytest.approx(expected)
    # Independent route: Cronbach's alpha from the covariance matrix, k/(k-1)(1 - tr C / sum C).
    cov = np.cov(m, rowvar=False)
    assert kr20(m) == pytest.approx(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))
    # docstring example, by hand: items var 0.25, 0.3333, 0.25; total var 1.6667 -> 0.75
    assert kr20([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]) == pytest.approx(0.75)
    assert math.isnan(kr20(np.ones((4, 3))))


def test_item_total_correlation_matches_pearson():
    rng = np.random.default_rng(3)
    m = (rng.random((30, 6)) < 0.6).astype(int)
    r = item_total_correlation(m)
    for j in range(6):
        rest = m.sum(axis=1) - m[:, j]
        assert r[j] == pytest.approx(np.corrcoef(m[:, j], rest)[0, 1])


def test_holm_hand_example_and_statsmodels():
    # Hand: sorted p * (m - i + 1) = .05, .08, .09, .08, .05 -> running max .05 .08 .09 .09 .09
    np.testing.assert_allclose(holm([0.01, 0.02, 0.03, 0.04, 0.05]), [0.05, 0.08, 0.09, 0.09, 0.09])
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    p = np.random.default_rng(1).random(12) ** 3
    np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1])
    out = holm([0.01, np.nan, 0.02])
    assert np.isnan(out[1]) and out[0] == pytest.approx(0.02) and out[2] == pytest.approx(0.02)


def test_mcnemar_exact_against_binomtest_and_statsmodels():
    # R mcnemar.test documentation example (Agresti 1990, presidential approval):
    # discordant cells 150 and 86; exact version = two-sided binomial test.
    res = mcnemar_exact(150, 86)
    assert res["p_value"] == pytest.approx(sps.binomtest(86, 236, 0.5).pvalue, rel=1e-9)
    table = [[794, 150], [86, 570]]
    assert res["p_value"] == pytest.approx(sm_mcnemar(table, exact=True).pvalue, rel=1e-9)
    # hand: b = 1, c = 9: 2 * (C(10,0) + C(10,1)) / 2^10 = 22/1024
    assert mcnemar_exact(1, 9)["p_value"] == pytest.approx(22 / 1024)
    assert mcnemar_exact(0, 0)["p_value"] == 1.0
    assert mcnemar_exact(5, 5)["p_value"] == 1.0


def test_mcnemar_exact_equals_the_vectorized_formula_bit_for_bit():
    # item_table calls mcnemar_exact item by item; it once wrote the same formula vectorized,
    # and the p-values it writes must not change by a single bit
    b, c = np.array([(b, c) for b in range(61) for c in range(61 - b)]).T
    nd = b + c
    vectorized = np.where(
        nd > 0, np.minimum(1.0, 2.0 * sps.binom.cdf(np.minimum(b, c), nd, 0.5)), 1.0
    )
    scalar = np.array([mcnemar_exact(x, y)["p_value"] for x, y in zip(b, c, strict=True)])
    assert len(scalar) == 1891 and (scalar == vectorized).all()


def test_minimal_detectable_effect():
    d = minimal_detectable_effect(20)
    # recomputed here from the noncentral t: power of the two-sided paired t-test at alpha .05
    n = 20
    crit = sps.t.ppf(0.975, n - 1)

    def power(delta):
        nc = delta * math.sqrt(n)
        return sps.nct.sf(crit, n - 1, nc) + sps.nct.cdf(-crit, n - 1, nc)

    assert power(d) == pytest.approx(0.8, abs=1e-6)
    assert d == pytest.approx(0.6604, abs=5e-4)  # as pwr::pwr.t.test(n = 20, type = "paired")
    assert minimal_detectable_effect(80) < d
    assert math.isnan(minimal_detectable_effect(1))


def test_years_band_labels():
    assert years_band([0, 9.5, 10, 19, 20, 40, None]).tolist() == [
        "0-9",
        "0-9",
        "10-19",
        "10-19",
        "20+",
        "20+",
        pd.NA,
    ]


# --------------------------------------------------------------------------------------------
# tables


def test_workshop_summary_keys_equal_contract(frames):
    s = workshop_summary(
        *(rows_of(frames[k], "W1") for k in ("scores", "paired", "answers")),
        frames["codebook"],
        workshop_id="W1",
        synthetic=True,
    )
    # DATA-CONTRACT, W*/summary.json keys (copied verbatim)
    contract = (
        "workshop_id, n_pre, n_post, n_paired, pre_mean, pre_sd, post_mean, post_sd, diff_mean, "
        "diff_sd, diff_ci_low, diff_ci_high, t_stat, t_df, t_p, wilcoxon_p, rank_biserial, d_z, "
        "d_z_ci_low, d_z_ci_high, g_av, hake_g, mean_norm_change, kr20_pre, kr20_post, "
        "pct_improved, pct_unchanged, pct_declined, kr20_pre_ci_low, kr20_pre_ci_high, "
        "kr20_post_ci_low, kr20_post_ci_high, sem_pre, bf10, rci_improved, rci_unchanged, "
        "rci_declined, gain_mi, gain_mi_ci_low, gain_mi_ci_high, synthetic"
    )
    contract = [k.strip() for k in contract.split(",")]
    assert list(s) == contract == list(SUMMARY_KEYS)
    json.dumps(s)
    p = frames["paired"].loc[frames["paired"]["workshop_id"] == "W1"]
    ref = paired_summary(p["pre_pct"], p["post_pct"], n_items=20)
    assert all(s[k] == ref[k] or (math.isnan(s[k]) and math.isnan(ref[k])) for k in ref)
    sc = frames["scores"].loc[frames["scores"]["workshop_id"] == "W1"]
    assert s["n_pre"] == (sc["phase"] == "pre").sum()
    assert s["synthetic"] is True and s["workshop_id"] == "W1"
    assert s["kr20_pre"] == pytest.approx(
        kr20(knowledge_matrix(rows_of(frames["answers"], "W1"), frames["codebook"], "pre"))
    )


def test_summary_keys_hold_the_paired_keys_in_order():
    # declared separately; the workshop summary selects its keys from paired_summary's
    assert [k for k in SUMMARY_KEYS if k in PAIRED_KEYS] == list(PAIRED_KEYS)
    assert len(set(SUMMARY_KEYS)) == len(SUMMARY_KEYS)


@pytest.mark.parametrize("name", STATS_MODULES)
def test_each_module_exports_exactly_its_public_names(name):
    module = importlib.import_module(f"analysis.stats.{name}")
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    defined = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.ImportFrom) and node.level:
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{name} imports private names {private}"
    public = {n for n in defined if not n.startswith("_")}
    assert set(module.__all__) == public
    assert len(module.__all__) == len(set(module.__all__))


def test_the_package_reexports_its_modules_api():
    names = set(stats_package.__all__)
    assert len(names) == len(stats_package.__all__)
    assert all(hasattr(stats_package, n) for n in names)
    for name in ("measures", "tables", "disclosure", "contract"):
        module = importlib.import_module(f"analysis.stats.{name}")
        assert set(module.__all__) - {"as_float_array"} <= names, name


def test_topic_table(frames):
    t = topic_table(rows_of(frames["scores"], "W2"), frames["codebook"])
    assert t["topic"].tolist() == TOPICS
    assert (t["n_items"] == 4).all()
    np.testing.assert_allclose(t["t_p_holm"], holm(t["t_p"]))
    sc = frames["scores"].loc[frames["scores"]["workshop_id"] == "W2"]
    ids = set(frames["paired"].loc[frames["paired"]["workshop_id"] == "W2", "participant_id"])
    assert (t["n_paired"] == len(ids)).all()
    pre = sc.loc[(sc["phase"] == "pre") & sc["participant_id"].isin(ids)]
    assert t.loc[0, "pre_mean"] == pytest.approx(pre["topic_trust_pct"].mean())


def test_item_table(frames):
    ans, cb = frames["answers"], frames["codebook"]
    t = item_table(rows_of(ans, "W1"), cb)
    assert len(t) == 20 and t["item_id"].tolist()[0] == "K01"
    # recompute one item by hand
    a = ans.loc[(ans["workshop_id"] == "W1") & (ans["item_id"] == "K03")]
    pre = a.loc[a["phase"] == "pre"].set_index("participant_id")["correct"]
    post = a.loc[a["phase"] == "post"].set_index("participant_id")["correct"]
    ids = pre.index.intersection(post.index)
    x, y = pre[ids].astype(bool).to_numpy(), post[ids].astype(bool).to_numpy()
    row = t.loc[t["item_id"] == "K03"].iloc[0]
    assert row["pre_pct_correct"] == pytest.approx(100 * x.mean())
    assert row["n_lost"] == (x & ~y).sum() and row["n_gained"] == (~x & y).sum()
    assert row["mcnemar_p"] == pytest.approx(
        mcnemar_exact(row["n_lost"], row["n_gained"])["p_value"]
    )
    assert row["difficulty_pre"] == pytest.approx(pre.astype(float).mean())
    np.testing.assert_allclose(t["mcnemar_p_holm"], holm(t["mcnemar_p"]))
    assert (t["ceiling"] == (t["difficulty_pre"] >= 0.9)).all()
    assert t["negative_discrimination"].dtype == bool
    either = (t["discrimination_pre"] < 0) | (t["discrimination_post"] < 0)
    assert (t["negative_discrimination"] == either).all()


def test_item_table_flags_a_wrong_key():
    f = make_frames(n_per_workshop=60, n_workshops=1, seed=5)
    ans = f["answers"]
    flip = ans["item_id"] == "K05"
    ans = ans.assign(correct=ans["correct"].mask(flip, ~ans["correct"]))
    t = item_table(ans, f["codebook"])
    assert bool(t.loc[t["item_id"] == "K05", "negative_discrimination"].iloc[0])


def test_kr20_by_phase(frames):
    k = kr20_by_phase(rows_of(frames["answers"], "W3"), frames["codebook"])
    assert set(k) == {"pre", "post"}
    # recomputed here per phase: pivot to a 0/1 matrix, KR-20 with sample variances
    a = frames["answers"]
    items = frames["codebook"].loc[frames["codebook"]["section"] == "knowledge", "item_id"]
    for phase in ("pre", "post"):
        sub = a.loc[(a["workshop_id"] == "W3") & (a["phase"] == phase) & a["item_id"].isin(items)]
        m = sub.pivot(index="participant_id", columns="item_id", values="correct").astype(float)
        kk = m.shape[1]
        here = kk / (kk - 1) * (1 - m.var(ddof=1).sum() / m.sum(axis=1).var(ddof=1))
        assert k[phase] == pytest.approx(here, rel=1e-12)
    assert k["pre"] != k["post"]


def test_subgroup_interval_is_the_t_interval():
    gains = np.array([5.0, 10.0, -5.0, 20.0, 15.0, 0.0, 25.0])
    # a second group of six: a group of everyone would repeat the whole group's row, hidden
    # (differencing_suppression)
    paired = pd.DataFrame(
        {
            "workshop_id": "W1",
            "gender": ["F"] * 7 + ["M"] * 6,
            "gain_pct": np.concatenate([gains, np.arange(6.0)]),
        }
    )
    row = subgroup_table(paired, variables=["gender"]).iloc[0]
    lo, hi = sps.t.interval(0.95, len(gains) - 1, gains.mean(), sps.sem(gains))
    assert row["n"] == 7 and row["mean_gain"] == pytest.approx(gains.mean())
    assert row["sd_gain"] == pytest.approx(gains.std(ddof=1), rel=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), rel=1e-12)


def test_reaction_summary(frames):
    r = reaction_summary(rows_of(frames["answers"], "W1"), frames["codebook"])
    assert r["item_id"].tolist() == [f"R{i:02d}" for i in range(1, 7)]
    counts = r[[f"n_{v}" for v in range(1, 6)]].sum(axis=1)
    assert (counts == r["n"]).all()
    np.testing.assert_allclose(r[[f"pct_{v}" for v in range(1, 6)]].sum(axis=1), 100)
    np.testing.assert_allclose(r["pct_agree"], r["pct_4"] + r["pct_5"])
    a = frames["answers"]
    a = a.loc[(a["workshop_id"] == "W1") & (a["item_id"] == "R01") & (a["status"] == "valid")]
    assert r.loc[0, "median"] == pd.to_numeric(a["response"]).median()
    assert (
        r.loc[0, "n_missing"]
        == (
            (frames["answers"]["workshop_id"] == "W1")
            & (frames["answers"]["item_id"] == "R01")
            & (frames["answers"]["status"] != "valid")
        ).sum()
    )


def test_complementary_suppression_hides_the_cell_that_would_give_a_small_one_away():
    # gender F = 4 of 14: F is hidden, and M too, else F = 14 - M by subtraction
    assert complementary_suppression({"F": 4, "M": 10}) == {"F", "M"}
    # two small cells together under 5: the next smallest is hidden as well; with a, b, c
    # hidden (9) a reader knowing c >= 5 would still learn a + b <= 4, so d goes too
    assert complementary_suppression({"a": 1, "b": 2, "c": 6, "d": 9}) == {"a", "b", "c", "d"}
    # two small cells together 5 or more: each could be anything from 1 to 4
    assert complementary_suppression({"a": 2, "b": 3, "c": 9}) == {"a", "b"}
    # one small cell beside a complement of exactly 5: 6 = 1 + 5 gives it away; all hidden
    assert complementary_suppression({"o": 1, "x": 5, "y": 8}) == {"o", "x", "y"}
    assert complementary_suppression({"o": 4, "x": 5, "y": 8}) == {"o", "x"}  # 9: o in 1..4
    assert complementary_suppression({"a": 5, "b": 9}) == set()


def test_subgroup_table_suppresses_small_cells(frames):
    t = subgroup_table(frames["paired"])
    assert set(t["variable"]) == {"gender", "community", "years_of_service"}
    assert set(t.loc[t["variable"] == "years_of_service", "group"]) <= {
        "0-9",
        "10-19",
        "20+",
        "missing",
    }
    small = t.loc[t["suppressed"]]
    assert small["n"].isin(["<5", "hidden"]).all() and small["mean_gain"].isna().all()
    shown = t.loc[~t["suppressed"]]
    assert all(isinstance(n, int) and n >= 5 for n in shown["n"])
    g = frames["paired"].loc[frames["paired"]["gender"] == "male", "gain_pct"]
    row = t.loc[(t["variable"] == "gender") & (t["group"] == "male")].iloc[0]
    assert row["n"] == len(g) and row["mean_gain"] == pytest.approx(g.mean())
    assert row["ci_low"] <= row["mean_gain"] <= row["ci_high"]


# --------------------------------------------------------------------------------------------
# properties (hypothesis)

# n >= 14: with ties scipy's wilcoxon(method="auto") enumerates 2**n sign flips for n <= 13
# (seconds per call); the small-n path has its own bounded property test below.
percent_pairs = st.integers(min_value=14, max_value=30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 20), min_size=n, max_size=n),
        st.lists(st.integers(0, 20), min_size=n, max_size=n),
    )
)
small_pairs = st.integers(min_value=2, max_value=9).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 20), min_size=n, max_size=n),
        st.lists(st.integers(0, 20), min_size=n, max_size=n),
    )
)
SIGNED = ("diff_mean", "t_stat", "rank_biserial", "d_z", "g_av")


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(percent_pairs)
def test_swapping_pre_and_post_negates_signed_effects(pair):
    pre, post = (np.array(v) * 5.0 for v in pair)
    a = paired_summary(pre, post, n_items=20)
    b = paired_summary(post, pre, n_items=20)
    for k in SIGNED:
        assert _same(a[k], -b[k]), k
    assert _same(a["d_z_ci_low"], -b["d_z_ci_high"])
    assert _same(a["pct_improved"], b["pct_declined"])
    assert _same(a["t_p"], b["t_p"]) and _same(a["wilcoxon_p"], b["wilcoxon_p"])


@settings(max_examples=10, deadline=None)
@given(small_pairs)
def test_small_n_swap_and_intervals(pair):
    pre, post = (np.array(v) * 5.0 for v in pair)
    a = paired_summary(pre, post, n_items=20)
    b = paired_summary(post, pre, n_items=20)
    for k in SIGNED:
        assert _same(a[k], -b[k]), k
    if not math.isnan(a["d_z_ci_low"]):
        assert a["d_z_ci_low"] <= a["d_z"] <= a["d_z_ci_high"]


@settings(max_examples=50, deadline=None)
@given(percent_pairs, st.floats(-50, 50, allow_nan=False))
def test_shift_changes_no_effect_size(pair, shift):
    pre, post = (np.array(v, dtype=float) for v in pair)
    a = paired_summary(pre, post)
    b = paired_summary(pre + shift, post + shift)
    for k in ("diff_mean", "diff_sd", "d_z", "g_av", "d_z_ci_low", "t_stat"):
        assert (math.isnan(a[k]) and math.isnan(b[k])) or a[k] == pytest.approx(
            b[k], rel=1e-6, abs=1e-6
        ), k
    # ranks: exact on integers (on floats round-off can break ties, hence METHODS' integers)
    c = paired_summary(pre + round(shift), post + round(shift))
    assert _same(a["rank_biserial"], c["rank_biserial"])
    assert _same(a["wilcoxon_p"], c["wilcoxon_p"])


@settings(max_examples=50, deadline=None)
@given(percent_pairs)
def test_every_interval_contains_its_estimate(pair):
    pre, post = (np.array(v) * 5.0 for v in pair)
    s = paired_summary(pre, post, n_items=20)
    for est, lo, hi in (
        ("diff_mean", "diff_ci_low", "diff_ci_high"),
        ("d_z", *("d_z_ci_low", "d_z_ci_high")),
    ):
        if not math.isnan(s[lo]):
            assert s[lo] <= s[est] <= s[hi]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=40))
def test_holm_never_lowers_a_p_value(p):
    adj = holm(p)
    assert np.all(adj >= np.array(p) - 1e-15) and np.all(adj <= 1)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d", None]), st.floats(-100, 100)),
        min_size=0,
        max_size=40,
    )
)
def test_suppression_never_shows_a_cell_under_5(rows):
    paired = pd.DataFrame(
        {
            "workshop_id": "W1",
            "gender": pd.array([r[0] for r in rows], dtype="string"),
            "gain_pct": [r[1] for r in rows],
            "years_of_service": [abs(r[1]) / 3 for r in rows],
        }
    )
    t = subgroup_table(paired)
    for _, r in t.iterrows():
        if r["suppressed"]:
            assert r["n"] in ("<5", "hidden")
            assert math.isnan(r["mean_gain"]) and math.isnan(r["ci_low"])
        else:
            assert isinstance(r["n"], int) and r["n"] >= 5
    # no hidden cell can be recovered from the total: the hidden cells of a characteristic are
    # none, or all of them, or at least two holding at least 5 people together
    sizes = pd.Series([r[0] or "missing" for r in rows]).value_counts()
    small = sizes[sizes < 5]
    if len(small):  # small groups are pooled, unnamed, into "other" (even a single one)
        sizes = pd.concat([sizes[sizes >= 5], pd.Series({"other": small.sum()})])
    g = t.loc[t["variable"] == "gender"]
    assert not set(g["group"]) & set(small.index)
    hidden = g.loc[g["suppressed"], "group"].tolist()
    if hidden and (~g["suppressed"]).any():
        # knowing the rule (a hidden complement holds 5 or more), a reader can still not tell
        # a small cell from any other count 1-4
        small = [h for h in hidden if sizes[h] < 5]
        slack = sizes[hidden].sum() - (len(small) - 1) - 5 * (len(hidden) - len(small))
        assert len(hidden) >= 2 and slack >= 4
    for _, r in g.iterrows():  # "<5" only where the group is really under 5
        assert (r["n"] == "<5") == (sizes[r["group"]] < 5)


def test_a_single_small_group_is_not_named():
    paired = pd.DataFrame(
        {
            "workshop_id": "W1",
            "community": pd.array(["Albanian"] * 9 + ["Serb"] * 2, dtype="string"),
            "gain_pct": np.linspace(-10, 30, 11),
        }
    )
    t = subgroup_table(paired, variables=["community"])
    assert list(t["group"]) == ["Albanian", "other"]
    assert list(t["n"]) == ["hidden", "<5"] and t["suppressed"].all()


def test_a_discrimination_zero_but_for_rounding_is_not_flagged_negative():
    """W2's K19 post-test: every scored officer's rest score is the same whichever way the item
    was answered, so r = 0 exactly; summed in one row order it came out -1.1e-17 and was flagged
    'negative discrimination', in another +0. The flag must not follow the row order."""
    from analysis.stats import item_table
    from analysis.stats.tables import ZERO_TOLERANCE

    processed = Path(__file__).resolve().parents[1] / "data" / "processed"
    answers = pd.read_parquet(processed / "answers.parquet")
    codebook = pd.read_csv(processed / "codebook.csv", dtype=str, keep_default_na=False)
    w2 = answers.loc[answers["workshop_id"] == "W2"]
    flags = []
    for order in (w2, w2.iloc[::-1], w2.sample(frac=1.0, random_state=3)):
        table = item_table(order, codebook).set_index("item_id")
        assert abs(table.loc["K19", "discrimination_post"]) < ZERO_TOLERANCE
        flags.append(bool(table.loc["K19", "negative_discrimination"]))
    assert flags == [False, False, False]
