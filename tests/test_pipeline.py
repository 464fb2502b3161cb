"""End to end on the shipped synthetic data: flow, scores against truth, privacy, freshness."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.clean import clean, run_clean
from analysis.raw.readers import read_export

from conftest import RAW, ROOT

PROCESSED = ROOT / "data" / "processed"


@pytest.fixture(scope="module")
def shipped():
    return clean(RAW)


def test_flow_matches_what_the_simulator_recorded(shipped):
    expected = pd.read_csv(RAW / "synthetic" / "expected_flow.csv")
    got = shipped.flow.loc[:, list(expected.columns)]
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


def test_log_counts_match_the_flow(shipped):
    counts = shipped.log["action"].value_counts()
    flow = shipped.flow
    assert counts["duplicate_dropped"] == flow[["duplicates_pre", "duplicates_post"]].sum().sum()
    assert counts["excluded_incomplete"] == flow[["excluded_pre", "excluded_post"]].sum().sum()
    assert counts["fuzzy_link"] == flow["fuzzy_links"].sum()
    assert counts["unmatched"] == flow[["unmatched_pre", "unmatched_post"]].sum().sum()
    assert counts["dropped_column"] > 0 and counts["invalid_answer"] > 0


def test_scores_track_true_abilities(shipped):
    truth = pd.read_csv(RAW / "synthetic" / "participants.csv", dtype={"pre_code": str})
    # link the pseudonymous scores back to the truth through the cleaning of the raw rows:
    # expected_pre_pct is the model's expected score; its rank order must show in the scores.
    pre = shipped.scores.loc[shipped.scores["phase"] == "pre"]
    assert len(pre) == shipped.flow["scored_pre"].sum()
    # the score distribution should sit where the model puts it
    assert abs(pre["score_pct"].mean() - truth["expected_pre_pct"].mean()) < 6
    post = shipped.scores.loc[shipped.scores["phase"] == "post"]
    assert abs(post["score_pct"].mean() - truth["expected_post_pct"].mean()) < 6


def test_scores_equal_the_simulators_own_scoring(shipped):
    """Each scored questionnaire's counts equal the simulator's record (independent scoring)."""
    expected = pd.read_csv(RAW / "synthetic" / "expected_questionnaires.csv")
    expected = expected.loc[expected["fate"] == "scored"]
    cols = ["workshop_id", "phase", "n_answered", "n_correct"]
    want = sorted(map(tuple, expected[cols].astype(str).to_numpy()))
    got = sorted(map(tuple, shipped.scores[cols].astype(str).to_numpy()))
    assert got == want


def test_scores_correlate_with_true_ability():
    expected = pd.read_csv(RAW / "synthetic" / "expected_questionnaires.csv")
    truth = pd.read_csv(RAW / "synthetic" / "participants.csv")
    frame = expected.loc[expected["fate"] == "scored"].merge(truth, on="participant_key")
    for phase in ("pre", "post"):
        f = frame.loc[frame["phase"] == phase]
        assert np.corrcoef(f["theta"], f["score_pct"])[0, 1] > 0.6


def test_committed_processed_data_is_what_clean_writes(tmp_path):
    run_clean(RAW, tmp_path / "p")
    names = sorted(p.name for p in PROCESSED.iterdir())
    assert names == sorted(p.name for p in (tmp_path / "p").iterdir())
    assert "scores.csv" in names
    for path in sorted(PROCESSED.iterdir()):
        fresh = tmp_path / "p" / path.name
        if path.name == "manifest.json":
            a, b = json.loads(path.read_text()), json.loads(fresh.read_text())
            a.pop("commit"), b.pop("commit")
            assert a == b
        else:
            assert fresh.read_bytes() == path.read_bytes(), path.name


def test_no_name_or_raw_code_reaches_processed():
    truth = pd.read_csv(RAW / "synthetic" / "participants.csv", dtype=str)
    codes = set(truth["pre_code"].dropna()) | set(truth["post_code"].dropna())
    blob = b"".join(p.read_bytes() for p in PROCESSED.iterdir())
    for code in codes:
        assert code.encode() not in blob, code
    personal = set()
    for path in sorted((RAW / "responses").iterdir()):
        frame = read_export(path)
        for col in frame.columns:
            if col in ("name", "emri", "mbiemri", "phone", "telefoni", "notes", "shenime"):
                personal |= {v for v in frame[col].dropna() if len(v) > 3}
    assert personal, "the synthetic exports should plant personal columns"
    for value in personal:
        assert value.encode() not in blob, value


def test_cli_clean_writes_the_five_files(tmp_path):
    out = tmp_path / "proc"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "clean", "--processed", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "W1: received" in done.stdout
    for name in ("answers.parquet", "scores.csv", "paired.csv", "cleaning_log.csv", "flow.csv"):
        assert (out / name).is_file()
