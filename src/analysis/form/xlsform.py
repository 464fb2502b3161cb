"""The questionnaire as an XLSForm, for the next round to be collected in the contract's terms.

An XLSForm (https://xlsform.org) is the workbook KoboToolbox, ODK Central, SurveyCTO and Ona
turn into a form. This one is made from the codebook and the workshop registry (read and
checked by :mod:`analysis.raw.registry`), so that its export reads back without guessing:

* ``participant_code`` (text, required, with a hint on making the self-generated code),
  ``workshop`` (select_one, choice names the registry's ids) and ``phase`` (``pre``/``post``);
* every knowledge item in a group ``knowledge``: select_one, name the ``item_id``, choices
  ``a``-``d`` labelled with the option texts (``options_<lang>``, else ``options``);
* every reaction item in a group ``reaction``: select_one, choices ``1``-``5``;
* the optional demographics (gender, community, years of service, rank, station), choice names
  the categories the clean step knows (:mod:`analysis.raw.categories`);
* labels in every language of the codebook (``label::Shqip (sq)``, ``label::English (en)``), a
  text missing in one language taken from another; the form's own words from the language files.

The workbook's bytes depend on the codebook and registry only (fixed document properties and
zip member dates), and its ``version`` is a digest of its content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..atomic import atomic_write_bytes
from ..config import DEFAULT_LANG, LANGS, LANGUAGES, RAW, SCRATCH, project_path
from ..errors import DataError
from ..present.locale import fmt_date, label, locale, localized, t
from ..raw.categories import COMMUNITIES, GENDERS, RANKS, STATIONS
from ..raw.registry import read_codebook, read_registry
from ..spreadsheet import workbook_bytes_at

__all__ = [
    "DEFAULT_OUT",
    "OPTION_NAMES",
    "LIKERT_NAMES",
    "form_languages",
    "language_name",
    "xlsform_sheets",
    "xlsform_bytes",
    "write_xlsform",
]

#: The form's id (``settings.form_id``): the same for every version of the questionnaire.
_FORM_ID = "police_training_questionnaire"
#: Where ``python -m analysis xlsform`` writes by default: the scratch folder, never data/raw.
DEFAULT_OUT = SCRATCH / "xlsform" / "police_training_questionnaire.xlsx"
#: Choice names of a knowledge item's four options (the key's letters A-D, in lower case).
OPTION_NAMES = ("a", "b", "c", "d")
#: Choice names of the five-point agreement scale.
LIKERT_NAMES = ("1", "2", "3", "4", "5")

_FIXED_TIME = dt.datetime(2021, 3, 23, 0, 0, 0)
_TEXT = re.compile(r"text_([A-Za-z]{2,8})")


def form_languages(codebook: pd.DataFrame) -> list[str]:
    """The codebook's languages (its ``text_<lang>`` columns): Albanian first (the form's
    default, the participants' language), then the report languages, then the others."""
    found = [m.group(1) for c in codebook.columns if (m := _TEXT.fullmatch(str(c)))]
    order = ["sq", *LANGS]
    return sorted(
        dict.fromkeys(found), key=lambda g: (order.index(g) if g in order else len(order), g)
    )


def language_name(lang: str) -> str:
    """The XLSForm name of a language: its own name and code, e.g. ``Shqip (sq)``."""
    name = locale(lang).language_name if lang in LANGUAGES else lang
    return f"{name} ({lang})"


def _words(lang: str) -> str:
    """The language file for the form's words in ``lang`` (the default one if there is none)."""
    return lang if lang in LANGUAGES else DEFAULT_LANG


def _text(row: Mapping[str, object], field: str, lang: str, langs: Sequence[str]) -> str:
    """A codebook text in ``lang``, else in another of the form's languages."""
    found = localized(row, field, lang)
    for other in langs:
        found = found or localized(row, field, other)
    return found


def _options(row: Mapping[str, object], lang: str, langs: Sequence[str]) -> list[str]:
    text = _text(row, "options", lang, langs)
    return [o.strip() for o in text.split("|")]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Form:
    """The rows of an XLSForm's ``survey`` and ``choices`` sheets as they are added."""

    def __init__(self, langs: Sequence[str]) -> None:
        self.langs = list(langs)
        self.survey: list[list] = []
        self.choices: list[list] = []

    def q(self, kind, name, labels, hints=None, required="", constraint="") -> None:
        """A question (or note) row."""
        blank = [""] * len(self.langs)
        self.survey.append([kind, name, *labels, *(hints or blank), required, constraint])

    def words(self, key: str, **values) -> list[str]:
        """A message in every language of the form."""
        return [t(key, _words(g), **values) for g in self.langs]

    def choice(self, list_name: str, name: str, labels: Sequence[str]) -> None:
        """A row of the choices sheet."""
        self.choices.append([list_name, name, *labels])

    def group(self, name: str, key: str | None) -> None:
        """The start (with the label of ``key``) or, for ``key`` None, the end of a group."""
        blank = [""] * len(self.langs)
        if key is None:
            self.survey.append(["end_group", name, *blank, *blank, "", ""])
        else:
            self.survey.append(["begin_group", name, *self.words(key), *blank, "", ""])


def _identity(form: _Form, registry: pd.DataFrame) -> None:
    """The participant's code, the workshop (choices: the registry's ids) and the test."""
    form.q(
        "text",
        "participant_code",
        form.words("form_code_label"),
        form.words("form_code_hint"),
        "yes",
    )
    form.q("select_one workshop", "workshop", form.words("form_workshop_label"), required="yes")
    for facts in registry.to_dict("records"):
        labels = [
            t(
                "form_workshop_choice",
                _words(g),
                number=facts["number"],
                directorate=localized(facts, "directorate", g),
                date=fmt_date(facts["date"], _words(g)),
            )
            for g in form.langs
        ]
        form.choice("workshop", str(facts["workshop_id"]), labels)
    form.q("select_one phase", "phase", form.words("form_phase_label"), required="yes")
    for phase in ("pre", "post"):
        form.choice("phase", phase, form.words(f"form_phase_{phase}"))


def _knowledge(form: _Form, rows: list[dict]) -> None:
    """The knowledge items (choices ``a``-``d``, the options' texts) in a group ``knowledge``."""
    form.group("knowledge", "form_group_knowledge")
    for row in (r for r in rows if r["section"] == "knowledge"):
        item = str(row["item_id"])
        labels = [_text(row, "text", g, form.langs) for g in form.langs]
        form.q(f"select_one options_{item}", item, labels)
        per_lang = [_options(row, g, form.langs) for g in form.langs]
        for k, name in enumerate(OPTION_NAMES):
            form.choice(f"options_{item}", name, [opts[k] for opts in per_lang])
    form.group("knowledge", None)


def _reaction(form: _Form, rows: list[dict]) -> None:
    """The reaction items (choices ``1``-``5``) in a group ``reaction``."""
    reaction = [r for r in rows if r["section"] == "reaction"]
    if not reaction:
        return
    form.group("reaction", "form_group_reaction")
    for row in reaction:
        labels = [_text(row, "text", g, form.langs) for g in form.langs]
        form.q("select_one likert5", str(row["item_id"]), labels)
    form.group("reaction", None)
    for name in LIKERT_NAMES:
        labels = [f"{name} - {t(f'fig_likert_{name}', _words(g))}" for g in form.langs]
        form.choice("likert5", name, labels)


def _about(form: _Form) -> None:
    """The optional questions about the participant, in a group ``about``."""
    form.group("about", "form_group_about")
    form.q("select_one gender", "gender", form.words("var_gender"))
    for value in GENDERS:
        form.choice("gender", value, form.words(f"form_gender_{value}"))
    form.q("select_one community", "community", form.words("var_community"))
    for value in COMMUNITIES:
        labels = [_capital(label("value", value, _words(g))) for g in form.langs]
        form.choice("community", value, labels)
    years = form.words("var_years_of_service")
    form.q("integer", "years_of_service", years, constraint=". >= 0 and . <= 50")
    form.q("select_one rank", "rank", form.words("form_rank"))
    for value in RANKS:
        form.choice("rank", value, form.words(f"form_rank_{value}"))
    form.q("select_one station", "station", form.words("form_station"))
    for value in STATIONS:
        form.choice("station", _choice_name(value), [value] * len(form.langs))
    form.group("about", None)


def xlsform_sheets(codebook: pd.DataFrame, registry: pd.DataFrame) -> dict[str, list[list]]:
    """The three sheets (``survey``, ``choices``, ``settings``) as rows, header first."""
    langs = form_languages(codebook) or [DEFAULT_LANG]
    names = [language_name(g) for g in langs]
    form = _Form(langs)
    rows = codebook.to_dict("records")
    _identity(form, registry)
    _knowledge(form, rows)
    _reaction(form, rows)
    _about(form)
    survey, choices = form.survey, form.choices
    header = ["type", "name", *[f"label::{n}" for n in names], *[f"hint::{n}" for n in names]]
    survey.insert(0, [*header, "required", "constraint"])
    choices.insert(0, ["list_name", "name", *[f"label::{n}" for n in names]])
    digest = hashlib.sha256(json.dumps([survey, choices], ensure_ascii=False).encode()).hexdigest()
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [t("form_title", _words(langs[0])), _FORM_ID, digest[:12], names[0]],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def _choice_name(value: str) -> str:
    """A choice name without spaces (``Prishtinë Qendër`` -> ``Prishtinë_Qendër``): the clean
    step folds answers with the underscore ignored, so the export still reads as the station."""
    return value.replace(" ", "_")


def xlsform_bytes(codebook: pd.DataFrame, registry: pd.DataFrame) -> bytes:
    """The XLSForm workbook (sheets ``survey``, ``choices``, ``settings``), every cell text;
    the same bytes for the same codebook and registry."""
    from openpyxl import Workbook

    book = Workbook()
    first = True
    for title, rows in xlsform_sheets(codebook, registry).items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            sheet.append([str(c) for c in row])
    return workbook_bytes_at(book, "analysis.form", _FIXED_TIME)


def write_xlsform(raw: Path = RAW, out: Path | None = None, *, force: bool = False) -> Path:
    """Write the XLSForm of the raw folder's codebook and registry to ``out`` (relative to the
    project root; None: :data:`DEFAULT_OUT`); returns the path written.

    Never inside a raw folder (``raw`` or the project's ``data/raw``), whatever ``force``; an
    existing file only with ``force``; a folder at ``out`` never.
    """
    raw, out = project_path(raw), project_path(out or DEFAULT_OUT)
    target = out.parent.resolve() / out.name
    for folder in {Path(raw).resolve(), RAW.resolve()}:
        if target == folder or folder in target.parents:
            raise DataError(
                f"--out {out} lies inside the raw folder {folder}, which holds the exports and "
                "is never written by this command: give a file elsewhere (the default is "
                f"{DEFAULT_OUT}); nothing was written"
            )
    if out.is_dir():
        raise DataError(f"--out {out} is a folder: give a file name ending in .xlsx")
    if out.suffix.lower() != ".xlsx":
        raise DataError(
            f"--out {out}: an XLSForm is an .xlsx workbook; give a name ending in .xlsx"
        )
    if (out.exists() or out.is_symlink()) and not force:
        raise DataError(
            f"--out {out} exists; it is left as it was: give another file, or --force to "
            "replace it; nothing was written"
        )
    data = xlsform_bytes(read_codebook(raw), read_registry(raw))
    atomic_write_bytes(out, data)
    return out
