"""Rules 6 and 7 on the questionnaires scored: link each workshop's pre and post questionnaires
(exact, then unique Levenshtein-1, see :mod:`.linking`) and replace the codes by pseudonyms.

A pseudonym's number reveals nothing of the files: the persons of a workshop are numbered in
the order of a keyed hash (HMAC-SHA-256) of their normalized code, the key derived from the
contents of the raw files read (:func:`pseudonym_key`), so the same raw data gives the same
pseudonyms, and the order is neither the files' nor one anybody can compute from a guessed code
without the raw files. The cleaning log never puts a pseudonym beside a file and row.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .linking import link_codes
from .log import CleaningLog

__all__ = [
    "Questionnaires",
    "link_and_pseudonymize",
    "link_workshop",
    "person_order",
    "pseudonym_key",
    "pseudonyms",
]

_KEY_DOMAIN = b"analysis.clean.pseudonyms key v1\0"


@dataclass
class Questionnaires:
    """Plain Python look-ups of the few columns linking needs (no per-cell pandas access)."""

    row_of: dict  # index -> reading order
    source: dict  # index -> (source_file, source_row)
    by_phase: dict[tuple[str, str], list[tuple[str, int]]]  # (workshop, phase) -> (code, index)

    @classmethod
    def of(cls, q: pd.DataFrame) -> Questionnaires:
        """The look-ups of the questionnaires ``q``."""
        row_of = dict(zip(q.index, q["row"].tolist(), strict=True))
        files, rows = q["source_file"].tolist(), q["source_row"].tolist()
        source = dict(zip(q.index, zip(files, rows, strict=True), strict=True))
        by_phase: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for i, wid, phase, code in zip(
            q.index, q["workshop_id"].tolist(), q["phase"].tolist(), q["code"].tolist(), strict=True
        ):
            by_phase.setdefault((wid, phase), []).append((code, i))
        return cls(row_of, source, by_phase)


@dataclass
class _WorkshopLinks:
    """The links of one workshop: questionnaires by code, linked pairs and linked codes."""

    workshop_id: str
    by_code: dict[str, dict[str, int]]  # phase -> code -> index
    exact: list[tuple[str, str]]
    fuzzy: list[tuple[str, str]]
    linked: dict[str, set[str]]  # phase -> linked codes
    gone: dict[str, set[str]]  # phase -> codes excluded as incomplete


def link_workshop(
    wid: str, qs: Questionnaires, excluded_codes: dict[tuple[str, str], set[str]]
) -> _WorkshopLinks:
    """Rule 6 for workshop ``wid``: link its pre and post codes."""
    pre_rows = qs.by_phase.get((wid, "pre"), [])
    post_rows = qs.by_phase.get((wid, "post"), [])
    gone = {ph: excluded_codes.get((wid, ph), set()) for ph in ("pre", "post")}
    exact, fuzzy = link_codes(
        [c for c, _ in pre_rows],
        [c for c, _ in post_rows],
        excluded_pre=gone["pre"],
        excluded_post=gone["post"],
    )
    linked = {"pre": {a for a, _ in exact + fuzzy}, "post": {b for _, b in exact + fuzzy}}
    by_code = {"pre": dict(pre_rows), "post": dict(post_rows)}
    return _WorkshopLinks(wid, by_code, exact, fuzzy, linked, gone)


def pseudonym_key(paths: Iterable[Path]) -> bytes:
    """The key of the pseudonym order: SHA-256 over the sorted digests of the raw files read.

    Each file's digest is a SHA-256 of its bytes under this module's own prefix, not the plain
    SHA-256 that ``manifest.json`` publishes, so the key cannot be computed from the processed
    data: whoever lacks the raw files cannot order guessed codes the way the pseudonyms are.
    """
    digests = sorted(hashlib.sha256(_KEY_DOMAIN + Path(p).read_bytes()).digest() for p in paths)
    return hashlib.sha256(_KEY_DOMAIN + b"".join(digests)).digest()


def person_order(key: bytes, workshop_id: str, code: str) -> bytes:
    """The sort key of a person: HMAC-SHA-256 under ``key`` of the workshop and the code."""
    return hmac.digest(key, f"{workshop_id}\0{code}".encode(), "sha256")


def pseudonyms(links: _WorkshopLinks, key: bytes) -> dict:
    """Rule 7: index -> pseudonym ``<workshop>-P<n>``, one per person.

    Persons (a linked pair is one, named by its pre code; any other questionnaire is one) are
    numbered in the order of :func:`person_order` of their normalized code, which says nothing
    of the files, rows or order the questionnaires were read in.
    """
    pre, post = links.by_code["pre"], links.by_code["post"]
    persons: list[tuple[bytes, list[int]]] = []
    for a, b in links.exact + links.fuzzy:
        persons.append((person_order(key, links.workshop_id, a), [pre[a], post[b]]))
    for phase in ("pre", "post"):
        persons += [
            (person_order(key, links.workshop_id, c), [i])
            for c, i in links.by_code[phase].items()
            if c not in links.linked[phase]
        ]
    persons.sort()
    width = max(3, len(str(len(persons))))
    person: dict = {}
    for n, (_, idx) in enumerate(persons, start=1):
        person.update(dict.fromkeys(idx, f"{links.workshop_id}-P{n:0{width}d}"))
    return person


def _log_fuzzy_links(links: _WorkshopLinks, qs: Questionnaires, log: CleaningLog) -> None:
    """Log each link made by a one-character slip, on the post questionnaire's row (by file and
    row, never by pseudonym)."""
    src = qs.source
    for a, b in links.fuzzy:
        i, j = links.by_code["pre"][a], links.by_code["post"][b]
        log.add(
            "fuzzy_link",
            f"pre ({src[i][0]} row {src[i][1]}) and "
            f"post ({src[j][0]} row {src[j][1]}) codes differ by "
            "one character; linked as each other's only candidate",
            src[j][0],
            int(src[j][1]),
            links.workshop_id,
            "post",
        )


def _log_unmatched(links: _WorkshopLinks, qs: Questionnaires, log: CleaningLog) -> None:
    """Log each questionnaire left without its other phase, and why (by file and row, never by
    pseudonym)."""
    wid = links.workshop_id
    for phase in ("pre", "post"):
        other = "post" if phase == "pre" else "pre"
        for c, i in links.by_code[phase].items():
            if c in links.linked[phase]:
                continue
            why = (
                f"its {other} questionnaire was excluded as incomplete"
                if c in links.gone[other]
                else f"no {other} questionnaire with this code in {wid}"
            )
            log.add(
                "unmatched",
                f"{why}; used in the per-phase statistics only",
                qs.source[i][0],
                int(qs.source[i][1]),
                wid,
                phase,
            )


def link_and_pseudonymize(
    q: pd.DataFrame,
    workshops: list[str],
    excluded_codes: dict[tuple[str, str], set[str]],
    log: CleaningLog,
    key: bytes,
) -> tuple[pd.DataFrame, list[dict]]:
    """Rules 6-7 per workshop: add ``participant_id`` to ``q``; log fuzzy links and unmatched.

    ``key`` orders the pseudonyms (:func:`pseudonym_key`). Returns ``q`` and, per workshop, its
    number of pairs and of fuzzy links.
    """
    qs = Questionnaires.of(q)
    person: dict = {}  # index -> pseudonym; one Series at the end (no per-row .loc writes)
    link_rows = []
    for wid in workshops:
        links = link_workshop(wid, qs, excluded_codes)
        person.update(pseudonyms(links, key))
        _log_fuzzy_links(links, qs, log)
        _log_unmatched(links, qs, log)
        link_rows.append(
            {
                "workshop_id": wid,
                "paired": len(links.exact) + len(links.fuzzy),
                "fuzzy_links": len(links.fuzzy),
            }
        )
    return q.assign(participant_id=pd.Series(person, index=q.index, dtype="string")), link_rows
