"""The summary files of DATA-CONTRACT: their keys, declared once, and the workshop summary.

``SUMMARY_KEYS`` are the keys of ``W*/summary.json`` and ``POOLED_KEYS`` those of
``pooled/summary.json``, in order, written out here as the contract lists them. They are
declared separately from the keys the statistics compute (``measures.PAIRED_KEYS``): the
workshop summary selects its keys from the computed ones, and a key missing from them fails.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .attrition import MI_IMPUTATIONS, MI_SEED, attrition_analysis
from .bayes import bf10_jzs
from .change import reliable_change
from .measures import NAN, paired_summary
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
    workshop_id: str,
    synthetic: bool,
    mi_imputations: int = MI_IMPUTATIONS,
    mi_seed: int = MI_SEED,
) -> dict[str, Any]:
    """The ``W*/summary.json`` dict of one workshop: exactly ``SUMMARY_KEYS``, in order.

    ``scores``, ``paired`` and ``answers`` are that workshop's rows (already filtered);
    ``workshop_id`` is only the label written. Plain Python values. ``n_pre``/``n_post`` count
    the scored questionnaires of the phase; the pairs statistics come from
    ``paired_summary(pre_pct, post_pct, n_items=...)`` on the ``paired`` rows;
    ``kr20_pre``/``kr20_post`` and their Feldt intervals ``kr20_*_ci_low/high``, and
    ``sem_pre`` (points) from ``reliability_by_phase``; ``bf10`` from ``bf10_jzs`` on the paired
    t; ``rci_*`` from ``reliable_change`` (the pre-test's SD and KR-20 over all its scored
    questionnaires); ``gain_mi*`` from ``attrition_analysis`` (``mi_imputations`` imputations
    drawn with ``mi_seed``).

    Example:
        >>> s = workshop_summary(
        ...     scores_w1, paired_w1, answers_w1, codebook, workshop_id="W1", synthetic=True
        ... )  # doctest: +SKIP
        >>> list(s)[:3]  # doctest: +SKIP
        ['workshop_id', 'n_pre', 'n_post']
    """
    n_items = (
        int(scores["n_items"].iloc[0])
        if len(scores)
        else int((codebook["section"] == "knowledge").sum())
    )
    ps = paired_summary(paired["pre_pct"], paired["post_pct"], n_items=n_items)
    rel = reliability_by_phase(answers, codebook).set_index("phase")
    rci = reliable_change(
        paired["pre_pct"],
        paired["post_pct"],
        sd_pre=float(rel.loc["pre", "sd"]),
        reliability=float(rel.loc["pre", "kr20"]),
    )
    mi = attrition_analysis(scores, paired, m=mi_imputations, seed=mi_seed)["mi"]
    n_paired = int(ps["n_paired"])
    out: dict[str, Any] = {
        "workshop_id": str(workshop_id),
        "n_pre": int((scores["phase"] == "pre").sum()),
        "n_post": int((scores["phase"] == "post").sum()),
        **ps,
        "kr20_pre": float(rel.loc["pre", "kr20"]),
        "kr20_post": float(rel.loc["post", "kr20"]),
        "kr20_pre_ci_low": float(rel.loc["pre", "ci_low"]),
        "kr20_pre_ci_high": float(rel.loc["pre", "ci_high"]),
        "kr20_post_ci_low": float(rel.loc["post", "ci_low"]),
        "kr20_post_ci_high": float(rel.loc["post", "ci_high"]),
        "sem_pre": float(rel.loc["pre", "sem"]),
        "bf10": bf10_jzs(ps["t_stat"], n_paired) if n_paired >= 2 else NAN,
        "rci_improved": rci["improved"],
        "rci_unchanged": rci["unchanged"],
        "rci_declined": rci["declined"],
        "gain_mi": mi["estimate"],
        "gain_mi_ci_low": mi["ci_low"],
        "gain_mi_ci_high": mi["ci_high"],
        "synthetic": bool(synthetic),
    }
    return {key: out[key] for key in SUMMARY_KEYS}
