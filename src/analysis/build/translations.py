"""The message catalogs: extract, update, check and compile them with Babel.

``make translations`` (``python -m analysis.build.translations``) does what a translator's
round needs:

1. **extract** the English messages of :mod:`analysis.present.messages` into the template
   ``locales/analysis.pot`` (Babel's Python extractor, keywords ``N_:1c,2`` and ``Np_:1c,3,4``:
   the key is the ``msgctxt``, the English text the ``msgid``);
2. **update** each language's ``locales/<lang>/LC_MESSAGES/analysis.po`` from it: a new English
   message arrives untranslated, a changed one untranslated too (no fuzzy guesses), a removed
   one is dropped;
3. **check** every catalog: each message translated, no fuzzy or obsolete entry, the same
   ``{placeholders}`` as the English, as many plural forms as the language has;
4. **compile** the ``.mo`` files the reports read (only from a catalog that passes the check).

A file is rewritten only when its content changes, so a run without changes leaves every byte.
The check reads braces, not ``%``: Babel's own compile flags a ``%`` followed by a letter ("66%
correct") as a broken ``printf`` format, which these messages never are.
"""

from __future__ import annotations

import io
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from ..config import LANGUAGES, LOCALES, SOURCE

__all__ = [
    "TEMPLATE",
    "catalogs",
    "po_path",
    "extract",
    "update",
    "check",
    "compile_mo",
    "main",
]

#: Babel keywords of :mod:`analysis.present.messages`: context first, then the message(s).
_KEYWORDS = {"N_": ((1, "c"), 2), "Np_": ((1, "c"), 3, 4)}
TEMPLATE = LOCALES / "analysis.pot"
_MESSAGES_SOURCE = SOURCE / "present" / "messages.py"
_WIDTH = 100


def catalogs() -> list[str]:
    """The catalogs to keep: every language's but the source language's (English)."""
    source = next(iter(LANGUAGES))
    return sorted({lang.catalog for lang in LANGUAGES.values()} - {source})


def po_path(catalog: str) -> Path:
    """The ``.po`` file of a catalog (its ``.mo`` lies beside it)."""
    return LOCALES / catalog / "LC_MESSAGES" / "analysis.po"


def extract(source: Path = _MESSAGES_SOURCE) -> Catalog:
    """The template: every message of ``source`` (its key as context)."""
    template = Catalog(domain="analysis", project="analysis", fuzzy=False)
    for _, messages, _comments, context in extract_from_file("python", source, _KEYWORDS):
        template.add(messages if len(messages) > 1 else messages[0], context=context)
    return template


def _po_bytes(catalog: Catalog, *, header: bool = True) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=_WIDTH, omit_header=not header, no_location=True)
    return buf.getvalue()


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def _entries(catalog: Catalog) -> list[tuple]:
    return [(m.context, m.id, m.string) for m in catalog if m.id]


def update(template: Catalog, catalog_name: str) -> Catalog:
    """The catalog of ``catalog_name`` brought up to ``template`` (obsolete entries dropped,
    no fuzzy matching)."""
    path = po_path(catalog_name)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=catalog_name.replace("-", "_"))
    before = _entries(catalog)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.obsolete.clear()
    if _entries(catalog) != before:
        _write_if_changed(path, _po_bytes(catalog))
    return catalog


def _placeholders(text: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def check(catalog: Catalog, template: Catalog, name: str) -> list[str]:
    """Every problem of ``catalog`` against ``template``, one line each (empty: none)."""
    problems = []
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in template if m.id}
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    for key in wanted.keys() - have.keys():
        problems.append(f"{name}: message {key[0]!r} is missing")
    for key in have.keys() - wanted.keys():
        problems.append(f"{name}: message {key[0]!r} is stale (the English no longer has it)")
    problems += [f"{name}: obsolete entry {m.context!r} kept" for m in catalog.obsolete.values()]
    for key, message in have.items():
        if key not in wanted:
            continue
        where = f"{name}: message {key[0]!r}"
        if message.fuzzy:
            problems.append(f"{where} is fuzzy")
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            problems.append(f"{where} has {len(strings)} plural forms, not {catalog.num_plurals}")
        if not all(s and s.strip() for s in strings):
            problems.append(f"{where} is not translated")
            continue
        english = set().union(*(_placeholders(i) for i in ids))
        for s in strings:
            if _placeholders(s) != english:
                problems.append(
                    f"{where} changes the placeholders: {sorted(_placeholders(s))} instead of "
                    f"{sorted(english)}"
                )
    return sorted(problems)


def compile_mo(catalog: Catalog) -> bytes:
    """The ``.mo`` bytes of ``catalog`` (Babel's writer; brace messages are not printf ones)."""
    for message in catalog:
        message.flags.discard("python-format")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Extract, update, check and compile; exit 1 with the problems when a catalog fails."""
    template = extract()
    pot = _po_bytes(template, header=False)
    if _write_if_changed(TEMPLATE, pot):
        print(f"updated {TEMPLATE.relative_to(SOURCE.parents[1])}")
    failed = []
    for name in catalogs():
        catalog = update(template, name)
        problems = check(catalog, template, name)
        if problems:
            failed += problems
            continue
        if _write_if_changed(po_path(name).with_suffix(".mo"), compile_mo(catalog)):
            print(f"compiled {po_path(name).with_suffix('.mo').relative_to(SOURCE.parents[1])}")
    for line in failed:
        print(line, file=sys.stderr)
    if failed:
        print(
            f"{len(failed)} problem(s): translate them in the .po files, then rerun.",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
