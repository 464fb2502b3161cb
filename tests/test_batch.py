"""The statistics of all workshops at once equal the per-workshop functions' (issue "Speed").

``stats.batch`` computes every workshop's summary and tables together, on ``stats.grouped``'s
vectorized statistics; each is compared here with the per-workshop function it stands for, on
the shipped data and on simulated workshops that reach every branch: 0, 1, 2 and 4 pairs, no
post-test, no pre-test, every difference zero, a constant shift (no SD), small workshops
with ties (Wilcoxon's permutation test), workshops without rows. The numbers must be the same
to the last bit (the groups' sums are added in numpy's order, as on one workshop alone), NaN
where NaN, and the types of the values (int, float, bool) and the frames' dtypes too: so the
pooled summary's workshops are the workshops' own summaries.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from test_stats import ANSWER_DTYPES, make_codebook, paired_of, scores_of

from analysis import results
from analysis.config import PROCESSED
from analysis.stats import (
    bf10_jzs,
    bf10_jzs_many,
    d_z_exact_ci,
    holm,
    item_table,
    item_tables_by_workshop,
    mcnemar_exact,
    mean_ci,
    paired_summary,
    reaction_summaries_by_workshop,
    reaction_summary,
    subgroup_table,
    subgroup_tables_by_workshop,
    summaries_by_workshop,
    topic_table,
    topic_tables_by_workshop,
    workshop_summary,
)
from analysis.stats.grouped import (
    d_z_exact_cis,
    holm_rows,
    mcnemar_pvalues,
    mean_cis,
    paired_summaries,
    wilcoxon_pvalues,
)
from analysis.stats.measures import PAIRED_KEYS
from analysis.stats.pooled import workshop_summaries

# --------------------------------------------------------------------------------------------
# comparing results


def same_value(a, b, rel: float = 0.0) -> bool:
    """Equal (to ``rel``; NaN as NaN), of the same kind: int, float, bool, text."""
    if isinstance(a, bool | np.bool_) or isinstance(b, bool | np.bool_):
        return type(a) is type(b) and a == b
    if isinstance(a, float | np.floating) and isinstance(b, float | np.floating):
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b or abs(a - b) <= rel * max(abs(a), abs(b))
    if a is pd.NA or b is pd.NA:
        return a is b
    return type(a) is type(b) and a == b


def assert_same_summary(got: dict, want: dict, where: str) -> None:
    assert list(got) == list(want), where
    bad = {k: (got[k], want[k]) for k in want if not same_value(got[k], want[k])}
    assert not bad, f"{where}: {bad}"


def assert_same_frame(got: pd.DataFrame, want: pd.DataFrame, where: str) -> None:
    assert list(got.columns) == list(want.columns), where
    assert got.index.equals(want.index), where
    assert got.dtypes.to_dict() == want.dtypes.to_dict(), where
    for col in want.columns:
        pairs = zip(got[col].tolist(), want[col].tolist(), strict=True)
        bad = [(i, a, b) for i, (a, b) in enumerate(pairs) if not same_value(a, b)]
        assert not bad, f"{where}, {col}: {bad[:3]}"


def test_the_comparison_fails_on_a_difference():
    s = {"a": 1.0, "n": 3, "p": float("nan")}
    assert_same_summary(s, dict(s), "same")
    for other in ({"a": 1.0 + 2e-16, "n": 3, "p": s["p"]}, {"a": 1.0, "n": 3.0, "p": s["p"]}):
        with pytest.raises(AssertionError):
            assert_same_summary(other, s, "differs")
    with pytest.raises(AssertionError):
        assert_same_summary({"a": 1.0, "n": 3, "p": 0.5}, s, "NaN")
    f = pd.DataFrame({"x": [1.0, 2.0], "n": [1, 2]})
    with pytest.raises(AssertionError):
        assert_same_frame(f.assign(n=[1.0, 2.0]), f, "dtype")
    with pytest.raises(AssertionError):
        assert_same_frame(f.assign(x=[1.0, 2.0 + 4e-16]), f, "value")


# --------------------------------------------------------------------------------------------
# simulated workshops reaching every branch

#: (workshop, linked participants, pre-test only, post-test only, how the post-test relates).
SPEC = [
    ("W01", 0, 6, 0, "learn"),  # no post-test at all: 0 pairs
    ("W02", 1, 3, 1, "learn"),  # one pair
    ("W03", 2, 1, 0, "learn"),  # two pairs
    ("W04", 4, 2, 1, "learn"),  # four pairs
    ("W05", 9, 2, 0, "same"),  # every difference zero
    ("W06", 8, 0, 0, "shift"),  # one more item right for everyone: no SD of the differences
    ("W07", 12, 3, 2, "learn"),  # small, with ties: Wilcoxon's permutation test
    ("W08", 0, 0, 5, "learn"),  # post-tests only
    ("W09", 2, 0, 0, "same"),  # two pairs, both unchanged
    ("W10", 3, 0, 0, "learn"),  # three pairs, nobody unlinked (no imputation)
    ("W11", 60, 8, 3, "learn"),  # large: normal approximation
    *[
        (f"W{12 + i}", n, u, v, "learn")
        for i, (n, u, v) in enumerate(
            [(14, 2, 1), (18, 3, 0), (22, 1, 2), (25, 4, 1), (30, 0, 0), (16, 2, 2), (40, 5, 3)]
        )
    ],
]


def _answers(rng, codebook, rows) -> pd.DataFrame:
    kn = codebook.loc[codebook["section"] == "knowledge"]
    k = len(kn)
    frames = []
    for wid, pid, phase, correct in rows:
        wrong = rng.choice(["B", "C", "D", ""], k, p=[0.3, 0.3, 0.3, 0.1])
        response = np.where(correct, "A", wrong)
        frames.append(
            pd.DataFrame(
                {
                    "workshop_id": wid,
                    "participant_id": pid,
                    "phase": phase,
                    "item_id": kn["item_id"].to_numpy(),
                    "response": response,
                    "status": np.where(response == "", "blank", "valid"),
                    "correct": correct,
                }
            )
        )
        if phase == "post":
            lik = rng.integers(1, 6, 6).astype(str).astype(object)
            lik[rng.random(6) < 0.1] = ""
            lik[rng.random(6) < 0.05] = "9"
            status = np.where(lik == "", "blank", np.where(lik == "9", "invalid", "valid"))
            frames.append(
                pd.DataFrame(
                    {
                        "workshop_id": wid,
                        "participant_id": pid,
                        "phase": phase,
                        "item_id": [f"R{i:02d}" for i in range(1, 7)],
                        "response": lik,
                        "status": status,
                        "correct": pd.NA,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True).astype(ANSWER_DTYPES)


def many_workshops(seed: int = 7) -> dict[str, pd.DataFrame]:
    """Processed frames of the workshops of ``SPEC``, in the shapes of DATA-CONTRACT."""
    rng = np.random.default_rng(seed)
    cb = make_codebook()
    kn = cb.loc[cb["section"] == "knowledge"]
    k = len(kn)
    easy = rng.normal(0.2, 0.8, k)
    rows, demo = [], []
    for wid, linked, pre_only, post_only, mode in SPEC:
        for i in range(linked + pre_only + post_only):
            pid = f"{wid}-P{i:03d}"
            ability = rng.normal()
            pre = rng.random(k) < 1 / (1 + np.exp(-(ability + easy)))
            if mode == "shift":
                pre[-1] = False
            if mode == "learn":
                post = rng.random(k) < 1 / (1 + np.exp(-(ability + easy + 0.7)))
            else:
                post = pre.copy()
                if mode == "shift":
                    post[-1] = True
            if i < linked + pre_only:
                rows.append((wid, pid, "pre", pre))
            if i < linked or i >= linked + pre_only:
                rows.append((wid, pid, "post", post))
            demo.append(
                {
                    "participant_id": pid,
                    "gender": rng.choice(["female", "male", None], p=[0.3, 0.65, 0.05]),
                    "community": rng.choice(["Albanian", "Serb", "Turkish", "other"]),
                    "years_of_service": (
                        np.nan if rng.random() < 0.1 else float(rng.integers(0, 35))
                    ),
                }
            )
    answers = _answers(rng, cb, rows)
    demo = pd.DataFrame(demo).astype({"participant_id": "string", "gender": "string"})
    demo = demo.astype({"community": "string"})
    return {"codebook": cb, "answers": answers, **_scores_and_pairs(answers, kn, demo)}


def _scores_and_pairs(answers, kn, demo) -> dict[str, pd.DataFrame]:
    scores = scores_of(answers, kn).merge(demo, on="participant_id")
    paired = paired_of(scores, demo)
    return {"scores": scores, "paired": paired}


class _Data:
    """Processed frames, split by workshop for the per-workshop functions."""

    def __init__(self, scores, paired, answers, codebook, synthetic, ids):
        self.scores, self.paired, self.answers = scores, paired, answers
        self.codebook, self.synthetic, self.ids = codebook, synthetic, ids

    def rows(self, name: str, wid: str) -> pd.DataFrame:
        frame = getattr(self, name)
        return frame.loc[(frame["workshop_id"] == wid).fillna(False).to_numpy(dtype=bool)]


@pytest.fixture(scope="module", params=["shipped", "many"])
def data(request) -> _Data:
    if request.param == "shipped":
        d = results.load(PROCESSED)
        ids = d.registry["workshop_id"].astype(str).tolist()
        return _Data(d.scores, d.paired, d.answers, d.codebook, d.synthetic, ids)
    f = many_workshops()
    ids = [s[0] for s in SPEC] + ["W99"]  # W99: in the registry, without any row
    return _Data(f["scores"], f["paired"], f["answers"], f["codebook"], True, ids)


def test_the_simulated_workshops_reach_every_branch():
    f = many_workshops()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = {
            w: workshop_summary(
                *(f[k].loc[f[k]["workshop_id"] == w] for k in ("scores", "paired", "answers")),
                f["codebook"],
                workshop_id=w,
                synthetic=True,
            )
            for w, *_ in SPEC
        }
    assert {0, 1, 2, 4} <= {v["n_paired"] for v in s.values()}
    assert s["W01"]["n_post"] == 0 and s["W08"]["n_pre"] == 0
    assert math.isnan(s["W05"]["wilcoxon_p"]) and s["W05"]["pct_unchanged"] == 100.0
    assert math.isnan(s["W06"]["t_stat"]) and s["W06"]["diff_sd"] == 0.0
    assert math.isfinite(s["W07"]["wilcoxon_p"]) and s["W07"]["n_paired"] <= 13
    assert math.isfinite(s["W07"]["gain_mi"]) and math.isfinite(s["W10"]["gain_mi"])
    assert math.isnan(s["W02"]["gain_mi"]) and math.isfinite(s["W11"]["bf10"])


# --------------------------------------------------------------------------------------------
# each batched table against its per-workshop function


def test_summaries_equal_workshop_summary(data):
    got = summaries_by_workshop(
        data.scores,
        data.paired,
        data.answers,
        data.codebook,
        synthetic=data.synthetic,
        workshop_ids=data.ids,
    )
    assert list(got) == data.ids
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for w in data.ids:
            want = workshop_summary(
                data.rows("scores", w),
                data.rows("paired", w),
                data.rows("answers", w),
                data.codebook,
                workshop_id=w,
                synthetic=data.synthetic,
            )
            assert_same_summary(got[w], want, w)


def test_topic_tables_equal_topic_table(data):
    got = topic_tables_by_workshop(data.scores, data.codebook, data.ids)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for w in data.ids:
            assert_same_frame(got[w], topic_table(data.rows("scores", w), data.codebook), w)


def test_item_tables_equal_item_table(data):
    got = item_tables_by_workshop(data.answers, data.codebook, data.ids)
    for w in data.ids:
        assert_same_frame(got[w], item_table(data.rows("answers", w), data.codebook), w)


def test_reaction_summaries_equal_reaction_summary(data):
    got = reaction_summaries_by_workshop(data.answers, data.codebook, data.ids)
    for w in data.ids:
        want = reaction_summary(data.rows("answers", w), data.codebook)
        assert_same_frame(got[w], want, w)


def test_subgroup_tables_equal_subgroup_table(data):
    got = subgroup_tables_by_workshop(data.paired, data.ids)
    for w in data.ids:
        assert_same_frame(got[w], subgroup_table(data.rows("paired", w)), w)
    shown = pd.concat(got.values())
    assert shown["suppressed"].any() and (~shown["suppressed"]).any()


def test_default_workshops_are_those_of_the_frame_in_order():
    f = many_workshops()
    got = summaries_by_workshop(
        f["scores"], f["paired"], f["answers"], f["codebook"], synthetic=True
    )
    assert list(got) == list(dict.fromkeys(f["scores"]["workshop_id"].astype(str)))
    assert [
        s["workshop_id"]
        for s in workshop_summaries(
            *(f[k] for k in ("scores", "paired", "answers", "codebook")), True
        )
    ] == list(got)
    assert list(item_tables_by_workshop(f["answers"], f["codebook"])) == list(
        dict.fromkeys(f["answers"]["workshop_id"].astype(str))
    )


# --------------------------------------------------------------------------------------------
# the grouped statistics against the single ones


def _groups(rng, sizes):
    g = np.repeat(np.arange(len(sizes)), sizes)
    return g[rng.permutation(g.size)]


def test_paired_summaries_equal_paired_summary():
    rng = np.random.default_rng(3)
    sizes = rng.choice([0, 1, 2, 3, 4, 6, 13, 14, 30, 51], 50)
    g = _groups(rng, sizes)
    x = rng.integers(0, 11, g.size) * 10.0
    y = np.clip(x + rng.integers(-2, 4, g.size) * 10.0, 0, 100)
    y[np.isin(g, [5, 17])] = x[np.isin(g, [5, 17])]  # every difference zero
    x[rng.random(g.size) < 0.03] = np.nan
    got = paired_summaries(x, y, g, sizes.size, n_items=10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(sizes.size):
            want = paired_summary(x[g == i], y[g == i], n_items=10)
            row = {key: got[key][i].item() for key in PAIRED_KEYS}
            row["t_df"] = int(row["t_df"]) if row["n_paired"] >= 2 else row["t_df"]
            assert_same_summary(row, want, f"group {i}")


def test_wilcoxon_pvalues_equal_scipy_in_every_branch():
    rng = np.random.default_rng(4)
    sizes = np.array([1, 2, 3, 4, 5, 8, 12, 13, 14, 20, 50, 51, 70] * 6)
    g = _groups(rng, sizes)
    before = rng.integers(0, 8, g.size).astype(float)
    after = before + rng.integers(-3, 5, g.size)  # zeros and ties
    untied = np.isin(g, np.arange(0, sizes.size, 3))  # exact test: distinct non-zero |d|
    after[untied] = (
        before[untied]
        + rng.permutation(np.arange(1, untied.sum() + 1)) * (rng.choice([-1, 1], untied.sum())) / 7
    )
    got = wilcoxon_pvalues(after, before, g, sizes.size)
    for i in range(sizes.size):
        a, b = after[g == i], before[g == i]
        want = sps.wilcoxon(a, b).pvalue if np.any(a != b) else np.nan
        assert same_value(float(got[i]), float(want)), (i, sizes[i], got[i], want)


def test_d_z_exact_cis_equal_d_z_exact_ci_to_the_bit():
    rng = np.random.default_rng(5)
    t = np.concatenate([rng.normal(0, 4, 200), [0.0, 1e-9, -35.0, 120.0, np.nan]])
    n = np.concatenate([rng.integers(2, 400, 200), [2, 3, 2, 9000, 10]])
    low, high = d_z_exact_cis(t, n)
    want = np.array([d_z_exact_ci(a, b) for a, b in zip(t, n, strict=True)])
    assert np.array_equal(low, want[:, 0], equal_nan=True)
    assert np.array_equal(high, want[:, 1], equal_nan=True)


def test_bf10_jzs_many_equals_bf10_jzs_to_the_bit():
    rng = np.random.default_rng(6)
    t = np.concatenate([rng.normal(0, 3, 60), rng.normal(15, 20, 20), [0.0, 300.0, np.inf]])
    n = np.concatenate([rng.integers(2, 60, 60), rng.integers(2, 9000, 20), [2, 20000, 5]])
    want = np.array([bf10_jzs(a, b) for a, b in zip(t, n, strict=True)])
    assert np.array_equal(bf10_jzs_many(t, n), want, equal_nan=True)
    assert np.isnan(bf10_jzs_many([2.0], [1])[0])


def test_holm_mcnemar_and_mean_rows_equal_the_single_ones():
    rng = np.random.default_rng(8)
    p = rng.random((50, 6))
    p[rng.random(p.shape) < 0.3] = np.nan
    p[3] = np.nan
    p[4] = 0.2
    assert np.array_equal(holm_rows(p), np.array([holm(r) for r in p]), equal_nan=True)
    b, c = rng.integers(0, 25, 300), rng.integers(0, 25, 300)
    b[:5] = c[:5] = 0
    want = [mcnemar_exact(i, j)["p_value"] for i, j in zip(b, c, strict=True)]
    assert np.array_equal(mcnemar_pvalues(b, c), want)
    x, g = rng.normal(size=200), rng.integers(0, 60, 200)
    got = np.array(mean_cis(x, g, 64)).T
    for i in range(64):
        assert all(same_value(a, b) for a, b in zip(got[i], mean_ci(x[g == i]), strict=True))
