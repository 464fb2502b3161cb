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
