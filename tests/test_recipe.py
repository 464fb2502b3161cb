"""docs/architecture.md, "How to add a statistic", followed to the letter in a copy of the
project: a median gain (one function, its place in the results stage, its column, its words,
its table in both notebooks), then a build of every workshop's report and the pooled one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT

STATISTIC = '''

def median_gain(
    paired: pd.DataFrame, *, by: str | None = None, groups: Sequence[str] | None = None
) -> pd.DataFrame:
    """Median gain of the linked participants: ``median_i(post_i - pre_i)``, with their number
    ``n_paired``.

    Reference: e.g. Wilcox, R. R. (2012). Introduction to robust estimation (3rd ed.).

    Example:
        >>> p = pd.DataFrame({"pre_pct": [50.0, 60.0, 70.0], "post_pct": [60.0, 60.0, 90.0]})
        >>> median_gain(p).to_dict("records")
        [{'n_paired': 3, 'median_gain': 10.0}]
    """
    g = by_column(paired, by, groups)
    gain = paired["post_pct"].to_numpy(dtype=float) - paired["pre_pct"].to_numpy(dtype=float)
    mine = g.codes >= 0
    frame = pd.DataFrame(
        {
            "n_paired": np.bincount(g.codes[mine], minlength=g.size),
            "median_gain": group_medians(gain[mine], g.codes[mine], g.size),
        }
    )
    return g.table(frame, np.arange(g.size))
'''

PLAN = "## Median gain\n\nThe median of the linked officers' gains in points (`stats.median_gain`)."
CELL = (
    'report.heading("h_median_gain")\n'
    'report.table(tables.MEDIAN_GAIN.display(res.median_gain), "median_gain")'
)


def _insert(path: Path, anchor: str, text: str, *, before: bool = False) -> None:
    """Insert ``text`` after (or before) the one line holding ``anchor``."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if anchor in line]
    assert len(at) == 1, (path.name, anchor, len(at))
    lines.insert(at[0] if before else at[0] + 1, text)
    path.write_text("".join(lines), encoding="utf-8")


def _add_cells(notebook: Path, after_heading: str) -> None:
    """Step 7: a plan cell and a code cell, after the section whose code shows
    ``after_heading``."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    at = next(
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and after_heading in "".join(c["source"])
    )
    plan = {"cell_type": "markdown", "id": "plan-median-gain", "metadata": {"tags": ["plan"]}}
    plan["source"] = PLAN.splitlines(keepends=True)
    code = {"cell_type": "code", "execution_count": None, "id": "median-gain", "metadata": {}}
    code |= {"outputs": [], "source": CELL.splitlines(keepends=True)}
    nb["cells"][at + 1 : at + 1] = [plan, code]
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_statistic_added_by_the_recipe_reaches_every_report(tmp_path):
    project = tmp_path / "project"
    pkg = project / "src" / "analysis"
    shutil.copytree(ROOT / "src" / "analysis", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    shutil.copytree(ROOT / "data" / "raw", project / "data" / "raw")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")

    # 1. the function, in stats/measures.py, group-aware; listed and re-exported
    measures = pkg / "stats" / "measures.py"
    text = measures.read_text(encoding="utf-8")
    text = text.replace("__all__ = [\n", '__all__ = [\n    "median_gain",\n', 1)
    text = text.replace(
        "from ..clean.scoring import normalized_change\n",
        "from collections.abc import Sequence\n\nfrom ..clean.scoring import normalized_change\n"
        "from .groups import by_column, group_medians\n",
        1,
    )
    measures.write_text(text + STATISTIC, encoding="utf-8")
    init = pkg / "stats" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    assert text.count("from .measures import (\n") == 1 and text.count("__all__ = [\n") == 1
    text = text.replace("from .measures import (\n", "from .measures import (\n    median_gain,\n")
    init.write_text(text.replace("__all__ = [\n", '__all__ = [\n    "median_gain",\n'), "utf-8")

    # 3. its place in the results stage: a name in the registries, one line each
    compute = pkg / "results" / "compute.py"
    _insert(
        compute, '"summary": "stats.workshop_summary",', '    "median_gain": "stats.median_gain",\n'
    )
    _insert(compute, '"gee": "stats.pooled.item_gee",', '    "median_gain": "stats.median_gain",\n')
    _insert(
        compute,
        '"summary": summaries,',
        '        "median_gain": _split(stats.median_gain(paired, **kw), ids),\n',
    )
    _insert(
        compute,
        '"gee": pooled.item_gee(answers, cb),',
        '        "median_gain": stats.median_gain(paired),\n',
    )

    # 5. its column, declared once
    _insert(
        pkg / "present" / "columns.py",
        '_C("kr20", "coefficient", "dict_kr20", "col_kr20"),',
        '    _C("median_gain", "percentage_points", "dict_median_gain", "col_median_gain"),\n',
    )

    # 6. its words, in English and in every language's catalog, then make translations
    words = {
        "col_median_gain": "Median gain (points)",
        "dict_median_gain": "median of the linked participants' gains, in points",
        "h_median_gain": "Median gain",
    }
    _insert(
        pkg / "present" / "messages.py",
        'N_("col_gain", "Gain (points)"),',
        "".join(f'        N_("{k}", "{v}"),\n' for k, v in words.items()),
    )
    for po in sorted((pkg / "locales").glob("*/LC_MESSAGES/analysis.po")):
        entries = "".join(
            f'\nmsgctxt "{k}"\nmsgid "{v}"\nmsgstr "{v} ({po.parts[-3]})"\n'
            for k, v in words.items()
        )
        po.write_text(po.read_text(encoding="utf-8") + entries, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    env.pop("ANALYSIS_SCRATCH", None)
    done = subprocess.run(
        [sys.executable, "-m", "analysis.build.translations"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    # 7. show it: a Table, and a section in each notebook
    _insert(
        pkg / "present" / "tables.py",
        "RELIABILITY = Table(",
        'MEDIAN_GAIN = Table(\n    columns=("n median_gain",),\n'
        '    shown=(shown_count("n"), shown_number("median_gain", 1)),\n)\n\n\n',
        before=True,
    )
    tables = pkg / "present" / "tables.py"
    text = tables.read_text(encoding="utf-8")
    tables.write_text(
        text.replace("__all__ = [\n", '__all__ = [\n    "MEDIAN_GAIN",\n', 1), "utf-8"
    )
    _add_cells(project / "notebooks" / "workshop_report.ipynb", 'report.heading("h_reliability")')
    _add_cells(project / "notebooks" / "pooled_report.ipynb", 'report.heading("h_reliability")')

    build = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--lang", "en", "--jobs", "2"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout + build.stderr

    paired = pd.read_parquet(project / "data" / "processed" / "paired.parquet")
    gain = paired["post_pct"] - paired["pre_pct"]
    expected = {w: g.median() for w, g in gain.groupby(paired["workshop_id"].astype(str))}
    expected["pooled"] = gain.median()
    values = json.loads((project / "data" / "results" / "manifest.json").read_text())
    assert values["reports"] == ["W1", "W2", "W3", "W4", "pooled"]
    for rid, median in expected.items():
        folder = project / "reports" / rid
        table = pd.read_csv(folder / "tables" / "median_gain.csv", encoding="utf-8-sig")
        assert table["median_gain"].tolist() == [median], rid
        n = len(paired) if rid == "pooled" else int((paired["workshop_id"] == rid).sum())
        assert table["n"].tolist() == [n], rid
        dictionary = pd.read_csv(folder / "tables" / "dictionary.csv", encoding="utf-8-sig")
        row = dictionary.loc[dictionary["table"] == "median_gain"].set_index("column")
        assert row.loc["median_gain", "description_sq"] == f"{words['dict_median_gain']} (sq)"
        page = (folder / "report.html").read_text(encoding="utf-8")
        assert re.search(r"<h2[^>]*>Median gain", page), rid
        assert "Median gain (points)" in page, rid
