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


def test_clean_writes_no_live_formula_and_the_reports_read_the_text_back(mini_raw, tmp_path):
    """A directorate typed as a formula reaches data/processed/workshops.csv quoted; the reports
    read the registry back as it was written in the raw folder."""
    import csv

    from analysis import results
    from analysis.clean import run_clean

    from conftest import HEADER

    raw = mini_raw.raw
    with (raw / "workshops.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hostile = '=HYPERLINK("http://example.invalid","click")'
    rows[0]["directorate"] = hostile
    with (raw / "workshops.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    answers = ["A", "B", "C", "D", "4"]
    mini_raw(
        "w1.csv", [[f"P{i:02d}X", "W1", ph, *answers] for i in range(6) for ph in ("pre", "post")]
    )
    assert HEADER[0] == "participant_code"
    processed = tmp_path / "processed"
    run_clean(raw, processed)
    for path in processed.glob("*.csv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for cell in next(csv.reader([line])):
                assert not cell.startswith(("=", "+", "@")), (path.name, cell)
    assert "'=HYPERLINK" in (processed / "workshops.csv").read_text(encoding="utf-8")
    registry = results.load(processed).registry.set_index("workshop_id")
    assert registry.loc["W1", "directorate"] == hostile


def test_string_dtype_columns_with_and_without_quotes():
    from analysis.spreadsheet import restore_frame

    frame = pd.DataFrame({"a": pd.Series(["x", "=y", None], dtype="string")})
    assert defuse_frame(frame)["a"].tolist()[:2] == ["x", "'=y"]
    assert restore_frame(defuse_frame(frame))["a"].tolist()[:2] == ["x", "=y"]
    plain = pd.DataFrame({"a": pd.Series(["x", "y"], dtype="string")})
    pd.testing.assert_frame_equal(defuse_frame(plain), plain)
