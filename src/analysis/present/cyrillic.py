"""Serbian Latin script to Cyrillic, for the ``sr-Cyrl`` reports.

Serbian is written in both scripts, letter for letter: the Cyrillic reports are the Latin
catalog and data texts transliterated (Vuk's alphabet: ``lj``, ``nj`` and ``dž`` are one letter
each). What is not Serbian prose stays Latin: format placeholders (``{n}``), Markdown code and
link targets, HTML tags and entities, statistical symbols (``p``, ``t``, ``d_z``, ``g_av``,
``KR-20``, ``SD``...), names of software and references, and any word with a letter Serbian
does not use (``q``, ``w``, ``x``, ``y``), which marks a foreign word (``Python``, ``Wilcoxon``).
"""

from __future__ import annotations

import re

__all__ = ["to_cyrillic", "LATIN_TOKENS", "LATIN_MESSAGES"]

_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ", "Lj": "Љ", "Nj": "Њ", "Dž": "Џ", "LJ": "Љ", "NJ": "Њ",
             "DŽ": "Џ"}  # fmt: skip
_LETTERS = dict(
    zip(
        "abvgdđežzijklmnoprstćufhcčšABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠ",
        "абвгдђежзијклмнопрстћуфхцчшАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ",
        strict=True,
    )
)
#: Words kept in Latin script: statistical symbols, software and method names, abbreviations.
LATIN_TOKENS = frozenset(
    """p t n r c g d_z g_av KR-20 KR SD SEM M F df W z OLS LMM ANCOVA GEE REML ML LR MixedLM
    TTestPower statsmodels pandas SHA-256 SHA CSV XLSX PDF HTML JSON APA TREND RCI BF10 BF JZS
    OSCE BF₁₀
    McNemar Holm Hake Kerby Steiger Fouladi Lakens Marx Cummings Kirkpatrick Feldt Jacobson Truax
    Rubin Rouder Cronbach Hedges Wilcoxon SARA II III IV Des Jarlais et al Lee Wagenmakers Jeffreys
    Speckman Sun Morey Iverson Little Schafer Holland Wainer ShinyItemAnalysis JASP psych""".split()  # noqa: SIM905
)
#: Messages kept in Latin script as a whole: the list of references, cited as published.
LATIN_MESSAGES = frozenset({"references", "references_evidence"})
# spans never transliterated: placeholders, code, link targets, tags, entities, URLs, emphasis
# markers are kept as they are by the letter mapping itself
_PROTECTED = re.compile(
    r"\{[^{}]*\}|`[^`]*`|\]\([^)]*\)|<[^<>]*>|&[#\w]+;|https?://\S+|\$[^$]*\$|[\w.-]+\.(?:csv|json|"
    r"xlsx|html|pdf|png|svg|py|ipynb|po|mo)\b|\b[A-Z]{2}\d{2}[A-Z]{2}\b"
)
_WORD = re.compile(r"[^\W\d]+(?:[-_][^\W\d]+|-\d+)*", re.UNICODE)


def _word(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in LATIN_TOKENS or re.search(r"[qwxyQWXY]", word) or "_" in word:
        return word
    if "-" in word:  # "t-test", "F-test": each part on its own
        return "-".join(_word(re.match(r".*", part, re.DOTALL)) for part in word.split("-"))
    out = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
        else:
            out.append(_LETTERS.get(word[i], word[i]))
            i += 1
    return "".join(out)


def _plain(text: str) -> str:
    return _WORD.sub(_word, text)


def to_cyrillic(text: str) -> str:
    """Serbian Latin ``text`` in Cyrillic script, leaving placeholders, markup and symbols be.

    >>> to_cyrillic("Porast znanja: {n} učesnika, p = 0,034 (Vilkoksonov test); ljudi, džep")
    'Пораст знања: {n} учесника, p = 0,034 (Вилкоксонов тест); људи, џеп'
    >>> to_cyrillic("[Svi izveštaji](../index.html) · **Nema** kontrolne grupe; KR-20")
    '[Сви извештаји](../index.html) · **Нема** контролне групе; KR-20'
    """
    out = []
    last = 0
    for match in _PROTECTED.finditer(text):
        out.append(_plain(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_plain(text[last:]))
    return "".join(out)
