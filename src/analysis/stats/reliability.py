"""Reliability with its interval: KR-20 and the Feldt (1965) interval, and the SEM.

``kr20_feldt_ci`` is the interval of one coefficient; ``reliability_by_phase`` the table of a
workshop's (or all workshops') two phases, on the processed frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .groups import Groups, by_column
from .measures import as_float_array, kr20, mean_ci
from .tables import scored_questionnaires

__all__ = [
    "READABLE_RELIABILITY",
    "kr20_feldt_ci",
    "standard_error_of_measurement",
    "reliability_by_phase",
]

#: Columns of ``reliability_by_phase``, in order.
_RELIABILITY_COLUMNS = ["phase", "n", "k", "kr20", "ci_low", "ci_high", "sd", "sem"]

#: The lower bound of the KR-20 interval from which item and topic results are read (METHODS:
#: below .70 the total score carries much measurement noise).
READABLE_RELIABILITY = 0.70


def kr20_feldt_ci(reliability: Any, n: Any, k: Any, level: float = 0.95) -> dict[str, Any]:
    """Feldt (1965) interval of KR-20 (Cronbach's alpha), as ``psych::alpha.ci``.

    With ``n`` questionnaires and ``k`` items, ``F(q; a, b)`` the q-quantile of the F
    distribution on ``a = n - 1`` and ``b = (n - 1)(k - 1)`` degrees of freedom and
    ``alpha_2 = (1 - level) / 2``::

        low  = 1 - (1 - KR20) * F(1 - alpha_2; a, b)
        high = 1 - (1 - KR20) * F(alpha_2; a, b)

    Returns ``estimate, ci_low, ci_high, n, k``; the interval is NaN when the coefficient is
    NaN, or ``n < 2`` or ``k < 2``. The arguments may be arrays (broadcast, e.g. one
    coefficient per group): then every value is an array.

    Reference: Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
    reliability coefficient twenty. Psychometrika 30, 357-370.

    Example:
        >>> r = kr20_feldt_ci(0.8, 30, 20)  # psych::alpha.ci(0.8, 30, 20): 0.68, 0.89
        >>> round(r["ci_low"], 2), round(r["ci_high"], 2)
        (0.68, 0.89)
    """
    scalar = all(np.ndim(v) == 0 for v in (reliability, n, k))
    r, nn, kk = np.broadcast_arrays(
        np.asarray(reliability, dtype=float),
        np.asarray(n, dtype=np.int64),
        np.asarray(k, dtype=np.int64),
    )
    a = np.maximum(nn - 1, 1)
    b = a * np.maximum(kk - 1, 1)
    tail = (1 - level) / 2
    defined = (nn >= 2) & (kk >= 2) & np.isfinite(r)
    with np.errstate(invalid="ignore"):
        low = np.where(defined, 1 - (1 - r) * stats.f.ppf(1 - tail, a, b), np.nan)
        high = np.where(defined, 1 - (1 - r) * stats.f.ppf(tail, a, b), np.nan)
    if scalar:
        return {
            "estimate": float(r),
            "ci_low": float(low),
            "ci_high": float(high),
            "n": int(nn),
            "k": int(kk),
        }
    return {"estimate": r, "ci_low": low, "ci_high": high, "n": nn, "k": kk}


def _sem(sd: Any, reliability: Any) -> np.ndarray:
    """``SD sqrt(1 - r)``, NaN where the SD or ``r`` is NaN or ``r > 1``."""
    sd, r = np.asarray(sd, dtype=float), np.asarray(reliability, dtype=float)
    usable = np.isfinite(sd) & np.isfinite(r) & (r <= 1)
    return np.where(usable, sd * np.sqrt(np.where(usable, 1 - r, 0.0)), np.nan)


def standard_error_of_measurement(scores: Any, reliability: float) -> float:
    """Standard error of measurement ``SEM = SD * sqrt(1 - r)`` in the scores' own unit.

    ``SD`` is the sample SD (ddof=1) of ``scores`` (missing values dropped); NaN with fewer
    than two scores, a NaN reliability, or a reliability above 1.

    Reference: e.g. Crocker, L., & Algina, J. (1986). Introduction to classical and modern
    test theory, ch. 7; Jacobson, N. S., & Truax, P. (1991). J. Consult. Clin. Psychol. 59,
    12-19.

    Example:
        >>> round(standard_error_of_measurement([40.0, 50.0, 60.0, 70.0], 0.75), 4)
        6.455
    """
    x = as_float_array(scores).ravel()
    sd = mean_ci(x[np.isfinite(x)])[1]
    return float(_sem(sd, reliability))


def reliability_by_phase(
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    level: float = 0.95,
    *,
    by: str | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """KR-20 per phase with its Feldt interval, the SD of the scores and the SEM in points.

    Over every scored questionnaire of the phase in ``answers`` (one workshop's rows, or all
    rows for the pooled picture; ``tables.scored_questionnaires``). Columns
    ``_RELIABILITY_COLUMNS``: ``phase`` (``pre``, ``post``), ``n`` questionnaires, ``k`` items,
    ``kr20`` (``measures.kr20``), ``ci_low``, ``ci_high`` (``kr20_feldt_ci``), ``sd`` of the
    percent-correct scores and ``sem`` (``SD sqrt(1 - KR20)``, as
    ``standard_error_of_measurement``, in percentage points). With ``by``: the groups' two
    rows one after another, every group and phase computed at once.

    References: Kuder & Richardson (1937); Feldt, L. S. (1965). Psychometrika 30, 357-370.

    Example:
        >>> reliability_by_phase(answers_w1, codebook)  # doctest: +SKIP
    """
    g = by_column(answers, by, groups)
    q = scored_questionnaires(answers, codebook, g.codes)
    cells = Groups.of_codes(q.group_phase, 2 * g.size)
    n = np.bincount(q.group_phase, minlength=2 * g.size)
    k = len(q.items)
    r = np.array(list(kr20(q.matrix, by=cells).values()), dtype=float)
    pct = 100.0 * q.matrix.sum(axis=1) / k if k else np.zeros(len(q.matrix))
    sd = np.array([v[1] for v in mean_ci(pct, by=cells).values()], dtype=float)
    ci = kr20_feldt_ci(r, n, k, level)
    frame = pd.DataFrame(
        {
            "phase": ["pre", "post"] * g.size,
            "n": n.astype(np.int64),
            "k": np.full(2 * g.size, k, dtype=np.int64),
            "kr20": r,
            "ci_low": ci["ci_low"],
            "ci_high": ci["ci_high"],
            "sd": sd,
            "sem": _sem(sd, r),
        }
    )
    return g.table(frame[_RELIABILITY_COLUMNS], np.repeat(np.arange(g.size), 2))
