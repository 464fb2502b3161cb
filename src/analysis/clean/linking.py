"""Linking a workshop's pre and post questionnaires by participant code (contract rule 6)."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["link_codes", "one_edit_candidates", "within_one_edit"]


def within_one_edit(a: str, b: str) -> bool:
    """True when the Levenshtein distance between ``a`` and ``b`` is exactly 1.

    One substitution, insertion or deletion turns one into the other.

    >>> within_one_edit("AB12CD", "AB13CD"), within_one_edit("AB12CD", "AB12C")
    (True, True)
    >>> within_one_edit("AB12CD", "AB12CD")
    False
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def _deletions(code: str) -> set[str]:
    """Every string made by deleting one character of ``code``.

    >>> sorted(_deletions("ABA"))
    ['AA', 'AB', 'BA']
    """
    return {code[:i] + code[i + 1 :] for i in range(len(code))}


def one_edit_candidates(pre: list[str], post: list[str]) -> dict[str, list[str]]:
    """For each code of ``pre``, the codes of ``post`` at Levenshtein distance exactly 1, in
    ``post`` order.

    Found through an index rather than by comparing every pair (symmetric delete, as spelling
    correctors do): two different codes are one substitution apart only when deleting one
    character of each gives the same string, and one insertion or deletion apart only when
    one is a deletion of the other. So every post code is indexed under itself and its
    deletions, every pre code looks up itself and its deletions, and each candidate found is
    confirmed by :func:`within_one_edit` (which also drops transpositions such as ``AB``/``BA``,
    whose deletions coincide). The work grows with the number of codes times their length, not
    with the number of pairs.

    >>> one_edit_candidates(["AB12", "ZZ99"], ["AB13", "AB1", "BA12", "ZZ99"])
    {'AB12': ['AB13', 'AB1'], 'ZZ99': []}
    """
    position = {q: k for k, q in enumerate(post)}
    # key -> a post code indexed under it; the further codes under the same key apart (a few)
    index: dict[str, str] = {}
    more: dict[str, list[str]] = {}
    for q in post:
        for key in (q, *_deletions(q)):
            if index.setdefault(key, q) != q:
                more.setdefault(key, []).append(q)
    candidates = {}
    for p in pre:
        found: set[str] = set()
        for key in (p, *_deletions(p)):
            q = index.get(key)
            if q is not None:
                found.add(q)
                found.update(more.get(key, ()))
        confirmed = [q for q in found if within_one_edit(p, q)]
        candidates[p] = sorted(confirmed, key=position.__getitem__)
    return candidates


def link_codes(
    pre: Iterable[str],
    post: Iterable[str],
    *,
    excluded_pre: Iterable[str] = (),
    excluded_post: Iterable[str] = (),
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Link normalized pre and post codes of one workshop.

    First every exact match; then, among the codes left over, a pre code and a post code at
    Levenshtein distance 1 are linked when each is the other's only candidate at distance 1.
    Returns ``(exact, fuzzy)``, each a list of ``(pre_code, post_code)`` pairs; codes in
    neither list are unmatched.

    ``excluded_pre`` / ``excluded_post`` are the codes of questionnaires excluded before
    linking (incomplete): a code whose own questionnaire of the other phase was excluded is
    that person's, not a typing slip, so it is never a fuzzy candidate (it would otherwise be
    linked to somebody else's questionnaire one character away).

    >>> link_codes(["AB12CD", "XY99ZZ"], ["AB12CD", "XY98ZZ"])
    ([('AB12CD', 'AB12CD')], [('XY99ZZ', 'XY98ZZ')])
    >>> link_codes(["AB12CE"], ["AB12CD"], excluded_pre=["AB12CD"])
    ([], [])
    """
    pre_list, post_list = list(dict.fromkeys(pre)), list(dict.fromkeys(post))
    post_set = set(post_list)
    exact = [(c, c) for c in pre_list if c in post_set]
    matched = {c for c, _ in exact}
    gone_pre, gone_post = set(excluded_pre), set(excluded_post)
    left_pre = [c for c in pre_list if c not in matched and c not in gone_post]
    left_post = [c for c in post_list if c not in matched and c not in gone_pre]
    cand_pre = one_edit_candidates(left_pre, left_post)
    cand_post: dict[str, list[str]] = {q: [] for q in left_post}
    for p, qs in cand_pre.items():
        for q in qs:
            cand_post[q].append(p)
    fuzzy = [(p, qs[0]) for p, qs in cand_pre.items() if len(qs) == 1 and cand_post[qs[0]] == [p]]
    return exact, fuzzy
