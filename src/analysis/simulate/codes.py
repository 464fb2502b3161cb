"""Self-generated participant codes: drawn far apart, then planted slips and typing variants."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "render_code",
    "workshop_codes",
]

_CODE_LETTERS = "ABCDEFGHJKLMNPRSTUVXZ"
_DIGITS = "0123456789"


class _CodePool:
    """Codes of one workshop, kept pairwise at Levenshtein distance >= 3 (all of length 6).

    For equal-length strings the distance is <= 2 exactly when the Hamming distance is <= 2 or
    both share a one-deletion variant (one deletion plus one insertion), which is cheap to test.

    >>> pool = _CodePool()
    >>> pool.add("AB12CD")
    >>> pool.fits("AB12XY"), pool.fits("AB1XYZ"), pool.fits("AB12XY", ignore=("AB12CD",))
    (False, True, True)
    """

    def __init__(self) -> None:
        self.codes: list[str] = []
        self._arr = np.zeros((0, 6), dtype=np.uint8)
        self._deletions: dict[str, str] = {}

    @staticmethod
    def _dels(code: str) -> set[str]:
        """The one-deletion variants of ``code``."""
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
    """``code`` with the character at ``pos`` replaced by another of its kind (digit or letter)."""
    alphabet = _DIGITS if code[pos].isdigit() else _CODE_LETTERS
    choices = [c for c in alphabet if c != code[pos]]
    return code[:pos] + str(rng.choice(choices)) + code[pos + 1 :]


def render_code(code: str, rng: np.random.Generator) -> str:
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


@dataclass
class _WorkshopCodes:
    """The codes of one workshop's people (by index) on the pre and the post questionnaire."""

    pre: dict[int, str]
    post: dict[int, str]
    slips: int
    ambiguous: int


def workshop_codes(
    people: list[int],
    role_of: dict[int, str],
    r_codes: np.random.Generator,
    r_mess: np.random.Generator,
    slips_before: int,
) -> _WorkshopCodes:
    """Draw the codes of one workshop, then plant its slips and its ambiguous slip.

    ``slips_before`` counts the slips of earlier workshops: every third slip overall drops a
    character instead of substituting one.
    """
    pool, pre = _draw(people, role_of, r_codes)
    post = dict(pre)
    slips = _plant_slips(pre, post, people, role_of, r_mess, slips_before)
    ambiguous = _plant_ambiguous(pool, pre, post, people, role_of, r_mess)
    return _WorkshopCodes(pre=pre, post=post, slips=slips, ambiguous=ambiguous)


def _draw(
    people: list[int], role_of: dict[int, str], rng: np.random.Generator
) -> tuple[_CodePool, dict[int, str]]:
    """A pool of fresh codes, one per person but the ambiguous other; one normal gets digits."""
    pool = _CodePool()
    normal_people = [p for p in people if role_of[p] == "normal"]
    digit_people = {normal_people[0]} if normal_people else set()
    codes = {}
    for p in people:
        if role_of[p] == "ambiguous_other":
            continue
        digits = p in digit_people or rng.random() < 0.08
        codes[p] = pool.new(rng, digits)
    return pool, codes


def _plant_slips(
    pre: dict[int, str],
    post: dict[int, str],
    people: list[int],
    role_of: dict[int, str],
    rng: np.random.Generator,
    slips_before: int,
) -> int:
    """Change one character of each slip's post code; return the number of slips."""
    slips = slips_before
    for p in people:
        if role_of[p] == "slip":
            pos = int(rng.integers(0, 6))
            if slips % 3 == 2:  # every third slip (over all workshops) drops a character
                post[p] = pre[p][:pos] + pre[p][pos + 1 :]
            else:
                post[p] = _substitute(pre[p], pos, rng)
            slips += 1
    return slips - slips_before


def _plant_ambiguous(
    pool: _CodePool,
    pre: dict[int, str],
    post: dict[int, str],
    people: list[int],
    role_of: dict[int, str],
    rng: np.random.Generator,
) -> int:
    """Plant a slip one edit from two codes (so it stays unlinked); 1 when planted, else 0."""
    amb_slip = next((p for p in people if role_of[p] == "ambiguous_slip"), None)
    if amb_slip is None:
        return 0
    other = next(p for p in people if role_of[p] == "ambiguous_other")
    c = pre[amb_slip]
    while True:
        p1, p2 = (int(x) for x in rng.choice(6, 2, replace=False))
        s = _substitute(c, p1, rng)
        t = _substitute(s, p2, rng)
        if pool.fits(t, ignore=(c,)):
            break
    post[amb_slip] = s
    pre[other] = t
    post[other] = t
    pool.add(t)
    return 1
