"""A published table, defined once: its tidy table for reuse and the table a report shows.

A :class:`Table` lists the columns it publishes (declarations of
:mod:`analysis.present.columns`) and the columns it shows (:class:`Shown`). From the statistics
(one row per unit: a topic, an item, a subgroup, a workshop, a model term) it makes

- the **tidy table** (:meth:`Table.tidy`), written to ``tables/<name>.csv`` and ``tables.xlsx``:
  snake_case column names, numbers as numbers at full precision, identifiers as the data has
  them, and every text a reader needs in one column per language of
  :data:`analysis.config.LANGS` (``label_en``, ``label_sq``, ...), so that the file is the same,
  byte for byte, whatever the report's language;
- the **shown table** (:meth:`Table.show`), made from the tidy table in the current language
  (:func:`analysis.present.locale.current`): each header the message its column declares,
  numbers formatted for the page.

:meth:`Table.display` returns the shown table carrying its tidy table (:func:`with_tidy`), so
that :meth:`analysis.present.display.Report.table` saves the tidy table of what it shows; the
tidy table carries its columns' declarations, from which :func:`dictionary` writes the data
dictionary (every column of every table, its unit and what it holds, in every language).
Suppressed subgroup cells (fewer than 5 people, or a group that could be worked out from
others) stay empty, with the flag ``suppressed`` and its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..config import LANGS
from .columns import Column, declare, described
from .locale import fmt_ci, fmt_num, fmt_p, language, t

__all__ = [
    "with_tidy",
    "tidy_of",
    "numbers",
    "intervals",
    "Shown",
    "Table",
    "shown_count",
    "shown_gain",
    "shown_number",
    "shown_p",
    "shown_interval",
    "shown_label",
    "shown_pair",
    "dictionary",
]

#: The key of a display frame's ``attrs`` that holds its tidy table.
_TIDY = "tidy"
#: The key of a tidy table's ``attrs`` that holds its columns' declarations, by name.
_DECLARED = "declared"

#: A labeller: the name of an identifier (a topic, an item...) in the current language.
_Labeller = Callable[[Any], str]


def with_tidy(shown: pd.DataFrame, tidy: pd.DataFrame) -> pd.DataFrame:
    """``shown`` carrying ``tidy`` as the table to save for it (in ``shown.attrs``)."""
    shown.attrs[_TIDY] = tidy
    return shown


def tidy_of(shown: pd.DataFrame) -> pd.DataFrame | None:
    """The tidy table a display frame carries (:func:`with_tidy`), or None."""
    tidy = shown.attrs.get(_TIDY)
    return tidy if isinstance(tidy, pd.DataFrame) else None


def numbers(series: Sequence[Any], digits: int) -> pd.Series:
    """Numbers for table cells (a dash for a missing value)."""
    return pd.Series(series).map(lambda v: fmt_num(float(v), digits) if pd.notna(v) else "–")


def _p_values(series: Sequence[Any]) -> pd.Series:
    """p-values for a table cell: ``,034`` / ``< ,001`` (the ``p =`` of the prose dropped)."""
    return pd.Series(series).map(
        lambda v: fmt_p(float(v)).removeprefix("p = ").removeprefix("p ") if pd.notna(v) else "–"
    )


def intervals(low: Sequence[Any], high: Sequence[Any], digits: int) -> list[str]:
    """Intervals for table cells (a dash where the interval is missing)."""
    return [
        "–" if pd.isna(lo) else fmt_ci(lo, hi, digits) for lo, hi in zip(low, high, strict=True)
    ]


def _values(column: Column, values: pd.Series) -> Any:
    """A published column's values as its unit writes them (:mod:`analysis.present.columns`)."""
    if column.unit == "count":
        return pd.Series(list(values), dtype="Int64")
    if column.unit == "boolean":
        return [bool(v) for v in values]
    if column.unit in ("id", "text"):
        return [str(v) for v in values]
    return pd.Series(pd.to_numeric(pd.Series(list(values)), errors="coerce"), dtype="float64")


@dataclass(frozen=True)
class Shown:
    """A column of a shown table: its cells, made from the tidy table (and the table's
    labellers) in the current language, under the header of the published column it shows
    (``column``), or a header of its own (``header``: a message key, or a function giving the
    words)."""

    cells: Callable[[pd.DataFrame, Mapping[str, _Labeller]], Sequence[Any]]
    column: str | None = None
    header: str | Callable[[], str] | None = None

    def title(self, declared: Mapping[str, Column]) -> str:
        """The header in the current language."""
        if callable(self.header):
            return self.header()
        key = self.header or (declared[self.column].header if self.column else None)
        if key is None:
            raise ValueError(f"shown column of {self.column!r} has no header")
        return t(key)


@dataclass(frozen=True)
class Table:
    """One published table: the columns of its tidy table, in order, and the columns it shows.

    ``columns`` are declarations (:func:`analysis.present.columns.declare`) or the names of the
    registry's columns as they are (several in one string, separated by spaces, as
    :func:`collections.namedtuple` takes its fields). ``labels`` names the labeller of each
    per-language column (a function of the identifier it names, in the current language); a call
    may give others (an item's name needs the codebook). A per-language column's ``source`` is
    the identifier column it names.
    """

    columns: tuple[Column | str, ...]
    shown: tuple[Shown, ...] = ()
    labels: Mapping[str, _Labeller] = field(default_factory=dict)

    def __post_init__(self) -> None:
        columns = tuple(
            d
            for c in self.columns
            for d in (map(declare, c.split()) if isinstance(c, str) else [c])
        )
        object.__setattr__(self, "columns", columns)

    def declared(self) -> dict[str, Column]:
        """The table's columns by name."""
        return {c.name: c for c in self.columns if isinstance(c, Column)}

    def tidy(self, rows: pd.DataFrame, **labels: _Labeller) -> pd.DataFrame:
        """The tidy table of ``rows`` (one row per unit, a column per statistic key): each
        declared column read from its statistic (:attr:`Column.key`), written as its unit says;
        a per-language column once per language of :data:`analysis.config.LANGS`."""
        labellers = {**self.labels, **labels}
        rows = rows.reset_index(drop=True)
        data: dict[str, Any] = {}
        for column in self.columns:
            if column.per_language:
                ids = rows[column.key].tolist()
                for lang in LANGS:
                    with language(lang):
                        data[f"{column.name}_{lang}"] = [labellers[column.name](v) for v in ids]
            else:
                data[column.name] = _values(column, rows[column.key])
        frame = pd.DataFrame(data, columns=list(data))
        frame.attrs[_DECLARED] = self.declared()
        return frame

    def show(self, tidy: pd.DataFrame, **labels: _Labeller) -> pd.DataFrame:
        """The shown table of ``tidy`` (or of some of its rows), in the current language."""
        labellers = {**self.labels, **labels}
        declared = self.declared()
        return pd.DataFrame({s.title(declared): list(s.cells(tidy, labellers)) for s in self.shown})

    def display(self, rows: pd.DataFrame, **labels: _Labeller) -> pd.DataFrame:
        """The shown table of ``rows`` carrying its tidy table (:func:`with_tidy`)."""
        tidy = self.tidy(rows, **labels)
        return with_tidy(self.show(tidy, **labels), tidy)


def shown_gain() -> tuple[Shown, ...]:
    """The paired gain as the topic and workshop tables show it: ``n``, the means before and
    after, the mean gain with its 95% CI, ``d_z``."""
    return (
        shown_count("n"),
        shown_number("pre_mean", 1),
        shown_number("post_mean", 1),
        shown_number("estimate", 1),
        shown_interval("ci_low", "ci_high", 1),
        shown_number("d_z", 2),
    )


def shown_count(column: str) -> Shown:
    """A count as it is (a dash where missing)."""
    return Shown(lambda f, _: [v if pd.notna(v) else "–" for v in f[column]], column)


def shown_number(column: str, digits: int) -> Shown:
    """A number with ``digits`` decimals."""
    return Shown(lambda f, _: numbers(f[column], digits), column)


def shown_p(column: str) -> Shown:
    """A p-value (:func:`_p_values`)."""
    return Shown(lambda f, _: _p_values(f[column]), column)


def shown_interval(low: str, high: str, digits: int) -> Shown:
    """An interval from two columns, under the header of its lower end."""
    return Shown(lambda f, _: intervals(f[low], f[high], digits), low)


def shown_pair(first: str, second: str, digits: int) -> Shown:
    """Two numbers as ``first / second`` (pre-test / post-test), under the first's header."""
    return Shown(lambda f, _: numbers(f[first], digits) + " / " + numbers(f[second], digits), first)


def shown_label(of: str, column: str = "label", by: str | None = None) -> Shown:
    """The name of identifier ``of`` in the current language, by the labeller of ``column``
    (or the labeller ``by``), under ``column``'s header."""
    return Shown(lambda f, labels: [labels[by or column](v) for v in f[of]], column)


def dictionary(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The data dictionary of ``tables`` (name -> tidy table): one row per table and column,
    with the column's unit and its description in every language, from the table's own
    declarations (:meth:`Table.tidy`), else the registry (:data:`.columns.COLUMNS`).

    Raises ``KeyError`` for a column declared nowhere (a new column must be declared before it
    is published)."""
    rows = []
    for name, frame in tables.items():
        declared = frame.attrs.get(_DECLARED, {})
        for column in frame.columns:
            try:
                entry, lang_of = described(str(column), declared)
            except KeyError:
                raise KeyError(
                    f"tables/{name}.csv: column {column!r} has no dictionary entry"
                ) from None
            texts = {}
            for lang in LANGS:
                with language(lang):
                    text = t(entry.description)
                    if lang_of:
                        text += f" ({t('dict_in_language', language=lang_of)})"
                texts[f"description_{lang}"] = text
            rows.append({"table": name, "column": str(column), "unit": entry.unit, **texts})
    return pd.DataFrame(
        rows, columns=["table", "column", "unit", *[f"description_{g}" for g in LANGS]]
    )
