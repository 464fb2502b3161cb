"""Text that a spreadsheet would run as a formula is written as text; numbers stay numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.spreadsheet import defuse, defuse_frame, needs_quote


@pytest.mark.parametrize(
    "text",
    ["=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_formula_starts_are_quoted(text):
    assert needs_quote(text) and defuse(text) == "'" + text


@pytest.mark.parametrize("text", ["-2.6", "-2,6", "+3", "-0.50", "12%", "-", "Prishtinë", ""])
def test_numbers_and_plain_text_are_left_alone(text):
    expected = "'-" if text == "-" else text  # a lone dash is no number: quoted
    assert defuse(text) == expected


def test_a_frame_keeps_its_numbers_and_dtypes():
    frame = pd.DataFrame(
        {"community": pd.Series(["=cmd", "Serb"], dtype="string"), "gain": [-2.5, 3.0]}
    )
    out = defuse_frame(frame)
    assert out["community"].tolist() == ["'=cmd", "Serb"]
    assert out["community"].dtype == frame["community"].dtype
    assert out["gain"].tolist() == [-2.5, 3.0] and out["gain"].dtype == float
    assert frame["community"].tolist() == ["=cmd", "Serb"]  # the input is not changed


@pytest.mark.parametrize("text", ["=cmd", "'=cmd", "''", "'", "-2.6", "plain", "@x", "+"])
def test_restore_gives_back_exactly_what_was_defused(text):
    from analysis.spreadsheet import restore

    assert restore(defuse(text)) == text


def test_processed_registry_with_a_formula_reads_back_as_written(tmp_path):
    from analysis.spreadsheet import restore_frame

    frame = pd.DataFrame({"directorate": ["=HYPERLINK(1)", "Prishtinë", "'x"]}, dtype="string")
    defuse_frame(frame).to_csv(tmp_path / "w.csv", index=False)
    raw = (tmp_path / "w.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw and "\n=" not in raw
    back = restore_frame(pd.read_csv(tmp_path / "w.csv", dtype="string"))
    assert back["directorate"].tolist() == frame["directorate"].tolist()
