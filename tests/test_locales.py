"""The language files: complete, placeholders kept, every key used, fallbacks for data words."""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest

from analysis.config import LANGS, SOURCE
from analysis.present import locale as loc
from analysis.present.names import directorate_name, group_label, item_label, topic_label

ENGLISH = loc.locale("en").messages
OTHERS = [lang for lang in LANGS if lang != "en"]


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("lang", OTHERS)
def test_every_language_has_exactly_the_english_messages(lang):
    messages = loc.locale(lang).messages
    assert sorted(set(ENGLISH) - set(messages)) == []  # missing translations
    assert sorted(set(messages) - set(ENGLISH)) == []  # stale keys the English no longer has


@pytest.mark.parametrize("lang", LANGS)
def test_messages_are_text_and_keep_their_placeholders(lang):
    for key, text in loc.locale(lang).messages.items():
        assert isinstance(text, str) and text.strip(), key
        assert placeholders(text) == placeholders(ENGLISH[key]), key


@pytest.mark.parametrize("lang", LANGS)
def test_locale_conventions_are_complete(lang):
    conv = loc.locale(lang)
    assert len(conv.months) == 12 and all(conv.months)
    assert conv.decimal in {".", ","} and conv.csv_delimiter in {",", ";", "\t"}
    assert conv.csv_delimiter != conv.decimal  # a number must not split a CSV cell
    assert conv.name


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
    assert loc.fmt_num(1234.5, "sq", 1) == "1234,5"
    assert loc.fmt_ci(-0.25, 0.84, "sq", 2) == "[-0,25; 0,84]"
    assert loc.fmt_date("2021-03-25", "en") == "25 March 2021"
    assert loc.fmt_date("2021-03-25", "sq") == "25.03.2021"
    assert loc.fmt_p(0.0005, "en") == "p < .001"


def test_data_words_without_a_translation_fall_back_to_the_data():
    # a topic the language files do not know is shown as the codebook writes it, never an error
    assert topic_label("road_safety", "sq") == "road_safety"
    assert topic_label("victims", "sq") != "victims"
    assert group_label("Montenegrin", "sq") == "Montenegrin"
    assert group_label("F", "sq") == loc.t("value_F", "sq")
    facts = {"directorate": "Prizren and Border", "directorate_sq": ""}
    assert directorate_name(facts, "sq") == "Prizren and Border"
    codebook = pd.DataFrame(
        {"item_id": ["K01"], "text_en": ["Who decides?"], "text_sq": [""]}, dtype="string"
    )
    assert item_label(codebook, "K01", "sq") == "K01 Who decides?"


def test_a_new_language_is_one_file_and_one_line(tmp_path):
    """docs/architecture.md, 'How to add a language', followed in a copy of the package: a
    copy of en.toml as xx.toml and the code added to LANGS; the reports' parts then speak it."""
    import shutil
    import subprocess
    import sys

    src = tmp_path / "src"
    shutil.copytree(SOURCE, src / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    english = (SOURCE / "locales" / "en.toml").read_text(encoding="utf-8")
    xx = english.replace('name = "English"', 'name = "Xx"').replace(
        'decimal = "."', 'decimal = ","'
    )
    xx = xx.replace('list_separator = ", "', 'list_separator = "; "')
    (src / "analysis" / "locales" / "xx.toml").write_text(xx, encoding="utf-8")
    config = src / "analysis" / "config.py"
    text = config.read_text(encoding="utf-8")
    assert text.count('LANGS: tuple[str, ...] = ("en", "sq")') == 1
    config.write_text(text.replace('("en", "sq")', '("en", "sq", "xx")'), encoding="utf-8")
    script = """
from analysis import config
from analysis.present import page, prose
from analysis.present.locale import fmt_ci
print(page.nav("W1", "xx"))
print(page.nav("W1", "en"))
print(fmt_ci(6.46, 26.39, "xx"))
print(config.report_dir("reports", "W1", "xx").as_posix().endswith("reports/xx/W1"))
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out[0] == (
        "[All reports](../index.html) · [English](../../W1/report.html) · "
        "[Shqip](../../sq/W1/report.html)"
    )
    assert out[1].endswith("· [Shqip](../sq/W1/report.html) · [Xx](../xx/W1/report.html)")
    assert out[2] == "[6,5; 26,4]" and out[3] == "True"
