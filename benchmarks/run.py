"""`make bench`: time the naive and the project's build, and national-size data, in one run.

Prints a table measured on the machine at hand and writes it into README.md between the
markers ``<!-- bench:start -->`` and ``<!-- bench:end -->``. Everything is written into a
temporary folder: data/raw, data/processed and reports/ are only read; the measurements are
kept in scratch/bench.json, from which ``--from`` writes the table again.

    python benchmarks/run.py               # everything (about 12 minutes on 2 cores)
    python benchmarks/run.py --build-only --repeat 3   # the build's targets, printed only
    python benchmarks/run.py --no-readme
    python benchmarks/run.py --national-only   # only the national-size rows and targets
    python benchmarks/run.py --from        # the last run's table written again, measuring nothing
    python benchmarks/run.py --gee 30000   # the item GEE alone at 30,000 participants (JSON)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from analysis.config import LANGS, PROJECT_ROOT, RAW

ROOT = PROJECT_ROOT
BIN = Path(sys.executable).parent
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
#: The last full run's measurements (``--from`` writes its table again).
SAVED = PROJECT_ROOT / "scratch" / "bench.json"
NATIONAL = {"participants": 9000, "workshops": 40}
#: The same participants in ten times the workshops: the statistics must not grow with them.
NATIONAL_MANY = {"participants": 9000, "workshops": 400}
#: The item-level GEE of the pooled report (``pooled.item_gee``) at this many participants.
GEE = {"participants": 30_000, "workshops": 40}
#: Its target: seconds.
GEE_TARGET = 5.0
GIB = 1024**3

# Run in a child to measure one command's wall time and peak memory (RUSAGE_CHILDREN of a fresh
# process covers exactly that command).
_MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds,
                  "peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))
"""


def measure(cmd: list, env: dict | None = None) -> dict:
    """Wall seconds and peak resident memory (bytes) of ``cmd`` run to completion."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *map(str, cmd)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def py(*args) -> list:
    """A command line running the venv's Python."""
    return [sys.executable, *map(str, args)]


def _report_ids(processed: Path) -> list[str]:
    """The report ids a build of ``processed`` makes, in the plan's order (one language)."""
    from analysis.build import plan

    return [j.report_id for j in plan(processed, ROOT / "reports", langs=[LANGS[0]])]


def naive(tmp: Path) -> dict:
    """papermill then ``jupyter nbconvert`` per notebook, one after another, plus one clean:
    the clean's seconds (``"clean"``) and every language's notebooks' (by language code)."""
    processed = tmp / "processed"
    res = {"clean": measure(py("-m", "analysis", "clean", "--raw", RAW, "--processed", processed))}
    res["clean"] = res["clean"]["seconds"]
    for lang in LANGS:
        res[lang] = 0.0
        for rid in _report_ids(processed):
            out = tmp / lang / rid
            out.mkdir(parents=True)
            book = "pooled_report" if rid == "pooled" else "workshop_report"
            params = ["-p", "processed_dir", processed, "-p", "out_dir", out]
            params += ["-p", "lang", lang]
            if rid != "pooled":
                params += ["-p", "workshop_id", rid]
            nb = out / "report.ipynb"
            cmd = [BIN / "papermill", ROOT / "notebooks" / f"{book}.ipynb", nb, *params]
            res[lang] += measure([*cmd, "--cwd", ROOT])["seconds"]
            cmd = [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", nb]
            res[lang] += measure(cmd)["seconds"]
    return res


def build(tmp: Path) -> dict:
    """The project's build: ``--lang`` the first language and the whole build, each into an
    empty folder (the clean step included); the whole build again, nothing changed; its report
    step alone."""
    one = ["--raw", RAW, "--processed", tmp / "p1", "--reports", tmp / "r1"]
    args = ["--raw", RAW, "--processed", tmp / "processed", "--reports", tmp / "reports"]
    res = {
        "one": measure(py("-m", "analysis", "build", *one, "--lang", LANGS[0]))["seconds"],
        "whole": measure(py("-m", "analysis", "build", *args))["seconds"],
        "again": measure(py("-m", "analysis", "build", *args))["seconds"],
    }
    args = ["--processed", tmp / "processed", "--reports", tmp / "reports"]
    res["report_only"] = measure(py("-m", "analysis", "report", *args))["seconds"]
    return res


def paired_builds(tmp: Path, repeat: int) -> list[dict]:
    """``repeat`` pairs of the naive loop and the project's build, back to back (the machine's
    load changes between pairs more than within one): each pair's ``naive`` and ``build``."""
    pairs = []
    for k in range(repeat):
        print(f"measuring naive and build, pair {k + 1} of {repeat} ...", file=sys.stderr)
        pairs.append({"naive": naive(tmp / f"naive{k}"), "build": build(tmp / f"build{k}")})
    return pairs


def build_ratios(pair: dict) -> dict:
    """The four ratios of the build targets in one pair."""
    n, b = pair["naive"], pair["build"]
    naive_one = n["clean"] + n[LANGS[0]]
    naive_all = n["clean"] + sum(n[lang] for lang in LANGS)
    return {
        "one": naive_one / b["one"],
        "whole": naive_all / b["whole"],
        "whole_one": b["whole"] / b["one"],
        "again": b["again"] / b["whole"],
    }


#: The build targets: (key of build_ratios, what, test, the target as written).
BUILD_TARGETS = (
    ("one", f"`build --lang {LANGS[0]}` vs the naive loop", lambda r: r >= 4, ">= 4x"),
    (
        "whole",
        f"the whole build ({', '.join(LANGS)}) vs the naive loop for the same notebooks",
        lambda r: r >= 5,
        ">= 5x",
    ),
    ("whole_one", f"whole build / `build --lang {LANGS[0]}`", lambda r: r <= 1.6, "<= 1.6"),
    ("again", "no-change rebuild / whole build", lambda r: r < 0.01, "< 1%"),
)


def _ratio(key: str, value: float) -> str:
    if key == "again":
        return f"{100 * value:.2f}%"
    return f"{value:.2f}" if key == "whole_one" else f"{value:.1f}x"


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def build_rows(pairs: list[dict]) -> list[tuple[str, str]]:
    """The table's rows of the build: median seconds over the pairs."""

    def med(part: str, key: str) -> float:
        return _median([p[part][key] for p in pairs])

    naive_one = _median([p["naive"]["clean"] + p["naive"][LANGS[0]] for p in pairs])
    naive_all = _median([p["naive"]["clean"] + sum(p["naive"][x] for x in LANGS) for p in pairs])
    cores = os.cpu_count()
    return [
        (
            f"a. naive, `{LANGS[0]}`: papermill + jupyter nbconvert per notebook (+ clean)",
            naive_one,
        ),
        (f"a. naive, all of {', '.join(LANGS)}", naive_all),
        (
            f"b. `python -m analysis build --lang {LANGS[0]}` ({cores} cores), empty folder",
            med("build", "one"),
        ),
        (
            f"b. `python -m analysis build` ({cores} cores), all languages, empty folder",
            med("build", "whole"),
        ),
        ("c. the same build again, nothing changed (cache hit)", med("build", "again")),
        (
            "c'. its report step alone (`python -m analysis report`, cache hit)",
            med("build", "report_only"),
        ),
    ]


def build_verdicts(pairs: list[dict]) -> list[str]:
    """Each build target: met or not, the median ratio over the pairs and their range."""
    ratios = [build_ratios(p) for p in pairs]
    out = []
    for key, what, ok, target in BUILD_TARGETS:
        values = [r[key] for r in ratios]
        median = _median(values)
        spread = (
            f", {_ratio(key, min(values))}-{_ratio(key, max(values))} over {len(values)} pairs"
            if len(values) > 1
            else ""
        )
        out.append(_verdict(f"{what} {target}", ok(median), f"{_ratio(key, median)}{spread}"))
    return out


#: Runs of each national-size step (their median is the step's time: one run of a few seconds
#: moves by a tenth with the machine's load, and the targets are ratios of such runs).
NATIONAL_RUNS = 3


def national(tmp: Path, runs: int = NATIONAL_RUNS) -> dict:
    """Simulate, clean and analyse a national-size data set, and just read its raw files; the
    statistics of the same participants in ten times the workshops. The read, the clean and
    both statistics are run ``runs`` times, in turn: each step's median seconds, its peak."""
    raw, processed = tmp / "raw", tmp / "processed"
    sim = ["--seed", "2021", "--out", raw]
    sim += ["--participants", NATIONAL["participants"], "--workshops", NATIONAL["workshops"]]
    steps = {"simulate": measure(py("-m", "analysis", "simulate", *sim))}
    many_raw, many = tmp / "raw-many", tmp / "processed-many"
    sim = ["--seed", "2021", "--out", many_raw]
    sim += ["--participants", NATIONAL_MANY["participants"]]
    sim += ["--workshops", NATIONAL_MANY["workshops"]]
    measure(py("-m", "analysis", "simulate", *sim))
    measure(py("-m", "analysis", "clean", "--raw", many_raw, "--processed", many))
    commands = {
        "read": py(__file__, "--read", raw / "responses"),
        "clean": py("-m", "analysis", "clean", "--raw", raw, "--processed", processed),
        "stats": py(__file__, "--stats", processed),
        "stats_many": py(__file__, "--stats", many),
    }
    runs_of: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            runs_of[name].append(measure(cmd))
    for name, done in runs_of.items():
        steps[name] = {
            "seconds": _median([r["seconds"] for r in done]),
            "peak": max(r["peak"] for r in done),
            "runs": [r["seconds"] for r in done],
        }
    return steps


#: Pre and post codes per workshop that do not match: the linking step's worst case, and (at
#: 100,000, two phases) a 200,000-row export.
UNMATCHED = (10_000, 100_000)


def unmatched_raw(raw: Path, n: int, seed: int = 7) -> Path:
    """A raw folder of one workshop with ``n`` pre-tests and ``n`` post-tests whose codes match
    nowhere (random 8-character codes), in the contract's layout, answers drawn at random."""
    import csv
    import random
    import shutil

    rng = random.Random(seed)
    (raw / "responses").mkdir(parents=True)
    shutil.copy(RAW / "workshops.csv", raw / "workshops.csv")
    (raw / "instrument").mkdir()
    shutil.copy(RAW / "instrument" / "codebook.csv", raw / "instrument" / "codebook.csv")
    with (RAW / "instrument" / "codebook.csv").open(encoding="utf-8", newline="") as fh:
        items = [(r["item_id"], r["section"]) for r in csv.DictReader(fh)]
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = set()
    while len(codes) < 2 * n:
        codes.add("".join(rng.choice(alphabet) for _ in range(8)))
    codes = sorted(codes)
    rng.shuffle(codes)
    header = ["participant_code", "workshop", "phase", *[i for i, _ in items]]
    with (raw / "responses" / "unmatched.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for k, code in enumerate(codes):
            answers = [
                rng.choice("ABCD") if section == "knowledge" else str(rng.randint(1, 5))
                for _, section in items
            ]
            out.writerow([code, "W1", "pre" if k < n else "post", *answers])
    return raw


def hardening(tmp: Path) -> dict:
    """Peak memory of the clean step on the shipped data, and time and memory on unmatched
    codes (the linking index) up to a 200,000-row export."""
    res = {
        "shipped": measure(py("-m", "analysis", "clean", "--raw", RAW, "--processed", tmp / "p"))
    }
    for n in UNMATCHED:
        raw = unmatched_raw(tmp / f"raw{n}", n)
        args = ["--raw", raw, "--processed", tmp / f"p{n}"]
        res[n] = measure(py("-m", "analysis", "clean", *args))
    return res


def read_exports(folder: Path) -> None:
    """What pandas takes just to read the exports: every file as text (``dtype=str``)."""
    import pandas as pd

    for p in sorted(folder.iterdir()):
        if p.suffix == ".xlsx":
            pd.read_excel(p, dtype=str)
        elif p.suffix == ".csv":
            head = p.read_bytes()[:4096]
            try:
                head.decode("utf-8")
                enc = "utf-8-sig"
            except UnicodeDecodeError:
                enc = "cp1250"
            first = head.split(b"\n", 1)[0]
            sep = ";" if first.count(b";") > first.count(b",") else ","
            pd.read_csv(p, dtype=str, sep=sep, encoding=enc)


def all_statistics(processed: Path) -> None:
    """The results stage at national scale: every result of every report (each workshop and
    the pooled one), computed once (``results.compute``: each statistic called once for all
    workshops through its ``by="workshop_id"`` form, the pooled models given the workshops'
    summaries), nothing written. The processed data is read (``results.load``) as a build's
    results step reads it."""
    from analysis import results

    results.compute(results.load(processed))


def item_gee_seconds(participants: int) -> dict:
    """Simulate ``participants`` in ``GEE["workshops"]`` workshops and clean them (in children,
    untimed); then, in this process, read the processed data (``results.load``, untimed) and
    time ``pooled.item_gee`` alone: its seconds, answers fitted and clusters."""
    import time

    from analysis import results
    from analysis.stats import pooled

    with tempfile.TemporaryDirectory(prefix="bench-gee-") as tmp:
        raw, processed = Path(tmp) / "raw", Path(tmp) / "processed"
        sim = ["--seed", "2021", "--out", raw, "--participants", participants]
        sim += ["--workshops", GEE["workshops"]]
        clean = ["--raw", raw, "--processed", processed]
        for step, args in (("simulate", sim), ("clean", clean)):
            cmd = py("-m", "analysis", step, *map(str, args))
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        d = results.load(processed)
        t = time.perf_counter()
        fit = pooled.item_gee(d.answers, d.codebook)
        seconds = time.perf_counter() - t
    return {
        "participants": participants,
        "seconds": seconds,
        "n_obs": fit["n_obs"],
        "n_clusters": fit["n_clusters"],
    }


def gee_timing() -> dict:
    """``--gee`` at ``GEE["participants"]`` in a fresh process: the item GEE's seconds."""
    out = subprocess.run(
        py(__file__, "--gee", GEE["participants"]),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _s(x: float) -> str:
    return f"{x:.1f} s" if x >= 1 else f"{x:.2f} s"


def _gib(step: dict) -> str:
    return f"{step['peak'] / GIB:.2f} GiB peak"


def table(res: dict) -> tuple[str, list[str]]:
    """The Markdown table and the verdict on each target."""
    nat = res["national"]
    work = nat["clean"]["seconds"] + nat["stats"]["seconds"]
    with_sim = work + nat["simulate"]["seconds"]
    read = nat["read"]["seconds"]
    peak = max(s["peak"] for s in nat.values())
    rows = [
        *[(what, _s(seconds)) for what, seconds in build_rows(res["pairs"])],
        (
            f"d. national size ({NATIONAL['participants']:,} participants, "
            f"{NATIONAL['workshops']} workshops): simulate",
            _s(nat["simulate"]["seconds"]),
        ),
        ("d. clean", _s(nat["clean"]["seconds"])),
        ("d. every workshop's statistics + pooled analysis", _s(nat["stats"]["seconds"])),
        ("d. clean + statistics", _s(work)),
        ("d. bare pandas read of the raw exports (`dtype=str`)", _s(read)),
        (
            f"d'. the same {NATIONAL_MANY['participants']:,} participants in "
            f"{NATIONAL_MANY['workshops']} workshops: statistics",
            _s(nat["stats_many"]["seconds"]),
        ),
        ("d. peak memory (largest step)", f"{peak / GIB:.2f} GiB"),
        (
            f"d''. item GEE at {GEE['participants']:,} participants ({res['gee']['n_obs']:,} "
            "answers; `pooled.item_gee` alone, data already read)",
            _s(res["gee"]["seconds"]),
        ),
        ("e. clean of the shipped data: peak memory", _gib(res["hardening"]["shipped"])),
        *[
            (
                f"e. clean of {n:,} pre and {n:,} post codes that do not match, one workshop "
                f"({2 * n:,} rows)",
                f"{_s(res['hardening'][n]['seconds'])}, {_gib(res['hardening'][n])}",
            )
            for n in UNMATCHED
        ],
    ]
    lines = ["| step | time |", "|---|---:|", *[f"| {r} | {t} |" for r, t in rows]]
    verdicts = [
        *build_verdicts(res["pairs"]),
        _verdict(
            "d within 5x of the bare read",
            work <= 5 * read,
            f"clean + statistics {work / read:.1f}x the read "
            f"({with_sim / read:.1f}x with simulate)",
        ),
        _verdict("d under 2 GiB", peak < 2 * GIB, f"{peak / GIB:.2f} GiB"),
        *national_verdicts(res),
    ]
    return "\n".join(lines), verdicts


def national_verdicts(res: dict) -> list[str]:
    """The national-scale targets of issue 17: clean + statistics within 6x the bare read,
    statistics in 400 workshops within 1.5x those in 40, and the clean step of 100,000
    participants (200,000 questionnaires) under 1.5 GiB; and the item GEE at 30,000
    participants under 5 s."""
    nat, big, gee = res["national"], res["hardening"][UNMATCHED[-1]], res["gee"]
    work = nat["clean"]["seconds"] + nat["stats"]["seconds"]
    many = nat["stats_many"]["seconds"] / nat["stats"]["seconds"]
    return [
        _verdict(
            "d: clean + statistics within 6x the bare read",
            work <= 6 * nat["read"]["seconds"],
            f"{work / nat['read']['seconds']:.1f}x",
        ),
        _verdict("d': 400 workshops' statistics within 1.5x of 40's", many <= 1.5, f"{many:.1f}x"),
        _verdict(
            f"e: clean of {UNMATCHED[-1]:,} participants under 1.5 GiB",
            big["peak"] < 1.5 * GIB,
            f"{big['peak'] / GIB:.2f} GiB",
        ),
        _verdict(
            f"item GEE at {GEE['participants']:,} participants under {GEE_TARGET:g} s",
            gee["seconds"] < GEE_TARGET,
            _s(gee["seconds"]),
        ),
    ]


WHY = {
    "no-change rebuild / whole build < 1%": (
        "what every run does before it knows that nothing changed: the interpreter's start and "
        "imports (about 0.15 s), and the hashing of the raw data, the code and every report's "
        "files (about 0.1 s), now against a build of 30 s instead of 50 s. What it would take: "
        "checking files by size and time instead of their bytes, a weaker guarantee than the "
        "content hashing the caches promise"
    ),
    "d within 5x of the bare read": (
        "clean validates, links and logs every questionnaire and answer, and the statistics run "
        "an exact test and interval per workshop, topic and item and three mixed models; a bare "
        "read does none of this"
    ),
    "d': 400 workshops' statistics within 1.5x of 40's": (
        "the pooled models grow with the workshops: the interaction test's model has two fixed "
        "effects per workshop (801 at 400 workshops) and every evaluation of its likelihood "
        "solves a system of that size (cubic in the workshops, about 0.8 s at 400), the pooled "
        "REML model one per workshop (about 0.4 s); the per-workshop tables cost about 0.5 ms a "
        "workshop. What it would take: a solve that uses the block structure of the workshop "
        "dummies, which moves the fitted values in their last bits"
    ),
}


#: Why a build target may not be met (measured on 2 cores), by its key in BUILD_TARGETS.
BUILD_WHY = {
    "one": (
        "the build is bound by the CPU: the clean step (about 1.5 s, in the naive loop too), two "
        "workers and their kernels starting and importing (about 3.5 s, beside the clean), then "
        "five notebooks of about 3 s on two workers, half of each drawing figures; the naive "
        "loop's notebooks are the same code, so it gains from every change to them too"
    ),
    "whole_one": (
        "each language's reports are drawn anew: five notebooks of about 2.5 s each on a warm "
        "kernel, the statistics read from the results stage, more than half of it matplotlib "
        "drawing every figure twice (PNG and SVG; the layout of long item labels), the rest "
        "tables, the workbook and the HTML; the English build's fixed part (clean, workers, "
        "kernels: about 4 s) is paid once. What it would take: figures and tables drawn once "
        "and their words swapped per language, or fewer figures per report"
    ),
}
BUILD_WHY["whole"] = BUILD_WHY["one"]
for _key, _what, _ok, _target in BUILD_TARGETS:
    if _key in BUILD_WHY:
        WHY[f"{_what} {_target}"] = BUILD_WHY[_key]


def _verdict(target: str, met: bool, measured: str) -> str:
    why = "" if met else f"; why: {WHY.get(target, 'see above')}"
    return f"{'met' if met else 'NOT met'}: {target} ({measured}){why}"


def write_readme(text: str) -> None:
    """Replace the README's bench section between the markers."""
    readme = README.read_text(encoding="utf-8")
    if START not in readme:
        readme = readme.rstrip("\n") + f"\n\n## Speed\n\n{START}\n{END}\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    README.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", readme), encoding="utf-8")


def main() -> int:
    """Run every measurement, print the table, write it into README.md."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--no-readme", action="store_true", help="print only")
    p.add_argument(
        "--repeat", type=int, default=2, help="pairs of naive loop and build (default 2)"
    )
    p.add_argument("--build-only", action="store_true", help="the build targets only; print only")
    p.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--gee", type=int, help=argparse.SUPPRESS)
    p.add_argument(
        "--national-only",
        action="store_true",
        help="only the national-size rows (d, e) and the item GEE; print",
    )
    p.add_argument(
        "--from",
        dest="saved",
        nargs="?",
        const=SAVED,
        type=Path,
        help=f"write the table of a saved run (default file: {SAVED.relative_to(ROOT)}) again, "
        "measuring nothing (after a change to the texts of this file)",
    )
    args = p.parse_args()
    if args.saved:
        saved = json.loads(args.saved.read_text(encoding="utf-8"))
        saved["hardening"] = {
            int(k) if k.isdigit() else k: v for k, v in saved["hardening"].items()
        }
        return report(saved, args.no_readme)
    if args.read:
        read_exports(args.read)
        return 0
    if args.stats:
        all_statistics(args.stats)
        return 0
    if args.gee:
        print(json.dumps(item_gee_seconds(args.gee)))
        return 0
    res = {"cores": os.cpu_count()}
    if args.national_only:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            res["national"] = national(Path(tmp) / "national")
            res["hardening"] = hardening(Path(tmp) / "hardening")
        res["gee"] = gee_timing()
        print(json.dumps(res, indent=1))
        print("\n".join(f"- {v}" for v in national_verdicts(res)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        res["pairs"] = paired_builds(tmp / "builds", args.repeat)
        if args.build_only:
            rows = build_rows(res["pairs"])
            print(
                "\n".join([*[f"| {r} | {_s(x)} |" for r, x in rows], *build_verdicts(res["pairs"])])
            )
            print(json.dumps(res["pairs"], indent=1))
            return 0
        print("measuring national size ...", file=sys.stderr, flush=True)
        res["national"] = national(tmp / "national")
        print("measuring the clean step on unmatched codes ...", file=sys.stderr, flush=True)
        res["hardening"] = hardening(tmp / "hardening")
        print("measuring the item GEE ...", file=sys.stderr, flush=True)
        res["gee"] = gee_timing()
    res["when"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    res["machine"] = (
        f"{res['cores']} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, {platform.system()}"
    )
    SAVED.parent.mkdir(parents=True, exist_ok=True)
    SAVED.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return report(res, args.no_readme)


def report(res: dict, no_readme: bool = False) -> int:
    """Print the table and verdicts of the measurements ``res``; write them into README.md."""
    body, verdicts = table(res)
    head = f"Measured by `make bench` on {res['when']}: {res['machine']}."
    text = "\n".join([head, "", body, "", *[f"- {v}" for v in verdicts]])
    print(text)
    if not no_readme:
        write_readme(text + "\n\n" + NOTES)
        print(f"wrote {README.relative_to(ROOT)}")
    return 0


NOTES = """\
How: each row is one run of the command(s) in a fresh process, into a temporary folder, wall
time from start to exit (interpreter start-up and imports included); the naive loop and the
build are run back to back in pairs, their times the medians and each target's ratio the
median of the pairs' ratios. The build runs the notebooks in parallel in long-lived workers,
started while the clean step runs, that import papermill and nbconvert once, keep one warm
kernel each (started with the worker and importing what the notebooks import, reset to a
fresh kernel's state between notebooks, ended at once) and render the HTML in-process; the
statistics are computed once per build for every language (the results stage, `data/results/`,
read by every notebook); the national-size steps are each the median of three runs;
each report's cache key (processed data, notebook, `src/analysis`, parameters, and the files
of the report folder itself) is checked before anything starts."""


if __name__ == "__main__":
    sys.exit(main())
