"""Answers matched through the codebook: what a knowledge or reaction cell may hold.

A survey tool does not write the contract's letters: Google and Microsoft Forms export the
option's text, KoboToolbox the choice's label (in any language of the form) or its name, a
paper form typed into Excel ``B) text``. Each is matched here to the letter (knowledge) or the
number 1-5 (reaction) it stands for; anything else is not an answer the project can score.

Knowledge (per item, from its codebook row): a letter ``A``-``D`` (case and spaces ignored), a
choice name ``a``-``d``, the option's text in any language of the codebook (``options_sq``,
or ``options`` as Albanian, and ``options_en``; compared folded, see
:func:`~analysis.raw.labels.fold`), or the letter followed by ``)`` or ``.`` and that same
option's text (``B) text``, ``b. text``, ``B. text``).

Reaction (the ``likert5`` scale): a whole number 1-5 (``4.0``, ``4,0`` as spreadsheets write
it), a label of the scale in English, Albanian or Serbian (:data:`LIKERT_LABELS`), or the
number, a dash (or ``.``, ``)``, ``:``) and a label of that same number (``5 - Strongly
agree``, ``5 – Plotësisht dakord``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from .labels import fold, unformat

__all__ = [
    "LETTERS",
    "LIKERT_LABELS",
    "KnowledgeAnswers",
    "accepted_knowledge",
    "accepted_reaction",
    "LANGUAGE_NAMES",
    "answer_languages",
    "form_language",
    "item_options",
    "match_answers",
    "match_reaction",
]

LETTERS = ("A", "B", "C", "D")
#: The codebook's option columns by language; ``options`` is read as Albanian when
#: ``options_sq`` is absent.
_OPTION_LANGUAGES = {
    "sq": ("options_sq", "options"),
    "en": ("options_en",),
    "sr": ("options_sr",),
}
#: The labels of the five points of the reaction scale, by point: English (``Neutral`` too),
#: Albanian (as the reports write them, ``fig_likert_1``..``fig_likert_5`` of the Albanian
#: catalog, ``locales/sq/LC_MESSAGES/analysis.po``) and
#: Serbian (Latin).
LIKERT_LABELS: dict[int, tuple[str, ...]] = {
    1: ("Strongly disagree", "Aspak dakord", "Uopšte se ne slažem"),
    2: ("Disagree", "Nuk jam dakord", "Ne slažem se"),
    3: (
        "Neither agree nor disagree",
        "Neutral",
        "As dakord, as jo dakord",
        "Niti se slažem niti se ne slažem",
    ),
    4: ("Agree", "Dakord", "Slažem se"),
    5: ("Strongly agree", "Plotësisht dakord", "Potpuno se slažem"),
}

_DASHES = "\\-\u2010-\u2015\u2212"
_LETTER_PREFIX = re.compile(r"([A-Da-d])\s*[.)]\s*(\S.*)", re.DOTALL)
_NUMBER = re.compile(r"[1-5]([.,]0+)?")
_NUMBER_PREFIX = re.compile(rf"([1-5])\s*[{_DASHES}.):]\s*(\S.*)", re.DOTALL)
_LIKERT_BY_FOLDED = {fold(label): str(n) for n, labels in LIKERT_LABELS.items() for label in labels}


#: How an export names the language a questionnaire was answered in (the optional ``language``
#: column), by language code: the code, and the language's name in English, Albanian, Serbian.
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "sq": ("sq", "sqi", "alb", "shqip", "shqipe", "albanian", "albanski", "албански"),
    "sr": ("sr", "srp", "srb", "srpski", "serbian", "serbisht", "serbe", "српски", "sr-latn",
           "sr-cyrl", "srpski (latinica)", "srpski (ćirilica)", "latinica", "ćirilica"),
    "en": ("en", "eng", "english", "anglisht", "engleski", "енглески"),
}  # fmt: skip
_LANGUAGE_BY_NAME = {fold(n): code for code, names in LANGUAGE_NAMES.items() for n in names}
#: The language of each scale label in :data:`LIKERT_LABELS` (each point's labels are English
#: first, the Albanian one second to last, the Serbian one last).
_LIKERT_LANGUAGE = {
    fold(label): ("sr" if i == len(labels) - 1 else "sq" if i == len(labels) - 2 else "en")
    for labels in LIKERT_LABELS.values()
    for i, label in enumerate(labels)
}


def form_language(value: object) -> str | None:
    """The language code a ``language`` cell names, or ``None`` (empty, or not a language).

    >>> [form_language(v) for v in ("Srpski", " SHQIP ", "sr-Latn", "")]
    ['sr', 'sq', 'sr', None]
    """
    text = unformat(value).strip() if isinstance(value, str) else ""
    return _LANGUAGE_BY_NAME.get(fold(text)) if text else None


def _text_languages(codebook: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(item, folded answer text) -> the one language whose codebook text it is."""
    found: dict[tuple[str, str], set[str]] = {}
    for row in codebook.to_dict("records"):
        if row["section"] != "knowledge":
            continue
        for lang, texts in item_options(row).items():
            for text in texts:
                found.setdefault((row["item_id"], fold(text)), set()).add(lang)
    return {key: next(iter(langs)) for key, langs in found.items() if len(langs) == 1}


def answer_languages(item_ids: pd.Series, values: pd.Series, codebook: pd.DataFrame) -> pd.Series:
    """The language each answer cell is written in, when its text tells (``<NA>`` otherwise).

    An option's text belongs to the codebook language that has it and no other; a scale
    label to its language (:data:`LIKERT_LABELS`); a letter, a number or a text the languages
    share tells nothing.
    """
    text = values.fillna("").astype("string").str.strip()
    out = np.full(len(values), None, dtype=object)
    rest = ~(text.str.fullmatch(r"[A-Da-d1-5]([.,]0+)?").fillna(False) | (text == ""))
    if rest.any():
        by_text = _text_languages(codebook)
        pairs = pd.DataFrame(
            {"item_id": item_ids[rest].to_numpy(), "value": text[rest].to_numpy(dtype=object)}
        )
        distinct = pairs.drop_duplicates(ignore_index=True)
        distinct["language"] = [
            by_text.get((i, fold(v)))
            or _LIKERT_LANGUAGE.get(fold(v))
            or _LIKERT_LANGUAGE.get(fold(_NUMBER_PREFIX.sub(r"\2", v)))
            for i, v in zip(distinct["item_id"], distinct["value"], strict=True)
        ]
        merged = pairs.merge(distinct, on=["item_id", "value"], how="left", sort=False)
        out[rest.to_numpy()] = merged["language"].to_numpy(dtype=object)
    return pd.Series(pd.array(out, dtype="string"), index=values.index)


def item_options(row: Mapping[str, object]) -> dict[str, list[str]]:
    """The options A-D of a codebook row, by language (only the languages the row gives).

    >>> item_options({"options": "a|b|c|d", "options_en": ""})
    {'sq': ['a', 'b', 'c', 'd']}
    """
    found: dict[str, list[str]] = {}
    for lang, columns in _OPTION_LANGUAGES.items():
        for column in columns:
            text = row.get(column)
            if text is not None and not pd.isna(text) and str(text).strip():
                found[lang] = [o.strip() for o in str(text).split("|")]
                break
    return found


class KnowledgeAnswers:
    """The accepted answers of one knowledge item, from its codebook row."""

    def __init__(self, row: Mapping[str, object]):
        """Collect the item's letters, choice names and option texts (folded) by letter."""
        self.item_id = str(row.get("item_id", ""))
        self.by_folded: dict[str, str] = {fold(letter): letter for letter in LETTERS}
        self.options = item_options(row)
        for texts in self.options.values():
            for letter, text in zip(LETTERS, texts, strict=False):
                key = fold(text)
                if key:
                    self.by_folded.setdefault(key, letter)

    def clashes(self) -> list[tuple[str, str, str]]:
        """``(text, letter, other letter)`` for every option text that names two letters."""
        out = []
        seen = {fold(letter): letter for letter in LETTERS}
        for texts in self.options.values():
            for letter, text in zip(LETTERS, texts, strict=False):
                key = fold(text)
                if key and seen.setdefault(key, letter) != letter:
                    out.append((text, letter, seen[key]))
        return out

    def match(self, value: object) -> str | None:
        """The letter ``value`` names, or ``None`` when it names none."""
        text = unformat(value).strip()
        if not text:
            return None
        if text.upper() in LETTERS:
            return text.upper()
        letter = self.by_folded.get(fold(text))
        if letter:
            return letter
        prefixed = _LETTER_PREFIX.fullmatch(text)
        if prefixed and self.by_folded.get(fold(prefixed.group(2))) == prefixed.group(1).upper():
            return prefixed.group(1).upper()
        return None


def match_reaction(value: object) -> str | None:
    """The point ``'1'``..``'5'`` a reaction answer names, or ``None``.

    >>> match_reaction("4,0"), match_reaction("agree"), match_reaction("5 – Plotësisht dakord")
    ('4', '4', '5')
    >>> match_reaction("5 - Disagree"), match_reaction("6")
    (None, None)
    """
    text = unformat(value).strip()
    if not text:
        return None
    if _NUMBER.fullmatch(text):
        return text[0]
    point = _LIKERT_BY_FOLDED.get(fold(text))
    if point:
        return point
    prefixed = _NUMBER_PREFIX.fullmatch(text)
    if prefixed and _LIKERT_BY_FOLDED.get(fold(prefixed.group(2))) == prefixed.group(1):
        return prefixed.group(1)
    return None


def _matchers(codebook: pd.DataFrame) -> dict[str, Callable[[object], str | None]]:
    """The answer matcher of every codebook item, by item id."""
    out: dict[str, Callable[[object], str | None]] = {}
    for row in codebook.to_dict("records"):
        if row["section"] == "knowledge":
            out[row["item_id"]] = KnowledgeAnswers(row).match
        else:
            out[row["item_id"]] = match_reaction
    return out


def match_answers(item_ids: pd.Series, values: pd.Series, codebook: pd.DataFrame) -> pd.Series:
    """The letter or point each ``values`` cell names for its item (``<NA>`` when none).

    The contract's own forms (a letter, a number) are matched at once for all cells; each
    distinct (item, value) pair of the others is matched once, so a large export costs little
    more than its distinct answers.
    """
    text = values.fillna("").astype("string").str.strip()
    knowledge = item_ids.isin(codebook.loc[codebook["section"] == "knowledge", "item_id"])
    upper = text.str.upper()
    letter = knowledge & upper.isin(LETTERS)
    number = ~knowledge & text.str.fullmatch(r"[1-5]([.,]0+)?").fillna(False)
    out = np.full(len(values), None, dtype=object)
    out[letter.to_numpy()] = upper[letter].to_numpy(dtype=object)
    out[number.to_numpy()] = text[number].str[:1].to_numpy(dtype=object)
    rest = (~(letter | number) & (text != "")).to_numpy()
    if rest.any():
        pairs = pd.DataFrame(
            {"item_id": item_ids.to_numpy()[rest], "value": text.to_numpy(dtype=object)[rest]}
        )
        distinct = pairs.drop_duplicates(ignore_index=True)
        matchers = _matchers(codebook)
        distinct["answer"] = [
            matchers[i](v) for i, v in zip(distinct["item_id"], distinct["value"], strict=True)
        ]
        merged = pairs.merge(distinct, on=["item_id", "value"], how="left", sort=False)
        out[rest] = merged["answer"].to_numpy(dtype=object)
    return pd.Series(pd.array(out, dtype="string"), index=values.index)


def accepted_knowledge(row: Mapping[str, object]) -> str:
    """What a knowledge item's cell may hold, for error messages."""
    options = item_options(row)
    texts = next(iter(options.values()), [])
    example = texts[1] if len(texts) > 1 else "..."
    langs = ", ".join(options) or "none"
    return (
        "a letter A-D, a choice name a-d, the option's text in a language of the codebook "
        f"({langs}; e.g. '{example}' for B), or 'B) text' / 'b. text' with that option's text"
    )


def accepted_reaction() -> str:
    """What a reaction item's cell may hold, for error messages."""
    labels = "; ".join(f"{n}: {', '.join(labels)}" for n, labels in LIKERT_LABELS.items())
    return (
        "a whole number 1-5 (4.0 and 4,0 too), a label of the scale or a number and its label "
        f"('5 - Strongly agree'); the labels: {labels}"
    )
