"""The exact profile-likelihood engine of the random-intercept model, and its design matrices.

For ``y = X b + u_g + e`` with ``var(u) / var(e) = gamma``, the fixed effects, the scale and the
(restricted) log-likelihood have closed forms given gamma (Henderson's equations with the group
sums), so the likelihood is maximized over gamma alone; group cross-products are summed per
group size once, so that each evaluation costs O(p^2), not O(groups p^2).

References: Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data.
Biometrics 38, 963-974; Bates, D., et al. (2015). Fitting linear mixed-effects models using
lme4. J. Stat. Softw. 67(1).
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg, optimize, sparse

__all__ = [
    "categorical_design",
    "gram",
    "design",
    "design_parts",
    "Profile",
]


#: The formulas :func:`categorical_design` builds without a formula parser: a numeric response,
#: one categorical factor with its reference level, and optionally a second (default reference)
#: added (``+``) or crossed (``*``), e.g. ``score_pct ~ C(phase, Treatment('pre')) * C(w)``.
_CATEGORICAL = re.compile(
    r"^\s*(?P<y>\w+)\s*~\s*(?P<a>C\((?P<fa>\w+), Treatment\('(?P<ref>[^'\\]*)'\)\))"
    r"(?:\s*(?P<op>[+*])\s*(?P<b>C\((?P<fb>\w+)\)))?\s*$"
)


def _text_levels(values: pd.Series) -> list[str] | None:
    """The sorted distinct values of a text column (patsy's level order), or None."""
    if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
        return None
    uniques = pd.unique(values)
    if not all(isinstance(v, str) for v in uniques):
        return None
    return sorted(uniques)


def categorical_design(
    formula: str, d: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, list[str], pd.Index] | None:
    """Response, fixed-effects matrix, column names and kept row labels of a categorical formula,
    built from the factors' codes (no formula parsing); None when ``formula`` is not one
    ``_CATEGORICAL`` describes or its columns are not as it needs (then patsy builds it).

    The same matrix, column order and names as patsy's treatment coding (``Intercept``, the
    levels of the first factor but its reference, those of the second but its first level, and
    for ``*`` their products, the first factor varying fastest); rows with a missing response
    are dropped (``missing="drop"``); a factor with a missing value is left to patsy.
    """
    m = _CATEGORICAL.match(formula)
    if m is None:
        return None
    fa, fb = m["fa"], m["fb"]
    used = [m["y"], fa, *([fb] if fb else [])]
    if any(c not in d.columns for c in used):
        return None
    if not pd.api.types.is_numeric_dtype(d[m["y"]]) or pd.api.types.is_bool_dtype(d[m["y"]]):
        return None
    if d[used[1:]].isna().any().any():  # patsy's own handling of a missing level stays
        return None
    kept = d.loc[d[m["y"]].notna().to_numpy(dtype=bool), used]
    a_levels = _text_levels(kept[fa])
    b_levels = _text_levels(kept[fb]) if fb else []
    if a_levels is None or b_levels is None or m["ref"] not in a_levels:
        return None
    a_cols = [lev for lev in a_levels if lev != m["ref"]]
    b_cols = b_levels[1:]
    names = ["Intercept", *[f"{m['a']}[T.{lev}]" for lev in a_cols]]
    # each dummy is 1.0 where the factor's code is its level's: scattered from the codes
    a_code = pd.Index(a_cols, dtype=object).get_indexer(kept[fa].to_numpy(dtype=object))
    b_code = np.full(len(kept), -1)
    if fb:
        b_code = pd.Index(b_cols, dtype=object).get_indexer(kept[fb].to_numpy(dtype=object))
        names += [f"{m['b']}[T.{lev}]" for lev in b_cols]
        if m["op"] == "*":
            names += [f"{m['a']}[T.{la}]:{m['b']}[T.{lb}]" for lb in b_cols for la in a_cols]
    x = np.zeros((len(kept), len(names)))
    x[:, 0] = 1.0
    rows = np.arange(len(kept))
    on = a_code >= 0
    x[rows[on], 1 + a_code[on]] = 1.0
    on_b = b_code >= 0
    x[rows[on_b], 1 + len(a_cols) + b_code[on_b]] = 1.0
    if fb and m["op"] == "*":
        both = on & on_b
        at = 1 + len(a_cols) + len(b_cols) + b_code[both] * len(a_cols) + a_code[both]
        x[rows[both], at] = 1.0
    y = kept[m["y"]].to_numpy(dtype=float)
    return y, x, names, kept.index


def _exact_sparse(x: np.ndarray) -> sparse.csc_matrix | None:
    """``x`` as a sparse matrix when it holds small integers only (dummies, group counts), so
    that every entry of its cross-products is an integer sum below 2^52, exact in any order of
    adding; None for any other matrix.

    Example:
        >>> _exact_sparse(np.array([[1.0, 0.0], [1.0, 2.0]])).nnz, _exact_sparse(np.eye(2) / 3)
        (3, None)
    """
    if x.ndim != 2 or not x.size:
        return None
    xs = sparse.csc_matrix(x)
    v = xs.data
    top = float(np.abs(v).max()) if v.size else 0.0
    if top * top * x.shape[0] < 2.0**52 and bool(np.all(v == np.trunc(v))):
        return xs
    return None


def gram(x: np.ndarray | sparse.csc_matrix) -> np.ndarray:
    """``X'X``. For a matrix of small integers (``_exact_sparse``, or the sparse matrix it
    returned) it is computed from the non-zero entries: every entry is an exact integer sum, so
    the numbers are the dense product's, at a fraction of its cost.

    Example:
        >>> gram(np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 1.0]])).tolist()
        [[3.0, 2.0], [2.0, 2.0]]
    """
    xs = x if sparse.issparse(x) else _exact_sparse(x)
    if xs is not None:
        return (xs.T @ xs).toarray()
    return x.T @ x


def _clearly_full_rank(x: np.ndarray | sparse.csc_matrix) -> bool:
    """True when ``x`` has full column rank by a margin, so that the pivoted QR of
    :func:`design` would keep every column: every diagonal entry of a triangular factor is at
    least the smallest singular value and at most the largest, so a condition number under
    1e6 (from the eigenvalues of ``X'X``, accurate to ~1e-16 of the largest) leaves each
    ``|r_kk| / max |r|`` far above the 1e-10 at which a column is dropped."""
    eig = np.linalg.eigvalsh(gram(x))
    return bool(eig[-1] > 0 and eig[0] > 1e-12 * eig[-1])


def design(
    formula: str, data: pd.DataFrame, groups: str
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, list[str]]:
    """Response, full-rank fixed-effects matrix, names, group codes; and notes on dropped terms.

    The pooled models' categorical formulas are built from the factors' codes
    (:func:`categorical_design`, the same matrix as patsy's); any other formula by patsy.
    """
    return design_parts(formula, data, groups)[:5]


def design_parts(
    formula: str, data: pd.DataFrame, groups: str
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, list[str], sparse.csc_matrix | None]:
    """:func:`design`'s response, matrix, names, group codes and notes, and the matrix's
    :func:`_exact_sparse` form (None for a matrix that is not of small integers), made once."""
    d = data.loc[data[groups].notna()]
    built = categorical_design(formula, d)
    if built is None:
        import statsmodels.formula.api as smf

        model = smf.ols(formula, d, missing="drop")
        y = np.asarray(model.endog, dtype=float)
        x = np.asarray(model.exog, dtype=float)
        names = list(model.exog_names)
        rows = model.data.row_labels
    else:
        y, x, names, rows = built
    g = pd.factorize(d.loc[rows, groups].astype(str))[0]
    notes: list[str] = []
    xs = _exact_sparse(x)
    if x.shape[1] and not _clearly_full_rank(x if xs is None else xs):
        _, r, piv = linalg.qr(x, mode="economic", pivoting=True)
        diag = np.abs(np.diag(r))
        rank = int((diag > diag.max() * 1e-10).sum()) if diag.size else 0
        if rank < x.shape[1]:
            keep = np.sort(piv[:rank])
            dropped = [names[i] for i in range(len(names)) if i not in set(keep)]
            notes.append(f"fixed effects not estimable (aliased), dropped: {', '.join(dropped)}")
            x = x[:, keep]
            xs = None if xs is None else xs[:, keep]
            names = [names[i] for i in keep]
    return y, x, names, g, notes, xs


def _size_sums(
    sx: np.ndarray | sparse.csr_matrix, sy: np.ndarray, m: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Group sums' cross-products summed per group size: sizes, counts, SxX, SxY, SyY.

    The weights gamma / (1 + gamma m_g) depend on a group only through its size m_g, and sizes
    take few values (1 or 2 questionnaires here): sum the group cross-products per size once,
    so that each likelihood evaluation costs O(p^2) instead of O(groups p^2). ``sx`` may be a
    sparse matrix of small integers (the group sums of an :func:`_exact_sparse` design): its
    cross-products are then exact (:func:`gram`) and each size's rows are made dense alone.
    """
    sizes, size_of = np.unique(m, return_inverse=True)
    count = np.bincount(size_of, minlength=sizes.size).astype(float)
    sxx, sxy, syy = [], [], []
    for k in range(sizes.size):
        rows = size_of == k
        part = sx[rows]
        sxx.append(gram(part))
        dense = part.toarray() if sparse.issparse(part) else part
        sxy.append(dense.T @ sy[rows])
        syy.append(float(sy[rows] @ sy[rows]))
    return sizes, count, np.stack(sxx), np.stack(sxy), np.array(syy)


class Profile:
    """Closed-form profile likelihood of ``y = X b + u_g + e``, ``var(u)/var(e) = gamma``."""

    def __init__(
        self,
        y: np.ndarray,
        x: np.ndarray,
        g: np.ndarray,
        *,
        xtx: np.ndarray | None = None,
        exact: sparse.csc_matrix | None = None,
    ) -> None:
        """The sums the likelihood needs; ``xtx``, when given, is ``gram(x)``, and ``exact``
        ``_exact_sparse(x)`` (the group sums are then summed from it: the same, exact, numbers)."""
        n_groups = int(g.max()) + 1 if g.size else 0
        z = sparse.csr_matrix((np.ones(g.size), (g, np.arange(g.size))), shape=(n_groups, g.size))
        self.n, self.p = x.shape
        m = np.bincount(g, minlength=n_groups).astype(float)
        sx = np.asarray(z @ x) if exact is None else sparse.csr_matrix(z @ exact)
        sy = np.asarray(z @ y).ravel()
        self.xtx = gram(x if exact is None else exact) if xtx is None else xtx
        self.xty = x.T @ y
        self.yty = float(y @ y)
        self.sizes, self.count, self.sxx, self.sxy, self.syy = _size_sums(sx, sy, m)
        # np.tensordot(w, sxx, axes=1) is this dot product: the sums reshaped once, not per call
        self._sxx_rows = self.sxx.reshape(self.sizes.size, -1)

    def solve(self, gamma: float) -> tuple[np.ndarray, np.ndarray, float, float]:
        """Beta, A = X'H^-1 X, Q = r'H^-1 r, log|H| at ``gamma``."""
        w = gamma / (1.0 + gamma * self.sizes)
        a = self.xtx - np.dot(w.reshape(1, -1), self._sxx_rows).reshape(self.p, self.p)
        b = self.xty - w @ self.sxy
        beta = np.linalg.solve(a, b)
        q = self.yty - float(w @ self.syy) - float(b @ beta)
        return beta, a, max(q, 0.0), float(self.count @ np.log1p(gamma * self.sizes))

    def neg2ll(self, gamma: float, reml: bool) -> float:
        """-2 log-likelihood (ML) or -2 restricted log-likelihood (REML), scale profiled out."""
        _, a, q, logdet = self.solve(gamma)
        nu = self.n - self.p if reml else self.n
        s2 = q / nu
        if s2 <= 0:
            return math.inf
        out = nu * math.log(2 * math.pi * s2) + logdet + nu
        if reml:
            out += float(np.linalg.slogdet(a)[1])
        return out

    def fit(self, reml: bool) -> dict[str, Any]:
        """Maximize over ``gamma >= 0`` (bounded search on log gamma; gamma = 0 checked)."""
        res = optimize.minimize_scalar(
            lambda t: self.neg2ll(math.exp(t), reml),
            bounds=(-25.0, 12.0),
            method="bounded",
            options={"xatol": 1e-9},
        )
        gamma = math.exp(res.x)
        if self.neg2ll(0.0, reml) <= self.neg2ll(gamma, reml):
            gamma = 0.0
        beta, a, q, _ = self.solve(gamma)
        scale = q / (self.n - self.p if reml else self.n)
        cov = scale * np.linalg.inv(a)
        return {
            "beta": beta,
            "bse": np.sqrt(np.diag(cov)),
            "scale": scale,
            "re_var": gamma * scale,
            "llf": -0.5 * self.neg2ll(gamma, reml),
            "converged": bool(res.success),
        }
