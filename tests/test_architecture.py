"""The dependency rule of docs/architecture.md: no module imports a module of a later stage."""

from __future__ import annotations

import ast

import pytest

from analysis.config import SOURCE

#: The stages in the data's order; a module may import its own stage and earlier ones only.
STAGES = [
    {"config", "errors", "hashing", "atomic", "spreadsheet"},
    {"raw"},
    {"clean"},
    {"simulate"},
    {"stats"},
    {"results"},
    {"present"},
    {"form"},
    {"build"},
    {"__main__"},
]
RANK = {name: i for i, names in enumerate(STAGES) for name in names}


def stage_of(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def modules():
    for path in sorted(SOURCE.rglob("*.py")):
        rel = path.relative_to(SOURCE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def imported(module: str, path) -> set[str]:
    """The analysis modules a module imports (absolute or relative, at any depth)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            candidates = [name] + [f"{name}.{a.name}" for a in node.names]
            found.update(c for c in candidates if c.startswith("analysis."))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("analysis."))
    return found


ALL = list(modules())


def test_every_module_belongs_to_a_stage():
    assert len(ALL) > 30
    assert sorted({stage_of(m) for m, _ in ALL if m != "analysis"} - set(RANK)) == []


@pytest.mark.parametrize(("module", "path"), ALL, ids=[m for m, _ in ALL])
def test_no_module_imports_a_later_stage(module, path):
    if module == "analysis":
        return
    mine = RANK[stage_of(module)]
    later = sorted(
        name
        for name in imported(module, path)
        if stage_of(name) in RANK and RANK[stage_of(name)] > mine
    )
    assert later == [], f"{module} imports a later stage"


def test_the_rule_finds_a_violation(tmp_path):
    bad = tmp_path / "analysis" / "raw" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from ..present.locale import t\nfrom analysis.build import plan\n")
    found = imported("analysis.raw.bad", bad)
    assert {stage_of(name) for name in found} == {"present", "build"}
    assert all(RANK[stage_of(name)] > RANK["raw"] for name in found)


def defined_public(tree: ast.Module) -> set[str]:
    """Public names a module defines itself (functions, classes, assigned names)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                elts = target.elts if isinstance(target, ast.Tuple) else [target]
                names.update(t.id for t in elts if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


@pytest.mark.parametrize(("module", "path"), ALL, ids=[m for m, _ in ALL])
def test_all_lists_exactly_the_public_names(module, path):
    import importlib

    if module == "analysis.__main__":
        return  # a script: running it is its interface
    mod = importlib.import_module(module)
    assert hasattr(mod, "__all__"), f"{module} has no __all__"
    exported = set(mod.__all__)
    assert len(exported) == len(mod.__all__), "a name listed twice"
    assert all(hasattr(mod, name) for name in exported)
    defined = defined_public(ast.parse(path.read_text(encoding="utf-8"))) - {"__all__"}
    assert sorted(defined - exported) == [], "public but not in __all__"
    if path.name != "__init__.py":
        assert sorted(exported - defined) == [], "in __all__ but defined elsewhere"


@pytest.mark.parametrize(("module", "path"), ALL, ids=[m for m, _ in ALL])
def test_no_private_name_is_imported_from_another_module(module, path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("analysis")
        ):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert private == [], f"{module} imports {private}"
