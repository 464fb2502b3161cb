"""The committed reports: every number recomputed independently from data/processed, the
reviewer HTML free of code, the index complete, the Albanian reports free of English."""

from __future__ import annotations

import json
import math
import re

import nbformat
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import optimize, stats
from statsmodels.stats.anova import anova_lm

from analysis.config import KERNEL, LANGS
from analysis.present.locale import texts

from conftest import ROOT

MESSAGES = {lang: texts(lang) for lang in LANGS}

PROCESSED = ROOT / "data" / "processed"
REPORTS = ROOT / "reports"
WORKSHOPS = ["W1", "W2", "W3", "W4"]


@pytest.fixture(scope="module")
def processed():
    return {
        "paired": pd.read_csv(PROCESSED / "paired.csv"),
        "scores": pd.read_csv(PROCESSED / "scores.csv"),
        "answers": pd.read_parquet(PROCESSED / "answers.parquet"),
        "codebook": pd.read_csv(PROCESSED / "codebook.csv", dtype=str, keep_default_na=False),
        "manifest": json.loads((PROCESSED / "manifest.json").read_text()),
    }


def _summary(report_id, lang="en"):
    base = REPORTS if lang == "en" else REPORTS / lang
    return json.loads((base / report_id / "summary.json").read_text())


def _dz_ci(t_obs: float, n: int) -> tuple[float, float]:
    """Noncentral-t interval for d_z, solved here with brentq, independent of the package."""
    df = n - 1

    def solve(q):
        return optimize.brentq(lambda nc: stats.nct.cdf(t_obs, df, nc) - q, -20, 20)

    return solve(0.975) / math.sqrt(n), solve(0.025) / math.sqrt(n)


def _kr20(answers, codebook, wid, phase):
    items = codebook.loc[codebook["section"] == "knowledge", "item_id"]
    a = answers.loc[
        (answers["workshop_id"] == wid)
        & (answers["phase"] == phase)
        & answers["item_id"].isin(items)
    ]
    m = a.pivot(index="participant_id", columns="item_id", values="correct").astype(float)
    k = m.shape[1]
    return k / (k - 1) * (1 - m.var(ddof=1).sum() / m.sum(axis=1).var(ddof=1))


@pytest.mark.parametrize("wid", WORKSHOPS)
def test_workshop_summary_equals_independent_recomputation(processed, wid):
    s = _summary(wid)
    p = processed["paired"].loc[processed["paired"]["workshop_id"] == wid]
    sc = processed["scores"].loc[processed["scores"]["workshop_id"] == wid]
    pre, post = p["pre_pct"].to_numpy(), p["post_pct"].to_numpy()
    d = post - pre
    n = len(d)
    k = int((processed["codebook"]["section"] == "knowledge").sum())
    approx = pytest.approx

    assert s["workshop_id"] == wid and s["n_paired"] == n
    assert (
        s["n_pre"] == (sc["phase"] == "pre").sum() and s["n_post"] == (sc["phase"] == "post").sum()
    )
    assert s["pre_mean"] == approx(pre.mean()) and s["post_mean"] == approx(post.mean())
    assert s["pre_sd"] == approx(pre.std(ddof=1)) and s["post_sd"] == approx(post.std(ddof=1))
    assert s["diff_mean"] == approx(d.mean()) and s["diff_sd"] == approx(d.std(ddof=1))
    half = stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n)
    assert (s["diff_ci_low"], s["diff_ci_high"]) == approx((d.mean() - half, d.mean() + half))
    tt = stats.ttest_rel(post, pre)
    assert (s["t_stat"], s["t_df"], s["t_p"]) == approx((tt.statistic, n - 1, tt.pvalue))
    # Wilcoxon and rank-biserial on the integer numbers correct
    ci, cj = np.rint(pre * k / 100).astype(int), np.rint(post * k / 100).astype(int)
    assert s["wilcoxon_p"] == approx(stats.wilcoxon(cj, ci).pvalue)
    di = (cj - ci)[cj != ci]
    ranks = stats.rankdata(np.abs(di))
    w_plus, w_minus = ranks[di > 0].sum(), ranks[di < 0].sum()
    assert s["rank_biserial"] == approx((w_plus - w_minus) / (w_plus + w_minus))
    dz = d.mean() / d.std(ddof=1)
    assert s["d_z"] == approx(dz)
    assert (s["d_z_ci_low"], s["d_z_ci_high"]) == approx(_dz_ci(tt.statistic, n), abs=1e-6)
    d_av = d.mean() / ((pre.std(ddof=1) + post.std(ddof=1)) / 2)
    assert s["g_av"] == approx(d_av * (1 - 3 / (8 * n - 9)))
    assert s["hake_g"] == approx((post.mean() - pre.mean()) / (100 - pre.mean()))
    c = [
        (b - a) / (100 - a) if b > a else (b - a) / a if b < a else 0.0
        for a, b in zip(pre, post, strict=True)
        if not (a == b and a in (0, 100))
    ]
    assert s["mean_norm_change"] == approx(np.mean(c))
    assert s["kr20_pre"] == approx(_kr20(processed["answers"], processed["codebook"], wid, "pre"))
    assert s["kr20_post"] == approx(_kr20(processed["answers"], processed["codebook"], wid, "post"))
    assert s["pct_improved"] == approx(100 * np.mean(cj > ci))
    assert s["pct_unchanged"] == approx(100 * np.mean(cj == ci))
    assert s["pct_declined"] == approx(100 * np.mean(cj < ci))
    assert s["synthetic"] is processed["manifest"]["synthetic"] is True
    assert _summary(wid, "sq") == s


def test_pooled_summary_equals_statsmodels_fitted_here(processed):
    s = _summary("pooled")
    scores = processed["scores"]
    formula = "score_pct ~ C(phase, Treatment('pre')) + C(workshop_id)"
    term = "C(phase, Treatment('pre'))[T.post]"
    fit = smf.mixedlm(formula, scores, groups=scores["participant_id"]).fit(reml=True)
    assert s["lmm_phase_effect"] == pytest.approx(fit.params[term], abs=1e-4)
    lo, hi = fit.conf_int().loc[term]
    assert (s["lmm_phase_ci_low"], s["lmm_phase_ci_high"]) == pytest.approx((lo, hi), abs=1e-4)
    null = smf.mixedlm(formula, scores, groups=scores["participant_id"]).fit(reml=False)
    full = smf.mixedlm(
        "score_pct ~ C(phase, Treatment('pre')) * C(workshop_id)",
        scores,
        groups=scores["participant_id"],
    ).fit(reml=False)
    lr = 2 * (full.llf - null.llf)
    assert s["lmm_interaction_p"] == pytest.approx(stats.chi2.sf(lr, 3), rel=1e-3)
    ancova = anova_lm(
        smf.ols("post_pct ~ pre_pct + C(workshop_id)", processed["paired"]).fit(), typ=2
    )
    assert s["ancova_workshop_p"] == pytest.approx(ancova.loc["C(workshop_id)", "PR(>F)"])
    assert s["n_paired"] == len(processed["paired"])
    assert [w["workshop_id"] for w in s["workshops"]] == WORKSHOPS
    assert s["workshops"] == [_summary(w) for w in WORKSHOPS]
    assert s["synthetic"] is True


def _report_dirs():
    return [REPORTS / r for r in [*WORKSHOPS, "pooled"]] + [
        REPORTS / "sq" / r for r in [*WORKSHOPS, "pooled"]
    ]


@pytest.mark.parametrize("folder", _report_dirs(), ids=lambda p: str(p.relative_to(REPORTS)))
def test_report_folder_is_complete_and_html_shows_no_code(folder):
    for name in ("report.ipynb", "report.html", "summary.json"):
        assert (folder / name).is_file(), name
    pngs = sorted((folder / "figures").glob("*.png"))
    assert len(pngs) >= 2
    for png in pngs:
        assert png.with_suffix(".svg").is_file()
    assert list((folder / "tables").glob("*.csv"))
    html = (folder / "report.html").read_text(encoding="utf-8")
    for code in (
        "import ",
        "report.md(",
        "report.figure(",
        "stats.",
        "tables.",
        "prose.",
        "display(",
        "processed_dir",
        "out_dir",
        "workshop_id =",
        "fg.",
        "Cells tagged",  # the notebook's plan cells are for researchers, not reviewers
    ):
        assert code not in html, code
    assert html.count("data:image/png;base64") >= len(pngs)
    # every figure is described by its own title, in the report's language
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert len(alts) == html.count("<img ") >= len(pngs)
    generic = {m["fig_alt"] for m in MESSAGES.values()} | {"No description has been provided"}
    assert not set(alts) & generic and len(set(alts)) == len(alts)
    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert ["injected-parameters"] in tags  # the executed notebook keeps its parameters
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    assert not any(o.get("name") == "stderr" for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("lang", ["en", "sq"])
def test_index_links_every_report_and_the_other_language(lang):
    base = REPORTS if lang == "en" else REPORTS / "sq"
    html = (base / "index.html").read_text(encoding="utf-8")
    links = re.findall(r"href='([^']+)'|href=\"([^\"]+)\"", html)
    targets = {a or b for a, b in links}
    for r in [*WORKSHOPS, "pooled"]:
        assert f"{r}/report.html" in targets
        assert (base / r / "report.html").is_file()
    assert ("sq/index.html" if lang == "en" else "../index.html") in targets
    for wid in WORKSHOPS:
        assert _summary(wid)["n_paired"] and f">{_summary(wid)['n_paired']}<" in html


def test_source_notebooks_have_no_outputs_and_a_parameters_cell():
    for name, params in (
        ("workshop_report", ("workshop_id", "processed_dir", "out_dir", "lang")),
        ("pooled_report", ("processed_dir", "out_dir", "lang")),
    ):
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        assert nb.metadata["kernelspec"]["name"] == KERNEL
        assert all(
            not c.get("outputs") and not c.get("execution_count")
            for c in nb.cells
            if c.cell_type == "code"
        )
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1 and tagged[0].cell_type == "code"
        for p in params:
            assert re.search(rf"^{p} = ", tagged[0].source, re.M), p
        # a run by hand writes into scratch/, never into the committed reports/; the path
        # defaults are config's
        assert re.search(r"^out_dir = None\b", tagged[0].source, re.M)
        assert re.search(r"^processed_dir = None\b", tagged[0].source, re.M)


@pytest.mark.parametrize("name", ["workshop_report", "pooled_report"])
def test_source_notebooks_read_as_the_reports_plan(name):
    """A markdown cell tagged plan before every section; the sections call the statistics."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    sections = [c for c in code if "report.heading(" in c.source]
    assert len(sections) >= 7
    for i, cell in enumerate(nb.cells):
        if cell in sections:
            before = nb.cells[i - 1]
            assert before.cell_type == "markdown" and before.metadata.get("tags") == ["plan"]
            assert before.source.startswith("## ")
    calls = "".join(c.source for c in code)
    assert "stats." in calls and "fg." in calls and "report.figure(" in calls


def _english_only_words() -> set[str]:
    def words(lang):
        return {
            w.lower()
            for v in MESSAGES[lang].values()
            for w in re.findall(r"[A-Za-z]{4,}", re.sub(r"\{[^}]*\}", " ", v))
        }

    return words("en") - words("sq")


def _visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<img\b[^>]*>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    # file names in the provenance table are identifiers, not words of the report
    return re.sub(r"\S+\.(csv|json|xlsx|md|parquet)\b", " ", text)


@pytest.mark.parametrize("report", [*WORKSHOPS, "pooled", "index"])
def test_albanian_reports_contain_no_english_word_of_the_table(report):
    english = _english_only_words()
    assert {"gain", "participants", "workshop"} <= english
    path = REPORTS / "sq" / ("index.html" if report == "index" else f"{report}/report.html")
    found = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", _visible_text(path.read_text()))}
    assert not found & english, sorted(found & english)
    # tables/*.csv are the tidy tables for reuse, the same in every language (snake_case column
    # names, a label column per language): tests/test_tables_tidy.py


def test_scrub_leaves_nothing_that_varies_between_runs():
    """Two runs of the same notebook must write the same report.ipynb: papermill's timings,
    paths and the random id of the injected parameters cell are removed or fixed."""
    from analysis.build.render import scrub

    def executed(cell_id: str, started: str):
        nb = nbformat.v4.new_notebook()
        nb.metadata["papermill"] = {"parameters": {"lang": "en"}, "start_time": started}
        cell = nbformat.v4.new_code_cell('lang = "en"')
        cell["id"] = cell_id
        cell.metadata["tags"] = ["injected-parameters"]
        cell.metadata["papermill"] = {"duration": 0.1}
        nb.cells.append(cell)
        scrub(nb)
        return nbformat.writes(nb)

    first, second = executed("5d0e79b9", "09:00"), executed("94430612", "09:05")
    assert first == second and "injected-parameters" in first


def test_scrub_records_the_reports_own_folder_and_a_rerun_writes_to_scratch():
    from analysis.build.render import scrub

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('out_dir = "reports/.W1.tmp-4242"\nlang = "en"\n')
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.append(cell)
    scrub(nb, {"out_dir": "reports/W1", "lang": "en"})
    assert nb.cells[0].source.startswith("out_dir = None  #")
    assert nb.cells[0].source.endswith('\nlang = "en"\n')
    assert nb.metadata["papermill"]["parameters"]["out_dir"] == "reports/W1"


def test_committed_reports_record_their_own_folder():
    for folder in _report_dirs():
        nb = nbformat.read(folder / "report.ipynb", as_version=4)
        recorded = nb.metadata["papermill"]["parameters"]["out_dir"]
        assert recorded == folder.relative_to(ROOT).as_posix()
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert re.search(r"^out_dir = None\b", injected[0].source, re.M)  # a rerun: scratch/
