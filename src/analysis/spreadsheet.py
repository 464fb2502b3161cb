"""Text cells that a spreadsheet would run as a formula, written so that it reads them as text.

Excel, LibreOffice and Google Sheets treat a cell starting with ``=``, ``+``, ``-`` or ``@``
(and tab or carriage return) as a formula when a CSV is opened. Text from the data (a
community, a directorate, an item text) can start that way, so every CSV the project writes
passes its text cells through :func:`defuse`, which puts a ``'`` before such a cell, as the
OWASP guidance on CSV injection advises. Numbers stay numbers: a cell that is a number as
written (``-2.6``, ``-2,6``, ``+3``) is left as it is. A text that starts with ``'`` itself gets
one more, so that :func:`restore` gives back exactly the text that was written (the project
reads its own processed CSVs, the registry and the codebook, back).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "needs_quote",
    "defuse",
    "defuse_frame",
    "restore",
    "restore_frame",
    "workbook_bytes_at",
]

#: The first characters that make a spreadsheet read a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")


def needs_quote(text: str) -> bool:
    """Whether a text cell would be read as a formula (and is not simply a number).

    >>> needs_quote("=HYPERLINK(1)"), needs_quote("-2,6"), needs_quote("@user"), needs_quote("a")
    (True, False, True, False)
    """
    return text.startswith(_FORMULA_START) and not _NUMBER.match(text.strip())


def defuse(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run; else unchanged.

    >>> defuse("+381 44 123"), defuse(-3.5), defuse("Prishtinë"), defuse("'quoted")
    ("'+381 44 123", -3.5, 'Prishtinë', "''quoted")
    """
    if isinstance(value, str) and (needs_quote(value) or value.startswith("'")):
        return "'" + value
    return value


def restore(value: object) -> object:
    """The text :func:`defuse` was given: one leading ``'`` removed.

    >>> restore("'=1+1"), restore("''quoted"), restore("Prishtinë"), restore(2.5)
    ('=1+1', "'quoted", 'Prishtinë', 2.5)
    """
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]
    return value


def _texts_mapped(values: pd.Series, fn, starts: tuple[str, ...]) -> pd.Series | None:
    """``values`` with ``fn`` applied to each text starting with one of ``starts`` (``fn``
    gives back any other value itself), computed once per distinct text; ``None`` when ``fn``
    changes none. A text column is searched for the starts at once; missing values stay."""
    import numpy as np
    import pandas as pd

    if values.dtype == object:
        maybe = np.ones(len(values), dtype=bool)  # any objects: each distinct one looked at
    else:
        maybe = values.str.startswith(starts).fillna(False).to_numpy(dtype=bool)
    if not maybe.any():
        return None
    at = np.flatnonzero(maybe)
    codes, uniques = pd.factorize(values.iloc[at])
    mapped, changed = [], []
    for value in uniques:
        new = fn(value)
        mapped.append(new)
        changed.append(new is not value)
    if not any(changed):
        return None
    hit = (codes >= 0) & np.asarray(changed, dtype=bool)[codes]
    out = values.copy()
    out.iloc[at[hit]] = np.asarray(mapped, dtype=object)[codes[hit]]
    return out


def _map_text_frame(frame: pd.DataFrame, fn, starts: tuple[str, ...]) -> pd.DataFrame:
    """A copy of ``frame`` with ``fn`` applied to its text cells and column names that start
    with one of ``starts`` (see :func:`_texts_mapped`)."""
    from pandas.api.types import is_string_dtype

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or is_string_dtype(values.dtype):
            mapped = _texts_mapped(values, fn, starts)
            if mapped is not None:
                out[column] = mapped
    return out.rename(columns=lambda c: fn(c) if isinstance(c, str) else c)


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are defused (numbers untouched);
    only the texts that start as a formula or with ``'`` are looked at, each distinct one once."""
    return _map_text_frame(frame, defuse, (*_FORMULA_START, "'"))


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read from a CSV that :func:`defuse_frame` wrote, with its texts as they were."""
    return _map_text_frame(frame, restore, ("'",))


def _fixed_zip(workbook: bytes, when: dt.datetime) -> bytes:
    """An .xlsx's bytes with every member dated ``when`` and its ``modified`` property set to
    it, so that the same sheets always give the same bytes (openpyxl stamps the time of saving)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = when.timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def workbook_bytes_at(book: object, creator: str, when: dt.datetime) -> bytes:
    """An openpyxl workbook's bytes, created and modified at ``when`` by ``creator``, the same
    bytes for the same sheets (:func:`_fixed_zip`)."""
    book.properties.creator = creator
    book.properties.created = when
    book.properties.modified = when
    buf = io.BytesIO()
    book.save(buf)
    return _fixed_zip(buf.getvalue(), when)
