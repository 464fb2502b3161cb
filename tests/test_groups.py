"""One implementation per statistic: a group's result with ``by=`` is its rows' alone (issue 22).

Every per-report statistic computes one workshop or many in one call, by the same code; the
invariant is that a workshop's result with ``by="workshop_id"`` equals the result of the call
on that workshop's rows alone, to the last bit (the groups' rows are reduced in their own
order), with the same kinds of values (int, float, bool) and, for frames, the same columns and
dtypes (the ``by`` column first). It is checked on the shipped data and on simulated
workshops that reach every branch: 0, 1, 2 and 4 pairs, no post-test, no pre-test, every
difference zero, a constant shift (no SD), small workshops with ties (Wilcoxon's permutation
test, n <= 13), large ones (normal approximation), workshops without rows. The library does
the work where it can: the Wilcoxon p-values are ``scipy.stats.wilcoxon``'s own, group by
group, and the exact interval of ``d_z`` is checked against the published values.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from test_stats import ANSWER_DTYPES, make_codebook, paired_of, scores_of

from analysis import results
from analysis.config import PROCESSED
from analysis.stats import (
    attrition_analysis,
    bf10_jzs,
    d_z_exact_ci,
    holm,
    item_table,
    item_total_correlation,
    kr20,
    kr20_by_phase,
    mcnemar_exact,
    mean_ci,
    paired_summary,
    rank_biserial,
    reaction_summary,
    reliability_by_phase,
    reliable_change,
    subgroup_table,
    topic_table,
    workshop_summary,
)
from analysis.stats.pooled import workshop_summaries

REPORTS = Path(__file__).resolve().parents[1] / "reports"

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


def assert_same_frame(
    got: pd.DataFrame, want: pd.DataFrame, where: str, loose: tuple[str, ...] = ()
) -> None:
    """The same columns, index, dtypes and values; in the ``loose`` columns (an integer column
    of one group that is float among groups with NaN) an int equals the same float."""
    assert list(got.columns) == list(want.columns), where
    assert got.index.equals(want.index), where
    dtypes = {c: d for c, d in got.dtypes.items() if c not in loose}
    assert dtypes == {c: d for c, d in want.dtypes.items() if c not in loose}, where
    for col in want.columns:
        pairs = zip(got[col].tolist(), want[col].tolist(), strict=True)
        if col in loose:
            pairs = ((float(a), float(b)) for a, b in pairs)
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
# each statistic of frames: a workshop's part of the by= result is its rows' result


def _part(table: pd.DataFrame, wid: str) -> pd.DataFrame:
    """The rows of one group of a ``by="workshop_id"`` table, without the ``by`` column."""
    rows = table.loc[table["workshop_id"] == wid].drop(columns="workshop_id")
    return rows.reset_index(drop=True)


def _check_table(data, name, function, frame, *args, loose=(), **kwargs):
    got = function(getattr(data, frame), *args, by="workshop_id", groups=data.ids, **kwargs)
    assert got.columns[0] == "workshop_id", name
    assert got.index.equals(pd.RangeIndex(len(got))), name
    assert list(dict.fromkeys(got["workshop_id"])) == [
        w for w in data.ids if (got["workshop_id"] == w).any()
    ]
    for w in data.ids:
        want = function(data.rows(frame, w), *args, **kwargs)
        if want.empty:  # no rows: its part has none, its columns the table's dtypes
            assert _part(got, w).empty and list(_part(got, w).columns) == list(want.columns)
            continue
        assert_same_frame(_part(got, w), want, f"{name} {w}", loose=loose)
    return got


def test_workshop_summary_by_workshop(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = workshop_summary(
            data.scores,
            data.paired,
            data.answers,
            data.codebook,
            synthetic=data.synthetic,
            by="workshop_id",
            groups=data.ids,
        )
        assert list(got) == data.ids
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


def test_topic_table_by_workshop(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check_table(data, "topics", topic_table, "scores", data.codebook, loose=("t_df",))


def test_item_table_by_workshop(data):
    _check_table(data, "items", item_table, "answers", data.codebook)


def test_reaction_summary_by_workshop(data):
    _check_table(data, "reaction", reaction_summary, "answers", data.codebook)


def test_reliability_by_phase_by_workshop(data):
    got = _check_table(data, "reliability", reliability_by_phase, "answers", data.codebook)
    assert len(got) == 2 * len(data.ids)  # a workshop without rows: its two rows of n = 0
    k = kr20_by_phase(data.answers, data.codebook, by="workshop_id", groups=data.ids)
    for w in data.ids:
        assert_same_summary(k[w], kr20_by_phase(data.rows("answers", w), data.codebook), w)


def test_subgroup_table_by_workshop(data):
    got = _check_table(data, "subgroups", subgroup_table, "paired")
    assert got["suppressed"].any() and (~got["suppressed"]).any()


def test_attrition_analysis_by_workshop(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = attrition_analysis(data.scores, data.paired, m=20, by="workshop_id", groups=data.ids)
        for w in data.ids:
            want = attrition_analysis(data.rows("scores", w), data.rows("paired", w), m=20)
            for part in want:
                assert_same_summary(got[w][part], want[part], f"{w} {part}")


def test_default_groups_are_those_of_the_first_frame_in_order():
    f = many_workshops()
    got = workshop_summary(
        f["scores"], f["paired"], f["answers"], f["codebook"], synthetic=True, by="workshop_id"
    )
    assert list(got) == list(dict.fromkeys(f["scores"]["workshop_id"].astype(str)))
    assert [
        s["workshop_id"]
        for s in workshop_summaries(
            *(f[k] for k in ("scores", "paired", "answers", "codebook")), True
        )
    ] == list(got)
    items = item_table(f["answers"], f["codebook"], by="workshop_id")
    assert list(dict.fromkeys(items["workshop_id"])) == list(
        dict.fromkeys(f["answers"]["workshop_id"].astype(str))
    )
    # groups chooses and orders; a group without rows gets what its empty rows give
    two = topic_table(f["scores"], f["codebook"], by="workshop_id", groups=["W99", "W04"])
    assert two["workshop_id"].tolist() == ["W99"] * 5 + ["W04"] * 5
    empty = topic_table(f["scores"].iloc[:0], f["codebook"])
    assert_same_frame(_part(two, "W99"), empty, "empty", loose=("t_df",))
    frames = [f[k] for k in ("scores", "paired", "answers")]
    two = workshop_summary(
        *frames, f["codebook"], synthetic=True, by="workshop_id", groups=["W99", "W04"]
    )
    assert list(two) == ["W99", "W04"]
    for w in two:
        rows = [x.loc[(x["workshop_id"] == w).to_numpy(dtype=bool, na_value=False)] for x in frames]
        want = workshop_summary(*rows, f["codebook"], workshop_id=w, synthetic=True)
        assert_same_summary(two[w], want, w)


def test_without_by_the_call_is_as_before(data):
    # the one-group case returns what it always returned: no by column, plain values
    s = workshop_summary(
        data.rows("scores", data.ids[1]),
        data.rows("paired", data.ids[1]),
        data.rows("answers", data.ids[1]),
        data.codebook,
        synthetic=data.synthetic,
    )
    assert s["workshop_id"] == data.ids[1]  # the one workshop of the rows, when not given
    json.dumps(s)
    t = topic_table(data.rows("scores", data.ids[1]), data.codebook)
    assert list(t.columns)[0] == "topic"
    with pytest.raises(ValueError, match="workshop_id"):
        workshop_summary(
            data.scores, data.paired, data.answers, data.codebook, synthetic=data.synthetic
        )


# --------------------------------------------------------------------------------------------
# each statistic of arrays: a group's part of the by= result is its values' result


def _groups(rng, sizes):
    g = np.repeat(np.arange(len(sizes)), sizes)
    return g[rng.permutation(g.size)]


def test_paired_summary_by_labels_equals_each_group_alone():
    rng = np.random.default_rng(3)
    sizes = rng.choice([0, 1, 2, 3, 4, 6, 9, 14, 30, 51], 40)
    g = _groups(rng, sizes)
    x = rng.integers(0, 11, g.size) * 10.0
    y = np.clip(x + rng.integers(-2, 4, g.size) * 10.0, 0, 100)
    y[np.isin(g, [5, 17])] = x[np.isin(g, [5, 17])]  # every difference zero
    y[g == 7] = np.minimum(x[g == 7] + 10.0, 100)  # (nearly) a constant shift
    x[rng.random(g.size) < 0.03] = np.nan
    ids = [f"g{i}" for i in range(sizes.size)]
    labels = np.array(ids, dtype=object)[g]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = paired_summary(x, y, n_items=10, by=labels, groups=ids)
        assert list(got) == ids
        for i, w in enumerate(ids):
            assert_same_summary(got[w], paired_summary(x[g == i], y[g == i], n_items=10), w)


def test_wilcoxon_p_is_scipys_own_in_every_branch():
    # exact (no zero, no tie, n <= 50), permutation (a zero or tie, n <= 13), normal
    # approximation (ties beyond 13, or n > 50): scipy chooses per call, the groups reach it in
    # stacks of one length and kind, so each p is what scipy gives on that group alone
    rng = np.random.default_rng(4)
    sizes = np.array([1, 2, 3, 4, 5, 8, 12, 13, 14, 20, 50, 51, 70] * 3)
    g = _groups(rng, sizes)
    before = rng.integers(0, 8, g.size).astype(float)
    after = before + rng.integers(-3, 5, g.size)  # zeros and ties
    untied = np.isin(g, np.arange(0, sizes.size, 3))  # exact test: distinct non-zero |d|
    after[untied] = (
        before[untied]
        + rng.permutation(np.arange(1, untied.sum() + 1)) * (rng.choice([-1, 1], untied.sum())) / 7
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = paired_summary(before, after, by=g, groups=range(sizes.size))
        for i in range(sizes.size):
            a, b = after[g == i], before[g == i]
            want = sps.wilcoxon(a, b).pvalue if np.any(a != b) else np.nan
            assert same_value(got[str(i)]["wilcoxon_p"], float(want)), (i, sizes[i])


def test_the_other_statistics_of_arrays_by_labels():
    rng = np.random.default_rng(8)
    g = rng.integers(0, 30, 300)
    ids = list(range(32))  # two groups without values
    x = rng.normal(size=g.size)
    got = mean_ci(x, by=g, groups=ids)
    for i in ids:
        assert all(map(same_value, got[str(i)], mean_ci(x[g == i])))
    d = rng.integers(-3, 4, g.size).astype(float)
    got = rank_biserial(d, by=g, groups=ids)
    assert all(same_value(got[str(i)], rank_biserial(d[g == i])) for i in ids)
    p = rng.random(g.size)
    p[rng.random(g.size) < 0.2] = np.nan
    got = holm(p, by=g, groups=ids)
    assert all(np.array_equal(got[str(i)], holm(p[g == i]), equal_nan=True) for i in ids)
    m = (rng.random((g.size, 6)) < 0.6).astype(int)
    got = kr20(m, by=g, groups=ids)
    assert all(same_value(got[str(i)], kr20(m[g == i])) for i in ids)
    got = item_total_correlation(m, by=g, groups=ids)
    for i in ids:
        assert np.array_equal(got[str(i)], item_total_correlation(m[g == i]), equal_nan=True)
    b, c = rng.integers(0, 25, g.size), rng.integers(0, 25, g.size)
    b[:5] = c[:5] = 0
    many = mcnemar_exact(b, c)
    for j in range(g.size):
        one = mcnemar_exact(int(b[j]), int(c[j]))
        assert all(many[key][j] == one[key] for key in one)
    got = mcnemar_exact(b, c, by=g, groups=ids)
    assert np.array_equal(got["3"]["p_value"], many["p_value"][g == 3])
    pre, post = rng.integers(0, 21, g.size) * 5.0, rng.integers(0, 21, g.size) * 5.0
    sd = {str(i): 5.0 + i for i in ids[:-3]}  # the last three groups without an SD: NaN
    got = reliable_change(pre, post, sd_pre=sd, reliability=0.7, by=g, groups=ids)
    for i in ids:
        want = reliable_change(
            pre[g == i], post[g == i], sd_pre=sd.get(str(i), np.nan), reliability=0.7
        )
        assert list(got[str(i)]) == list(want)
        rci, rci_want = got[str(i)].pop("rci"), want.pop("rci")
        assert np.array_equal(rci, rci_want, equal_nan=True)
        assert_same_summary(got[str(i)], want, str(i))


def test_d_z_interval_and_bf10_of_arrays_equal_each_alone():
    rng = np.random.default_rng(5)
    t = np.concatenate([rng.normal(0, 4, 60), [0.0, 1e-9, -35.0, 120.0, np.nan]])
    n = np.concatenate([rng.integers(2, 400, 60), [2, 3, 2, 9000, 10]])
    low, high = d_z_exact_ci(t, n)
    for a, b, lo, hi in zip(t, n, low, high, strict=True):
        assert same_value(float(lo), d_z_exact_ci(a, b)[0])
        assert same_value(float(hi), d_z_exact_ci(a, b)[1])
    # each bound solves its noncentral-t equation
    ok = np.isfinite(low)
    df, root_n = n[ok] - 1, np.sqrt(n[ok])
    np.testing.assert_allclose(sps.nct.cdf(t[ok], df, low[ok] * root_n), 0.975, atol=1e-12)
    np.testing.assert_allclose(sps.nct.cdf(t[ok], df, high[ok] * root_n), 0.025, atol=1e-12)
    t = np.concatenate([rng.normal(0, 3, 20), [0.0, 300.0, np.inf]])
    n = np.concatenate([rng.integers(2, 9000, 20), [2, 20000, 5]])
    many = bf10_jzs(t, n)
    assert all(same_value(float(v), bf10_jzs(a, b)) for v, a, b in zip(many, t, n, strict=True))
    assert np.isnan(bf10_jzs([2.0], [1])[0])


def _published_t_tests() -> list[tuple[str, float, int, float, float]]:
    """Every published paired t-test with its d_z interval: each workshop's and the topics'."""
    rows = []
    for path in sorted(REPORTS.glob("*/summary.json")):
        s = json.loads(path.read_text(encoding="utf-8"))
        if "d_z_ci_low" in s:
            rows.append(
                (path.parent.name, s["t_stat"], s["n_paired"], s["d_z_ci_low"], s["d_z_ci_high"])
            )
    for path in sorted(REPORTS.glob("*/tables/topic_tests.csv")):
        t = pd.read_csv(path)
        for r in t.itertuples():
            rows.append(
                (
                    f"{path.parent.parent.name} {r.topic}",
                    r.statistic,
                    r.n,
                    r.d_z_ci_low,
                    r.d_z_ci_high,
                )
            )
    return rows


def test_d_z_interval_reproduces_the_published_values():
    # the published intervals were found by scipy's brentq (xtol 1e-10), these by
    # elementwise.find_root to 4 ulps: every bound within 1e-9 relative, the small ones too
    rows = _published_t_tests()
    assert len(rows) >= 25 and min(abs(r[3]) for r in rows) < 0.01
    t = np.array([r[1] for r in rows])
    n = np.array([r[2] for r in rows])
    low, high = d_z_exact_ci(t, n)
    np.testing.assert_allclose(low, [r[3] for r in rows], rtol=1e-9, atol=0)
    np.testing.assert_allclose(high, [r[4] for r in rows], rtol=1e-9, atol=0)


def test_bf10_is_rouders_integral_over_g():
    # Rouder et al. (2009), eq. 1, integrated here over g in (0, inf) with scipy's quad, term
    # by term as written; bf10_jzs integrates its log over log g by tanh-sinh
    from scipy import integrate

    r = math.sqrt(2) / 2

    def by_quad(t: float, n: int) -> float:
        nu = n - 1

        def f(g: float) -> float:
            lik = (1 + n * g) ** -0.5 * (1 + t * t / ((1 + n * g) * nu)) ** (-(nu + 1) / 2)
            return lik * r / math.sqrt(2 * math.pi) * g**-1.5 * math.exp(-r * r / (2 * g))

        parts = [
            integrate.quad(f, a, b, epsabs=0, epsrel=1e-12, limit=500)[0]
            for a, b in ((0, 1e-3), (1e-3, 1), (1, 1e3), (1e3, np.inf))
        ]
        return sum(parts) / (1 + t * t / nu) ** (-(nu + 1) / 2)

    cases = [(-4.062128, 10), (0.0, 2), (0.5, 3), (1.7, 25), (-2.4, 60), (3.1, 140), (5.0, 40)]
    got = bf10_jzs([t for t, _ in cases], [n for _, n in cases])
    want = [by_quad(t, n) for t, n in cases]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=0)
