"""Disclosure control: subgroup table with small cells suppressed, and the rules behind it.

A cell under the minimum cell size (5) is never shown, nor even named: every such group of a
characteristic is pooled into one group ``OTHER``, shown as ``SUPPRESSED``; a cell hidden only
so that a smaller one cannot be worked out from the total shows ``HIDDEN``
(``complementary_suppression``); and no two groups shown, across characteristics and with the
whole group, may differ by fewer than 5 people, so that comparing rows tells nothing about a
few (``differencing_suppression``). ``subgroup_table`` takes the rows wanted (one workshop's
``paired`` rows, or every row for the pooled picture), or every workshop's with ``by``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .groups import Groups, by_column
from .measures import as_float_array, mean_ci

__all__ = [
    "MIN_CELL",
    "SUPPRESSED",
    "HIDDEN",
    "OTHER",
    "years_band",
    "complementary_suppression",
    "differencing_suppression",
    "subgroup_table",
]

#: The smallest group a table may show (people).
MIN_CELL = 5
#: ``n`` of a cell under the minimum cell size.
SUPPRESSED = "<5"
#: ``n`` of a cell hidden only so that a smaller one cannot be worked out from the total.
HIDDEN = "hidden"
#: The group that pools every group under the minimum cell size, so that none is named.
OTHER = "other"

#: Years-of-service bands of the subgroup table: (label, lower bound inclusive, upper exclusive).
_YEARS_BANDS: tuple[tuple[str, float, float], ...] = (
    ("0-9", 0.0, 10.0),
    ("10-19", 10.0, 20.0),
    ("20+", 20.0, math.inf),
)

#: Columns of ``subgroup_table``, in order.
_SUBGROUP_COLUMNS = [
    "variable",
    "group",
    "n",
    "mean_gain",
    "sd_gain",
    "ci_low",
    "ci_high",
    "suppressed",
]


def years_band(years: Any) -> pd.Series:
    """Years of service in bands ``0-9``, ``10-19``, ``20+`` (``_YEARS_BANDS``); NA stays NA.

    Example:
        >>> years_band([0, 9.5, 10, 25, None]).tolist()
        ['0-9', '0-9', '10-19', '20+', <NA>]
    """
    y = as_float_array(pd.Series(years, dtype=object))
    labels = np.array([b[0] for b in _YEARS_BANDS] + [""], dtype=object)
    conds = [(y >= lo) & (y < hi) for _, lo, hi in _YEARS_BANDS]
    out = pd.Series(np.select(conds, labels[:-1], default=""), dtype="string")
    return out.mask(out == "", pd.NA)


def complementary_suppression(
    sizes: Mapping[str, int], min_cell: int = MIN_CELL, forced: Collection[str] = ()
) -> set[str]:
    """Cells of one characteristic to hide: those under ``min_cell``, plus complements.

    The total of a characteristic is published elsewhere (``n_paired``), so a single hidden
    cell could be worked out by subtraction; and a reader who knows the rule knows that a
    hidden complement holds at least ``min_cell`` people. So the smallest shown cell is hidden
    too (complementary suppression, as statistical offices practise it) until, from the
    hidden total, each small cell could still hold anything from 1 to ``min_cell - 1``:
    ``total - (small - 1) - complements * min_cell >= min_cell - 1``. With 14 people in
    ``other`` 1, ``0-9`` 5 and ``10-19`` 8, hiding ``other`` and ``0-9`` would give them away
    (6 = 1 + 5), so all three are hidden.

    ``forced`` are cells hidden for another reason (``differencing_suppression``): they count as
    hidden complements, and a single hidden cell is never left alone (its row would follow from
    the total and the cells shown).

    Example:
        >>> sorted(complementary_suppression({"F": 4, "M": 10}))
        ['F', 'M']
        >>> sorted(complementary_suppression({"a": 2, "b": 3, "c": 9}))
        ['a', 'b']
        >>> sorted(complementary_suppression({"other": 1, "0-9": 5, "10-19": 8}))
        ['0-9', '10-19', 'other']
        >>> sorted(complementary_suppression({"a": 6, "b": 9}))
        []
        >>> sorted(complementary_suppression({"a": 6, "b": 9, "c": 7}, forced={"a"}))
        ['a', 'c']
    """
    small = {k for k, n in sizes.items() if n < min_cell}
    hidden = small | {k for k in forced if k in sizes}
    shown = sorted((n, k) for k, n in sizes.items() if k not in hidden)

    def disclosed() -> bool:
        if len(hidden) == 1 or not small:
            return len(hidden) == 1
        slack = sum(sizes[k] for k in hidden) - (len(small) - 1)
        slack -= (len(hidden) - len(small)) * min_cell
        return slack < min_cell - 1

    while hidden and shown and disclosed():
        hidden.add(shown.pop(0)[1])
    return hidden


def differencing_suppression(
    members: Mapping[str, Mapping[str, Collection[Any]]],
    everyone: Collection[Any] | None = None,
    min_cell: int = MIN_CELL,
) -> dict[str, set[str]]:
    """Cells to hide, per characteristic, so that no comparison of two published rows isolates
    fewer than ``min_cell`` people (protection against disclosure by differencing).

    ``members`` gives, per characteristic (in the table's order) and group (in its order), the
    people of the cell; ``everyone`` the whole group, whose ``n_paired`` and mean are published
    elsewhere (default: the union of the cells). Each characteristic is first suppressed by
    ``complementary_suppression``. Then a reader who compares two published groups ``A`` and
    ``B`` (of one characteristic or of two, the whole group included) learns the statistics of
    the people in one and not the other, ``A \\ B`` and ``B \\ A``; two groups with the same
    members (the same six officers are the women, the minority and those under ten years of
    service) even show the same row three times under three names. So the rule is

        |A △ B| = |A \\ B| + |B \\ A| >= min_cell   for every pair of published groups A ≠ B,

    the threshold rule applied to the differences of published cells, as the statistical
    disclosure control literature asks of linked and nested tables (Hundepool et al. 2012,
    *Statistical Disclosure Control*, Wiley, ch. 4-5, on disclosure by differencing). While a
    pair violates it (pairs taken in the table's order), one of the two is hidden: never the
    whole group; the one with fewer people; of two the same size, the one later in the table
    (the later characteristic, then the later group). Its characteristic is suppressed again
    with the hidden cell as ``forced`` (so a single hidden cell cannot be worked out from the
    total), and the pairs are checked again until none violates the rule.
    The people of a characteristic's hidden cells together (the whole group minus its cells
    shown) count as a published group too, since a reader can work them out; where they are
    one side of a violating pair, the characteristic's smallest shown cell is the one hidden.
    The result is deterministic.

    Example:
        >>> six = set(range(6))
        >>> members = {
        ...     "gender": {"F": six, "M": set(range(6, 20))},
        ...     "community": {"A": set(range(6, 20)), "S": six},
        ... }
        >>> hidden = differencing_suppression(members)
        >>> sorted(hidden["gender"]), sorted(hidden["community"])
        ([], ['A', 'S'])
    """
    cells = _Published.of(members, everyone, min_cell)
    while True:
        pair = cells.violating_pair()
        if pair is None:
            return cells.hidden
        cells.hide_one_of(pair)


_Entry = tuple[str | None, str | None, frozenset]


@dataclass
class _Published:
    """The cells of a subgroup table, which are hidden, and the groups a reader can compare."""

    sets: dict[str, dict[str, frozenset]]
    whole: frozenset
    min_cell: int
    order: dict[tuple[str, str], int] = field(default_factory=dict)
    forced: dict[str, set[str]] = field(default_factory=dict)
    hidden: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, members, everyone, min_cell: int) -> _Published:
        """Each characteristic suppressed by ``complementary_suppression`` to start with."""
        sets = {v: {g: frozenset(m) for g, m in groups.items()} for v, groups in members.items()}
        cells = (m for groups in sets.values() for m in groups.values())
        whole = frozenset(everyone) if everyone is not None else frozenset().union(*cells)
        pairs = [(v, g) for v in sets for g in sets[v]]
        out = cls(sets, whole, min_cell, {c: i for i, c in enumerate(pairs)})
        out.forced = {v: set() for v in sets}
        out.hidden = {v: out.suppress(v) for v in sets}
        return out

    def suppress(self, v: str) -> set[str]:
        """The hidden cells of characteristic ``v``, its forced ones included."""
        sizes = {g: len(m) for g, m in self.sets[v].items()}
        return complementary_suppression(sizes, self.min_cell, self.forced[v])

    def published(self) -> list[_Entry]:
        """The whole group, every shown cell, and per characteristic the people of its hidden
        cells together (the whole group minus the cells shown: a reader can work it out)."""
        out: list[_Entry] = [(None, None, self.whole)]
        for v, groups in self.sets.items():
            hidden = self.hidden[v]
            out += [(v, g, m) for g, m in groups.items() if g not in hidden]
            if hidden and len(hidden) < len(groups):
                out.append((v, None, frozenset().union(*(groups[g] for g in hidden))))
        return out

    def violating_pair(self) -> tuple[_Entry, _Entry] | None:
        """The first two published groups (in the table's order) differing by < min_cell."""
        shown = self.published()
        return next(
            (
                (a, b)
                for i, a in enumerate(shown)
                for b in shown[i + 1 :]
                if len(a[2] ^ b[2]) < self.min_cell
            ),
            None,
        )

    def to_hide(self, entry: _Entry) -> tuple[str, str]:
        """The cell to hide for one side of a violating pair: the cell itself, or, for the
        hidden rest of a characteristic, its smallest shown cell (which the rest then takes
        in)."""
        v, g, _ = entry
        if g is not None:
            return v, g
        shown = [(len(m), self.order[v, k], k) for k, m in self.sets[v].items()]
        return v, min(c for c in shown if c[2] not in self.hidden[v])[2]

    def hide_one_of(self, pair: tuple[_Entry, _Entry]) -> None:
        """Hide one side: never the whole group; the smaller cell, then the later one."""
        cells = [self.to_hide(c) for c in pair if c[0] is not None]
        v, g = max(cells, key=lambda c: (-len(self.sets[c[0]][c[1]]), self.order[c]))
        self.forced[v].add(g)
        self.hidden[v] = self.suppress(v)


def subgroup_table(
    paired: pd.DataFrame,
    *,
    variables: Sequence[str] = ("gender", "community", "years_of_service"),
    min_cell: int = MIN_CELL,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Mean gain (``gain_pct``) with a t interval per subgroup cell, small cells suppressed.

    One row per (``variable``, ``group``): gender, community and years of service in bands
    (``years_band``); a missing value is the group ``missing``. A cell with fewer than
    ``min_cell`` participants shows ``n = "<5"`` and no statistics (NA), ``suppressed = True``,
    to protect identities; every such group is pooled into one group ``other`` first (alone,
    if it is the only one), so that no small group is even named. A cell hidden only as the
    complement of a small one (``complementary_suppression``), or because comparing it with
    another published group (of any characteristic, or the whole group) would single out fewer
    than ``min_cell`` people (``differencing_suppression``), shows ``n = "hidden"``. Columns:
    ``variable, group, n`` (int, or the string ``"<5"``), ``mean_gain, sd_gain, ci_low,
    ci_high, suppressed``. Variables absent from ``paired`` are skipped. The shown cells' means
    and intervals are ``measures.mean_ci``'s.

    With ``by`` (e.g. ``"workshop_id"``): the groups' tables one after another, each group's
    cells and suppression its own (``differencing_suppression``, group by group) and the shown
    cells' statistics computed at once.

    Reference: Hundepool, A., et al. (2012). Statistical Disclosure Control. Wiley, ch. 4-5.

    Example:
        >>> subgroup_table(paired_w1)  # doctest: +SKIP
    """
    g = by_column(paired, by, groups)
    present = [v for v in variables if v in paired.columns]
    order = np.argsort(g.codes, kind="stable")
    order = order[g.codes[order] >= 0]
    bounds = np.searchsorted(g.codes[order], np.arange(g.size + 1))
    gain = as_float_array(paired["gain_pct"])[order] if len(paired) else np.array([])
    finite = np.isfinite(gain)
    labels = {var: _labels(paired[var].iloc[order], var) for var in present}
    rows: list[tuple[str, str, Any, bool]] = []
    row_group: list[int] = []
    shown_rows: list[np.ndarray] = []  # per shown cell: its row in the table, repeated
    shown_members: list[np.ndarray] = []  # ... and its members' positions in the sorted rows
    for i in range(g.size):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        if hi == lo:
            continue
        cells = {
            var: _cells(*(part[lo:hi] for part in labels[var]), var, finite[lo:hi], min_cell)
            for var in present
        }
        everyone = np.flatnonzero(finite[lo:hi]).tolist()
        hidden = differencing_suppression(cells, everyone, min_cell)
        for var, members in cells.items():
            for grp, at in members.items():
                row_group.append(i)
                if grp in hidden[var]:
                    rows.append((var, grp, SUPPRESSED if at.size < min_cell else HIDDEN, True))
                else:
                    shown_rows.append(np.full(at.size, len(rows)))
                    shown_members.append(lo + at)
                    rows.append((var, grp, int(at.size), False))
    if not rows:
        table = pd.DataFrame([], columns=_SUBGROUP_COLUMNS).astype(
            {"n": object, "suppressed": bool}
        )
        return g.table(table, np.zeros(0, dtype=np.intp))
    at = np.concatenate(shown_members) if shown_members else np.array([], dtype=np.intp)
    row = np.concatenate(shown_rows) if shown_rows else np.array([], dtype=np.intp)
    ci = mean_ci(gain[at], by=Groups.of_codes(row, len(rows)))
    mean, sd, low, high = (np.array([c[j] for c in ci.values()], dtype=float) for j in range(4))
    table = pd.DataFrame(
        {
            "variable": np.array([r[0] for r in rows], dtype=object),
            "group": np.array([r[1] for r in rows], dtype=object),
            "n": pd.Series(_objects([r[2] for r in rows]), dtype=object),
            "mean_gain": mean,
            "sd_gain": sd,
            "ci_low": low,
            "ci_high": high,
            "suppressed": np.array([r[3] for r in rows], dtype=bool),
        }
    )
    return g.table(table[_SUBGROUP_COLUMNS], np.array(row_group, dtype=np.intp))


def _objects(values: list[Any]) -> np.ndarray:
    """An object array holding ``values`` as they are (Python ints and strings)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _labels(values: pd.Series, var: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group of one characteristic, as ``subgroup_table`` names it (the years
    of service in bands, other values as text, a missing value ``missing``), and where the
    value is missing."""
    if var == "years_of_service":
        g = years_band(values.to_numpy())
    else:
        g = pd.Series(values.to_numpy(), dtype="string")
    missing = g.isna().to_numpy()
    return g.fillna("missing").to_numpy(dtype=object), missing


def _cells(
    g: np.ndarray, missing: np.ndarray, var: str, finite: np.ndarray, min_cell: int
) -> dict[str, np.ndarray]:
    """One group's cells of one characteristic: the row positions (within the group) of each
    subgroup with a finite gain, in the table's order (the years bands or the sorted values,
    then ``missing``), subgroups under ``min_cell`` pooled into ``other`` (a single small one
    too: "Serb <5" would tell that the workshop had a Serb officer), the answers already
    categorized as ``other`` joining it, never lost under it."""
    if var == "years_of_service":
        order = [b[0] for b in _YEARS_BANDS]
    else:
        order = sorted(set(g[~missing].tolist()))
    if (g == "missing").any():
        order = [*order, "missing"]
    cells: dict[str, np.ndarray] = {}
    for grp in order:
        at = np.flatnonzero((g == grp) & finite)
        if at.size:
            cells[grp] = at
    small = [key for key, at in cells.items() if at.size < min_cell]
    if small:
        merged = [*small, OTHER] if OTHER in cells and OTHER not in small else small
        pooled = np.concatenate([cells[key] for key in merged])
        cells = {key: at for key, at in cells.items() if key not in merged} | {OTHER: pooled}
    return cells
