"""The language versions of the questionnaire as shown: the item table by version, its text."""

from __future__ import annotations

import pandas as pd

from ..stats.languages import DIFFICULTY_MARGIN, PHASES
from .columns import declare
from .escape import md_text
from .locale import fmt_num, language_label, t
from .names import item_labeller
from .tidy import Table, with_tidy

__all__ = ["item_language_display", "item_language_text"]

_TEST_KEY = {"pre": "col_pre", "post": "col_post"}

#: The language versions compared (``stats.item_language_table``): one row per item and
#: version, the version's scored questionnaires and percent correct in each test, the item's
#: spread between the versions in each test and its flag; shown as one row per item.
_ITEM_LANGUAGES = Table(
    columns=(
        "item_id version",
        declare("label", source="item_id", header="col_item"),
        declare("version_label", source="version"),
        "n_version_pre pct_version_pre n_version_post pct_version_post",
        "diff_pre diff_post versions_differ",
    ),
    labels={"version_label": language_label},
)


def _versions_of(table: pd.DataFrame) -> list[str]:
    """The language versions compared in ``table`` (from its ``n_pre_<lang>`` columns)."""
    return [c.removeprefix("n_pre_") for c in table.columns if c.startswith("n_pre_")]


def item_language_display(table: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The table of :func:`analysis.stats.item_language_table` as shown: per item and test,
    each version's percent correct with its n, and the flag."""
    versions = _versions_of(table)
    label = item_labeller(codebook)
    shown = {t("col_item"): [label(i, 10_000) for i in table["item_id"]]}
    for phase in PHASES:
        for v in versions:
            column = t("col_version_pct", test=t(_TEST_KEY[phase]), language=language_label(v))
            shown[column] = [
                f"{fmt_num(p, 0)} ({int(n)})"
                for p, n in zip(table[f"pct_{phase}_{v}"], table[f"n_{phase}_{v}"], strict=True)
            ]
    shown[t("col_flags")] = [t("flag_language") if f else "" for f in table["flag"]]
    pairs = [(r, v) for _, r in table.iterrows() for v in versions]
    rows = pd.DataFrame(
        {
            "item_id": [str(r["item_id"]) for r, _ in pairs],
            "version": [v for _, v in pairs],
            **{
                f"{kind}_version_{phase}": [r[f"{kind}_{phase}_{v}"] for r, v in pairs]
                for phase in ("pre", "post")
                for kind in ("n", "pct")
            },
            **{f"diff_{phase}": [r[f"diff_{phase}"] for r, _ in pairs] for phase in PHASES},
            "versions_differ": [r["flag"] for r, _ in pairs],
        }
    )
    tidy = _ITEM_LANGUAGES.tidy(rows, label=lambda i: label(i, 10_000))
    return with_tidy(pd.DataFrame(shown), tidy)


def item_language_text(table: pd.DataFrame) -> str:
    """What the comparison of the versions shows, or why there is none."""
    versions = _versions_of(table)
    if len(versions) < 2:
        return t("item_languages_none")
    flagged = table.loc[table["flag"].astype(bool), "item_id"].tolist()
    return t(
        "item_languages_text",
        versions=", ".join(language_label(v) for v in versions),
        margin=fmt_num(DIFFICULTY_MARGIN, 0),
        flagged=", ".join(md_text(i) for i in flagged) or t("none"),
    )
