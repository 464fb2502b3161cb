"""A seeded simulator of questionnaire exports, written exactly in the project's data contract.

The per-participant answers of the four 2021 workshops were never published, so the project
ships a SYNTHETIC data set made by :func:`simulate`. Same seed, same bytes: every file, the
XLSX workbook included, is byte-identical between runs; nothing depends on the clock.

Model (Rasch type, on the logit scale)
--------------------------------------
* Ability ``theta_i ~ N(0, 1) + 0.02 * (years_of_service_i - 12)``.
* Item difficulty ``b_j``: fixed per item in :data:`ITEM_DIFFICULTY` (K09 and K18 are easy, so a
  ceiling item exists; K05 and K10 are hard); items not listed there are drawn ``N(0, 0.8)``.
* True gain per workshop ``g_w`` (:data:`TRUE_GAIN`: W1 0.9, W2 0.6, W3 1.1, W4 0.4; workshops
  beyond W4 draw ``g_w ~ N(0.75, 0.25)`` clipped to [0.1, 1.5]); each person's gain is
  ``g_w + N(0, 0.3)``.
* ``P(correct) = logistic(theta_i - b_j + gain_i * [post])``. A wrong answer is one of the
  three distractors, uniformly.
* Reaction items (post only): Likert 1-5, ``round(3.9 + 0.8 * s_i + offset_j + N(0, 0.6))``
  clipped to 1..5, with latent satisfaction ``s_i ~ N(0, 1)``; "time was sufficient" (R05) has
  offset -0.6.
* Demographics: gender ``M``/``F`` (about 22 % F), community mostly ``Shqiptar`` (more ``Serb``
  in Mitrovicë), years of service, rank (Polic, Rreshter, Toger, Kapiten), station of the
  directorate; ``submitted_at`` on the workshop date, pre 08:30-09:10, post 15:00-15:45.

Planted messes (a fixed handful per workshop, so they scale with the number of workshops;
slips scale with its size): one-character code slips between pre and post (``n_w // 10``, at
least one; every third one a dropped character), in W3 (and every fourth workshop) an
ambiguous slip that the linking rule must leave unlinked, case/space/dash/dot variants of codes,
one duplicate per workshop (cycling: more answered items wins; tie broken by later
``submitted_at``; tie on both broken by the last row read), incomplete questionnaires (6 or 9
of the knowledge items answered) and one with exactly half answered (kept), invalid answers
(``AB``, ``E``, ``?``, ``x``, reaction ``6``), blank answers, a participant who left early
(pre only) and one who missed the pre (post only), personal columns (``name``; ``emri``,
``mbiemri``, ``phone`` in the Windows-1250 file; ``shenime`` in the late file), Albanian phase
labels, workshops named by id, number and aliases, one Windows-1250 CSV with ``;``, one XLSX,
one UTF-8-with-BOM CSV, one lower-case item header, the rest UTF-8 CSV. Files: one per workshop
and phase plus ``late_submissions.csv`` (read last), which mixes workshops.

Generated codes of one workshop are pairwise at Levenshtein distance >= 3, so a planted slip
is the only distance-1 candidate on both sides, except the ambiguous slip planted on purpose.

Outputs under ``out_dir``: ``workshops.csv``, ``instrument/codebook.csv`` (copied from the
project), ``responses/*``, and ``synthetic/`` with ``truth.json``, ``participants.csv``,
``expected_flow.csv``, ``expected_questionnaires.csv`` and ``manifest.json`` (SHA-256 of every
file written). The expected tables come from applying the contract's rules to the generated
rows, and are checked against the planted counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np

from ..clean.linking import within_one_edit
from ..config import RAW
from ..errors import DataError
from ..raw.labels import normalize_code

PROJECT_RAW = RAW
MANIFEST = "synthetic/manifest.json"

# directorate_sq (optional beyond the contract): the directorate as the Albanian reports name it.
REGISTRY_COLUMNS = ("workshop_id", "number", "directorate", "date", "aliases", "directorate_sq")
REGISTRY: tuple[dict[str, str], ...] = (
    {
        "workshop_id": "W1",
        "number": "1",
        "directorate": "Ferizaj-Gjilan and Border",
        "directorate_sq": "Ferizaj-Gjilan dhe të Kufirit",
        "date": "2021-03-16",
        "aliases": "Ferizaj-Gjilan|Ferizaj/Gjilan|Ferizaj Gjilan|DRP Ferizaj-Gjilan|DRP Ferizaj|"
        "Ferizaj|Gjilan|Ferizaj-Gjilan dhe Kufirit|Punëtoria 1",
    },
    {
        "workshop_id": "W2",
        "number": "2",
        "directorate": "Pejë-Gjakovë and Border",
        "directorate_sq": "Pejë-Gjakovë dhe të Kufirit",
        "date": "2021-03-18",
        "aliases": "Pejë-Gjakovë|Peje-Gjakove|Pejë/Gjakovë|DRP Pejë-Gjakovë|DRP Peje|Pejë|Peje|"
        "Gjakovë|Gjakova|Peja|Pejë-Gjakovë dhe Kufirit|Punëtoria 2",
    },
    {
        "workshop_id": "W3",
        "number": "3",
        "directorate": "Prishtinë and Border",
        "directorate_sq": "Prishtinë dhe të Kufirit",
        "date": "2021-03-23",
        "aliases": "Prishtinë|Prishtine|Prishtina|DRP Prishtinë|DRP Prishtina|"
        "Prishtinë dhe Kufirit|Punëtoria 3",
    },
    {
        "workshop_id": "W4",
        "number": "4",
        "directorate": "Mitrovicë Jug-Veri (South-North) and Border",
        "directorate_sq": "Mitrovicë Jug-Veri dhe të Kufirit",
        "date": "2021-03-25",
        "aliases": "Mitrovicë Jug-Veri|Mitrovice Jug Veri|Mitrovicë Jug/Veri|Mitrovica South-North|"
        "DRP Mitrovicë|DRP Mitrovica|Mitrovicë|Mitrovica|Mitrovicë Jug-Veri dhe Kufirit|"
        "Punëtoria 4",
    },
)
DEFAULT_SIZES = (18, 19, 20, 17)
TRUE_GAIN = {"W1": 0.9, "W2": 0.6, "W3": 1.1, "W4": 0.4}
GAIN_SD = 0.3
ITEM_DIFFICULTY = {
    "K01": -0.6, "K02": -0.2, "K03": 0.3, "K04": 0.1, "K05": 1.2,
    "K06": 0.5, "K07": -0.1, "K08": -0.9, "K09": -2.6, "K10": 1.0,
    "K11": -0.7, "K12": 0.2, "K13": -0.4, "K14": 0.6, "K15": -1.1,
    "K16": 0.8, "K17": -0.8, "K18": -2.2, "K19": 0.0, "K20": -0.3,
}  # fmt: skip
REACTION_OFFSET = {"R05": -0.6, "R02": 0.2, "R06": 0.1}

# Per-workshop flavour of the exports: labels as typed, stations, file slug.
LABELS = {
    "W1": ("W1", "1", "Ferizaj-Gjilan", "DRP Ferizaj"),
    "W2": ("Pejë-Gjakovë", "peje / gjakove", "2", "w2"),
    "W3": ("DRP Prishtina", "3", "Prishtinë"),
    "W4": ("Mitrovicë Jug-Veri", "Punëtoria 4", "4", "W4"),
}
SLUGS = {"W1": "ferizaj-gjilan", "W2": "peje-gjakove", "W3": "prishtine", "W4": "mitrovice"}
STATIONS = {
    "W1": ("Ferizaj", "Gjilan", "Kaçanik", "Viti", "Kamenicë", "Shtërpcë", "Policia Kufitare"),
    "W2": ("Pejë", "Gjakovë", "Deçan", "Istog", "Klinë", "Junik", "Policia Kufitare"),
    "W3": ("Prishtinë Qendër", "Prishtinë Veri", "Podujevë", "Lipjan", "Fushë Kosovë", "Graçanicë"),
    "W4": ("Mitrovicë Jug", "Mitrovicë Veri", "Vushtrri", "Skenderaj", "Zveçan", "Leposaviq"),
}
PRE_VARIANTS = ("Paratest", "para testi", "pre", "PARA", "Pre-test", "paratesti", "pretest")
POST_VARIANTS = ("Pastest", "pas testi", "Post", "PAS", "Post-test", "pastesti", "posttest")
COMMUNITIES = ("Shqiptar", "Serb", "Turk", "Boshnjak", "Rom", "Ashkali", "Egjiptian", "Goran")
COMMUNITY_P = (0.82, 0.07, 0.03, 0.03, 0.01, 0.02, 0.01, 0.01)
COMMUNITY_P_NORTH = (0.62, 0.30, 0.01, 0.04, 0.01, 0.01, 0.005, 0.005)
RANKS = ("Polic", "Rreshter", "Toger", "Kapiten")
RANK_P = (0.55, 0.30, 0.10, 0.05)
NAMES = {
    "sq": (
        ("Arbër", "Besnik", "Driton", "Ilir", "Agon", "Fatmir", "Valon", "Blerim", "Gëzim",
         "Labinot", "Shpëtim", "Ardian", "Kushtrim", "Egzon", "Faton", "Lulzim"),
        ("Vjosa", "Drita", "Teuta", "Blerta", "Mimoza", "Arta", "Valbona", "Shqipe", "Fitore",
         "Merita", "Albulena", "Besa", "Qëndresa", "Lirie"),
        ("Krasniqi", "Gashi", "Berisha", "Morina", "Shala", "Hoxha", "Bytyçi", "Kelmendi",
         "Rexhepi", "Hasani", "Thaçi", "Dervishi", "Zeqiri", "Gërguri", "Mustafa", "Ahmeti"),
    ),
    "sr": (
        ("Milan", "Nenad", "Dragan", "Stefan", "Miloš", "Nikola"),
        ("Jelena", "Milica", "Ivana", "Marija"),
        ("Jovanović", "Petrović", "Nikolić", "Stojanović", "Ilić", "Marković"),
    ),
    "tr": (("Erdal", "Murat", "Emre"), ("Ajten", "Sevdije"), ("Ramadani", "Kurteshi", "Jonuz")),
    "bs": (("Emir", "Adnan", "Senad"), ("Amela", "Selma"), ("Hadžić", "Ljajić", "Kurtović")),
}  # fmt: skip
INVALID_KNOWLEDGE = ("AB", "E", "?", "x")
FIXED_ZIP_TIME = (2021, 3, 23, 0, 0, 0)
FIXED_DOC_TIME = dt.datetime(2021, 3, 23, 0, 0, 0)
BASE_COLUMNS = (
    "participant_code", "workshop", "phase", "submitted_at", "gender", "community",
    "years_of_service", "rank", "station",
)  # fmt: skip
_CODE_LETTERS = "ABCDEFGHJKLMNPRSTUVXZ"
_DIGITS = "0123456789"
_PRE, _POST = 0, 1


# --------------------------------------------------------------------------------------------
# codes


class _CodePool:
    """Codes of one workshop, kept pairwise at Levenshtein distance >= 3 (all of length 6).

    For equal-length strings the distance is <= 2 exactly when the Hamming distance is <= 2 or
    both share a one-deletion variant (one deletion plus one insertion), which is cheap to test.
    """

    def __init__(self) -> None:
        self.codes: list[str] = []
        self._arr = np.zeros((0, 6), dtype=np.uint8)
        self._deletions: dict[str, str] = {}

    @staticmethod
    def _dels(code: str) -> set[str]:
        return {code[:i] + code[i + 1 :] for i in range(len(code))}

    def fits(self, code: str, ignore: tuple[str, ...] = ()) -> bool:
        """True when ``code`` is at distance >= 3 from every pooled code not in ``ignore``."""
        if len(self.codes):
            arr = np.frombuffer(code.encode("ascii"), dtype=np.uint8)
            close = np.flatnonzero((self._arr != arr).sum(axis=1) <= 2)
            if any(self.codes[i] not in ignore for i in close):
                return False
        return not any(self._deletions.get(d) not in (None, *ignore) for d in self._dels(code))

    def add(self, code: str) -> None:
        """Add a code (the caller has checked it with :meth:`fits` or plants a collision)."""
        self.codes.append(code)
        arr = np.frombuffer(code.encode("ascii"), dtype=np.uint8)[None, :]
        self._arr = np.vstack([self._arr, arr])
        for d in self._dels(code):
            self._deletions.setdefault(d, code)

    def new(self, rng: np.random.Generator, digits: bool) -> str:
        """Draw a fresh code: ``AB12CD`` or, with ``digits``, ``0012AB``/``0123AB``."""
        while True:
            u = rng.integers(0, 2**31, 6)
            if digits:
                zeros = 1 + int(u[0] % 2)
                body = "".join(_DIGITS[x % 10] for x in u[1 : 5 - zeros])
                tail = "".join(_CODE_LETTERS[x % len(_CODE_LETTERS)] for x in u[4:])
                code = "0" * zeros + body + tail
            else:
                ch = [_CODE_LETTERS[x % len(_CODE_LETTERS)] for x in u]
                code = ch[0] + ch[1] + _DIGITS[u[2] % 10] + _DIGITS[u[3] % 10] + ch[4] + ch[5]
            if self.fits(code):
                self.add(code)
                return code


def _substitute(code: str, pos: int, rng: np.random.Generator) -> str:
    alphabet = _DIGITS if code[pos].isdigit() else _CODE_LETTERS
    choices = [c for c in alphabet if c != code[pos]]
    return code[:pos] + str(rng.choice(choices)) + code[pos + 1 :]


def _render_code(code: str, rng: np.random.Generator) -> str:
    """Write a code as a person might type it: case, spaces, dashes, dots vary."""
    u = rng.random()
    if u < 0.70:
        return code
    a, b, c = code[:2], code[2:4], code[4:]
    style = int(rng.integers(0, 6))
    return (
        f"{a}-{b} {c}".lower(),
        code.lower(),
        f"{a} {b} {c}",
        f"{a}-{b}-{c}",
        f"{a}.{b}.{c}".lower(),
        f"{a}_{b}{c}",
    )[style]


# --------------------------------------------------------------------------------------------
# model and planted messes


def _registry(n_workshops: int) -> list[dict[str, str]]:
    rows = [dict(r) for r in REGISTRY[:n_workshops]]
    last = dt.date(2021, 3, 25)
    for n in range(len(rows) + 1, n_workshops + 1):
        rows.append(
            {
                "workshop_id": f"W{n}",
                "number": str(n),
                "directorate": f"Synthetic directorate {n}",
                "date": (last + dt.timedelta(days=7 * (n - 4))).isoformat(),
                "aliases": f"Synthetic directorate {n}|SD{n}",
                "directorate_sq": f"Drejtoria sintetike {n}",
            }
        )
    return rows


def _sizes(n_participants: int, n_workshops: int) -> list[int]:
    if (n_participants, n_workshops) == (sum(DEFAULT_SIZES), len(DEFAULT_SIZES)):
        return list(DEFAULT_SIZES)
    base, extra = divmod(n_participants, n_workshops)
    return [base + (1 if i < extra else 0) for i in range(n_workshops)]


def _roles(i: int, n_w: int) -> list[str]:
    """The planted roles of workshop number ``i`` (0-based) of size ``n_w``; the rest are normal."""
    roles = ["slip"] * max(1, n_w // 10)
    roles += ["left_early", "missed_pre", "incomplete_pre"]
    if i % 2 == 0:
        roles.append("incomplete_post")
    roles.append("half_answered")
    roles.append(("dup_more_answered", "dup_later_submitted", "dup_last_read")[i % 3])
    if i % 4 == 2:
        roles += ["ambiguous_slip", "ambiguous_other"]
    return roles[: max(0, n_w - 4)]


def _knowledge_items(codebook: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in codebook if r["section"] == "knowledge"]


def _read_codebook(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DataError(
            f"{path}: the project's codebook is missing, and the simulator writes answers for "
            "its items. Restore data/raw/instrument/codebook.csv from the repository."
        )
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)]


def _person_name(u: list[int], community: str, gender: str) -> tuple[str, str]:
    group = {"Serb": "sr", "Turk": "tr", "Boshnjak": "bs", "Goran": "bs"}.get(community, "sq")
    first_m, first_f, last = NAMES[group]
    firsts = first_f if gender == "F" else first_m
    i, j = u
    return firsts[i % len(firsts)], last[j % len(last)]


def _generate(seed: int, n_participants: int, n_workshops: int, codebook: list[dict]) -> dict:
    """Draw participants and questionnaire rows (not yet assigned to files)."""
    ss = np.random.SeedSequence(seed)
    r_people, r_items, r_answers, r_codes, r_mess, r_render = (
        np.random.default_rng(s) for s in ss.spawn(6)
    )
    registry = _registry(n_workshops)
    sizes = _sizes(n_participants, n_workshops)
    kitems = _knowledge_items(codebook)
    ritems = [r["item_id"] for r in codebook if r["section"] == "reaction"]
    kids = [r["item_id"] for r in kitems]
    keys = np.array(["ABCD".index(r["key"].upper()) for r in kitems])
    n_k = len(kids)

    b = np.array([ITEM_DIFFICULTY.get(k, float(np.round(r_items.normal(0, 0.8), 2))) for k in kids])
    gains = {}
    for w in registry:
        wid = w["workshop_id"]
        drawn = float(np.clip(r_items.normal(0.75, 0.25), 0.1, 1.5))
        gains[wid] = TRUE_GAIN.get(wid, round(drawn, 3))

    n = sum(sizes)
    w_idx = np.repeat(np.arange(n_workshops), sizes)
    years = np.clip(np.round(r_people.normal(12, 6, n)), 1, 35).astype(int)
    theta = r_people.normal(0, 1, n) + 0.02 * (years - 12)
    gain_i = np.array([gains[registry[k]["workshop_id"]] for k in w_idx]) + r_people.normal(
        0, GAIN_SD, n
    )
    satisfaction = r_people.normal(0, 1, n)
    gender = np.where(r_people.random(n) < 0.22, "F", "M")
    rank = r_people.choice(RANKS, n, p=RANK_P)
    community = np.empty(n, dtype=object)
    for k in range(n_workshops):
        sel = w_idx == k
        p = COMMUNITY_P_NORTH if registry[k]["workshop_id"] == "W4" else COMMUNITY_P
        community[sel] = r_people.choice(COMMUNITIES, int(sel.sum()), p=np.array(p) / sum(p))
    station = np.empty(n, dtype=object)
    for k in range(n_workshops):
        sel = w_idx == k
        opts = STATIONS.get(registry[k]["workshop_id"], ("Stacioni 1", "Stacioni 2", "Stacioni 3"))
        station[sel] = r_people.choice(opts, int(sel.sum()))

    # answers for both phases, vectorized: shape (n, 2, n_k)
    logit = (
        theta[:, None, None]
        - b[None, None, :]
        + gain_i[:, None, None] * np.array([0.0, 1.0])[None, :, None]
    )
    prob = 1.0 / (1.0 + np.exp(-logit))
    correct = r_answers.random(prob.shape) < prob
    wrong = (keys[None, None, :] + r_answers.integers(1, 4, prob.shape)) % 4
    letter_idx = np.where(correct, keys[None, None, :], wrong)
    letters = np.array(list("ABCD"))[letter_idx].astype("<U4")
    style = r_answers.random(letters.shape)
    letters = np.where(style < 0.04, np.char.lower(letters), letters)
    blank = r_answers.random(letters.shape) < 0.015
    # a redrawn questionnaire for the duplicates (same person, same phase, answered again)
    redraw_correct = r_answers.random(prob.shape) < prob
    redraw_wrong = (keys[None, None, :] + r_answers.integers(1, 4, prob.shape)) % 4
    redraw = np.array(list("ABCD"))[np.where(redraw_correct, keys, redraw_wrong)].astype("<U4")
    offsets = np.array([REACTION_OFFSET.get(r, 0.0) for r in ritems])
    likert = np.clip(
        np.round(
            3.9 + 0.8 * satisfaction[:, None] + offsets + r_answers.normal(0, 0.6, (n, len(ritems)))
        ),
        1,
        5,
    ).astype(int)
    minutes = r_answers.integers(0, 41, (n, 2))
    minutes[:, 1] = r_answers.integers(0, 46, n)

    letters_l, blank_l, redraw_l = letters.tolist(), blank.tolist(), redraw.tolist()
    likert_l, minutes_l = likert.tolist(), minutes.tolist()
    name_u = r_render.integers(0, 2**31, (n, 2)).tolist()
    people = []
    rows = []
    planted = {}
    start = 0
    slips = 0
    for k, w in enumerate(registry):
        wid, n_w = w["workshop_id"], sizes[k]
        idx = np.arange(start, start + n_w)
        start += n_w
        pool = _CodePool()
        order = r_mess.permutation(n_w)
        roles = _roles(k, n_w)
        role_of = {
            int(idx[order[j]]): (roles[j] if j < len(roles) else "normal") for j in range(n_w)
        }
        normal_people = [p for p in idx.tolist() if role_of[p] == "normal"]
        digit_people = {normal_people[0]} if normal_people else set()
        codes = {}
        for p in idx.tolist():
            if role_of[p] == "ambiguous_other":
                continue
            digits = p in digit_people or r_codes.random() < 0.08
            codes[p] = pool.new(r_codes, digits)
        count = {"fuzzy_links": 0, "ambiguous": 0, "duplicates": 0}
        post_code = dict(codes)
        amb_slip = next((p for p in idx.tolist() if role_of[p] == "ambiguous_slip"), None)
        for p in idx.tolist():
            if role_of[p] == "slip":
                pos = int(r_mess.integers(0, 6))
                if slips % 3 == 2:  # every third slip (over all workshops) drops a character
                    post_code[p] = codes[p][:pos] + codes[p][pos + 1 :]
                else:
                    post_code[p] = _substitute(codes[p], pos, r_mess)
                slips += 1
                count["fuzzy_links"] += 1
        if amb_slip is not None:
            other = next(p for p in idx.tolist() if role_of[p] == "ambiguous_other")
            c = codes[amb_slip]
            while True:
                p1, p2 = (int(x) for x in r_mess.choice(6, 2, replace=False))
                s = _substitute(c, p1, r_mess)
                t = _substitute(s, p2, r_mess)
                if pool.fits(t, ignore=(c,)):
                    break
            post_code[amb_slip] = s
            codes[other] = t
            post_code[other] = t
            pool.add(t)
            count["ambiguous"] = 1
        dates = w["date"]
        labels = LABELS.get(wid, (wid, w["number"], f"Synthetic directorate {w['number']}"))
        for p in idx.tolist():
            role = role_of[p]
            attend = {
                _PRE: role not in ("missed_pre",),
                _POST: role not in ("left_early", "ambiguous_other"),
            }
            first, last = _person_name(name_u[p], str(community[p]), str(gender[p]))
            person = {
                "participant_key": f"{wid}-S{p - idx[0] + 1:03d}",
                "workshop_id": wid,
                "role": role,
                "theta": round(float(theta[p]), 4),
                "gain_logit": round(float(gain_i[p]), 4),
                "satisfaction": round(float(satisfaction[p]), 4),
                "gender": str(gender[p]),
                "community": str(community[p]),
                "years_of_service": int(years[p]),
                "rank": str(rank[p]),
                "station": str(station[p]),
                "pre_code": codes[p] if attend[_PRE] else "",
                "post_code": post_code[p] if attend[_POST] else "",
                "attended_pre": int(attend[_PRE]),
                "attended_post": int(attend[_POST]),
                "expected_pre_pct": round(float(prob[p, 0].mean() * 100), 2),
                "expected_post_pct": round(float(prob[p, 1].mean() * 100), 2),
            }
            people.append(person)
            for ph in (_PRE, _POST):
                if not attend[ph]:
                    continue
                k_ans = list(letters_l[p][ph])
                if role == "normal" or role in ("slip", "left_early", "missed_pre"):
                    k_ans = ["" if e else a for e, a in zip(blank_l[p][ph], k_ans, strict=True)]
                hh, mm = (8, 30) if ph == _PRE else (15, 0)
                mins = minutes_l[p][ph]
                row = {
                    "workshop_id": wid,
                    "phase": ("pre", "post")[ph],
                    "participant_key": person["participant_key"],
                    "code": person["pre_code"] if ph == _PRE else person["post_code"],
                    "k": k_ans,
                    "r": [str(x) for x in likert_l[p]] if ph == _POST else [""] * len(ritems),
                    "submitted_at": f"{dates}T{hh + (mm + mins) // 60:02d}:"
                    f"{(mm + mins) % 60:02d}:00",
                    "person": person,
                    "name": (first, last),
                    "labels": labels,
                    "late": False,
                }
                rows.append(row)
                _plant(row, role, ph, k, n_k, redraw_l[p][ph], rows, count)
        planted[wid] = count
    # invalid answers: a few cells of ordinary rows per workshop
    rows_of: dict[str, list[dict]] = {wid: [] for wid in planted}
    for r in rows:
        rows_of[r["workshop_id"]].append(r)
    for k, wid in enumerate(planted):
        plain = [
            r for r in rows_of[wid] if r["person"]["role"] in ("normal", "slip") and not r["late"]
        ]
        if not plain:
            continue
        for j in range(3):
            row = plain[int(r_mess.integers(0, len(plain)))]
            row["k"][int(r_mess.integers(0, n_k))] = INVALID_KNOWLEDGE[(k + j) % 4]
        posts = [r for r in plain if r["phase"] == "post"]
        if posts:
            row = posts[int(r_mess.integers(0, len(posts)))]
            row["r"][int(r_mess.integers(0, len(ritems)))] = "6"
            row = posts[int(r_mess.integers(0, len(posts)))]
            row["r"][int(r_mess.integers(0, len(ritems)))] = ""
    for r in rows:
        r["code_raw"] = _render_code(r["code"], r_render)
        labels = r["labels"]
        r["workshop_label"] = labels[0] if r_render.random() < 0.8 else str(r_render.choice(labels))
    return {
        "registry": registry,
        "sizes": sizes,
        "kids": kids,
        "ritems": ritems,
        "keys": keys,
        "b": b,
        "gains": gains,
        "people": people,
        "rows": rows,
        "planted": planted,
        "r_render": r_render,
    }


def _plant(row: dict, role: str, ph: int, k: int, n_k: int, redraw, rows: list, count: dict):
    """Apply a questionnaire-level mess to ``row`` (and add duplicate rows to ``rows``)."""
    half = (n_k + 1) // 2
    if role == "incomplete_pre" and ph == _PRE:
        row["k"] = [a if j < max(1, half - 4) else "" for j, a in enumerate(row["k"])]
    elif role == "incomplete_post" and ph == _POST:
        row["k"] = [a if j < half - 1 else "" for j, a in enumerate(row["k"])]
        row["k"][0] = "?"
    elif role == "half_answered" and ph == (_PRE if k % 2 == 0 else _POST):
        row["k"] = [a if j < n_k // 2 else "" for j, a in enumerate(row["k"])]
        if n_k % 2 == 0:  # exactly half answered, one of them invalid: not excluded
            row["k"][1] = "AB"
    elif role.startswith("dup_") and ph == (_PRE if k % 2 == 0 else _POST):
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
        rows.append(extra)
        count["duplicates"] += 1


# --------------------------------------------------------------------------------------------
# files


def _file_plan(gen: dict) -> list[dict]:
    """Assign rows to export files; returns the files in name (= reading) order."""
    registry = gen["registry"]
    rng = gen["r_render"]
    files: dict[str, dict] = {}
    for k, w in enumerate(registry):
        wid = w["workshop_id"]
        slug = SLUGS.get(wid, f"sd{int(w['number']):02d}")
        for ph, variants in (("pre", PRE_VARIANTS), ("post", POST_VARIANTS)):
            fmt = "csv"
            if k == 1 and ph == "post":
                fmt = "cp1250"
            elif k == 2 and ph == "pre":
                fmt = "xlsx"
            elif k == 0 and ph == "post":
                fmt = "bom"
            word = variants[k % len(variants)]
            name = f"{w['date']}_{slug}_{'para' if ph == 'pre' else 'pas'}testi"
            name += ".xlsx" if fmt == "xlsx" else ".csv"
            files[(wid, ph)] = {
                "name": name,
                "format": fmt,
                "phase_label": word,
                "header_case": "title" if k == 0 else ("lower_items" if k == 3 else "plain"),
                "rows": [],
            }
    late = {
        "name": "late_submissions.csv",
        "format": "csv",
        "phase_label": None,
        "header_case": "plain",
        "rows": [],
    }
    for r in gen["rows"]:
        (late if r["late"] else files[(r["workshop_id"], r["phase"])])["rows"].append(r)
    out = []
    for f in [*files.values(), late]:
        f["rows"].sort(key=lambda r: r["submitted_at"])
        for r in f["rows"]:
            variants = PRE_VARIANTS if r["phase"] == "pre" else POST_VARIANTS
            label = f["phase_label"] or variants[int(rng.integers(0, len(variants)))]
            if rng.random() < 0.1:
                label = variants[int(rng.integers(0, len(variants)))]
            r["phase_label"] = label
        out.append(f)
    return sorted(out, key=lambda f: f["name"])


def _header(f: dict, kids: list[str], ritems: list[str]) -> list[str]:
    items = [*kids, *ritems]
    if f["header_case"] == "lower_items":
        items = [i.lower() for i in items]
    base = list(BASE_COLUMNS)
    if f["header_case"] == "title":
        base = [c.title() for c in base]
    if f["format"] == "cp1250":
        return ["emri", "mbiemri", "phone", *base, *items]
    if f["name"] == "late_submissions.csv":
        return [*base, *items, "name", "shenime"]
    return ["name", *base, *items]


def _cells(r: dict, f: dict, n: int) -> list[str]:
    person = r["person"]
    base = [
        r["code_raw"],
        r["workshop_label"],
        r["phase_label"],
        r["submitted_at"],
        person["gender"],
        person["community"],
        str(person["years_of_service"]),
        person["rank"],
        person["station"],
    ]
    first, last = r["name"]
    items = [*r["k"], *r["r"]]
    if f["format"] == "cp1250":
        phone = f"+383 4{n % 10} {100 + (n * 37) % 900} {100 + (n * 53) % 900}"
        return [first, last, phone, *base, *items]
    if f["name"] == "late_submissions.csv":
        return [*base, *items, f"{first} {last}", "dorëzuar me vonesë" if n % 2 else ""]
    return [f"{first} {last}", *base, *items]


def _csv_bytes(rows: list[list[str]], *, fmt: str) -> bytes:
    buf = io.StringIO()
    delimiter, terminator = (";", "\r\n") if fmt == "cp1250" else (",", "\n")
    csv.writer(buf, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    text = buf.getvalue()
    if fmt == "cp1250":
        return text.encode("cp1250")
    if fmt == "bom":
        return text.encode("utf-8-sig")
    return text.encode("utf-8")


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    """An .xlsx workbook with every cell as text; fixed dates so the bytes are reproducible."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Pergjigjet"
    for row in rows:
        sheet.append([str(c) for c in row])
    book.properties.creator = "analysis.simulate"
    book.properties.created = FIXED_DOC_TIME
    buf = io.BytesIO()
    book.save(buf)
    stamp = FIXED_DOC_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def _render_files(plan: list[dict], gen: dict) -> dict[str, bytes]:
    out = {}
    for f in plan:
        header = _header(f, gen["kids"], gen["ritems"])
        body = []
        for n, r in enumerate(f["rows"]):
            body.append(_cells(r, f, n))
            r["source_file"] = f["name"]
            r["source_row"] = n + 2  # spreadsheet numbering: the header is row 1
        rows = [header, *body]
        rel = f"responses/{f['name']}"
        out[rel] = _xlsx_bytes(rows) if f["format"] == "xlsx" else _csv_bytes(rows, fmt=f["format"])
    return out


# --------------------------------------------------------------------------------------------
# the truth: the contract's rules applied to the generated rows


def _expected(plan: list[dict], gen: dict) -> tuple[list[dict], list[dict]]:
    """Apply rules 3-6 to the rows; return (per-questionnaire table, per-workshop flow)."""
    kids, keys = gen["kids"], gen["keys"]
    n_k = len(kids)
    read = [r for f in plan for r in f["rows"]]
    for order, r in enumerate(read):
        vals = [a.strip().upper() for a in r["k"]]
        r["n_answered"] = sum(1 for a in vals if a)
        r["n_correct"] = sum(1 for a, key in zip(vals, keys, strict=True) if a == "ABCD"[key])
        r["read_order"] = order
        r["fate"] = "scored"
        r["link"] = ""
        r["linked_code"] = ""
    groups: dict[tuple, list[dict]] = {}
    for r in read:
        groups.setdefault((r["workshop_id"], r["phase"], normalize_code(r["code_raw"])), []).append(
            r
        )
    for members in groups.values():
        members.sort(key=lambda r: (r["n_answered"], r["submitted_at"], r["read_order"]))
        for r in members[:-1]:
            r["fate"] = "duplicate_dropped"
    for r in read:
        if r["fate"] == "scored" and 2 * r["n_answered"] < n_k:
            r["fate"] = "excluded_incomplete"
    read_of: dict[str, list[dict]] = {w["workshop_id"]: [] for w in gen["registry"]}
    for r in read:
        read_of[r["workshop_id"]].append(r)
    flow = []
    for w in gen["registry"]:
        wid = w["workshop_id"]
        mine = read_of[wid]
        scored = {
            ph: {
                normalize_code(r["code_raw"]): r
                for r in mine
                if r["phase"] == ph and r["fate"] == "scored"
            }
            for ph in ("pre", "post")
        }
        exact = set(scored["pre"]) & set(scored["post"])
        for c in exact:
            for ph in ("pre", "post"):
                scored[ph][c]["link"], scored[ph][c]["linked_code"] = "exact", c
        left_pre = [c for c in scored["pre"] if c not in exact]
        left_post = [c for c in scored["post"] if c not in exact]
        cand_pre = {p: [q for q in left_post if within_one_edit(p, q)] for p in left_pre}
        cand_post = {q: [p for p in left_pre if within_one_edit(p, q)] for q in left_post}
        fuzzy = [
            (p, qs[0]) for p, qs in cand_pre.items() if len(qs) == 1 and cand_post[qs[0]] == [p]
        ]
        for p, q in fuzzy:
            scored["pre"][p]["link"], scored["pre"][p]["linked_code"] = "fuzzy", q
            scored["post"][q]["link"], scored["post"][q]["linked_code"] = "fuzzy", p
        row = {"workshop_id": wid}
        these = {ph: [r for r in mine if r["phase"] == ph] for ph in ("pre", "post")}
        for ph in ("pre", "post"):
            row[f"received_{ph}"] = len(these[ph])
        for ph in ("pre", "post"):
            row[f"duplicates_{ph}"] = sum(r["fate"] == "duplicate_dropped" for r in these[ph])
        for ph in ("pre", "post"):
            row[f"excluded_{ph}"] = sum(r["fate"] == "excluded_incomplete" for r in these[ph])
        for ph in ("pre", "post"):
            row[f"scored_{ph}"] = len(scored[ph])
        row["paired"] = len(exact) + len(fuzzy)
        row["fuzzy_links"] = len(fuzzy)
        for ph in ("pre", "post"):
            row[f"unmatched_{ph}"] = row[f"scored_{ph}"] - row["paired"]
            for r in scored[ph].values():
                if not r["link"]:
                    r["link"] = "unmatched"
        flow.append(row)
        planted = gen["planted"][wid]
        if row["fuzzy_links"] != planted["fuzzy_links"] or (
            row["duplicates_pre"] + row["duplicates_post"] != planted["duplicates"]
        ):  # pragma: no cover - a simulator bug, not a user error
            raise RuntimeError(f"simulate: planted messes of {wid} do not survive the rules")
    table = [
        {
            "source_file": r["source_file"],
            "source_row": r["source_row"],
            "workshop_id": r["workshop_id"],
            "phase": r["phase"],
            "participant_key": r["participant_key"],
            "code": normalize_code(r["code_raw"]),
            "submitted_at": r["submitted_at"],
            "n_answered": r["n_answered"],
            "n_correct": r["n_correct"],
            "score_pct": round(100 * r["n_correct"] / n_k, 4),
            "fate": r["fate"],
            "link": r["link"],
            "linked_code": r["linked_code"],
        }
        for r in read
    ]
    return table, flow


def _table_bytes(rows: list[dict], columns: list[str] | tuple[str, ...]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# writing, with the refusal rule


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _known_hashes(out_dir: Path) -> dict[str, set[str]]:
    """Hashes the simulator recorded for each path (current and, mid-update, previous run)."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    known: dict[str, set[str]] = {}
    for section in ("files", "previous_files"):
        for rel, digest in (data.get(section) or {}).items():
            known.setdefault(rel, set()).add(digest)
    return known


def _foreign_responses(out_dir: Path, known: dict[str, set[str]]) -> list[Path]:
    responses = out_dir / "responses"
    if not responses.is_dir():
        return []
    return [
        p
        for p in sorted(responses.rglob("*"))
        if p.is_file()
        and not p.name.startswith(".")
        and hashlib.sha256(p.read_bytes()).hexdigest()
        not in known.get(p.relative_to(out_dir).as_posix(), set())
    ]


def _write(out_dir: Path, files: dict[str, bytes], manifest: dict, remove: list[Path]) -> None:
    """Stage every file beside its target, then swap them in; the manifest goes last."""
    stage = out_dir / f".simulate-tmp-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        for rel, data in files.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        manifest_path = out_dir / MANIFEST
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        old = {}
        if manifest_path.is_file():
            try:
                old = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {})
            except ValueError:
                old = {}
        # while files are swapped, both the old and the new hashes count as the simulator's
        transitional = dict(manifest, previous_files=old)
        _replace_bytes(manifest_path, _json_bytes(transitional))
        for path in remove:
            if path.is_file():
                path.unlink()
        for rel in files:
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / rel, target)
        _replace_bytes(manifest_path, _json_bytes(manifest))
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _replace_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def simulate(
    out_dir: Path,
    *,
    seed: int = 2021,
    n_participants: int = 74,
    n_workshops: int = 4,
    force: bool = False,
) -> dict:
    """Write a synthetic raw folder (registry, codebook, exports, truth) into ``out_dir``.

    Refuses (:class:`~analysis.errors.DataError`) when ``out_dir/responses`` holds a file the
    simulator did not write (not in ``synthetic/manifest.json`` with the same SHA-256), unless
    ``force``, which replaces such files. Earlier simulator files are removed first. Returns a
    summary: the files written and the counts.
    """
    out_dir = Path(out_dir)
    if n_workshops < 1 or n_participants < 12 * n_workshops:
        raise DataError(
            f"simulate: {n_participants} participants over {n_workshops} workshop(s) is too few; "
            "the simulator needs at least one workshop and 12 participants per workshop to plant "
            "its checks. Raise --participants or lower --workshops."
        )
    known = _known_hashes(out_dir)
    foreign = _foreign_responses(out_dir, known)
    if foreign and not force:
        names = ", ".join(p.relative_to(out_dir).as_posix() for p in foreign[:10])
        more = f" and {len(foreign) - 10} more" if len(foreign) > 10 else ""
        raise DataError(
            f"{out_dir}: the responses folder holds file(s) the simulator did not write or that "
            f"were edited since ({names}{more}); they may be real questionnaire exports, so the "
            "synthetic data set is not written over them. Move them elsewhere first, or rerun "
            "with --force to delete them and write the synthetic set."
        )

    project_codebook = PROJECT_RAW / "instrument" / "codebook.csv"
    codebook_path = out_dir / "instrument" / "codebook.csv"
    same_codebook = codebook_path.resolve() == project_codebook.resolve()
    codebook_bytes = project_codebook.read_bytes() if project_codebook.is_file() else b""
    codebook = _read_codebook(project_codebook)

    gen = _generate(seed, n_participants, n_workshops, codebook)
    plan = _file_plan(gen)
    files = _render_files(plan, gen)
    table, flow = _expected(plan, gen)

    reg_buf = io.StringIO()
    writer = csv.DictWriter(reg_buf, fieldnames=list(REGISTRY_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(gen["registry"])
    files["workshops.csv"] = reg_buf.getvalue().encode("utf-8")
    if not same_codebook:
        files["instrument/codebook.csv"] = codebook_bytes

    truth = {
        "synthetic": True,
        "generator": "analysis.simulate",
        "seed": seed,
        "n_participants": sum(gen["sizes"]),
        "n_workshops": n_workshops,
        "n_per_workshop": {
            w["workshop_id"]: s for w, s in zip(gen["registry"], gen["sizes"], strict=True)
        },
        "model": {
            "p_correct": "logistic(theta_i - b_j + gain_i * post)",
            "theta": "N(0, 1) + 0.02 * (years_of_service - 12)",
            "gain_i": f"true_gain[workshop] + N(0, {GAIN_SD})",
            "reaction": "clip(round(3.9 + 0.8 * s_i + offset_j + N(0, 0.6)), 1, 5), s_i ~ N(0, 1)",
        },
        "item_difficulty": {
            k: round(float(v), 3) for k, v in zip(gen["kids"], gen["b"], strict=True)
        },
        "true_gain": gen["gains"],
        "reaction_offset": REACTION_OFFSET,
        "planted": gen["planted"],
        "flow_totals": {k: sum(r[k] for r in flow) for k in flow[0] if k != "workshop_id"},
    }
    people_cols = list(gen["people"][0])
    files["synthetic/truth.json"] = _json_bytes(truth)
    files["synthetic/participants.csv"] = _table_bytes(gen["people"], people_cols)
    files["synthetic/expected_flow.csv"] = _table_bytes(flow, list(flow[0]))
    files["synthetic/expected_questionnaires.csv"] = _table_bytes(table, list(table[0]))

    hashes = {rel: _sha(data) for rel, data in sorted(files.items())}
    if same_codebook:
        hashes["instrument/codebook.csv"] = _sha(codebook_bytes)
    manifest = {
        "synthetic": True,
        "generator": "analysis.simulate",
        "seed": seed,
        "note": "SHA-256 of every file the simulator wrote; a response file not listed here "
        "with this hash is not synthetic.",
        "files": dict(sorted(hashes.items())),
    }
    stale = [
        out_dir / rel
        for rel in known
        if rel not in files
        and rel != MANIFEST
        and (out_dir / rel).is_file()
        and not (same_codebook and rel == "instrument/codebook.csv")
    ]
    _write(out_dir, files, manifest, [*stale, *foreign])
    responses = sorted(rel for rel in files if rel.startswith("responses/"))
    return {
        "out_dir": str(out_dir),
        "seed": seed,
        "files": sorted([*files, MANIFEST]),
        "response_files": len(responses),
        "questionnaires": len(table),
        "participants": sum(gen["sizes"]),
        "workshops": n_workshops,
        "paired": sum(r["paired"] for r in flow),
        "fuzzy_links": sum(r["fuzzy_links"] for r in flow),
        "removed": [p.relative_to(out_dir).as_posix() for p in [*stale, *foreign]],
    }
