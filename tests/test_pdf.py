"""The PDFs for the file (issue 15, point 5): A4, page numbers, the synthetic banner on every
page, vector figures, every section heading, deterministic bytes, written atomically; and one
line, exit status 2, when Pango is missing."""

from __future__ import annotations

import re
import shutil
import sys

import pytest

from analysis import __main__ as cli
from analysis.build import pdf
from analysis.build.cache import outputs_digest
from analysis.config import REPORTS, report_dir
from analysis.present.locale import t

pypdf = pytest.importorskip("pypdf")
A4 = (595.28, 841.89)  # points


def _headings(page: str, level: int) -> list[str]:
    found = re.findall(rf"<h{level}[^>]*>(.*?)<a class=\"anchor-link\"", page)
    return [re.sub(r"<[^>]+>", "", h).replace("&amp;", "&").strip() for h in found]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """W1 (en), the pooled report (sq) and the index, copied and rendered to PDF once."""
    out = tmp_path_factory.mktemp("pdf")
    cases = {}
    for rid, lang in (("W1", "en"), ("pooled", "sq")):
        source = report_dir(REPORTS, rid, lang)
        if not (source / "report.html").is_file():
            pytest.skip("no committed reports (run make reports)")
        target = out / lang / rid
        shutil.copytree(source, target)
        cases[(rid, lang)] = (target / "report.html", pdf.html_to_pdf(target / "report.html", lang))
    index = REPORTS / "index.html"
    cases[("index", "en")] = (index, pdf.html_to_pdf(index, "en"))
    return cases


@pytest.mark.parametrize("case", [("W1", "en"), ("pooled", "sq"), ("index", "en")])
def test_each_pdf_opens_a4_numbered_bannered_with_its_title_and_every_heading(rendered, case):
    import io

    page_path, data = rendered[case]
    lang = case[1]
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [_flat(p.extract_text()) for p in reader.pages]
    assert len(pages) >= 1
    for page in reader.pages:
        assert tuple(round(float(v), 2) for v in page.mediabox[2:]) == A4
    html_text = page_path.read_text(encoding="utf-8")
    title = _headings(html_text, 1)[0]
    assert _flat(title) in pages[0]
    everything = " ".join(pages)
    for heading in _headings(html_text, 2):
        assert _flat(heading) in everything, heading
    banner = _flat(t("synthetic_banner", lang))
    for number, text in enumerate(pages, start=1):
        assert banner in text, number  # the banner at the head of every page
        assert f"{number} / {len(pages)}" in text  # the page number and count at its foot
    assert reader.metadata["/CreationDate"].startswith("D:20210316")


def test_figures_are_vectors_not_the_screen_png(rendered):
    import io

    page_path, data = rendered[("W1", "en")]
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert sum(len(p.images) for p in reader.pages) == 0  # every figure drawn from its SVG
    swapped = pdf.vector_figures(page_path.read_text(encoding="utf-8"), page_path.parent)
    assert 'src="data:image/png' not in swapped and swapped.count('.svg"') >= 5


def test_the_same_page_gives_the_same_pdf(rendered):
    page_path, data = rendered[("W1", "en")]
    assert pdf.html_to_pdf(page_path, "en") == data


def test_write_pdfs_writes_beside_each_page_atomically_and_skips_unchanged(tmp_path):
    reports = tmp_path / "reports"
    source = report_dir(REPORTS, "W2")
    if not (source / "report.html").is_file():
        pytest.skip("no committed reports")
    shutil.copytree(source, reports / "W2")
    before = outputs_digest(reports / "W2")
    written = pdf.write_pdfs(reports, ["en"])
    assert written == [reports / "W2" / "report.pdf"]
    assert outputs_digest(reports / "W2") == before  # the report's cache is not invalidated
    assert not [p for p in (reports / "W2").iterdir() if ".tmp-" in p.name]
    assert pdf.write_pdfs(reports, ["en"]) == []  # unchanged page: left as it is
    assert pdf.write_pdfs(reports, ["en"], force=True) == written


def test_a_missing_pango_is_one_line_and_exit_status_2(tmp_path, monkeypatch, capsys):
    reports = tmp_path / "reports"
    shutil.copytree(report_dir(REPORTS, "W2"), reports / "W2")
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without Pango
    assert cli.main(["pdf", "--reports", str(reports)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("error: PDF needs WeasyPrint and the Pango text library")
    assert "install Pango" in err
    assert not (reports / "W2" / "report.pdf").exists()
