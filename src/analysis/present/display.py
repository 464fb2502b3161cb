"""Showing and saving a report's parts in a notebook: Markdown, tables, figures, the summary.

A notebook makes one :class:`Report` for its output folder and language (:meth:`Report.open`,
which also makes that language the current one, :func:`analysis.present.locale.use`: the
notebook's other calls then write in it without being told); each call shows the
part in the notebook (and so in the rendered HTML) and writes its file: tables as
``tables/<name>.csv``, figures as ``figures/<name>.png`` and ``.svg``, the summary as
``summary.json``. The output folder is a notebook parameter: the build passes the report's
folder, a run by hand writes into ``scratch/`` (:func:`analysis.config.scratch_dir`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import DEFAULT_LANG, project_path, scratch_dir
from ..spreadsheet import defuse_frame, workbook_bytes_at
from .locale import t, use
from .tidy import dictionary, tidy_of

__all__ = [
    "Report",
    "json_value",
    "save_table",
    "table_csv",
    "workbook_bytes",
    "html_table",
]

#: The date written into every workbook, so that the same tables give the same bytes.
_FIXED_TIME = dt.datetime(2021, 3, 25, 0, 0, 0)


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


def _save_json(obj: dict, out: Path, name: str = "summary.json") -> Path:
    """Write ``obj`` as JSON (NaN as null) to ``out/name``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    path.write_text(
        json.dumps(json_value(obj), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


def save_table(frame: pd.DataFrame, out: Path, name: str) -> Path:
    """Write a tidy table (:mod:`analysis.present.tidy`) as ``out/tables/<name>.csv``.

    The file is the same in every language: UTF-8 with a byte-order mark (so that Excel on
    Windows reads its letters right), comma-separated, a line feed after each row, numbers at
    full precision (a missing one empty), ``True`` / ``False`` for flags. Text cells a spreadsheet
    would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get
    a leading ``'`` (:func:`analysis.spreadsheet.defuse_frame`); numbers, and text that is a
    number as written (``-2,6``), stay as they are. A carriage return inside a text is written as
    a line feed (which the CSV quotes; a bare one would split the row for a reader)."""
    (out / "tables").mkdir(parents=True, exist_ok=True)
    path = out / "tables" / f"{name}.csv"
    path.write_bytes(table_csv(frame))
    return path


def table_csv(frame: pd.DataFrame) -> bytes:
    """The bytes :func:`save_table` writes for ``frame``."""
    safe = _safe(frame)
    text = safe.to_csv(index=False, sep=",", lineterminator="\n")
    return ("\ufeff" + text).encode("utf-8")


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = defuse_frame(frame)
    for column in safe.columns:
        if safe[column].map(lambda v: isinstance(v, str) and "\r" in v).any():
            safe[column] = safe[column].map(_one_line_feed).astype(safe[column].dtype)
    return safe


def _one_line_feed(value: Any) -> Any:
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def workbook_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """One .xlsx with a sheet per table (name -> tidy table), in order: numbers as numbers, a
    missing one as an empty cell, text defused as in :func:`save_table`; the same bytes for the
    same tables (:func:`analysis.spreadsheet.workbook_bytes_at`)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        sheet = book.create_sheet(title=name[:31])
        safe = _safe(frame)
        sheet.append([str(c) for c in safe.columns])
        for row in safe.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
    return workbook_bytes_at(book, "analysis", _FIXED_TIME)


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def html_table(shown: pd.DataFrame):
    """A table as HTML without the index (its plain-text form carries no memory address), every
    cell and heading HTML-escaped (text from the data shows as text, never as markup).

    Each cell and heading carries the class of its column: ``num`` where every cell is a number,
    an interval, a p-value or a count without a letter (``0.95``, ``[-0.24, 0.84]``, ``< .001``,
    ``3 / 4``, ``–``), shown right-aligned and never wrapped (the report's style sheet,
    :data:`analysis.build.render.TEMPLATE`); ``text`` elsewhere, left-aligned and wrapped."""
    from IPython.display import HTML

    kinds = [_column_kind(shown.iloc[:, i]) for i in range(shown.shape[1])]
    head = "".join(
        f'<th class="{k}">{html.escape(str(c))}</th>'
        for c, k in zip(shown.columns, kinds, strict=True)
    )
    body = "\n".join(
        "<tr>"
        + "".join(
            f'<td class="{k}">{html.escape(_cell_text(v))}</td>'
            for v, k in zip(row, kinds, strict=True)
        )
        + "</tr>"
        for row in shown.itertuples(index=False)
    )
    return HTML(
        f'<table class="dataframe report-table">\n<thead>\n<tr>{head}</tr>\n</thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def _cell_text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return str(value)


def _column_kind(values: pd.Series) -> str:
    """``num`` when no cell of the column has a letter (numbers, intervals, p, counts), else
    ``text``."""
    texts = [_cell_text(v) for v in values]
    has_letter = any(ch.isalpha() for text in texts for ch in text)
    return "text" if has_letter or not texts else "num"


@dataclass
class Report:
    """The output folder and language of one report, and the calls that show its parts."""

    out: Path
    lang: str = DEFAULT_LANG
    synthetic: bool = False
    tidy: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, out_dir: str | None, report_id: str, lang: str, synthetic: bool) -> Report:
        """The report writing into ``out_dir`` (relative to the project root), or into the
        scratch folder when ``out_dir`` is empty or None (a notebook run by hand); ``lang``
        becomes the current language (:func:`analysis.present.locale.use`)."""
        out = project_path(out_dir) if out_dir else scratch_dir(report_id, lang)
        out.mkdir(parents=True, exist_ok=True)
        use(lang)
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

    def table(
        self, shown: pd.DataFrame, name: str | None = None, tidy: pd.DataFrame | None = None
    ) -> None:
        """Show a table; with a ``name``, also save its tidy table (``tidy``, or the one the
        display function attached, :func:`analysis.present.tidy.with_tidy`) as
        ``tables/<name>.csv``; :meth:`write_tables` (called by :meth:`summary`, a report's
        last call) writes ``tables.xlsx`` beside ``tables/`` (a sheet per table saved) and
        ``tables/dictionary.csv``.

        Raises ``ValueError`` for a named table without a tidy table, and ``KeyError`` for a
        column declared neither by its table nor in :data:`analysis.present.columns.COLUMNS`:
        the display strings are never saved for reuse, and no column is published
        undescribed."""
        if name:
            frame = tidy if tidy is not None else tidy_of(shown)
            if frame is None:
                raise ValueError(
                    f"table {name!r} has no tidy table: pass report.table(shown, {name!r}, "
                    "tidy=...) or attach one with analysis.present.tidy.with_tidy"
                )
            dictionary({name: frame})  # every column described, or KeyError now
            self.tidy[name] = frame
            save_table(frame, self.out, name)
        self._show(html_table(shown))

    def write_tables(self) -> None:
        """Write ``tables/dictionary.csv`` and ``tables.xlsx`` (a sheet per table saved so far,
        and the dictionary) for the tables saved by :meth:`table`; nothing without one."""
        if not self.tidy:
            return
        terms = dictionary(self.tidy)
        save_table(terms, self.out, "dictionary")
        (self.out / "tables.xlsx").write_bytes(workbook_bytes({**self.tidy, "dictionary": terms}))

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
        """Write the report's headline numbers (keys as the data contract fixes them), and its
        tables' workbook and dictionary (:meth:`write_tables`): a report's last call."""
        self.write_tables()
        _save_json(summary, self.out, name)
