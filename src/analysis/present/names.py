"""Names of the data's things (topics, items, subgroups, workshops) in the current language
(:func:`analysis.present.locale.current`).

A translation from the language file when there is one, else the codebook's or registry's own
text (:func:`analysis.present.locale.label`): a codebook topic or a subgroup value that the
language files do not know is shown as written, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .locale import label, localized, t

if TYPE_CHECKING:  # pandas and the statistics are imported where they are used
    import pandas as pd

__all__ = [
    "topic_label",
    "item_label",
    "item_labeller",
    "group_label",
    "variable_label",
    "directorate_name",
    "workshop_label",
]


def topic_label(topic: str) -> str:
    """Display name of a codebook topic id (the id itself when no language file names it)."""
    return label("topic", topic)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def item_label(codebook: pd.DataFrame, item_id: str, width: int = 48) -> str:
    """``K05 Short question text…`` in the report's language, for figures and tables."""
    return item_labeller(codebook)(item_id, width)


def item_labeller(codebook: pd.DataFrame) -> Callable[..., str]:
    """:func:`item_label` for many items of one codebook: the codebook's rows are looked up
    once (the first row of each item id), not filtered again for every label.

    >>> import pandas as pd
    >>> label = item_labeller(pd.DataFrame({"item_id": ["K01"], "text_en": ["Who is it?"]}))
    >>> label("K01", 6)
    'K01 Who i…'
    """
    rows: dict[str, dict] = {}
    for row in codebook.to_dict("records"):
        rows.setdefault(row["item_id"], row)

    def label(item_id: str, width: int = 48) -> str:
        if item_id not in rows:
            raise KeyError(f"item {item_id!r} is not in the codebook")
        return f"{item_id} {_shorten(localized(rows[item_id], 'text'), width)}"

    return label


def variable_label(variable: str) -> str:
    """Display name of a subgroup characteristic (``gender``, ``community``...)."""
    return label("var", variable)


def group_label(group: str) -> str:
    """A subgroup's name in the report's language (data values such as ``M`` translated)."""
    if group == "missing":
        return t("group_missing")
    from ..stats.disclosure import OTHER

    if group == OTHER:
        return t("group_other")
    return label("value", group, fallback=group)


def directorate_name(facts: Mapping[str, object]) -> str:
    """The directorate's name in the report's language (``directorate_<lang>`` when given)."""
    return localized(facts, "directorate")


def workshop_label(registry: pd.DataFrame, workshop_id: str, width: int | None = None) -> str:
    """``W1 Ferizaj-Gjilan and Border``: the id and the directorate in the report's language
    (the directorate shortened to ``width`` characters when given, for a figure's axis)."""
    facts = registry.set_index("workshop_id").loc[workshop_id].to_dict()
    name = directorate_name(facts)
    return f"{workshop_id} {_shorten(name, width) if width else name}"
