"""Headers matched through the codebook: which contract column or item an export's column is.

A column is an item when its header, after removing a group prefix (``group_knowledge/``,
``knowledge-``) and a trailing required marker (`` *``), equals, folded (see
:func:`header_key`), the item's ``item_id``, its text in any language of the codebook
(``text_sq``, ``text_en``, any ``text_<lang>``) or one of its ``aliases`` (an optional codebook
column, ``|``-separated). The contract's other columns are found the same way through
:data:`SYNONYMS` (English, Albanian, Serbian; listed in data/raw/README.md). Two columns
claiming one target, or one header naming two targets, stop the run naming both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import DataError
from .labels import fold, unformat, visible

__all__ = [
    "SYNONYMS",
    "HeaderMatch",
    "HeaderMatcher",
    "header_key",
    "short_list",
]

#: Headers (compared as :func:`header_key` folds them) naming the contract's other columns.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "participant_code": (
        "participant_code",
        "participant code",
        "code",
        "your code",
        "your participant code",
        "personal code",
        "self-generated code",
        "kodi",
        "kodi i pjesëmarrësit",
        "kodi i pjesemarresit",
        "kodi personal",
        "kodi juaj",
        "kodi juaj i pjesëmarrësit",
        "šifra",
        "šifra učesnika",
        "lična šifra",
    ),
    "workshop": ("workshop", "punëtoria", "punëtori", "radionica", "workshop id"),
    "language": (
        "language",
        "form language",
        "questionnaire language",
        "gjuha",
        "gjuha e pyetësorit",
        "jezik",
        "jezik upitnika",
    ),
    "phase": ("phase", "faza", "test", "testi", "pre/post", "lloji i testit", "vrsta testa"),
    "submitted_at": (
        "submitted_at",
        "submitted at",
        "submitted",
        "submission time",
        "koha e dorëzimit",
        "data e dorëzimit",
        "vreme predaje",
        "datum predaje",
    ),
    "gender": ("gender", "sex", "gjinia", "pol"),
    "community": (
        "community",
        "ethnicity",
        "komuniteti",
        "etnia",
        "përkatësia etnike",
        "zajednica",
    ),
    "years_of_service": (
        "years_of_service",
        "years of service",
        "years in service",
        "years",
        "vitet",
        "vitet e shërbimit",
        "vite shërbimi",
        "vite pune",
        "godine službe",
        "radni staž",
        "staž",
    ),
    "rank": ("rank", "grada", "grade", "čin"),
    "station": (
        "station",
        "police station",
        "stacioni",
        "stacioni policor",
        "stanica",
        "policijska stanica",
    ),
}

# a group prefix: Kobo's path of groups (anything up to a '/'), or an ODK Central group joined
# with '-' (a name without spaces: knowledge-K01, meta-instanceID)
_SLASH = re.compile(r"/")
_DASH_PREFIX = re.compile(r"[^\s/\-]+-")
#: How many group prefixes are tried off one header (groups nest a few levels deep).
_MAX_GROUP_DEPTH = 8


def header_key(text: object) -> str:
    """A header as it is compared: folded (:func:`~analysis.raw.labels.fold`), without the
    punctuation, symbols and quotes around it (a trailing required marker `` *`` included).

    >>> header_key(" „Kodi i pjesëmarrësit” * "), header_key("What is X?")
    ('kodi i pjesemarresit', 'what is x')
    """
    key = fold(text)
    start, end = 0, len(key)
    while start < end and not key[start].isalnum():
        start += 1
    while end > start and not key[end - 1].isalnum():
        end -= 1
    return unicodedata.normalize("NFC", key[start:end].strip())


def _prefixes_removed(header: str) -> list[str]:
    """The header without each group prefix it may carry (at most :data:`_MAX_GROUP_DEPTH`
    of each kind), longest remainder first."""
    out = [
        header[m.end() :]
        for m, _ in zip(_SLASH.finditer(header), range(_MAX_GROUP_DEPTH), strict=False)
    ]
    pos = 0
    for _ in range(_MAX_GROUP_DEPTH):
        m = _DASH_PREFIX.match(header, pos)
        if m is None:
            break
        out.append(header[m.end() :])
        pos = m.end()
    return [h for h in out if h.strip()]


def short_list(names: Sequence[str], limit: int = 10, width: int = 40) -> str:
    """Names for a message: the first ``limit``, each cut to ``width`` characters."""
    shown = [visible(n if len(n) <= width else n[: width - 3] + "...") for n in names[:limit]]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(shown) + more


@dataclass(frozen=True)
class HeaderMatch:
    """One header matched: its column (1-based), the header as written, target and rule."""

    column: int
    header: str
    target: str
    rule: str


class HeaderMatcher:
    """The lookup from folded headers to contract columns and codebook items."""

    def __init__(self, codebook: pd.DataFrame):
        """Build the lookup from the codebook (item ids, ``text_*``, optional ``aliases``)."""
        self.targets: dict[str, dict[str, str]] = {}  # key -> {target: rule}
        self.longest = 0  # the longest label, to bound the work on a header
        for column, names in SYNONYMS.items():
            for name in names:
                self._add(name, column, "synonym")
        texts = [c for c in codebook.columns if str(c).startswith("text_")]
        aliases = codebook.get("aliases")
        for n, item in enumerate(codebook["item_id"].tolist()):
            self._add(item, item, "item id")
            row = codebook.iloc[n]
            for col in texts:
                self._add(row[col], item, f"item text ({str(col)[5:]})")
            if aliases is not None:
                for alias in str(aliases.iloc[n] if pd.notna(aliases.iloc[n]) else "").split("|"):
                    self._add(alias, item, "alias")

    def _add(self, label: object, target: str, rule: str) -> None:
        """Record that ``label`` names ``target`` by ``rule``."""
        if label is None or (not isinstance(label, str) and pd.isna(label)):
            return
        key = header_key(label)
        self.longest = max(self.longest, len(str(label)))
        if key:
            self.targets.setdefault(key, {}).setdefault(target, rule)

    def lookup(self, header: str, path: object, column: int) -> tuple[str, str] | None:
        """The target and rule of one header, or None; a header naming two targets stops."""
        # a header far longer than any label is matched whole only: its prefixes are not tried
        long = len(header) > self.longest + 1000
        for n, candidate in enumerate([header, *([] if long else _prefixes_removed(header))]):
            found = self.targets.get(header_key(candidate))
            if not found:
                continue
            if len(found) > 1:
                raise DataError(
                    f"{path}: the header of column {column} ('{visible(header)}') names both "
                    f"{' and '.join(sorted(found))} (as {', '.join(found.values())}); accepted "
                    "is a header that names one item or column: change the header, or make the "
                    "codebook's texts and aliases differ."
                )
            target, rule = next(iter(found.items()))
            return target, rule + (", group prefix removed" if n else "")
        return None

    def match(
        self, headers: Sequence[Sequence[str]], path: object, skip: Sequence[bool]
    ) -> list[HeaderMatch]:
        """Match every column: ``headers[j]`` are its candidate headers (the first that names
        something wins), ``skip[j]`` true for a platform column never matched. Two columns
        naming one target stop the run naming both."""
        matches: dict[str, HeaderMatch] = {}
        for j, candidates in enumerate(headers, start=1):
            if skip[j - 1]:
                continue
            for header in candidates:
                header = unformat(header).strip()
                hit = self.lookup(header, path, j) if header else None
                if hit is None:
                    continue
                target, rule = hit
                if target in matches:
                    first = matches[target]
                    raise DataError(
                        f"{path}: columns {first.column} ('{visible(first.header)}') and {j} "
                        f"('{visible(header)}') both name {target}; accepted is one column per "
                        "item or contract column: delete or rename one of them."
                    )
                matches[target] = HeaderMatch(j, header, target, rule)
                break
        return sorted(matches.values(), key=lambda m: m.column)
