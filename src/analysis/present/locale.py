"""The locale layer: every word and number format of a report language.

Words come from the gettext catalogs: the English source in :mod:`analysis.present.messages`,
a translation per language in ``locales/<lang>/LC_MESSAGES/analysis.po``, compiled to ``.mo``
(``make translations``) and read here through :mod:`gettext` (``pgettext``/``npgettext``, the
message key as context). Numbers, dates and plural rules come from Babel (CLDR), by the
language's Babel locale in :data:`analysis.config.LANGUAGES`; a language written in a second
script (``sr-Cyrl``) reads its catalog and transliterates (:mod:`analysis.present.cyrillic`).
This module is the only place that knows how languages differ; nothing else branches on a
language code.

Words that come from the data (a topic, a subgroup value, an item's text, a directorate) are
looked up with :func:`label` and :func:`localized`, which fall back to the data's own text when
the catalogs have no translation: a new topic in the codebook never stops a report.

The language is held here, not passed from call to call: :func:`current` is the language every
word and number is written in. A notebook sets it once, for the rest of its run
(:meth:`analysis.present.display.Report.open` calls :func:`use`); code that writes several
languages wraps each in ``with language("sq"): ...`` (the index pages, the tidy tables'
``label_<lang>`` columns). Only the few functions that are asked for another language than the
current one by their callers (:func:`t`, :func:`texts`, :func:`label`, :func:`localized`,
:func:`fmt_date`, :func:`locale`: the XLSForm writes every language in one sheet) take an
optional ``lang``.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gettext
import math
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol

from ..config import ALL_LANGS, DEFAULT_LANG, LANGUAGES, LOCALES, Language
from .cyrillic import LATIN_MESSAGES, to_cyrillic
from .messages import MESSAGES

__all__ = [
    "current",
    "use",
    "language",
    "locale",
    "t",
    "texts",
    "has",
    "label",
    "localized",
    "language_label",
    "fmt_num",
    "fmt_ci",
    "fmt_p",
    "fmt_date",
]

#: The gettext domain of the project's catalogs.
_DOMAIN = "analysis"

#: The language words and numbers are written in (:func:`current`).
_CURRENT: ContextVar[str] = ContextVar("analysis_report_language", default=DEFAULT_LANG)


@dataclass(frozen=True)
class _Locale:
    """One language's conventions, from Babel (CLDR) and :data:`analysis.config.LANGUAGES`."""

    lang: str
    #: The language's name in itself, with the script where the language has two
    #: ("English", "Shqip", "Srpski (latinica)").
    name: str
    #: The language's name in itself without the script ("Srpski").
    language_name: str
    decimal: str
    #: Between the two ends of an interval and between items of a list: ", ", or "; " where the
    #: comma is the decimal mark.
    list_separator: str
    language: Language


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


def _name(language: Language) -> str:
    babel = BabelLocale.parse(language.babel)
    plain = BabelLocale(babel.language, script=babel.script)
    name = plain.get_display_name(plain) or language.code
    same_language = [x for x in LANGUAGES.values() if x.babel.split("_")[0] == babel.language]
    if len(same_language) == 1:  # the script only where the language has two
        name = BabelLocale(babel.language).get_display_name(babel.language) or name
    return _capitalized(name)


def _checked(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(ALL_LANGS)}, not {lang!r}")
    return lang


def current() -> str:
    """The language words and numbers are written in now: the one :func:`use` or
    :func:`language` set, else the default language.

    >>> current()
    'en'
    """
    return _CURRENT.get()


def use(lang: str) -> None:
    """Write in ``lang`` from now on (in this thread or task and what it starts): a notebook's
    language, set once by :meth:`analysis.present.display.Report.open`."""
    _CURRENT.set(_checked(lang))


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Write in ``lang`` inside the ``with`` block, and in the language of before after it.

    >>> with language("sq"):
    ...     t("h_flow"), fmt_num(12.345)
    ('Rrjedha e pjesëmarrësve', '12,3')
    >>> t("h_flow")
    'Participant flow'
    """
    token = _CURRENT.set(_checked(lang))
    try:
        yield lang
    finally:
        _CURRENT.reset(token)


def locale(lang: str | None = None) -> _Locale:
    """The :class:`_Locale` of ``lang`` (default: the current language), built once per process.

    >>> locale("sq").name, locale("sr").decimal, locale("sr-Cyrl").name
    ('Shqip', ',', 'Српски (ћирилица)')
    """
    return _locale(current() if lang is None else lang)


@functools.cache
def _locale(lang: str) -> _Locale:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(ALL_LANGS)}, not {lang!r}")
    language = LANGUAGES[lang]
    decimal = get_decimal_symbol(language.babel)
    return _Locale(
        lang=lang,
        name=_name(language),
        language_name=_capitalized(
            BabelLocale.parse(language.babel).get_language_name(language.babel) or lang
        ),
        decimal=decimal,
        list_separator="; " if decimal == "," else ", ",
        language=language,
    )


def _catalog_path(catalog: str, suffix: str = ".mo") -> str:
    """The file of a language's catalog: ``locales/<catalog>/LC_MESSAGES/analysis.mo``."""
    return str(LOCALES / catalog / "LC_MESSAGES" / f"{_DOMAIN}{suffix}")


@functools.cache
def _translations(catalog: str) -> gettext.NullTranslations:
    if catalog == DEFAULT_LANG:  # English is the source: the message ids themselves
        return gettext.NullTranslations()
    with open(_catalog_path(catalog), "rb") as fh:
        return gettext.GNUTranslations(fh)


def _message(key: str, language: Language, count: int) -> str:
    """The unformatted text of ``key`` in ``language`` (its plural form for ``count``), in the
    language's script."""
    message = MESSAGES[key]
    translations = _translations(language.catalog)
    if message.plural is not None:
        text = translations.npgettext(key, message.text, message.plural, count)
    else:
        text = translations.pgettext(key, message.text)
    return to_cyrillic(text) if language.transliterate and key not in LATIN_MESSAGES else text


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in the current language (or ``lang``), with ``{name}`` fields filled
    from ``values``.

    A plural message picks its form by the language's plural rule from the value of its count
    placeholder.

    >>> t("headline_too_few", n=1)
    'Only 1 participant has both tests: too few for paired statistics.'
    >>> t("fig_flow_received", "sq", n=18), t("headline_too_few", "sr", n=3)[:21]
    ('Të pranuar: 18', 'Samo 3 učesnika imaju')
    """
    message = MESSAGES[key]
    count = int(values[message.count]) if message.plural is not None else 1
    text = _message(key, locale(lang).language, count)
    return text.format(**values) if values else text


def texts(lang: str | None = None, count: int = 5) -> dict[str, str]:
    """Every message of the current language (or ``lang``) unformatted, by key (a plural
    message in its form for ``count``).

    >>> texts("sr")["h_flow"], texts("sr-Cyrl")["h_flow"]
    ('Tok učesnika', 'Ток учесника')
    """
    language = locale(lang).language
    return {key: _message(key, language, count) for key in MESSAGES}


def has(key: str) -> bool:
    """Whether ``key`` is a message (every language has every message: tested)."""
    return key in MESSAGES


def label(kind: str, value: str, lang: str | None = None, fallback: str | None = None) -> str:
    """The name of a data value (``kind`` ``topic``, ``value``, ``var``...) in the current
    language (or ``lang``).

    The message ``<kind>_<value>`` when the catalogs have it; else ``fallback`` (the
    codebook's or registry's own text), else the value itself.

    >>> label("topic", "victims"), label("topic", "traffic"), label("value", "X", fallback="Y")
    ('Treatment of crime victims', 'traffic', 'Y')
    """
    key = f"{kind}_{value}"
    if has(key):
        return t(key, lang)
    return fallback if fallback else str(value)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def localized(row: Mapping[str, object], field: str, lang: str | None = None) -> str:
    """A data text in the current language (or ``lang``): column ``<field>_<lang>`` when
    filled (for a second script, its catalog language's column transliterated), else
    ``<field>``, else ``<field>_<default language>``.

    >>> localized({"directorate": "Prishtinë", "directorate_sq": "Prishtina"}, "directorate", "sq")
    'Prishtina'
    >>> localized({"text_en": "Who?", "text_sr": "Ko je?"}, "text", "sr-Cyrl")
    'Ко је?'
    """
    lang = current() if lang is None else lang
    language = locale(lang).language
    if _text(row.get(f"{field}_{lang}")):
        return _text(row.get(f"{field}_{lang}"))
    if language.transliterate and _text(row.get(f"{field}_{language.catalog}")):
        return to_cyrillic(_text(row.get(f"{field}_{language.catalog}")))
    for column in (field, f"{field}_{DEFAULT_LANG}"):
        if _text(row.get(column)):
            return _text(row.get(column))
    return ""


def language_label(code: str) -> str:
    """The name of the language ``code`` (a questionnaire's version) in the current language.

    >>> language_label("sr")
    'Serbian'
    >>> with language("sr"):
    ...     language_label("sq")
    'albanski'
    """
    language = locale().language
    try:
        name = BabelLocale.parse(code.replace("-", "_")).get_language_name(language.babel)
    except (ValueError, LookupError, UnknownLocaleError):
        return code
    return name or code


def _quantized(x: float, digits: int) -> Decimal | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    step = Decimal(1).scaleb(-digits)
    value = Decimal(repr(float(x))).quantize(step, rounding=ROUND_HALF_UP)
    return abs(value) if value == 0 else value  # no "-0.0"


def fmt_num(x: float | None, digits: int = 1) -> str:
    """A number with ``digits`` decimals in the current language's style (Babel): halves
    rounded away from zero, the language's decimal mark and digit grouping; a dash for a
    missing value.

    >>> fmt_num(-0.5, 2), fmt_num(12.5, 0), fmt_num(float("nan"))
    ('-0.50', '13', '–')
    >>> with language("sr"):
    ...     fmt_num(12.345, 1), fmt_num(1234.5, 1)
    ('12,3', '1.234,5')
    """
    value = _quantized(x, digits)
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=locale().language.babel)


def _fmt_int(n: int | float | None) -> str:
    """A count in the current language's style (``9,000``; ``9 000``; ``9.000``).

    >>> _fmt_int(9000)
    '9,000'
    >>> with language("sr"):
    ...     _fmt_int(9000), _fmt_int(14)
    ('9.000', '14')
    """
    return fmt_num(n, 0)


def fmt_date(iso: str, lang: str | None = None) -> str:
    """A date (``YYYY-MM-DD``) in the long form of the current language (or ``lang``) (Babel,
    CLDR).

    >>> fmt_date("2021-03-16"), fmt_date("2021-03-16", "sq"), fmt_date("2021-03-16", "sr")
    ('16 March 2021', '16 mars 2021', '16. mart 2021.')
    """
    day = datetime.date.fromisoformat(str(iso)[:10])
    return format_date(day, format="long", locale=locale(lang).language.babel)


def fmt_ci(low: float, high: float, digits: int = 1) -> str:
    """An interval: ``[6.5, 26.4]``; ``[6,5; 26,4]`` where the comma is the decimal mark.

    >>> fmt_ci(6.46, 26.39)
    '[6.5, 26.4]'
    >>> with language("sq"):
    ...     fmt_ci(6.46, 26.39)
    '[6,5; 26,4]'
    """
    sep = locale().list_separator
    return f"[{fmt_num(low, digits)}{sep}{fmt_num(high, digits)}]"


def fmt_p(p: float | None) -> str:
    """A p-value in the current language's style: APA in English (``p = .034``, ``p < .001``,
    no leading zero), the leading zero and the decimal comma in Albanian and Serbian
    (``p = 0,034``, ``p < 0,001``).

    >>> fmt_p(0.0342), fmt_p(0.5)
    ('p = .034', 'p = .500')
    >>> with language("sq"):
    ...     fmt_p(0.00001), fmt_p(0.0342)
    ('p < 0,001', 'p = 0,034')
    """
    if p is None or math.isnan(p):
        return "p = –"
    loc = locale()
    text = "< 0.001" if p < 0.001 else "= " + f"{p:.3f}"
    if not loc.language.p_leading_zero:
        text = text.replace("0.", ".", 1)
    return "p " + text.replace(".", loc.decimal)
