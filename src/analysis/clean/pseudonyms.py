"""Rules 6 and 7 on the questionnaires scored: link each workshop's pre and post questionnaires
(exact, then unique Levenshtein-1, see :mod:`.linking`) and replace the codes by pseudonyms."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .linking import link_codes
from .log import CleaningLog

__all__ = [
    "Questionnaires",
    "WorkshopLinks",
    "link_and_pseudonymize",
    "link_workshop",
    "log_fuzzy_links",
    "log_unmatched",
    "pseudonyms",
]


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
class WorkshopLinks:
    """The links of one workshop: questionnaires by code, linked pairs and linked codes."""

    workshop_id: str
    by_code: dict[str, dict[str, int]]  # phase -> code -> index
    exact: list[tuple[str, str]]
    fuzzy: list[tuple[str, str]]
    linked: dict[str, set[str]]  # phase -> linked codes
    gone: dict[str, set[str]]  # phase -> codes excluded as incomplete


def link_workshop(
    wid: str, qs: Questionnaires, excluded_codes: dict[tuple[str, str], set[str]]
) -> WorkshopLinks:
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
    return WorkshopLinks(wid, by_code, exact, fuzzy, linked, gone)


def pseudonyms(links: WorkshopLinks, qs: Questionnaires) -> dict:
    """Rule 7: index -> pseudonym ``<workshop>-P<n>``, one per person, numbered in reading order.

    A linked pair is one person, first read at the earlier of its two questionnaires.
    """
    pre, post = links.by_code["pre"], links.by_code["post"]
    persons: list[tuple[int, list[int]]] = []
    for a, b in links.exact + links.fuzzy:
        i, j = pre[a], post[b]
        persons.append((min(qs.row_of[i], qs.row_of[j]), [i, j]))
    for phase in ("pre", "post"):
        persons += [
            (qs.row_of[i], [i])
            for c, i in links.by_code[phase].items()
            if c not in links.linked[phase]
        ]
    persons.sort()
    width = max(3, len(str(len(persons))))
    person: dict = {}
    for n, (_, idx) in enumerate(persons, start=1):
        person.update(dict.fromkeys(idx, f"{links.workshop_id}-P{n:0{width}d}"))
    return person


def log_fuzzy_links(
    links: WorkshopLinks, qs: Questionnaires, person: dict, log: CleaningLog
) -> None:
    """Log each link made by a one-character slip, on the post questionnaire's row."""
    src = qs.source
    for a, b in links.fuzzy:
        i, j = links.by_code["pre"][a], links.by_code["post"][b]
        log.add(
            "fuzzy_link",
            f"{person[i]}: pre ({src[i][0]} row {src[i][1]}) and "
            f"post ({src[j][0]} row {src[j][1]}) codes differ by "
            "one character; linked as each other's only candidate",
            src[j][0],
            int(src[j][1]),
            links.workshop_id,
            "post",
        )


def log_unmatched(links: WorkshopLinks, qs: Questionnaires, person: dict, log: CleaningLog) -> None:
    """Log each questionnaire left without its other phase, and why."""
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
                f"{person[i]}: {why}; used in the per-phase statistics only",
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
) -> tuple[pd.DataFrame, list[dict]]:
    """Rules 6-7 per workshop: add ``participant_id`` to ``q``; log fuzzy links and unmatched.

    Returns ``q`` and, per workshop, its number of pairs and of fuzzy links.
    """
    qs = Questionnaires.of(q)
    person: dict = {}  # index -> pseudonym; one Series at the end (no per-row .loc writes)
    link_rows = []
    for wid in workshops:
        links = link_workshop(wid, qs, excluded_codes)
        named = pseudonyms(links, qs)
        person.update(named)
        log_fuzzy_links(links, qs, named, log)
        log_unmatched(links, qs, named, log)
        link_rows.append(
            {
                "workshop_id": wid,
                "paired": len(links.exact) + len(links.fuzzy),
                "fuzzy_links": len(links.fuzzy),
            }
        )
    return q.assign(participant_id=pd.Series(person, index=q.index, dtype="string")), link_rows
