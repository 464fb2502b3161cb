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
]

# every Unicode dash counts as a dash (a word processor turns '-' into '–' as people type)
_DASHES = "\\-\u2010-\u2015\u2212"
_SEPARATORS = re.compile(rf"[\s{_DASHES}/_.]+")
_CODE_DROP = re.compile(rf"[\s{_DASHES}._]+")

PRE_LABELS = ("pre", "pretest", "pre test", "para", "paratest", "para testi", "paratesti")
POST_LABELS = ("post", "posttest", "post test", "pas", "pastest", "pas testi", "pastesti")
PHASES = ("pre", "post")


def fold(label: object) -> str:
    """Fold a label: lower case, accents removed, runs of space ``-/_.`` (and any Unicode dash)
    made one space, trimmed.

    >>> fold("  Pejë-Gjakovë / DRP "), fold("Pejë–Gjakovë")
    ('peje gjakove drp', 'peje gjakove')
    """
    if label is None:
        return ""
    text = unicodedata.normalize("NFKD", str(label))
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
    """Normalize a participant code: upper case, spaces, dashes (any Unicode dash), dots and
    underscores removed.

    >>> normalize_code(" ab-12 cd "), normalize_code("ab–12\u00a0cd")
    ('AB12CD', 'AB12CD')
    """
    if code is None:
        return ""
    return _CODE_DROP.sub("", str(code)).upper()


class WorkshopLabels:
    """Resolve the workshop labels typed in exports to a ``workshop_id``.

    A workshop is named by its id (``W1``), its number (``1``) or any of its aliases; all are
    compared folded.
    """

    def __init__(self, workshops: Iterable[Mapping[str, object]]):
        """Build the lookup from registry rows with ``workshop_id``, ``number``, ``aliases``."""
        self.by_folded: dict[str, str] = {}
        self.ids: list[str] = []
        for row in workshops:
            wid = str(row["workshop_id"])
            self.ids.append(wid)
            aliases = str(row.get("aliases") or "").split("|")
            for label in [wid, str(row["number"]), *aliases]:
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
