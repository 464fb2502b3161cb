"""Figures of the questionnaire's parts: topics, items, reaction statements."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..locale import fmt_num, fmt_p, t
from .base import (
    LIKERT_COLOURS,
    PALETTE,
    WIDTH,
    as_frame,
    column,
    draw_empty,
    interval_legend,
    is_finite,
    labels_of,
    large_enough,
    new_figure,
    numeric,
    pct_formatter,
    set_title,
    state_n,
    themed,
)

__all__ = ["topic_change", "item_dumbbell", "reaction_bars"]


def topic_change(topic_table: pd.DataFrame) -> Figure:
    """Mean change per topic with its 95% CI, zero line; x in percentage points.

    ``topic_table``: one row per topic with ``topic_label`` (display text), ``diff_mean``,
    ``diff_ci_low``, ``diff_ci_high`` and ``p_holm`` (aliases accepted: ``topic`` for the label,
    ``t_p_holm`` for ``p_holm``). Optional ``n_paired``: rows under ``MIN_N`` are not drawn,
    and the largest is stated over the axes.

    One rule, stated in the legend's title: the lines are the unadjusted 95% CIs of the table,
    the marker is filled exactly where its drawn interval excludes 0, and the Holm-adjusted p
    (across all the table's topics) is written at the right, never encoded in the marker; so
    the figure and the table tell one story. Returns a Figure (not registered with pyplot).
    """
    df = as_frame(topic_table)
    k = len(df)  # Holm adjusts across every topic of the table, drawn or not
    mean = numeric(df, "diff_mean")
    keep = (mean.notna() & large_enough(df, "n_paired")).to_numpy()
    df = df.loc[keep].reset_index(drop=True)
    with themed():
        fig, ax = new_figure(WIDTH, max(2.8, 0.55 * len(df) + 1.8))
        set_title(fig, t("fig_topic_title"))
        ax.set_xlabel(t("fig_change_axis"))
        ax.set_ylabel(t("fig_topic"))
        if df.empty:
            draw_empty(ax)
            return fig
        n = numeric(df, "n_paired")
        if n.notna().any():
            state_n(ax, int(n.max()))
        _interval_rows(ax, df, labels_of(df, "topic_label", "topic"))
        interval_legend(ax, PALETTE["point"], t("fig_topic_rule", k=k))
    return fig


def _interval_rows(ax: Any, df: pd.DataFrame, labels: list[str]) -> None:
    """Point + CI per row (top to bottom), zero line, the marker filled where the drawn
    interval excludes 0; the Holm p written at the right."""
    mean = numeric(df, "diff_mean").to_numpy()
    lo = numeric(df, "diff_ci_low").to_numpy()
    hi = numeric(df, "diff_ci_high").to_numpy()
    p = numeric(df, "p_holm", "t_p_holm").to_numpy()
    y = np.arange(len(df))[::-1]
    colour = PALETTE["point"]
    ax.axvline(0, color="#333333", lw=0.9, zorder=1)
    for yi, m, a, b, pv in zip(y, mean, lo, hi, p, strict=True):
        if is_finite(a) and is_finite(b):
            ax.hlines(yi, a, b, color=colour, lw=2, zorder=2)
        sig = is_finite(a) and is_finite(b) and (a > 0 or b < 0)  # the interval excludes 0
        ax.plot(
            m, yi, "o", ms=8, color=colour, markerfacecolor=colour if sig else "white", zorder=3
        )
        if is_finite(pv):
            ax.annotate(
                fmt_p(pv),
                xy=(1.0, yi),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
            )
    if any(is_finite(pv) for pv in p):  # name the column of p-values printed at the right
        ax.annotate(
            t("col_p_holm"),
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
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.grid(axis="y", visible=False)


def item_dumbbell(item_table: pd.DataFrame) -> Figure:
    """Percent correct per item before and after: a dot pair joined by a line per item.

    ``item_table``: one row per item with ``item_label`` (display text), ``pre_pct``,
    ``post_pct`` (0-100), ``p_holm`` and the bool flags ``ceiling`` and
    ``negative_discrimination`` (aliases accepted: ``item_id`` for the label,
    ``pre_pct_correct``/``post_pct_correct``, ``mcnemar_p_holm``; missing flags are False).
    Optional ``n_paired``: rows under ``MIN_N`` are not drawn. The post-test marker is filled
    where ``p_holm < .05``; flagged items get ``†`` (ceiling) / ``‡`` (negative discrimination)
    after their label, explained in the legend. Returns a Figure (not registered with pyplot).
    """
    df = as_frame(item_table)
    pre = numeric(df, "pre_pct", "pre_pct_correct")
    post = numeric(df, "post_pct", "post_pct_correct")
    keep = (pre.notna() & post.notna() & large_enough(df, "n_paired")).to_numpy()
    df = df.loc[keep].reset_index(drop=True)
    with themed():
        fig, ax = new_figure(WIDTH, max(3.0, 0.28 * len(df) + 2.2))
        set_title(fig, t("fig_item_title"))
        ax.set_xlabel(t("fig_item_axis"))
        ax.set_ylabel(t("fig_item"))
        if df.empty:
            draw_empty(ax)
            return fig
        n = numeric(df, "n_paired")
        if n.notna().any():
            state_n(ax, int(n.max()))
        pre = numeric(df, "pre_pct", "pre_pct_correct").to_numpy()
        post = numeric(df, "post_pct", "post_pct_correct").to_numpy()
        p = numeric(df, "p_holm", "mcnemar_p_holm").to_numpy()

        ceiling, negdisc = _flag(df, "ceiling"), _flag(df, "negative_discrimination")
        labels = [
            lab + (" †" if c else "") + (" ‡" if n else "")
            for lab, c, n in zip(
                labels_of(df, "item_label", "item_id"), ceiling, negdisc, strict=True
            )
        ]
        y = np.arange(len(df))[::-1]
        ax.hlines(y, np.minimum(pre, post), np.maximum(pre, post), color="#b0b0b0", lw=2)
        # the pre-test dot on top, inside the post-test ring, so that it shows when pre == post
        ax.plot(pre, y, "o", ms=6.5, color=PALETTE["pre"], zorder=5)
        sig = np.array([is_finite(v) and v < 0.05 for v in p], dtype=bool)
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
        ax.xaxis.set_major_formatter(pct_formatter())
        ax.grid(axis="y", visible=False)
        _dumbbell_legend(fig, ceiling.any(), negdisc.any())
    return fig


def _flag(df: pd.DataFrame, name: str) -> np.ndarray:
    """A bool flag column of an item table (False where the column is absent)."""
    if name not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df[name].fillna(False).astype(bool).to_numpy()


def _dumbbell_legend(fig: Figure, ceiling: bool, negdisc: bool) -> None:
    """The item figure's legend: pre, post (significant or not), and the flags shown."""
    handles = [
        Line2D([], [], ls="", marker="o", ms=6.5, color=PALETTE["pre"], label=t("fig_pre")),
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            ms=7,
            color=PALETTE["post"],
            label=t("fig_post_sig"),
        ),
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            ms=7,
            color=PALETTE["post"],
            markerfacecolor="white",
            label=t("fig_post_ns"),
        ),
    ]
    if ceiling:
        handles.append(Line2D([], [], ls="", label=t("fig_flag_ceiling")))
    if negdisc:
        handles.append(Line2D([], [], ls="", label=t("fig_flag_negdisc")))
    fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)


def _reaction_wide(df: pd.DataFrame) -> pd.DataFrame:
    """Wide frame: ``label`` and ``p1..p5`` (percent), from wide or long input."""
    label_col = column(df, "item_label", "text_en", "item_id")
    if column(df, "level") and column(df, "pct", "percent"):
        long = pd.DataFrame(
            {
                "label": df[label_col].astype(str) if label_col else "",
                "level": pd.to_numeric(df["level"], errors="coerce"),
                "pct": numeric(df, "pct", "percent"),
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
    out = pd.DataFrame({"label": labels_of(df, "item_label", "text_en", "item_id")})
    for v in range(1, 6):
        col = column(df, f"pct_{v}", str(v))
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


def reaction_bars(reaction_dist: pd.DataFrame) -> Figure:
    """Diverging stacked bars of the reaction items (Likert 1-5), centred on the neutral 3.

    ``reaction_dist``: wide, one row per item with ``item_label`` (display text) and
    ``pct_1..pct_5`` (percent of respondents; columns ``1..5`` also accepted), or long with
    ``item_label``, ``level`` (1-5) and ``pct``. Optional ``n`` (respondents per item): items
    under ``MIN_N`` are not drawn. Disagreement extends left of 0, agreement right, the neutral
    share straddles 0; segments of at least 8% carry their percent. The legend names the five
    levels. Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = _reaction_wide(as_frame(reaction_dist))
    cols = [f"p{v}" for v in range(1, 6)]
    keep = (df[cols].fillna(0.0).sum(axis=1) > 0) & large_enough(df, "n")
    df = df.loc[keep.to_numpy()].reset_index(drop=True)
    with themed():
        fig, ax = new_figure(WIDTH, max(3.0, 0.42 * len(df) + 2.0))
        set_title(fig, t("fig_reaction_title"))
        label = t("fig_reaction_axis")
        if "n" in df.columns and pd.to_numeric(df["n"], errors="coerce").notna().any():
            n = pd.to_numeric(df["n"], errors="coerce").dropna().astype(int)
            span = f"{n.min()}" if n.min() == n.max() else f"{n.min()}–{n.max()}"
            label += f" (n = {span})"
        ax.set_xlabel(label)
        ax.set_ylabel(t("fig_statement"))
        if df.empty:
            draw_empty(ax)
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
                        fmt_num(w, 0),
                        ha="center",
                        va="center",
                        fontsize=7.5,
                        color=text_colour,
                    )
            left = left + width
        ax.axvline(0, color="#333333", lw=0.9, zorder=0.5)  # behind the bars and their labels
        ax.set_yticks(y, df["label"].tolist())
        ax.set_xlim(-100, 100)
        ax.xaxis.set_major_formatter(pct_formatter(absolute=True))
        ax.grid(axis="y", visible=False)
        handles = [
            Patch(facecolor=LIKERT_COLOURS[v], label=t(f"fig_likert_{v + 1}")) for v in range(5)
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    return fig
