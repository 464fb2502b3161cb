"""Run the report notebooks with papermill, render them for reviewers, and write the index.

Each report (one per workshop and one pooled, per language) is executed in a worker process,
rendered to HTML with the code hidden, and moved into place only when everything succeeded.
A content-addressed cache skips reports whose inputs (processed data, notebook, the source of
``src/analysis/``, parameters) are unchanged.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from ..atomic import atomic_dir, atomic_write_bytes
from ..errors import DataError
from ..present.text import t
from ..config import KERNEL, LANGS, POOLED_NOTEBOOK, PROJECT_ROOT, SOURCE, WORKSHOP_NOTEBOOK

OUT_ENV = "ANALYSIS_REPORT_OUT"
CACHE_FILE = ".build-key"
START_ERRORS = ("Address already in use", "Kernel didn't respond", "kernel_info", "timed out")


class ReportError(Exception):
    """A notebook failed; the message names the report, the cell and the error."""

    exit_status = 1


class NotebookFailed(Exception):
    """A cell of a notebook raised (carries ``cell N: Error: message``)."""


def project_path(path: str | os.PathLike) -> Path:
    """Resolve a path given relative to the project root (whatever the working directory)."""
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path


def output_dir(reports_dir: str | os.PathLike, report_id: str, lang: str = "en") -> Path:
    """Where a report writes its files: ``reports/<id>`` (English) or ``reports/sq/<id>``.

    The ``ANALYSIS_REPORT_OUT`` environment variable overrides it: the build points it at a
    temporary folder that is moved into place at the end, and the tests at a scratch folder.
    """
    override = os.environ.get(OUT_ENV)
    if override:
        return Path(override)
    base = project_path(reports_dir)
    return base / report_id if lang == "en" else base / lang / report_id


@dataclass(frozen=True)
class Job:
    """One report to produce."""

    report_id: str
    lang: str
    notebook: Path
    parameters: dict = field(hash=False)

    @property
    def label(self) -> str:
        """Short name for messages, e.g. ``W2 (sq)``."""
        return f"{self.report_id} ({self.lang})"


def _file_digests(paths: list[Path], root: Path) -> tuple[tuple[bytes, bytes], ...]:
    return tuple(
        (p.relative_to(root).as_posix().encode(), hashlib.sha256(p.read_bytes()).digest())
        for p in paths
    )


def _update(h: hashlib._Hash, digests: tuple[tuple[bytes, bytes], ...]) -> None:
    for name, digest in digests:
        h.update(name)
        h.update(digest)


def data_fingerprint(processed: Path) -> str:
    """SHA-256 over the processed data files (names and bytes; hidden files left out)."""
    h = hashlib.sha256()
    files = sorted(p for p in processed.iterdir() if p.is_file() and not p.name.startswith("."))
    _update(h, _file_digests(files, processed))
    return h.hexdigest()


def outputs_digest(folder: Path) -> str:
    """SHA-256 over the files of a report folder (names and bytes), its cache stamp left out.

    Recorded in the stamp when the report is written, so that a report folder edited or
    overwritten since (a notebook run by hand into ``reports/``, say) counts as stale.
    """
    h = hashlib.sha256()
    if folder.is_dir():
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CACHE_FILE)
        _update(h, _file_digests(files, folder))
    return h.hexdigest()


@dataclass(frozen=True)
class Inputs:
    """Digests of what the reports depend on, read once per run (not once per report)."""

    data: str
    source: tuple[tuple[bytes, bytes], ...]
    notebooks: dict = field(hash=False)

    @classmethod
    def read(cls, processed: Path, notebooks: list[Path] | None = None) -> Inputs:
        """Hash the processed data, ``src/analysis/*.py`` and the given notebooks."""
        books = notebooks or [WORKSHOP_NOTEBOOK, POOLED_NOTEBOOK]
        return cls(
            data=data_fingerprint(processed),
            source=_file_digests(sorted(SOURCE.rglob("*.py")), SOURCE),
            notebooks={nb: hashlib.sha256(nb.read_bytes()).digest() for nb in set(books)},
        )


def cache_key(job: Job, processed: Path, inputs: Inputs | None = None) -> str:
    """Content address of a report: processed data, notebook, analysis source, parameters.

    ``inputs`` (from :meth:`Inputs.read`) saves re-reading the files for every report of a run;
    the key is the same either way.
    """
    if inputs is None or job.notebook not in inputs.notebooks:
        inputs = Inputs.read(processed, [job.notebook])
    h = hashlib.sha256()
    h.update(inputs.data.encode())
    h.update(inputs.notebooks[job.notebook])
    _update(h, inputs.source)
    h.update(json.dumps(job.parameters, sort_keys=True).encode())
    return h.hexdigest()


def stale_jobs(
    jobs: list[Job], processed: Path, reports: Path, force: bool = False
) -> list[tuple[Job, Path, str]]:
    """The jobs to execute, as ``(job, target folder, cache key)``, in the order to run them.

    A report is fresh (left out) when its folder's ``.build-key`` stamp holds the job's current
    :func:`cache_key` and the folder's files are still those written with it
    (:func:`outputs_digest`); ``force`` makes every job stale. Pooled reports come first:
    they are the longest, so starting them early keeps every worker busy until the end.
    """
    inputs = Inputs.read(processed, [job.notebook for job in jobs])
    stale = []
    for job in jobs:
        target = output_dir(reports, job.report_id, job.lang)
        key = cache_key(job, processed, inputs)
        stamp = _stamp(target)
        if force or stamp.get("key") != key or stamp.get("outputs") != outputs_digest(target):
            stale.append((job, target, key))
    return sorted(stale, key=lambda s: s[0].report_id != "pooled")


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def plan(
    processed: Path,
    reports: Path,
    workshops: list[str] | None = None,
    langs: list[str] | None = None,
    pooled: bool = True,
) -> list[Job]:
    """The reports to produce, after checking the processed data and the workshop names."""
    flow_path = processed / "flow.csv"
    if not flow_path.is_file():
        raise DataError(
            f"{processed}: holds no processed data (flow.csv is missing). Run "
            "'python -m analysis clean' first, or 'python -m analysis build'."
        )
    known = [row["workshop_id"] for row in _read_rows(flow_path)]
    chosen = known if not workshops else []
    for w in workshops or []:
        match = [k for k in known if k.lower() == w.strip().lower()]
        if not match:
            raise DataError(
                f"--workshop {w}: no such workshop in {flow_path}. Accepted: {', '.join(known)}."
            )
        chosen.append(match[0])
    common = {
        "processed_dir": _param_path(processed),
        "reports_dir": _param_path(reports),
    }
    jobs = []
    for lang in langs or LANGS:
        for w in chosen:
            params = {"workshop_id": w, **common, "lang": lang}
            jobs.append(Job(w, lang, WORKSHOP_NOTEBOOK, params))
        if pooled:
            jobs.append(Job("pooled", lang, POOLED_NOTEBOOK, {**common, "lang": lang}))
    return jobs


def _param_path(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _scrub(nb) -> None:
    """Drop what varies between runs (times, temporary paths) from an executed notebook."""
    meta = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {
        k: v for k, v in meta.items() if k in ("parameters", "default_parameters", "version")
    }
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run


NBCONVERT_ALT = "No description has been provided for this image"


def _image_alts(nb) -> list[str]:
    """The alternative text of every PNG output, in order (empty where none was given)."""
    return [
        str(out.get("metadata", {}).get("image/png", {}).get("alt", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]


def render_html(nb, title: str = "Report", lang: str = "en") -> str:
    """Render an executed notebook for reviewers: no code, no prompts, no parameter cells.

    The page is marked with its language. Every figure gets the alternative text its output
    carries (the figure's title, see ``reporting.figure_saver``); nbconvert's templates drop
    it and write a placeholder in English, which is replaced here image by image, or by a
    generic text in the report's language where the counts do not match.
    """
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = body.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    alts = _image_alts(nb)
    generic = t("fig_alt", lang)
    if body.count(NBCONVERT_ALT) != len(alts):
        alts = []
    texts = iter(alts)
    return re.sub(
        re.escape(NBCONVERT_ALT),
        lambda _: html.escape(next(texts, "") or generic, quote=True),
        body,
    )


@functools.cache
def _exporter():
    """One HTML exporter per process: its templates are loaded and compiled once."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {"injected-parameters", "parameters"}
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(
        config=config, exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exporter


def directorate_name(facts: dict, lang: str) -> str:
    """The directorate's name in the report's language (``directorate_sq`` when given)."""
    if lang == "sq" and isinstance(facts.get("directorate_sq"), str) and facts["directorate_sq"]:
        return facts["directorate_sq"]
    return str(facts["directorate"])


@functools.cache
def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def _kernel_options() -> dict:
    """Keyword arguments for papermill's notebook client about the kernel.

    Curve transport encryption where the kernelspec supports it (ipykernel 7.3+ warns on every
    start without it), and the kernel's own log kept to critical messages: jupyter_client
    interrupts the kernel before shutting it down, which ipykernel logs as an error after every
    notebook. Errors in the notebook's code still reach the report as cell errors.
    """
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport_encryption = "auto"
    return {"config": config, "extra_arguments": ["--IPKernelApp.log_level=CRITICAL"]}


def execute(job: Job, target: Path, key: str, processed: Path, data: str | None = None) -> dict:
    """Execute one notebook into a temporary folder, render it, move it to ``target``.

    Runs in a worker process. Returns ``{"label", "seconds"}`` or ``{"label", "error"}``.
    """
    import nbformat
    import papermill as pm

    started = time.perf_counter()
    with atomic_dir(target) as tmp:
        previous = os.environ.get(OUT_ENV)
        os.environ[OUT_ENV] = str(tmp)
        try:
            for attempt in (1, 2):
                try:
                    nb = pm.execute_notebook(
                        str(job.notebook),
                        None,
                        parameters=job.parameters,
                        kernel_name=_kernel_name(),
                        progress_bar=False,
                        request_save_on_cell_execute=False,
                        cwd=str(PROJECT_ROOT),
                        **_kernel_options(),
                    )
                    break
                except pm.PapermillExecutionError as exc:
                    # raised, not returned: leaving the with-block normally would move the
                    # half-written folder over the earlier report (issue 5, atomic outputs)
                    raise NotebookFailed(
                        f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
                    ) from exc
                except Exception as exc:  # kernel start-up races: retry once
                    if attempt == 2 or not any(s in str(exc) for s in START_ERRORS):
                        raise
        finally:
            if previous is None:
                os.environ.pop(OUT_ENV, None)
            else:
                os.environ[OUT_ENV] = previous
        _scrub(nb)
        nbformat.write(nb, tmp / "report.ipynb")
        title = t("index_title", job.lang)
        if job.report_id != "pooled":
            title = f"{job.report_id}: {title}"
        (tmp / "report.html").write_text(render_html(nb, title, job.lang), encoding="utf-8")
        stamp = {
            "key": key,
            "processed": data or data_fingerprint(processed),
            "outputs": outputs_digest(tmp),
        }
        (tmp / CACHE_FILE).write_text(json.dumps(stamp) + "\n")
    return {"label": job.label, "seconds": time.perf_counter() - started}


def _run_job(job: Job, target: Path, key: str, processed: Path, data: str) -> dict:
    try:
        return execute(job, target, key, processed, data)
    except NotebookFailed as exc:  # a cell raised; the earlier report is left as it was
        return {"label": job.label, "error": str(exc), "failed": True}
    except Exception as exc:  # reported by the parent with the report's name
        return {"label": job.label, "error": f"{type(exc).__name__}: {exc}", "failed": True}


def run_reports(
    processed: Path,
    reports: Path,
    *,
    workshops: list[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    langs: list[str] | None = None,
    quiet: bool = False,
) -> list[dict]:
    """Produce the reports (in parallel up to ``jobs``) and the index pages.

    Reports whose cache key is unchanged are skipped unless ``force``. A failing notebook leaves
    its earlier report as it was; the run then ends with :class:`ReportError`.
    """
    processed, reports = project_path(processed), project_path(reports)
    todo = plan(processed, reports, workshops, langs)
    stale = stale_jobs(todo, processed, reports, force)
    run = {s[0] for s in stale}
    results = [{"label": job.label, "cached": True} for job in todo if job not in run]
    data = data_fingerprint(processed)
    pending = [(job, target, key, processed, data) for job, target, key in stale]
    if pending:
        from tqdm import tqdm

        workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(_run_job, *p) for p in pending]
            bar = tqdm(
                as_completed(futures),
                total=len(futures),
                desc="reports",
                unit="nb",
                disable=quiet,
                file=sys.stderr,
            )
            for fut in bar:
                results.append(fut.result())
    write_indexes(reports, processed)
    failed = [r for r in results if r.get("failed")]
    if not quiet:
        done = [r for r in results if "seconds" in r]
        print(
            f"reports: {len(done)} executed, {sum('cached' in r for r in results)} unchanged "
            f"(cache), {len(failed)} failed; index at {reports / 'index.html'}"
        )
        for note in stale_reports(reports, processed, data):
            print(note)
    if failed:
        lines = "; ".join(f"{r['label']} failed in {r['error']}" for r in failed)
        raise ReportError(f"{lines}. The earlier versions of these reports were left as they were.")
    return results


def _stamp(folder: Path) -> dict:
    try:
        return json.loads((folder / CACHE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def stale_reports(reports: Path, processed: Path, current: str | None = None) -> list[str]:
    """Notes for report folders built from other processed data than the current one."""
    current = current or data_fingerprint(processed)
    notes = []
    for stamp in sorted(reports.glob(f"**/{CACHE_FILE}")):
        shown = _stamp(stamp.parent).get("processed")
        if shown and shown != current:
            notes.append(
                f"note: {stamp.parent.relative_to(reports)} shows older processed data than "
                f"{processed}; rerun 'python -m analysis report' to update it"
            )
    return notes


def write_indexes(reports: Path, processed: Path) -> None:
    """Write ``reports/index.html`` and ``reports/sq/index.html`` from the summaries present."""
    from ..present.text import fmt_ci, fmt_date, fmt_num

    registry = processed / "workshops.csv"
    facts = {}
    if registry.is_file():
        for row in _read_rows(registry):
            for lang in LANGS:
                facts[(row["workshop_id"], lang)] = (
                    f"{directorate_name(row, lang)}, {fmt_date(row['date'], lang)}"
                )
    for lang in LANGS:
        base = reports if lang == "en" else reports / lang
        if not (base / "pooled" / "summary.json").is_file() and not list(base.glob("W*/")):
            continue
        rows, synthetic = [], False
        pooled = base / "pooled" / "summary.json"
        ids = []
        if pooled.is_file():
            ids = [w["workshop_id"] for w in json.loads(pooled.read_text())["workshops"]]
        ids = ids or sorted(p.parent.name for p in base.glob("W*/summary.json"))
        for wid in ids:
            s_path = base / wid / "summary.json"
            if not s_path.is_file():
                continue
            s = json.loads(s_path.read_text())
            s["directorate"] = facts.get((wid, lang), "")
            synthetic |= bool(s.get("synthetic"))
            ci = fmt_ci(s["diff_ci_low"], s["diff_ci_high"], lang, 1)
            rows.append(
                "<tr>"
                f"<td><a href='{wid}/report.html'>{html.escape(wid)}</a></td>"
                f"<td>{html.escape(s.get('directorate', ''))}</td>"
                f"<td>{s['n_paired']}</td>"
                f"<td>{fmt_num(s['diff_mean'], lang, 1)} {ci}</td>"
                f"<td>{fmt_num(s['d_z'], lang, 2)}</td>"
                f"<td>{fmt_num(s['g_av'], lang, 2)}</td>"
                "</tr>"
            )
        other = "sq/index.html" if lang == "en" else "../index.html"
        banner = f"<p class='banner'>{t('synthetic_banner', lang)}</p>" if synthetic else ""
        pooled_link = (
            f"<p><a href='pooled/report.html'>{t('index_pooled_link', lang)}</a></p>"
            if pooled.is_file()
            else ""
        )
        page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{t("index_title", lang)}</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }}
table {{ border-collapse: collapse; }}
td, th {{ border-bottom: 1px solid #ccc; padding: .4rem .8rem; }}
.banner {{ background: #fde68a; border: 2px solid #b45309; padding: .6rem;
  font-weight: bold; }}
</style></head><body>
<p style="text-align:right"><a href="{other}">{t("index_other_language", lang)}</a></p>
<h1>{t("index_title", lang)}</h1>
{banner}
<p>{t("index_intro", lang)}</p>
<table><thead><tr><th>{t("col_workshop", lang)}</th><th>{t("col_directorate", lang)}</th>
<th>n</th><th>{t("col_gain_ci", lang)}</th><th>d<sub>z</sub></th><th>g<sub>av</sub></th>
</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{pooled_link}
</body></html>
"""
        atomic_write_bytes(base / "index.html", page.encode("utf-8"))
