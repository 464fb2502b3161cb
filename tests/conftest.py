"""Shared fixtures: small raw folders written from rows, for rule-by-rule tests."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from analysis.config import DEFAULT_LANG
from analysis.present.locale import language

# property tests draw the same examples on every run and keep no example database:
# two runs of the suite on the same code test the same cases
settings.register_profile("deterministic", derandomize=True, database=None)
settings.load_profile("deterministic")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

MINI_CODEBOOK = [
    ["item_id", "section", "topic", "text_sq", "text_en", "options", "key", "scale"],
    ["K01", "knowledge", "trust", "P1", "Q1", "a|b|c|d", "A", ""],
    ["K02", "knowledge", "trust", "P2", "Q2", "a|b|c|d", "B", ""],
    ["K03", "knowledge", "victims", "P3", "Q3", "a|b|c|d", "C", ""],
    ["K04", "knowledge", "victims", "P4", "Q4", "a|b|c|d", "D", ""],
    ["R01", "reaction", "", "R1", "R1", "", "", "likert5"],
]
HEADER = ["participant_code", "workshop", "phase", "K01", "K02", "K03", "K04", "R01"]


def write_csv(path: Path, rows: list[list[str]], *, encoding="utf-8", delimiter=",") -> Path:
    """Write rows as a CSV file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language, and one that sets another (``Report.open``,
    ``locale.use``) leaves it behind for the next: the language before is restored after."""
    with language(DEFAULT_LANG):
        yield


@pytest.fixture
def mini_raw(tmp_path: Path):
    """A raw folder with the real registry and a four-item codebook; returns a writer of exports."""
    raw = tmp_path / "raw"
    (raw / "responses").mkdir(parents=True)
    shutil.copy(RAW / "workshops.csv", raw / "workshops.csv")
    write_csv(raw / "instrument" / "codebook.csv", MINI_CODEBOOK)

    def add(name: str, rows: list[list[str]], header=HEADER, **kw) -> Path:
        return write_csv(raw / "responses" / name, [header, *rows], **kw)

    add.raw = raw
    return add
