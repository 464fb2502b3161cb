"""Reliability with its interval: KR-20 and the Feldt (1965) interval, and the SEM.

``kr20_feldt_ci`` is the interval of one coefficient; ``reliability_by_phase`` the table of a
workshop's (or all workshops') two phases, on the processed frames.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .measures import NAN, as_float_array, kr20
from .tables import knowledge_matrix

__all__ = [
    "RELIABILITY_COLUMNS",
    "READABLE_RELIABILITY",
    "kr20_feldt_ci",
    "standard_error_of_measurement",
    "reliability_by_phase",
]

#: Columns of ``reliability_by_phase``, in order.
RELIABILITY_COLUMNS = ["phase", "n", "k", "kr20", "ci_low", "ci_high", "sd", "sem"]

#: The lower bound of the KR-20 interval from which item and topic results are read (METHODS:
#: below .70 the total score carries much measurement noise).
READABLE_RELIABILITY = 0.70


def kr20_feldt_ci(
    reliability: float, n: int, k: int, level: float = 0.95
) -> dict[str, float | int]:
    """Feldt (1965) interval of KR-20 (Cronbach's alpha), as ``psych::alpha.ci``.

    With ``n`` questionnaires and ``k`` items, ``F(q; a, b)`` the q-quantile of the F
    distribution on ``a = n - 1`` and ``b = (n - 1)(k - 1)`` degrees of freedom and
    ``alpha_2 = (1 - level) / 2``::

        low  = 1 - (1 - KR20) * F(1 - alpha_2; a, b)
        high = 1 - (1 - KR20) * F(alpha_2; a, b)

    Returns ``estimate, ci_low, ci_high, n, k``; the interval is NaN when the coefficient is
    NaN, or ``n < 2`` or ``k < 2``.

    Reference: Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
    reliability coefficient twenty. Psychometrika 30, 357-370.

    Example:
        >>> r = kr20_feldt_ci(0.8, 30, 20)  # psych::alpha.ci(0.8, 30, 20): 0.68, 0.89
        >>> round(r["ci_low"], 2), round(r["ci_high"], 2)
        (0.68, 0.89)
    """
    n, k = int(n), int(k)
    out: dict[str, float | int] = {
        "estimate": float(reliability),
        "ci_low": NAN,
        "ci_high": NAN,
        "n": n,
        "k": k,
    }
    if n < 2 or k < 2 or not math.isfinite(float(reliability)):
        return out
    a, b = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    out["ci_low"] = float(1 - (1 - reliability) * stats.f.ppf(1 - tail, a, b))
    out["ci_high"] = float(1 - (1 - reliability) * stats.f.ppf(tail, a, b))
    return out


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
    x = as_float_array(scores)
    x = x[np.isfinite(x)]
    r = float(reliability)
    if x.size < 2 or not math.isfinite(r) or r > 1:
        return NAN
    return float(x.std(ddof=1) * math.sqrt(1 - r))


def reliability_by_phase(
    answers: pd.DataFrame, codebook: pd.DataFrame, level: float = 0.95
) -> pd.DataFrame:
    """KR-20 per phase with its Feldt interval, the SD of the scores and the SEM in points.

    Over every scored questionnaire of the phase in ``answers`` (one workshop's rows, or all
    rows for the pooled picture). Columns ``RELIABILITY_COLUMNS``: ``phase`` (``pre``,
    ``post``), ``n`` questionnaires, ``k`` items, ``kr20`` (``measures.kr20``), ``ci_low``,
    ``ci_high`` (``kr20_feldt_ci``), ``sd`` of the percent-correct scores and ``sem``
    (``standard_error_of_measurement``, in percentage points).

    Example:
        >>> reliability_by_phase(answers_w1, codebook)  # doctest: +SKIP
    """
    rows = []
    for phase in ("pre", "post"):
        m = knowledge_matrix(answers, codebook, phase).to_numpy(dtype=float)
        n, k = m.shape
        r = kr20(m) if n else NAN
        ci = kr20_feldt_ci(r, n, k, level)
        pct = 100.0 * m.sum(axis=1) / k if k else np.array([])
        sd = float(pct.std(ddof=1)) if n >= 2 else NAN
        rows.append(
            {
                "phase": phase,
                "n": n,
                "k": k,
                "kr20": r,
                "ci_low": ci["ci_low"],
                "ci_high": ci["ci_high"],
                "sd": sd,
                "sem": standard_error_of_measurement(pct, r),
            }
        )
    return pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)
