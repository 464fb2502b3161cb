"""The index page of each language, rendered from a Jinja2 template with the reports' look.

The template (``templates/index.md.j2``) gives the page's Markdown; it is rendered as a
one-cell notebook by the same HTML exporter as the reports, so that the index has their fonts
and layout. Every value from the data is HTML-escaped by the template; links are built from the
report layout of :mod:`analysis.config`.

A workshop of the registry without questionnaires is listed as such, without numbers or link;
when the pooled report is not made (fewer than :data:`~analysis.results.MIN_POOLED`
workshops with linked participants) the index says why. Before the pages are written, a report
folder the build wrote earlier for a workshop that now has no questionnaires (or a pooled report
that is no longer made) is removed (:func:`retire_reports`), so that nothing out of date looks
current; a folder the project did not write is left alone and not linked.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from markupsafe import Markup

from ..atomic import MARKER, atomic_write_bytes, check_inside
from ..config import ALL_LANGS, LANGS, POOLED_ID, index_href, project_path, report_dir, report_href
from ..hashing import source_digests, update
from ..present.findings import (
    BOX_STYLE,
    FEW_LINKED,
    FINDINGS_CLASS,
    LOW_KR20,
    combined_result,
    main_caveat,
    plain_result,
)
from ..present.locale import current, fmt_ci, fmt_date, fmt_num, language, locale, t
from ..present.names import directorate_name
from ..present.page import banner
from ..results import MIN_POOLED, REGISTRY_FILE, Coverage, coverage, results_dir, summary_of
from ..spreadsheet import restore
from .cache import CACHE_FILE
from .render import render_html

__all__ = [
    "FOREST",
    "index_flags",
    "index_markdown",
    "index_key",
    "retire_reports",
    "write_indexes",
]

_TEMPLATES = Path(__file__).with_name("templates")
#: The pooled report's forest plot, shown small on the index (its own figure: the same numbers).
FOREST = Path("figures") / "forest.svg"


@functools.cache
def _template():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
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


def _summary(reports: Path, processed: Path, report_id: str, lang: str) -> dict | None:
    """The summary of a report whose page is there in ``lang``, as the results stage holds it
    (None when the page or its results are missing)."""
    if not (report_dir(reports, report_id, lang) / "report.html").is_file():
        return None
    return summary_of(results_dir(processed), report_id)


def _coverage(processed: Path) -> Coverage | None:
    return coverage(processed) if (processed / REGISTRY_FILE).is_file() else None


def index_flags(summary: dict) -> list[str]:
    """What a reader should know before comparing a workshop's numbers: fewer than
    :data:`~analysis.present.findings.FEW_LINKED` linked officers, a KR-20 (either test) below
    :data:`~analysis.present.findings.LOW_KR20`."""
    flags = []
    if int(summary.get("n_paired") or 0) < FEW_LINKED:
        flags.append(t("index_flag_few", n=summary.get("n_paired") or 0, few=FEW_LINKED))
    for phase, key in (("pre", "col_pre"), ("post", "col_post")):
        value = summary.get(f"kr20_{phase}")
        if value is not None and value < LOW_KR20:
            flags.append(
                t(
                    "index_flag_kr20",
                    phase=t(key).lower(),
                    kr20=fmt_num(value, 2),
                    low=fmt_num(LOW_KR20, 2),
                )
            )
    return flags


def _report_links(reports: Path, report_id: str) -> list[dict]:
    """Links from the index of the current language to the report in every language that has
    it, and to its ``report.pdf`` where one was written."""
    lang = current()
    links = []
    for other in LANGS:
        folder = report_dir(reports, report_id, other)
        if not (folder / "report.html").is_file():
            continue
        href = report_href(None, lang, report_id, other)
        links.append({"name": locale(other).name, "href": href})
        if (folder / "report.pdf").is_file():
            pdf = href.removesuffix("report.html") + "report.pdf"
            links.append({"name": t("index_pdf", name=locale(other).name), "href": pdf})
    return links


def _pooled_box(pooled: dict) -> dict:
    """The index's key findings over all workshops: the pooled report's plain sentence (the
    workshops' summaries combined, :func:`~analysis.present.findings.combined_result`), the
    mixed model's gain with its interval, and the caveat by the findings' rule."""
    workshops = pooled.get("workshops", [])
    combined = combined_result(workshops)
    if pooled.get("rci_improved") is not None:
        combined["rci_improved"] = pooled["rci_improved"]
    kr20 = [w.get(k) for w in workshops for k in ("kr20_pre", "kr20_post")]
    return {
        "style": BOX_STYLE,
        "class": FINDINGS_CLASS,
        "title": t("findings_title"),
        "result": plain_result(combined),
        "model": t(
            "index_pooled_model",
            n_workshops=len(workshops),
            effect=fmt_num(pooled.get("lmm_phase_effect"), 1),
            ci=fmt_ci(pooled.get("lmm_phase_ci_low"), pooled.get("lmm_phase_ci_high"), 1),
        ),
        "caveat": t("findings_caveat", caveat=main_caveat(combined, kr20)),
        "reports": t("index_col_reports"),
    }


def _index_rows(reports: Path, processed: Path) -> tuple[list[dict], bool]:
    """The index table's rows in the current language and whether any report shows synthetic
    data: a workshop with its report's numbers and link (when its summary is present), a
    workshop of the registry without questionnaires with "no questionnaires" instead."""
    lang = current()
    registry = _registry(processed)
    cover = _coverage(processed)
    pooled = _summary(reports, processed, POOLED_ID, lang)
    ids = list(registry) or ([w["workshop_id"] for w in pooled["workshops"]] if pooled else [])
    empty = set(cover.without_questionnaires) if cover else set()
    rows, synthetic = [], False
    for wid in ids:
        facts = registry.get(wid)
        directorate = f"{directorate_name(facts)}, {fmt_date(facts['date'])}" if facts else ""
        if wid in empty:
            rows.append(
                {
                    "workshop_id": wid,
                    "href": "",
                    "directorate": directorate,
                    "missing": t("index_no_questionnaires"),
                }
            )
            continue
        s = _summary(reports, processed, wid, lang)
        if s is None:
            continue
        synthetic |= bool(s.get("synthetic"))
        rows.append(
            {
                "workshop_id": wid,
                "href": report_href(None, lang, wid),
                "directorate": directorate,
                "missing": "",
                "n_paired": s["n_paired"],
                "gain": f"{fmt_num(s['diff_mean'], 1)} "
                f"{fmt_ci(s['diff_ci_low'], s['diff_ci_high'], 1)}",
                "d_z": fmt_num(s["d_z"], 2),
                "g_av": fmt_num(s["g_av"], 2),
                "flags": index_flags(s),
                "links": _report_links(reports, wid),
            }
        )
    return rows, synthetic


def index_markdown(reports: Path, processed: Path) -> str:
    """The Markdown of the current language's index page."""
    lang = current()
    rows, synthetic = _index_rows(reports, processed)
    pooled = _summary(reports, processed, POOLED_ID, lang)
    cover = _coverage(processed)
    if cover is not None and not cover.pooled:
        pooled = None
    n_pooled = len(pooled.get("workshops", [])) if pooled else 0
    pooled_none = (
        t("index_pooled_none", n_linked=len(cover.linked), n_min=MIN_POOLED)
        if cover is not None and not cover.pooled
        else ""
    )
    return _template().render(
        others=[
            {"name": locale(o).name, "href": index_href(None, lang, o)} for o in LANGS if o != lang
        ],
        title=t("index_title"),
        synthetic=synthetic,
        banner=Markup(banner()),
        intro=t("index_intro"),
        headings=[
            t("col_workshop"),
            t("col_directorate"),
            "n",
            t("col_gain_ci"),
            Markup("d<sub>z</sub>"),
            Markup("g<sub>av</sub>"),
            t("index_col_flags"),
            t("index_col_reports"),
        ],
        rows=rows,
        box=_pooled_box(pooled) if pooled else None,
        pooled_href=report_href(None, lang, POOLED_ID) if pooled else "",
        pooled_links=_report_links(reports, POOLED_ID) if pooled else [],
        pooled_link=t("index_pooled_link", n_workshops=n_pooled),
        pooled_none=pooled_none,
        forest=_forest(reports) if pooled else None,
    )


def _forest(reports: Path) -> dict | None:
    """The pooled report's forest plot as the index of the current language shows it: its link
    from the index, its alternative text, and the SHA-256 of its bytes (written into the page's
    Markdown, so that the index's key changes with the figure)."""
    lang = current()
    path = report_dir(reports, POOLED_ID, lang) / FOREST
    if not path.is_file():
        return None
    href = report_href(None, lang, POOLED_ID).removesuffix("report.html") + FOREST.as_posix()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"href": href, "alt": t("fig_forest_title"), "sha256": digest}


def _project_wrote(folder: Path) -> bool:
    """Whether ``folder`` is a report folder the build wrote (a real folder, not a link, with
    :data:`~analysis.atomic.MARKER` or the cache stamp)."""
    return (
        not folder.is_symlink()
        and folder.is_dir()
        and any(
            (folder / n).is_file() and not (folder / n).is_symlink() for n in (MARKER, CACHE_FILE)
        )
    )


def _remove_folder(folder: Path) -> None:
    """Remove a folder: first renamed out of the way in one step (so that it never looks half
    there), then deleted; leftovers of a killed removal are swept on the next call."""
    parent = folder.parent
    for left in parent.glob(f".{folder.name}.retired-*"):
        if not left.is_symlink() and left.is_dir():
            shutil.rmtree(left, ignore_errors=True)
    gone = Path(tempfile.mkdtemp(prefix=f".{folder.name}.retired-{os.getpid()}-", dir=parent))
    folder.rename(gone)
    shutil.rmtree(gone, ignore_errors=True)


def retire_reports(reports: Path, processed: Path) -> list[Path]:
    """Remove the report folders (every language) of workshops of the registry that now have no
    questionnaires, and the pooled report's when it is no longer made, if the build wrote them;
    returns the folders left in place because the project did not write them (not linked by the
    index)."""
    cover = _coverage(processed)
    if cover is None:
        return []
    retired = [*cover.without_questionnaires, *([] if cover.pooled else [POOLED_ID])]
    kept = []
    for lang in ALL_LANGS:
        for rid in retired:
            folder = report_dir(reports, rid, lang)
            if not (folder.exists() or folder.is_symlink()):
                continue
            if not folder.is_symlink():
                check_inside(folder, reports, f"the folder of report {rid!r}")
            if _project_wrote(folder):
                _remove_folder(folder)
            else:
                kept.append(folder)
    return kept


def index_key(inputs: str, lang: str) -> str:
    """The key of an index page: what it is made from (``inputs``: :func:`_index_inputs`, or its
    Markdown), its language, the package's source (the templates and catalogs among it) and
    the nbconvert that renders it."""
    from importlib import metadata

    h = hashlib.sha256(f"{lang}\n{metadata.version('nbconvert')}\n{inputs}".encode())
    update(h, _source())
    return h.hexdigest()


@functools.cache
def _source():
    """The package source's digests, once per process (a build's source does not change)."""
    return source_digests()


def _index_inputs(reports: Path, processed: Path, ids: list[str]) -> str:
    """Every file an index page is made from, as ``name digest`` lines (``-``: absent; names
    relative to their folder, so that a clone elsewhere finds its pages unchanged): the
    processed registry and flow, each report's (``ids``) results (``values.json`` of the
    results stage), and in every language whether ``report.html`` and ``report.pdf`` are
    there, and the pooled forest plot. Read without pandas, Jinja or Babel: an unchanged page
    is found unchanged without building its Markdown."""
    files = [(Path(processed) / n, f"processed/{n}") for n in (REGISTRY_FILE, "flow.csv")]
    results = results_dir(processed)
    files += [(results / rid / "values.json", f"results/{rid}/values.json") for rid in ids]
    lines = []
    for rid in ids:
        for other in ALL_LANGS:
            folder = report_dir(reports, rid, other)
            name = folder.relative_to(project_path(reports)).as_posix()
            files.append((folder / FOREST, f"{name}/{FOREST.as_posix()}"))
            lines += [f"{name}/{n} {(folder / n).is_file()}" for n in ("report.html", "report.pdf")]
    for path, name in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"
        lines.append(f"{name} {digest}")
    return "\n".join(lines)


def write_indexes(reports: Path, processed: Path) -> None:
    """Write the index page of every language that has reports (``reports/index.html``,
    ``reports/<lang>/index.html``), after removing the report folders of workshops without
    questionnaires (:func:`retire_reports`). A page is stamped with the :func:`index_key` of
    what it is made from (:func:`_index_inputs`); a page whose stamp is unchanged is left as it
    is, so that a build with nothing to do renders nothing."""
    retire_reports(reports, processed)
    ids = [POOLED_ID, *_registry(processed)]
    inputs = _index_inputs(reports, processed, ids)
    for lang in ALL_LANGS:  # a language built on request (sr-Cyrl) gets its index too
        base = report_dir(reports, POOLED_ID, lang).parent
        if not any((report_dir(reports, r, lang) / "report.html").is_file() for r in ids):
            continue
        stamp = f"<!-- analysis index {index_key(inputs, lang)} -->\n".encode()
        target = base / "index.html"
        if target.is_file() and not target.is_symlink() and target.read_bytes().endswith(stamp):
            continue
        with language(lang):
            page = _render_index(index_markdown(reports, processed)).encode("utf-8")
        atomic_write_bytes(target, page + stamp, within=reports)


def _render_index(markdown: str) -> str:
    """The index page's HTML in the current language: its Markdown as a one-cell notebook, by
    the reports' exporter."""
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_markdown_cell(markdown, id="index")])
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    return render_html(nb, t("index_title"), current())
