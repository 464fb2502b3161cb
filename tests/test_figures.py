"""Figures: draw on small synthetic tables in both languages, no English in Albanian, saving."""

from __future__ import annotations

import io
import re
import warnings

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from analysis.config import LANGS
from analysis.present import figures
from analysis.present.locale import fmt_p, language, t, texts

MESSAGES = {lang: texts(lang) for lang in LANGS}

TOPICS = ["Trust", "Problem solving", "Communication", "Victims", "Communities"]


def flow_row(n: int = 20) -> dict:
    return {
        "workshop_id": "W1",
        "received_pre": n,
        "received_post": n - 1,
        "duplicates_pre": 1,
        "duplicates_post": 0,
        "excluded_pre": 0,
        "excluded_post": 1,
        "scored_pre": n - 1,
        "scored_post": n - 2,
        "paired": n - 3,
        "unmatched_pre": 2,
        "unmatched_post": 1,
    }


def paired_frame(n: int = 18) -> pd.DataFrame:
    rng = np.random.default_rng(7)  # each frame from its own seed: no dependence on test order
    pre = rng.integers(4, 16, n) * 5.0
    post = np.clip(pre + rng.integers(-2, 6, n) * 5.0, 0, 100)
    if n >= 2:
        post[0] = pre[0]  # at least one unchanged
        post[1] = max(pre[1] - 5, 0)  # one declined
    return pd.DataFrame(
        {"participant_id": [f"W1-P{i:03d}" for i in range(n)], "pre_pct": pre, "post_pct": post}
    )


def scores_frame(n: int = 18) -> pd.DataFrame:
    p = paired_frame(n)
    return pd.DataFrame(
        {
            "phase": ["pre"] * n + ["post"] * n,
            "score_pct": np.concatenate([p["pre_pct"], p["post_pct"]]),
        }
    ).astype({"phase": "string"})


def topic_frame() -> pd.DataFrame:
    m = np.array([12.0, 3.5, -1.0, 20.0, 8.0])
    return pd.DataFrame(
        {
            "topic_label": TOPICS,
            "diff_mean": m,
            "diff_ci_low": m - 6,
            "diff_ci_high": m + 6,
            "p_holm": [0.001, 0.4, 0.9, 0.0001, 0.04],
        }
    )


def item_frame() -> pd.DataFrame:
    k = 20
    rng = np.random.default_rng(8)
    pre = rng.uniform(20, 95, k)
    return pd.DataFrame(
        {
            "item_label": [f"K{i + 1:02d} question text" for i in range(k)],
            "pre_pct": pre,
            "post_pct": np.clip(pre + rng.uniform(-10, 30, k), 0, 100),
            "p_holm": rng.uniform(0, 0.2, k),
            "ceiling": pre >= 90,
            "negative_discrimination": [i == 3 for i in range(k)],
        }
    ).assign(ceiling=lambda d: d["ceiling"] | (np.arange(k) == 0))


def reaction_frame() -> pd.DataFrame:
    counts = np.random.default_rng(9).integers(0, 10, (6, 5)).astype(float)
    pct = 100 * counts / counts.sum(axis=1, keepdims=True)
    df = pd.DataFrame(pct, columns=[f"pct_{v}" for v in range(1, 6)])
    df.insert(0, "item_label", [f"R0{i + 1} statement" for i in range(6)])
    return df


def forest_frame() -> pd.DataFrame:
    rows = [
        {
            "workshop_id": f"W{i}",
            "diff_mean": 10.0 + i,
            "diff_ci_low": 4.0 + i,
            "diff_ci_high": 16.0 + i,
            "g_av": 0.8 + i / 10,
            "n_paired": 17 + i,
        }
        for i in range(1, 5)
    ]
    rows.append(
        {
            "workshop_id": "pooled",
            "diff_mean": 12.0,
            "diff_ci_low": 9.0,
            "diff_ci_high": 15.0,
            "g_av": 0.85,
            "n_paired": 70,
        }
    )
    return pd.DataFrame(rows)


def means_frame() -> pd.DataFrame:
    rows = []
    for i in range(1, 5):
        for phase, m in (("pre", 55.0 + i), ("post", 70.0 + i)):
            rows.append(
                {
                    "workshop_id": f"W{i}",
                    "phase": phase,
                    "mean": m,
                    "ci_low": m - 5,
                    "ci_high": m + 5,
                }
            )
    return pd.DataFrame(rows)


CASES = {
    "flow": (figures.flow_figure, flow_row),
    "slopes": (figures.paired_slopes, paired_frame),
    "distributions": (figures.score_distributions, scores_frame),
    "topics": (figures.topic_change, topic_frame),
    "items": (figures.item_dumbbell, item_frame),
    "reactions": (figures.reaction_bars, reaction_frame),
    "forest": (figures.forest_plot, forest_frame),
    "means": (figures.workshop_means, means_frame),
}


def draw(func, data, lang) -> Figure:
    """Call a figure function with warnings as errors, then render it (makes the tick labels)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with language(lang):
            fig = func(data)
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    return fig


def texts(fig: Figure) -> list[str]:
    return [a.get_text() for a in fig.findobj(Text) if a.get_text() and a.get_visible()]


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


FIG_KEYS = [k for k in MESSAGES["en"] if k.startswith("fig_")]
SQ_WORDS = set().union(*(words(v) for v in MESSAGES["sq"].values()))
ENGLISH_ONLY = set().union(*(words(MESSAGES["en"][k]) for k in FIG_KEYS)) - SQ_WORDS


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(CASES))
def test_figure_draws_with_labels(name, lang):
    func, make = CASES[name]
    fig = draw(func, make(), lang)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert fig.get_suptitle()
    if name != "flow":
        assert ax.get_xlabel() and ax.get_ylabel()
    assert not any(t(k, lang) in texts(fig) for k in ("fig_empty", "fig_suppressed"))


@pytest.mark.parametrize("name", list(CASES))
def test_albanian_figures_have_no_english_words(name):
    func, make = CASES[name]
    data = make()
    frame = pd.DataFrame([data]) if isinstance(data, dict) else data
    # display labels come from the caller (the codebook's text) and are not translated here
    caller = set().union(*(words(str(v)) for v in frame.to_numpy().ravel() if isinstance(v, str)))
    sq_words = set().union(*(words(x) for x in texts(draw(func, data, "sq")))) - caller
    assert not sq_words & ENGLISH_ONLY
    en_words = set().union(*(words(x) for x in texts(draw(func, make(), "en"))))
    assert en_words & ENGLISH_ONLY  # the check has something to find


def test_albanian_numbers_use_decimal_comma():
    fig = draw(figures.forest_plot, forest_frame(), "sq")
    labels = [x for x in texts(fig) if x.startswith("g_av")]
    assert labels and all(re.search(r"\d,\d\d", x) for x in labels)
    assert not any(re.search(r"\d\.\d", x) for x in labels)


def empty_inputs(name: str, n: int):
    if name == "flow":
        return {} if n == 0 else flow_row(n)
    if name == "slopes":
        return paired_frame(n) if n else pd.DataFrame(columns=["pre_pct", "post_pct"])
    if name == "distributions":
        return scores_frame(n) if n else pd.DataFrame(columns=["phase", "score_pct"])
    if name == "forest":
        return forest_frame().assign(n_paired=n)
    if name == "means":
        return means_frame().iloc[:0] if n == 0 else means_frame().assign(n=n)
    if name == "topics":
        return topic_frame().iloc[:0] if n == 0 else topic_frame().assign(n_paired=n)
    if name == "items":
        return item_frame().iloc[:0] if n == 0 else item_frame().assign(n_paired=n)
    return reaction_frame().iloc[:0] if n == 0 else reaction_frame().assign(n=n)


@pytest.mark.parametrize("n", [0, 1, 2, 4])
@pytest.mark.parametrize("name", list(CASES))
def test_small_n_shows_empty_state(name, n):
    func, _ = CASES[name]
    for lang in LANGS:
        fig = draw(func, empty_inputs(name, n), lang)
        shown = texts(fig)
        if name == "flow" and n:  # whole-workshop counts are drawn at any size
            assert t("fig_empty", lang) not in shown
            continue
        assert t("fig_empty", lang) in shown or t("fig_suppressed", lang) in shown


def test_no_participant_data_points_under_five():
    fig = draw(figures.paired_slopes, paired_frame(4), "en")
    assert not fig.axes[0].lines


def test_reaction_bars_long_input_matches_wide():
    wide = reaction_frame()
    long = wide.melt(id_vars="item_label", var_name="level", value_name="pct")
    long["level"] = long["level"].str.removeprefix("pct_").astype(int)
    a = draw(figures.reaction_bars, wide, "en")
    b = draw(figures.reaction_bars, long, "en")
    widths = [[p.get_width() for p in f.axes[0].patches] for f in (a, b)]
    assert np.allclose(widths[0], widths[1])


def test_stats_column_aliases_are_accepted():
    items = item_frame().rename(
        columns={
            "pre_pct": "pre_pct_correct",
            "post_pct": "post_pct_correct",
            "p_holm": "mcnemar_p_holm",
        }
    )
    fig = draw(figures.item_dumbbell, items, "en")
    assert len(fig.axes[0].get_yticklabels()) == len(items)
    topics = topic_frame().rename(columns={"p_holm": "t_p_holm"})
    fig = draw(figures.topic_change, topics, "en")
    assert any(x.startswith("p ") for x in texts(fig))


@pytest.mark.parametrize("name", ["slopes", "items", "reactions"])
def test_save_is_deterministic(tmp_path, name):
    func, make = CASES[name]
    fig = draw(func, make(), "sq")
    figures.save(fig, tmp_path / "a", name)
    figures.save(fig, tmp_path / "b", name)
    for ext in ("png", "svg"):
        a = (tmp_path / "a" / "figures" / f"{name}.{ext}").read_bytes()
        b = (tmp_path / "b" / "figures" / f"{name}.{ext}").read_bytes()
        assert a == b and len(a) > 1000
    svg = (tmp_path / "a" / "figures" / f"{name}.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    png = tmp_path / "a" / "figures" / f"{name}.png"
    with Image.open(png) as im:
        dpi = im.info.get("dpi")
        assert dpi and min(dpi) >= 149.9
        assert not {k for k in im.info if k.lower() in ("creation time", "software")}
    assert mpimg.imread(png).shape[1] >= 150 * 4


def test_save_same_data_twice_from_new_figures_is_identical(tmp_path):
    data = topic_frame()
    figures.save(draw(figures.topic_change, data, "en"), tmp_path / "a", "topics")
    figures.save(draw(figures.topic_change, data, "en"), tmp_path / "b", "topics")
    for ext in ("png", "svg"):
        a = (tmp_path / "a" / "figures" / f"topics.{ext}").read_bytes()
        b = (tmp_path / "b" / "figures" / f"topics.{ext}").read_bytes()
        assert a == b


def test_set_theme_is_colour_blind_and_deterministic():
    import matplotlib as mpl

    with mpl.rc_context():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            figures.set_theme()
        assert mpl.rcParams["svg.hashsalt"] == "police-training"
        assert mpl.rcParams["svg.fonttype"] == "path"
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert mpl.rcParams["savefig.dpi"] >= 150


# --- figures and tables agree (issue 15) -----------------------------------------------------


def rendered(fig: Figure, mark: str | None = None):
    """The figure drawn as the report saves it (with the synthetic mark when given), and its
    renderer, for the bounding boxes of what it shows."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if mark is not None:
        figures.mark_synthetic(fig, mark)
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    fig.canvas.draw()  # the constrained layout settles on the second draw
    return fig.canvas.get_renderer()


def drawn_rows(fig: Figure) -> list[tuple[float, float, float, bool]]:
    """(y, interval low, interval high, marker filled) of every row an interval figure draws,
    read from its artists: the interval segments and the markers."""
    ax = fig.axes[0]
    segments = {}
    for coll in ax.collections:
        for seg in coll.get_segments():
            (x0, y0), (x1, _) = seg
            segments[round(float(y0), 6)] = (min(x0, x1), max(x0, x1))
    rows = []
    for line in ax.lines:
        if line.get_marker() in ("None", None, "") or len(line.get_xdata()) != 1:
            continue
        y = round(float(line.get_ydata()[0]), 6)
        face = line.get_markerfacecolor()
        filled = face not in ("white", "w", "none") and tuple(face) != (1.0, 1.0, 1.0, 1.0)
        rows.append((y, *segments[y], filled))
    return rows


@pytest.mark.parametrize("lang", LANGS)
def test_topic_markers_and_their_intervals_tell_one_story(lang):
    """W1 "Communication" had CI [0.2, 46.2] excluding 0 and Holm p .08, drawn hollow: now the
    marker follows the drawn interval and the Holm p is written beside it."""
    data = topic_frame().assign(
        diff_mean=[12.0, 23.2, -1.0, 20.0, 8.0],
        diff_ci_low=[6.0, 0.2, -7.0, 14.0, -0.5],
        diff_ci_high=[18.0, 46.2, 5.0, 26.0, 16.5],
        p_holm=[0.001, 0.08, 0.9, 0.0001, 0.04],  # row 5: CI includes 0, Holm p < .05
        n_paired=14,
    )
    fig = draw(figures.topic_change, data, lang)
    rows = drawn_rows(fig)
    assert len(rows) == len(data)
    for _y, low, high, filled in rows:
        assert filled == (low > 0 or high < 0)
    by_y = sorted(rows, reverse=True)  # top to bottom, as the table
    assert [r[3] for r in by_y] == [True, True, False, True, False]
    assert [r[1] for r in by_y] == pytest.approx(data["diff_ci_low"].tolist())
    shown = texts(fig)
    assert t("fig_topic_rule", lang, k=5) in shown  # the rule, stated in the legend's title
    with language(lang):
        assert fmt_p(0.08) in shown  # the Holm p beside the filled marker it does not decide
    assert t("fig_n_linked", lang, n=14) in shown


def test_the_marker_rule_test_catches_a_disagreement():
    fig = draw(figures.topic_change, topic_frame(), "en")
    ax = fig.axes[0]
    next(x for x in ax.lines if len(x.get_xdata()) == 1).set_markerfacecolor("white")
    assert any(filled != (low > 0 or high < 0) for _y, low, high, filled in drawn_rows(fig))


def _boxes(fig: Figure, renderer, mark) -> dict[str, object]:
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    boxes = {f"legend {i}": lg.get_window_extent(renderer) for i, lg in enumerate(legends)}
    boxes["title"] = fig._suptitle.get_window_extent(renderer)
    boxes["mark"] = mark.get_window_extent(renderer)
    return boxes


def _with_n(name: str):
    data = CASES[name][1]()
    if name in ("topics", "items"):
        return data.assign(n_paired=18)
    if name in ("means", "reactions"):
        return data.assign(n=18)
    return data


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(CASES))
def test_legends_overlap_neither_the_mark_nor_each_other(name, lang):
    func, _ = CASES[name]
    fig = draw(func, _with_n(name), lang)
    renderer = rendered(fig, t("synthetic_mark", lang))
    mark = next(x for x in fig.texts if x.get_text() == t("synthetic_mark", lang))
    boxes = _boxes(fig, renderer, mark)
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), f"{name} ({lang}): {a} overlaps {b}"
    others = [x for x in fig.findobj(Text) if x is not mark and x.get_visible() and x.get_text()]
    for other in others:  # the mark covers no other text: tick labels, annotations, n
        box = other.get_window_extent(renderer)
        assert not box.overlaps(boxes["mark"]), f"{name} ({lang}): mark over {other.get_text()!r}"
    assert boxes["mark"].x1 <= fig.bbox.x1 + 0.5 and boxes["mark"].y1 <= fig.bbox.y1 + 0.5


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", [n for n in CASES if n != "flow"])
def test_every_figure_states_n(name, lang):
    shown = " ".join(texts(draw(CASES[name][0], _with_n(name), lang)))
    assert re.search(r"n = \d+", shown), name


def test_paired_slopes_show_every_participant_and_n():
    data = paired_frame(18)
    data.loc[[3, 4, 5], ["pre_pct", "post_pct"]] = [40.0, 60.0]  # three identical pairs
    fig = draw(figures.paired_slopes, data, "en")
    ax = fig.axes[0]
    people = [line for line in ax.lines if str(line.get_gid()).startswith("pair-")]
    counts = [int(line.get_gid().removeprefix("pair-")) for line in people]
    assert sum(counts) == 18  # every participant is in a line
    pairs = {(round(x.get_ydata()[0], 6), round(x.get_ydata()[1], 6)) for x in people}
    assert len(pairs) == len(people)  # and no line hides another
    widest = max(people, key=lambda x: x.get_linewidth())
    assert widest.get_linewidth() > min(x.get_linewidth() for x in people)
    shown = texts(fig)
    assert t("fig_slopes_count", "en", k=max(counts)) in shown
    assert t("fig_n_linked", "en", n=18) in shown
