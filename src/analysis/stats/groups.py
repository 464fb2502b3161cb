"""The groups of a statistic's ``by=``: which rows form which group, and the groups' rows
stacked by size.

Every per-report statistic of ``analysis.stats`` computes one group or many in one call, by
the same code: with ``by=None`` every row is in one group and the call returns what it always
returned; with ``by`` it returns the result of each group, what ``by=None`` gives on that
group's rows alone:

* ``by`` is a column of the first frame argument (``"workshop_id"``) for the statistics of
  frames, and an array of group labels, one per element (per row), for the statistics of
  arrays;
* ``groups`` names the groups and their order (text; default: the labels in order of first
  appearance in the first frame argument or array); a row whose label is missing or not in
  ``groups`` is in no group, and a group without rows gets what the statistic gives on empty
  rows;
* a DataFrame result becomes one frame: the same columns with the ``by`` column first, the
  groups' rows one after another in the order of ``groups``, index ``0 .. n-1``;
* any other result (a dict, a number, an array, a tuple) becomes a dict keyed by group id
  (``str``) of what ``by=None`` returns.

The statistics compute every group at once: a group's rows keep their order, the groups of the
same size are stacked into one array (``size_stacks``) and reduced along its rows by the numpy
functions a single group uses, and the functions of one value per test (distributions, roots,
integrals) are called on the arrays of every group, each element on its own; so a group's
numbers are the same whether it is computed alone or with others, and there is no Python loop
over the groups for the numbers (only over the distinct group sizes, and to pack the results).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Groups",
    "by_column",
    "by_labels",
    "size_stacks",
    "split",
    "group_sums",
    "group_ranks",
    "group_medians",
]


@dataclass(frozen=True)
class Groups:
    """The groups of a call: their ids in order and each row's group.

    ``column`` is the ``by`` column (None for labels given as an array); ``grouped`` is False
    for ``by=None`` (one group, every row in it); ``codes`` gives each row's position in
    ``ids`` (-1: in no group).
    """

    column: str | None
    ids: tuple[str, ...]
    codes: np.ndarray
    grouped: bool

    @classmethod
    def of_codes(cls, codes: Any, size: int) -> Groups:
        """Groups already numbered: ``codes`` (0 .. size-1, -1 for none), ids ``"0" ..``.

        Passed as ``by`` of a statistic of arrays, they are used as they are.
        """
        ids = tuple(str(i) for i in range(size))
        return cls(None, ids, np.asarray(codes, dtype=np.intp).ravel(), grouped=True)

    @property
    def size(self) -> int:
        """The number of groups."""
        return len(self.ids)

    def codes_of(self, frame: pd.DataFrame) -> np.ndarray:
        """The group of each row of another frame argument (its ``by`` column), -1 for none."""
        if not self.grouped:
            return np.zeros(len(frame), dtype=np.intp)
        return _codes(frame[self.column], self.ids)

    def result(self, values: Sequence[Any]) -> Any:
        """``values`` (one per group): the only one for ``by=None``, else keyed by group id."""
        if not self.grouped:
            return values[0]
        return dict(zip(self.ids, values, strict=True))

    def table(self, frame: pd.DataFrame, group_of_row: Any) -> pd.DataFrame:
        """A table of every group (its rows ordered by group): as it is for ``by=None``, else
        with the group id of each row as the first column, named as ``by``."""
        out = frame.reset_index(drop=True)
        if not self.grouped:
            return out
        ids = np.array(self.ids, dtype=object)[np.asarray(group_of_row, dtype=np.intp)]
        out.insert(0, self.column or "group", pd.Series(ids, dtype="str"))
        return out


def _ids(labels: Any, groups: Sequence[Any] | None) -> tuple[str, ...]:
    """The groups asked for (as text, duplicates dropped), or the labels' non-missing values
    in order of first appearance."""
    if groups is None:
        _, uniques = pd.factorize(pd.Series(labels, dtype=object) if _is_plain(labels) else labels)
        return tuple(dict.fromkeys(str(u) for u in uniques))
    return tuple(dict.fromkeys(str(g) for g in groups))


def _is_plain(labels: Any) -> bool:
    return not isinstance(labels, pd.Series | pd.Index | pd.api.extensions.ExtensionArray)


def _codes(labels: Any, ids: Sequence[str]) -> np.ndarray:
    """Each label's position in ``ids`` (compared as text); -1 for a missing or other label."""
    codes, uniques = pd.factorize(pd.Series(labels, dtype=object) if _is_plain(labels) else labels)
    if not len(uniques):
        return np.full(len(codes), -1, dtype=np.intp)
    lut = pd.Index(list(ids), dtype=object).get_indexer([str(u) for u in uniques])
    return np.where(codes >= 0, lut[codes], -1).astype(np.intp)


def by_column(frame: pd.DataFrame, by: str | None, groups: Sequence[Any] | None) -> Groups:
    """The groups of a statistic of frames: ``by`` a column of ``frame`` (the first frame
    argument), or None for one group of every row.

    Example:
        >>> f = pd.DataFrame({"workshop_id": ["W2", "W1", "W2", None]})
        >>> g = by_column(f, "workshop_id", None)
        >>> g.ids, g.codes.tolist()
        (('W2', 'W1'), [0, 1, 0, -1])
    """
    if by is None:
        return Groups(None, ("",), np.zeros(len(frame), dtype=np.intp), grouped=False)
    if not isinstance(by, str):
        raise TypeError(f"by must name a column of the frame (got {type(by).__name__})")
    ids = _ids(frame[by], groups)
    return Groups(by, ids, _codes(frame[by], ids), grouped=True)


def by_labels(n: int, by: Any, groups: Sequence[Any] | None) -> Groups:
    """The groups of a statistic of arrays of ``n`` elements: ``by`` an array of ``n`` labels
    (or ``Groups`` already made), or None for one group of every element.

    Example:
        >>> g = by_labels(4, ["b", "a", "b", "c"], ["a", "b"])
        >>> g.ids, g.codes.tolist()
        (('a', 'b'), [1, 0, 1, -1])
    """
    if by is None:
        return Groups(None, ("",), np.zeros(n, dtype=np.intp), grouped=False)
    if isinstance(by, Groups):
        if by.codes.size != n:
            raise ValueError(f"by has {by.codes.size} labels for {n} elements")
        return by
    if isinstance(by, str):
        raise TypeError("by of a statistic of arrays is an array of labels, one per element")
    labels = by if not _is_plain(by) else np.asarray(by, dtype=object).ravel()
    if len(labels) != n:
        raise ValueError(f"by has {len(labels)} labels for {n} elements")
    ids = _ids(labels, groups)
    return Groups(None, ids, _codes(labels, ids), grouped=True)


def size_stacks(codes: Any, size: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The rows of each group, stacked by the groups' sizes: per size ``s`` (empty groups and
    rows of code -1 left out), the groups of ``s`` rows and the row indices ``(groups, s)`` of
    each, in order.

    ``values[rows]`` is then an array with one group per row, and a numpy reduction along its
    axis 1 (``mean``, ``std``, ``sum``; for 2-d ``values``, the rows' axis) gives for each group
    the same bits as that reduction on the group alone.

    Example:
        >>> [(g.tolist(), rows.tolist()) for g, rows in size_stacks([1, 0, 1, 2, -1], 3)]
        [([0, 2], [[1], [3]]), ([1], [[0, 2]])]
    """
    g = np.asarray(codes, dtype=np.intp).ravel()
    on = np.flatnonzero(g >= 0)
    order = on[np.argsort(g[on], kind="stable")]
    sizes = np.bincount(g[on], minlength=size)
    starts = np.cumsum(sizes) - sizes
    out = []
    for s in np.unique(sizes[sizes > 0]):
        which = np.flatnonzero(sizes == s)
        out.append((which, order[starts[which, None] + np.arange(s)]))
    return out


def split(values: Any, codes: Any, size: int) -> list[np.ndarray]:
    """The values (rows) of each group, in their order; rows of code -1 left out.

    Example:
        >>> [v.tolist() for v in split([1, 2, 3, 4, 5], [1, 0, 1, -1, 1], 3)]
        [[2], [1, 3, 5], []]
    """
    g = np.asarray(codes, dtype=np.intp).ravel()
    order = np.argsort(g, kind="stable")  # code -1 first
    counts = np.bincount(g[g >= 0], minlength=size)
    bounds = int((g < 0).sum()) + np.concatenate([[0], np.cumsum(counts)])
    v = np.asarray(values)[order]
    return [v[bounds[i] : bounds[i + 1]] for i in range(size)]


def group_sums(values: Any, codes: Any, size: int) -> np.ndarray:
    """Sum per group: ``s_g = sum_{i: codes_i = g} values_i``, the rows added one by one.

    ``values`` is 1-d (a sum per group) or 2-d (a sum per group and column, shape
    ``(size, columns)``); an empty group sums to 0, rows of code -1 are left out. For counts
    (integers below 2^53) the sums are exact; for other numbers use ``size_stacks``.

    Example:
        >>> group_sums([1.0, 2.0, 4.0, 8.0], [1, 0, 1, -1], 3).tolist()
        [2.0, 5.0, 0.0]
    """
    g = np.asarray(codes, dtype=np.intp).ravel()
    v = np.asarray(values, dtype=float)
    on = g >= 0
    g, v = g[on], v[on]
    if v.ndim == 1:
        return np.bincount(g, weights=v, minlength=size)
    out = np.zeros((size, v.shape[1]))
    for j in range(v.shape[1]):
        out[:, j] = np.bincount(g, weights=v[:, j], minlength=size)
    return out


def group_ranks(values: Any, codes: Any, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Average ranks within each group (``scipy.stats.rankdata(method="average")`` of the
    group's values) and each group's tie term ``sum_t (t^3 - t)`` over its runs of ``t`` equal
    values (0: no tie). Every code must be a group (no -1).

    Example:
        >>> r, ties = group_ranks([3.0, 1.0, 3.0, 5.0], [0, 0, 0, 1], 2)
        >>> r.tolist(), ties.tolist()
        ([2.5, 1.0, 2.5, 1.0], [6.0, 0.0])
    """
    v = np.asarray(values, dtype=float).ravel()
    g = np.asarray(codes, dtype=np.intp).ravel()
    n = v.size
    ranks = np.empty(n)
    if not n:
        return ranks, np.zeros(size)
    order = np.lexsort((v, g))
    vs, gs = v[order], g[order]
    first = np.ones(n, dtype=bool)
    first[1:] = gs[1:] != gs[:-1]
    run = first.copy()
    run[1:] |= vs[1:] != vs[:-1]
    at = np.arange(n)
    ordinal = at - np.maximum.accumulate(np.where(first, at, 0)) + 1
    starts = np.flatnonzero(run)
    lengths = np.diff(np.append(starts, n))
    average = ordinal[starts] + (lengths.astype(float) - 1) / 2
    ranks[order] = average[np.cumsum(run) - 1]
    t = lengths.astype(float)
    return ranks, np.bincount(gs[starts], weights=t**3 - t, minlength=size)


def group_medians(values: Any, codes: Any, size: int) -> np.ndarray:
    """The median of each group's values (the mean of the two middle ones for an even count);
    NaN for an empty group. Every code must be a group (no -1).

    Example:
        >>> group_medians([3.0, 1.0, 2.0, 5.0, 4.0], [0, 0, 1, 1, 0], 3).tolist()
        [3.0, 3.5, nan]
    """
    v = np.asarray(values, dtype=float).ravel()
    g = np.asarray(codes, dtype=np.intp).ravel()
    out = np.full(size, np.nan)
    if not v.size:
        return out
    order = np.lexsort((v, g))
    vs = v[order]
    n = np.bincount(g, minlength=size)
    start = np.cumsum(n) - n
    has = n > 0
    lo = start + (n - 1) // 2
    hi = start + n // 2
    out[has] = (vs[lo[has]] + vs[hi[has]]) / 2
    return out
