"""The one home of the project's paths, languages, kernel and report layout.

Every default path, the list of report languages, the Jupyter kernel's name and the place of a
report (and the link from one report to another) are defined here and nowhere else. Paths
given relative are taken from the project root, whatever the working directory.

Import-light on purpose (only the standard library): the command line, the build's cache check
and the notebooks' parameter cells read it before anything heavy is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = [
    "PROJECT_ROOT",
    "SOURCE",
    "RAW",
    "PROCESSED",
    "REPORTS",
    "SCRATCH",
    "NOTEBOOKS",
    "WORKSHOP_NOTEBOOK",
    "POOLED_NOTEBOOK",
    "LOCALES",
    "Language",
    "LANGUAGES",
    "LANGS",
    "ALL_LANGS",
    "DEFAULT_LANG",
    "KERNEL",
    "KERNEL_DISPLAY_NAME",
    "POOLED_ID",
    "SIMULATOR_MANIFEST",
    "project_path",
    "relative_to_project",
    "report_dir",
    "scratch_dir",
    "report_href",
    "index_href",
]

#: The project folder (the one holding ``pyproject.toml``).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The package's source (hashed into the cache keys of the clean step and the reports).
SOURCE = PROJECT_ROOT / "src" / "analysis"

#: The raw folder: exports, workshop registry, codebook. Never written by code but ``simulate``.
RAW = PROJECT_ROOT / "data" / "raw"
#: What the clean step writes.
PROCESSED = PROJECT_ROOT / "data" / "processed"
#: The committed reports, written by ``build`` and ``report`` only.
REPORTS = PROJECT_ROOT / "reports"
#: Where a notebook run by hand (JupyterLab, papermill) writes its files by default; the test
#: suite points ``ANALYSIS_SCRATCH`` at a temporary folder.
SCRATCH = Path(os.environ.get("ANALYSIS_SCRATCH") or PROJECT_ROOT / "scratch")

NOTEBOOKS = PROJECT_ROOT / "notebooks"
WORKSHOP_NOTEBOOK = NOTEBOOKS / "workshop_report.ipynb"
POOLED_NOTEBOOK = NOTEBOOKS / "pooled_report.ipynb"

#: The message catalogs: ``locales/<catalog>/LC_MESSAGES/analysis.po`` (and its compiled ``.mo``)
#: per language, the template ``locales/analysis.pot`` extracted from ``present/messages.py``.
LOCALES = SOURCE / "locales"


@dataclass(frozen=True)
class Language:
    """A report language: its code (the folder under ``reports/``), its Babel locale (numbers,
    dates, plural rules), the gettext catalog it reads, and its writing conventions."""

    code: str
    #: Babel/CLDR locale identifier (decimal mark, grouping, month names, plural forms).
    babel: str
    #: The folder under ``locales/`` of its catalog (``sr-Cyrl`` reads Serbian's).
    catalog: str
    #: APA style drops the leading zero of a p-value (``p = .034``); most languages keep it.
    p_leading_zero: bool = True
    #: The script the catalog is transliterated into (``"Cyrl"``), or None to use it as written.
    transliterate: str | None = None
    #: Built by default (``build``); otherwise only on request (``--lang``).
    default: bool = True


#: Every language a report can be written in; adding one is one line here and one ``.po`` file.
LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en_GB", "en", p_leading_zero=False),
    "sq": Language("sq", "sq_XK", "sq"),
    "sr": Language("sr", "sr_Latn_XK", "sr"),
    "sr-Cyrl": Language("sr-Cyrl", "sr_Cyrl_XK", "sr", transliterate="Cyrl", default=False),
}
#: Every language a report can be built in (``--lang``).
ALL_LANGS: tuple[str, ...] = tuple(LANGUAGES)
#: The languages of a default build, in build order; the first is the default language and lives
#: at the top of reports/.
LANGS: tuple[str, ...] = tuple(code for code, lang in LANGUAGES.items() if lang.default)
DEFAULT_LANG = LANGS[0]

#: The Jupyter kernel the notebooks run on (installed into .venv by ``make install``).
KERNEL = "police-training"
KERNEL_DISPLAY_NAME = "Python (police-training)"

#: The report id of the analysis over all workshops.
POOLED_ID = "pooled"
#: Where the simulator records the hashes of the files it wrote, relative to the raw folder.
SIMULATOR_MANIFEST = Path("synthetic") / "manifest.json"


def project_path(path: str | os.PathLike) -> Path:
    """A path given relative to the project root, as an absolute path.

    >>> project_path("data/raw") == RAW
    True
    """
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path


def relative_to_project(path: str | os.PathLike) -> str:
    """A path as written into notebook parameters: relative to the project root when inside it.

    >>> relative_to_project(REPORTS / "W1")
    'reports/W1'
    """
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _lang_parts(lang: str) -> tuple[str, ...]:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(ALL_LANGS)}, not {lang!r}")
    return () if lang == DEFAULT_LANG else (lang,)


def report_dir(reports: str | os.PathLike, report_id: str, lang: str = DEFAULT_LANG) -> Path:
    """Where a report lives: ``reports/<id>`` in the default language, else ``reports/<lang>/<id>``.

    >>> report_dir("reports", "W2", "sq").relative_to(PROJECT_ROOT).as_posix()
    'reports/sq/W2'
    """
    return project_path(reports).joinpath(*_lang_parts(lang), report_id)


def scratch_dir(report_id: str, lang: str = DEFAULT_LANG) -> Path:
    """Where a report run by hand writes: the report's place under :data:`SCRATCH`."""
    return report_dir(SCRATCH, report_id, lang)


def _language_root(lang: str) -> PurePosixPath:
    return PurePosixPath(*_lang_parts(lang)) if _lang_parts(lang) else PurePosixPath(".")


def _relative(target: PurePosixPath, start: PurePosixPath) -> str:
    return os.path.relpath(target.as_posix(), start.as_posix()).replace(os.sep, "/")


def report_href(from_id: str | None, from_lang: str, to_id: str, to_lang: str | None = None) -> str:
    """The relative link from one page to the report ``to_id`` in ``to_lang``.

    ``from_id`` ``None`` means the index page of ``from_lang``.

    >>> report_href("W1", "en", "W1", "sq"), report_href(None, "sq", "pooled")
    ('../sq/W1/report.html', 'pooled/report.html')
    """
    start = _language_root(from_lang) / from_id if from_id else _language_root(from_lang)
    target = _language_root(to_lang or from_lang) / to_id / "report.html"
    return _relative(target, start)


def index_href(from_id: str | None, from_lang: str, to_lang: str | None = None) -> str:
    """The relative link from a page (a report, or an index when ``from_id`` is None) to the
    index of ``to_lang``.

    >>> index_href("W1", "sq"), index_href(None, "en", "sq"), index_href(None, "sq", "en")
    ('../index.html', 'sq/index.html', '../index.html')
    """
    start = _language_root(from_lang) / from_id if from_id else _language_root(from_lang)
    return _relative(_language_root(to_lang or from_lang) / "index.html", start)
