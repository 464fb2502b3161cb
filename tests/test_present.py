"""The presentation layer turns results into tables and sentences, checked against numbers
recomputed here with scipy and statsmodels from data/processed; the results layer checks a
workshop id once and splits the data once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestPower

from analysis import results, stats
from analysis.errors import DataError
from analysis.present import prose, series, tables
from analysis.present.display import json_value
from analysis.present.locale import fmt_date, fmt_num, fmt_p, language
from analysis.stats import pooled

from conftest import ROOT

PROCESSED = ROOT / "data" / "processed"


@pytest.fixture(scope="module")
def data():
    return results.load(PROCESSED)


def summary_of(data, wid: str) -> dict:
    w = results.workshop(data, wid)
    return stats.workshop_summary(
        w.scores, w.paired, w.answers, data.codebook, workshop_id=wid, synthetic=data.synthetic
    )


@pytest.fixture(scope="module")
def w1(data):
    return data, results.workshop(data, "W1"), summary_of(data, "W1")


def test_a_workshop_id_is_checked_once_against_the_registry(data):
    assert results.workshop(data, " w2 ").workshop_id == "W2"  # case and spaces ignored
    with pytest.raises(
        DataError, match=r"workshop_id ../W9: no such workshop in .*workshops\.csv. Accepted: W1"
    ):
        results.workshop(data, "../W9")
    with pytest.raises(DataError, match="Accepted: W1, W2, W3, W4"):
        results.resolve_workshop(results.workshop_ids(PROCESSED), "W5", PROCESSED)


def test_the_data_is_split_by_workshop_once_and_matches_a_filter(data):
    for wid, part in data.workshops.items():
        for name in ("scores", "paired", "answers"):
            frame = getattr(data, name)
            expected = frame.loc[frame["workshop_id"] == wid]
            pd.testing.assert_frame_equal(getattr(part, name), expected)
        assert part.flow["paired"] == int(data.flow.set_index("workshop_id").loc[wid, "paired"])
    assert data.workshops is data.workshops  # computed once


def test_topic_tests_table_carries_every_paired_statistic(w1):
    data, w, _ = w1
    topics = stats.topic_table(w.scores, data.codebook)
    table = tables.topic_tests_display(topics)
    assert list(table.columns) == [
        "Topic", "n", "t", "df", "p", "p (Holm)", "Wilcoxon p", "Wilcoxon p (Holm)",
        "Rank-biserial r", "d_z 95% CI", "g_av", "Hake's g", "Mean normalized change",
        "Improved / unchanged / declined (%)",
    ]  # fmt: skip
    # recompute here: linked participants' topic scores, paired t and Wilcoxon, Holm over topics
    scores = pd.read_csv(PROCESSED / "scores.csv")
    s = scores.loc[scores["workshop_id"] == "W1"]
    wide = s.pivot(index="participant_id", columns="phase")
    kn = data.codebook.loc[data.codebook["section"] == "knowledge"]
    p_t, p_w = [], []
    for i, (topic, k) in enumerate(kn.groupby("topic", sort=False).size().items()):
        col = f"topic_{topic}_pct"
        pair = wide[col].dropna()
        pre, post = pair["pre"].to_numpy(), pair["post"].to_numpy()
        tt = sps.ttest_rel(post, pre)
        wil = sps.wilcoxon(np.rint(post * k / 100), np.rint(pre * k / 100))
        p_t.append(tt.pvalue)
        p_w.append(wil.pvalue)
        row = table.iloc[i]
        assert row["n"] == len(pair)
        assert (row["t"], row["df"]) == (f"{tt.statistic:.2f}", str(len(pair) - 1))
        d = post - pre
        improved = [100 * np.mean(d > 0), 100 * np.mean(d == 0), 100 * np.mean(d < 0)]
        assert row["Improved / unchanged / declined (%)"] == " / ".join(
            fmt_num(v, 0) for v in improved
        )
        hake = (post.mean() - pre.mean()) / (100 - pre.mean())
        assert row["Hake's g"] == fmt_num(hake, 2)
    holm_t = multipletests(p_t, method="holm")[1]
    holm_w = multipletests(p_w, method="holm")[1]
    assert list(table["p (Holm)"]) == [fmt_p(p).split(" ", 1)[1].lstrip("= ") for p in holm_t]
    assert list(table["Wilcoxon p (Holm)"]) == [
        fmt_p(p).split(" ", 1)[1].lstrip("= ") for p in holm_w
    ]
    with language("sq"):
        sq = tables.topic_tests_display(topics)
    assert sq.shape == table.shape and "," in sq.iloc[0, 2]


def test_sensitivity_table_shows_the_minimal_detectable_effect(w1):
    _, _, s = w1
    n = s["n_paired"]
    mde = TTestPower().solve_power(effect_size=None, nobs=n, alpha=0.05, power=0.8)
    table = tables.sensitivity_display(s, stats.minimal_detectable_effect(n))
    values = dict(zip(table["Statistic"], table["Value"], strict=True))
    assert values["Linked participants (n)"] == str(n)
    assert values["Significance level α (two-sided)"] == "0.05"
    assert values["Power"] == "0.80"
    assert values["Minimal detectable d_z"] == f"{float(np.squeeze(mde)):.2f}"
    assert values["Observed d_z (95% CI)"] == (
        f"{s['d_z']:.2f} [{s['d_z_ci_low']:.2f}, {s['d_z_ci_high']:.2f}]"
    )


def test_items_text_names_the_phase_of_a_negative_discrimination():
    items = pd.DataFrame(
        {
            "item_id": ["K01", "K02", "K03"],
            "n_paired": [12, 12, 12],
            "pre_pct_correct": [50.0, 60.0, 70.0],
            "post_pct_correct": [60.0, 60.0, 40.0],
            "change_pct": [10.0, 0.0, -30.0],
            "mcnemar_p_holm": [0.5, 1.0, 0.04],
            "ceiling": [False, False, False],
            "discrimination_pre": [-0.10, -0.20, 0.30],
            "discrimination_post": [0.20, -0.05, 0.10],
        }
    )
    items["negative_discrimination"] = (items["discrimination_pre"] < 0) | (
        items["discrimination_post"] < 0
    )
    text = prose.items_text(items)
    assert "K01 (pre-test), K02 (both phases);" in text
    assert "K03 (70 → 40%)" in text and "1 of 3 items" in text
    with language("sq"):
        sq = prose.items_text(items)
    assert "K01 (paratesti), K02 (të dyja fazat);" in sq


def test_dates_are_written_in_the_report_language():
    assert fmt_date("2021-03-16", "en") == "16 March 2021"
    assert fmt_date("2021-03-25", "sq") == "25 mars 2021"
    assert fmt_date("2021-03-25", "sr") == "25. mart 2021."
    assert fmt_date("2021-12-01", "en") == "1 December 2021"


@pytest.mark.parametrize(
    ("pre", "post", "en"),
    [
        (0.82, 0.88, None),
        (0.59, 0.80, "Here the KR-20 (pre-test) falls below .70."),
        (0.60, 0.65, "Here KR-20 falls below .70 in both tests."),
    ],
)
def test_reliability_text_names_the_low_phases(pre, post, en):
    summary = {"kr20_pre": pre, "kr20_post": post}
    text = prose.reliability_text(summary, 20)
    assert text.startswith("KR-20 (Cronbach's alpha of the 20 right/wrong items) is")
    assert (en in text) if en else ("below .70." not in text.split("noise")[-1])


def test_apa_line_in_both_languages(w1):
    _, _, s = w1
    # BF10 beside the p-value (issue 16; bf10_jzs is tested against BayesFactor in test_evidence)
    assert prose.apa_paired(s) == (
        "t(13) = 3.56, p = .003, BF₁₀ = 13.6, d_z = 0.95, 95% CI [0.30, 1.58]"
    )
    with language("sq"):
        assert prose.apa_paired(s) == (
            "t(13) = 3,56; p = 0,003; BF₁₀ = 13,6; d_z = 0,95; 95% IB [0,30; 1,58]"
        )
    without = {k: v for k, v in s.items() if k != "bf10"}
    assert prose.apa_paired(without) == "t(13) = 3.56, p = .003, d_z = 0.95, 95% CI [0.30, 1.58]"


def test_committed_summaries_are_what_the_code_computes_now(data):
    """The committed reports/*/summary.json (which test_reports recomputes independently) are
    the code's current output on the committed data: together, the code is checked against
    the independent recomputation, not only the files."""
    import json
    import math

    fit = pooled.pooled_analysis(
        data.scores, data.paired, data.answers, data.codebook, data.synthetic
    ).summary
    now = {w["workshop_id"]: w for w in fit["workshops"]}
    for report, summary in [*now.items(), ("pooled", fit)]:
        for base in (ROOT / "reports", ROOT / "reports" / "sq"):
            stored = json.loads((base / report / "summary.json").read_text())
            fresh = json.loads(json.dumps(json_value(summary)))
            assert stored.keys() == fresh.keys(), report
            for key, value in fresh.items():
                if isinstance(value, float) and not math.isnan(value):
                    assert stored[key] == pytest.approx(value, rel=1e-7, abs=1e-12), (report, key)
                elif key != "workshops":
                    assert stored[key] == value, (report, key)
    for w, summary in now.items():
        assert summary == summary_of(data, w)


def test_sensitivity_text_follows_the_result(w1):
    data, _, s = w1
    text = prose.sensitivity_text(s, stats.minimal_detectable_effect(s["n_paired"]))
    assert "This gain is significant; the 95% CI of d_z, [0.30, 1.58]" in text
    assert "no evidence that the workshop had no effect" not in text
    w4 = summary_of(data, "W4")
    text = prose.sensitivity_text(w4, stats.minimal_detectable_effect(w4["n_paired"]))
    assert "not significant" in text and "effects as large as 0.94" in text


def test_pooled_limitations_carry_the_series_numbers(data):
    fit = pooled.pooled_analysis(
        data.scores, data.paired, data.answers, data.codebook, data.synthetic
    ).summary
    flow = pd.read_csv(PROCESSED / "flow.csv")
    paired, scored = int(flow["paired"].sum()), int(flow["scored_pre"].sum())
    kr = [w[f"kr20_{ph}"] for w in fit["workshops"] for ph in ("pre", "post")]
    text = series.pooled_limitations(fit["workshops"], fit["n_paired"], scored, False)
    attrition = fmt_num(100 * (1 - paired / scored), 0)
    assert f"{paired} of {scored} officers with a scored pre-test" in text
    assert f"({attrition}% not paired)" in text
    assert f"from {min(kr):.2f} to {max(kr):.2f}" in text
    assert f"{sum(k < 0.7 for k in kr)} of 8 values are below .70" in text
    # 58 paired participants: one negative phase is no longer called chance in a small group
    items = stats.item_table(data.answers, data.codebook)
    assert "group this small" not in prose.items_text(items)
