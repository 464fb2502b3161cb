"""The distractor and language-version statistics, one group or many in one call (issue 22).

``option_shares``, ``answer_migration``, ``distractor_shifts``, ``answer_choices`` and
``item_language_table`` take ``by``/``groups``: each group's rows of the one call must be,
to the last bit and with the same dtypes, what ``by=None`` gives on that group's rows alone.
Tested on the shipped processed data and on small simulated frames that reach every branch.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from test_stats import ANSWER_DTYPES

from analysis import results, stats
from analysis.stats.distractors import (
    answer_choices,
    answer_migration,
    distractor_shifts,
    group_codes,
    option_shares,
)
from analysis.stats.languages import item_language_table
from analysis.stats.measures import holm

# --------------------------------------------------------------------------------------------
# helpers


def _in_group(frame: pd.DataFrame, by: str, group: str) -> pd.DataFrame:
    """The rows of one group of a frame that has the column ``by``; other frames whole."""
    return frame.loc[frame[by] == group] if by in frame.columns else frame


def check_groups(
    function: Callable[..., pd.DataFrame],
    frames: tuple[pd.DataFrame, ...],
    groups: list[str] | None = None,
    by: str = "workshop_id",
    **kw,
) -> pd.DataFrame:
    """Assert that ``function(*frames, by=by, groups=groups)`` is the groups' ``by=None``
    results one after the other, in the order of ``groups`` (default: first appearance in
    ``frames[0]``), the group column first, bit for bit and dtype for dtype."""
    got = function(*frames, by=by, groups=groups, **kw)
    order = list(pd.unique(frames[0][by].dropna())) if groups is None else groups
    assert got.columns[0] == by
    assert got.index.equals(pd.RangeIndex(len(got)))
    start = 0
    for group in order:
        expected = function(*(_in_group(f, by, group) for f in frames), **kw)
        part = got.iloc[start : start + len(expected)].reset_index(drop=True)
        start += len(expected)
        assert (part[by] == group).all(), group
        # the group column first; a column of the result by=None moved there, not repeated
        part = part[list(expected.columns)] if by in expected.columns else part.drop(columns=by)
        if expected.empty:  # no rows (their columns and dtypes: the tests of empty results)
            assert part.empty
            continue
        pd.testing.assert_frame_equal(part, expected, check_exact=True, obj=str(group))
    assert start == len(got), "rows of no listed group"
    return got


# --------------------------------------------------------------------------------------------
# the shipped processed data


@pytest.fixture(scope="module")
def shipped() -> results.Processed:
    return results.load()


ANSWER_STATISTICS = [answer_choices, option_shares, answer_migration, distractor_shifts]


@pytest.mark.parametrize("function", ANSWER_STATISTICS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("groups", [None, ["W4", "W2", "W0", "W1", "W3"]], ids=["all", "listed"])
def test_shipped_workshops_in_one_call(shipped, function, groups):
    got = check_groups(function, (shipped.answers, shipped.codebook), groups)
    order = ["W1", "W2", "W3", "W4"] if groups is None else ["W4", "W2", "W0", "W1", "W3"]
    if function is answer_choices:  # a row per answer: W0 has none
        order = [w for w in order if w != "W0"]
    assert list(pd.unique(got["workshop_id"])) == order


@pytest.mark.parametrize("groups", [None, ["W4", "W2", "W0", "W1", "W3"]], ids=["all", "listed"])
def test_shipped_language_versions_in_one_call(shipped, groups):
    frames = (shipped.answers, shipped.scores, shipped.codebook)
    got = check_groups(item_language_table, frames, groups)
    assert set(got["workshop_id"]) == {"W4"}  # the other workshops' exports have no language


def test_the_one_call_gives_the_published_numbers(shipped):
    # reports/W4/tables/{options,migration,item_languages}.csv as committed (eb8d496)
    a, cb = shipped.answers, shipped.codebook
    shares = option_shares(a, cb, by="workshop_id").set_index(
        ["workshop_id", "item_id", "phase", "choice"]
    )
    k01 = shares.loc[("W4", "K01", "pre", "A")]
    assert (k01["n_linked"], k01["pct_linked"]) == (2, 14.285714285714286)
    assert shares.loc[("W4", "K01", "post", "B"), "pct_linked"] == 64.28571428571429
    migration = answer_migration(a, cb, by="workshop_id").set_index(["workshop_id", "item_id"])
    # K01: n 14, stayed correct 5, learned 4, forgot 1, wrong moved 3, wrong same 1
    assert migration.loc[("W4", "K01")].tolist() == [14, 5, 4, 1, 3, 1]
    languages = item_language_table(a, shipped.scores, cb, by="workshop_id").set_index("item_id")
    k01 = languages.loc["K01"]
    assert (k01["n_pre_sq"], k01["pct_pre_sq"], k01["n_pre_sr"]) == (8, 62.5, 7)
    assert k01["pct_pre_sr"] == 28.57142857142857 and k01["diff_pre"] == 33.92857142857143
    assert languages["flag"].sum() == 1 and languages.loc["K17", "flag"]


# --------------------------------------------------------------------------------------------
# small simulated frames

CODEBOOK = pd.DataFrame(
    {
        "item_id": ["K1", "K2", "K3", "R1"],
        "section": ["knowledge", "knowledge", "knowledge", "reaction"],
        "key": ["A", "B", "D", ""],
    }
)
KEYS = {"K1": "A", "K2": "B", "K3": "D"}
#: responses drawn for a knowledge item: letters (one in lower case), blank, invalid
RESPONSES = np.array(["A", "B", "C", "a", "", "X", "AB"])


def _row(w: str, p: str, phase: str, item: str, response: str) -> dict:
    letter = response.strip().upper()
    status = "blank" if response == "" else ("valid" if letter in "ABCD" else "invalid")
    return {
        "workshop_id": w,
        "participant_id": p,
        "phase": phase,
        "item_id": item,
        "response": response,
        "status": status,
        "correct": status == "valid" and letter == KEYS[item],
    }


def simulated_answers(seed: int) -> pd.DataFrame:
    """Answers of four workshops: ``WA`` most people linked (every choice, ``D`` never
    chosen), ``WB`` pre-tests only (no post-test), ``WC`` pre and post of different people (no
    linked person), ``WD`` the 12 people of the McNemar example below; a reaction item in
    between; the workshops' rows interleaved and ``WC`` appearing first."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(10):
        for phase in ("pre", "post"):
            if (phase == "pre" and i == 9) or (phase == "post" and i == 8):
                continue  # two unlinked people
            for item in KEYS:
                rows.append(_row("WA", f"p{i}", phase, item, str(rng.choice(RESPONSES))))
            rows.append({**_row("WA", f"p{i}", phase, "K1", "3"), "item_id": "R1"})
    rows += [
        _row("WB", f"p{i}", "pre", item, str(rng.choice(RESPONSES)))
        for i in range(4)
        for item in KEYS
    ]
    rows += [
        _row("WC", f"p{i}", "pre" if i < 3 else "post", item, str(rng.choice(RESPONSES)))
        for i in range(6)
        for item in KEYS
    ]
    for i in range(12):  # K1 (key A): C chosen by 1 before and 9 after
        rows += [_row("WD", f"p{i}", "pre", "K1", "C" if i == 0 else "A")]
        rows += [_row("WD", f"p{i}", "post", "K1", "C" if i < 9 else "A")]
        rows += [
            _row("WD", f"p{i}", ph, item, KEYS[item])
            for ph in ("pre", "post")
            for item in ("K2", "K3")
        ]
    frame = pd.DataFrame(rows)
    frame["correct"] = frame["correct"].where(frame["item_id"] != "R1", pd.NA)
    order = rng.permutation(len(frame))
    first = frame.index[frame["workshop_id"] == "WC"][0]
    order = np.concatenate([[first], order[order != first]])
    return frame.iloc[order].reset_index(drop=True).astype(ANSWER_DTYPES)


@pytest.fixture(scope="module", params=[1, 2, 3])
def simulated(request) -> pd.DataFrame:
    return simulated_answers(request.param)


@pytest.mark.parametrize("function", ANSWER_STATISTICS, ids=lambda f: f.__name__)
def test_simulated_groups_in_one_call(simulated, function):
    check_groups(function, (simulated, CODEBOOK))
    got = check_groups(function, (simulated, CODEBOOK), ["WD", "WZ", "WA", "WC", "WB"])
    assert pd.unique(got["workshop_id"])[0] == "WD"


def test_the_simulated_frames_reach_every_branch(simulated):
    c = answer_choices(simulated, CODEBOOK, by="workshop_id")
    wa = c.loc[c["workshop_id"] == "WA", "choice"]
    assert set(wa) == {"A", "B", "C", "blank", "invalid"}  # "a" is A; D never chosen
    linked = c.groupby("workshop_id")["linked"].sum()
    assert linked["WB"] == 0 and linked["WC"] == 0 and linked["WA"] > 0
    order = list(pd.unique(c["workshop_id"]))  # of first appearance
    assert order[0] == "WC" and order == list(pd.unique(simulated["workshop_id"]))
    s = option_shares(simulated, CODEBOOK, by="workshop_id")
    s = s.set_index(["workshop_id", "item_id", "phase", "choice"]).sort_index()
    # WB: no post-test, WC: no linked person: the shares of an empty total are NaN
    assert s.loc[("WB", "K1", "post"), "pct_all"].isna().all()
    assert s.loc[("WC", "K1", "pre"), "pct_linked"].isna().all()
    assert s.loc[("WC", "K1", "pre"), "pct_all"].notna().all()
    assert (s.xs("D", level="choice")["n_all"].groupby(level="workshop_id").sum()["WA"]) == 0
    d = distractor_shifts(simulated, CODEBOOK, by="workshop_id").set_index("workshop_id")
    assert d.loc["WB", "mcnemar_p"].isna().all() and d.loc["WC", "mcnemar_p_holm"].isna().all()
    assert (d.loc["WB", "n_linked"] == 0).all() and not d.loc["WB", "flagged"].any()
    m = answer_migration(simulated, CODEBOOK, by="workshop_id").set_index("workshop_id")
    assert (m.loc[["WB", "WC"]].drop(columns="item_id") == 0).all().all()


def test_holm_stays_within_each_group(simulated):
    # WD, the 12-person example: option C of K1 chosen by 1 before and 9 after (left 0,
    # joined 8); exact McNemar p = 2 * 0.5^8
    # R: binom.test(0, 8)$p.value  # 0.0078125
    # Holm over WD's 9 distractor tests (3 per item; the 8 others p = 1):
    # R: p.adjust(c(0.0078125, rep(1, 8)), "holm")[1]  # 0.0703125
    d = distractor_shifts(simulated, CODEBOOK, by="workshop_id")
    wd = d.loc[d["workshop_id"] == "WD"].set_index(["item_id", "choice"])
    c = wd.loc[("K1", "C")]
    assert (c["n_pre"], c["n_post"], c["n_left"], c["n_joined"]) == (1, 9, 0, 8)
    assert c["mcnemar_p"] == 0.0078125 and c["mcnemar_p_holm"] == 0.0703125
    assert bool(c["increased"]) and not c["flagged"]  # 0.0703125 >= 0.05
    # every group's adjustment is measures.holm of the group's p-values, bit for bit
    for _, g in d.groupby("workshop_id", sort=False):
        assert np.array_equal(g["mcnemar_p_holm"].to_numpy(), holm(g["mcnemar_p"]), equal_nan=True)
    # over all groups together it would differ
    assert not np.array_equal(d["mcnemar_p_holm"], holm(d["mcnemar_p"]), equal_nan=True)


@pytest.mark.parametrize("function", ANSWER_STATISTICS, ids=lambda f: f.__name__)
def test_empty_rows_and_a_group_without_rows(simulated, function):
    empty = function(simulated.iloc[:0], CODEBOOK)
    got = check_groups(function, (simulated, CODEBOOK), ["WZ"])
    if "workshop_id" not in empty.columns:
        got = got.drop(columns="workshop_id")
    pd.testing.assert_frame_equal(got, empty, check_exact=True)
    if function is answer_choices:
        assert got.empty
    else:  # a row per item (and choice/phase) with zero counts
        assert len(got) > 0 and (got["n_linked"] == 0).all()


def test_rows_of_groups_not_listed_are_left_out(simulated):
    got = option_shares(simulated, CODEBOOK, by="workshop_id", groups=["WA"])
    assert set(got["workshop_id"]) == {"WA"}
    got = answer_choices(simulated, CODEBOOK, by="workshop_id", groups=["WA"])
    assert len(got) == int((simulated["workshop_id"] == "WA").sum()) - 18  # no R1 rows


@pytest.mark.parametrize("function", ANSWER_STATISTICS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("by", ["status", "participant_id"])
def test_groups_that_split_a_workshop_or_a_questionnaire(simulated, function, by):
    # by status, one questionnaire's answers fall in several groups: its totals and its
    # linking are each group's own (a person is linked in "valid" only with valid answers in
    # both tests); by participant_id, people of different workshops share a group
    check_groups(function, (simulated, CODEBOOK), by=by)


@pytest.mark.parametrize(
    ("function", "by"),
    [(option_shares, "phase"), (answer_migration, "item_id"), (distractor_shifts, "choice")],
)
def test_a_group_column_that_is_a_column_of_the_table_is_refused(simulated, function, by):
    with pytest.raises(ValueError, match="column of the table"):
        function(simulated.assign(choice="x"), CODEBOOK, by=by)
    a, s, cb = language_frames({"L2": LANGUAGES["L2"]})
    with pytest.raises(ValueError, match="column of the table"):
        item_language_table(a, s, cb, by="item_id")


def test_group_codes_and_its_faults():
    f = pd.DataFrame({"w": pd.array(["W2", None, "W1", "W2"], dtype="string")})
    codes, labels = group_codes(f, "w")
    assert codes.tolist() == [0, -1, 1, 0] and list(labels) == ["W2", "W1"]
    assert labels.dtype == f["w"].dtype
    codes, labels = group_codes(f, None)
    assert codes.tolist() == [0, 0, 0, 0] and labels is None
    with pytest.raises(ValueError, match="twice"):
        group_codes(f, "w", ["W1", "W1"])
    with pytest.raises(ValueError, match="without a column"):
        option_shares(f, CODEBOOK, groups=["W1"])


# --------------------------------------------------------------------------------------------
# language versions, simulated


def language_frames(groups: dict[str, dict[str, tuple[int, int]]]) -> tuple[pd.DataFrame, ...]:
    """Answers and scores: per group, per version, ``(pre, post)`` questionnaires; K1 right in
    ``sq`` and wrong elsewhere in both tests (a flag), K2 right in ``sq`` before and in the
    others after (big but opposite: no flag), K3 alternating."""
    answers, scores = [], []
    for w, versions in groups.items():
        for v, sizes in versions.items():
            for phase, n in zip(("pre", "post"), sizes, strict=True):
                for i in range(n):
                    p = f"{w}-{v}-{i}"
                    scores.append((w, p, phase, v))
                    k2 = (v == "sq") == (phase == "pre")
                    for item, ok in (("K1", v == "sq"), ("K2", k2), ("K3", i % 2 == 0)):
                        answers.append((w, p, phase, item, "A", "valid", ok))
    cols = ["workshop_id", "participant_id", "phase"]
    a = pd.DataFrame(answers, columns=[*cols, "item_id", "response", "status", "correct"])
    s = pd.DataFrame(scores, columns=[*cols, "response_language"]).astype("string")
    return a.astype(ANSWER_DTYPES), s, CODEBOOK


LANGUAGES = {
    "L2": {"sq": (6, 6), "sr": (5, 5)},  # two versions: a table
    "L1": {"sq": (10, 9)},  # one version: no rows
    "Ls": {"sq": (6, 6), "sr": (4, 6)},  # sr has 4 pre-tests: not shown, no rows
    "L2b": {"sr": (7, 5), "sq": (5, 8)},
}


def test_language_groups_in_one_call():
    frames = language_frames(LANGUAGES)
    got = check_groups(item_language_table, frames)
    assert list(pd.unique(got["workshop_id"])) == ["L2", "L2b"]
    check_groups(item_language_table, frames, ["L1", "L2b", "LZ", "L2"])
    flags = got.set_index(["workshop_id", "item_id"])["flag"]
    assert flags[("L2", "K1")] and not flags[("L2", "K2")]
    row = got.set_index(["workshop_id", "item_id"]).loc[("L2", "K1")]
    assert (row["pct_pre_sq"], row["pct_pre_sr"], row["diff_pre"]) == (100.0, 0.0, 100.0)
    assert row["n_pre_sr"] == 5 and got["n_pre_sq"].dtype == np.int64
    # two versions: signed, sq - sr; K2 is right in sq before and in sr after
    row = got.set_index(["workshop_id", "item_id"]).loc[("L2", "K2")]
    assert (row["diff_pre"], row["diff_post"]) == (100.0, -100.0)


def test_language_groups_without_two_versions_and_empty_rows():
    frames = language_frames({"L1": LANGUAGES["L1"], "Ls": LANGUAGES["Ls"]})
    empty = item_language_table(*(f.iloc[:0] for f in frames))
    got = check_groups(item_language_table, frames)
    assert got.empty and list(got.columns) == ["workshop_id", *empty.columns]
    a, s, cb = frames
    no_language = s.assign(response_language=pd.NA)
    assert item_language_table(a, no_language, cb, by="workshop_id").columns[0] == "workshop_id"


def test_language_groups_with_different_versions():
    # L3 shows three versions (the spread, max - min), L2 two (signed, sq - sr): the table
    # holds every version's columns, L2's rows empty in en's (its n_ columns float)
    frames = language_frames(
        {"L3": {"en": (5, 5), "sq": (6, 5), "sr": (5, 7)}, "L2": LANGUAGES["L2"]}
    )
    got = item_language_table(*frames, by="workshop_id")
    versions = ["en", "sq", "sr"]
    expected_columns = ["workshop_id", "item_id"]
    for ph in ("pre", "post"):
        expected_columns += [f"{k}_{ph}_{v}" for v in versions for k in ("n", "pct")]
        expected_columns.append(f"diff_{ph}")
    assert list(got.columns) == [*expected_columns, "flag"]
    for group in ("L3", "L2"):
        expected = item_language_table(*(_in_group(f, "workshop_id", group) for f in frames))
        part = got.loc[got["workshop_id"] == group].reset_index(drop=True)
        for column in expected.columns:
            shown_everywhere = not column.endswith("_en")
            pd.testing.assert_series_equal(
                part[column], expected[column], check_exact=True, check_dtype=shown_everywhere
            )
        assert part.drop(columns=[*expected.columns, "workshop_id"]).isna().all().all()
    l3 = got.loc[got["workshop_id"] == "L3"].set_index("item_id")
    # K1: 100% right in sq, 0% in en and sr: the spread is 100 in both tests
    assert (l3.loc["K1", "diff_pre"], l3.loc["K1", "diff_post"]) == (100.0, 100.0)
    assert l3.loc["K1", "flag"] and not l3.loc["K2", "flag"]


def test_stats_package_reexports_the_grouped_functions():
    assert stats.option_shares is option_shares and stats.item_language_table is item_language_table
