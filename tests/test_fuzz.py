"""Fuzzing the clean step: generated exports either clean with a consistent flow, or stop with a
DataError naming the file; never any other exception."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean import clean
from analysis.errors import DataError
from analysis.raw.labels import WorkshopLabels, fold, normalize_phase
from analysis.raw.registry import read_registry

from conftest import HEADER, MINI_CODEBOOK, RAW

ITEMS = HEADER[3:]
KNOWN_WORKSHOPS = ["W1", "w2", "3", "4", "Pejë-Gjakovë", "ferizaj/gjilan", "DRP Prishtina"]
KNOWN_PHASES = ["pre", "Pre-test", "PARA TESTI", "paratesti", "pas", "Post_Test", "pas.testi"]
UNKNOWN = ["Nowhere", "W9", "0", "midterm", "", "  "]
# characters every encoding below can write (Windows-1250 has ë and ç, not every letter)
ALPHABET = "abcdxyzABCDEXëçËÇ0123456789 -_/.,;?'\"\n"


@st.composite
def variant(draw, label: str) -> str:
    """The label with case, accents and separators changed as people type them."""
    text = draw(st.sampled_from([label, label.upper(), label.lower(), fold(label)]))
    text = text.replace(" ", draw(st.sampled_from([" ", "  ", "-", "_", " / ", "."])))
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + text + draw(st.sampled_from(["", " "]))


labels_workshop = st.one_of(
    st.sampled_from(KNOWN_WORKSHOPS).flatmap(variant),
    st.sampled_from(UNKNOWN),
)
labels_phase = st.one_of(st.sampled_from(KNOWN_PHASES).flatmap(variant), st.sampled_from(UNKNOWN))
known_only = st.tuples(
    st.sampled_from(KNOWN_WORKSHOPS).flatmap(variant),
    st.sampled_from(KNOWN_PHASES).flatmap(variant),
)
cells = st.one_of(
    st.sampled_from(["A", "b", " c ", "D", "", "", "AB", "E", "?", "x", "1", "5", "6", "4.0"]),
    st.text(ALPHABET, max_size=4),
)
codes = st.one_of(
    st.sampled_from(["AA11BB", "aa-11 bb", "AA12BB", "CC22DD", "0012AB", "00 12ab", "", "EE33FF"]),
    st.text("ABCDE0123 -._", min_size=1, max_size=7),
)


@st.composite
def row(draw, mostly_known: bool) -> list[str]:
    """One questionnaire: code, workshop, phase, four knowledge cells and a reaction cell."""
    workshop, phase = (
        draw(known_only) if mostly_known else (draw(labels_workshop), draw(labels_phase))
    )
    return [draw(codes), workshop, phase, *(draw(cells) for _ in ITEMS)]


@st.composite
def export(draw) -> dict:
    """One export file: rows (some repeated), encoding, delimiter, header case."""
    mostly_known = draw(st.booleans()) or draw(st.booleans())
    rows = draw(st.lists(row(mostly_known), max_size=8))
    if rows and draw(st.booleans()):  # duplicated rows
        rows += draw(st.lists(st.sampled_from(rows), max_size=3))
    header = [h.upper() if draw(st.booleans()) else h for h in HEADER]
    return {
        "rows": rows,
        "header": header,
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1250"])),
        "delimiter": draw(st.sampled_from([",", ";"])),
    }


def _write(raw: Path, exports: list[dict]) -> list[str]:
    names = []
    for n, e in enumerate(exports):
        name = f"export_{n:02d}.csv"
        with (raw / "responses" / name).open("w", encoding=e["encoding"], newline="") as fh:
            csv.writer(fh, delimiter=e["delimiter"]).writerows([e["header"], *e["rows"]])
        names.append(name)
    return names


def _expected_received(raw: Path, exports: list[dict]) -> dict[tuple[str, str], int]:
    labels = WorkshopLabels(read_registry(raw).to_dict("records"))
    counts: dict[tuple[str, str], int] = {}
    for e in exports:
        for r in e["rows"]:
            if not any(c.strip() for c in r):
                continue  # a blank line is not a questionnaire
            key = (labels.resolve(r[1].strip()), normalize_phase(r[2].strip()))
            counts[key] = counts.get(key, 0) + 1
    return counts


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(exports=st.lists(export(), min_size=1, max_size=4))
def test_clean_is_consistent_or_a_data_error(exports):
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        (raw / "responses").mkdir(parents=True)
        (raw / "instrument").mkdir()
        shutil.copy(RAW / "workshops.csv", raw / "workshops.csv")
        with (raw / "instrument" / "codebook.csv").open("w", newline="") as fh:
            csv.writer(fh).writerows(MINI_CODEBOOK)
        names = _write(raw, exports)
        try:
            result = clean(raw)
        except DataError as exc:
            message = str(exc)
            assert "\n\n" not in message
            assert any(name in message for name in names) or "responses" in message, message
            return
        expected = _expected_received(raw, exports)
        assert result.rows_read == sum(expected.values())
        for f in result.flow.itertuples(index=False):
            for phase in ("pre", "post"):
                received = getattr(f, f"received_{phase}")
                assert received == expected.get((f.workshop_id, phase), 0)
                parts = [
                    getattr(f, f"{what}_{phase}") for what in ("scored", "duplicates", "excluded")
                ]
                assert min(parts) >= 0 and received == sum(parts)
                assert getattr(f, f"unmatched_{phase}") == getattr(f, f"scored_{phase}") - f.paired
            assert 0 <= f.fuzzy_links <= f.paired <= min(f.scored_pre, f.scored_post)
        assert len(result.paired) == result.flow["paired"].sum()
        assert len(result.scores) == (result.flow["scored_pre"] + result.flow["scored_post"]).sum()
        assert result.scores["participant_id"].str.fullmatch(r"W\d+-P\d{3,}").all()
        assert not result.scores.duplicated(["participant_id", "phase"]).any()
