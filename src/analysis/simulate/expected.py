"""The truth: the contract's rules (rules 3-6) applied to the generated rows, and truth.json."""

from __future__ import annotations

import numpy as np

from ..clean.linking import within_one_edit
from ..raw.labels import normalize_code
from .generate import Generated
from .model import GAIN_SD, REACTION_OFFSET

__all__ = ["expected", "truth"]

_PHASES = ("pre", "post")


def expected(plan: list[dict], gen: Generated) -> tuple[list[dict], list[dict]]:
    """Apply rules 3-6 to the rows; return (per-questionnaire table, per-workshop flow)."""
    n_k = len(gen.kids)
    read = _read(plan, gen.keys)
    _drop_duplicates(read)
    for r in read:
        if r["fate"] == "scored" and 2 * r["n_answered"] < n_k:
            r["fate"] = "excluded_incomplete"
    read_of: dict[str, list[dict]] = {w["workshop_id"]: [] for w in gen.registry}
    for r in read:
        read_of[r["workshop_id"]].append(r)
    flow = [_workshop_flow(wid, mine, gen.planted[wid]) for wid, mine in read_of.items()]
    return _questionnaire_table(read, n_k), flow


def _read(plan: list[dict], keys: np.ndarray) -> list[dict]:
    """Every row in reading order, counted and marked scored until a rule says otherwise."""
    read = [r for f in plan for r in f["rows"]]
    for order, r in enumerate(read):
        vals = [a.strip().upper() for a in r["k"]]
        r["n_answered"] = sum(1 for a in vals if a)
        r["n_correct"] = sum(1 for a, key in zip(vals, keys, strict=True) if a == "ABCD"[key])
        r["read_order"] = order
        r["fate"] = "scored"
        r["link"] = ""
        r["linked_code"] = ""
    return read


def _drop_duplicates(read: list[dict]) -> None:
    """Rule 4: of one code's questionnaires in a workshop and phase, keep the best one."""
    groups: dict[tuple, list[dict]] = {}
    for r in read:
        key = (r["workshop_id"], r["phase"], normalize_code(r["code_raw"]))
        groups.setdefault(key, []).append(r)
    for members in groups.values():
        members.sort(key=lambda r: (r["n_answered"], r["submitted_at"], r["read_order"]))
        for r in members[:-1]:
            r["fate"] = "duplicate_dropped"


def _workshop_flow(wid: str, mine: list[dict], planted: dict[str, int]) -> dict:
    """Link one workshop's scored questionnaires (rule 6) and count its flow."""
    scored = {
        ph: {
            normalize_code(r["code_raw"]): r
            for r in mine
            if r["phase"] == ph and r["fate"] == "scored"
        }
        for ph in _PHASES
    }
    exact, fuzzy = _link(scored)
    row: dict = {"workshop_id": wid}
    these = {ph: [r for r in mine if r["phase"] == ph] for ph in _PHASES}
    for ph in _PHASES:
        row[f"received_{ph}"] = len(these[ph])
    for ph in _PHASES:
        row[f"duplicates_{ph}"] = sum(r["fate"] == "duplicate_dropped" for r in these[ph])
    for ph in _PHASES:
        row[f"excluded_{ph}"] = sum(r["fate"] == "excluded_incomplete" for r in these[ph])
    for ph in _PHASES:
        row[f"scored_{ph}"] = len(scored[ph])
    row["paired"] = len(exact) + len(fuzzy)
    row["fuzzy_links"] = len(fuzzy)
    for ph in _PHASES:
        row[f"unmatched_{ph}"] = row[f"scored_{ph}"] - row["paired"]
        for r in scored[ph].values():
            if not r["link"]:
                r["link"] = "unmatched"
    if row["fuzzy_links"] != planted["fuzzy_links"] or (
        row["duplicates_pre"] + row["duplicates_post"] != planted["duplicates"]
    ):  # pragma: no cover - a simulator bug, not a user error
        raise RuntimeError(f"simulate: planted messes of {wid} do not survive the rules")
    return row


def _link(scored: dict[str, dict[str, dict]]) -> tuple[set[str], list[tuple[str, str]]]:
    """Link pre and post by equal code, then by a unique one-edit match on both sides."""
    exact = set(scored["pre"]) & set(scored["post"])
    for c in exact:
        for ph in _PHASES:
            scored[ph][c]["link"], scored[ph][c]["linked_code"] = "exact", c
    left_pre = [c for c in scored["pre"] if c not in exact]
    left_post = [c for c in scored["post"] if c not in exact]
    cand_pre = {p: [q for q in left_post if within_one_edit(p, q)] for p in left_pre}
    cand_post = {q: [p for p in left_pre if within_one_edit(p, q)] for q in left_post}
    fuzzy = [(p, qs[0]) for p, qs in cand_pre.items() if len(qs) == 1 and cand_post[qs[0]] == [p]]
    for p, q in fuzzy:
        scored["pre"][p]["link"], scored["pre"][p]["linked_code"] = "fuzzy", q
        scored["post"][q]["link"], scored["post"][q]["linked_code"] = "fuzzy", p
    return exact, fuzzy


def _questionnaire_table(read: list[dict], n_k: int) -> list[dict]:
    """The ``expected_questionnaires.csv`` rows, in reading order."""
    return [
        {
            "source_file": r["source_file"],
            "source_row": r["source_row"],
            "workshop_id": r["workshop_id"],
            "phase": r["phase"],
            "participant_key": r["participant_key"],
            "code": normalize_code(r["code_raw"]),
            "submitted_at": r["submitted_at"],
            "n_answered": r["n_answered"],
            "n_correct": r["n_correct"],
            "score_pct": round(100 * r["n_correct"] / n_k, 4),
            "fate": r["fate"],
            "link": r["link"],
            "linked_code": r["linked_code"],
        }
        for r in read
    ]


def truth(seed: int, gen: Generated, flow: list[dict]) -> dict:
    """The ``truth.json`` record: the model, its drawn parameters, planted counts, flow totals."""
    return {
        "synthetic": True,
        "generator": "analysis.simulate",
        "seed": seed,
        "n_participants": sum(gen.sizes),
        "n_workshops": len(gen.registry),
        "n_per_workshop": {
            w["workshop_id"]: s for w, s in zip(gen.registry, gen.sizes, strict=True)
        },
        "model": {
            "p_correct": "logistic(theta_i - b_j + gain_i * post)",
            "theta": "N(0, 1) + 0.02 * (years_of_service - 12)",
            "gain_i": f"true_gain[workshop] + N(0, {GAIN_SD})",
            "reaction": "clip(round(3.9 + 0.8 * s_i + offset_j + N(0, 0.6)), 1, 5), s_i ~ N(0, 1)",
        },
        "item_difficulty": {k: round(float(v), 3) for k, v in zip(gen.kids, gen.b, strict=True)},
        "true_gain": gen.gains,
        "reaction_offset": REACTION_OFFSET,
        "planted": gen.planted,
        "flow_totals": {k: sum(r[k] for r in flow) for k in flow[0] if k != "workshop_id"},
    }
