"""The draw: participants and questionnaire rows of every workshop, before they go into files."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .answers import Answers, draw_answers, plant_invalid, questionnaires
from .codes import render_code, workshop_codes
from .model import Instrument, assign_roles, difficulties, true_gains
from .people import Officers, draw_officers, person_name, person_record
from .registry import LABELS, workshop_registry, workshop_sizes

__all__ = ["Generated", "generate"]


@dataclass(frozen=True)
class _Streams:
    """The six independent random streams of one seed; each part of the draw uses its own."""

    people: np.random.Generator
    items: np.random.Generator
    answers: np.random.Generator
    codes: np.random.Generator
    mess: np.random.Generator
    render: np.random.Generator

    @classmethod
    def of(cls, seed: int) -> _Streams:
        """The streams spawned from ``seed``."""
        return cls(*(np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)))


@dataclass
class Generated:
    """The draw: registry, sizes, instrument, parameters, people, rows and planted counts.

    ``r_render`` is the stream the file plan goes on drawing from.
    """

    registry: list[dict[str, str]]
    sizes: list[int]
    kids: list[str]
    ritems: list[str]
    keys: np.ndarray
    b: np.ndarray
    gains: dict[str, float]
    people: list[dict]
    rows: list[dict]
    planted: dict[str, dict[str, int]]
    r_render: np.random.Generator


def generate(
    seed: int, n_participants: int, n_workshops: int, codebook: list[dict[str, str]]
) -> Generated:
    """Draw participants and questionnaire rows (not yet assigned to files)."""
    rng = _Streams.of(seed)
    registry = workshop_registry(n_workshops)
    sizes = workshop_sizes(n_participants, n_workshops)
    items = Instrument.of(codebook)
    b = difficulties(items.kids, rng.items)
    gains = true_gains(registry, rng.items)
    officers = draw_officers(rng.people, registry, sizes, gains)
    answers = draw_answers(rng.answers, officers, b, items.keys, items.ritems)
    name_u = rng.render.integers(0, 2**31, (sum(sizes), 2)).tolist()
    people: list[dict] = []
    rows: list[dict] = []
    planted: dict[str, dict[str, int]] = {}
    start = slips = 0
    for k, w in enumerate(registry):
        idx = list(range(start, start + sizes[k]))
        start += sizes[k]
        drawn = _workshop(k, w, idx, officers, answers, name_u, rng, slips)
        people += drawn.people
        rows += drawn.rows
        planted[w["workshop_id"]] = drawn.count
        slips += drawn.count["fuzzy_links"]
    plant_invalid(rows, list(planted), rng.mess, len(items.kids), len(items.ritems))
    _render(rows, rng.render)
    return Generated(
        registry=registry,
        sizes=sizes,
        kids=items.kids,
        ritems=items.ritems,
        keys=items.keys,
        b=b,
        gains=gains,
        people=people,
        rows=rows,
        planted=planted,
        r_render=rng.render,
    )


@dataclass
class _Workshop:
    """One workshop's people, questionnaire rows and planted counts."""

    people: list[dict]
    rows: list[dict]
    count: dict[str, int]


def _workshop(
    k: int,
    w: dict[str, str],
    idx: list[int],
    officers: Officers,
    answers: Answers,
    name_u: list[list[int]],
    rng: _Streams,
    slips: int,
) -> _Workshop:
    """Roles, codes, people and rows of workshop number ``k`` (people ``idx``)."""
    wid = w["workshop_id"]
    role_of = assign_roles(k, idx, rng.mess)
    codes = workshop_codes(idx, role_of, rng.codes, rng.mess, slips)
    count = {"fuzzy_links": codes.slips, "ambiguous": codes.ambiguous, "duplicates": 0}
    labels = LABELS.get(wid, (wid, w["number"], f"Synthetic directorate {w['number']}"))
    out = _Workshop(people=[], rows=[], count=count)
    for p in idx:
        role = role_of[p]
        pair = (codes.pre[p], codes.post[p])
        person = person_record(officers, p, wid, p - idx[0] + 1, role, pair, answers.prob[p])
        out.people.append(person)
        name = person_name(name_u[p], person["community"], person["gender"])
        context = {"date": w["date"], "labels": labels, "name": name}
        out.rows += questionnaires(person, p, k, answers, context, count)
    return out


def _render(rows: list[dict], rng: np.random.Generator) -> None:
    """Type each row's code and workshop label as a person might."""
    for r in rows:
        r["code_raw"] = render_code(r["code"], rng)
        labels = r["labels"]
        r["workshop_label"] = labels[0] if rng.random() < 0.8 else str(rng.choice(labels))
