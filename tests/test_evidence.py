"""Deeper evidence (issue 16): each statistic against R or an exact property.

The R values were computed with Debian's R 4.2 (r-cran-psych 2.2, r-cran-bayesfactor 0.9.12);
the R code is beside each number. The project and its tests never need R.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_stats import SLEEP_1, SLEEP_2, make_frames, rows_of

from analysis.stats import (
    MIGRATIONS,
    POOLED_KEYS,
    SUMMARY_KEYS,
    answer_migration,
    attrition_analysis,
    bf10_jzs,
    bf_category,
    completer_comparison,
    distractor_shifts,
    impute_gain,
    item_table,
    kr20,
    kr20_feldt_ci,
    no_change_gain,
    option_shares,
    paired_summary,
    reliability_by_phase,
    reliable_change,
    rubin_pool,
    standard_error_of_measurement,
    workshop_summary,
)

# a second paired data set (made up for the test): the scores of 12 officers
PRE_12 = [40, 55, 35, 60, 45, 50, 70, 30, 65, 55, 45, 50]
POST_12 = [50, 60, 45, 70, 45, 65, 75, 40, 70, 60, 55, 50]


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return make_frames()


# --------------------------------------------------------------------------------------------
# 1. reliability


def test_feldt_interval_matches_psych_alpha_ci():
    # R: unlist(psych::alpha.ci(0.8, 30, 20))
    #   lower.ci 0.679316313651, upper.ci 0.890408693552
    # (= 1 - (1 - 0.8) * qf(c(0.975, 0.025), 29, 29 * 19))
    r = kr20_feldt_ci(0.8, 30, 20)
    assert r["ci_low"] == pytest.approx(0.679316313651, abs=1e-10)
    assert r["ci_high"] == pytest.approx(0.890408693552, abs=1e-10)
    assert r["estimate"] == 0.8 and (r["n"], r["k"]) == (30, 20)


def test_kr20_interval_and_sem_of_a_matrix_match_psych():
    # R: m <- matrix(c(1,1,1,0,1, 1,1,0,0,1, 1,0,0,0,1, 0,0,0,0,0, 1,1,1,1,1, 0,1,0,0,1,
    #                  1,1,1,0,0, 0,0,1,0,0), ncol = 5, byrow = TRUE)
    #    a <- psych::alpha(m)$total$raw_alpha        # 0.659722222222
    #    unlist(psych::alpha.ci(a, 8, 5))             # 0.0533612579405, 0.9222668939026
    #    sd(rowSums(m) / 5 * 100) * sqrt(1 - a)       # 18.7082869339
    m = np.array(
        [
            [1, 1, 1, 0, 1],
            [1, 1, 0, 0, 1],
            [1, 0, 0, 0, 1],
            [0, 0, 0, 0, 0],
            [1, 1, 1, 1, 1],
            [0, 1, 0, 0, 1],
            [1, 1, 1, 0, 0],
            [0, 0, 1, 0, 0],
        ]
    )
    a = kr20(m)
    assert a == pytest.approx(0.659722222222, abs=1e-10)
    ci = kr20_feldt_ci(a, 8, 5)
    assert ci["ci_low"] == pytest.approx(0.0533612579405, abs=1e-10)
    assert ci["ci_high"] == pytest.approx(0.9222668939026, abs=1e-10)
    sem = standard_error_of_measurement(m.sum(axis=1) / 5 * 100, a)
    assert sem == pytest.approx(18.7082869339, abs=1e-8)


def test_feldt_interval_undefined_cases():
    assert math.isnan(kr20_feldt_ci(float("nan"), 30, 20)["ci_low"])
    assert math.isnan(kr20_feldt_ci(0.8, 1, 20)["ci_high"])
    assert math.isnan(standard_error_of_measurement([50.0], 0.8))


def test_reliability_by_phase_agrees_with_kr20_and_scores(frames):
    ans = rows_of(frames["answers"], "W1")
    rel = reliability_by_phase(ans, frames["codebook"]).set_index("phase")
    sc = rows_of(frames["scores"], "W1")
    for phase in ("pre", "post"):
        pct = sc.loc[sc["phase"] == phase, "score_pct"].to_numpy(dtype=float)
        assert rel.loc[phase, "n"] == pct.size
        assert rel.loc[phase, "sd"] == pytest.approx(pct.std(ddof=1))
        assert rel.loc[phase, "sem"] == pytest.approx(
            pct.std(ddof=1) * math.sqrt(1 - rel.loc[phase, "kr20"])
        )
        assert rel.loc[phase, "ci_low"] < rel.loc[phase, "kr20"] < rel.loc[phase, "ci_high"]


# --------------------------------------------------------------------------------------------
# 2. distractors


def _answers(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """Answers from (participant, phase, item, response, status); key of K1 is A, K2 is B."""
    a = pd.DataFrame(rows, columns=["participant_id", "phase", "item_id", "response", "status"])
    keys = {"K1": "A", "K2": "B"}
    a["correct"] = [
        s == "valid" and r == keys[i]
        for r, s, i in zip(a["response"], a["status"], a["item_id"], strict=True)
    ]
    a.insert(0, "workshop_id", "W1")
    return a.astype(
        {c: "string" for c in a.columns if c != "correct"} | {"correct": "boolean"}
    ).assign(response=lambda f: f["response"].mask(f["status"] == "blank"))


CB2 = pd.DataFrame(
    {"item_id": ["K1", "K2"], "section": "knowledge", "topic": "t", "key": ["A", "B"]}
)


def _six_people() -> pd.DataFrame:
    rows = []
    # K1 (key A): p1 stays right, p2 learns, p3 forgets, p4 C->D, p5 C->C, p6 blank->invalid
    k1 = {
        "p1": ("A", "A"),
        "p2": ("C", "A"),
        "p3": ("A", "C"),
        "p4": ("C", "D"),
        "p5": ("C", "C"),
        "p6": ("", "AB"),
    }
    for p, (a, b) in k1.items():
        for phase, r in (("pre", a), ("post", b)):
            status = "blank" if r == "" else ("valid" if r in "ABCD" else "invalid")
            rows.append((p, phase, "K1", r, status))
            rows.append((p, phase, "K2", "B", "valid"))
    rows.append(("p7", "pre", "K1", "D", "valid"))  # not linked: no post-test
    rows.append(("p7", "pre", "K2", "D", "valid"))
    return _answers(rows)


def test_option_shares_count_linked_and_all():
    s = option_shares(_six_people(), CB2).set_index(["item_id", "phase", "choice"])
    assert s.loc[("K1", "pre", "C"), "n_linked"] == 3
    assert s.loc[("K1", "pre", "C"), "pct_linked"] == pytest.approx(50.0)
    assert s.loc[("K1", "pre", "D"), "n_linked"] == 0
    assert s.loc[("K1", "pre", "D"), "n_all"] == 1  # p7, unlinked
    assert s.loc[("K1", "pre", "D"), "pct_all"] == pytest.approx(100 / 7)
    assert s.loc[("K1", "pre", "blank"), "n_linked"] == 1
    assert s.loc[("K1", "post", "invalid"), "n_linked"] == 1
    assert bool(s.loc[("K1", "pre", "A"), "is_key"]) and not s.loc[("K1", "pre", "C"), "is_key"]
    # every phase's shares add up to 100
    tot = s.groupby(level=["item_id", "phase"])[["pct_linked", "pct_all"]].sum()
    assert np.allclose(tot.to_numpy(), 100.0)


def test_answer_migration_classifies_each_person():
    m = answer_migration(_six_people(), CB2).set_index("item_id")
    k1 = m.loc["K1"]
    assert [int(k1[f"n_{x}"]) for x in MIGRATIONS] == [1, 1, 1, 2, 1]
    # wrong_moved: p4 (C->D) and p6 (blank->invalid); wrong_same: p5 (C->C)
    assert int(m.loc["K2", "n_stayed_correct"]) == 6 and int(m.loc["K1", "n_linked"]) == 6


def test_migration_agrees_with_item_table(frames):
    ans = rows_of(frames["answers"], "W1")
    m = answer_migration(ans, frames["codebook"]).set_index("item_id")
    it = item_table(ans, frames["codebook"]).set_index("item_id")
    assert (m["n_learned"] == it["n_gained"]).all()
    assert (m["n_forgot"] == it["n_lost"]).all()
    assert (m[[f"n_{x}" for x in MIGRATIONS]].sum(axis=1) == m["n_linked"]).all()


def test_distractor_shift_exact_mcnemar_and_holm():
    # 12 linked people on K1 (key A): option C chosen by 1 before and 9 after (b = 0 left,
    # c = 8 joined); exact McNemar p = 2 * 0.5^8 = 0.0078125
    # R: binom.test(0, 8)$p.value  # 0.0078125
    rows = []
    for i in range(12):
        pre = "C" if i == 0 else "A"
        post = "C" if i < 9 else "A"
        rows += [(f"p{i}", "pre", "K1", pre, "valid"), (f"p{i}", "post", "K1", post, "valid")]
        rows += [(f"p{i}", "pre", "K2", "B", "valid"), (f"p{i}", "post", "K2", "B", "valid")]
    d = distractor_shifts(_answers(rows), CB2)
    c = d.set_index(["item_id", "choice"]).loc[("K1", "C")]
    assert (c["n_pre"], c["n_post"], c["n_left"], c["n_joined"]) == (1, 9, 0, 8)
    assert c["mcnemar_p"] == pytest.approx(0.0078125)
    # Holm over the 6 distractor tests (3 per item), the others p = 1:
    # R: p.adjust(c(0.0078125, rep(1, 5)), "holm")[1]  # 0.046875
    assert c["mcnemar_p_holm"] == pytest.approx(0.046875)
    assert bool(c["increased"]) and bool(c["flagged"])
    assert len(d) == 6 and set(d["choice"]) == {"A", "B", "C", "D"}
    assert d["flagged"].sum() == 1


# --------------------------------------------------------------------------------------------
# 3. reliable change


def test_reliable_change_matches_r():
    # R: pre <- c(40,55,35,60,45,50,70,30,65,55,45,50)
    #    post <- c(50,60,45,70,45,65,75,40,90,60,55,20)
    #    se <- 12.5 * sqrt(1 - 0.7); sdiff <- sqrt(2 * se^2)   # 9.68245836552
    #    rci <- (post - pre) / sdiff
    #    c(sum(rci > 1.96), sum(abs(rci) <= 1.96), sum(rci < -1.96))  # 1 10 1
    #    rci[9]  # 2.581988897472
    post = [50, 60, 45, 70, 45, 65, 75, 40, 90, 60, 55, 20]
    r = reliable_change(PRE_12, post, sd_pre=12.5, reliability=0.7)
    assert r["s_diff"] == pytest.approx(9.68245836552, abs=1e-10)
    assert (r["improved"], r["unchanged"], r["declined"]) == (1, 10, 1)
    assert r["rci"][8] == pytest.approx(2.581988897472, abs=1e-10)
    assert r["threshold"] == pytest.approx(1.96 * 9.68245836552)


def test_reliable_change_undefined_without_reliability():
    r = reliable_change([50, 60], [60, 70], sd_pre=10.0, reliability=float("nan"))
    assert math.isnan(r["improved"]) and r["n"] == 2


# --------------------------------------------------------------------------------------------
# 4. attrition


def test_completer_comparison_matches_welch_in_r():
    # R: tt <- t.test(c(60,70,80,55,65), c(40,60,50))
    #    tt$conf.int  # -3.63555125347 35.63555125347; tt$parameter 4.19063918285;
    #    tt$p.value   # 0.0873052107839
    r = completer_comparison([60, 70, 80, 55, 65], [40, 60, 50])
    assert r["diff"] == pytest.approx(16.0)
    assert r["ci_low"] == pytest.approx(-3.63555125347, abs=1e-9)
    assert r["ci_high"] == pytest.approx(35.63555125347, abs=1e-9)
    assert r["df"] == pytest.approx(4.19063918285, abs=1e-9)
    assert r["p"] == pytest.approx(0.0873052107839, abs=1e-10)


def test_rubin_rules_match_a_hand_computation_in_r():
    # R: q <- c(10.2, 11.5, 9.8, 12.1, 10.9); u <- c(4.1, 4.3, 3.9, 4.4, 4.0); m <- 5
    #    qbar <- mean(q); ubar <- mean(u); b <- var(q); tt <- ubar + (1 + 1/m) * b
    #    nu <- (m - 1) * (1 + ubar / ((1 + 1/m) * b))^2
    #    # 10.9, 4.14, 0.875, 5.19, 97.72734693878
    #    qbar + c(-1, 1) * qt(.975, min(nu, 19)) * sqrt(tt)  # 6.13176228537 15.66823771463
    q = [10.2, 11.5, 9.8, 12.1, 10.9]
    u = [4.1, 4.3, 3.9, 4.4, 4.0]
    r = rubin_pool(q, u, df_complete=19)
    assert r["estimate"] == pytest.approx(10.9)
    assert r["within_var"] == pytest.approx(4.14)
    assert r["between_var"] == pytest.approx(0.875)
    assert r["total_var"] == pytest.approx(5.19)
    assert r["df"] == 19  # Rubin's 97.73 capped at the complete-data df
    assert r["ci_low"] == pytest.approx(6.13176228537, abs=1e-9)
    assert r["ci_high"] == pytest.approx(15.66823771463, abs=1e-9)
    # uncapped: R qbar - qt(.975, nu) * sqrt(tt)  # 6.37891362955
    assert rubin_pool(q, u)["df"] == pytest.approx(97.72734693878, abs=1e-8)
    assert rubin_pool(q, u)["ci_low"] == pytest.approx(6.37891362955, abs=1e-9)


def test_imputation_without_missing_is_the_complete_case_gain():
    r = impute_gain(PRE_12, POST_12, m=20, seed=3)
    s = paired_summary(PRE_12, POST_12)
    assert r["n_missing"] == 0 and r["between_var"] == 0
    assert r["estimate"] == pytest.approx(s["diff_mean"])
    assert r["ci_low"] == pytest.approx(s["diff_ci_low"])
    assert r["ci_high"] == pytest.approx(s["diff_ci_high"])


def test_imputation_is_seeded_and_proper():
    post = [*POST_12[:9], np.nan, np.nan, np.nan]
    a = impute_gain(PRE_12, post, m=30, seed=7)
    b = impute_gain(PRE_12, post, m=30, seed=7)
    c = impute_gain(PRE_12, post, m=30, seed=8)
    assert a == b
    assert a["estimate"] != c["estimate"]
    assert a["n_missing"] == 3 and a["m"] == 30 and a["between_var"] > 0
    # the imputed gains centre on the regression prediction: with many imputations the
    # estimate approaches mean over all of (b0 + b1 pre - pre)
    x, y = np.array(PRE_12[:9], float), np.array(POST_12[:9], float)
    b1, b0 = np.polyfit(x, y, 1)
    pred = np.where(np.isnan(post), b0 + b1 * np.array(PRE_12), post)
    target = float((pred - np.array(PRE_12)).mean())
    big = impute_gain(PRE_12, post, m=4000, seed=1)
    assert big["estimate"] == pytest.approx(target, abs=0.15)
    assert big["ci_low"] < target < big["ci_high"]
    with pytest.raises(ValueError):
        impute_gain(PRE_12, post, m=1)


def test_no_change_bound_matches_r():
    # R: pre <- c(40,50,60,70,30); post <- c(60,70,NA,80,NA)
    #    d <- ifelse(is.na(post), 0, post - pre)
    #    t.test(d)$conf.int  # -2.41663998204 22.41663998204
    r = no_change_gain([40, 50, 60, 70, 30], [60, 70, np.nan, 80, np.nan])
    assert r["estimate"] == pytest.approx(10.0)
    assert r["ci_low"] == pytest.approx(-2.41663998204, abs=1e-9)
    assert r["ci_high"] == pytest.approx(22.41663998204, abs=1e-9)
    assert r["n_missing"] == 2


def test_attrition_analysis_on_frames(frames):
    sc, pa = rows_of(frames["scores"], "W1"), rows_of(frames["paired"], "W1")
    r = attrition_analysis(sc, pa, m=20, seed=5)
    n_pre = int((sc["phase"] == "pre").sum())
    assert r["comparison"]["n_completers"] == len(pa)
    assert r["comparison"]["n_completers"] + r["comparison"]["n_dropouts"] == n_pre
    assert r["complete_case"]["estimate"] == pytest.approx(pa["gain_pct"].mean())
    assert r["mi"]["n"] == n_pre and r["bound"]["n"] == n_pre
    # the no-change bound is the complete-case gain shrunk by the share that completed
    assert r["bound"]["estimate"] == pytest.approx(pa["gain_pct"].sum() / n_pre)
    assert r["comparison"]["suppressed"] == (min(len(pa), n_pre - len(pa)) < 5)
    pooled = attrition_analysis(frames["scores"], frames["paired"], m=20, seed=5)
    assert pooled["mi"]["n"] == int((frames["scores"]["phase"] == "pre").sum())


# --------------------------------------------------------------------------------------------
# 5. Bayes factor


def test_bf10_matches_bayesfactor_on_sleep():
    # R: library(BayesFactor); x <- sleep$extra[1:10]; y <- sleep$extra[11:20]
    #    extractBF(ttestBF(y, x, paired = TRUE))$bf  # 17.2588802678
    t = paired_summary(SLEEP_1, SLEEP_2)["t_stat"]
    assert bf10_jzs(t, 10) == pytest.approx(17.2588802678, rel=1e-7)


def test_bf10_matches_bayesfactor_on_two_more_sets():
    # R: pre <- c(40,55,35,60,45,50,70,30,65,55,45,50)
    #    post <- c(50,60,45,70,45,65,75,40,70,60,55,50)
    #    extractBF(ttestBF(post, pre, paired = TRUE))$bf  # 158.024035771 (t = 5.45071374903)
    t = paired_summary(PRE_12, POST_12)["t_stat"]
    assert t == pytest.approx(5.45071374903, abs=1e-9)
    assert bf10_jzs(t, 12) == pytest.approx(158.024035771, rel=1e-7)
    # evidence for the null: a <- c(1.2,-0.4,0.3,0.8,-1.1,0.5,-0.2,0.1,-0.6,0.4,0.9,-0.3,0.2,
    #    -0.8,0.6); extractBF(ttestBF(a))$bf  # 0.311197122578 (t = 0.624355225385)
    assert bf10_jzs(0.624355225385, 15) == pytest.approx(0.311197122578, rel=1e-7)
    assert math.isnan(bf10_jzs(2.0, 1))


def test_bf_categories_follow_lee_and_wagenmakers():
    cases = {
        150: "extreme_h1",
        30: "very_strong_h1",
        17.26: "strong_h1",
        3: "moderate_h1",
        1.5: "anecdotal_h1",
        0.5: "anecdotal_h0",
        0.311: "moderate_h0",
        0.05: "strong_h0",
        0.02: "very_strong_h0",
        0.001: "extreme_h0",
    }
    assert {b: bf_category(b) for b in cases} == cases
    assert bf_category(float("nan")) == "undefined"


# --------------------------------------------------------------------------------------------
# 7. the summary files


def test_summary_carries_the_new_keys(frames):
    args = (rows_of(frames[k], "W1") for k in ("scores", "paired", "answers"))
    s = workshop_summary(*args, frames["codebook"], workshop_id="W1", synthetic=True)
    new = [
        *("kr20_pre_ci_low", "kr20_pre_ci_high", "kr20_post_ci_low", "kr20_post_ci_high"),
        *("sem_pre", "bf10", "rci_improved", "rci_unchanged", "rci_declined"),
        *("gain_mi", "gain_mi_ci_low", "gain_mi_ci_high"),
    ]
    assert all(k in SUMMARY_KEYS for k in new) and all(k in s for k in new)
    assert s["kr20_pre_ci_low"] < s["kr20_pre"] < s["kr20_pre_ci_high"]
    assert s["bf10"] == pytest.approx(bf10_jzs(s["t_stat"], s["n_paired"]))
    assert s["rci_improved"] + s["rci_unchanged"] + s["rci_declined"] == s["n_paired"]
    assert s["gain_mi_ci_low"] < s["gain_mi"] < s["gain_mi_ci_high"]
    again = workshop_summary(
        *(rows_of(frames[k], "W1") for k in ("scores", "paired", "answers")),
        frames["codebook"],
        workshop_id="W1",
        synthetic=True,
    )
    assert again == s  # seeded: the same bytes
    for k in ("bf10", "rci_improved", "rci_unchanged", "rci_declined", "gain_mi"):
        assert k in POOLED_KEYS


# --------------------------------------------------------------------------------------------
# the reports' words and tables


def test_bf_text_and_the_apa_line():
    from analysis.present import prose
    from analysis.present.locale import language

    assert prose.bf_text(13.637) == "13.6"
    with language("sq"):
        assert prose.bf_text(12233.6) == "1,2 × 10⁴"
    assert prose.bf_text(99_990.0) == "1.0 × 10⁵"
    assert prose.bf_words(17.26) == "strong evidence for a change in the mean score"
    s = paired_summary(SLEEP_1, SLEEP_2) | {"bf10": 17.2588802678}
    assert "p = .003, BF₁₀ = 17.3, d_z" in prose.apa_paired(s)


def test_attrition_display_hides_the_means_of_a_group_under_five():
    from analysis.present import tables

    pre = [50.0, 60.0, 40.0, 70.0, 55.0, 65.0, 45.0]
    post = [60.0, 70.0, 50.0, 75.0, 65.0, np.nan, np.nan]
    sc = pd.DataFrame(
        {
            "workshop_id": "W1",
            "participant_id": [f"P{i}" for i in range(7)],
            "phase": "pre",
            "score_pct": pre,
        }
    )
    pa = pd.DataFrame(
        {
            "workshop_id": "W1",
            "participant_id": [f"P{i}" for i in range(5)],
            "pre_pct": pre[:5],
            "post_pct": post[:5],
        }
    )
    att = attrition_analysis(sc, pa, m=20, seed=1)
    assert att["comparison"]["suppressed"] and att["comparison"]["n_dropouts"] == 2
    shown = tables.attrition_display(att)
    assert "65.0" not in shown.to_string() and "55.0" not in shown.to_string()  # the means of 2
    assert shown.iloc[0, 2] == "9.0"  # complete-case gain of the 5: mean(c(10, 10, 10, 5, 10))
    # the no-change bound: R mean(c(10, 10, 10, 5, 10, 0, 0))  # 6.428571
    assert shown.iloc[2, 2] == "6.4"


def test_design_box_and_distractor_words_come_from_the_run(frames):
    from analysis.present import prose

    sc, pa, an = (rows_of(frames[k], "W1") for k in ("scores", "paired", "answers"))
    cb = frames["codebook"].assign(options_en="first|second|third|fourth")
    s = workshop_summary(sc, pa, an, cb, workshop_id="W1", synthetic=True)
    rel = reliability_by_phase(an, cb)
    att = attrition_analysis(sc, pa)
    box = prose.design_box(s, rel, att, pa, 20)
    assert box.startswith("> ") and "TREND" in box
    assert f"{s['n_paired']} linked" in box
    assert f"{s['rci_improved']} of {s['n_paired']} beyond measurement error" in box
    shifts = distractor_shifts(an, cb)
    text = prose.distractors_text(shifts, cb)
    if shifts["increased"].any():
        assert "option B “second”" in text  # the test frames' wrong answers are all B


def test_migration_figure_draws_items_of_five_and_more(frames):
    from matplotlib.figure import Figure

    from analysis.present import figures as fg
    from analysis.present.locale import language

    m = answer_migration(rows_of(frames["answers"], "W1"), frames["codebook"])
    fig = fg.answer_migration_bars(m)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.get_yticks()) == len(m)  # every item drawn (n_linked >= 5)
    small = m.assign(n_linked=4)
    with language("sq"):
        empty = fg.answer_migration_bars(small).axes[0]
    assert len(empty.patches) == 0 and len(empty.get_yticks()) == 0


def test_a_bayes_factor_beyond_double_range_is_infinite_not_an_error():
    """National size: t = 100 over 7,000 pairs gives log BF10 of thousands (no overflow)."""
    import math

    from analysis.present.prose import bf_text
    from analysis.stats.bayes import bf10_jzs, bf_category

    bf = bf10_jzs(100.0, 7000)
    assert bf == math.inf and bf_category(bf) == "extreme_h1" and bf_text(bf) == "> 10³⁰⁸"
