"""Reliable change per person: the Jacobson-Truax (1991) reliable change index."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .measures import NAN, as_float_array

__all__ = ["RCI_CRITICAL", "reliable_change"]

#: Two-sided 5% critical value of the RCI (standard normal).
RCI_CRITICAL = 1.96


def reliable_change(
    pre: Any, post: Any, *, sd_pre: float, reliability: float, critical: float = RCI_CRITICAL
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

    Reference: Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical
    approach to defining meaningful change in psychotherapy research. J. Consult. Clin.
    Psychol. 59, 12-19.

    Example:
        >>> r = reliable_change([50, 50, 50], [80, 55, 20], sd_pre=10.0, reliability=0.5)
        >>> round(r["s_diff"], 4), r["improved"], r["unchanged"], r["declined"]
        (10.0, 1, 1, 1)
    """
    x = as_float_array(pre)
    y = as_float_array(post)
    if x.shape != y.shape:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    ok = np.isfinite(x) & np.isfinite(y)
    d = y[ok] - x[ok]
    n = int(d.size)
    r, sd = float(reliability), float(sd_pre)
    se = sd * math.sqrt(1 - r) if math.isfinite(r) and math.isfinite(sd) and r <= 1 else NAN
    s_diff = math.sqrt(2 * se * se) if math.isfinite(se) else NAN
    out: dict[str, Any] = {
        "se": se,
        "s_diff": s_diff,
        "threshold": critical * s_diff if math.isfinite(s_diff) else NAN,
        "rci": np.full(n, np.nan),
        "n": n,
        "improved": NAN,
        "unchanged": NAN,
        "declined": NAN,
        "pct_improved": NAN,
        "pct_unchanged": NAN,
        "pct_declined": NAN,
    }
    if not (math.isfinite(s_diff) and s_diff > 0) or n == 0:
        return out
    rci = d / s_diff
    counts = {
        "improved": int((rci > critical).sum()),
        "declined": int((rci < -critical).sum()),
    }
    counts["unchanged"] = n - counts["improved"] - counts["declined"]
    out["rci"] = rci
    for key, c in counts.items():
        out[key] = c
        out[f"pct_{key}"] = 100.0 * c / n
    return out
