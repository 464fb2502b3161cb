"""One translation table for every word a report, figure or index shows, and number formats.

English (``en``) and Albanian (``sq``). Albanian writes the decimal comma (``12,5``) and drops
the leading zero of p-values the same way English does (``p < ,001``).
"""

from __future__ import annotations

import math

LANGS = ("en", "sq")

TEXT: dict[str, dict[str, str]] = {
    "synthetic_banner": {
        "en": "SYNTHETIC DATA: these numbers come from simulated questionnaires, not from the "
        "officers who attended. They show what the analysis does, not what the workshops achieved.",
        "sq": "TË DHËNA SINTETIKE: këto numra vijnë nga pyetësorë të simuluar, jo nga zyrtarët që "
        "morën pjesë. Ato tregojnë çfarë bën analiza, jo çfarë arritën punëtoritë.",
    },
    "index_title": {
        "en": "Workshops on public trust and satisfaction with police work, March 2021: "
        "knowledge gain",
        "sq": "Punëtoritë për besueshmërinë dhe kënaqshmërinë e publikut me punën policore, "
        "mars 2021: rritja e njohurive",
    },
    "index_intro": {
        "en": "Kosovo Police, Directorate of Community Policing and Prevention, with the OSCE "
        "Mission in Kosovo. Pre-test and post-test of the same knowledge questionnaire; "
        "gain in percentage points among participants with both tests.",
        "sq": "Policia e Kosovës, Drejtoria e Policisë në Bashkësi dhe Parandalim, me Misionin e "
        "OSBE-së në Kosovë. Paratesti dhe pastesti me të njëjtin pyetësor njohurish; rritja në "
        "pikë përqindjeje te pjesëmarrësit me të dy testet.",
    },
    "index_other_language": {"en": "Shqip", "sq": "English"},
    "index_pooled_link": {
        "en": "All workshops together (pooled report)",
        "sq": "Të gjitha punëtoritë së bashku (raporti i përbashkët)",
    },
    "col_workshop": {"en": "Workshop", "sq": "Punëtoria"},
    "col_directorate": {"en": "Regional directorate, date", "sq": "Drejtoria rajonale, data"},
    "col_gain_ci": {
        "en": "Mean gain, points [95% CI]",
        "sq": "Rritja mesatare, pikë [95% IB]",
    },
    # figures (src/analysis/figures.py)
    "fig_pre": {"en": "Pre-test", "sq": "Paratesti"},
    "fig_post": {"en": "Post-test", "sq": "Pastesti"},
    "fig_test": {"en": "Test", "sq": "Testi"},
    "fig_phase_n": {"en": "{phase}\n(n = {n})", "sq": "{phase}\n(n = {n})"},
    "fig_score_axis": {"en": "Score (% correct)", "sq": "Rezultati (% të sakta)"},
    "fig_change_axis": {
        "en": "Change (percentage points)",
        "sq": "Ndryshimi (pikë përqindjeje)",
    },
    "fig_empty": {
        "en": "Not enough data to show this figure",
        "sq": "Nuk ka të dhëna të mjaftueshme për këtë figurë",
    },
    "fig_suppressed": {
        "en": "Fewer than 5 participants: not shown",
        "sq": "Më pak se 5 pjesëmarrës: nuk shfaqet",
    },
    "fig_flow_title": {"en": "Participant flow", "sq": "Rrjedha e pjesëmarrësve"},
    "fig_flow_received": {"en": "Received: {n}", "sq": "Të pranuar: {n}"},
    "fig_flow_duplicates": {"en": "Duplicates removed: {n}", "sq": "Dublikata të hequra: {n}"},
    "fig_flow_excluded": {"en": "Excluded: {n}", "sq": "Të përjashtuar: {n}"},
    "fig_flow_scored": {"en": "Scored: {n}", "sq": "Të vlerësuar: {n}"},
    "fig_flow_paired": {
        "en": "Paired (both tests): {n}",
        "sq": "Të çiftuar (të dy testet): {n}",
    },
    "fig_flow_unmatched": {"en": "Without a match: {n}", "sq": "Pa çift: {n}"},
    "fig_slopes_title": {
        "en": "Individual scores, pre-test to post-test",
        "sq": "Rezultatet individuale, nga paratesti te pastesti",
    },
    "fig_improved": {"en": "Improved", "sq": "Përmirësim"},
    "fig_unchanged": {"en": "Unchanged", "sq": "Pa ndryshim"},
    "fig_declined": {"en": "Declined", "sq": "Rënie"},
    "fig_mean": {"en": "Mean", "sq": "Mesatarja"},
    "fig_dist_title": {
        "en": "Scores of all scored questionnaires",
        "sq": "Rezultatet e të gjithë pyetësorëve të vlerësuar",
    },
    "fig_topic": {"en": "Topic", "sq": "Tema"},
    "fig_topic_title": {
        "en": "Change by topic (95% CI)",
        "sq": "Ndryshimi sipas temës (IB 95%)",
    },
    "fig_holm_sig": {"en": "Holm-adjusted p < .05", "sq": "p e korrigjuar (Holm) < ,05"},
    "fig_holm_ns": {"en": "Holm-adjusted p ≥ .05", "sq": "p e korrigjuar (Holm) ≥ ,05"},
    "fig_item": {"en": "Item", "sq": "Pyetja"},
    "fig_item_title": {
        "en": "Correct answers per item, paired participants",
        "sq": "Përgjigjet e sakta për pyetje, pjesëmarrësit e çiftuar",
    },
    "fig_item_axis": {"en": "Correct answers (%)", "sq": "Përgjigje të sakta (%)"},
    "fig_post_sig": {"en": "Post-test, Holm p < .05", "sq": "Pastesti, p (Holm) < ,05"},
    "fig_post_ns": {"en": "Post-test, Holm p ≥ .05", "sq": "Pastesti, p (Holm) ≥ ,05"},
    "fig_flag_ceiling": {
        "en": "† ceiling: ≥ 90% correct at pre-test",
        "sq": "† tavan: ≥ 90% të sakta në paratest",
    },
    "fig_flag_negdisc": {
        "en": "‡ negative discrimination (check the key)",
        "sq": "‡ diskriminim negativ (kontrolloni çelësin)",
    },
    "fig_statement": {"en": "Statement", "sq": "Pohimi"},
    "fig_reaction_title": {
        "en": "Reactions to the workshop (post-test)",
        "sq": "Reagimet ndaj punëtorisë (pastesti)",
    },
    "fig_reaction_axis": {"en": "Respondents (%)", "sq": "Të anketuarit (%)"},
    "fig_likert_1": {"en": "Strongly disagree", "sq": "Aspak dakord"},
    "fig_likert_2": {"en": "Disagree", "sq": "Nuk jam dakord"},
    "fig_likert_3": {"en": "Neither agree nor disagree", "sq": "As dakord, as jo dakord"},
    "fig_likert_4": {"en": "Agree", "sq": "Dakord"},
    "fig_likert_5": {"en": "Strongly agree", "sq": "Plotësisht dakord"},
    "fig_workshop": {"en": "Workshop", "sq": "Punëtoria"},
    "fig_pooled": {"en": "All workshops", "sq": "Të gjitha punëtoritë"},
    "fig_forest_title": {
        "en": "Mean change per workshop (95% CI)",
        "sq": "Ndryshimi mesatar sipas punëtorisë (IB 95%)",
    },
    "fig_forest_label": {"en": "g_av = {g}, n = {n}", "sq": "g_av = {g}; n = {n}"},
    "fig_means_title": {
        "en": "Mean score per workshop (95% CI)",
        "sq": "Rezultati mesatar sipas punëtorisë (IB 95%)",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def fmt_num(x: float | None, lang: str = "en", digits: int = 1) -> str:
    """Format a number with ``digits`` decimals: ``12.5`` in English, ``12,5`` in Albanian.

    >>> fmt_num(12.345, "sq", 1), fmt_num(-0.5, "en", 2), fmt_num(float("nan"))
    ('12,3', '-0.50', '–')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = f"{x:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",") if lang == "sq" else text


def fmt_p(p: float, lang: str = "en") -> str:
    """APA-style p-value: ``p = .034``, ``p < .001`` (``p = ,034``, ``p < ,001`` in Albanian).

    >>> fmt_p(0.0342), fmt_p(0.00001, "sq"), fmt_p(0.5)
    ('p = .034', 'p < ,001', 'p = .500')
    """
    if p is None or math.isnan(p):
        return "p = –"
    if p < 0.001:
        text = "p < .001"
    else:
        text = "p = " + f"{p:.3f}".removeprefix("0")
    return text.replace(".", ",") if lang == "sq" else text
