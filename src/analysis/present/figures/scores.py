"""Figures of the participants and their scores: flow, score distributions, paired slopes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..locale import fmt_num, t
from .base import (
    HEIGHT,
    MIN_N,
    PALETTE,
    WIDTH,
    as_frame,
    draw_empty,
    is_finite,
    new_figure,
    numeric,
    pct_formatter,
    set_title,
    state_n,
    themed,
)

__all__ = ["flow_figure", "paired_slopes", "score_distributions"]


def flow_figure(flow_row: Mapping[str, Any] | pd.Series) -> Figure:
    """Participant flow as a box diagram: received, removed, scored, paired, per phase.

    ``flow_row``: one row of ``flow.csv`` (a dict or ``pd.Series``) with ``received_pre,
    received_post, duplicates_pre, duplicates_post, excluded_pre, excluded_post, scored_pre,
    scored_post, paired, unmatched_pre, unmatched_post`` (missing keys count as 0). These are
    whole-workshop counts of questionnaires, not subgroup cells. Empty state when nothing was
    received. Returns a Figure (not registered with pyplot; nothing to close).
    """

    def get(key: str) -> int:
        value = flow_row.get(key, 0) if flow_row is not None else 0
        return int(value) if is_finite(value) else 0

    with themed():
        fig, ax = new_figure(WIDTH, 4.6)
        set_title(fig, t("fig_flow_title"))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        if get("received_pre") + get("received_post") == 0:
            ax.axis("on")
            draw_empty(ax)
            for side in ax.spines.values():
                side.set_visible(False)
            return fig
        box = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#333333"}
        side_box = {**box, "facecolor": "#f2f2f2", "edgecolor": "#888888"}
        main_box = {**box, "facecolor": "#e8f1f8", "edgecolor": PALETTE["pre"]}
        arrow = {"arrowstyle": "-|>", "color": "#555555", "lw": 1.0}
        kw = {"ha": "center", "va": "center", "fontsize": 9}
        for x, phase, key in ((0.3, "pre", "fig_pre"), (0.7, "post", "fig_post")):
            top = f"{t(key)}\n{t('fig_flow_received', n=get(f'received_{phase}'))}"
            removed = "\n".join(
                (
                    t("fig_flow_duplicates", n=get(f"duplicates_{phase}")),
                    t("fig_flow_excluded", n=get(f"excluded_{phase}")),
                )
            )
            scored = t("fig_flow_scored", n=get(f"scored_{phase}"))
            unmatched = t("fig_flow_unmatched", n=get(f"unmatched_{phase}"))
            ax.text(x, 0.88, top, bbox=box, **kw)
            ax.text(x, 0.62, removed, bbox=side_box, **kw)
            ax.text(x, 0.38, scored, bbox=box, **kw)
            ux = 0.08 if phase == "pre" else 0.92
            ax.text(ux, 0.12, unmatched, bbox=side_box, **kw)
            ax.annotate("", xy=(x, 0.70), xytext=(x, 0.80), arrowprops=arrow)
            ax.annotate("", xy=(x, 0.44), xytext=(x, 0.54), arrowprops=arrow)
            ax.annotate("", xy=(0.5, 0.18), xytext=(x, 0.32), arrowprops=arrow)
            ax.annotate("", xy=(ux, 0.18), xytext=(x, 0.32), arrowprops=arrow)
        ax.text(0.5, 0.12, t("fig_flow_paired", n=get("paired")), bbox=main_box, **kw)
    return fig


def paired_slopes(paired: pd.DataFrame) -> Figure:
    """One line per paired participant from pre-test to post-test score, plus the means.

    ``paired``: one row per participant with ``pre_pct`` and ``post_pct`` (0-100). Lines are
    coloured improved / unchanged / declined; the thick black line joins the means; n is stated
    over the axes. Every participant is visible: officers with the same two scores share one
    line, drawn thicker (width ``1.1 · √k``) and labelled ``×k`` at its post-test end. Empty
    state below ``MIN_N`` complete pairs (individual scores of fewer than 5 people are not
    drawn). Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = as_frame(paired)
    pre = numeric(df, "pre_pct")
    post = numeric(df, "post_pct")
    ok = pre.notna() & post.notna()
    pre, post = pre[ok].to_numpy(), post[ok].to_numpy()
    with themed():
        fig, ax = new_figure(WIDTH, HEIGHT)
        set_title(fig, t("fig_slopes_title"))
        ax.set_xlabel(t("fig_test"))
        ax.set_ylabel(t("fig_score_axis"))
        if pre.size < MIN_N:
            draw_empty(ax, "fig_empty" if pre.size == 0 else "fig_suppressed")
            return fig
        diff = np.round(post - pre, 6)
        groups = (
            ("improved", diff > 0, "fig_improved"),
            ("unchanged", diff == 0, "fig_unchanged"),
            ("declined", diff < 0, "fig_declined"),
        )
        state_n(ax, pre.size)
        handles = []
        for role, mask, key in groups:
            colour = PALETTE[role]
            pairs, counts = np.unique(
                np.column_stack([np.round(pre[mask], 6), np.round(post[mask], 6)]).reshape(-1, 2),
                axis=0,
                return_counts=True,
            )
            for (a, b), k in zip(pairs, counts, strict=True):
                ax.plot(
                    [0, 1],
                    [a, b],
                    color=colour,
                    alpha=0.55,
                    lw=1.1 * float(np.sqrt(k)),
                    marker="o",
                    ms=3.5,
                    gid=f"pair-{int(k)}",
                )
                if k > 1:
                    ax.text(1.03, b, t("fig_slopes_count", k=int(k)), va="center", fontsize=7.5)
            handles.append(Line2D([], [], color=colour, lw=1.5, marker="o", ms=4, label=t(key)))
        means = [float(pre.mean()), float(post.mean())]
        ax.plot([0, 1], means, color=PALETTE["mean"], lw=3, marker="D", ms=7, zorder=5)
        for x, m, ha in ((0, means[0], "right"), (1, means[1], "left")):
            dx = -0.06 if ha == "right" else 0.06
            ax.text(x + dx, m, fmt_num(m, 1), ha=ha, va="center", fontsize=9, weight="bold")
        handles.append(
            Line2D([], [], color=PALETTE["mean"], lw=3, marker="D", ms=6, label=t("fig_mean"))
        )
        ax.set_xticks([0, 1], [t("fig_pre"), t("fig_post")])
        ax.set_xlim(-0.35, 1.35)
        ax.set_ylim(-3, 103)
        ax.yaxis.set_major_formatter(pct_formatter())
        ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return fig


def score_distributions(scores: pd.DataFrame) -> Figure:
    """Pre-test and post-test score distributions of all scored questionnaires: box + points.

    ``scores``: one row per scored questionnaire with ``phase`` (``"pre"``/``"post"``) and
    ``score_pct`` (0-100). Points are jittered vertically with a fixed seed (deterministic).
    A phase with fewer than ``MIN_N`` questionnaires is not drawn; empty state when neither
    phase is drawn. Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = as_frame(scores)
    phase = df["phase"].astype(str) if "phase" in df.columns else pd.Series([], dtype=str)
    score = numeric(df, "score_pct")
    rng = np.random.default_rng(20210316)
    with themed():
        fig, ax = new_figure(WIDTH, 3.6)
        set_title(fig, t("fig_dist_title"))
        ax.set_xlabel(t("fig_score_axis"))
        ax.set_ylabel(t("fig_test"))
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
            drawn.append((pos, t("fig_phase_n", phase=t(key), n=x.size)))
        if not drawn:
            draw_empty(ax, "fig_empty" if score.notna().sum() == 0 else "fig_suppressed")
            return fig
        ax.set_yticks([p for p, _ in drawn], [lab for _, lab in drawn])
        ax.set_ylim(-0.6, 1.6)
        ax.set_xlim(-2, 102)
        ax.xaxis.set_major_formatter(pct_formatter())
        ax.grid(axis="y", visible=False)
    return fig
