"""`make bench`: time the naive and the project's build, and national-size data, in one run.

Prints a table measured on the machine at hand and writes it into README.md between the
markers ``<!-- bench:start -->`` and ``<!-- bench:end -->``. Everything is written into a
temporary folder: data/raw, data/processed and reports/ are only read.

    python benchmarks/run.py            # everything (about 6 minutes on 2 cores)
    python benchmarks/run.py --no-readme
    python benchmarks/run.py --national-only   # only the national-size rows and targets
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
NATIONAL = {"participants": 9000, "workshops": 40}
#: The same participants in ten times the workshops: the statistics must not grow with them.
NATIONAL_MANY = {"participants": 9000, "workshops": 400}
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
    return [sys.executable, *args]


def naive(tmp: Path) -> float:
    """papermill then ``jupyter nbconvert`` per notebook, one after another, plus one clean."""
    processed = tmp / "processed"
    seconds = measure(py("-m", "analysis", "clean", "--raw", RAW, "--processed", processed))
    total = seconds["seconds"]
    for lang in LANGS:
        for rid in ("W1", "W2", "W3", "W4", "pooled"):
            out = tmp / lang / rid
            out.mkdir(parents=True)
            book = "pooled_report" if rid == "pooled" else "workshop_report"
            params = ["-p", "processed_dir", processed, "-p", "out_dir", out]
            params += ["-p", "lang", lang]
            if rid != "pooled":
                params += ["-p", "workshop_id", rid]
            nb = out / "report.ipynb"
            cmd = [BIN / "papermill", ROOT / "notebooks" / f"{book}.ipynb", nb, *params]
            total += measure([*cmd, "--cwd", ROOT])["seconds"]
            cmd = [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", nb]
            total += measure(cmd)["seconds"]
    return total


def build(tmp: Path) -> tuple[float, float, float]:
    """The project's build on an empty reports folder, again unchanged, and the report step."""
    args = ["--raw", RAW, "--processed", tmp / "processed", "--reports", tmp / "reports"]
    first = measure(py("-m", "analysis", "build", *args))["seconds"]
    again = measure(py("-m", "analysis", "build", *args))["seconds"]
    args = ["--processed", tmp / "processed", "--reports", tmp / "reports"]
    report_only = measure(py("-m", "analysis", "report", *args))["seconds"]
    return first, again, report_only


def national(tmp: Path) -> dict:
    """Simulate, clean and analyse a national-size data set; and just read its raw files."""
    raw, processed = tmp / "raw", tmp / "processed"
    sim = ["--seed", "2021", "--out", raw]
    sim += ["--participants", NATIONAL["participants"], "--workshops", NATIONAL["workshops"]]
    steps = {
        "simulate": measure(py("-m", "analysis", "simulate", *sim)),
        "read": measure(py(__file__, "--read", raw / "responses")),
        "clean": measure(py("-m", "analysis", "clean", "--raw", raw, "--processed", processed)),
        "stats": measure(py(__file__, "--stats", processed)),
    }
    raw, processed = tmp / "raw-many", tmp / "processed-many"
    sim = ["--seed", "2021", "--out", raw]
    sim += ["--participants", NATIONAL_MANY["participants"]]
    sim += ["--workshops", NATIONAL_MANY["workshops"]]
    measure(py("-m", "analysis", "simulate", *sim))
    measure(py("-m", "analysis", "clean", "--raw", raw, "--processed", processed))
    steps["stats_many"] = measure(py(__file__, "--stats", processed))
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
    """Every workshop's statistics (no notebooks) and the pooled analysis, which reuses the
    workshops' summaries (as the build does: each result computed once)."""
    from analysis import results, stats
    from analysis.stats import pooled

    d = results.load(processed)
    summaries = []
    for w in d.workshops.values():  # split by workshop once
        summary = stats.workshop_summary(
            w.scores,
            w.paired,
            w.answers,
            d.codebook,
            workshop_id=w.workshop_id,
            synthetic=d.synthetic,
        )
        stats.topic_table(w.scores, d.codebook)
        stats.item_table(w.answers, d.codebook)
        stats.reaction_summary(w.answers, d.codebook)
        stats.subgroup_table(w.paired)
        if len(w.scores):  # the pooled report's workshops: those with scored questionnaires
            summaries.append(summary)
    pooled.pooled_analysis(
        d.scores, d.paired, d.answers, d.codebook, d.synthetic, workshops=summaries
    )


def _s(x: float) -> str:
    return f"{x:.1f} s" if x >= 1 else f"{x:.2f} s"


def _gib(step: dict) -> str:
    return f"{step['peak'] / GIB:.2f} GiB peak"


def table(res: dict) -> tuple[str, list[str]]:
    """The Markdown table and the verdict on each target."""
    a, b, c, c_report = res["naive"], res["build"], res["again"], res["report_only"]
    nat = res["national"]
    work = nat["clean"]["seconds"] + nat["stats"]["seconds"]
    with_sim = work + nat["simulate"]["seconds"]
    read = nat["read"]["seconds"]
    peak = max(s["peak"] for s in nat.values())
    rows = [
        ("a. naive: papermill + jupyter nbconvert per notebook, one by one (+ clean)", _s(a)),
        (f"b. `python -m analysis build` ({res['cores']} cores), empty reports folder", _s(b)),
        ("c. the same build again, nothing changed (cache hit)", _s(c)),
        ("c'. its report step alone (`python -m analysis report`, cache hit)", _s(c_report)),
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
        _verdict("b at least 3x faster than a", a / b >= 3, f"{a / b:.1f}x"),
        _verdict("c under 5% of b", c / b < 0.05, f"{100 * c / b:.1f}% of b"),
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
    participants (200,000 questionnaires) under 1.5 GiB."""
    nat, big = res["national"], res["hardening"][UNMATCHED[-1]]
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
    ]


WHY = {
    "b at least 3x faster than a": (
        "on 2 cores parallel workers give under 2x, and the rest would have to come from each "
        "notebook's own CPU: every report still starts its own kernel and imports pandas, scipy "
        "and seaborn (about 3 s), and lays out, renders and saves each figure as PNG and SVG "
        "(about 4 s); sharing one warm kernel between notebooks would save the imports but make "
        "the executed notebooks depend on which ran before them"
    ),
    "c under 5% of b": "interpreter start-up and the hashing of raw data, code and outputs",
    "d within 5x of the bare read": (
        "the statistics run about 200 paired analyses (scipy's Wilcoxon test and an exact "
        "noncentral-t interval each), 800 exact McNemar tests and three mixed-model fits, and "
        "clean validates and logs every questionnaire and answer; a bare read does none of this"
    ),
}


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
    p.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
    p.add_argument(
        "--national-only", action="store_true", help="only the national-size rows (d, e); print"
    )
    args = p.parse_args()
    if args.read:
        read_exports(args.read)
        return 0
    if args.stats:
        all_statistics(args.stats)
        return 0
    res = {"cores": os.cpu_count()}
    if args.national_only:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            res["national"] = national(Path(tmp) / "national")
            res["hardening"] = hardening(Path(tmp) / "hardening")
        print(json.dumps(res, indent=1))
        print("\n".join(f"- {v}" for v in national_verdicts(res)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        for name, fn, folder in (("naive", naive, "naive"), ("build", build, "build")):
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            out = fn(tmp / folder)
            if name == "build":
                res["build"], res["again"], res["report_only"] = out
            else:
                res[name] = out
        print("measuring national size ...", file=sys.stderr, flush=True)
        res["national"] = national(tmp / "national")
        print("measuring the clean step on unmatched codes ...", file=sys.stderr, flush=True)
        res["hardening"] = hardening(tmp / "hardening")
    body, verdicts = table(res)
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    cpu = platform.processor() or platform.machine()
    head = (
        f"Measured by `make bench` on {when}: {res['cores']} cores ({cpu}), "
        f"Python {platform.python_version()}, {platform.system()}."
    )
    text = "\n".join([head, "", body, "", *[f"- {v}" for v in verdicts]])
    print(text)
    if not args.no_readme:
        write_readme(text + "\n\n" + NOTES)
        print(f"wrote {README.relative_to(ROOT)}")
    return 0


NOTES = """\
How: each row is one run of the command(s) in a fresh process, into a temporary folder, wall
time from start to exit (interpreter start-up and imports included). The build runs the
notebooks in parallel in long-lived workers that import papermill and nbconvert once and
render the HTML in-process; each report's cache key (processed data, notebook, `src/analysis`,
parameters, and the files of the report folder itself) is checked before anything starts."""


if __name__ == "__main__":
    sys.exit(main())
