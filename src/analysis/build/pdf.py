"""The reports for the file: every ``report.html`` and index page rendered to PDF (WeasyPrint).

``python -m analysis pdf`` (and ``build --pdf``, ``make pdf``) writes ``report.pdf`` beside each
``report.html`` and ``index.pdf`` beside each ``index.html``: A4, the page number and the page
count at the foot of every page, the synthetic-data banner at the head of every page when the
report carries it, the figures drawn from their SVG (vector, crisp at any zoom) instead of the
screen PNG. A PDF is written through a temporary file and one rename
(:func:`analysis.atomic.atomic_write_bytes`); it carries no date of its making (its creation
and modification dates are fixed), so that the same page gives the same bytes. A PDF whose page
is unchanged since it was written (its key, in the hidden ``.<name>.pdf-key`` beside it, is the
page's digest and this module's) is left as it is.

WeasyPrint is pure Python over the Pango text library; where Pango is missing, the command
stops with one line saying what to install (:class:`analysis.errors.DataError`, exit status 2).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..config import LANGS, POOLED_ID, report_dir
from ..errors import DataError
from ..present.locale import t

__all__ = [
    "REPORT_PDF",
    "vector_figures",
    "html_to_pdf",
    "write_pdfs",
]

#: The PDF of a report, beside its ``report.html`` (left out of the report's cache digest: it is
#: made from the page, which the digest holds).
REPORT_PDF = "report.pdf"
#: The creation and modification date written into every PDF (the first workshop's day).
_PDF_DATE = "2021-03-16T00:00:00+00:00"

#: The print style sheet: A4, margins, the page number and count, tables and figures that fit.
_PRINT_CSS = """
@page {
  size: A4;
  margin: 22mm 14mm 18mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; }
}
html, body { background: white; }
body { font-size: 9.5pt; }
.anchor-link { display: none; }
.jp-Cell, .jp-OutputArea-output, .jp-RenderedHTMLCommon {
  padding: 0; margin: 0; overflow: visible;
}
table.report-table { font-size: 7pt !important; width: auto; max-width: 100%; }
table.report-table th { white-space: normal !important; }
table.report-table td, table.report-table th { padding: 0.15em 0.3em !important; }
img { max-width: 100%; height: auto; }
h1, h2, h3 { break-after: avoid; }
tr, img { break-inside: avoid; }
"""


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _print_css(page: str, lang: str) -> str:
    """The print style sheet for one page: :data:`_PRINT_CSS`, and the synthetic-data banner at
    the head of every page when the page carries it."""
    banner = t("synthetic_banner", lang)
    if html.escape(banner, quote=False) not in page and banner not in page:
        return _PRINT_CSS
    return _PRINT_CSS + (
        "@page { @top-center { content: "
        f"{_css_string(banner)}; font-size: 7.5pt; font-weight: bold; color: #78350f; "
        "background: #fde68a; border: 1pt solid #b45309; padding: 1.5mm 3mm; "
        "width: 100%; vertical-align: middle; } }\n"
    )


_IMG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')


def vector_figures(page: str, folder: Path) -> str:
    """``page`` with every PNG figure that ``folder/figures/<name>.png`` holds byte for byte
    replaced by ``<name>.svg`` beside it (vector, crisp in print); other images are kept."""
    figures = folder / "figures"
    svgs = {}
    if figures.is_dir():
        for png in sorted(figures.glob("*.png")):
            svg = png.with_suffix(".svg")
            if svg.is_file():
                svgs[hashlib.sha256(png.read_bytes()).hexdigest()] = svg

    def swap(match: re.Match) -> str:
        data = base64.b64decode("".join(match.group(1).split()))
        svg = svgs.get(hashlib.sha256(data).hexdigest())
        return f'src="{svg.resolve().as_uri()}"' if svg else match.group(0)

    return _IMG.sub(swap, page)


def _weasyprint():
    """The WeasyPrint module, or a one-line :class:`DataError` when it or Pango is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise DataError(
            "PDF needs WeasyPrint and the Pango text library, which could not be loaded "
            f"({' '.join(str(exc).split())[:120]}): install Pango (Debian/Ubuntu: apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango) and run again; the HTML "
            "reports are complete without it"
        ) from None
    return weasyprint


def html_to_pdf(page_path: Path, lang: str) -> bytes:
    """The PDF of one HTML page (a report or an index) in ``lang``: deterministic bytes."""
    weasyprint = _weasyprint()
    page_path = Path(page_path)
    page = page_path.read_text(encoding="utf-8")
    page = vector_figures(page, page_path.parent)
    document = weasyprint.HTML(string=page, base_url=page_path.parent.resolve().as_uri()).render(
        stylesheets=[weasyprint.CSS(string=_print_css(page, lang))]
    )
    document.metadata.created = _PDF_DATE
    document.metadata.modified = _PDF_DATE
    document.metadata.generator = "analysis"
    with _fixed_font_dates():
        return document.write_pdf(pdf_identifier=b"analysis-report")


@contextlib.contextmanager
def _fixed_font_dates() -> Iterator[None]:
    """Subset fonts stamped with :data:`_PDF_DATE`, not the time of the run: fontTools writes
    the current time into each embedded font's ``head`` table unless ``SOURCE_DATE_EPOCH`` says
    which time to write (the reproducible-builds convention), so every render differed."""
    from datetime import datetime

    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.fromisoformat(_PDF_DATE).timestamp()))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _pdf_targets(reports: Path, langs: Iterable[str] | None = None) -> list[tuple[Path, str]]:
    """Every page to render, with its language: each report's ``report.html`` (workshops and
    pooled) and each index page, in the order of :data:`analysis.config.LANGS`."""
    found = []
    for lang in langs or LANGS:
        base = report_dir(reports, POOLED_ID, lang).parent
        if (base / "index.html").is_file():
            found.append((base / "index.html", lang))
        for page in sorted(base.glob("*/report.html")):
            if page.parent.name not in LANGS:
                found.append((page, lang))
    return found


def _key(page: Path) -> str:
    h = hashlib.sha256(page.read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def write_pdfs(
    reports: Path, langs: Iterable[str] | None = None, force: bool = False
) -> list[Path]:
    """Render every page of :func:`_pdf_targets` to ``<page>.pdf`` beside it (atomically), skipping
    a PDF whose page is unchanged; returns the PDFs written."""
    reports = Path(reports)
    targets = _pdf_targets(reports, langs)
    if targets:
        _weasyprint()  # fails once, before anything, when Pango is missing
    written = []
    for page, lang in targets:
        pdf = page.with_suffix(".pdf")
        stamp = pdf.parent / f".{pdf.stem}.pdf-key"
        key = _key(page)
        if not force and pdf.is_file() and stamp.is_file() and stamp.read_text() == key:
            continue
        atomic_write_bytes(pdf, html_to_pdf(page, lang), within=reports)
        atomic_write_bytes(stamp, key.encode(), within=reports)
        written.append(pdf)
    return written
