"""An executed notebook made ready to keep and to read: scrubbed, and rendered to HTML.

The reviewers' HTML has no code, no prompts, no parameter cells and none of the notebook's
``plan`` cells (the markdown that explains the notebook to a researcher), and no script: the
page loads nothing from outside the file (nbconvert's lab template would load require.js,
MathJax and mermaid from a CDN; no report needs them, and a ``$`` in a text stays a ``$``).
"""

from __future__ import annotations

import functools
import html
import re

from ..config import DEFAULT_LANG
from ..present.locale import t

__all__ = ["TEMPLATE", "scrub", "render_html"]

#: Cells with these tags are left out of the reviewers' HTML.
_HIDDEN_TAGS = frozenset({"injected-parameters", "parameters", "plan"})
_OUT_DIR = re.compile(r"^out_dir = .*$", re.MULTILINE)
_RERUN_OUT_DIR = "out_dir = None  # built by the build; a rerun by hand writes into scratch/"

#: What nbconvert writes where a figure has no alternative text.
_NBCONVERT_ALT = "No description has been provided for this image"
#: The reviewers' page: nbconvert's lab template without the blocks that load scripts from a CDN
#: (require.js, MathJax, mermaid, the widgets' renderer).
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
/* the report's tables: numbers never wrap, text columns left-aligned (present.display) */
.jp-RenderedHTMLCommon table.report-table { table-layout: auto; }
.jp-RenderedHTMLCommon table.report-table td.num {
  white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums;
}
.jp-RenderedHTMLCommon table.report-table td.text {
  white-space: normal; text-align: left; max-width: 36em;
}
.jp-RenderedHTMLCommon table.report-table th.num { white-space: normal; text-align: right; }
.jp-RenderedHTMLCommon table.report-table th.text { white-space: normal; text-align: left; }
</style>
{%- endblock extra_css -%}
"""


def scrub(nb, parameters: dict | None = None) -> None:
    """Drop what varies between runs (times, temporary paths) from an executed notebook.

    ``parameters`` are those to record in the notebook's metadata: a build runs a notebook into
    a temporary folder and records the report's own folder there. The injected parameters cell
    gets ``out_dir = None``, so that the executed notebook, run again by hand, writes into
    ``scratch/`` and never over the committed report.
    """
    meta = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {
        k: v for k, v in meta.items() if k in ("parameters", "default_parameters", "version")
    }
    if parameters is not None:
        nb.metadata["papermill"]["parameters"] = dict(parameters)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run
            cell.source = _OUT_DIR.sub(_RERUN_OUT_DIR, cell.source)


def _image_alts(nb) -> list[str]:
    """The alternative text of every PNG output, in order (empty where none was given)."""
    return [
        str(out.get("metadata", {}).get("image/png", {}).get("alt", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]


def render_html(nb, title: str = "Report", lang: str = DEFAULT_LANG) -> str:
    """Render an executed notebook for reviewers: no code, no prompts, no parameter or plan cells.

    The page is marked with its language. Every figure gets the alternative text its output
    carries (the figure's title, see ``present.display.Report.figure``); nbconvert's templates
    drop it and write a placeholder in English, which is replaced here image by image, or by a
    generic text in the report's language where the counts do not match.
    """
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = body.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    alts = _image_alts(nb)
    generic = t("fig_alt", lang)
    if body.count(_NBCONVERT_ALT) != len(alts):
        alts = []
    texts = iter(alts)
    return re.sub(
        re.escape(_NBCONVERT_ALT),
        lambda _: html.escape(next(texts, "") or generic, quote=True),
        body,
    )


@functools.cache
def _exporter():
    """One HTML exporter per process: its templates are loaded and compiled once."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = set(_HIDDEN_TAGS)
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(
        config=config,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[DictLoader({"police_report.html.j2": TEMPLATE})],
        template_file="police_report.html.j2",
    )
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exporter
