"""Figures of the wrong answers: how each linked participant's answer moved pre -> post."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..locale import t
from .base import (
    OKABE_ITO,
    WIDTH,
    as_frame,
    draw_empty,
    labels_of,
    large_enough,
    new_figure,
    numeric,
    themed,
)

__all__ = ["answer_migration_bars"]

#: Colours of the five ways an answer moved (Okabe-Ito, colour-blind safe).
_MIGRATION_COLOURS = {
    "stayed_correct": OKABE_ITO["blue"],
    "learned": OKABE_ITO["green"],
    "forgot": OKABE_ITO["vermillion"],
    "wrong_moved": OKABE_ITO["yellow"],
    "wrong_same": OKABE_ITO["grey"],
}


def answer_migration_bars(migration: pd.DataFrame) -> Figure:
    """One stacked bar per item: how the linked participants' answers moved pre -> post.

    ``migration``: one row per item with ``item_label`` (display text; else ``item_id``),
    ``n_linked`` and the counts ``n_stayed_correct``, ``n_learned``, ``n_forgot``,
    ``n_wrong_moved``, ``n_wrong_same`` (``stats.answer_migration``). Bars show percent of the
    linked participants, in that order from the left; segments of at least 10% carry their
    count. Items with ``n_linked`` under ``MIN_N`` are not drawn (an empty state instead).
    Returns a Figure (not registered with pyplot; nothing to close).
    """
    df = as_frame(migration)
    kinds = list(_MIGRATION_COLOURS)
    keep = large_enough(df, "n_linked").to_numpy() if len(df) else np.array([], bool)
    df = df.loc[keep].reset_index(drop=True)
    with themed():
        fig, ax = new_figure(WIDTH, max(3.0, 0.27 * len(df) + 1.8))
        fig.suptitle(t("fig_migration_title"), fontweight="bold")
        ax.set_xlabel(t("fig_migration_axis") + " (%)")
        ax.set_ylabel(t("fig_item"))
        if df.empty:
            draw_empty(ax)
            return fig
        n = numeric(df, "n_linked").to_numpy(dtype=float)
        y = np.arange(len(df))[::-1]
        left = np.zeros(len(df))
        for kind in kinds:
            count = numeric(df, f"n_{kind}").fillna(0).to_numpy(dtype=float)
            width = 100.0 * count / n
            ax.barh(y, width, left=left, height=0.7, color=_MIGRATION_COLOURS[kind], lw=0)
            dark = kind in ("stayed_correct", "forgot")
            for yi, l0, w, c in zip(y, left, width, count, strict=True):
                if w >= 10:
                    ax.text(
                        l0 + w / 2,
                        yi,
                        str(int(c)),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if dark else "black",
                    )
            left = left + width
        ax.set_yticks(y, labels_of(df, "item_label", "item_id"))
        ax.set_xlim(0, 100)
        ax.grid(axis="y", visible=False)
        handles = [Patch(facecolor=_MIGRATION_COLOURS[k], label=_kind_label(k)) for k in kinds]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    return fig


def _kind_label(kind: str) -> str:
    """The legend's words for one way an answer moved (literal message keys)."""
    words = {
        "stayed_correct": lambda: t("fig_migration_stayed_correct"),
        "learned": lambda: t("fig_migration_learned"),
        "forgot": lambda: t("fig_migration_forgot"),
        "wrong_moved": lambda: t("fig_migration_wrong_moved"),
        "wrong_same": lambda: t("fig_migration_wrong_same"),
    }
    return words[kind]()
