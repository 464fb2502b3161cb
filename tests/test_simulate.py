"""The synthetic data simulator: determinism, refusal, manifest, planted messes, expected flow."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from analysis.errors import DataError
from analysis.raw.labels import fold, normalize_phase
from analysis.simulate import REGISTRY, simulate

ROOT = Path(__file__).resolve().parents[1]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1250")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [{k.strip().lower(): v for k, v in r.items()} for r in reader]


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "raw"
    simulate(out, seed=2021)
    return out


def test_same_seed_gives_identical_bytes(sim, tmp_path):
    other = tmp_path / "again"
    simulate(other, seed=2021)
    first, second = _tree(sim), _tree(other)
    assert first.keys() == second.keys()
    assert any(name.endswith(".xlsx") for name in first)
    for name in first:
        assert first[name] == second[name], name


def test_other_seed_differs(sim, tmp_path):
    other = tmp_path / "seed7"
    simulate(other, seed=7)
    responses = [n for n in _tree(sim) if n.startswith("responses/")]
    assert any((sim / n).read_bytes() != (other / n).read_bytes() for n in responses)


def test_manifest_lists_every_written_file_with_its_hash(sim):
    manifest = json.loads((sim / "synthetic" / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    written = {n for n in _tree(sim) if n != "synthetic/manifest.json"}
    assert written == set(files)
    for name, digest in files.items():
        assert hashlib.sha256((sim / name).read_bytes()).hexdigest() == digest
    assert "previous_files" not in manifest


def test_registry_matches_the_project_registry(sim):
    assert (sim / "workshops.csv").read_bytes() == (ROOT / "data/raw/workshops.csv").read_bytes()
    assert [r["workshop_id"] for r in REGISTRY] == ["W1", "W2", "W3", "W4"]
    codebook = ROOT / "data/raw/instrument/codebook.csv"
    assert (sim / "instrument" / "codebook.csv").read_bytes() == codebook.read_bytes()


def test_refuses_a_foreign_file_and_force_overrides(tmp_path):
    out = tmp_path / "raw"
    simulate(out, seed=1)
    real = out / "responses" / "real_export.csv"
    real.write_text("participant_code,workshop,phase\nAB12CD,W1,pre\n", encoding="utf-8")
    with pytest.raises(DataError, match="real_export.csv") as err:
        simulate(out, seed=2)
    assert "--force" in str(err.value)
    assert real.exists()
    summary = simulate(out, seed=2, force=True)
    assert not real.exists()
    assert "responses/real_export.csv" in summary["removed"]


def test_refuses_an_edited_simulator_file(tmp_path):
    out = tmp_path / "raw"
    simulate(out, seed=1)
    victim = sorted((out / "responses").glob("*.csv"))[0]
    victim.write_bytes(victim.read_bytes() + b"\n")
    with pytest.raises(DataError, match=victim.name):
        simulate(out, seed=1)


def test_rerun_replaces_its_own_files_only(tmp_path):
    out = tmp_path / "raw"
    simulate(out, seed=1)
    keep = out / "responses" / ".gitkeep"
    keep.write_text("", encoding="utf-8")
    old = {p.name for p in (out / "responses").iterdir()}
    simulate(out, seed=3)  # no refusal: every response file is the simulator's own
    assert keep.exists()
    assert {p.name for p in (out / "responses").iterdir()} == old
    assert not list(out.glob(".simulate-tmp-*"))


def test_planted_file_formats(sim):
    files = sorted((sim / "responses").iterdir())
    raw = {p.name: p.read_bytes() for p in files}
    assert any(n.endswith(".xlsx") for n in raw)
    boms = [n for n, b in raw.items() if b.startswith(b"\xef\xbb\xbf")]
    assert len(boms) == 1
    cp1250 = []
    for name, data in raw.items():
        if name.endswith(".csv"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                cp1250.append(name)
    assert len(cp1250) == 1
    text = raw[cp1250[0]].decode("cp1250")
    assert text.splitlines()[0].count(";") > 10
    assert "ë" in text
    header = text.splitlines()[0].split(";")
    assert {"emri", "phone"} <= set(header)


def test_xlsx_cells_are_text_and_keep_leading_zeros(sim):
    from openpyxl import load_workbook

    path = next((sim / "responses").glob("*.xlsx"))
    book = load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert all(isinstance(v, str) or v is None for row in rows for v in row)
    codes = [r[rows[0].index("participant_code")] for r in rows[1:]]
    assert any(c.startswith("0") for c in codes)


def test_planted_labels_and_personal_columns(sim):
    rows = [r for p in sorted((sim / "responses").glob("*.csv")) for r in _rows(p)]
    phases = {r["phase"] for r in rows}
    assert all(normalize_phase(x) for x in phases)
    assert {"para testi", "pas testi"} & {fold(x) for x in phases}
    workshops = {r["workshop"] for r in rows}
    assert any(w.isdigit() for w in workshops)  # by number
    assert any(w.upper().startswith("W") and w[1:].isdigit() for w in workshops)  # by id
    assert any(
        fold(w) in {"peje gjakove", "drp prishtina", "mitrovice jug veri"} for w in workshops
    )
    assert any("name" in r for r in rows)
    codes = {r["participant_code"] for r in rows}
    assert any(c != c.upper() or "-" in c or " " in c for c in codes)
    answers = {v for r in rows for k, v in r.items() if k.startswith("k") and k[1:].isdigit()}
    assert {"AB", "E", "?", "x"} & answers
    assert "" in answers


def test_expected_flow_is_consistent_with_the_planted_messes(sim):
    flow = list(csv.DictReader((sim / "synthetic" / "expected_flow.csv").open(encoding="utf-8")))
    assert [r["workshop_id"] for r in flow] == ["W1", "W2", "W3", "W4"]
    truth = json.loads((sim / "synthetic" / "truth.json").read_text(encoding="utf-8"))
    for r in flow:
        n = {k: int(v) for k, v in r.items() if k != "workshop_id"}
        for ph in ("pre", "post"):
            assert n[f"received_{ph}"] == (
                n[f"duplicates_{ph}"] + n[f"excluded_{ph}"] + n[f"scored_{ph}"]
            )
            assert n["paired"] + n[f"unmatched_{ph}"] == n[f"scored_{ph}"]
            assert n[f"unmatched_{ph}"] >= 1
        assert n["fuzzy_links"] >= 1
        assert n["duplicates_pre"] + n["duplicates_post"] >= 1
        assert n["fuzzy_links"] == truth["planted"][r["workshop_id"]]["fuzzy_links"]
    assert sum(truth["n_per_workshop"].values()) == 74
    # every questionnaire is accounted for, and one with exactly half answered is kept
    table = list(
        csv.DictReader((sim / "synthetic" / "expected_questionnaires.csv").open(encoding="utf-8"))
    )
    received = sum(int(r["received_pre"]) + int(r["received_post"]) for r in flow)
    assert len(table) == received
    assert any(r["n_answered"] == "10" and r["fate"] == "scored" for r in table)
    assert any(r["fate"] == "excluded_incomplete" for r in table)


def test_big_run_is_quick_and_counts_add_up(tmp_path):
    summary = simulate(tmp_path / "big", n_participants=9000, n_workshops=40)
    assert summary["participants"] == 9000
    assert summary["workshops"] == 40
    people = (tmp_path / "big" / "synthetic" / "participants.csv").read_text(encoding="utf-8")
    assert len(people.splitlines()) == 9001
    registry = (tmp_path / "big" / "workshops.csv").read_text(encoding="utf-8").splitlines()
    assert len(registry) == 41 and registry[-1].startswith("W40,40,")


def test_too_few_participants_is_a_data_error(tmp_path):
    with pytest.raises(DataError):
        simulate(tmp_path / "x", n_participants=10, n_workshops=4)


def test_clean_step_reproduces_the_expected_flow(sim):
    from analysis.clean import clean

    result = clean(sim)
    expected = list(
        csv.DictReader((sim / "synthetic" / "expected_flow.csv").open(encoding="utf-8"))
    )
    got = result.flow.astype(str).to_dict("records")
    for want, have in zip(expected, got, strict=True):
        assert set(want) <= set(have), sorted(set(want) - set(have))
        for column, value in want.items():
            assert have[column] == value, (want["workshop_id"], column)


def test_shipped_codebook_covers_the_workshop_topics():
    """The shipped instrument: at least 16 knowledge items over at least 4 topics (the five
    workshop topics), each with four options and one key among them; at least 5 Likert
    reaction items."""
    rows = _rows(ROOT / "data" / "raw" / "instrument" / "codebook.csv")
    knowledge = [r for r in rows if r["section"] == "knowledge"]
    assert len(knowledge) >= 16
    topics = {r["topic"] for r in knowledge}
    assert topics == {"trust", "problem_solving", "communication", "victims", "communities"}
    for r in knowledge:
        options = r["options_sq"].split("|")
        assert len(options) == 4 and all(o.strip() for o in options), r["item_id"]
        assert r["key"] in {"A", "B", "C", "D"}, r["item_id"]
    assert len({r["item_id"] for r in rows}) == len(rows)
    reaction = [r for r in rows if r["section"] == "reaction"]
    assert len(reaction) >= 5 and all(r["scale"] == "likert5" and not r["key"] for r in reaction)


def test_synthetic_flag_follows_the_exports_only(tmp_path):
    """The flag (and with it the SYNTHETIC banner) is true while every export is one the
    simulator wrote; hidden files and Office lock files beside them do not change it; an edited
    or added export makes the data real."""
    from analysis.clean.provenance import is_synthetic

    raw = tmp_path / "raw"
    simulate(raw, seed=3)
    assert is_synthetic(raw)
    (raw / "responses" / ".DS_Store").write_bytes(b"\0")
    (raw / "responses" / "~$lock.xlsx").write_bytes(b"\0")
    assert is_synthetic(raw)
    first = sorted((raw / "responses").glob("*.csv"))[0]
    added = raw / "responses" / "real.csv"
    added.write_bytes(first.read_bytes())
    assert not is_synthetic(raw)
    added.unlink()
    first.write_bytes(first.read_bytes() + b"\n")
    assert not is_synthetic(raw)
