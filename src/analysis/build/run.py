"""Run the report notebooks with papermill in a pool of workers, render them, write the index.

Each report (one per workshop and one pooled, per language) is executed in a worker process
into a temporary folder beside its own, rendered to HTML, and moved into place only when
everything succeeded (:func:`analysis.atomic.atomic_dir`). Reports whose cache key is
unchanged are skipped (:mod:`analysis.build.cache`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from multiprocessing.util import Finalize
from pathlib import Path

from ..atomic import (
    MARKER,
    abandon,
    atomic_dir,
    check_output_folder,
    check_replaceable,
    guarded,
    write_marker,
)
from ..config import (
    KERNEL,
    POOLED_ID,
    PROJECT_ROOT,
    project_path,
    relative_to_project,
)
from ..errors import DataError, NotebookFailed, ReportError
from ..present.locale import t
from .cache import CACHE_FILE, data_fingerprint, stale_jobs, stale_reports, write_stamp
from .index import write_indexes
from .plan import Job, plan
from .render import render_html, scrub
from .warm import ENGINE, register_engine, shutdown

__all__ = ["Workers", "execute", "run_reports"]

#: Kernel start-up failures worth one retry (port races between parallel workers).
_START_ERRORS = ("Address already in use", "Kernel didn't respond", "kernel_info", "timed out")


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


def _papermill(job: Job, parameters: dict):
    """Execute the job's notebook with ``parameters``; a failing cell raises NotebookFailed."""
    import papermill as pm

    register_engine()
    for attempt in (1, 2):
        try:
            return pm.execute_notebook(
                str(job.notebook),
                None,
                parameters=parameters,
                kernel_name=_kernel_name(),
                engine_name=ENGINE,
                progress_bar=False,
                request_save_on_cell_execute=False,
                cwd=str(PROJECT_ROOT),
                **_kernel_options(),
            )
        except pm.PapermillExecutionError as exc:
            # raised, not returned: leaving the atomic folder normally would move the
            # half-written folder over the earlier report
            raise NotebookFailed(f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}") from exc
        except Exception as exc:  # kernel start-up races: retry once
            if attempt == 2 or not any(s in str(exc) for s in _START_ERRORS):
                raise
    raise AssertionError("unreachable")


def execute(job: Job, key: str, data: str) -> dict:
    """Execute one notebook into a temporary folder, render it, move it to the job's folder.

    Runs in a worker process. The notebook gets the temporary folder as its ``out_dir``; the
    saved notebook records the report's own folder. Returns ``{"label", "seconds"}``.
    """
    import nbformat

    started = time.perf_counter()
    with atomic_dir(job.target, within=job.root, owned=[CACHE_FILE], marker="report") as tmp:
        ran_with = {**job.parameters, "out_dir": relative_to_project(tmp)}
        nb = _papermill(job, ran_with)
        scrub(nb, job.parameters)
        nbformat.write(nb, tmp / "report.ipynb")
        title = t("index_title", job.lang)
        if job.report_id != POOLED_ID:
            title = f"{job.report_id}: {title}"
        (tmp / "report.html").write_text(render_html(nb, title, job.lang), encoding="utf-8")
        write_stamp(tmp, key, data)
    return {"label": job.label, "seconds": time.perf_counter() - started}


def _run_job(job: Job, key: str, data: str) -> dict:
    try:
        return execute(job, key, data)
    except NotebookFailed as exc:  # a cell raised; the earlier report is left as it was
        return {"label": job.label, "error": str(exc), "failed": True}
    except Exception as exc:  # reported by the parent with the report's name
        return {"label": job.label, "error": f"{type(exc).__name__}: {exc}", "failed": True}


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's ``/proc``; none found elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kill(pid: int, sig: int) -> None:
    """Send ``sig`` to the process group ``pid`` leads (a kernel leads a session of its own),
    else to ``pid`` (a worker, in the build's group)."""
    with contextlib.suppress(OSError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def _worker_stop(signum, frame) -> None:
    """A worker told to stop: kill its kernels (each leads a session of its own, as
    jupyter_client starts it), remove its temporary folder, end without a traceback. Guarded:
    a swap under way is finished first, none is started after."""
    for sig in _STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    kernels = _children(os.getpid())
    for pid in kernels:
        _kill(pid, signal.SIGKILL)
    for pid in kernels:
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
    abandon()
    os._exit(128 + signum)


def _die_with(parent: int) -> None:
    """Have the system send this worker SIGTERM when ``parent`` ends, however it ends (Linux's
    ``PR_SET_PDEATHSIG``): a build killed with SIGKILL leaves no worker writing reports."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before that
        os.kill(os.getpid(), signal.SIGTERM)


def _skip_iri_grammar() -> None:
    """Keep ``rfc3987_syntax`` from being imported in this build process: jsonschema (through
    nbformat) imports it when it is installed, which builds a grammar for about 1.2 s, for IRI
    format checks that no notebook validation uses."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _warm_renderer() -> None:
    """Import nbconvert and compile the HTML exporter's templates (about 1.5 s) while the
    workers run, so that the index pages are rendered at once when they finish."""
    import nbformat.v4

    _skip_iri_grammar()
    with contextlib.suppress(Exception):  # a failure shows when the index is rendered
        render_html(nbformat.v4.new_notebook(), "warm-up")


def _worker_init(parent: int, warm_up: bool = False) -> None:
    """Set up a worker: ``rfc3987_syntax`` kept from being imported; Ctrl-C (SIGINT to the
    process group) is the parent's to handle, which stops the workers; SIGTERM, from the parent
    or on its death, stops it (:func:`_worker_stop`); its warm kernel ends with it. The parent
    starts workers with these signals blocked; they are unblocked here, once handled. With
    ``warm_up``, the worker starts its kernel and has it import what the notebooks import
    (:func:`_warm_up`) before it takes a job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _skip_iri_grammar()
    signal.signal(signal.SIGHUP, guarded(_worker_stop))
    signal.signal(signal.SIGTERM, guarded(_worker_stop))
    _die_with(parent)
    Finalize(None, shutdown, exitpriority=10)  # the warm kernel ends with the worker
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if warm_up:
        _warm_up()


#: Run in a worker's kernel before its first notebook when the workers start early (during the
#: clean step): the imports of the report notebooks, so that the first notebook finds them done.
#: The kernel is then reset like a used one (:data:`analysis.build.warm.RESET`).
_WARM_UP = """\
%matplotlib inline
import analysis.present.display
import analysis.present.figures
import analysis.present.findings
import analysis.present.page
import analysis.present.prose
import analysis.present.series
import analysis.present.tables
import analysis.present.versions
import analysis.results
import analysis.stats.pooled
"""


def _warm_up() -> None:
    """Start this worker's kernel and run :data:`_WARM_UP` in it, through the same engine and
    options as a report (:func:`_papermill`); a failure only leaves the kernel to the first
    notebook, which starts one as it would have."""
    import nbformat.v4

    with tempfile.TemporaryDirectory(prefix="warm-up-") as folder:
        book = Path(folder) / "warm-up.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_WARM_UP)])
        nb.metadata["kernelspec"] = {
            "name": _kernel_name(),
            "display_name": "",
            "language": "python",
        }
        nbformat.write(nb, book)
        try:
            _papermill(Job("warm-up", "", book, {}), {})
        except Exception:  # noqa: BLE001 - the first notebook starts a kernel of its own
            shutdown()


def _ready() -> int:
    """A job that only makes the pool start a worker (:class:`Workers`)."""
    return os.getpid()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the pool at once: queued jobs cancelled, workers and their kernels ended."""
    # a second Ctrl-C must not cut the stopping short; the handlers are put back after
    before = {sig: signal.signal(sig, signal.SIG_IGN) for sig in _STOP_SIGNALS}
    try:
        _end_workers(pool)
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM every worker (it kills its kernels), cancel the queue, SIGKILL what is left."""
    workers = dict(getattr(pool, "_processes", None) or {})
    kernels = {pid: _children(pid) for pid in workers}
    for pid in workers:
        _kill(pid, signal.SIGTERM)
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 5
    for proc in workers.values():
        proc.join(max(0.0, deadline - time.monotonic()))
    for pid, proc in workers.items():
        if proc.is_alive():  # it did not stop: killed, and its kernels (orphans now) too
            _kill(pid, signal.SIGKILL)
            proc.join(2)
            for kernel in kernels[pid]:
                _kill(kernel, signal.SIGKILL)


def _start_pool(workers: int, warm_up: bool = False) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned worker processes (:func:`_worker_init`)."""
    # the workers inherit the blocked signals: none reaches one before it can handle it
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=get_context("spawn"),
            initializer=_worker_init,
            initargs=(os.getpid(), warm_up),
        )
        if warm_up:  # a worker is spawned per job submitted while none is idle
            for _ in range(workers):
                pool.submit(_ready)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        raise
    return pool


class Workers:
    """Build workers started ahead of the reports (``python -m analysis build`` starts them
    while the clean step runs, on the core it leaves idle): each starts its kernel and imports
    what the notebooks import (:data:`_WARM_UP`). Used as a context manager: leaving it stops
    them, whether :func:`run_reports` used them or not.
    """

    def __init__(self, jobs: int | None = None) -> None:
        self.count = max(1, jobs or os.cpu_count() or 1)
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        self.pool = _start_pool(self.count, warm_up=True)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        return self

    def __exit__(self, kind: type | None, *exc: object) -> None:
        if self.pool is not None and kind is None:  # done: the workers end their kernels
            self.pool.shutdown()
        elif self.pool is not None:  # a failure or a signal: stopped at once
            _stop(self.pool)


def _pool(
    pending: list[tuple[Job, str, str]],
    jobs: int | None,
    quiet: bool,
    started: ProcessPoolExecutor | None = None,
) -> list[dict]:
    """Run the pending jobs in parallel worker processes; their results as they finish.

    Every worker keeps one warm kernel (:mod:`analysis.build.warm`). ``started``: a pool of
    :class:`Workers` already
    running (left running: its owner stops it). A signal (Ctrl-C, SIGTERM) stops the pool
    within seconds (:func:`_stop`): no queued job is started, and no worker moves a report
    into place after it.
    """
    from tqdm import tqdm

    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    pool = started
    try:
        if pool is None:
            pool = _start_pool(workers)
        try:
            futures = [pool.submit(_run_job, *p) for p in pending]
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        bar = tqdm(
            as_completed(futures),
            total=len(futures),
            desc="reports",
            unit="nb",
            disable=quiet,
            file=sys.stderr,
        )
        results = [fut.result() for fut in bar]
    except BaseException:
        if pool is not None:
            _stop(pool)
        raise
    if started is None:
        pool.shutdown()
    return results


def _check_reports(reports: Path, todo: list[Job]) -> None:
    """Stop before anything is written unless ``reports`` and every report folder may be
    written: the reports folder is no forbidden place and is absent, empty, marked, or holds
    reports of this project; each report folder is absent, empty or one the build wrote."""
    check_output_folder(reports, "--reports")
    if reports.is_dir() and not (reports / MARKER).is_file() and any(reports.iterdir()):
        ours = [p for n in (CACHE_FILE, MARKER) for p in reports.glob(f"**/{n}")]
        if not ours:
            raise DataError(
                f"--reports {reports} holds files this project did not write (no {MARKER}, no "
                "report folder of this project); the reports and index.html would be written "
                "among them: give an absent or empty folder, or the project's reports folder; "
                "nothing was written"
            )
    for job in todo:
        check_replaceable(job.target, f"the folder of report {job.label}", owned=[CACHE_FILE])


def run_reports(
    processed: Path,
    reports: Path,
    *,
    workshops: list[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    langs: list[str] | None = None,
    quiet: bool = False,
    workers: Workers | None = None,
) -> list[dict]:
    """Produce the reports (in parallel up to ``jobs``, or on ``workers`` started before) and
    the index pages.

    Reports whose cache key is unchanged are skipped unless ``force``. A failing notebook leaves
    its earlier report as it was; the run then ends with :class:`ReportError`.
    """
    processed, reports = project_path(processed), project_path(reports)
    todo = plan(processed, reports, workshops, langs)
    _check_reports(reports, todo)
    stale = stale_jobs(todo, processed, force)
    run = {job for job, _ in stale}
    results = [{"label": job.label, "cached": True} for job in todo if job not in run]
    data = data_fingerprint(processed)
    if stale:
        pending = [(job, key, data) for job, key in stale]
        _skip_iri_grammar()
        renderer = threading.Thread(target=_warm_renderer, daemon=True)
        renderer.start()
        started = workers.pool if workers is not None else None
        results += _pool(pending, jobs, quiet, started)
        renderer.join()
    write_indexes(reports, processed)
    write_marker(reports, "report")
    failed = [r for r in results if r.get("failed")]
    if not quiet:
        done = [r for r in results if "seconds" in r]
        cached = sum("cached" in r for r in results)
        why = " (nothing they are made from changed; --force remakes them)" if cached else ""
        print(
            f"reports: {len(done)} made, {cached} already up to date{why}, {len(failed)} "
            f"failed; index at {reports / 'index.html'}"
        )
        for note in stale_reports(reports, processed, data):
            print(note)
    if failed:
        lines = "; ".join(f"{r['label']} failed in {r['error']}" for r in failed)
        raise ReportError(f"{lines}. The earlier versions of these reports were left as they were.")
    return results
