import pandas as pd
import pytest

from analysis.clean.linking import link_codes, within_one_edit
from analysis.raw.labels import WorkshopLabels, fold, normalize_code, normalize_phase

from conftest import RAW


@pytest.mark.parametrize(
    "label", ["Pejë-Gjakovë", "peje / gjakove", "PEJE GJAKOVE", " Pejë__Gjakovë. ", "pejë-gjakovë"]
)
def test_fold_makes_one_label(label):
    assert fold(label) == "peje gjakove"


def test_fold_removes_cedilla_and_case():
    assert fold("Ç-Ë/ç.ë") == "c e c e"


@pytest.mark.parametrize(
    ("label", "phase"),
    [
        ("pre", "pre"),
        ("PreTest", "pre"),
        ("pre-test", "pre"),
        ("Para", "pre"),
        ("paratest", "pre"),
        ("Para testi", "pre"),
        ("PARATESTI", "pre"),
        ("post", "post"),
        ("Post_Test", "post"),
        ("posttest", "post"),
        ("PAS", "post"),
        ("pastest", "post"),
        ("pas testi", "post"),
        ("Pastesti", "post"),
        ("mid", None),
        ("", None),
        ("pre post", None),
    ],
)
def test_phase_synonyms(label, phase):
    assert normalize_phase(label) == phase


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ab-12 cd", "AB12CD"), ("AB12CD", "AB12CD"), (" a.b_1-2 ", "AB12"), ("0012ab", "0012AB")],
)
def test_code_normalization(code, expected):
    assert normalize_code(code) == expected


def test_workshop_labels_by_id_number_alias():
    labels = WorkshopLabels(pd.read_csv(RAW / "workshops.csv", dtype=str).to_dict("records"))
    assert labels.resolve("w1") == "W1"
    assert labels.resolve("2") == "W2"
    assert labels.resolve("PEJE / GJAKOVE") == "W2"
    assert labels.resolve("DRP Prishtina") == "W3"
    assert labels.resolve("Mitrovicë Jug-Veri") == "W4"
    assert labels.resolve("Gjakova-Peja") is None
    assert "w1" in labels.accepted()


def _levenshtein(a: str, b: str) -> int:
    """Textbook dynamic-programming distance, an independent check of within_one_edit."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("AB12CD", "AB12CD"),
        ("AB12CD", "AB13CD"),
        ("AB12CD", "AB2CD"),
        ("AB12CD", "AB122CD"),
        ("AB12CD", "BA12CD"),
        ("A", ""),
        ("ABC", "ABCDE"),
        ("X12", "12X"),
    ],
)
def test_within_one_edit_agrees_with_levenshtein(a, b):
    assert within_one_edit(a, b) == (_levenshtein(a, b) == 1)
    assert within_one_edit(b, a) == within_one_edit(a, b)


def test_linking_exact_first_then_unique_distance_one():
    exact, fuzzy = link_codes(["AA11BB", "CC22DD", "EE33FF"], ["AA11BB", "CC23DD", "GG44HH"])
    assert exact == [("AA11BB", "AA11BB")]
    assert fuzzy == [("CC22DD", "CC23DD")]


def test_linking_exact_match_is_not_reused_for_fuzzy():
    # AB12CD matches exactly; AB13CD (post) is one edit from it but AB12CD is already taken.
    exact, fuzzy = link_codes(["AB12CD"], ["AB12CD", "AB13CD"])
    assert exact == [("AB12CD", "AB12CD")]
    assert fuzzy == []


def test_linking_ambiguous_distance_one_stays_unmatched():
    # Two post codes are each one edit from the same pre code: no link.
    exact, fuzzy = link_codes(["AB12CD"], ["AB13CD", "AB14CD"])
    assert (exact, fuzzy) == ([], [])
    # Two pre codes compete for one post code: no link either.
    exact, fuzzy = link_codes(["AB13CD", "AB14CD"], ["AB12CD"])
    assert (exact, fuzzy) == ([], [])


def test_linking_ambiguity_on_one_side_only():
    # AB12 and AB13 both have AB14 as their only candidate, but AB14 has two: no link.
    # ZZ99 and ZZ98 are each other's only candidate: linked.
    exact, fuzzy = link_codes(["AB12", "AB13", "ZZ99"], ["AB14", "ZZ98"])
    assert exact == []
    assert fuzzy == [("ZZ99", "ZZ98")]


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"])
def test_every_unicode_dash_is_a_dash(dash):
    assert normalize_code(f"ab{dash}12 cd") == "AB12CD"
    assert fold(f"Pejë{dash}Gjakovë") == "peje gjakove"
    assert normalize_phase(f"Pre{dash}test") == "pre"
