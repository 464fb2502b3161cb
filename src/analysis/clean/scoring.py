"""Per-person scores derived at cleaning time (written into ``paired``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["normalized_change"]


def _floats(x: Any) -> np.ndarray:
    """Float ndarray from an array-like (pandas NA -> NaN)."""
    if isinstance(x, pd.Series | pd.Index):
        return pd.to_numeric(pd.Series(x), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(x, dtype=float)


def normalized_change(pre: Any, post: Any) -> np.ndarray:
    """Per-participant normalized change ``c_i`` (Marx & Cummings 2007), percents 0-100.

    ``c = (post - pre) / (100 - pre)`` if post > pre; ``(post - pre) / pre`` if post < pre;
    ``0`` if equal; NaN (undefined, left out of means) when pre = post = 100 or pre = post = 0,
    or when either value is missing.

    Reference: Marx, J. D., & Cummings, K. (2007). Normalized change. Am. J. Phys. 75, 87.

    Example:
        >>> normalized_change([50, 80, 40, 100], [75, 60, 40, 100]).tolist()
        [0.5, -0.25, 0.0, nan]
    """
    x, y = _floats(pre), _floats(post)
    d = y - x
    with np.errstate(divide="ignore", invalid="ignore"):
        up = d / (100.0 - x)
        down = d / x
    out = np.select([d > 0, d < 0, d == 0], [up, down, 0.0], default=np.nan)
    undefined = (d == 0) & ((x == 100.0) | (x == 0.0))
    out[undefined | np.isnan(d)] = np.nan
    return out
