"""The README tells the truth (issue 15, point 6): the instrument's numbers are the codebook's,
the commands and files it names exist."""

from __future__ import annotations

import re

import pandas as pd

from analysis import __main__ as cli
from analysis.config import PROJECT_ROOT, RAW
from analysis.present.names import topic_label

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_instrument_numbers_are_the_codebooks():
    codebook = pd.read_csv(RAW / "instrument" / "codebook.csv", dtype=str, keep_default_na=False)
    knowledge = codebook.loc[codebook["section"] == "knowledge"]
    reaction = codebook.loc[codebook["section"] == "reaction"]
    found = re.search(
        r"(\d+) knowledge questions \((\w+) options each, one correct\) over (\d+) topics of "
        r"(\d+) questions each \(([^)]*)\), and after the workshop (\d+) reaction statements "
        r"on a 1-5 scale",
        _flat(README),
    )
    assert found, "the README's sentence on the instrument is missing"
    items, options, topics, per_topic, names, reactions = found.groups()
    assert int(items) == len(knowledge) == 20
    assert WORDS[options] == {len(o.split("|")) for o in knowledge["options_en"]}.pop()
    assert int(topics) == knowledge["topic"].nunique()
    assert {int(per_topic)} == set(knowledge["topic"].value_counts())
    order = list(dict.fromkeys(knowledge["topic"]))
    assert names == ", ".join(topic_label(x).lower() for x in order)  # in the codebook's order
    assert int(reactions) == len(reaction)
    assert set(reaction["scale"]) == {"likert5"}


def test_the_readme_says_how_long_make_test_takes_and_what_a_fresh_clone_does():
    text = _flat(README)
    assert "`make test` takes about 5 minutes" in text
    assert "already up to date" in text and "build --force" in text


def test_the_commands_the_readme_names_exist():
    commands = set(re.findall(r"python -m analysis (\w+)", README))
    choices = next(
        a for a in cli.parser()._actions if a.dest == "command"
    ).choices  # the subcommands
    assert {"render", "pdf", "build"} <= commands
    assert commands <= set(choices)
    make = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", README, re.MULTILINE):
        assert re.search(rf"^{target}:.*## ", make, re.MULTILINE), target
    assert "report.pdf" in README and "index.pdf" in README
    docs = (PROJECT_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "report.pdf" in docs and "build/pdf" in docs
