"""Command line: ``python -m analysis {clean,results,report,build,pdf,render,simulate,xlsform}``.

Bad input ends with one paragraph on stderr naming the file, row or column and what would be
accepted, and exit status 2 (``--debug`` shows the traceback as well). So does a failure of the
system (a read-only folder, a full disk, a permission denied), naming the path and the reason.

Each command first checks its output folders (:func:`analysis.atomic.check_output_folder`) and
takes their locks (:func:`analysis.atomic.locked`): a second run on the same folders stops at
once, exit status 2, naming the running one. Ctrl-C and SIGTERM (and SIGHUP) stop a run within
seconds, with one line on stderr and exit status 128 + the signal's number (130, 143, 129).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import sys
import textwrap
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

from .atomic import check_output_folder, guarded, locked
from .config import ALL_LANGS, LANGS, PROCESSED, RAW, REPORTS, project_path
from .errors import DataError

#: Languages built only when asked for (``--lang sr-Cyrl``).
_ON_REQUEST = " ".join(lang for lang in ALL_LANGS if lang not in LANGS)

#: What each command writes (checked, then locked, before it starts) and reads (locked too).
_WRITES = {
    "clean": ["processed"],
    "results": ["results"],
    "report": ["results", "reports"],
    "build": ["processed", "results", "reports"],
    "pdf": ["reports"],
}
_READS = {"results": ["processed"], "report": ["processed"]}


class _Stopped(BaseException):
    """A stop signal (SIGTERM, SIGHUP) raised in the main thread, like KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum, frame) -> None:
    raise _Stopped(signum)


@contextlib.contextmanager
def _signals() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP raise in the main thread, never inside a swap."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = {
        signal.SIGINT: guarded(signal.default_int_handler),
        signal.SIGTERM: guarded(_raise_stopped),
        signal.SIGHUP: guarded(_raise_stopped),
    }
    before = {sig: signal.signal(sig, handler) for sig, handler in wanted.items()}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _apart(processed: Path, reports: Path, results: Path | None = None) -> None:
    """A :class:`DataError` when ``--processed``, its results folder and ``--reports`` are one
    folder or one holds another: the clean and results steps replace their folders whole, the
    reports would go with them."""
    named = [("--processed", processed), ("--reports", reports)]
    if results is not None:
        named.append((f"the results folder of --processed ({results})", results))
    for i, (name_a, a) in enumerate(named):
        for name_b, b in named[i + 1 :]:
            ra, rb = a.resolve(), b.resolve()
            if ra == rb or ra in rb.parents or rb in ra.parents:
                raise DataError(
                    f"{name_a} {a} and {name_b} {b} overlap (one is or holds the other); the "
                    "clean and results steps replace their folders whole: give separate folders "
                    "(the defaults are data/processed, data/results and reports); nothing was "
                    "written"
                )


def _guarded_run(args: argparse.Namespace) -> None:
    """Check the command's output folders, take their locks, run the command.

    Relative paths are taken from the project root (:func:`analysis.config.project_path`), for
    every command alike: what is checked and locked is what is written.
    """
    for name in _PATH_OPTIONS:
        if getattr(args, name, None) is not None:
            setattr(args, name, project_path(getattr(args, name)))
    if args.command in ("results", "report", "build"):
        args.results = _results_folder(args)
    raw = [args.raw] if hasattr(args, "raw") else []
    writes = [getattr(args, n) for n in _WRITES.get(args.command, [])]
    for name, path in zip(_WRITES.get(args.command, []), writes, strict=True):
        check_output_folder(project_path(path), f"--{name}", raw=[project_path(r) for r in raw])
    if hasattr(args, "processed") and hasattr(args, "reports"):
        _apart(args.processed, args.reports, getattr(args, "results", None))
    reads = [project_path(getattr(args, n)) for n in _READS.get(args.command, [])]
    folders = [project_path(p) for p in writes] + [p for p in reads if p.is_dir()]
    with locked(sorted(folders)):  # in one order: no two runs wait on each other
        args.func(args)


def _cmd_clean(args: argparse.Namespace) -> None:
    from .clean import describe, run_clean

    result = run_clean(args.raw, args.processed)
    print(describe(result))
    print(f"wrote {args.processed}")


def _results_folder(args: argparse.Namespace) -> Path:
    """The results stage's folder of the command's processed data (beside it)."""
    from .results import results_dir

    return getattr(args, "results", None) or results_dir(args.processed)


def _cmd_results(args: argparse.Namespace) -> None:
    from .results import is_current, load, write

    folder = _results_folder(args)
    if not getattr(args, "force", False) and is_current(folder, args.processed):
        print(
            f"results: {folder} is already up to date with {args.processed} and the code, so it "
            "was not remade; --force remakes it"
        )
        return
    written = write(load(args.processed), folder)
    print(f"results: every result of {len(written)} reports computed once, into {folder}")


def _cmd_report(args: argparse.Namespace, workers=None) -> None:
    from .build import run_reports

    _cmd_results(args)

    run_reports(
        args.processed,
        args.reports,
        workshops=args.workshop,
        jobs=args.jobs,
        force=getattr(args, "force", False),
        langs=getattr(args, "lang", None),
        workers=workers,
    )


def _cmd_build(args: argparse.Namespace) -> None:
    from .clean import processed_is_current
    from .results import is_current

    args.workshop = None
    clean_current = not args.force and processed_is_current(args.raw, args.processed)
    if clean_current:
        print(
            f"clean: {args.processed} is already up to date with {args.raw} and the code (on a "
            "fresh clone too: the committed one was made from them), so it was not remade; "
            "--force remakes it and every report"
        )
    if clean_current and is_current(_results_folder(args), args.processed):
        _cmd_report(args)
    else:
        from .build.run import Workers

        # the reports' workers start their kernels on the core the clean and results steps
        # leave idle
        with Workers(args.jobs) as workers:
            if not clean_current:
                _cmd_clean(args)
            _cmd_report(args, workers)
    if args.pdf:
        _cmd_pdf(args)


def _cmd_pdf(args: argparse.Namespace) -> None:
    from .build.pdf import write_pdfs

    written = write_pdfs(args.reports, getattr(args, "lang", None), force=args.force)
    print(f"pdf: {len(written)} written (report.pdf beside each report.html, index.pdf)")


def _cmd_render(args: argparse.Namespace) -> None:
    from .build.scratch import render_notebook

    out = render_notebook(args.notebook, args.out, reports=REPORTS)
    print(f"wrote {out}")


def _cmd_simulate(args: argparse.Namespace) -> None:
    from .simulate import simulate

    summary = simulate(
        args.out,
        seed=args.seed,
        n_participants=args.participants,
        n_workshops=args.workshops,
        force=args.force,
    )
    print(f"wrote synthetic data to {args.out}: {summary}")


def _cmd_xlsform(args: argparse.Namespace) -> None:
    from .form import write_xlsform

    out = write_xlsform(args.raw, args.out, force=args.force)
    print(
        f"wrote the XLSForm of {args.raw / 'instrument' / 'codebook.csv'} and "
        f"{args.raw / 'workshops.csv'} to {out}; upload it to KoboToolbox or ODK Central"
    )


__all__ = ["parser", "main"]

#: The path options: name -> (default, what it is, the default as the help shows it).
_PATH_OPTIONS = {
    "raw": (RAW, "raw data folder", "data/raw"),
    "processed": (PROCESSED, "processed data folder", "data/processed"),
    "reports": (REPORTS, "reports folder", "reports"),
}


def _paths(sp: argparse.ArgumentParser, *names: str) -> None:
    for name in names:
        default, what, shown = _PATH_OPTIONS[name]
        sp.add_argument(f"--{name}", type=Path, default=default, help=f"{what} (default: {shown})")


def _report_options(sp: argparse.ArgumentParser, force_help: str) -> None:
    sp.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="notebooks run in parallel (default: the number of cores)",
    )
    sp.add_argument("--force", action="store_true", help=force_help)
    sp.add_argument(
        "--lang",
        nargs="+",
        choices=list(ALL_LANGS),
        default=None,
        help=f"report languages (default: {' '.join(LANGS)}; on request: {_ON_REQUEST})",
    )


def _simulate_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--seed", type=int, default=2021, help="random seed (default: 2021)")
    sp.add_argument("--out", type=Path, default=RAW, help="raw folder to write (default: data/raw)")
    sp.add_argument("--participants", type=int, default=74, help="officers (default: 74)")
    sp.add_argument("--workshops", type=int, default=4, help="workshops (default: 4)")
    sp.add_argument(
        "--force",
        action="store_true",
        help="overwrite a responses folder holding files the simulator did not write",
    )


def parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    p = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Clean the questionnaire exports, make the reports, or simulate the data.",
        epilog="Bad input stops with one paragraph naming the file, row or column (exit status "
        "2); earlier outputs are left as they were.",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("clean", help="read, clean, score and link the raw exports")
    _paths(sp, "raw", "processed")
    sp.set_defaults(func=_cmd_clean)

    sp = sub.add_parser(
        "results",
        help="compute every report's statistics, tables and models once, into the results "
        "folder (data/results beside data/processed)",
    )
    _paths(sp, "processed")
    sp.add_argument("--force", action="store_true", help="remake them even when current")
    sp.set_defaults(func=_cmd_results)

    sp = sub.add_parser("report", help="execute and render the reports")
    _paths(sp, "processed", "reports")
    sp.add_argument(
        "--workshop",
        nargs="+",
        default=None,
        help="workshop ids (default: all); the pooled report is made as well",
    )
    _report_options(sp, "rerun the notebooks even when their cache says nothing changed")
    sp.set_defaults(func=_cmd_report)

    sp = sub.add_parser("build", help="clean, then the results, then every report and the index")
    _paths(sp, "raw", "processed", "reports")
    _report_options(sp, "rerun the clean step and every notebook, caches or not")
    sp.add_argument(
        "--pdf", action="store_true", help="also render every report and index to PDF (A4)"
    )
    sp.set_defaults(func=_cmd_build)

    sp = sub.add_parser("pdf", help="render every report.html and index.html to PDF (A4)")
    _paths(sp, "reports")
    sp.add_argument(
        "--lang",
        nargs="+",
        choices=list(ALL_LANGS),
        default=None,
        help=f"languages (default: {' '.join(LANGS)}; on request: {_ON_REQUEST})",
    )
    sp.add_argument("--force", action="store_true", help="render PDFs whose page is unchanged too")
    sp.set_defaults(func=_cmd_pdf)

    sp = sub.add_parser(
        "render", help="render an executed notebook (a papermill run by hand) to HTML"
    )
    sp.add_argument("notebook", type=Path, help="the executed notebook (.ipynb)")
    sp.add_argument(
        "--out",
        type=Path,
        default=None,
        help="the .html to write (default: beside the notebook, which must not be in reports/)",
    )
    sp.set_defaults(func=_cmd_render)

    sp = sub.add_parser("simulate", help="regenerate the synthetic raw data")
    _simulate_options(sp)
    sp.set_defaults(func=_cmd_simulate)

    sp = sub.add_parser(
        "xlsform", help="write the questionnaire as an XLSForm (KoboToolbox, ODK Central)"
    )
    _paths(sp, "raw")
    sp.add_argument(
        "--out",
        type=Path,
        default=None,
        help="the .xlsx to write (default: scratch/xlsform/police_training_questionnaire.xlsx; "
        "never inside the raw folder)",
    )
    sp.add_argument("--force", action="store_true", help="replace an existing --out file")
    sp.set_defaults(func=_cmd_xlsform)
    return p


#: Exit status of a failure of the system (not a bug, not bad data): like bad input, 2: the user
#: can fix it (free space, make the folder writable, choose another folder) and run again.
_OS_FAILURE_STATUS = 2


def _os_failure(exc: OSError) -> str:
    """The message of a failure of the system: the path, the system's reason, what to do."""
    paths = " and ".join(str(p) for p in (exc.filename, exc.filename2) if p is not None)
    code = errno.errorcode.get(exc.errno or 0, "")
    reason = exc.strerror or str(exc) or type(exc).__name__
    return (
        f"the system refused to read or write {paths or 'a file'}: {reason}"
        f"{f' ({code})' if code else ''}. This is not a problem with your data: check that the "
        "folder exists, is writable (not read-only, permissions) and that the disk has free "
        "space, then run again. Earlier outputs are left as they were."
    )


def _paragraph(text: str) -> str:
    """One paragraph wrapped at 100 columns; paths and file names are never split."""
    lines = textwrap.wrap(text, width=100, break_long_words=False, break_on_hyphens=False)
    if len(lines) > 1 and " " not in lines[0]:  # 'error:' alone before a long path
        lines[:2] = [f"{lines[0]} {lines[1]}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Bad input (:class:`DataError`) and a failure of the system (``OSError``: read-only folder,
    disk full, permission denied) -> its message naming the path, status 2; a failed notebook
    (``ReportError``) -> its message, status 1; Ctrl-C, SIGTERM, SIGHUP -> one line, status
    128 + the signal's number; any other exception is a bug -> a one-line 'internal error' with a
    hint to rerun with ``--debug``, status 1. ``--debug`` prints the traceback as well.
    """
    args = parser().parse_args(argv)
    try:
        with _signals():
            _guarded_run(args)
    except DataError as exc:
        if args.debug:
            traceback.print_exc()
        print(_paragraph(f"error: {exc}"), file=sys.stderr)
        return DataError.exit_status
    except (KeyboardInterrupt, _Stopped) as exc:
        signum = exc.signum if isinstance(exc, _Stopped) else signal.SIGINT
        print(
            f"stopped by {signal.Signals(signum).name}; outputs not finished before it are left "
            "as they were",
            file=sys.stderr,
        )
        return 128 + signum
    except OSError as exc:
        if args.debug:
            traceback.print_exc()
        print(_paragraph(f"error: {_os_failure(exc)}"), file=sys.stderr)
        return _OS_FAILURE_STATUS
    except Exception as exc:
        from .errors import ReportError

        if args.debug:
            traceback.print_exc()
        if isinstance(exc, ReportError):
            print(_paragraph(f"error: {exc}"), file=sys.stderr)
            return ReportError.exit_status
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = " ".join(str(exc).split())[:300]
        print(
            f"internal error (a bug, not a problem with your data): {type(exc).__name__}: "
            f"{detail} (in {Path(where.filename).name}, line {where.lineno}). Earlier outputs are "
            f"left as they were. Rerun with --debug (python -m analysis --debug {args.command} "
            "...) to see the traceback, and report it.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
