"""The language versions of the questionnaire compared, item by item, as a translation check."""

from __future__ import annotations

import pandas as pd

__all__ = ["MIN_VERSION_N", "DIFFICULTY_MARGIN", "PHASES", "item_language_table"]

#: A language version is shown only with at least this many scored questionnaires of a phase
#: (the report's minimum cell size).
MIN_VERSION_N = 5
#: Percentage points between two versions' percent correct above which an item is flagged.
DIFFICULTY_MARGIN = 20.0
PHASES = ("pre", "post")


def item_language_table(
    answers: pd.DataFrame,
    scores: pd.DataFrame,
    codebook: pd.DataFrame,
    margin: float = DIFFICULTY_MARGIN,
    min_n: int = MIN_VERSION_N,
) -> pd.DataFrame:
    r"""Difficulty of each knowledge item in each language version of the questionnaire.

    Per item and phase, among the scored questionnaires answered in a known language
    (``scores["response_language"]``), the percent correct in each version,

    .. math:: p_{\ell} = 100 \cdot \frac{1}{n_\ell} \sum_{i \in \ell} x_i,

    with :math:`x_i` 1 for a correct answer (blank and invalid count as wrong, as in the
    score), and the spread between the versions, :math:`\max_\ell p_\ell - \min_m p_m`. An
    item is flagged when the versions differ by more than ``margin`` points in both tests and
    in the same direction: a wording that reads differently does so before and after the
    workshop, while chance differences of groups this small (about 25 points for two groups of
    8 at 50%) rarely repeat. Only versions with at least ``min_n`` questionnaires in each phase
    take part (smaller ones are not shown, as any subgroup), so the table is empty unless two
    versions reach it. Descriptive, a check of the translation in the spirit of a differential
    item functioning screen by proportions correct (Holland & Wainer, 1993): the versions differ
    in who chose them as well as in wording, so no test is made.

    Returns one row per item: ``item_id``, for each phase and version ``n_<phase>_<lang>`` and
    ``pct_<phase>_<lang>``, ``diff_pre`` and ``diff_post`` (the spread, signed as the first
    version minus the second when there are two), and ``flag``.

    Examples
    --------
    >>> ids = list("abcdefghij")
    >>> ans = pd.DataFrame({"participant_id": ids * 2, "phase": ["pre"] * 10 + ["post"] * 10,
    ...     "item_id": "K1", "correct": ([True] * 5 + [False] * 4 + [True]) * 2})
    >>> sc = pd.DataFrame({"participant_id": ids * 2, "phase": ["pre"] * 10 + ["post"] * 10,
    ...     "response_language": (["sq"] * 5 + ["sr"] * 5) * 2})
    >>> cb = pd.DataFrame({"item_id": ["K1"], "section": ["knowledge"]})
    >>> row = item_language_table(ans, sc, cb).iloc[0]
    >>> [row[c].item() for c in ("pct_pre_sq", "pct_pre_sr", "n_post_sr", "diff_pre", "flag")]
    [100.0, 20.0, 5, 80.0, True]
    """
    empty = pd.DataFrame(columns=["item_id", "diff_pre", "diff_post", "flag"])
    if "response_language" not in scores or scores["response_language"].isna().all():
        return empty
    lang = scores.loc[scores["response_language"].notna()]
    lang = lang[["participant_id", "phase", "response_language"]]
    sizes = lang.groupby(["response_language", "phase"]).size().unstack(fill_value=0)
    versions = sorted(
        v
        for v in sizes.index
        if all(sizes.get(ph, pd.Series()).get(v, 0) >= min_n for ph in PHASES)
    )
    if len(versions) < 2:
        return empty
    knowledge = codebook.loc[codebook["section"] == "knowledge", "item_id"].tolist()
    rows = answers.loc[answers["item_id"].isin(knowledge)].merge(
        lang.loc[lang["response_language"].isin(versions)], on=["participant_id", "phase"]
    )
    rows = rows.assign(x=rows["correct"].fillna(False).astype(float))
    grouped = rows.groupby(["item_id", "phase", "response_language"])["x"]
    n = grouped.size().unstack(["phase", "response_language"])
    pct = (100.0 * grouped.mean()).unstack(["phase", "response_language"])
    out = pd.DataFrame({"item_id": knowledge})
    directions = {}
    for ph in PHASES:
        for v in versions:
            out[f"n_{ph}_{v}"] = [int(n.get((ph, v), pd.Series()).get(i, 0)) for i in knowledge]
            out[f"pct_{ph}_{v}"] = [
                pct.get((ph, v), pd.Series()).get(i, float("nan")) for i in knowledge
            ]
        values = out[[f"pct_{ph}_{v}" for v in versions]].to_numpy()
        spread = values.max(axis=1) - values.min(axis=1)
        sign = 1.0 if len(versions) > 2 else None
        out[f"diff_{ph}"] = spread if sign else values[:, 0] - values[:, 1]
        directions[ph] = list(zip(values.argmax(axis=1), values.argmin(axis=1), strict=True))
    big = (out["diff_pre"].abs() > margin) & (out["diff_post"].abs() > margin)
    same = [a == b for a, b in zip(directions["pre"], directions["post"], strict=True)]
    out["flag"] = big & pd.Series(same, index=out.index)
    return out
