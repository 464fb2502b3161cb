"""The locale layer: every word and number format of a report language, read from its file.

Each language of :data:`analysis.config.LANGS` has one file ``src/analysis/locales/<lang>.toml``
with two tables: ``[messages]`` (every word a report, figure, table or index shows, by key, with
``{name}`` placeholders) and ``[locale]`` (decimal mark, list separator, CSV delimiter, date
pattern, month names, the language's own name). This module is the only place that knows how
languages differ; nothing else branches on a language code.

Words that come from the data (a topic, a subgroup value, an item's text, a directorate) are
looked up with :func:`label` and :func:`localized`, which fall back to the data's own text when
the file has no translation: a new topic in the codebook never stops a report.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..config import DEFAULT_LANG, LANGS, LOCALES

__all__ = [
    "Locale",
    "locale",
    "t",
    "has",
    "label",
    "localized",
    "fmt_num",
    "fmt_ci",
    "fmt_p",
    "fmt_date",
]


@dataclass(frozen=True)
class Locale:
    """One language's file, read."""

    lang: str
    messages: Mapping[str, str]
    name: str
    decimal: str
    list_separator: str
    csv_delimiter: str
    date: str
    months: tuple[str, ...]


@functools.cache
def locale(lang: str) -> Locale:
    """The :class:`Locale` of ``lang`` (read once per process)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    with (LOCALES / f"{lang}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    conv = data["locale"]
    return Locale(
        lang=lang,
        messages=data["messages"],
        name=conv["name"],
        decimal=conv["decimal"],
        list_separator=conv["list_separator"],
        csv_delimiter=conv["csv_delimiter"],
        date=conv["date"],
        months=tuple(conv["months"]),
    )


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    >>> t("fig_flow_received", "sq", n=18)
    'Të pranuar: 18'
    """
    text = locale(lang).messages[key]
    return text.format(**values) if values else text


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    """Whether the file of ``lang`` has a message ``key``."""
    return key in locale(lang).messages


def label(kind: str, value: str, lang: str = DEFAULT_LANG, fallback: str | None = None) -> str:
    """The name of a data value (``kind`` ``topic``, ``value``, ``var``...) in ``lang``.

    The message ``<kind>_<value>`` when the language file has it; else ``fallback`` (the
    codebook's or registry's own text), else the value itself.

    >>> label("topic", "victims"), label("topic", "traffic"), label("value", "X", fallback="Y")
    ('Treatment of crime victims', 'traffic', 'Y')
    """
    key = f"{kind}_{value}"
    if has(key, lang):
        return t(key, lang)
    return fallback if fallback else str(value)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def localized(row: Mapping[str, object], field: str, lang: str = DEFAULT_LANG) -> str:
    """A data text in the report's language: column ``<field>_<lang>`` when filled, else
    ``<field>``, else ``<field>_<default language>``.

    >>> localized({"directorate": "Prishtinë", "directorate_sq": "Prishtina"}, "directorate", "sq")
    'Prishtina'
    >>> localized({"text_en": "Who?", "text_sq": "Kush?"}, "text", "en")
    'Who?'
    """
    for column in (f"{field}_{lang}", field, f"{field}_{DEFAULT_LANG}"):
        if _text(row.get(column)):
            return _text(row.get(column))
    return ""


def fmt_num(x: float | None, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """Format a number with ``digits`` decimals, halves rounded away from zero.

    ``12.5`` in English, ``12,5`` in Albanian; a dash for a missing value.

    >>> fmt_num(12.345, "sq", 1), fmt_num(-0.5, "en", 2), fmt_num(12.5, "en", 0)
    ('12,3', '-0.50', '13')
    >>> fmt_num(float("nan"))
    '–'
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    step = Decimal(1).scaleb(-digits)
    text = str(Decimal(repr(float(x))).quantize(step, rounding=ROUND_HALF_UP))
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return text.replace(".", locale(lang).decimal)


def fmt_date(iso: str, lang: str = DEFAULT_LANG) -> str:
    """A date (``YYYY-MM-DD``) as written in the report's language, whatever the locale.

    >>> fmt_date("2021-03-16"), fmt_date("2021-03-16", "sq")
    ('16 March 2021', '16.03.2021')
    """
    year, month, day = (int(x) for x in str(iso)[:10].split("-"))
    loc = locale(lang)
    return loc.date.format(
        day=day,
        day2=f"{day:02d}",
        month=loc.months[month - 1],
        month2=f"{month:02d}",
        year=year,
    )


def fmt_ci(low: float, high: float, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """An interval: ``[6.5, 26.4]``; in Albanian ``[6,5; 26,4]`` (the comma is the decimal mark).

    >>> fmt_ci(6.46, 26.39), fmt_ci(6.46, 26.39, "sq")
    ('[6.5, 26.4]', '[6,5; 26,4]')
    """
    sep = locale(lang).list_separator
    return f"[{fmt_num(low, lang, digits)}{sep}{fmt_num(high, lang, digits)}]"


def fmt_p(p: float | None, lang: str = DEFAULT_LANG) -> str:
    """APA-style p-value: ``p = .034``, ``p < .001`` (``p = ,034``, ``p < ,001`` in Albanian).

    >>> fmt_p(0.0342), fmt_p(0.00001, "sq"), fmt_p(0.5)
    ('p = .034', 'p < ,001', 'p = .500')
    """
    if p is None or math.isnan(p):
        return "p = –"
    text = "p < .001" if p < 0.001 else "p = " + f"{p:.3f}".removeprefix("0")
    return text.replace(".", locale(lang).decimal)
