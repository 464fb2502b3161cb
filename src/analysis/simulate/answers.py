"""The answers: Rasch-type knowledge answers, Likert reactions, and the planted answer messes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import POST, PRE, REACTION_OFFSET
from .people import Officers

__all__ = [
    "Answers",
    "draw_answers",
    "plant_invalid",
    "questionnaires",
]

_INVALID_KNOWLEDGE = ("AB", "E", "?", "x")


@dataclass(frozen=True)
class Answers:
    """Every officer's drawn answers, by person, phase (pre, post) and item.

    ``prob`` is P(correct) of shape (n, 2, n_k); ``letters`` the answers, ``blank`` the cells
    left blank, ``redraw`` a second questionnaire (for the duplicates), ``likert`` the reaction
    answers (n, n_r) and ``minutes`` the minutes after the phase's start time (n, 2).
    """

    prob: np.ndarray
    letters: list
    blank: list
    redraw: list
    likert: list
    minutes: list


def draw_answers(
    rng: np.random.Generator,
    officers: Officers,
    b: np.ndarray,
    keys: np.ndarray,
    ritems: list[str],
) -> Answers:
    """Draw both phases' answers of every officer, vectorized."""
    logit = (
        officers.theta[:, None, None]
        - b[None, None, :]
        + officers.gain_i[:, None, None] * np.array([0.0, 1.0])[None, :, None]
    )
    prob = 1.0 / (1.0 + np.exp(-logit))
    correct = rng.random(prob.shape) < prob
    wrong = (keys[None, None, :] + rng.integers(1, 4, prob.shape)) % 4
    letter_idx = np.where(correct, keys[None, None, :], wrong)
    letters = np.array(list("ABCD"))[letter_idx].astype("<U4")
    style = rng.random(letters.shape)
    letters = np.where(style < 0.04, np.char.lower(letters), letters)
    blank = rng.random(letters.shape) < 0.015
    # a redrawn questionnaire for the duplicates (same person, same phase, answered again)
    redraw_correct = rng.random(prob.shape) < prob
    redraw_wrong = (keys[None, None, :] + rng.integers(1, 4, prob.shape)) % 4
    redraw = np.array(list("ABCD"))[np.where(redraw_correct, keys, redraw_wrong)].astype("<U4")
    n = len(officers.theta)
    offsets = np.array([REACTION_OFFSET.get(r, 0.0) for r in ritems])
    likert = np.clip(
        np.round(
            3.9
            + 0.8 * officers.satisfaction[:, None]
            + offsets
            + rng.normal(0, 0.6, (n, len(ritems)))
        ),
        1,
        5,
    ).astype(int)
    minutes = rng.integers(0, 41, (n, 2))
    minutes[:, 1] = rng.integers(0, 46, n)
    return Answers(
        prob=prob,
        letters=letters.tolist(),
        blank=blank.tolist(),
        redraw=redraw.tolist(),
        likert=likert.tolist(),
        minutes=minutes.tolist(),
    )


def questionnaires(
    person: dict,
    p: int,
    k: int,
    answers: Answers,
    context: dict,
    count: dict[str, int],
) -> list[dict]:
    """The questionnaire rows of person ``p`` of workshop number ``k``, planted messes included.

    ``context`` holds the row fields shared by the workshop's rows (``date``, ``labels``) and the
    person's ``name``; planted duplicates are counted in ``count["duplicates"]``.
    """
    role = person["role"]
    n_k, n_r = len(answers.letters[p][PRE]), len(answers.likert[p])
    rows: list[dict] = []
    for ph in (PRE, POST):
        if not person[("attended_pre", "attended_post")[ph]]:
            continue
        k_ans = list(answers.letters[p][ph])
        if role == "normal" or role in ("slip", "left_early", "missed_pre"):
            k_ans = ["" if e else a for e, a in zip(answers.blank[p][ph], k_ans, strict=True)]
        hh, mm = (8, 30) if ph == PRE else (15, 0)
        mins = answers.minutes[p][ph]
        row = {
            "workshop_id": person["workshop_id"],
            "phase": ("pre", "post")[ph],
            "participant_key": person["participant_key"],
            "code": person["pre_code"] if ph == PRE else person["post_code"],
            "k": k_ans,
            "r": [str(x) for x in answers.likert[p]] if ph == POST else [""] * n_r,
            "submitted_at": f"{context['date']}T{hh + (mm + mins) // 60:02d}:"
            f"{(mm + mins) % 60:02d}:00",
            "person": person,
            "name": context["name"],
            "labels": context["labels"],
            "late": False,
        }
        rows.append(row)
        rows += _plant(row, role, ph, k, n_k, answers.redraw[p][ph], count)
    return rows


def _plant(
    row: dict, role: str, ph: int, k: int, n_k: int, redraw: list, count: dict[str, int]
) -> list[dict]:
    """Apply a questionnaire-level mess to ``row``; return the duplicate rows it adds."""
    half = (n_k + 1) // 2
    if role == "incomplete_pre" and ph == PRE:
        row["k"] = [a if j < max(1, half - 4) else "" for j, a in enumerate(row["k"])]
    elif role == "incomplete_post" and ph == POST:
        row["k"] = [a if j < half - 1 else "" for j, a in enumerate(row["k"])]
        row["k"][0] = "?"
    elif role == "half_answered" and ph == (PRE if k % 2 == 0 else POST):
        row["k"] = [a if j < n_k // 2 else "" for j, a in enumerate(row["k"])]
        if n_k % 2 == 0:  # exactly half answered, one of them invalid: not excluded
            row["k"][1] = "AB"
    elif role.startswith("dup_") and ph == (PRE if k % 2 == 0 else POST):
        count["duplicates"] += 1
        return [_duplicate(row, role, redraw)]
    return []


def _duplicate(row: dict, role: str, redraw: list) -> dict:
    """A second questionnaire of the same person and phase, built to win or lose as planted."""
    extra = dict(row, k=[str(x) for x in redraw], late=True, r=list(row["r"]))
    base = row["submitted_at"]
    hh, mm = int(base[11:13]), int(base[14:16])
    if role == "dup_more_answered":
        extra["k"] = [a if j < 7 else "" for j, a in enumerate(extra["k"])]
        mm += 25
    elif role == "dup_later_submitted":
        mm -= 20  # the earlier one is read later and must lose
    later = f"{base[:11]}{hh + mm // 60:02d}:{mm % 60:02d}:00"
    extra["submitted_at"] = later if role != "dup_last_read" else base
    return extra


def plant_invalid(
    rows: list[dict], wids: list[str], rng: np.random.Generator, n_k: int, n_r: int
) -> None:
    """Write invalid and blank answers into a few cells of ordinary rows of each workshop."""
    rows_of: dict[str, list[dict]] = {wid: [] for wid in wids}
    for r in rows:
        rows_of[r["workshop_id"]].append(r)
    for k, wid in enumerate(wids):
        plain = [
            r for r in rows_of[wid] if r["person"]["role"] in ("normal", "slip") and not r["late"]
        ]
        if not plain:
            continue
        for j in range(3):
            row = plain[int(rng.integers(0, len(plain)))]
            row["k"][int(rng.integers(0, n_k))] = _INVALID_KNOWLEDGE[(k + j) % 4]
        posts = [r for r in plain if r["phase"] == "post"]
        if posts:
            row = posts[int(rng.integers(0, len(posts)))]
            row["r"][int(rng.integers(0, n_r))] = "6"
            row = posts[int(rng.integers(0, len(posts)))]
            row["r"][int(rng.integers(0, n_r))] = ""
