"""Command line: ``python -m analysis {clean,report,build,simulate}``.

Bad input ends with one paragraph on stderr naming the file, row or column and what would be
accepted, and exit status 2 (``--debug`` shows the traceback as well).
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import traceback
from pathlib import Path

from .config import LANGS, PROCESSED, RAW, REPORTS
from .errors import DataError


def _cmd_clean(args: argparse.Namespace) -> None:
    from .clean import describe, run_clean

    result = run_clean(args.raw, args.processed)
    print(describe(result))
    print(f"wrote {args.processed}")


def _cmd_report(args: argparse.Namespace) -> None:
    from .build import run_reports

    run_reports(
        args.processed,
        args.reports,
        workshops=args.workshop,
        jobs=args.jobs,
        force=getattr(args, "force", False),
        langs=getattr(args, "lang", None),
    )


def _cmd_build(args: argparse.Namespace) -> None:
    from .clean import processed_is_current

    if not args.force and processed_is_current(args.raw, args.processed):
        print(f"{args.raw} and the code are unchanged since the last clean: clean skipped")
    else:
        _cmd_clean(args)
    args.workshop = None
    _cmd_report(args)


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


__all__ = ["PATH_OPTIONS", "parser", "main"]

#: The path options: name -> (default, what it is, the default as the help shows it).
PATH_OPTIONS = {
    "raw": (RAW, "raw data folder", "data/raw"),
    "processed": (PROCESSED, "processed data folder", "data/processed"),
    "reports": (REPORTS, "reports folder", "reports"),
}


def _paths(sp: argparse.ArgumentParser, *names: str) -> None:
    for name in names:
        default, what, shown = PATH_OPTIONS[name]
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
        choices=list(LANGS),
        default=None,
        help=f"report languages (default: all, {' '.join(LANGS)})",
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

    sp = sub.add_parser("build", help="clean, then every report and the index")
    _paths(sp, "raw", "processed", "reports")
    _report_options(sp, "rerun the clean step and every notebook, caches or not")
    sp.set_defaults(func=_cmd_build)

    sp = sub.add_parser("simulate", help="regenerate the synthetic raw data")
    _simulate_options(sp)
    sp.set_defaults(func=_cmd_simulate)
    return p


def _paragraph(text: str) -> str:
    """One paragraph wrapped at 100 columns; paths and file names are never split."""
    lines = textwrap.wrap(text, width=100, break_long_words=False, break_on_hyphens=False)
    if len(lines) > 1 and " " not in lines[0]:  # 'error:' alone before a long path
        lines[:2] = [f"{lines[0]} {lines[1]}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Bad input (:class:`DataError`) -> its message, status 2; a failed notebook (``ReportError``)
    -> its message, status 1; any other exception is a bug -> a one-line 'internal error' with a
    hint to rerun with ``--debug``, status 1. ``--debug`` prints the traceback as well.
    """
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except DataError as exc:
        if args.debug:
            traceback.print_exc()
        print(_paragraph(f"error: {exc}"), file=sys.stderr)
        return DataError.exit_status
    except KeyboardInterrupt:
        print("interrupted; earlier outputs are left as they were", file=sys.stderr)
        return 130
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
