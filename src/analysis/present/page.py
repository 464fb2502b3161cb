"""The furniture of a report page: navigation, the synthetic-data banner, title blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..config import LANGS, POOLED_ID, index_href, report_href
from .escape import md_text, safe_href
from .locale import current, fmt_date, locale, t
from .names import directorate_name

__all__ = ["nav", "banner", "workshop_title", "pooled_title"]


def nav(report_id: str) -> str:
    """Links from a report to its index and to the same report in every other language (the
    targets as URL paths, never a scheme: :func:`analysis.present.escape.safe_href`)."""
    lang = current()
    links = [f"[{t('nav_index')}]({safe_href(index_href(report_id, lang))})"]
    links += [
        f"[{locale(other).name}]({safe_href(report_href(report_id, lang, report_id, other))})"
        for other in LANGS
        if other != lang
    ]
    return " · ".join(links)


def banner() -> str:
    """The SYNTHETIC DATA banner as an HTML block."""
    return (
        "<div style='background:#fde68a;border:2px solid #b45309;padding:.6em;"
        f"font-weight:bold'>{t('synthetic_banner')}</div>"
    )


def _page(report_id: str, title: str, body: list[str], synthetic: bool) -> str:
    parts = [nav(report_id), f"# {title}"]
    if synthetic:
        parts.append(banner())
    return "\n\n".join(parts + body)


def workshop_title(facts: Mapping[str, Any], summary: Mapping[str, Any], synthetic: bool) -> str:
    """Navigation, title, banner (synthetic data) and the facts of a workshop report (the
    registry's texts escaped for Markdown: :func:`analysis.present.escape.md_text`)."""
    directorate = md_text(directorate_name(facts))
    title = t("report_title", number=md_text(facts["number"]), directorate=directorate)
    facts_text = t(
        "report_facts",
        date=fmt_date(facts["date"]),
        directorate=directorate,
        n_pre=summary["n_pre"],
        n_post=summary["n_post"],
        n_paired=summary["n_paired"],
    )
    return _page(str(facts["workshop_id"]), title, [facts_text], synthetic)


def pooled_title(
    n_workshops: int,
    n_scored: int,
    n_paired: int,
    headline: str,
    synthetic: bool,
    names: Sequence[str] = (),
) -> str:
    """Navigation, title, banner (synthetic data), facts and headline of the pooled report: the
    title counts the workshops it holds and the facts name them (``names``, escaped for
    Markdown)."""
    facts = t(
        "pooled_facts",
        n_workshops=n_workshops,
        workshops=locale().list_separator.join(md_text(n) for n in names) or "–",
        n_scored=n_scored,
        n_paired=n_paired,
    )
    title = t("pooled_title", n_workshops=n_workshops)
    return _page(POOLED_ID, title, [facts, headline], synthetic)
