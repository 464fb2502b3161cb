"""The language versions of the questionnaire as shown: the item table by version, its text."""

from __future__ import annotations

import pandas as pd

from ..stats.languages import DIFFICULTY_MARGIN, PHASES
from .escape import md_text
from .locale import fmt_num, language_label, t
from .names import item_labeller
from .tidy import tidy_item_languages, with_tidy

__all__ = ["versions_of", "item_language_display", "item_language_text"]

_TEST_KEY = {"pre": "col_pre", "post": "col_post"}


def versions_of(table: pd.DataFrame) -> list[str]:
    """The language versions compared in ``table`` (from its ``n_pre_<lang>`` columns)."""
    return [c.removeprefix("n_pre_") for c in table.columns if c.startswith("n_pre_")]


def item_language_display(table: pd.DataFrame, codebook: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table of :func:`analysis.stats.item_language_table` as shown: per item and test,
    each version's percent correct with its n, and the flag."""
    versions = versions_of(table)
    label = item_labeller(codebook)
    shown = {t("col_item", lang): [label(i, lang, 10_000) for i in table["item_id"]]}
    for phase in PHASES:
        for v in versions:
            column = t(
                "col_version_pct",
                lang,
                test=t(_TEST_KEY[phase], lang),
                language=language_label(v, lang),
            )
            shown[column] = [
                f"{fmt_num(p, lang, 0)} ({int(n)})"
                for p, n in zip(table[f"pct_{phase}_{v}"], table[f"n_{phase}_{v}"], strict=True)
            ]
    shown[t("col_flags", lang)] = [t("flag_language", lang) if f else "" for f in table["flag"]]
    return with_tidy(pd.DataFrame(shown), tidy_item_languages(table, codebook))


def item_language_text(table: pd.DataFrame, lang: str) -> str:
    """What the comparison of the versions shows, or why there is none."""
    versions = versions_of(table)
    if len(versions) < 2:
        return t("item_languages_none", lang)
    flagged = table.loc[table["flag"].astype(bool), "item_id"].tolist()
    return t(
        "item_languages_text",
        lang,
        versions=", ".join(language_label(v, lang) for v in versions),
        margin=fmt_num(DIFFICULTY_MARGIN, lang, 0),
        flagged=", ".join(md_text(i) for i in flagged) or t("none", lang),
    )
