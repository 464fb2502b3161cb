"""Reliable change per person: the Jacobson-Truax (1991) reliable change index."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .groups import Groups, by_labels, split
from .measures import NAN, as_float_array

__all__ = ["RCI_CRITICAL", "reliable_change"]

#: Two-sided 5% critical value of the RCI (standard normal).
RCI_CRITICAL = 1.96


def reliable_change(
    pre: Any,
    post: Any,
    *,
    sd_pre: float | Mapping[str, float],
    reliability: float | Mapping[str, float],
    critical: float = RCI_CRITICAL,
    by: Any = None,
    groups: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Jacobson-Truax reliable change index of each pair, and the counts beyond it.

    With ``d_i = post_i - pre_i``, ``SE = SD_pre * sqrt(1 - r)`` (the standard error of
    measurement of the pre-test, ``r`` its reliability, KR-20) and
    ``S_diff = sqrt(2 SE^2)``::

        RCI_i = d_i / S_diff

    A participant improved reliably when ``RCI_i > critical`` (1.96), declined reliably when
    ``RCI_i < -critical``, and did not change reliably otherwise. Pairs with a missing value
    are dropped. Returns ``se``, ``s_diff``, ``threshold`` (the smallest reliable change in
    points, ``critical * S_diff``), ``rci`` (array), ``n``, ``improved``, ``unchanged``,
    ``declined`` (counts) and their shares ``pct_*`` (percent of ``n``); the counts are NaN
    when ``S_diff`` is not a positive finite number (no SD, a reliability of 1 or NaN).

    With ``by`` (a label per pair): a dict keyed by group id of these dicts, each group
    against its own pre-test: ``sd_pre`` and ``reliability`` are then each a number (the same
    for every group) or a mapping from group id to the group's number (a dict, or a Series
    such as the pre-test rows of ``reliability_by_phase(..., by="workshop_id")`` indexed by
    ``workshop_id``: its ``sd`` and ``kr20``); a group the mapping lacks gets NaN.

    Reference: Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical
    approach to defining meaningful change in psychotherapy research. J. Consult. Clin.
    Psychol. 59, 12-19.

    Example:
        >>> r = reliable_change([50, 50, 50], [80, 55, 20], sd_pre=10.0, reliability=0.5)
        >>> round(r["s_diff"], 4), r["improved"], r["unchanged"], r["declined"]
        (10.0, 1, 1, 1)
        >>> r = reliable_change([50, 50], [80, 55], sd_pre={"a": 10.0, "b": 1.0},
        ...                     reliability=0.5, by=["a", "b"])
        >>> r["a"]["improved"], r["b"]["improved"]
        (1, 1)
    """
    x = as_float_array(pre)
    y = as_float_array(post)
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    x, y = x.ravel(), y.ravel()
    g = by_labels(x.size, by, groups)
    ok = np.isfinite(x) & np.isfinite(y) & (g.codes >= 0)
    d, codes = y[ok] - x[ok], g.codes[ok]
    n = np.bincount(codes, minlength=g.size)
    sd, r = _per_group(sd_pre, g), _per_group(reliability, g)
    with np.errstate(invalid="ignore"):
        usable = np.isfinite(r) & np.isfinite(sd) & (r <= 1)
        se = np.where(usable, sd * np.sqrt(np.where(usable, 1 - r, 0.0)), np.nan)
        s_diff = np.sqrt(2 * se * se)
        rci = d / s_diff[codes]
    counted = np.isfinite(s_diff) & (s_diff > 0) & (n > 0)
    counts = {
        "improved": np.bincount(codes, weights=rci > critical, minlength=g.size),
        "declined": np.bincount(codes, weights=rci < -critical, minlength=g.size),
    }
    counts["unchanged"] = n - counts["improved"] - counts["declined"]
    rcis = split(rci, codes, g.size)
    out = []
    for i in range(g.size):
        one: dict[str, Any] = {
            "se": float(se[i]),
            "s_diff": float(s_diff[i]),
            "threshold": critical * float(s_diff[i]) if math.isfinite(s_diff[i]) else NAN,
            "rci": rcis[i] if counted[i] else np.full(int(n[i]), np.nan),
            "n": int(n[i]),
            **dict.fromkeys(["improved", "unchanged", "declined"], NAN),
            **dict.fromkeys(["pct_improved", "pct_unchanged", "pct_declined"], NAN),
        }
        if counted[i]:
            for key, c in counts.items():
                one[key] = int(c[i])
                one[f"pct_{key}"] = 100.0 * int(c[i]) / int(n[i])
        out.append(one)
    return g.result(out)


def _per_group(value: float | Mapping[str, float], g: Groups) -> np.ndarray:
    """A number for every group: the same number, or each group's from a mapping (NaN when
    it lacks the group)."""
    if not g.grouped:
        return np.array([float(value)])
    if isinstance(value, Mapping | pd.Series):
        known = {str(key): float(v) for key, v in value.items()}
        return np.array([known.get(i, np.nan) for i in g.ids], dtype=float)
    return np.full(g.size, float(value))
