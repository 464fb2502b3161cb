"""The officers: abilities, gains, satisfaction and demographics, drawn per workshop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import GAIN_SD
from .registry import STATIONS

__all__ = [
    "COMMUNITIES",
    "RANKS",
    "Officers",
    "draw_officers",
    "person_name",
    "person_record",
]

COMMUNITIES = ("Shqiptar", "Serb", "Turk", "Boshnjak", "Rom", "Ashkali", "Egjiptian", "Goran")
_COMMUNITY_P = (0.82, 0.07, 0.03, 0.03, 0.01, 0.02, 0.01, 0.01)
_COMMUNITY_P_NORTH = (0.62, 0.30, 0.01, 0.04, 0.01, 0.01, 0.005, 0.005)
RANKS = ("Polic", "Rreshter", "Toger", "Kapiten")
_RANK_P = (0.55, 0.30, 0.10, 0.05)
_NAMES = {
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


@dataclass(frozen=True)
class Officers:
    """The latent traits and demographics of every officer (arrays indexed by person)."""

    w_idx: np.ndarray
    years: np.ndarray
    theta: np.ndarray
    gain_i: np.ndarray
    satisfaction: np.ndarray
    gender: np.ndarray
    rank: np.ndarray
    community: np.ndarray
    station: np.ndarray


def draw_officers(
    rng: np.random.Generator,
    registry: list[dict[str, str]],
    sizes: list[int],
    gains: dict[str, float],
) -> Officers:
    """Draw ``sum(sizes)`` officers, workshop by workshop in registry order."""
    n = sum(sizes)
    w_idx = np.repeat(np.arange(len(registry)), sizes)
    years = np.clip(np.round(rng.normal(12, 6, n)), 1, 35).astype(int)
    theta = rng.normal(0, 1, n) + 0.02 * (years - 12)
    gain_i = np.array([gains[registry[k]["workshop_id"]] for k in w_idx]) + rng.normal(
        0, GAIN_SD, n
    )
    satisfaction = rng.normal(0, 1, n)
    gender = np.where(rng.random(n) < 0.22, "F", "M")
    rank = rng.choice(RANKS, n, p=_RANK_P)
    community = np.empty(n, dtype=object)
    for k in range(len(registry)):
        sel = w_idx == k
        p = _COMMUNITY_P_NORTH if registry[k]["workshop_id"] == "W4" else _COMMUNITY_P
        community[sel] = rng.choice(COMMUNITIES, int(sel.sum()), p=np.array(p) / sum(p))
    station = np.empty(n, dtype=object)
    for k in range(len(registry)):
        sel = w_idx == k
        opts = STATIONS.get(registry[k]["workshop_id"], ("Stacioni 1", "Stacioni 2", "Stacioni 3"))
        station[sel] = rng.choice(opts, int(sel.sum()))
    return Officers(w_idx, years, theta, gain_i, satisfaction, gender, rank, community, station)


def person_name(u: list[int], community: str, gender: str) -> tuple[str, str]:
    """A first and last name fitting the community and gender, picked by two random integers.

    >>> person_name([0, 1], "Serb", "F")
    ('Jelena', 'Petrović')
    """
    group = {"Serb": "sr", "Turk": "tr", "Boshnjak": "bs", "Goran": "bs"}.get(community, "sq")
    first_m, first_f, last = _NAMES[group]
    firsts = first_f if gender == "F" else first_m
    i, j = u
    return firsts[i % len(firsts)], last[j % len(last)]


def _attendance(role: str) -> tuple[bool, bool]:
    """Whether a person of ``role`` answered the pre and the post questionnaire.

    >>> _attendance("normal"), _attendance("left_early"), _attendance("missed_pre")
    ((True, True), (True, False), (False, True))
    """
    return role not in ("missed_pre",), role not in ("left_early", "ambiguous_other")


def person_record(
    officers: Officers,
    p: int,
    wid: str,
    number: int,
    role: str,
    codes: tuple[str, str],
    prob: np.ndarray,
) -> dict:
    """The ``participants.csv`` row of person ``p``, number ``number`` (from 1) of workshop ``wid``.

    ``codes`` are the person's (pre, post) codes, ``prob`` the P(correct) array of shape (2, n_k).
    """
    attend = _attendance(role)
    return {
        "participant_key": f"{wid}-S{number:03d}",
        "workshop_id": wid,
        "role": role,
        "theta": round(float(officers.theta[p]), 4),
        "gain_logit": round(float(officers.gain_i[p]), 4),
        "satisfaction": round(float(officers.satisfaction[p]), 4),
        "gender": str(officers.gender[p]),
        "community": str(officers.community[p]),
        "years_of_service": int(officers.years[p]),
        "rank": str(officers.rank[p]),
        "station": str(officers.station[p]),
        "pre_code": codes[0] if attend[0] else "",
        "post_code": codes[1] if attend[1] else "",
        "attended_pre": int(attend[0]),
        "attended_post": int(attend[1]),
        "expected_pre_pct": round(float(prob[0].mean() * 100), 2),
        "expected_post_pct": round(float(prob[1].mean() * 100), 2),
    }
