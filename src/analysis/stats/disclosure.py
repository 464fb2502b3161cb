"""Disclosure control: subgroup table with small cells suppressed, and the rules behind it.

A cell under the minimum cell size (5) is never shown, nor even named: every such group of a
characteristic is pooled into one group ``OTHER``, shown as ``SUPPRESSED``; a cell hidden only
so that a smaller one cannot be worked out from the total shows ``HIDDEN``
(``complementary_suppression``). Functions take frames already restricted to the rows wanted
(one workshop's ``paired`` rows, or every row for the pooled picture).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .measures import NAN, as_float_array, mean_ci

__all__ = [
    "SUPPRESSED",
    "HIDDEN",
    "OTHER",
    "YEARS_BANDS",
    "SUBGROUP_COLUMNS",
    "years_band",
    "complementary_suppression",
    "subgroup_table",
]

#: ``n`` of a cell under the minimum cell size.
SUPPRESSED = "<5"
#: ``n`` of a cell hidden only so that a smaller one cannot be worked out from the total.
HIDDEN = "hidden"
#: The group that pools every group under the minimum cell size, so that none is named.
OTHER = "other"

#: Years-of-service bands of the subgroup table: (label, lower bound inclusive, upper exclusive).
YEARS_BANDS: tuple[tuple[str, float, float], ...] = (
    ("0-9", 0.0, 10.0),
    ("10-19", 10.0, 20.0),
    ("20+", 20.0, math.inf),
)

#: Columns of ``subgroup_table``, in order.
SUBGROUP_COLUMNS = [
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
    """Years of service in bands ``0-9``, ``10-19``, ``20+`` (``YEARS_BANDS``); NA stays NA.

    Example:
        >>> years_band([0, 9.5, 10, 25, None]).tolist()
        ['0-9', '0-9', '10-19', '20+', <NA>]
    """
    y = as_float_array(pd.Series(years, dtype=object))
    labels = np.array([b[0] for b in YEARS_BANDS] + [""], dtype=object)
    conds = [(y >= lo) & (y < hi) for _, lo, hi in YEARS_BANDS]
    out = pd.Series(np.select(conds, labels[:-1], default=""), dtype="string")
    return out.mask(out == "", pd.NA)


def complementary_suppression(sizes: dict[str, int], min_cell: int = 5) -> set[str]:
    """Cells of one characteristic to hide: those under ``min_cell``, plus complements.

    The total of a characteristic is published elsewhere (``n_paired``), so a single hidden
    cell could be worked out by subtraction; and a reader who knows the rule knows that a
    hidden complement holds at least ``min_cell`` people. So the smallest shown cell is hidden
    too (complementary suppression, as statistical offices practise it) until, from the
    hidden total, each small cell could still hold anything from 1 to ``min_cell - 1``:
    ``total - (small - 1) - complements * min_cell >= min_cell - 1``. With 14 people in
    ``other`` 1, ``0-9`` 5 and ``10-19`` 8, hiding ``other`` and ``0-9`` would give them away
    (6 = 1 + 5), so all three are hidden.

    Example:
        >>> sorted(complementary_suppression({"F": 4, "M": 10}))
        ['F', 'M']
        >>> sorted(complementary_suppression({"a": 2, "b": 3, "c": 9}))
        ['a', 'b']
        >>> sorted(complementary_suppression({"other": 1, "0-9": 5, "10-19": 8}))
        ['0-9', '10-19', 'other']
        >>> sorted(complementary_suppression({"a": 6, "b": 9}))
        []
    """
    small = {k for k, n in sizes.items() if n < min_cell}
    hidden = set(small)
    shown = sorted((n, k) for k, n in sizes.items() if k not in hidden)

    def disclosed() -> bool:
        if len(hidden) == 1:
            return True
        slack = sum(sizes[k] for k in hidden) - (len(small) - 1)
        slack -= (len(hidden) - len(small)) * min_cell
        return slack < min_cell - 1

    while small and shown and disclosed():
        hidden.add(shown.pop(0)[1])
    return hidden


def subgroup_table(
    paired: pd.DataFrame,
    *,
    variables: Sequence[str] = ("gender", "community", "years_of_service"),
    min_cell: int = 5,
) -> pd.DataFrame:
    """Mean gain (``gain_pct``) with a t interval per subgroup cell, small cells suppressed.

    One row per (``variable``, ``group``): gender, community and years of service in bands
    (``years_band``); a missing value is the group ``missing``. A cell with fewer than
    ``min_cell`` participants shows ``n = "<5"`` and no statistics (NA), ``suppressed = True``,
    to protect identities; every such group is pooled into one group ``other`` first (alone,
    if it is the only one), so that no small group is even named. A cell hidden only as the
    complement of a small one (``complementary_suppression``) shows ``n = "hidden"``. Columns:
    ``variable, group, n`` (int, or the string ``"<5"``), ``mean_gain, sd_gain, ci_low,
    ci_high, suppressed``. Variables absent from ``paired`` are
    skipped.

    Example:
        >>> subgroup_table(paired_w1)  # doctest: +SKIP
    """
    gain = as_float_array(paired["gain_pct"]) if len(paired) else np.array([])
    rows = []
    for var in variables:
        if var not in paired.columns:
            continue
        cells = _cells(paired[var], var, gain, min_cell)
        primary = {k for k, v in cells.items() if v.size < min_cell}
        hidden = complementary_suppression({k: v.size for k, v in cells.items()}, min_cell)
        rows += [_row(var, grp, x, grp in hidden, grp in primary) for grp, x in cells.items()]
    out = pd.DataFrame(rows, columns=SUBGROUP_COLUMNS)
    return out.astype({"n": object, "suppressed": bool})


def _cells(values: pd.Series, var: str, gain: np.ndarray, min_cell: int) -> dict[str, np.ndarray]:
    """The finite gains of each group of one characteristic, small groups pooled as ``OTHER``.

    Groups in order: the years bands, or the sorted values; then ``missing``. Empty groups are
    left out.
    """
    if var == "years_of_service":
        g = years_band(values.to_numpy())
        order = [b[0] for b in YEARS_BANDS]
    else:
        g = pd.Series(values.to_numpy(), dtype="string")
        order = sorted(g.dropna().unique().tolist())
    g = g.fillna("missing").to_numpy()
    if (g == "missing").any():
        order = [*order, "missing"]
    cells: dict[str, np.ndarray] = {}
    for grp in order:
        x = gain[g == grp]
        x = x[np.isfinite(x)]
        if x.size:
            cells[grp] = x
    # groups under min_cell are not even named: they are pooled into one group "other"
    # (a single small group too: "Serb <5" would tell that the workshop had a Serb officer)
    small = [k for k, v in cells.items() if v.size < min_cell]
    if small:
        cells = {k: v for k, v in cells.items() if k not in small} | {
            OTHER: np.concatenate([cells[k] for k in small])
        }
    return cells


def _row(var: str, grp: str, x: np.ndarray, hidden: bool, primary: bool) -> dict[str, Any]:
    """One row of ``subgroup_table``: the cell's statistics, or its marker when hidden."""
    if hidden:
        n = SUPPRESSED if primary else HIDDEN
        return {"variable": var, "group": grp, "n": n, "suppressed": True} | dict.fromkeys(
            ["mean_gain", "sd_gain", "ci_low", "ci_high"], NAN
        )
    m, sd, lo, hi = mean_ci(x)
    return {
        "variable": var,
        "group": grp,
        "n": int(x.size),
        "mean_gain": m,
        "sd_gain": sd,
        "ci_low": lo,
        "ci_high": hi,
        "suppressed": False,
    }
