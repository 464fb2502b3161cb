"""Label folding and the normalization rules of the data contract (rule 1)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = [
    "PHASES",
    "POST_LABELS",
    "PRE_LABELS",
    "WorkshopLabels",
    "fold",
    "normalize_code",
    "normalize_phase",
    "unformat",
    "visible",
]

# every Unicode dash counts as a dash (a word processor turns '-' into '–' as people type)
_DASHES = "\\-\u2010-\u2015\u2212"
_SEPARATORS = re.compile(rf"[\s{_DASHES}/_.]+")
_CODE_DROP = re.compile(rf"[\s{_DASHES}._]+")

PRE_LABELS = ("pre", "pretest", "pre test", "para", "paratest", "para testi", "paratesti")
POST_LABELS = ("post", "posttest", "post test", "pas", "pastest", "pas testi", "pastesti")
PHASES = ("pre", "post")


def unformat(text: object) -> str:
    r"""``text`` NFKC-normalized, with every format character (Unicode category ``Cf``: zero-width
    space and joiner, soft hyphen, direction marks, BOM) removed.

    So a label or code typed in NFC or NFD, in fullwidth letters, or with an invisible character
    pasted in reads as the same text.

    >>> unformat("W\u200b1"), unformat("Ｗ１"), unformat("Pe\u0301ja") == "Péja"
    ('W1', 'W1', True)
    """
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    if text.isascii():
        return text
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", text)


def _script(ch: str) -> str:
    """The first word of a letter's Unicode name (``LATIN``, ``CYRILLIC``, ``GREEK``, ...)."""
    return unicodedata.name(ch, "?").split(" ", 1)[0]


def _escape(ch: str) -> str:
    r"""``\uXXXX`` (or ``\UXXXXXXXX`` beyond the BMP) for one character."""
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: object) -> str:
    r"""``text`` as an error message shows it: every character that cannot be seen or that may be
    taken for another written as an escape ``\uXXXX``.

    Escaped are control, format (zero-width space, soft hyphen, direction marks, BOM),
    private-use and unassigned characters, every space other than the ASCII space, combining
    marks (a decomposed ``e`` + ``\u0308``), compatibility forms (fullwidth ``Ｗ``, ligatures),
    and a letter of another script in a text that also holds Latin letters or ASCII digits (a
    Cyrillic ``А`` in ``Аb12``). Letters with accents (``ë``, ``ç``) and text wholly in one
    other script are shown as they are.

    >>> visible("W\u200b2"), visible("\u0410B12"), visible("Pejë"), visible("Србин")
    ('W\\u200b2', '\\u0410B12', 'Pejë', 'Србин')
    """
    text = "" if text is None else str(text)
    if text.isascii() and text.isprintable():
        return text
    latin = any(
        ch.isascii() and ch.isalnum() or (ch.isalpha() and _script(ch) == "LATIN") for ch in text
    )
    out = []
    for ch in text:
        if ch.isascii() and ch.isprintable():
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        hidden = category[0] in "CZM" or unicodedata.normalize("NFKC", ch) != ch
        foreign = ch.isalpha() and latin and _script(ch) != "LATIN"
        out.append(_escape(ch) if hidden or foreign else ch)
    return "".join(out)


def fold(label: object) -> str:
    r"""Fold a label: NFKC-normalized and format characters removed (see :func:`unformat`),
    lower case, accents removed, runs of space ``-/_.`` (and any Unicode dash) made one space,
    trimmed.

    >>> fold("  Pejë-Gjakovë / DRP "), fold("Pejë–Gjakovë"), fold("Pe\u00adjë")
    ('peje gjakove drp', 'peje gjakove', 'peje')
    """
    if label is None:
        return ""
    text = unicodedata.normalize("NFKD", unformat(label))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _SEPARATORS.sub(" ", text).strip()


_PHASE_BY_FOLDED = {fold(x): "pre" for x in PRE_LABELS} | {fold(x): "post" for x in POST_LABELS}


def normalize_phase(label: object) -> str | None:
    """Return ``'pre'`` or ``'post'`` for an accepted phase label, else ``None``.

    >>> normalize_phase("Para Testi"), normalize_phase("PAS-TESTI"), normalize_phase("mid")
    ('pre', 'post', None)
    """
    return _PHASE_BY_FOLDED.get(fold(label))


def normalize_code(code: object) -> str:
    r"""Normalize a participant code: NFKC-normalized and format characters removed (see
    :func:`unformat`), upper case, spaces, dashes (any Unicode dash), dots and underscores
    removed.

    >>> normalize_code(" ab-12 cd "), normalize_code("ab–12\u00a0cd")
    ('AB12CD', 'AB12CD')
    >>> normalize_code("ａｂ\u200b12"), normalize_code("a\u00adb12")
    ('AB12', 'AB12')
    """
    if code is None:
        return ""
    text = _CODE_DROP.sub("", unformat(code)).upper()
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


class WorkshopLabels:
    """Resolve the workshop labels typed in exports to a ``workshop_id``.

    A workshop is named by its id (``W1``), its number (``1``), any of its aliases or its
    directorate's text (``directorate``, ``directorate_sq``, any ``directorate_<lang>``: what
    a Kobo "labels" export of a select-one workshop question holds); all are compared folded.
    """

    def __init__(self, workshops: Iterable[Mapping[str, object]]):
        """Build the lookup from registry rows with ``workshop_id``, ``number``, ``aliases``
        and the directorate texts."""
        self.by_folded: dict[str, str] = {}
        self.ids: list[str] = []
        for row in workshops:
            wid = str(row["workshop_id"])
            self.ids.append(wid)
            aliases = str(row.get("aliases") or "").split("|")
            directorates = [
                v
                for k, v in row.items()
                if (k == "directorate" or str(k).startswith("directorate_")) and isinstance(v, str)
            ]
            for label in [wid, str(row["number"]), *aliases, *directorates]:
                key = fold(label)
                if key:
                    self.by_folded.setdefault(key, wid)

    def resolve(self, label: object) -> str | None:
        """Return the ``workshop_id`` named by ``label``, or ``None`` when it names none."""
        return self.by_folded.get(fold(label))

    def accepted(self) -> str:
        """Describe the accepted labels, for error messages."""
        return "; ".join(
            f"{wid}: " + ", ".join(sorted(k for k, v in self.by_folded.items() if v == wid))
            for wid in self.ids
        )
