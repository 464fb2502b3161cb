"""A notebook run by hand (papermill, JupyterLab) rendered to HTML, as the build renders reports.

``python -m analysis render scratch/W2.ipynb`` writes ``scratch/W2.html`` with the reviewers'
exporter of :mod:`analysis.build.render` (no code, no prompts, no parameter or plan cells), in
the language the run was given (``lang`` of its papermill parameters). The page goes beside the
notebook, never into the committed ``reports/`` unless ``--out`` says so.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_write_bytes
from ..config import DEFAULT_LANG, LANGS, REPORTS, project_path
from ..errors import DataError
from .render import render_html

__all__ = ["render_notebook"]


def _notebook_lang(nb) -> str:
    """The language a notebook was run in: its papermill parameter ``lang``, else the default."""
    params = nb.metadata.get("papermill", {}).get("parameters", {})
    lang = params.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def render_notebook(
    notebook: str | Path, out: str | Path | None = None, reports: Path = REPORTS
) -> Path:
    """Render an executed notebook to ``out`` (default: beside it, ``.html``); returns the path.

    Raises :class:`DataError` when the notebook is missing or not a notebook, when it was not
    executed (no output at all), or when the default target lies inside ``reports`` (the
    committed reports are written by the build; ``out`` names a place explicitly)."""
    import nbformat

    path = project_path(notebook)
    if not path.is_file():
        raise DataError(f"{path}: no such notebook; give the .ipynb a papermill run wrote")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several kinds for a file that is no notebook
        detail = " ".join(str(exc).split())[:200]
        raise DataError(
            f"{path} is not a Jupyter notebook ({detail}); nothing was written"
        ) from None
    if not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"):
        raise DataError(
            f"{path} has no outputs: it was not executed. Run it first (papermill, see the "
            "README), then render the executed copy; nothing was written"
        )
    target = project_path(out) if out is not None else path.with_suffix(".html")
    inside = Path(reports).resolve()
    if out is None and (target.resolve() == inside or inside in target.resolve().parents):
        raise DataError(
            f"{target} would be written inside {reports}, which only the build writes: render "
            "a copy outside it, or name the page with --out; nothing was written"
        )
    page = render_html(nb, path.stem, _notebook_lang(nb))
    atomic_write_bytes(target, page.encode("utf-8"))
    return target
