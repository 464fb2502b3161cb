"""Showing and saving a report's parts in a notebook: Markdown, tables, figures, the summary.

A notebook makes one :class:`Report` for its output folder and language; each call shows the
part in the notebook (and so in the rendered HTML) and writes its file: tables as
``tables/<name>.csv``, figures as ``figures/<name>.png`` and ``.svg``, the summary as
``summary.json``. The output folder is a notebook parameter: the build passes the report's
folder, a run by hand writes into ``scratch/`` (:func:`analysis.config.scratch_dir`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import DEFAULT_LANG, project_path, scratch_dir
from ..spreadsheet import defuse_frame
from .locale import locale, t

__all__ = ["Report", "json_value", "save_json", "save_table", "html_table"]


def json_value(v: Any) -> Any:
    """``v`` as plain JSON values: NaN and infinities as None, numpy scalars as Python ones."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):
        return json_value(v.item())
    if isinstance(v, dict):
        return {k: json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [json_value(x) for x in v]
    return v


def save_json(obj: dict, out: Path, name: str = "summary.json") -> Path:
    """Write ``obj`` as JSON (NaN as null) to ``out/name``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    path.write_text(
        json.dumps(json_value(obj), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


def save_table(shown: pd.DataFrame, out: Path, name: str, lang: str = DEFAULT_LANG) -> Path:
    """Write a report table as ``out/tables/<name>.csv``, as the report shows it, with the
    language's CSV delimiter (``;`` where the comma is the decimal mark).

    Text cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
    tab or carriage return) get a leading ``'`` (:func:`analysis.spreadsheet.defuse_frame`);
    numbers, and text that is a number as written (``-2,6``), stay as they are. A carriage
    return inside a text is written as a line feed (which the CSV quotes; a bare one would
    split the row for a reader)."""
    (out / "tables").mkdir(parents=True, exist_ok=True)
    path = out / "tables" / f"{name}.csv"
    safe = defuse_frame(shown)
    for column in safe.columns:
        if safe[column].map(lambda v: isinstance(v, str) and "\r" in v).any():
            safe[column] = safe[column].map(_one_line_feed).astype(safe[column].dtype)
    safe.to_csv(path, index=False, sep=locale(lang).csv_delimiter)
    return path


def _one_line_feed(value: Any) -> Any:
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def html_table(shown: pd.DataFrame):
    """A table as HTML without the index (its plain-text form carries no memory address), every
    cell and heading HTML-escaped (text from the data shows as text, never as markup)."""
    from IPython.display import HTML

    return HTML(shown.to_html(index=False, border=0, classes="dataframe", na_rep="–", escape=True))


@dataclass
class Report:
    """The output folder and language of one report, and the calls that show its parts."""

    out: Path
    lang: str = DEFAULT_LANG
    synthetic: bool = False

    @classmethod
    def open(cls, out_dir: str | None, report_id: str, lang: str, synthetic: bool) -> Report:
        """The report writing into ``out_dir`` (relative to the project root), or into the
        scratch folder when ``out_dir`` is empty or None (a notebook run by hand)."""
        out = project_path(out_dir) if out_dir else scratch_dir(report_id, lang)
        out.mkdir(parents=True, exist_ok=True)
        return cls(out=out, lang=lang, synthetic=synthetic)

    def _show(self, *objs: Any) -> None:
        from IPython.display import display

        display(*objs)

    def md(self, text: str) -> None:
        """Show Markdown."""
        from IPython.display import Markdown

        self._show(Markdown(text))

    def heading(self, key: str, level: int = 2) -> None:
        """Show a section heading (its words from the language file)."""
        self.md(f"{'#' * level} {t(key, self.lang)}")

    def table(self, shown: pd.DataFrame, name: str | None = None) -> None:
        """Show a table; with a ``name``, also save it as ``tables/<name>.csv``."""
        if name:
            save_table(shown, self.out, name, self.lang)
        self._show(html_table(shown))

    def figure(self, fig, name: str) -> None:
        """Save a figure as PNG and SVG and show the PNG, with the figure's title as its
        alternative text (for screen readers in the HTML report).

        Figures of synthetic data carry the mark in their corner, so that none travels without it.
        """
        from IPython.display import Image

        from .figures import mark_synthetic, save

        if self.synthetic:
            mark_synthetic(fig, t("synthetic_mark", self.lang))
        save(fig, self.out, name)
        width = round(fig.get_figwidth() * 100)  # the saved PNG at the figure's size in inches
        alt = " ".join(fig.get_suptitle().split()) or t("fig_alt", self.lang)
        png = (self.out / "figures" / f"{name}.png").read_bytes()
        self._show(Image(data=png, width=width, alt=alt))

    def summary(self, summary: dict, name: str = "summary.json") -> None:
        """Write the report's headline numbers (keys as the data contract fixes them)."""
        save_json(summary, self.out, name)
