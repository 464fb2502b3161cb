"""The key-findings box at the top of every report: the result in one plain sentence, the APA
line, and the one caveat that matters most.

Every number is drawn from the summary passed in and formatted by the locale layer; the words
are messages of the language files. The box is an HTML block (like the synthetic banner, so
that the Markdown renderer leaves it whole); every text in it is HTML-escaped (the APA line's
``p < .001`` among them).

The caveat is chosen by one rule, in this order (the first that applies):

1. **n**: fewer than :data:`FEW_LINKED` officers have both tests;
2. **reliability**: a KR-20 (either test; in the pooled report, of any workshop) is below
   :data:`LOW_KR20`;
3. **design**: otherwise, the one-group pre/post design (no comparison group).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .locale import fmt_num, t

__all__ = [
    "FEW_LINKED",
    "LOW_KR20",
    "FINDINGS_CLASS",
    "BOX_STYLE",
    "plain_result",
    "caveat_kind",
    "main_caveat",
    "key_findings",
    "pooled_findings",
    "combined_result",
]

#: Below this many linked officers, the caveat is the small n (and the index flags it).
FEW_LINKED = 10
#: A KR-20 below this is a caveat of reliability (Nunnally 1978's conventional .70).
LOW_KR20 = 0.70
#: The HTML class of the box (tests and the PDF find it by this).
FINDINGS_CLASS = "key-findings"

#: The box's look (inline, as the banner's: the page needs no style sheet for it).
BOX_STYLE = (
    "border:2px solid #1f4e79;border-radius:6px;background:#eef4fa;padding:.5em .9em;"
    "margin:.6em 0;line-height:1.45"
)


def _finite(value: Any) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _improved_count(summary: Mapping[str, Any]) -> int:
    """How many linked officers scored higher after than before: ``round(pct_improved · n /
    100)`` (the summary holds the share, the count is what a reader counts)."""
    n = int(summary.get("n_paired") or 0)
    pct = summary.get("pct_improved")
    return round(float(pct) * n / 100) if _finite(pct) else 0


def plain_result(summary: Mapping[str, Any]) -> str:
    """The result in one plain sentence: "Knowledge rose by 16.4 percentage points, from 50.0%
    to 66.4% correct; 11 of 14 officers scored higher".

    The change is ``post_mean - pre_mean`` of the linked officers (the mean of their paired
    differences), to one decimal as the report's tables and headline give it, so that the box
    and the tables show the same numbers. When the summary has ``rci_improved`` (the
    Jacobson-Truax count of reliable improvement), the sentence says how many of them improved
    beyond measurement error; without it (or when it is suppressed, ``None``) that clause is
    left out.
    """
    n = int(summary.get("n_paired") or 0)
    if n < 2 or not _finite(summary.get("pre_mean")) or not _finite(summary.get("post_mean")):
        return t("headline_too_few", n=n)
    pre, post = float(summary["pre_mean"]), float(summary["post_mean"])
    diff = post - pre
    values = {
        "diff": fmt_num(abs(diff), 1),
        "pre": fmt_num(pre, 1),
        "post": fmt_num(post, 1),
    }
    if values["diff"] == fmt_num(0.0, 1):
        change = t("findings_same", **values)
    elif diff > 0:
        change = t("findings_rose", **values)
    else:
        change = t("findings_fell", **values)
    text = change + t("findings_improved", improved=_improved_count(summary), n=n)
    rci = summary.get("rci_improved")
    if _finite(rci):
        text += t("findings_rci", rci=int(rci)) if int(rci) else t("findings_rci_none")
    return text + "."


def caveat_kind(summary: Mapping[str, Any], kr20: Iterable[Any] | None = None) -> str:
    """Which caveat the box shows: ``"n"``, ``"reliability"`` or ``"design"``, by the rule of
    the module docstring. ``kr20``: the KR-20 values that count (default the summary's
    ``kr20_pre`` and ``kr20_post``); missing values are left out."""
    if int(summary.get("n_paired") or 0) < FEW_LINKED:
        return "n"
    values = [summary.get("kr20_pre"), summary.get("kr20_post")] if kr20 is None else kr20
    if any(float(v) < LOW_KR20 for v in values if _finite(v)):
        return "reliability"
    return "design"


def main_caveat(summary: Mapping[str, Any], kr20: Iterable[Any] | None = None) -> str:
    """The caveat of :func:`caveat_kind` in words, with its number (n, the lowest KR-20)."""
    values = [summary.get("kr20_pre"), summary.get("kr20_post")] if kr20 is None else list(kr20)
    kind = caveat_kind(summary, values)
    if kind == "n":
        return t("findings_caveat_n", n=int(summary.get("n_paired") or 0), few=FEW_LINKED)
    if kind == "reliability":
        lowest = min(float(v) for v in values if _finite(v))
        return t(
            "findings_caveat_reliability",
            kr20=fmt_num(lowest, 2),
            low=fmt_num(LOW_KR20, 2),
        )
    return t("findings_caveat_design")


def key_findings(summary: Mapping[str, Any], kr20: Iterable[Any] | None = None) -> str:
    """The key-findings box as an HTML block: heading, the plain sentence
    (:func:`plain_result`), the APA line of the paired t-test
    (:func:`analysis.present.prose.apa_paired`) and the caveat (:func:`main_caveat`).

    ``summary``: a ``paired_summary`` or ``summary.json`` dict (``n_paired``, ``pre_mean``,
    ``post_mean``, ``pct_improved``, the t-test and d_z keys; optional ``rci_improved``,
    ``kr20_pre``, ``kr20_post``).
    """
    from .prose import apa_paired  # here: the index imports this module without pandas

    values = None if kr20 is None else list(kr20)
    lines = [
        f"<strong>{html.escape(t('findings_title'))}</strong>",
        f"<span style='font-size:1.1em'>{html.escape(plain_result(summary))}</span>",
        html.escape(t("findings_test", apa=apa_paired(summary))),
        html.escape(t("findings_caveat", caveat=main_caveat(summary, values))),
    ]
    return f"<div class='{FINDINGS_CLASS}' style='{BOX_STYLE}'>" + "<br>".join(lines) + "</div>"


def pooled_findings(overall: Mapping[str, Any], pooled: Mapping[str, Any]) -> str:
    """The pooled report's box: the paired result over all linked officers (``overall``, a
    ``paired_summary``), the reliable-change count of the pooled summary when it has one, and
    the caveat over every workshop's KR-20 (``pooled["workshops"]``)."""
    workshops: Sequence[Mapping[str, Any]] = pooled.get("workshops", [])
    kr20 = [w.get(k) for w in workshops for k in ("kr20_pre", "kr20_post")]
    summary = {**overall, "rci_improved": pooled.get("rci_improved")}
    return key_findings(summary, kr20)


def combined_result(workshops: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The numbers :func:`plain_result` needs over all linked officers of the workshops, from
    their ``summary.json`` dicts alone (the index has no data): ``n_paired = Σ n_i``, the means
    weighted by the linked officers, ``pre_mean = Σ n_i · pre_i / Σ n_i`` (and ``post_mean``),
    exactly the means over all linked officers; ``pct_improved`` from the counts
    ``Σ round(pct_i · n_i / 100)``; ``rci_improved`` the sum of the workshops' counts, ``None``
    when any is missing or suppressed. Pure arithmetic, no pandas or scipy.

    >>> combined_result([{"n_paired": 2, "pre_mean": 40.0, "post_mean": 60.0,
    ...                   "pct_improved": 50.0}, {"n_paired": 6, "pre_mean": 60.0,
    ...                   "post_mean": 80.0, "pct_improved": 100.0}])["pre_mean"]
    55.0
    """
    rows = [w for w in workshops if int(w.get("n_paired") or 0) > 0]
    n = sum(int(w["n_paired"]) for w in rows)
    if n == 0:
        return {"n_paired": 0, "pre_mean": None, "post_mean": None, "pct_improved": None}
    improved = sum(_improved_count(w) for w in rows)
    rci = [w.get("rci_improved") for w in rows]
    return {
        "n_paired": n,
        "pre_mean": sum(int(w["n_paired"]) * float(w["pre_mean"]) for w in rows) / n,
        "post_mean": sum(int(w["n_paired"]) * float(w["post_mean"]) for w in rows) / n,
        "pct_improved": 100 * improved / n,
        "rci_improved": sum(int(r) for r in rci) if all(_finite(r) for r in rci) else None,
    }
