"""The index page of each language, rendered from a Jinja2 template with the reports' look.

The template (``templates/index.md.j2``) gives the page's Markdown; it is rendered as a
one-cell notebook by the same HTML exporter as the reports, so that the index has their fonts
and layout. Every value from the data is HTML-escaped by the template; links are built from the
report layout of :mod:`analysis.config`.
"""

from __future__ import annotations

import csv
import functools
import json
from pathlib import Path

from markupsafe import Markup

from ..atomic import atomic_write_bytes
from ..config import LANGS, POOLED_ID, index_href, report_dir, report_href
from ..present.locale import fmt_ci, fmt_date, fmt_num, locale, t
from ..present.names import directorate_name
from ..present.page import banner
from ..results import REGISTRY_FILE
from ..spreadsheet import restore
from .render import render_html

__all__ = ["TEMPLATES", "index_rows", "index_markdown", "write_indexes"]

TEMPLATES = Path(__file__).with_name("templates")


@functools.cache
def _template():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("index.md.j2")


def _registry(processed: Path) -> dict[str, dict[str, str]]:
    """The processed registry's rows by workshop id, texts as the raw registry wrote them."""
    path = processed / REGISTRY_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [{k: restore(v) for k, v in row.items()} for row in csv.DictReader(fh)]
    return {row["workshop_id"]: row for row in rows}


def _summary(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def index_rows(reports: Path, processed: Path, lang: str) -> tuple[list[dict], bool]:
    """The index table's rows of one language (from the summaries present) and whether any
    report shows synthetic data."""
    registry = _registry(processed)
    pooled = _summary(report_dir(reports, POOLED_ID, lang) / "summary.json")
    ids = [w["workshop_id"] for w in pooled["workshops"]] if pooled else []
    ids = ids or list(registry)
    rows, synthetic = [], False
    for wid in ids:
        s = _summary(report_dir(reports, wid, lang) / "summary.json")
        if s is None:
            continue
        synthetic |= bool(s.get("synthetic"))
        facts = registry.get(wid)
        rows.append(
            {
                "workshop_id": wid,
                "href": report_href(None, lang, wid),
                "directorate": (
                    f"{directorate_name(facts, lang)}, {fmt_date(facts['date'], lang)}"
                    if facts
                    else ""
                ),
                "n_paired": s["n_paired"],
                "gain": f"{fmt_num(s['diff_mean'], lang, 1)} "
                f"{fmt_ci(s['diff_ci_low'], s['diff_ci_high'], lang, 1)}",
                "d_z": fmt_num(s["d_z"], lang, 2),
                "g_av": fmt_num(s["g_av"], lang, 2),
            }
        )
    return rows, synthetic


def index_markdown(reports: Path, processed: Path, lang: str) -> str:
    """The Markdown of one language's index page."""
    rows, synthetic = index_rows(reports, processed, lang)
    has_pooled = (report_dir(reports, POOLED_ID, lang) / "summary.json").is_file()
    return _template().render(
        others=[
            {"name": locale(o).name, "href": index_href(None, lang, o)} for o in LANGS if o != lang
        ],
        title=t("index_title", lang),
        synthetic=synthetic,
        banner=Markup(banner(lang)),
        intro=t("index_intro", lang),
        headings=[
            t("col_workshop", lang),
            t("col_directorate", lang),
            "n",
            t("col_gain_ci", lang),
            Markup("d<sub>z</sub>"),
            Markup("g<sub>av</sub>"),
        ],
        rows=rows,
        pooled_href=report_href(None, lang, POOLED_ID) if has_pooled else "",
        pooled_link=t("index_pooled_link", lang),
    )


def write_indexes(reports: Path, processed: Path) -> None:
    """Write the index page of every language that has reports (``reports/index.html``,
    ``reports/<lang>/index.html``)."""
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    for lang in LANGS:
        base = report_dir(reports, POOLED_ID, lang).parent
        ids = [POOLED_ID, *_registry(processed)]
        if not any((report_dir(reports, r, lang) / "summary.json").is_file() for r in ids):
            continue
        nb = new_notebook(
            cells=[new_markdown_cell(index_markdown(reports, processed, lang), id="index")]
        )
        nb.metadata["language_info"] = {"name": "python"}
        nbformat.validate(nb)
        page = render_html(nb, t("index_title", lang), lang)
        atomic_write_bytes(base / "index.html", page.encode("utf-8"), within=reports)
