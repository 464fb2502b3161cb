"""The language files: complete, placeholders kept, every key used, fallbacks for data words."""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from analysis.build import translations
from analysis.config import ALL_LANGS, SOURCE
from analysis.present import locale as loc
from analysis.present.cyrillic import LATIN_MESSAGES, LATIN_TOKENS, to_cyrillic
from analysis.present.names import directorate_name, group_label, item_label, topic_label

ENGLISH = loc.texts("en")
OTHERS = [lang for lang in ALL_LANGS if lang != "en"]


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("name", translations.catalogs())
def test_every_catalog_is_complete_current_and_keeps_placeholders(name):
    """No missing, stale, fuzzy or obsolete entry, no changed placeholder, every plural form."""
    template = translations.extract()
    with translations.po_path(name).open("rb") as fh:
        catalog = read_po(fh)
    assert translations.check(catalog, template, name) == []


def test_the_checker_finds_each_kind_of_fault():
    template = translations.extract()
    with translations.po_path("sr").open("rb") as fh:
        catalog = read_po(fh)
    first, plural = next(m for m in catalog if m.id), next(m for m in catalog if m.pluralizable)
    first.string = first.string.replace("{", "{x").replace("}", "x}") or "{x}"
    first.string += " {extra}"
    plural.string = (plural.string[0], plural.string[1])
    catalog.add("Stale", "Zastarelo", context="no_such_key")
    catalog.delete(next(m for m in template if m.id and m.context == "h_flow").id, context="h_flow")
    fuzzy = next(m for m in catalog if m.id and m.context == "h_items")
    fuzzy.flags.add("fuzzy")
    problems = "\n".join(translations.check(catalog, template, "sr"))
    assert "changes the placeholders" in problems
    assert "plural forms, not 3" in problems
    assert "'no_such_key' is stale" in problems
    assert "'h_flow' is missing" in problems
    assert "'h_items' is fuzzy" in problems


def test_the_template_and_the_compiled_catalogs_are_current():
    """locales/analysis.pot holds exactly the messages of present/messages.py, and every .mo
    is the compilation of its .po (``make translations`` was run after the last change)."""
    template = translations.extract()
    pot = translations.TEMPLATE.read_bytes()
    assert pot == translations._po_bytes(template, header=False)
    for name in translations.catalogs():
        with translations.po_path(name).open("rb") as fh:
            catalog = read_po(fh)
        mo = translations.po_path(name).with_suffix(".mo").read_bytes()
        assert mo == translations.compile_mo(catalog), name


@pytest.mark.parametrize("lang", ALL_LANGS)
def test_messages_are_text_and_keep_their_placeholders(lang):
    for key, text in loc.texts(lang).items():
        assert isinstance(text, str) and text.strip(), key
        assert placeholders(text) == placeholders(ENGLISH[key]), key


def test_plural_forms_follow_each_language():
    assert loc.t("headline_too_few", "en", n=1).startswith("Only 1 participant has")
    assert loc.t("headline_too_few", "en", n=2).startswith("Only 2 participants have")
    assert loc.t("headline_too_few", "sq", n=1).startswith("Vetëm 1 pjesëmarrës ka ")
    assert loc.t("headline_too_few", "sq", n=3).startswith("Vetëm 3 pjesëmarrës kanë")
    # Serbian: one (1, 21), few (2-4, 22), other (5-20, 11-14)
    assert loc.t("headline_too_few", "sr", n=21).startswith("Samo 21 učesnik ima ")
    assert loc.t("headline_too_few", "sr", n=3).startswith("Samo 3 učesnika imaju")
    assert loc.t("headline_too_few", "sr", n=12).startswith("Samo 12 učesnika ima ")
    assert loc.t("pooled_title", "sr", n_workshops=4).startswith("4 radionice")
    assert loc.t("pooled_title", "sr-Cyrl", n_workshops=5).startswith("5 радионица")


def test_cyrillic_is_the_latin_catalog_transliterated():
    for key, latin in loc.texts("sr").items():
        assert loc.texts("sr-Cyrl")[key] == (latin if key in LATIN_MESSAGES else to_cyrillic(latin))
    assert to_cyrillic("Ljubav, njiva, džak, Đorđe, ćup; LJ") == "Љубав, њива, џак, Ђорђе, ћуп; Љ"
    kept = "{n} `kod` [a](../W1/report.html) <b>a</b> &nbsp; KR-20 d_z g_av p Python Wilcoxon"
    assert to_cyrillic(kept) == kept.replace("[a]", "[а]").replace("<b>a</b>", "<b>а</b>")
    # no Latin letter of Serbian prose is left in a Cyrillic message but kept tokens
    stray = re.compile(r"[a-zA-ZčćžšđČĆŽŠĐ]+")
    for key, text in loc.texts("sr-Cyrl").items():
        if key in LATIN_MESSAGES:
            continue
        plain = re.sub(r"\{[^}]*\}|\]\([^)]*\)|<[^>]*>|\b[A-Z]{2}\d{2}[A-Z]{2}\b", "", text)
        # a word with an underscore (an id: under_5, options_all) is kept whole, as to_cyrillic does
        plain = re.sub(r"[^\W\d]*_\w*", "", plain)
        left = {
            w
            for w in stray.findall(plain)
            if w not in LATIN_TOKENS and not re.search("[qwxy]", w, re.I)
        }
        assert not left - {"d", "z", "av"}, (key, left)


def _keys_used_in_code() -> set[str]:
    """Literal keys passed to t() or heading() in the package and the notebooks."""
    pattern = re.compile(r"""(?:\bt|heading)\(\s*\\?["']([a-z0-9_]+)\\?["']\s*[,)]""")
    texts = [p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.py")]
    texts += [
        p.read_text(encoding="utf-8") for p in (SOURCE.parents[1] / "notebooks").glob("*.ipynb")
    ]
    return {m for text in texts for m in pattern.findall(text)}


def test_every_key_the_code_asks_for_exists():
    used = _keys_used_in_code()
    assert len(used) > 60  # the scan finds the calls
    assert sorted(used - set(ENGLISH)) == []


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of"):
        loc.t("h_flow", "xx")


def test_number_and_date_formats_follow_the_language_file():
    # Babel (CLDR): the decimal mark, digit grouping, long dates of each language
    assert loc.fmt_num(1234.5, 1) == "1,234.5" and loc.fmt_p(0.0005) == "p < .001"
    assert loc.fmt_date("2021-03-25") == "25 March 2021" and loc.fmt_p(0.05) == "p = .050"
    with loc.language("sq"):
        assert loc.fmt_num(1234.5, 1) == "1\N{NO-BREAK SPACE}234,5"
        assert loc.fmt_ci(-0.25, 0.84, 2) == "[-0,25; 0,84]"
        assert loc.fmt_date("2021-03-25") == "25 mars 2021"
        assert loc.fmt_p(0.05) == "p = 0,050"
    with loc.language("sr"):
        assert loc.fmt_num(1234.5, 1) == "1.234,5"
        assert loc.fmt_ci(-0.25, 0.84, 2) == "[-0,25; 0,84]"
        assert loc.fmt_date("2021-03-16") == "16. mart 2021."
        assert loc.fmt_p(0.0005) == "p < 0,001"
        assert loc.fmt_num(2.5, 0) == "3" and loc.fmt_num(-0.04, 1) == "0,0"
    assert loc.fmt_date("2021-03-16", "sr-Cyrl") == "16. март 2021."  # a language asked for


def test_data_words_without_a_translation_fall_back_to_the_data():
    # a topic the language files do not know is shown as the codebook writes it, never an error
    facts = {"directorate": "Prizren and Border", "directorate_sq": ""}
    codebook = pd.DataFrame(
        {"item_id": ["K01"], "text_en": ["Who decides?"], "text_sq": [""]}, dtype="string"
    )
    with loc.language("sq"):
        assert topic_label("road_safety") == "road_safety"
        assert topic_label("victims") != "victims"
        assert group_label("Montenegrin") == "Montenegrin"
        assert group_label("F") == loc.t("value_F") == loc.t("value_F", "sq")
        assert directorate_name(facts) == "Prizren and Border"
        assert item_label(codebook, "K01") == "K01 Who decides?"


def test_the_language_is_held_in_one_place():
    """``use`` sets the current language (a notebook's, by ``Report.open``); ``language`` sets
    it for a block and restores the one before; an unknown one is refused before it is set."""
    assert loc.current() == "en" and loc.t("h_flow") == "Participant flow"
    with loc.language("sr"):
        assert loc.current() == "sr" and loc.t("h_flow") == "Tok učesnika"
        with loc.language("sq"):
            assert loc.t("h_flow") == loc.t("h_flow", "sq") != loc.t("h_flow", "en")
        assert loc.current() == "sr"
        loc.use("sr-Cyrl")
        assert loc.t("h_flow") == "Ток учесника" and loc.locale().lang == "sr-Cyrl"
    assert loc.current() == "en"  # the block's end restores the language of before
    with pytest.raises(ValueError, match="lang must be one of"):
        loc.use("xx")
    with pytest.raises(ValueError, match="lang must be one of"), loc.language("xx"):
        pass
    assert loc.current() == "en"


def test_a_new_language_is_one_file_and_one_line(tmp_path):
    """docs/architecture.md, 'How to add a language', followed in a copy of the package: one
    .po file (here a copy of the Serbian one, as German) and one line in LANGUAGES, then
    ``make translations``; the reports' parts then speak it, with German number formats."""
    import shutil
    import subprocess
    import sys

    src = tmp_path / "src"
    shutil.copytree(SOURCE, src / "analysis", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (src / "analysis" / "locales" / "de" / "LC_MESSAGES").mkdir(parents=True)
    po = translations.po_path("sr").read_text(encoding="utf-8")
    po = po.replace('"Language: sr_Latn\\n"', '"Language: de\\n"')
    po = re.sub(
        r'"Plural-Forms: [^"]*"\n(?:"[^"]*"\n)*',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n',
        po,
    )
    po = re.sub(r'msgstr\[2\] "(?:[^"\\]|\\.)*"\n(?:"(?:[^"\\]|\\.)*"\n)*', "", po)
    (src / "analysis" / "locales" / "de" / "LC_MESSAGES" / "analysis.po").write_text(po, "utf-8")
    config = src / "analysis" / "config.py"
    text = config.read_text(encoding="utf-8")
    line = '    "sr": Language("sr", "sr_Latn_XK", "sr"),\n'
    assert text.count(line) == 1
    config.write_text(
        text.replace(line, line + '    "de": Language("de", "de_DE", "de"),\n'), encoding="utf-8"
    )
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "analysis.build.translations"],
        env=env,
        check=True,
        capture_output=True,
    )
    script = """
from analysis import config
from analysis.present import page
from analysis.present.locale import fmt_ci, fmt_date, language, t
with language("de"):
    print(page.nav("W1"))
print(page.nav("W1"))
with language("de"):
    print(fmt_ci(6.46, 26.39), fmt_date("2021-03-16"))
print(config.report_dir("reports", "W1", "de").as_posix().endswith("reports/de/W1"))
print(t("h_flow", "de"), "de" in config.LANGS)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0].startswith("[Svi izveštaji](../index.html) · [English](../../W1/report.html)")
    assert out[0].endswith("· [Deutsch](../../de/W1/report.html)") is False
    assert "[Deutsch](../de/W1/report.html)" in out[1]
    assert out[2] == "[6,5; 26,4] 16. März 2021" and out[3] == "True"
    assert out[4] == "Tok učesnika True"


@pytest.mark.parametrize("notebook", ["workshop_report", "pooled_report"])
def test_the_reports_run_in_cyrillic(notebook, tmp_path):
    """sr-Cyrl (built on request) runs every section: the words transliterated, the data's
    Serbian texts too, tables labelled although the tidy tables carry only the build's
    languages."""
    import papermill as pm

    from analysis.config import KERNEL, NOTEBOOKS

    params = {"lang": "sr-Cyrl", "out_dir": str(tmp_path / "out")}
    if notebook == "workshop_report":
        params["workshop_id"] = "W4"
    out = pm.execute_notebook(
        str(NOTEBOOKS / f"{notebook}.ipynb"),
        str(tmp_path / "run.ipynb"),
        parameters=params,
        kernel_name=KERNEL,
        progress_bar=False,
        cwd=str(SOURCE.parents[1]),
    )
    text = " ".join(
        str(o.get("data", {}).get("text/markdown", ""))
        for c in out.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )
    assert "Кључни налази" in text and "BF₁₀" in text
    if notebook == "workshop_report":
        assert "Ток учесника" in text
        assert "Митровица Југ-Север" in text  # the registry's Serbian name, transliterated
