"""The report theme, saving, and the helpers every figure module uses."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from ..locale import fmt_num, t

__all__ = [
    "MIN_N",
    "PALETTE",
    "OKABE_ITO",
    "LIKERT_COLOURS",
    "WIDTH",
    "HEIGHT",
    "POOLED_IDS",
    "set_theme",
    "themed",
    "save",
    "new_figure",
    "draw_empty",
    "as_frame",
    "column",
    "numeric",
    "large_enough",
    "labels_of",
    "is_finite",
    "pct_formatter",
    "set_title",
    "state_n",
    "mark_synthetic",
    "interval_legend",
]

#: Smallest number of people a figure draws (subgroup cells under 5 are suppressed).
MIN_N = 5
#: Resolution of saved PNG files: 1.5 times the 100 pixels per inch at which the HTML report
#: shows a figure (``present.display.Report.figure``), sharp on high-density screens.
_DPI = 150
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

#: Default figure size in inches.
WIDTH = 7.0
HEIGHT = 4.0
#: Ids that mark the pooled row of a forest plot.
POOLED_IDS = {"pooled", "all", "total"}


def _theme_rc() -> dict[str, Any]:
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
            "savefig.dpi": _DPI,
            "figure.figsize": (WIDTH, HEIGHT),
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
            "text.parse_math": False,  # a "$" in a codebook or registry text is shown as written
        }
    )
    return rc


def set_theme() -> None:
    """Apply the report theme globally (call once at the top of a notebook).

    The figure functions also draw inside the theme on their own, so their output does not
    depend on whether this was called; ``set_theme`` makes other plots in the notebook match.
    """
    sns.set_theme(style="whitegrid", palette=list(OKABE_ITO.values()), rc=_theme_rc())
    mpl.rcParams.update(_theme_rc())


@contextlib.contextmanager
def themed() -> Iterator[None]:
    """Draw inside the report theme (a context manager)."""
    with mpl.rc_context(_theme_rc()):
        yield


def save(fig: Figure, out_dir: Path, name: str) -> None:
    """Write ``out_dir/figures/<name>.png`` (``_DPI`` dots per inch) and ``<name>.svg``.

    One layout pass: the constrained layout runs once, in the PNG's draw (at its dpi), and is
    then frozen (the figure's layout engine becomes ``"none"``: constrained layout moves the
    axes a little on every draw when a legend sits outside them), so that the SVG is drawn with
    the axes where it put them for the PNG. Two draws in all, none of them only for the layout.
    The output is deterministic: the SVG carries no date and fixed ids (``svg.hashsalt``), the
    PNG carries no software or date text, so saving the same figure twice gives byte-identical
    files. The figure is left open (see the module docstring: nothing needs closing).
    """
    folder = Path(out_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    with themed():
        fig.savefig(
            folder / f"{name}.png",
            format="png",
            dpi=_DPI,
            metadata={"Software": None},
        )
        _freeze_layout(fig)
        fig.savefig(
            folder / f"{name}.svg",
            format="svg",
            metadata={"Date": None, "Creator": None},
        )


def _freeze_layout(fig: Figure) -> None:
    """Keep the axes where the last draw's layout put them for every later draw."""
    engine = fig.get_layout_engine()
    if engine is None or type(engine).__name__ == "PlaceHolderLayoutEngine":
        return
    fig.set_layout_engine("none")


def new_figure(width: float = WIDTH, height: float = HEIGHT) -> tuple[Figure, Any]:
    """A figure with one axes and constrained layout, not registered with pyplot."""
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def draw_empty(ax: Any, key: str = "fig_empty") -> None:
    """Draw the empty-state message and hide the ticks (axis labels stay set)."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.text(
        0.5,
        0.5,
        t(key),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=10,
        color="#444444",
    )


def as_frame(data: Any) -> pd.DataFrame:
    """A copy of ``data`` as a DataFrame (a frame, a mapping as one row, or rows)."""
    if data is None:
        return pd.DataFrame()
    if isinstance(data, pd.DataFrame):
        return data.copy()
    if isinstance(data, Mapping):
        return pd.DataFrame([dict(data)])
    return pd.DataFrame(list(data))


def column(df: pd.DataFrame, *names: str) -> str | None:
    """The first of ``names`` that is a column of ``df`` (aliases of the ``stats`` tables)."""
    for name in names:
        if name in df.columns:
            return name
    return None


def numeric(df: pd.DataFrame, *names: str) -> pd.Series:
    """The first present column of ``names`` as floats (NaN where absent or not a number)."""
    col = column(df, *names)
    if col is None:
        return pd.Series(np.nan, index=df.index, dtype=float)
    return pd.to_numeric(df[col], errors="coerce").astype(float)


def large_enough(df: pd.DataFrame, *names: str) -> pd.Series:
    """True for rows whose count column (if any) is at least ``MIN_N``; ``"<5"`` is False."""
    col = column(df, *names)
    if col is None:
        return pd.Series(True, index=df.index, dtype=bool)
    n = pd.to_numeric(df[col], errors="coerce")
    return (n >= MIN_N).fillna(False).astype(bool)


def labels_of(df: pd.DataFrame, *names: str) -> list[str]:
    """Row labels from the first present column of ``names`` (else 1, 2, ...)."""
    col = column(df, *names)
    if col is None:
        return [str(i + 1) for i in range(len(df))]
    return [str(x) for x in df[col].tolist()]


def is_finite(x: Any) -> bool:
    """Whether ``x`` is a finite number."""
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def pct_formatter(absolute: bool = False) -> FuncFormatter:
    """Axis tick labels in the report language (absolute values for diverging bars)."""

    def fmt(x: float, _pos: int) -> str:
        value = abs(x) if absolute else x
        return fmt_num(value, 0 if float(value).is_integer() else 1)

    return FuncFormatter(fmt)


#: Colour and size of the synthetic-data mark in a figure's top right corner.
_MARK_STYLE = {"fontsize": 9, "fontweight": "bold", "color": "#b45309"}


def set_title(fig: Figure, text: str) -> None:
    """The figure's title, bold, left-aligned (so that the top right corner stays free for the
    synthetic-data mark, :func:`mark_synthetic`)."""
    fig.suptitle(text, x=0.01, ha="left", fontweight="bold")


def state_n(ax: Any, n: int) -> None:
    """Say over the axes how many officers the figure shows (``n = 14 officers with both
    tests``), in the axes' title slot, under the figure's title."""
    ax.set_title(t("fig_n_linked", n=int(n)), fontsize=9, fontweight="normal", loc="left")


def mark_synthetic(fig: Figure, text: str) -> Any:
    """Draw the synthetic-data mark in the figure's top right corner (the title is
    left-aligned, the legends sit at the bottom or beside the axes: nothing else is there)."""
    return fig.text(0.995, 0.995, text, ha="right", va="top", **_MARK_STYLE)


def interval_legend(ax: Any, colour: str, rule: str, marker: str = "o") -> None:
    """The legend of an interval figure: filled where the drawn interval excludes 0, hollow
    where it includes 0, and the figure's rule (``rule``) as the legend's title (its caption)."""
    handles = [
        Line2D([], [], ls="", marker=marker, ms=7, color=colour, label=t("fig_ci_excludes")),
        Line2D(
            [],
            [],
            ls="",
            marker=marker,
            ms=7,
            color=colour,
            markerfacecolor="white",
            label=t("fig_ci_includes"),
        ),
    ]
    ax.figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=2,
        frameon=False,
        title=rule,
        title_fontproperties={"size": 8.5},
    )
