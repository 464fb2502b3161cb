"""The summary files of DATA-CONTRACT: their keys, declared once, and the workshop summary.

``SUMMARY_KEYS`` are the keys of ``W*/summary.json`` and ``POOLED_KEYS`` those of
``pooled/summary.json``, in order, written out here as the contract lists them. They are
declared separately from the keys the statistics compute (``measures.PAIRED_KEYS``): the
workshop summary selects its keys from the computed ones, and a key missing from them fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .attrition import MI_IMPUTATIONS, MI_SEED, attrition_analysis
from .bayes import bf10_jzs
from .change import reliable_change
from .groups import Groups, by_column
from .measures import paired_summary
from .reliability import reliability_by_phase

__all__ = ["SUMMARY_KEYS", "POOLED_KEYS", "workshop_summary"]

#: Keys of ``W*/summary.json`` (DATA-CONTRACT), in order.
SUMMARY_KEYS: tuple[str, ...] = (
    "workshop_id",
    "n_pre",
    "n_post",
    "n_paired",
    "pre_mean",
    "pre_sd",
    "post_mean",
    "post_sd",
    "diff_mean",
    "diff_sd",
    "diff_ci_low",
    "diff_ci_high",
    "t_stat",
    "t_df",
    "t_p",
    "wilcoxon_p",
    "rank_biserial",
    "d_z",
    "d_z_ci_low",
    "d_z_ci_high",
    "g_av",
    "hake_g",
    "mean_norm_change",
    "kr20_pre",
    "kr20_post",
    "pct_improved",
    "pct_unchanged",
    "pct_declined",
    "kr20_pre_ci_low",
    "kr20_pre_ci_high",
    "kr20_post_ci_low",
    "kr20_post_ci_high",
    "sem_pre",
    "bf10",
    "rci_improved",
    "rci_unchanged",
    "rci_declined",
    "gain_mi",
    "gain_mi_ci_low",
    "gain_mi_ci_high",
    "synthetic",
)

#: Keys of ``pooled/summary.json`` (DATA-CONTRACT), in order.
POOLED_KEYS: tuple[str, ...] = (
    "workshops",
    "n_paired",
    "lmm_phase_effect",
    "lmm_phase_ci_low",
    "lmm_phase_ci_high",
    "lmm_interaction_p",
    "ancova_workshop_p",
    "bf10",
    "rci_improved",
    "rci_unchanged",
    "rci_declined",
    "gain_mi",
    "gain_mi_ci_low",
    "gain_mi_ci_high",
    "synthetic",
)


def workshop_summary(
    scores: pd.DataFrame,
    paired: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    synthetic: bool,
    workshop_id: str | None = None,
    by: str | None = None,
    groups: Sequence[str] | None = None,
    mi_imputations: int = MI_IMPUTATIONS,
    mi_seed: int = MI_SEED,
) -> dict[str, Any]:
    """The ``W*/summary.json`` dict of one workshop: exactly ``SUMMARY_KEYS``, in order.

    ``scores``, ``paired`` and ``answers`` are that workshop's rows (already filtered);
    ``workshop_id`` is the label written (default: the one workshop of ``scores``; with ``by``
    each workshop's id). Plain
    Python values. ``n_pre``/``n_post`` count the scored questionnaires of the phase; the pairs
    statistics come from ``paired_summary(pre_pct, post_pct, n_items=...)`` on the ``paired``
    rows (``n_items``: the first questionnaire's, else the codebook's knowledge items);
    ``kr20_pre``/``kr20_post`` and their Feldt intervals ``kr20_*_ci_low/high``, and
    ``sem_pre`` (points) from ``reliability_by_phase``; ``bf10`` from ``bf10_jzs`` on the
    paired t; ``rci_*`` from ``reliable_change`` (the pre-test's SD and KR-20 over all its
    scored questionnaires); ``gain_mi*`` from ``attrition_analysis`` (``mi_imputations``
    imputations drawn with ``mi_seed``).

    With ``by`` (``"workshop_id"``, a column of every frame): the frames hold every workshop's
    rows and the result is a dict keyed by workshop id of each workshop's summary (its
    ``workshop_id`` the id), every statistic computed for all workshops at once; ``groups``
    names the workshops and their order (default: those of ``scores``, in order of first
    appearance), a workshop without rows getting the summary of its empty rows.

    References: Steiger & Fouladi (1997); Feldt, L. S. (1965). Psychometrika 30, 357-370;
    Rouder, J. N., et al. (2009). Psychon. Bull. Rev. 16, 225-237; Jacobson, N. S., & Truax, P.
    (1991). J. Consult. Clin. Psychol. 59, 12-19; Rubin, D. B. (1987). Multiple Imputation
    for Nonresponse in Surveys. Wiley.

    Example:
        >>> s = workshop_summary(
        ...     scores_w1, paired_w1, answers_w1, codebook, workshop_id="W1", synthetic=True
        ... )  # doctest: +SKIP
        >>> list(s)[:3]  # doctest: +SKIP
        ['workshop_id', 'n_pre', 'n_post']
        >>> every = workshop_summary(
        ...     scores, paired, answers, codebook, synthetic=True, by="workshop_id"
        ... )  # doctest: +SKIP
        >>> every["W1"]["d_z"]  # doctest: +SKIP
    """
    g = by_column(scores, by, groups)
    ids = list(g.ids) if g.grouped else [_label(scores, workshop_id)]
    n_items = np.full(g.size, int((codebook["section"] == "knowledge").sum()), dtype=np.int64)
    known = np.flatnonzero(g.codes >= 0)
    first_group, first = np.unique(g.codes[known], return_index=True)
    n_items[first_group] = scores["n_items"].to_numpy()[known[first]].astype(np.int64)
    n_pre, n_post = (
        np.bincount(g.codes[_is(scores["phase"], p) & (g.codes >= 0)], minlength=g.size)
        for p in ("pre", "post")
    )

    codes = g.codes_of(paired)
    pairs = Groups(None, g.ids, codes, grouped=True)
    ps = list(
        paired_summary(
            paired["pre_pct"], paired["post_pct"], n_items=n_items[np.maximum(codes, 0)], by=pairs
        ).values()
    )
    rel = reliability_by_phase(answers, codebook, by=by, groups=g.ids if g.grouped else None)
    rel_pre, rel_post = (
        {
            key: rel.loc[rel["phase"] == p, key].to_numpy(dtype=float)
            for key in ("kr20", "ci_low", "ci_high", "sd", "sem")
        }
        for p in ("pre", "post")
    )
    rci = list(
        reliable_change(
            paired["pre_pct"],
            paired["post_pct"],
            sd_pre=dict(zip(g.ids, rel_pre["sd"], strict=True)),
            reliability=dict(zip(g.ids, rel_pre["kr20"], strict=True)),
            by=pairs,
        ).values()
    )
    mi = attrition_analysis(
        scores, paired, m=mi_imputations, seed=mi_seed, by=by, groups=g.ids if g.grouped else None
    )
    mi = list(mi.values()) if g.grouped else [mi]
    bf10 = bf10_jzs(np.array([s["t_stat"] for s in ps]), np.array([s["n_paired"] for s in ps]))
    out = []
    for i, wid in enumerate(ids):
        summary: dict[str, Any] = {
            "workshop_id": str(wid),
            "n_pre": int(n_pre[i]),
            "n_post": int(n_post[i]),
            **ps[i],
            "bf10": float(bf10[i]),
            "synthetic": bool(synthetic),
        }
        for phase_rows, name in ((rel_pre, "pre"), (rel_post, "post")):
            summary[f"kr20_{name}"] = float(phase_rows["kr20"][i])
            summary[f"kr20_{name}_ci_low"] = float(phase_rows["ci_low"][i])
            summary[f"kr20_{name}_ci_high"] = float(phase_rows["ci_high"][i])
        summary["sem_pre"] = float(rel_pre["sem"][i])
        for key in ("improved", "unchanged", "declined"):
            summary[f"rci_{key}"] = rci[i][key]
        gain = mi[i]["mi"]
        summary |= {
            "gain_mi": gain["estimate"],
            "gain_mi_ci_low": gain["ci_low"],
            "gain_mi_ci_high": gain["ci_high"],
        }
        out.append({key: summary[key] for key in SUMMARY_KEYS})
    return g.result(out)


def _is(values: pd.Series, value: str) -> np.ndarray:
    """``values == value`` as a bool array, missing values False."""
    return (values == value).to_numpy(dtype=bool, na_value=False)


def _label(scores: pd.DataFrame, workshop_id: str | None) -> str:
    """The workshop id written: ``workshop_id``, else the only workshop of ``scores``."""
    if workshop_id is not None:
        return str(workshop_id)
    found = pd.unique(scores["workshop_id"].dropna())
    if len(found) != 1:
        raise ValueError(
            f"the rows hold {len(found)} workshops: give workshop_id (the label written), "
            "or by='workshop_id' for a summary of each"
        )
    return str(found[0])
