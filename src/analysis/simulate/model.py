"""The response model's parameters, the instrument it answers, and the planted roles."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError

__all__ = [
    "GAIN_SD",
    "ITEM_DIFFICULTY",
    "POST",
    "PRE",
    "REACTION_OFFSET",
    "TRUE_GAIN",
    "Instrument",
    "assign_roles",
    "difficulties",
    "instrument_rows",
    "roles",
    "true_gains",
]

TRUE_GAIN = {"W1": 0.9, "W2": 0.6, "W3": 1.1, "W4": 0.4}
GAIN_SD = 0.3
ITEM_DIFFICULTY = {
    "K01": -0.6, "K02": -0.2, "K03": 0.3, "K04": 0.1, "K05": 1.2,
    "K06": 0.5, "K07": -0.1, "K08": -0.9, "K09": -2.6, "K10": 1.0,
    "K11": -0.7, "K12": 0.2, "K13": -0.4, "K14": 0.6, "K15": -1.1,
    "K16": 0.8, "K17": -0.8, "K18": -2.2, "K19": 0.0, "K20": -0.3,
}  # fmt: skip
REACTION_OFFSET = {"R05": -0.6, "R02": 0.2, "R06": 0.1}
#: Phase indices of the answer arrays.
PRE, POST = 0, 1


@dataclass(frozen=True)
class Instrument:
    """The items of the codebook: knowledge ids, reaction ids, answer keys (0-3 for A-D)."""

    kids: list[str]
    ritems: list[str]
    keys: np.ndarray

    @classmethod
    def of(cls, codebook: list[dict[str, str]]) -> Instrument:
        """The instrument of codebook rows (as :func:`instrument_rows` returns them)."""
        kitems = [r for r in codebook if r["section"] == "knowledge"]
        return cls(
            kids=[r["item_id"] for r in kitems],
            ritems=[r["item_id"] for r in codebook if r["section"] == "reaction"],
            keys=np.array(["ABCD".index(r["key"].upper()) for r in kitems]),
        )


def instrument_rows(path: Path) -> list[dict[str, str]]:
    """The rows of the project's codebook, stripped; a missing file is a :class:`DataError`."""
    if not path.is_file():
        raise DataError(
            f"{path}: the project's codebook is missing, and the simulator writes answers for "
            "its items. Restore data/raw/instrument/codebook.csv from the repository."
        )
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)]


def difficulties(kids: list[str], rng: np.random.Generator) -> np.ndarray:
    """Item difficulties: :data:`ITEM_DIFFICULTY`, else ``N(0, 0.8)`` (drawn for every item)."""
    return np.array([ITEM_DIFFICULTY.get(k, float(np.round(rng.normal(0, 0.8), 2))) for k in kids])


def true_gains(registry: list[dict[str, str]], rng: np.random.Generator) -> dict[str, float]:
    """True gain per workshop: :data:`TRUE_GAIN`, else ``N(0.75, 0.25)`` clipped to [0.1, 1.5]."""
    gains = {}
    for w in registry:
        wid = w["workshop_id"]
        drawn = float(np.clip(rng.normal(0.75, 0.25), 0.1, 1.5))
        gains[wid] = TRUE_GAIN.get(wid, round(drawn, 3))
    return gains


def roles(i: int, n_w: int) -> list[str]:
    """The planted roles of workshop number ``i`` (0-based) of size ``n_w``; the rest are normal.

    >>> roles(1, 12)
    ['slip', 'left_early', 'missed_pre', 'incomplete_pre', 'half_answered',
     'dup_later_submitted']
    """
    planted = ["slip"] * max(1, n_w // 10)
    planted += ["left_early", "missed_pre", "incomplete_pre"]
    if i % 2 == 0:
        planted.append("incomplete_post")
    planted.append("half_answered")
    planted.append(("dup_more_answered", "dup_later_submitted", "dup_last_read")[i % 3])
    if i % 4 == 2:
        planted += ["ambiguous_slip", "ambiguous_other"]
    return planted[: max(0, n_w - 4)]


def assign_roles(i: int, people: list[int], rng: np.random.Generator) -> dict[int, str]:
    """The role of each person (index) of workshop number ``i``: :func:`roles`, in random order."""
    n_w = len(people)
    order = rng.permutation(n_w)
    planted = roles(i, n_w)
    return {
        people[int(order[j])]: (planted[j] if j < len(planted) else "normal") for j in range(n_w)
    }
