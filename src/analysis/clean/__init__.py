"""The clean step: read the raw exports, apply the contract's rules 1-7, write data/processed/.

Rules (see data/raw/README.md): normalize labels and codes; stop on an unknown workshop or phase
label; resolve duplicates; exclude incomplete questionnaires; score; link pre to post (exact,
then unique Levenshtein-1); replace codes by pseudonyms.

Modules: :mod:`.pipeline` (``clean``, the steps in order), :mod:`.read` (the raw folder),
:mod:`.rules` (rules 1-4), :mod:`.pseudonyms` (rules 6-7, with :mod:`.linking`),
:mod:`.tables` (rule 5 and the written tables), :mod:`.log` (the cleaning log),
:mod:`.outputs` (writing ``data/processed`` and its key), :mod:`.summary` (``describe``),
:mod:`.provenance` (the manifest) and :mod:`.scoring` (normalized change).
"""

from __future__ import annotations

import importlib
from typing import Any

from .outputs import CLEAN_STAMP, processed_is_current, run_clean

__all__ = [
    "CLEAN_STAMP",
    "CleanResult",
    "clean",
    "describe",
    "processed_is_current",
    "run_clean",
]

#: Names imported when first used: the cleaning imports pandas, the cache check of an unchanged
#: ``build`` (:func:`processed_is_current`) does not.
_LAZY = {"CleanResult": ".pipeline", "clean": ".pipeline", "describe": ".summary"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
