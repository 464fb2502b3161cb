"""The cleaning log: one row per thing the clean step did to a questionnaire or an export."""

from __future__ import annotations

import pandas as pd

__all__ = ["ROW_FIELDS", "CleaningLog"]

_LOG_COLUMNS = ["source_file", "source_row", "workshop_id", "phase", "action", "detail"]
#: The fields of a questionnaire that :meth:`CleaningLog.add_for` reads (select only these
#: before iterating over many rows).
ROW_FIELDS = ("source_file", "source_row", "workshop_id", "phase")


class CleaningLog:
    """The rows of ``cleaning_log.csv``, in the order the clean step added them."""

    def __init__(self) -> None:
        """Start an empty log."""
        self.rows: list[tuple] = []  # one tuple of _LOG_COLUMNS per entry
        #: each export's headers as written, by (file name, item or contract column) they name
        self.headers: dict[tuple[str, str], str] = {}

    def add(self, action, detail, source_file=None, source_row=None, workshop_id=None, phase=None):
        """Add one entry: what was done (``action``), why (``detail``) and to which row."""
        self.rows.append((source_file, source_row, workshop_id, phase, action, detail))

    def add_for(self, r, action: str, detail: str) -> None:
        """Add one entry for the questionnaire ``r`` (a row with source and workshop fields)."""
        self.add(action, detail, r.source_file, r.source_row, r.workshop_id, r.phase)

    def frame(self) -> pd.DataFrame:
        """The log as a frame of ``_LOG_COLUMNS`` with nullable dtypes."""
        frame = pd.DataFrame(self.rows, columns=_LOG_COLUMNS)
        return frame.astype(
            {
                "source_file": "string",
                "source_row": "Int64",
                "workshop_id": "string",
                "phase": "string",
                "action": "string",
                "detail": "string",
            }
        )
