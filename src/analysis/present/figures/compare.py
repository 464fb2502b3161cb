"""Figures that compare the workshops: the forest plot and the means per workshop."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..locale import fmt_num, t
from .base import (
    HEIGHT,
    PALETTE,
    POOLED_IDS,
    WIDTH,
    as_frame,
    draw_empty,
    is_finite,
    labels_of,
    large_enough,
    new_figure,
    numeric,
    pct_formatter,
    set_title,
    themed,
)

__all__ = ["forest_plot", "workshop_means"]


def forest_plot(summaries: pd.DataFrame | Sequence[Mapping[str, Any]]) -> Figure:
    """Mean change with its 95% CI per workshop (and pooled), labelled with g_av and n.

    ``summaries``: a DataFrame or a list of dicts (e.g. the ``summary.json`` dicts), one row
    per workshop with ``workshop_id``, ``diff_mean``, ``diff_ci_low``, ``diff_ci_high``,
    ``g_av``, ``n_paired``. A pooled row is marked by ``workshop_id`` ``"pooled"`` (or
    ``"all"``) or a true ``pooled`` column; it is drawn last as a diamond labelled "All
    workshops". Optional ``workshop_label`` replaces the id as the row label. Rows with
    ``n_paired`` under ``MIN_N`` are not drawn. Returns a Figure (not registered with pyplot).
    """
    df = as_frame(summaries)
    mean = numeric(df, "diff_mean")
    keep = (mean.notna() & large_enough(df, "n_paired")).to_numpy()
    df = df.loc[keep].reset_index(drop=True)
    df, pooled = _pooled_last(df)
    with themed():
        fig, ax = new_figure(WIDTH, max(2.8, 0.5 * len(df) + 1.8))
        set_title(fig, t("fig_forest_title"))
        ax.set_xlabel(t("fig_change_axis"))
        ax.set_ylabel(t("fig_workshop"))
        if df.empty:
            draw_empty(ax)
            return fig
        labels = labels_of(df, "workshop_label", "workshop_id")
        labels = [t("fig_pooled") if p else lab for lab, p in zip(labels, pooled, strict=True)]
        mean = numeric(df, "diff_mean").to_numpy()
        lo = numeric(df, "diff_ci_low").to_numpy()
        hi = numeric(df, "diff_ci_high").to_numpy()
        g = numeric(df, "g_av").to_numpy()
        n = numeric(df, "n_paired").to_numpy()
        y = np.arange(len(df))[::-1].astype(float)
        ax.axvline(0, color="#333333", lw=0.9, zorder=1)
        for yi, m, a, b, gi, ni, p in zip(y, mean, lo, hi, g, n, pooled, strict=True):
            colour = PALETTE["pooled"] if p else PALETTE["point"]
            if is_finite(a) and is_finite(b):
                ax.hlines(yi, a, b, color=colour, lw=2, zorder=2)
            ax.plot(m, yi, "D" if p else "s", ms=9 if p else 7, color=colour, zorder=3)
            n_text = str(int(ni)) if is_finite(ni) else "–"
            ax.annotate(
                t("fig_forest_label", g=fmt_num(gi, 2), n=n_text),
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
        ax.xaxis.set_major_formatter(pct_formatter())
        ax.grid(axis="y", visible=False)
    return fig


def _pooled_last(df: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows with the pooled row(s) last, and which rows are pooled."""
    ids = [str(x) for x in df["workshop_id"]] if "workshop_id" in df.columns else []
    pooled = np.array([i.lower() in POOLED_IDS for i in ids], dtype=bool)
    if "pooled" in df.columns:
        pooled |= df["pooled"].fillna(False).astype(bool).to_numpy()
    if len(df):
        order = np.argsort(pooled, kind="stable")
        df, pooled = df.iloc[order].reset_index(drop=True), pooled[order]
    return df, pooled


def workshop_means(scores_by_workshop: pd.DataFrame) -> Figure:
    """Pre-test and post-test mean score with its 95% CI, per workshop.

    ``scores_by_workshop``: long, one row per workshop and phase with ``workshop_id``,
    ``phase`` (``"pre"``/``"post"``), ``mean``, ``ci_low``, ``ci_high`` (0-100). Optional
    ``workshop_label`` replaces the id on the axis; optional ``n``: rows under ``MIN_N`` are
    not drawn. Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = as_frame(scores_by_workshop)
    mean = numeric(df, "mean")
    keep = mean.notna() & large_enough(df, "n")
    if "phase" in df.columns:
        keep &= df["phase"].astype(str).isin(["pre", "post"])
    df = df.loc[keep.to_numpy()].reset_index(drop=True)
    with themed():
        fig, ax = new_figure(WIDTH, HEIGHT)
        set_title(fig, t("fig_means_title"))
        ax.set_xlabel(t("fig_workshop"))
        ax.set_ylabel(t("fig_score_axis"))
        if df.empty or "workshop_id" not in df.columns:
            draw_empty(ax)
            return fig
        ids = list(dict.fromkeys(str(x) for x in df["workshop_id"]))
        label_of = dict(
            zip(
                df["workshop_id"].astype(str),
                labels_of(df, "workshop_label", "workshop_id"),
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
            m = numeric(sub, "mean").to_numpy()
            lo = numeric(sub, "ci_low").to_numpy()
            hi = numeric(sub, "ci_high").to_numpy()
            colour = PALETTE[phase]
            ok = np.isfinite(lo) & np.isfinite(hi)
            ax.vlines(x[ok], lo[ok], hi[ok], color=colour, lw=2)
            ax.plot(x, m, marker, ls="", ms=7, color=colour)
            handles.append(Line2D([], [], color=colour, marker=marker, ms=7, lw=2, label=t(key)))
        n_of = dict(zip(df["workshop_id"].astype(str), numeric(df, "n").to_numpy(), strict=False))
        ax.set_xticks(
            range(len(ids)),
            [
                t("fig_phase_n", phase=label_of[w], n=int(n_of[w]))
                if is_finite(n_of[w])
                else label_of[w]
                for w in ids
            ],
        )
        ax.set_xlim(-0.6, len(ids) - 0.4)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(pct_formatter())
        ax.grid(axis="x", visible=False)
        ax.legend(handles=handles, title=t("fig_test"), loc="lower right")
    return fig
