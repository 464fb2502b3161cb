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
