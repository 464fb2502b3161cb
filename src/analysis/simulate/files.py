"""The export files: which rows go into which file, and the CSV, XLSX and table bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from ..spreadsheet import workbook_bytes_at
from .generate import Generated
from .registry import SLUGS

__all__ = [
    "cells",
    "file_plan",
    "header",
    "json_bytes",
    "render_files",
    "table_bytes",
]

_PRE_VARIANTS = ("Paratest", "para testi", "pre", "PARA", "Pre-test", "paratesti", "pretest")
_POST_VARIANTS = ("Pastest", "pas testi", "Post", "PAS", "Post-test", "pastesti", "posttest")
_FIXED_DOC_TIME = dt.datetime(2021, 3, 23, 0, 0, 0)
_BASE_COLUMNS = (
    "participant_code", "workshop", "phase", "submitted_at", "gender", "community",
    "years_of_service", "rank", "station",
)  # fmt: skip
_LATE = "late_submissions.csv"


def file_plan(gen: Generated) -> list[dict]:
    """Assign rows to export files; returns the files in name (= reading) order."""
    files = {
        (w["workshop_id"], ph): _workshop_file(k, w, ph)
        for k, w in enumerate(gen.registry)
        for ph in ("pre", "post")
    }
    late = {"name": _LATE, "format": "csv", "phase_label": None, "header_case": "plain", "rows": []}
    for r in gen.rows:
        (late if r["late"] else files[(r["workshop_id"], r["phase"])])["rows"].append(r)
    rng = gen.r_render
    out = []
    for f in [*files.values(), late]:
        f["rows"].sort(key=lambda r: r["submitted_at"])
        for r in f["rows"]:
            variants = _PRE_VARIANTS if r["phase"] == "pre" else _POST_VARIANTS
            label = f["phase_label"] or variants[int(rng.integers(0, len(variants)))]
            if rng.random() < 0.1:
                label = variants[int(rng.integers(0, len(variants)))]
            r["phase_label"] = label
        out.append(f)
    return sorted(out, key=lambda f: f["name"])


def _workshop_file(k: int, w: dict[str, str], ph: str) -> dict:
    """The (still empty) export file of workshop number ``k`` and phase ``ph``."""
    fmt = "csv"
    if k == 1 and ph == "post":
        fmt = "cp1250"
    elif k == 2 and ph == "pre":
        fmt = "xlsx"
    elif k == 0 and ph == "post":
        fmt = "bom"
    variants = _PRE_VARIANTS if ph == "pre" else _POST_VARIANTS
    slug = SLUGS.get(w["workshop_id"], f"sd{int(w['number']):02d}")
    name = f"{w['date']}_{slug}_{'para' if ph == 'pre' else 'pas'}testi"
    name += ".xlsx" if fmt == "xlsx" else ".csv"
    return {
        "name": name,
        "format": fmt,
        "phase_label": variants[k % len(variants)],
        "header_case": "title" if k == 0 else ("lower_items" if k == 3 else "plain"),
        "rows": [],
    }


#: The form language a W4 officer chose (by whether the officer is of the Serb community).
_FORM_LANGUAGE = {False: "Shqip", True: "Srpski"}


def header(f: dict, kids: list[str], ritems: list[str]) -> list[str]:
    """The header row of export file ``f``."""
    items = [*kids, *ritems]
    if f["header_case"] == "lower_items":
        items = [i.lower() for i in items]
    base = list(_BASE_COLUMNS)
    if f["header_case"] == "title":
        base = [c.title() for c in base]
    if f["format"] == "cp1250":
        return ["emri", "mbiemri", "phone", *base, *items]
    if f["name"] == _LATE:
        return [*base, *items, "name", "shenime"]
    if f["header_case"] == "lower_items":  # W4 offered the form in Albanian and in Serbian
        return ["name", *base, *items, "language"]
    return ["name", *base, *items]


def cells(r: dict, f: dict, n: int) -> list[str]:
    """The cells of row ``r``, the ``n``-th (0-based) data row of export file ``f``."""
    person = r["person"]
    base = [
        r["code_raw"],
        r["workshop_label"],
        r["phase_label"],
        r["submitted_at"],
        person["gender"],
        person["community"],
        str(person["years_of_service"]),
        person["rank"],
        person["station"],
    ]
    first, last = r["name"]
    items = [*r["k"], *r["r"]]
    if f["format"] == "cp1250":
        phone = f"+383 4{n % 10} {100 + (n * 37) % 900} {100 + (n * 53) % 900}"
        return [first, last, phone, *base, *items]
    if f["name"] == _LATE:
        return [*base, *items, f"{first} {last}", "dorëzuar me vonesë" if n % 2 else ""]
    if f["header_case"] == "lower_items":  # Serb officers answered the Serbian version
        return [f"{first} {last}", *base, *items, _FORM_LANGUAGE[person["community"] == "Serb"]]
    return [f"{first} {last}", *base, *items]


def _csv_bytes(rows: list[list[str]], *, fmt: str) -> bytes:
    """CSV bytes: ``cp1250`` (``;``, CRLF), ``bom`` (UTF-8 with BOM) or plain UTF-8.

    >>> _csv_bytes([["a", "b"], ["č", ""]], fmt="cp1250")
    b'a;b\\r\\n\\xe8;\\r\\n'
    """
    buf = io.StringIO()
    delimiter, terminator = (";", "\r\n") if fmt == "cp1250" else (",", "\n")
    csv.writer(buf, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    text = buf.getvalue()
    if fmt == "cp1250":
        return text.encode("cp1250")
    if fmt == "bom":
        return text.encode("utf-8-sig")
    return text.encode("utf-8")


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    """An .xlsx workbook with every cell as text; fixed dates so the bytes are reproducible."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Pergjigjet"
    for row in rows:
        sheet.append([str(c) for c in row])
    return workbook_bytes_at(book, "analysis.simulate", _FIXED_DOC_TIME)


def render_files(plan: list[dict], gen: Generated) -> dict[str, bytes]:
    """The bytes of every export file, by path under the raw folder; rows learn their place."""
    out = {}
    for f in plan:
        body = []
        for n, r in enumerate(f["rows"]):
            body.append(cells(r, f, n))
            r["source_file"] = f["name"]
            r["source_row"] = n + 2  # spreadsheet numbering: the header is row 1
        rows = [header(f, gen.kids, gen.ritems), *body]
        rel = f"responses/{f['name']}"
        out[rel] = _xlsx_bytes(rows) if f["format"] == "xlsx" else _csv_bytes(rows, fmt=f["format"])
    return out


def table_bytes(rows: list[dict], columns: list[str] | tuple[str, ...]) -> bytes:
    """A UTF-8 CSV table of ``rows`` with a header of ``columns`` (LF line ends).

    >>> table_bytes([{"a": 1, "b": "x"}], ("a", "b"))
    b'a,b\\n1,x\\n'
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def json_bytes(data: object) -> bytes:
    """Indented UTF-8 JSON with a final newline.

    >>> json_bytes({"ë": 1})
    b'{\\n  "\\xc3\\xab": 1\\n}\\n'
    """
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
