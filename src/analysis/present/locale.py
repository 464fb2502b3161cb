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
"""

from __future__ import annotations

import datetime
import functools
import gettext
import math
from collections.abc import Mapping
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
    "DOMAIN",
    "Locale",
    "locale",
    "catalog_path",
    "t",
    "texts",
    "has",
    "label",
    "localized",
    "language_label",
    "fmt_num",
    "fmt_int",
    "fmt_ci",
    "fmt_p",
    "fmt_date",
]

#: The gettext domain of the project's catalogs.
DOMAIN = "analysis"


@dataclass(frozen=True)
class Locale:
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


@functools.cache
def locale(lang: str) -> Locale:
    """The :class:`Locale` of ``lang`` (built once per process).

    >>> locale("sq").name, locale("sr").decimal, locale("sr-Cyrl").name
    ('Shqip', ',', 'Српски (ћирилица)')
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(ALL_LANGS)}, not {lang!r}")
    language = LANGUAGES[lang]
    decimal = get_decimal_symbol(language.babel)
    return Locale(
        lang=lang,
        name=_name(language),
        language_name=_capitalized(
            BabelLocale.parse(language.babel).get_language_name(language.babel) or lang
        ),
        decimal=decimal,
        list_separator="; " if decimal == "," else ", ",
        language=language,
    )


def catalog_path(catalog: str, suffix: str = ".mo") -> str:
    """The file of a language's catalog: ``locales/<catalog>/LC_MESSAGES/analysis.mo``."""
    return str(LOCALES / catalog / "LC_MESSAGES" / f"{DOMAIN}{suffix}")


@functools.cache
def _translations(catalog: str) -> gettext.NullTranslations:
    if catalog == DEFAULT_LANG:  # English is the source: the message ids themselves
        return gettext.NullTranslations()
    with open(catalog_path(catalog), "rb") as fh:
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


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    A plural message picks its form by the language's plural rule from the value of its count
    placeholder.

    >>> t("fig_flow_received", "sq", n=18)
    'Të pranuar: 18'
    >>> t("headline_too_few", "en", n=1), t("headline_too_few", "sr", n=3)[:21]
    ('Only 1 participant has both tests: too few for paired statistics.', 'Samo 3 učesnika imaju')
    """
    message = MESSAGES[key]
    count = int(values[message.count]) if message.plural is not None else 1
    text = _message(key, locale(lang).language, count)
    return text.format(**values) if values else text


def texts(lang: str = DEFAULT_LANG, count: int = 5) -> dict[str, str]:
    """Every message of ``lang`` unformatted, by key (a plural message in its form for
    ``count``).

    >>> texts("sr")["h_flow"], texts("sr-Cyrl")["h_flow"]
    ('Tok učesnika', 'Ток учесника')
    """
    language = locale(lang).language
    return {key: _message(key, language, count) for key in MESSAGES}


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    """Whether ``key`` is a message (every language has every message: tested)."""
    locale(lang)
    return key in MESSAGES


def label(kind: str, value: str, lang: str = DEFAULT_LANG, fallback: str | None = None) -> str:
    """The name of a data value (``kind`` ``topic``, ``value``, ``var``...) in ``lang``.

    The message ``<kind>_<value>`` when the catalogs have it; else ``fallback`` (the
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
    """A data text in the report's language: column ``<field>_<lang>`` when filled (for a
    second script, its catalog language's column transliterated), else ``<field>``, else
    ``<field>_<default language>``.

    >>> localized({"directorate": "Prishtinë", "directorate_sq": "Prishtina"}, "directorate", "sq")
    'Prishtina'
    >>> localized({"text_en": "Who?", "text_sr": "Ko je?"}, "text", "sr-Cyrl")
    'Ко је?'
    """
    language = locale(lang).language
    if _text(row.get(f"{field}_{lang}")):
        return _text(row.get(f"{field}_{lang}"))
    if language.transliterate and _text(row.get(f"{field}_{language.catalog}")):
        return to_cyrillic(_text(row.get(f"{field}_{language.catalog}")))
    for column in (field, f"{field}_{DEFAULT_LANG}"):
        if _text(row.get(column)):
            return _text(row.get(column))
    return ""


def language_label(code: str, lang: str = DEFAULT_LANG) -> str:
    """The name of the language ``code`` (a questionnaire's version) in the report language.

    >>> language_label("sr"), language_label("sq", "sr"), language_label("sr", "sq")
    ('Serbian', 'albanski', 'serbisht')
    """
    language = locale(lang).language
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


def fmt_num(x: float | None, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """A number with ``digits`` decimals in the language's style (Babel): halves rounded away
    from zero, the language's decimal mark and digit grouping; a dash for a missing value.

    >>> fmt_num(12.345, "sq", 1), fmt_num(-0.5, "en", 2), fmt_num(12.5, "en", 0)
    ('12,3', '-0.50', '13')
    >>> fmt_num(1234.5, "sr", 1), fmt_num(float("nan"))
    ('1.234,5', '–')
    """
    value = _quantized(x, digits)
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=locale(lang).language.babel)


def fmt_int(n: int | float | None, lang: str = DEFAULT_LANG) -> str:
    """A count in the language's style (``9,000``; ``9 000``; ``9.000``).

    >>> fmt_int(9000, "en"), fmt_int(9000, "sr"), fmt_int(14, "sq")
    ('9,000', '9.000', '14')
    """
    return fmt_num(n, lang, 0)


def fmt_date(iso: str, lang: str = DEFAULT_LANG) -> str:
    """A date (``YYYY-MM-DD``) in the language's long form (Babel, CLDR).

    >>> fmt_date("2021-03-16"), fmt_date("2021-03-16", "sq"), fmt_date("2021-03-16", "sr")
    ('16 March 2021', '16 mars 2021', '16. mart 2021.')
    """
    day = datetime.date.fromisoformat(str(iso)[:10])
    return format_date(day, format="long", locale=locale(lang).language.babel)


def fmt_ci(low: float, high: float, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """An interval: ``[6.5, 26.4]``; ``[6,5; 26,4]`` where the comma is the decimal mark.

    >>> fmt_ci(6.46, 26.39), fmt_ci(6.46, 26.39, "sq")
    ('[6.5, 26.4]', '[6,5; 26,4]')
    """
    sep = locale(lang).list_separator
    return f"[{fmt_num(low, lang, digits)}{sep}{fmt_num(high, lang, digits)}]"


def fmt_p(p: float | None, lang: str = DEFAULT_LANG) -> str:
    """A p-value in the language's style: APA in English (``p = .034``, ``p < .001``, no
    leading zero), the leading zero and the decimal comma in Albanian and Serbian
    (``p = 0,034``, ``p < 0,001``).

    >>> fmt_p(0.0342), fmt_p(0.00001, "sq"), fmt_p(0.5), fmt_p(0.0342, "sr")
    ('p = .034', 'p < 0,001', 'p = .500', 'p = 0,034')
    """
    if p is None or math.isnan(p):
        return "p = –"
    loc = locale(lang)
    text = "< 0.001" if p < 0.001 else "= " + f"{p:.3f}"
    if not loc.language.p_leading_zero:
        text = text.replace("0.", ".", 1)
    return "p " + text.replace(".", loc.decimal)
