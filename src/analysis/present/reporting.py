"""What the report notebooks call: load the processed data once, compute each report's results
once, and show or save them (tables, figures, prose) in the report's language.

The notebooks stay a narrative: parameters, a few calls from here, figures and prose whose
numbers all come from the data.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import stats
from ..build import directorate_name, output_dir, project_path
from .text import TEXT, fmt_ci, fmt_date, fmt_num, fmt_p, t

__all__ = [
    "Processed",
    "WorkshopResults",
    "load",
    "output_dir",
    "workshop_results",
    "apa_paired",
    "save_table",
    "save_json",
]


@dataclass
class Processed:
    """The processed data of one build, read once."""

    scores: pd.DataFrame
    paired: pd.DataFrame
    answers: pd.DataFrame
    codebook: pd.DataFrame
    registry: pd.DataFrame
    flow: pd.DataFrame
    manifest: dict

    @property
    def synthetic(self) -> bool:
        """True when the raw data is the shipped synthetic set."""
        return bool(self.manifest.get("synthetic"))

    @property
    def n_items(self) -> int:
        """Number of knowledge items of the codebook."""
        return int((self.codebook["section"] == "knowledge").sum())


def load(processed_dir: str | Path) -> Processed:
    """Read the processed folder (paths relative to the project root)."""
    base = project_path(processed_dir)
    return Processed(
        scores=pd.read_parquet(base / "scores.parquet"),
        paired=pd.read_parquet(base / "paired.parquet"),
        answers=pd.read_parquet(base / "answers.parquet"),
        codebook=pd.read_csv(base / "codebook.csv", dtype=str, keep_default_na=False),
        registry=pd.read_csv(base / "workshops.csv", dtype=str),
        flow=pd.read_csv(base / "flow.csv"),
        manifest=json.loads((base / "manifest.json").read_text(encoding="utf-8")),
    )


def topic_label(topic: str, lang: str) -> str:
    """Display name of a topic id."""
    return t(f"topic_{topic}", lang)


def item_label(codebook: pd.DataFrame, item_id: str, lang: str, width: int = 48) -> str:
    """``K05 Short question text…`` in the report's language, for figures and tables."""
    row = codebook.loc[codebook["item_id"] == item_id].iloc[0]
    text = str(row["text_sq" if lang == "sq" else "text_en"])
    return f"{item_id} {text if len(text) <= width else text[: width - 1].rstrip() + '…'}"


@dataclass
class WorkshopResults:
    """Every number of one workshop's report, computed once."""

    workshop_id: str
    facts: dict
    flow: dict
    summary: dict
    topics: pd.DataFrame
    items: pd.DataFrame
    reaction: pd.DataFrame
    subgroups: pd.DataFrame
    mde: float
    scores: pd.DataFrame
    paired: pd.DataFrame
    extra: dict = field(default_factory=dict)


def workshop_results(data: Processed, workshop_id: str) -> WorkshopResults:
    """Compute the whole per-workshop analysis for ``workshop_id``."""
    known = data.registry["workshop_id"].tolist()
    if workshop_id not in known:
        raise ValueError(f"workshop_id {workshop_id!r} is not one of {', '.join(known)}")
    facts = data.registry.set_index("workshop_id").loc[workshop_id].to_dict()
    flow = data.flow.set_index("workshop_id").loc[workshop_id].to_dict()
    summary = stats.workshop_summary(
        data.scores, data.paired, data.answers, data.codebook, workshop_id, data.synthetic
    )
    paired = data.paired.loc[data.paired["workshop_id"] == workshop_id]
    return WorkshopResults(
        workshop_id=workshop_id,
        facts=facts,
        flow=flow,
        summary=summary,
        topics=stats.topic_table(data.scores, data.codebook, workshop_id),
        items=stats.item_table(data.answers, data.codebook, workshop_id),
        reaction=stats.reaction_summary(data.answers, data.codebook, workshop_id),
        subgroups=stats.subgroup_table(data.paired, workshop_id),
        mde=stats.minimal_detectable_effect(len(paired)),
        scores=data.scores.loc[data.scores["workshop_id"] == workshop_id],
        paired=paired,
    )


def apa_paired(s: dict, lang: str = "en") -> str:
    """APA line of a paired comparison: ``t(17) = 4.21, p < .001, d_z = 0.99, 95% CI [..]``.

    In Albanian the statistics are separated by ``;``, since the comma is the decimal mark.
    """
    if not math.isfinite(s.get("t_stat", float("nan"))):
        return t("apa_undefined", lang, n=s.get("n_paired", 0))
    sep = "; " if lang == "sq" else ", "
    return (
        f"t({int(s['t_df'])}) = {fmt_num(s['t_stat'], lang, 2)}{sep}{fmt_p(s['t_p'], lang)}{sep}"
        f"d_z = {fmt_num(s['d_z'], lang, 2)}{sep}{t('ci95', lang)} "
        f"{fmt_ci(s['d_z_ci_low'], s['d_z_ci_high'], lang, 2)}"
    )


def headline(s: dict, lang: str = "en") -> str:
    """The headline paired result in words, every number from a ``paired_summary`` dict."""
    if s["n_paired"] < 2:
        return t("headline_too_few", lang, n=s["n_paired"])
    direction = "up" if s["diff_mean"] > 0 else "down"
    agree = (s["wilcoxon_p"] < 0.05) == (s["t_p"] < 0.05)
    wilcoxon_sentence = t(
        "wilcoxon_agrees" if agree else "wilcoxon_differs",
        lang,
        wilcoxon=fmt_p(s["wilcoxon_p"], lang),
        rb=fmt_num(s["rank_biserial"], lang, 2),
    )
    return t(
        f"headline_{direction}",
        lang,
        n=s["n_paired"],
        pre=fmt_num(s["pre_mean"], lang, 1),
        post=fmt_num(s["post_mean"], lang, 1),
        diff=fmt_num(abs(s["diff_mean"]), lang, 1),
        ci=fmt_ci(s["diff_ci_low"], s["diff_ci_high"], lang, 1),
        apa=apa_paired(s, lang),
        wilcoxon_sentence=wilcoxon_sentence,
        g_av=fmt_num(s["g_av"], lang, 2),
        hake=fmt_num(s["hake_g"], lang, 2),
        c=fmt_num(s["mean_norm_change"], lang, 2),
        improved=fmt_num(s["pct_improved"], lang, 0),
        unchanged=fmt_num(s["pct_unchanged"], lang, 0),
        declined=fmt_num(s["pct_declined"], lang, 0),
    )


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):
        return _json_value(v.item())
    if isinstance(v, dict):
        return {k: _json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    return v


def save_json(obj: dict, out: Path, name: str = "summary.json") -> None:
    """Write ``obj`` as JSON (NaN as null) to ``out/name``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    path.write_text(json.dumps(_json_value(obj), indent=2, ensure_ascii=False) + "\n")


def save_table(shown: pd.DataFrame, out: Path, name: str, lang: str = "en") -> Path:
    """Write a report table as ``out/tables/<name>.csv``, as the report shows it.

    English tables are comma-separated; Albanian ones, whose numbers carry a decimal comma, are
    semicolon-separated as Excel writes them in Albanian and most European locales.
    """
    (out / "tables").mkdir(parents=True, exist_ok=True)
    path = out / "tables" / f"{name}.csv"
    shown.to_csv(path, index=False, sep=";" if lang == "sq" else ",")
    return path


# --- showing things in a notebook ----------------------------------------------------------


def md(text: str):
    """Markdown for the notebook to display."""
    from IPython.display import Markdown

    return Markdown(text)


def heading(key: str, lang: str, level: int = 2):
    """A translated section heading."""
    return md(f"{'#' * level} {t(key, lang)}")


def figure_saver(out: Path, synthetic: bool, lang: str):
    """A function ``show(fig, name)`` that saves a figure as PNG and SVG and returns the PNG,
    with the figure's title as its alternative text (for screen readers in the HTML report).

    Figures of synthetic data carry the mark in their corner, so that none travels without it.
    """
    from .figures import save

    def show(fig, name: str):
        from IPython.display import Image

        if synthetic:
            mark = t("synthetic_mark", lang)
            fig.text(
                0.995,
                0.005,
                mark,
                ha="right",
                va="bottom",
                fontsize=9,
                fontweight="bold",
                color="#b45309",
            )
        save(fig, out, name)
        # show the saved PNG itself (no second rendering), at the figure's size in inches
        width = round(fig.get_figwidth() * 100)
        alt = " ".join(fig.get_suptitle().split()) or t("fig_alt", lang)
        return Image(data=(out / "figures" / f"{name}.png").read_bytes(), width=width, alt=alt)

    return show


def html_table(shown: pd.DataFrame):
    """A table as HTML without the index (its plain-text form carries no memory address)."""
    from IPython.display import HTML

    return HTML(shown.to_html(index=False, border=0, classes="dataframe", na_rep="–"))


def show_table(shown: pd.DataFrame, out: Path, name: str, lang: str):
    """Save a table as ``tables/<name>.csv`` and return it for display."""
    save_table(shown, out, name, lang)
    return html_table(shown)


def _fmt(series: pd.Series, lang: str, digits: int) -> pd.Series:
    return series.map(lambda v: fmt_num(float(v), lang, digits) if pd.notna(v) else "–")


def _p(series: pd.Series, lang: str) -> pd.Series:
    """p-values for a table cell: ``,034`` / ``< ,001`` (the ``p =`` of the prose dropped)."""
    return series.map(
        lambda v: (
            fmt_p(float(v), lang).removeprefix("p = ").removeprefix("p ") if pd.notna(v) else "–"
        )
    )


def title_block(data: Processed, r: WorkshopResults, lang: str):
    """Title, facts and (for synthetic data) the banner of a workshop report."""
    date = fmt_date(r.facts["date"], lang)
    directorate = directorate_name(r.facts, lang)
    title = t("report_title", lang, number=r.facts["number"], directorate=directorate)
    parts = [
        f"# {title}",
        t(
            "report_facts",
            lang,
            date=date,
            directorate=directorate,
            n_pre=r.summary["n_pre"],
            n_post=r.summary["n_post"],
            n_paired=r.summary["n_paired"],
        ),
    ]
    if data.synthetic:
        parts.insert(1, banner(lang))
    parts.insert(0, nav(r.workshop_id, lang))
    return md("\n\n".join(parts))


def nav(report_id: str, lang: str) -> str:
    """Links from a report to the index and to the same report in the other language."""
    if lang == "sq":
        other, label = f"../../{report_id}/report.html", "English"
    else:
        other, label = f"../sq/{report_id}/report.html", "Shqip"
    return f"[{t('nav_index', lang)}](../index.html) · [{label}]({other})"


def banner(lang: str) -> str:
    """The SYNTHETIC DATA banner as an HTML block."""
    return (
        "<div style='background:#fde68a;border:2px solid #b45309;padding:.6em;"
        f"font-weight:bold'>{t('synthetic_banner', lang)}</div>"
    )


def flow_text(flow: dict, lang: str):
    """The participant flow in words."""
    return md(t("flow_text", lang, **{k: int(v) for k, v in flow.items()}))


def flow_table(flow: dict, lang: str) -> pd.DataFrame:
    """The flow as a table: stage by phase."""
    rows = [
        ("stage_received", flow["received_pre"], flow["received_post"]),
        ("stage_duplicates", flow["duplicates_pre"], flow["duplicates_post"]),
        ("stage_excluded", flow["excluded_pre"], flow["excluded_post"]),
        ("stage_scored", flow["scored_pre"], flow["scored_post"]),
        ("stage_unmatched", flow["unmatched_pre"], flow["unmatched_post"]),
        ("stage_paired", flow["paired"], flow["paired"]),
        ("stage_fuzzy", flow["fuzzy_links"], flow["fuzzy_links"]),
    ]
    return pd.DataFrame(
        [(t(k, lang), int(a), int(b)) for k, a, b in rows],
        columns=[t("col_stage", lang), t("col_pre", lang), t("col_post", lang)],
    )


def topic_tables(topics: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The topic table (full, with translated headers) and its formatted display."""
    label = topics["topic"].map(lambda x: topic_label(x, lang))
    full = topics.assign(topic_label=label)
    shown = pd.DataFrame(
        {
            t("col_topic", lang): label,
            t("col_n", lang): topics["n_paired"],
            t("col_pre_mean", lang): _fmt(topics["pre_mean"], lang, 1),
            t("col_post_mean", lang): _fmt(topics["post_mean"], lang, 1),
            t("col_gain", lang): _fmt(topics["diff_mean"], lang, 1),
            t("col_ci", lang): [
                fmt_ci(a, b, lang, 1)
                for a, b in zip(topics["diff_ci_low"], topics["diff_ci_high"], strict=True)
            ],
            t("col_d_z", lang): _fmt(topics["d_z"], lang, 2),
            t("col_p_holm", lang): _p(topics["t_p_holm"], lang),
        }
    )
    return full, shown


def topic_tests_table(topics: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every paired statistic of each topic (METHODS: the workshop's statistics per topic)."""
    shares = zip(
        topics["pct_improved"], topics["pct_unchanged"], topics["pct_declined"], strict=True
    )
    return pd.DataFrame(
        {
            t("col_topic", lang): topics["topic"].map(lambda x: topic_label(x, lang)),
            t("col_n", lang): topics["n_paired"],
            t("col_t_df", lang): [
                "–" if pd.isna(v) else f"{fmt_num(v, lang, 2)} ({int(df)})"
                for v, df in zip(topics["t_stat"], topics["t_df"], strict=True)
            ],
            t("col_p", lang): _p(topics["t_p"], lang),
            t("col_p_holm", lang): _p(topics["t_p_holm"], lang),
            t("col_wilcoxon_p", lang): _p(topics["wilcoxon_p"], lang),
            t("col_wilcoxon_p_holm", lang): _p(topics["wilcoxon_p_holm"], lang),
            t("col_rank_biserial", lang): _fmt(topics["rank_biserial"], lang, 2),
            t("col_d_z_ci", lang): [
                "–" if pd.isna(lo) else fmt_ci(lo, hi, lang, 2)
                for lo, hi in zip(topics["d_z_ci_low"], topics["d_z_ci_high"], strict=True)
            ],
            t("col_g_av", lang): _fmt(topics["g_av"], lang, 2),
            t("col_hake_g", lang): _fmt(topics["hake_g"], lang, 2),
            t("col_norm_change", lang): _fmt(topics["mean_norm_change"], lang, 2),
            t("col_improved", lang): [
                " / ".join("–" if pd.isna(v) else fmt_num(v, lang, 0) for v in row)
                for row in shares
            ],
        }
    )


def topic_tests_text(lang: str):
    """What the table of every paired statistic per topic holds."""
    return md(t("topic_tests_text", lang))


def topics_text(topics: pd.DataFrame, lang: str):
    """One sentence on the topics."""
    if topics["diff_mean"].isna().all():
        return md(t("headline_too_few", lang, n=int(topics["n_paired"].max() or 0)))
    best = topics.loc[topics["diff_mean"].idxmax()]
    return md(
        t(
            "topics_text",
            lang,
            k=len(topics),
            best=topic_label(best["topic"], lang),
            best_diff=fmt_num(best["diff_mean"], lang, 1),
        )
    )


def item_tables(
    items: pd.DataFrame, codebook: pd.DataFrame, lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The item table (full) and its formatted display, with flags in words."""
    labels = items["item_id"].map(lambda i: item_label(codebook, i, lang))
    full_text = items["item_id"].map(lambda i: item_label(codebook, i, lang, width=10_000))
    flags = [
        ", ".join([t("flag_ceiling", lang)] * bool(c) + [t("flag_negative", lang)] * bool(n))
        for c, n in zip(items["ceiling"], items["negative_discrimination"], strict=True)
    ]
    full = items.assign(item_label=labels)
    shown = pd.DataFrame(
        {
            t("col_item", lang): full_text,
            t("col_pre_correct", lang): _fmt(items["pre_pct_correct"], lang, 0),
            t("col_post_correct", lang): _fmt(items["post_pct_correct"], lang, 0),
            t("col_gained_lost", lang): [
                f"{int(g)} / {int(lo)}"
                for g, lo in zip(items["n_gained"], items["n_lost"], strict=True)
            ],
            t("col_p_holm", lang): _p(items["mcnemar_p_holm"], lang),
            t("col_difficulty", lang): _fmt(items["difficulty_pre"], lang, 2)
            + " / "
            + _fmt(items["difficulty_post"], lang, 2),
            t("col_discrimination", lang): _fmt(items["discrimination_pre"], lang, 2)
            + " / "
            + _fmt(items["discrimination_post"], lang, 2),
            t("col_flags", lang): flags,
        }
    )
    return full, shown


NAN = stats.NAN
SMALL_GROUP = 30  # below this many paired participants, one phase's sign may be chance


def _negative_phases(row, lang: str) -> str:
    """In which phase(s) an item's discrimination is negative, in words."""
    phases = [
        t(f"col_{phase}", lang).lower()
        for phase in ("pre", "post")
        if getattr(row, f"discrimination_{phase}") < 0
    ]
    return t("both_phases", lang) if len(phases) == 2 else phases[0]


def items_text(items: pd.DataFrame, lang: str):
    """Items that changed or fell, ceiling items and possible wrong keys, in words."""
    none = t("none", lang)
    fell = items.loc[items["change_pct"] <= -20]
    fell_text = ", ".join(
        f"{i} ({fmt_num(a, lang, 0)} → {fmt_num(b, lang, 0)}%)"
        for i, a, b in zip(
            fell["item_id"], fell["pre_pct_correct"], fell["post_pct_correct"], strict=True
        )
    )
    ceiling = ", ".join(items.loc[items["ceiling"], "item_id"]) or none
    negative = ", ".join(
        f"{row.item_id} ({_negative_phases(row, lang)})"
        for row in items.loc[items["negative_discrimination"]].itertuples(index=False)
    )
    negative = negative or none
    n_sig = int((items["mcnemar_p_holm"] < 0.05).sum())
    n_paired = int(items["n_paired"].max()) if len(items) else 0
    return md(
        t(
            "items_text",
            lang,
            n_sig=n_sig,
            k=len(items),
            n=n_paired,
            fell=fell_text or none,
            ceiling=ceiling,
            negative=negative,
            chance=t("negative_chance", lang) if n_paired < SMALL_GROUP else "",
        )
    )


def reliability_text(summary: dict, k: int, lang: str):
    """KR-20 of both phases in words, saying which falls below .70."""
    text = t(
        "reliability_text",
        lang,
        k=k,
        pre=fmt_num(summary["kr20_pre"], lang, 2),
        post=fmt_num(summary["kr20_post"], lang, 2),
    )
    low = [
        f"KR-20 ({t('col_' + phase, lang).lower()})"
        for phase in ("pre", "post")
        if summary[f"kr20_{phase}"] is not None and summary[f"kr20_{phase}"] < 0.70
    ]
    if len(low) == 2:
        text += " " + t("reliability_low_both", lang)
    elif low:
        text += " " + t("reliability_low", lang, phases=low[0])
    return md(text)


def reaction_tables(
    reaction: pd.DataFrame, codebook: pd.DataFrame, lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reaction table (full, labelled) and its formatted display."""
    labels = reaction["item_id"].map(lambda i: item_label(codebook, i, lang, width=60))
    full = reaction.drop(columns=["text_en"], errors="ignore").assign(item_label=labels)
    shown = pd.DataFrame(
        {
            t("col_statement", lang): labels,
            t("col_n", lang): reaction["n"],
            **{f"{v} (%)": _fmt(reaction[f"pct_{v}"], lang, 0) for v in range(1, 6)},
            t("col_agree", lang): _fmt(reaction["pct_agree"], lang, 0),
            t("col_median", lang): _fmt(reaction["median"], lang, 1),
        }
    )
    return full, shown


def reaction_text(reaction: pd.DataFrame, codebook: pd.DataFrame, lang: str):
    """The reaction in words."""
    if reaction.empty or reaction["n"].max() == 0:
        return md(t("headline_too_few", lang, n=0))
    best = reaction.loc[reaction["pct_agree"].idxmax()]
    return md(
        t(
            "reaction_text",
            lang,
            n=int(reaction["n"].max()),
            best=item_label(codebook, best["item_id"], lang, width=80),
            best_pct=fmt_num(best["pct_agree"], lang, 0),
        )
    )


def subgroup_table(subgroups: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The subgroup table as shown (suppressed cells stay ``<5``, without statistics)."""
    var = subgroups["variable"].map(lambda v: t(f"var_{v}", lang))
    group = subgroups["group"].map(lambda g: group_label(g, lang))
    n = subgroups["n"].map(lambda v: t("cell_hidden", lang) if v == stats.HIDDEN else str(v))
    return pd.DataFrame(
        {
            t("col_variable", lang): var,
            t("col_group", lang): group,
            t("col_n", lang): n,
            t("col_gain", lang): _fmt(subgroups["mean_gain"], lang, 1),
            t("col_ci", lang): [
                "–" if s else fmt_ci(a, b, lang, 1)
                for a, b, s in zip(
                    subgroups["ci_low"], subgroups["ci_high"], subgroups["suppressed"], strict=True
                )
            ],
        }
    )


def group_label(group: str, lang: str) -> str:
    """A subgroup's name in the report's language (data values such as ``M`` translated)."""
    if group == "missing":
        return t("group_missing", lang)
    if group == stats.OTHER:
        return t("group_other", lang)
    return t(f"value_{group}", lang) if f"value_{group}" in TEXT else group


def subgroups_text(lang: str):
    """How the subgroup table protects identities."""
    return md(t("subgroups_text", lang))


def sensitivity_text(r: WorkshopResults, lang: str):
    """The minimal detectable effect for this workshop's n, and how to read the result: by its
    significance and the interval of d_z (not by comparing the observed d_z with the minimal
    detectable one, which is post-hoc power)."""
    s, mde = r.summary, r.mde
    p = s["t_p"]
    if p is None or not math.isfinite(p):
        verdict = ""
    else:
        verdict = t(
            "sensitivity_significant" if p < 0.05 else "sensitivity_not_significant",
            lang,
            ci=fmt_ci(s["d_z_ci_low"], s["d_z_ci_high"], lang, 2),
            high=fmt_num(s["d_z_ci_high"], lang, 2),
        )
    n = s["n_paired"]
    return md(t("sensitivity_text", lang, n=n, mde=fmt_num(mde, lang, 2), verdict=verdict))


def sensitivity_table(r: WorkshopResults, lang: str) -> pd.DataFrame:
    """The sensitivity analysis as a table: n, alpha, power, minimal detectable and observed d_z."""
    s = r.summary
    observed = fmt_num(s["d_z"], lang, 2)
    if s["d_z_ci_low"] is not None and pd.notna(s["d_z_ci_low"]):
        observed += " " + fmt_ci(s["d_z_ci_low"], s["d_z_ci_high"], lang, 2)
    rows = [
        ("sens_n", str(int(s["n_paired"]))),
        ("sens_alpha", fmt_num(stats.MDE_ALPHA, lang, 2)),
        ("sens_power", fmt_num(stats.MDE_POWER, lang, 2)),
        ("sens_mde", fmt_num(r.mde, lang, 2)),
        ("sens_observed", observed),
    ]
    return pd.DataFrame(
        [(t(k, lang), v) for k, v in rows], columns=[t("col_statistic", lang), t("col_value", lang)]
    )


def limitations_text(r: WorkshopResults, synthetic: bool, lang: str):
    """The design's limitations, with this workshop's numbers."""
    p = r.paired

    def corr_with_pre(column: str) -> float:
        return float(pd.Series(p["pre_pct"]).corr(pd.Series(p[column]))) if len(p) > 2 else NAN

    r_pre_gain, r_pre_post = corr_with_pre("gain_pct"), corr_with_pre("post_pct")
    received = int(r.flow["scored_pre"])
    text = t(
        "limitations_text",
        lang,
        r_pre_gain=fmt_num(r_pre_gain, lang, 2),
        r_pre_post=fmt_num(r_pre_post, lang, 2),
        n_ceiling=int(r.items["ceiling"].sum()),
        k=len(r.items),
        paired=r.summary["n_paired"],
        received=received,
        attrition=fmt_num(
            100 * (1 - r.summary["n_paired"] / received) if received else float("nan"), lang, 0
        ),
    )
    if synthetic:
        text += "\n" + t("limitations_synthetic", lang)
    return md(text)


def methods_text(k: int, lang: str, pooled: bool = False):
    """Methods with references."""
    body = t("methods_text", lang, k=k)
    if pooled:
        body += "\n\n" + t("methods_pooled_text", lang)
    return md(body + "\n\n" + t("references", lang))


def provenance(data: Processed, lang: str) -> tuple:
    """Provenance: a sentence, the raw files with SHA-256, and the package versions."""
    m = data.manifest
    files = pd.DataFrame(sorted(m["raw_files"].items()), columns=[t("col_file", lang), "SHA-256"])
    packages = pd.DataFrame(
        sorted(m["packages"].items()), columns=[t("col_package", lang), t("col_version", lang)]
    )
    return (
        md(t("provenance_text", lang, commit=m.get("commit", "unknown"))),
        html_table(files),
        html_table(packages),
    )


# --- the pooled report ---------------------------------------------------------------------


@dataclass
class PooledResults:
    """Every number of the pooled report, computed once."""

    summary: dict
    analysis: Any
    gee: dict
    overall: dict
    topics: pd.DataFrame
    items: pd.DataFrame


def pooled_results(data: Processed) -> PooledResults:
    """Fit the pooled models and compute the series-wide tables."""
    from ..stats.pooled import item_gee, pooled_analysis

    analysis = pooled_analysis(
        data.scores, data.paired, data.answers, data.codebook, data.synthetic
    )
    return PooledResults(
        summary=analysis.summary,
        analysis=analysis,
        gee=item_gee(data.answers, data.codebook),
        overall=stats.paired_summary(
            data.paired["pre_pct"], data.paired["post_pct"], n_items=data.n_items
        ),
        topics=stats.topic_table(data.scores, data.codebook),
        items=stats.item_table(data.answers, data.codebook),
    )


def _workshop_label(data: Processed, wid: str, lang: str) -> str:
    facts = data.registry.set_index("workshop_id").loc[wid].to_dict()
    return f"{wid} {directorate_name(facts, lang)}"


def pooled_title_block(data: Processed, res: PooledResults, lang: str):
    """Title, facts and (for synthetic data) the banner of the pooled report."""
    parts = [
        f"# {t('pooled_title', lang)}",
        t(
            "pooled_facts",
            lang,
            n_workshops=len(res.summary["workshops"]),
            n_scored=len(data.scores),
            n_paired=res.summary["n_paired"],
        ),
        headline(res.overall, lang),
    ]
    if data.synthetic:
        parts.insert(1, banner(lang))
    parts.insert(0, nav("pooled", lang))
    return md("\n\n".join(parts))


def workshop_overview(data: Processed, res: PooledResults, lang: str) -> pd.DataFrame:
    """One row per workshop as shown: n, means, gain with CI, d_z, g_av."""
    full = pd.DataFrame(res.summary["workshops"])
    labels = full["workshop_id"].map(lambda w: _workshop_label(data, w, lang))
    return pd.DataFrame(
        {
            t("col_workshop", lang): labels,
            t("col_n", lang): full["n_paired"],
            t("col_pre_mean", lang): _fmt(full["pre_mean"], lang, 1),
            t("col_post_mean", lang): _fmt(full["post_mean"], lang, 1),
            t("col_gain", lang): _fmt(full["diff_mean"], lang, 1),
            t("col_ci", lang): [
                fmt_ci(a, b, lang, 1)
                for a, b in zip(full["diff_ci_low"], full["diff_ci_high"], strict=True)
            ],
            t("col_d_z", lang): _fmt(full["d_z"], lang, 2),
            "g_av": _fmt(full["g_av"], lang, 2),
        }
    )


def forest_rows(data: Processed, res: PooledResults, lang: str) -> pd.DataFrame:
    """Rows of the forest plot: each workshop, then all workshops together."""
    rows = pd.DataFrame(res.summary["workshops"])
    rows = rows.assign(
        workshop_label=rows["workshop_id"].map(lambda w: _workshop_label(data, w, lang))
    )
    overall = {
        k: res.overall[k] for k in ("diff_mean", "diff_ci_low", "diff_ci_high", "g_av", "n_paired")
    }
    overall |= {"workshop_id": "pooled", "workshop_label": t("fig_pooled", lang)}
    return pd.concat([rows, pd.DataFrame([overall])], ignore_index=True)


def workshop_means(data: Processed, lang: str) -> pd.DataFrame:
    """Mean score with its t interval per workshop and test, over the paired participants."""
    rows = []
    for wid, g in data.paired.groupby("workshop_id", sort=False):
        for phase in ("pre", "post"):
            m, _sd, lo, hi = stats._mean_ci(g[f"{phase}_pct"].to_numpy(dtype=float))
            rows.append(
                {
                    "workshop_id": wid,
                    "workshop_label": wid,
                    "phase": phase,
                    "n": len(g),
                    "mean": m,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
    return pd.DataFrame(rows)


def compare_text(lang: str):
    """What the workshop comparison figure shows, and what it does not."""
    return md(t("compare_text", lang))


def pooled_limitations(data: Processed, res: PooledResults, lang: str):
    """The limitations of the series as a whole, with its attrition and reliability numbers."""
    scored_pre = int(data.flow["scored_pre"].sum())
    paired = int(res.summary["n_paired"])
    kr = [
        float(w[f"kr20_{ph}"])
        for w in res.summary["workshops"]
        for ph in ("pre", "post")
        if w[f"kr20_{ph}"] is not None and math.isfinite(w[f"kr20_{ph}"])
    ]
    numbers = t(
        "limitations_pooled_numbers",
        lang,
        paired=paired,
        scored_pre=scored_pre,
        attrition=fmt_num(100 * (1 - paired / scored_pre) if scored_pre else NAN, lang, 0),
        kr_min=fmt_num(min(kr) if kr else NAN, lang, 2),
        kr_max=fmt_num(max(kr) if kr else NAN, lang, 2),
        n_low=sum(k < 0.70 for k in kr),
        n_kr=len(kr),
    )
    text = t("limitations_pooled", lang) + "\n" + numbers
    if data.synthetic:
        text += "\n" + t("limitations_synthetic", lang)
    return md(text)


def models_text(res: PooledResults, lang: str):
    """The pooled models in words."""
    s, a, g = res.summary, res.analysis, res.gee
    lmm = a.lmm
    note = t(
        "overall_note",
        lang,
        simple=fmt_num(res.overall["diff_mean"], lang, 1),
        lmm=fmt_num(s["lmm_phase_effect"], lang, 1),
    )
    reading = t(
        "models_reading",
        lang,
        p_int=fmt_p(s["lmm_interaction_p"], lang),
        p_ancova=fmt_p(s["ancova_workshop_p"], lang),
    )
    return md(
        note
        + "\n\n"
        + t(
            "lmm_text",
            lang,
            n_obs=lmm.n_obs if lmm else 0,
            n_groups=lmm.n_groups if lmm else 0,
            effect=fmt_num(s["lmm_phase_effect"], lang, 1),
            ci=fmt_ci(s["lmm_phase_ci_low"], s["lmm_phase_ci_high"], lang, 1),
            df=a.interaction.get("df", "–"),
            lr=fmt_num(a.interaction.get("lr", float("nan")), lang, 2),
            p_int=fmt_p(s["lmm_interaction_p"], lang),
            p_ancova=fmt_p(s["ancova_workshop_p"], lang),
            or_=fmt_num(g["odds_ratio"], lang, 2),
            or_ci=fmt_ci(g["or_ci_low"], g["or_ci_high"], lang, 2),
            p_gee=fmt_p(g["p"], lang),
        )
        + "\n\n"
        + reading
    )


def model_table(res: PooledResults, lang: str) -> pd.DataFrame:
    """The pooled model statistics as a table, as shown."""
    s, a, g = res.summary, res.analysis, res.gee
    full = pd.DataFrame(
        [
            (
                "lmm_phase_effect",
                s["lmm_phase_effect"],
                s["lmm_phase_ci_low"],
                s["lmm_phase_ci_high"],
                float("nan"),
            ),
            ("lmm_interaction_lr", a.interaction.get("lr"), None, None, s["lmm_interaction_p"]),
            ("ancova_workshop_F", a.ancova.get("F"), None, None, s["ancova_workshop_p"]),
            ("gee_odds_ratio", g["odds_ratio"], g["or_ci_low"], g["or_ci_high"], g["p"]),
        ],
        columns=["statistic", "estimate", "ci_low", "ci_high", "p"],
    )
    names = {k: t(f"term_{k}", lang) for k in full["statistic"]}
    return pd.DataFrame(
        {
            t("col_term", lang): full["statistic"].map(names),
            t("col_estimate", lang): _fmt(full["estimate"], lang, 2),
            t("col_ci", lang): [
                "–" if pd.isna(lo) else fmt_ci(lo, hi, lang, 2)
                for lo, hi in zip(full["ci_low"], full["ci_high"], strict=True)
            ],
            t("col_p", lang): _p(full["p"], lang),
        }
    )


def warnings_text(res: PooledResults, lang: str):
    """The model diagnostics: every warning the fits raised, or that there were none."""
    messages = list(dict.fromkeys([*res.analysis.warnings, *res.gee.get("warnings", [])]))
    if not messages:
        lmm = res.analysis.lmm
        diff = lmm.ols_max_diff_se if lmm else float("nan")
        return md(t("warnings_none", lang, diff=fmt_num(diff, lang, 2)))
    return md(t("warnings_some", lang) + "\n\n" + "\n".join(f"- `{m}`" for m in messages))
