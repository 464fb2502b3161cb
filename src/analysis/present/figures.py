"""Report figures, in English (``lang="en"``) and Albanian (``lang="sq"``).

Every figure function takes a plain table (the columns are listed in its docstring), returns a
:class:`matplotlib.figure.Figure` and draws nothing else. Figures are created with
``matplotlib.figure.Figure`` directly, not through ``pyplot``: they are not registered with the
pyplot figure manager, so there is nothing to close (a figure is freed when no longer
referenced) and no figure is shown twice in a notebook. Display one with
``IPython.display.display(fig)`` or as the last expression of a cell; write it with :func:`save`.

Words come from :data:`analysis.i18n.TEXT` (``t``) and numbers from ``fmt_num``/``fmt_p``; item,
topic and workshop labels are passed in by the caller as display text and are not translated.

Small numbers: the functions never fail on empty or tiny inputs; they draw an empty-state
message instead. Figures of individual scores (``paired_slopes``, ``score_distributions``) show
nothing below :data:`MIN_N` people, and rows of aggregate tables whose ``n``/``n_paired`` column
is below :data:`MIN_N` (or is the suppression mark ``"<5"``) are not drawn. Suppressing subgroup
cells under 5 is the job of the tables upstream (``stats``); the check here is a second guard.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .text import fmt_num, fmt_p, t

__all__ = [
    "MIN_N",
    "PALETTE",
    "DPI",
    "theme_rc",
    "set_theme",
    "save",
    "flow_figure",
    "paired_slopes",
    "score_distributions",
    "topic_change",
    "item_dumbbell",
    "reaction_bars",
    "forest_plot",
    "workshop_means",
]

#: Smallest number of people a figure draws (subgroup cells under 5 are suppressed).
MIN_N = 5
#: Resolution of saved PNG files.
DPI = 200
#: Okabe-Ito colours (colour-blind safe).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
#: The colours of the report's roles.
PALETTE = {
    "pre": OKABE_ITO["blue"],
    "post": OKABE_ITO["orange"],
    "improved": OKABE_ITO["green"],
    "unchanged": OKABE_ITO["grey"],
    "declined": OKABE_ITO["vermillion"],
    "mean": OKABE_ITO["black"],
    "point": OKABE_ITO["blue"],
    "pooled": OKABE_ITO["vermillion"],
}
#: Likert 1..5, disagree to agree (Brewer PuOr, colour-blind safe; grey neutral).
LIKERT_COLOURS = ("#b35806", "#f1a340", "#d9d9d9", "#998ec3", "#542788")

_WIDTH = 7.0
_HEIGHT = 4.0
_POOLED_IDS = {"pooled", "all", "total"}


def theme_rc() -> dict[str, Any]:
    """The rcParams of the report theme (seaborn ``whitegrid``, Okabe-Ito, DejaVu Sans)."""
    rc: dict[str, Any] = {}
    rc.update(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("notebook", font_scale=0.85))
    rc.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO.values())),
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "figure.figsize": (_WIDTH, _HEIGHT),
            "svg.fonttype": "path",  # glyphs as outlines: identical everywhere, no font needed
            "svg.hashsalt": "police-training",  # deterministic ids in the SVG
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.labelsize": 10,
            "legend.fontsize": 8.5,
            "legend.title_fontsize": 9,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "axes.unicode_minus": True,
        }
    )
    return rc


def set_theme() -> None:
    """Apply the report theme globally (call once at the top of a notebook).

    The figure functions also draw inside the theme on their own, so their output does not
    depend on whether this was called; ``set_theme`` makes other plots in the notebook match.
    """
    sns.set_theme(style="whitegrid", palette=list(OKABE_ITO.values()), rc=theme_rc())
    mpl.rcParams.update(theme_rc())


@contextlib.contextmanager
def _themed() -> Iterator[None]:
    with mpl.rc_context(theme_rc()):
        yield


def save(fig: Figure, out_dir: Path, name: str) -> None:
    """Write ``out_dir/figures/<name>.png`` (``DPI`` dots per inch) and ``<name>.svg``.

    The output is deterministic: the SVG carries no date and fixed ids (``svg.hashsalt``), the
    PNG carries no software or date text, and the constrained layout is settled and then frozen
    (the figure's layout engine becomes ``"none"``: constrained layout moves the axes a little
    on every draw when a legend sits outside them), so saving the same figure twice gives
    byte-identical files. The figure is left open (see the module docstring: nothing needs
    closing).
    """
    folder = Path(out_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    with _themed():
        _freeze_layout(fig)
        fig.savefig(
            folder / f"{name}.png",
            format="png",
            dpi=DPI,
            metadata={"Software": None},
        )
        fig.savefig(
            folder / f"{name}.svg",
            format="svg",
            metadata={"Date": None, "Creator": None},
        )


def _freeze_layout(fig: Figure) -> None:
    """Run the layout engine twice, then keep the axes where they are for every later draw."""
    engine = fig.get_layout_engine()
    if engine is None or type(engine).__name__ == "PlaceHolderLayoutEngine":
        return
    for _ in range(2):
        fig.draw_without_rendering()
    fig.set_layout_engine("none")


# --------------------------------------------------------------------------------------------
# helpers


def _new_figure(width: float = _WIDTH, height: float = _HEIGHT) -> tuple[Figure, Any]:
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def _empty(ax: Any, lang: str, key: str = "fig_empty") -> None:
    """Draw the empty-state message and hide the ticks (axis labels stay set)."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.text(
        0.5,
        0.5,
        t(key, lang),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=10,
        color="#444444",
    )


def _frame(data: Any) -> pd.DataFrame:
    if data is None:
        return pd.DataFrame()
    if isinstance(data, pd.DataFrame):
        return data.copy()
    if isinstance(data, Mapping):
        return pd.DataFrame([dict(data)])
    return pd.DataFrame(list(data))


def _col(df: pd.DataFrame, *names: str) -> str | None:
    """The first of ``names`` that is a column of ``df`` (aliases of the ``stats`` tables)."""
    for name in names:
        if name in df.columns:
            return name
    return None


def _num(df: pd.DataFrame, *names: str) -> pd.Series:
    col = _col(df, *names)
    if col is None:
        return pd.Series(np.nan, index=df.index, dtype=float)
    return pd.to_numeric(df[col], errors="coerce").astype(float)


def _large_enough(df: pd.DataFrame, *names: str) -> pd.Series:
    """True for rows whose count column (if any) is at least ``MIN_N``; ``"<5"`` is False."""
    col = _col(df, *names)
    if col is None:
        return pd.Series(True, index=df.index, dtype=bool)
    n = pd.to_numeric(df[col], errors="coerce")
    return (n >= MIN_N).fillna(False).astype(bool)


def _labels(df: pd.DataFrame, *names: str) -> list[str]:
    col = _col(df, *names)
    if col is None:
        return [str(i + 1) for i in range(len(df))]
    return [str(x) for x in df[col].tolist()]


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _pct_formatter(lang: str, absolute: bool = False) -> FuncFormatter:
    def fmt(x: float, _pos: int) -> str:
        value = abs(x) if absolute else x
        return fmt_num(value, lang, 0 if float(value).is_integer() else 1)

    return FuncFormatter(fmt)


# --------------------------------------------------------------------------------------------
# figures


def flow_figure(flow_row: Mapping[str, Any] | pd.Series, lang: str = "en") -> Figure:
    """Participant flow as a box diagram: received, removed, scored, paired, per phase.

    ``flow_row``: one row of ``flow.csv`` (a dict or ``pd.Series``) with ``received_pre,
    received_post, duplicates_pre, duplicates_post, excluded_pre, excluded_post, scored_pre,
    scored_post, paired, unmatched_pre, unmatched_post`` (missing keys count as 0). These are
    whole-workshop counts of questionnaires, not subgroup cells. Empty state when nothing was
    received. Returns a Figure (not registered with pyplot; nothing to close).
    """

    def get(key: str) -> int:
        value = flow_row.get(key, 0) if flow_row is not None else 0
        return int(value) if _finite(value) else 0

    with _themed():
        fig, ax = _new_figure(_WIDTH, 4.6)
        fig.suptitle(t("fig_flow_title", lang), fontweight="bold")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        if get("received_pre") + get("received_post") == 0:
            ax.axis("on")
            _empty(ax, lang)
            for side in ax.spines.values():
                side.set_visible(False)
            return fig
        box = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#333333"}
        side_box = {**box, "facecolor": "#f2f2f2", "edgecolor": "#888888"}
        main_box = {**box, "facecolor": "#e8f1f8", "edgecolor": PALETTE["pre"]}
        arrow = {"arrowstyle": "-|>", "color": "#555555", "lw": 1.0}
        kw = {"ha": "center", "va": "center", "fontsize": 9}
        for x, phase, key in ((0.3, "pre", "fig_pre"), (0.7, "post", "fig_post")):
            top = f"{t(key, lang)}\n{t('fig_flow_received', lang, n=get(f'received_{phase}'))}"
            removed = "\n".join(
                (
                    t("fig_flow_duplicates", lang, n=get(f"duplicates_{phase}")),
                    t("fig_flow_excluded", lang, n=get(f"excluded_{phase}")),
                )
            )
            scored = t("fig_flow_scored", lang, n=get(f"scored_{phase}"))
            unmatched = t("fig_flow_unmatched", lang, n=get(f"unmatched_{phase}"))
            ax.text(x, 0.88, top, bbox=box, **kw)
            ax.text(x, 0.62, removed, bbox=side_box, **kw)
            ax.text(x, 0.38, scored, bbox=box, **kw)
            ux = 0.08 if phase == "pre" else 0.92
            ax.text(ux, 0.12, unmatched, bbox=side_box, **kw)
            ax.annotate("", xy=(x, 0.70), xytext=(x, 0.80), arrowprops=arrow)
            ax.annotate("", xy=(x, 0.44), xytext=(x, 0.54), arrowprops=arrow)
            ax.annotate("", xy=(0.5, 0.18), xytext=(x, 0.32), arrowprops=arrow)
            ax.annotate("", xy=(ux, 0.18), xytext=(x, 0.32), arrowprops=arrow)
        ax.text(0.5, 0.12, t("fig_flow_paired", lang, n=get("paired")), bbox=main_box, **kw)
    return fig


def paired_slopes(paired: pd.DataFrame, lang: str = "en") -> Figure:
    """One line per paired participant from pre-test to post-test score, plus the means.

    ``paired``: one row per participant with ``pre_pct`` and ``post_pct`` (0-100). Lines are
    coloured improved / unchanged / declined; the thick black line joins the means. Empty state
    below ``MIN_N`` complete pairs (individual scores of fewer than 5 people are not drawn).
    Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = _frame(paired)
    pre = _num(df, "pre_pct")
    post = _num(df, "post_pct")
    ok = pre.notna() & post.notna()
    pre, post = pre[ok].to_numpy(), post[ok].to_numpy()
    with _themed():
        fig, ax = _new_figure(6.0, _HEIGHT)
        fig.suptitle(t("fig_slopes_title", lang), fontweight="bold")
        ax.set_xlabel(t("fig_test", lang))
        ax.set_ylabel(t("fig_score_axis", lang))
        if pre.size < MIN_N:
            _empty(ax, lang, "fig_empty" if pre.size == 0 else "fig_suppressed")
            return fig
        diff = np.round(post - pre, 6)
        groups = (
            ("improved", diff > 0, "fig_improved"),
            ("unchanged", diff == 0, "fig_unchanged"),
            ("declined", diff < 0, "fig_declined"),
        )
        handles = []
        for role, mask, key in groups:
            colour = PALETTE[role]
            for a, b in zip(pre[mask], post[mask], strict=True):
                ax.plot([0, 1], [a, b], color=colour, alpha=0.55, lw=1.1, marker="o", ms=3.5)
            handles.append(
                Line2D([], [], color=colour, lw=1.5, marker="o", ms=4, label=t(key, lang))
            )
        means = [float(pre.mean()), float(post.mean())]
        ax.plot([0, 1], means, color=PALETTE["mean"], lw=3, marker="D", ms=7, zorder=5)
        for x, m, ha in ((0, means[0], "right"), (1, means[1], "left")):
            dx = -0.06 if ha == "right" else 0.06
            ax.text(x + dx, m, fmt_num(m, lang, 1), ha=ha, va="center", fontsize=9, weight="bold")
        handles.append(
            Line2D([], [], color=PALETTE["mean"], lw=3, marker="D", ms=6, label=t("fig_mean", lang))
        )
        ax.set_xticks([0, 1], [t("fig_pre", lang), t("fig_post", lang)])
        ax.set_xlim(-0.35, 1.35)
        ax.set_ylim(-3, 103)
        ax.yaxis.set_major_formatter(_pct_formatter(lang))
        ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return fig


def score_distributions(scores: pd.DataFrame, lang: str = "en") -> Figure:
    """Pre-test and post-test score distributions of all scored questionnaires: box + points.

    ``scores``: one row per scored questionnaire with ``phase`` (``"pre"``/``"post"``) and
    ``score_pct`` (0-100). Points are jittered vertically with a fixed seed (deterministic).
    A phase with fewer than ``MIN_N`` questionnaires is not drawn; empty state when neither
    phase is drawn. Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = _frame(scores)
    phase = df["phase"].astype(str) if "phase" in df.columns else pd.Series([], dtype=str)
    score = _num(df, "score_pct")
    rng = np.random.default_rng(20210316)
    with _themed():
        fig, ax = _new_figure(_WIDTH, 3.6)
        fig.suptitle(t("fig_dist_title", lang), fontweight="bold")
        ax.set_xlabel(t("fig_score_axis", lang))
        ax.set_ylabel(t("fig_test", lang))
        drawn: list[tuple[int, str]] = []
        for pos, (ph, key) in enumerate((("post", "fig_post"), ("pre", "fig_pre"))):
            x = score[(phase == ph).to_numpy() & score.notna().to_numpy()].to_numpy()
            if x.size < MIN_N:
                continue
            colour = PALETTE[ph]
            ax.boxplot(
                [x],
                positions=[pos],
                orientation="horizontal",
                widths=0.5,
                showfliers=False,
                patch_artist=True,
                boxprops={"facecolor": mpl.colors.to_rgba(colour, 0.25), "edgecolor": colour},
                medianprops={"color": colour, "lw": 2},
                whiskerprops={"color": colour},
                capprops={"color": colour},
            )
            jitter = rng.uniform(-0.17, 0.17, size=x.size)
            ax.scatter(x, pos + jitter, s=14, color=colour, alpha=0.7, lw=0, zorder=3)
            drawn.append((pos, t("fig_phase_n", lang, phase=t(key, lang), n=x.size)))
        if not drawn:
            _empty(ax, lang, "fig_empty" if score.notna().sum() == 0 else "fig_suppressed")
            return fig
        ax.set_yticks([p for p, _ in drawn], [lab for _, lab in drawn])
        ax.set_ylim(-0.6, 1.6)
        ax.set_xlim(-2, 102)
        ax.xaxis.set_major_formatter(_pct_formatter(lang))
        ax.grid(axis="y", visible=False)
    return fig


def _significance_legend(ax: Any, lang: str, colour: str, marker: str = "o") -> None:
    handles = [
        Line2D([], [], ls="", marker=marker, ms=7, color=colour, label=t("fig_holm_sig", lang)),
        Line2D(
            [],
            [],
            ls="",
            marker=marker,
            ms=7,
            color=colour,
            markerfacecolor="white",
            label=t("fig_holm_ns", lang),
        ),
    ]
    ax.figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)


def topic_change(topic_table: pd.DataFrame, lang: str = "en") -> Figure:
    """Mean change per topic with its 95% CI, zero line; x in percentage points.

    ``topic_table``: one row per topic with ``topic_label`` (display text), ``diff_mean``,
    ``diff_ci_low``, ``diff_ci_high`` and ``p_holm`` (aliases accepted: ``topic`` for the label,
    ``t_p_holm`` for ``p_holm``). Optional ``n_paired``: rows under ``MIN_N`` are not drawn.
    The marker is filled where ``p_holm < .05``; the Holm p-value is printed at the right.
    Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = _frame(topic_table)
    mean = _num(df, "diff_mean")
    keep = (mean.notna() & _large_enough(df, "n_paired")).to_numpy()
    df = df.loc[keep].reset_index(drop=True)
    with _themed():
        fig, ax = _new_figure(_WIDTH, max(2.8, 0.55 * len(df) + 1.8))
        fig.suptitle(t("fig_topic_title", lang), fontweight="bold")
        ax.set_xlabel(t("fig_change_axis", lang))
        ax.set_ylabel(t("fig_topic", lang))
        if df.empty:
            _empty(ax, lang)
            return fig
        _interval_rows(ax, df, _labels(df, "topic_label", "topic"), lang)
        _significance_legend(ax, lang, PALETTE["point"])
    return fig


def _interval_rows(ax: Any, df: pd.DataFrame, labels: list[str], lang: str) -> None:
    """Point + CI per row (top to bottom), zero line, filled marker where p_holm < .05."""
    mean = _num(df, "diff_mean").to_numpy()
    lo = _num(df, "diff_ci_low").to_numpy()
    hi = _num(df, "diff_ci_high").to_numpy()
    p = _num(df, "p_holm", "t_p_holm").to_numpy()
    y = np.arange(len(df))[::-1]
    colour = PALETTE["point"]
    ax.axvline(0, color="#333333", lw=0.9, zorder=1)
    for yi, m, a, b, pv in zip(y, mean, lo, hi, p, strict=True):
        if _finite(a) and _finite(b):
            ax.hlines(yi, a, b, color=colour, lw=2, zorder=2)
        sig = _finite(pv) and pv < 0.05
        ax.plot(
            m, yi, "o", ms=8, color=colour, markerfacecolor=colour if sig else "white", zorder=3
        )
        if _finite(pv):
            ax.annotate(
                fmt_p(pv, lang),
                xy=(1.0, yi),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
            )
    if any(_finite(pv) for pv in p):  # name the column of p-values printed at the right
        ax.annotate(
            t("col_p_holm", lang),
            xy=(1.0, 1.0),
            xycoords="axes fraction",
            xytext=(6, 2),
            textcoords="offset points",
            va="bottom",
            fontsize=8.5,
            fontweight="bold",
        )
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.7, len(df) - 0.3)
    ax.xaxis.set_major_formatter(_pct_formatter(lang))
    ax.grid(axis="y", visible=False)


def item_dumbbell(item_table: pd.DataFrame, lang: str = "en") -> Figure:
    """Percent correct per item before and after: a dot pair joined by a line per item.

    ``item_table``: one row per item with ``item_label`` (display text), ``pre_pct``,
    ``post_pct`` (0-100), ``p_holm`` and the bool flags ``ceiling`` and
    ``negative_discrimination`` (aliases accepted: ``item_id`` for the label,
    ``pre_pct_correct``/``post_pct_correct``, ``mcnemar_p_holm``; missing flags are False).
    Optional ``n_paired``: rows under ``MIN_N`` are not drawn. The post-test marker is filled
    where ``p_holm < .05``; flagged items get ``†`` (ceiling) / ``‡`` (negative discrimination)
    after their label, explained in the legend. Returns a Figure (not registered with pyplot).
    """
    df = _frame(item_table)
    pre = _num(df, "pre_pct", "pre_pct_correct")
    post = _num(df, "post_pct", "post_pct_correct")
    keep = (pre.notna() & post.notna() & _large_enough(df, "n_paired")).to_numpy()
    df = df.loc[keep].reset_index(drop=True)
    with _themed():
        fig, ax = _new_figure(_WIDTH, max(3.0, 0.28 * len(df) + 2.2))
        fig.suptitle(t("fig_item_title", lang), fontweight="bold")
        ax.set_xlabel(t("fig_item_axis", lang))
        ax.set_ylabel(t("fig_item", lang))
        if df.empty:
            _empty(ax, lang)
            return fig
        pre = _num(df, "pre_pct", "pre_pct_correct").to_numpy()
        post = _num(df, "post_pct", "post_pct_correct").to_numpy()
        p = _num(df, "p_holm", "mcnemar_p_holm").to_numpy()

        def flag(name: str) -> np.ndarray:
            if name not in df.columns:
                return np.zeros(len(df), dtype=bool)
            return df[name].fillna(False).astype(bool).to_numpy()

        ceiling, negdisc = flag("ceiling"), flag("negative_discrimination")
        labels = [
            lab + (" †" if c else "") + (" ‡" if n else "")
            for lab, c, n in zip(
                _labels(df, "item_label", "item_id"), ceiling, negdisc, strict=True
            )
        ]
        y = np.arange(len(df))[::-1]
        ax.hlines(y, np.minimum(pre, post), np.maximum(pre, post), color="#b0b0b0", lw=2)
        # the pre-test dot on top, inside the post-test ring, so that it shows when pre == post
        ax.plot(pre, y, "o", ms=6.5, color=PALETTE["pre"], zorder=5)
        sig = np.array([_finite(v) and v < 0.05 for v in p], dtype=bool)
        ax.plot(post[sig], y[sig], "o", ms=7, color=PALETTE["post"], zorder=4)
        ax.plot(
            post[~sig],
            y[~sig],
            "o",
            ms=7,
            color=PALETTE["post"],
            markerfacecolor="white",
            zorder=4,
        )
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.7, len(df) - 0.3)
        ax.set_xlim(-2, 102)
        ax.xaxis.set_major_formatter(_pct_formatter(lang))
        ax.grid(axis="y", visible=False)
        handles = [
            Line2D(
                [], [], ls="", marker="o", ms=6.5, color=PALETTE["pre"], label=t("fig_pre", lang)
            ),
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=7,
                color=PALETTE["post"],
                label=t("fig_post_sig", lang),
            ),
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=7,
                color=PALETTE["post"],
                markerfacecolor="white",
                label=t("fig_post_ns", lang),
            ),
        ]
        if ceiling.any():
            handles.append(Line2D([], [], ls="", label=t("fig_flag_ceiling", lang)))
        if negdisc.any():
            handles.append(Line2D([], [], ls="", label=t("fig_flag_negdisc", lang)))
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    return fig


def _reaction_wide(df: pd.DataFrame) -> pd.DataFrame:
    """Wide frame: ``label`` and ``p1..p5`` (percent), from wide or long input."""
    label_col = _col(df, "item_label", "text_en", "item_id")
    if _col(df, "level") and _col(df, "pct", "percent"):
        long = pd.DataFrame(
            {
                "label": df[label_col].astype(str) if label_col else "",
                "level": pd.to_numeric(df["level"], errors="coerce"),
                "pct": _num(df, "pct", "percent"),
            }
        )
        wide = long.pivot_table(index="label", columns="level", values="pct", sort=False)
        wide = wide.reindex(columns=[1, 2, 3, 4, 5])
        out = pd.DataFrame({"label": wide.index.astype(str)})
        for v in range(1, 6):
            out[f"p{v}"] = wide[v].to_numpy(dtype=float)
        if "n" in df.columns:
            n = df.groupby(df[label_col].astype(str), sort=False)["n"].first()
            out["n"] = n.reindex(out["label"]).to_numpy()
        return out
    out = pd.DataFrame({"label": _labels(df, "item_label", "text_en", "item_id")})
    for v in range(1, 6):
        col = _col(df, f"pct_{v}", str(v))
        if col is None and v in df.columns:
            col = v  # type: ignore[assignment]
        out[f"p{v}"] = (
            pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
            if col is not None
            else 0.0
        )
    if "n" in df.columns:
        out["n"] = df["n"].to_numpy()
    return out


def reaction_bars(reaction_dist: pd.DataFrame, lang: str = "en") -> Figure:
    """Diverging stacked bars of the reaction items (Likert 1-5), centred on the neutral 3.

    ``reaction_dist``: wide, one row per item with ``item_label`` (display text) and
    ``pct_1..pct_5`` (percent of respondents; columns ``1..5`` also accepted), or long with
    ``item_label``, ``level`` (1-5) and ``pct``. Optional ``n`` (respondents per item): items
    under ``MIN_N`` are not drawn. Disagreement extends left of 0, agreement right, the neutral
    share straddles 0; segments of at least 8% carry their percent. The legend names the five
    levels. Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = _reaction_wide(_frame(reaction_dist))
    cols = [f"p{v}" for v in range(1, 6)]
    keep = (df[cols].fillna(0.0).sum(axis=1) > 0) & _large_enough(df, "n")
    df = df.loc[keep.to_numpy()].reset_index(drop=True)
    with _themed():
        fig, ax = _new_figure(_WIDTH, max(3.0, 0.42 * len(df) + 2.0))
        fig.suptitle(t("fig_reaction_title", lang), fontweight="bold")
        label = t("fig_reaction_axis", lang)
        if "n" in df.columns and pd.to_numeric(df["n"], errors="coerce").notna().any():
            n = pd.to_numeric(df["n"], errors="coerce").dropna().astype(int)
            span = f"{n.min()}" if n.min() == n.max() else f"{n.min()}–{n.max()}"
            label += f" (n = {span})"
        ax.set_xlabel(label)
        ax.set_ylabel(t("fig_statement", lang))
        if df.empty:
            _empty(ax, lang)
            return fig
        pct = df[cols].fillna(0.0).to_numpy(dtype=float)
        y = np.arange(len(df))[::-1]
        left = -(pct[:, 0] + pct[:, 1] + pct[:, 2] / 2)
        for v in range(5):
            width = pct[:, v]
            colour = LIKERT_COLOURS[v]
            ax.barh(y, width, left=left, height=0.65, color=colour, edgecolor="white", lw=0.6)
            text_colour = "white" if v in (0, 4) else "black"
            for yi, l0, w in zip(y, left, width, strict=True):
                if w >= 8:
                    ax.text(
                        l0 + w / 2,
                        yi,
                        fmt_num(w, lang, 0),
                        ha="center",
                        va="center",
                        fontsize=7.5,
                        color=text_colour,
                    )
            left = left + width
        ax.axvline(0, color="#333333", lw=0.9, zorder=0.5)  # behind the bars and their labels
        ax.set_yticks(y, df["label"].tolist())
        ax.set_xlim(-100, 100)
        ax.xaxis.set_major_formatter(_pct_formatter(lang, absolute=True))
        ax.grid(axis="y", visible=False)
        handles = [
            Patch(facecolor=LIKERT_COLOURS[v], label=t(f"fig_likert_{v + 1}", lang))
            for v in range(5)
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    return fig


def forest_plot(summaries: pd.DataFrame | Sequence[Mapping[str, Any]], lang: str = "en") -> Figure:
    """Mean change with its 95% CI per workshop (and pooled), labelled with g_av and n.

    ``summaries``: a DataFrame or a list of dicts (e.g. the ``summary.json`` dicts), one row
    per workshop with ``workshop_id``, ``diff_mean``, ``diff_ci_low``, ``diff_ci_high``,
    ``g_av``, ``n_paired``. A pooled row is marked by ``workshop_id`` ``"pooled"`` (or
    ``"all"``) or a true ``pooled`` column; it is drawn last as a diamond labelled "All
    workshops". Optional ``workshop_label`` replaces the id as the row label. Rows with
    ``n_paired`` under ``MIN_N`` are not drawn. Returns a Figure (not registered with pyplot).
    """
    df = _frame(summaries)
    mean = _num(df, "diff_mean")
    keep = (mean.notna() & _large_enough(df, "n_paired")).to_numpy()
    df = df.loc[keep].reset_index(drop=True)
    ids = [str(x) for x in df["workshop_id"]] if "workshop_id" in df.columns else []
    pooled = np.array([i.lower() in _POOLED_IDS for i in ids], dtype=bool)
    if "pooled" in df.columns:
        pooled |= df["pooled"].fillna(False).astype(bool).to_numpy()
    if len(df):
        order = np.argsort(pooled, kind="stable")
        df, pooled = df.iloc[order].reset_index(drop=True), pooled[order]
    with _themed():
        fig, ax = _new_figure(_WIDTH, max(2.8, 0.5 * len(df) + 1.8))
        fig.suptitle(t("fig_forest_title", lang), fontweight="bold")
        ax.set_xlabel(t("fig_change_axis", lang))
        ax.set_ylabel(t("fig_workshop", lang))
        if df.empty:
            _empty(ax, lang)
            return fig
        labels = _labels(df, "workshop_label", "workshop_id")
        labels = [
            t("fig_pooled", lang) if p else lab for lab, p in zip(labels, pooled, strict=True)
        ]
        mean = _num(df, "diff_mean").to_numpy()
        lo = _num(df, "diff_ci_low").to_numpy()
        hi = _num(df, "diff_ci_high").to_numpy()
        g = _num(df, "g_av").to_numpy()
        n = _num(df, "n_paired").to_numpy()
        y = np.arange(len(df))[::-1].astype(float)
        ax.axvline(0, color="#333333", lw=0.9, zorder=1)
        for yi, m, a, b, gi, ni, p in zip(y, mean, lo, hi, g, n, pooled, strict=True):
            colour = PALETTE["pooled"] if p else PALETTE["point"]
            if _finite(a) and _finite(b):
                ax.hlines(yi, a, b, color=colour, lw=2, zorder=2)
            ax.plot(m, yi, "D" if p else "s", ms=9 if p else 7, color=colour, zorder=3)
            n_text = str(int(ni)) if _finite(ni) else "–"
            ax.annotate(
                t("fig_forest_label", lang, g=fmt_num(gi, lang, 2), n=n_text),
                xy=(1.0, yi),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
            )
        if pooled.any() and not pooled.all():
            ax.axhline(y[pooled].max() + 0.5, color="#999999", lw=0.6, ls="--")
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.7, len(df) - 0.3)
        ax.xaxis.set_major_formatter(_pct_formatter(lang))
        ax.grid(axis="y", visible=False)
    return fig


def workshop_means(scores_by_workshop: pd.DataFrame, lang: str = "en") -> Figure:
    """Pre-test and post-test mean score with its 95% CI, per workshop.

    ``scores_by_workshop``: long, one row per workshop and phase with ``workshop_id``,
    ``phase`` (``"pre"``/``"post"``), ``mean``, ``ci_low``, ``ci_high`` (0-100). Optional
    ``workshop_label`` replaces the id on the axis; optional ``n``: rows under ``MIN_N`` are
    not drawn. Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = _frame(scores_by_workshop)
    mean = _num(df, "mean")
    keep = mean.notna() & _large_enough(df, "n")
    if "phase" in df.columns:
        keep &= df["phase"].astype(str).isin(["pre", "post"])
    df = df.loc[keep.to_numpy()].reset_index(drop=True)
    with _themed():
        fig, ax = _new_figure(_WIDTH, _HEIGHT)
        fig.suptitle(t("fig_means_title", lang), fontweight="bold")
        ax.set_xlabel(t("fig_workshop", lang))
        ax.set_ylabel(t("fig_score_axis", lang))
        if df.empty or "workshop_id" not in df.columns:
            _empty(ax, lang)
            return fig
        ids = list(dict.fromkeys(str(x) for x in df["workshop_id"]))
        label_of = dict(
            zip(
                df["workshop_id"].astype(str),
                _labels(df, "workshop_label", "workshop_id"),
                strict=True,
            )
        )
        pos = {w: i for i, w in enumerate(ids)}
        handles = []
        for phase, key, dx, marker in (
            ("pre", "fig_pre", -0.12, "o"),
            ("post", "fig_post", 0.12, "s"),
        ):
            sub = df.loc[(df["phase"].astype(str) == phase).to_numpy()]
            if sub.empty:
                continue
            x = np.array([pos[str(w)] for w in sub["workshop_id"]], dtype=float) + dx
            m = _num(sub, "mean").to_numpy()
            lo = _num(sub, "ci_low").to_numpy()
            hi = _num(sub, "ci_high").to_numpy()
            colour = PALETTE[phase]
            ok = np.isfinite(lo) & np.isfinite(hi)
            ax.vlines(x[ok], lo[ok], hi[ok], color=colour, lw=2)
            ax.plot(x, m, marker, ls="", ms=7, color=colour)
            handles.append(
                Line2D([], [], color=colour, marker=marker, ms=7, lw=2, label=t(key, lang))
            )
        ax.set_xticks(range(len(ids)), [label_of[w] for w in ids])
        ax.set_xlim(-0.6, len(ids) - 0.4)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(_pct_formatter(lang))
        ax.grid(axis="x", visible=False)
        ax.legend(handles=handles, title=t("fig_test", lang), loc="lower right")
    return fig
