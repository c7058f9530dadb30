"""The package's shape: layers import only downwards, and no module imports itself back.

Every ``import`` statement of every module is read with :mod:`ast` (lazy imports
inside functions included), resolved to a module of the package, and checked
against the order of the architecture:

    core < arith < functions < layers < translations < strategies < deciders
         < delta < metrics, pde < models < testing, report < sweeps < cli

A module may import its own subpackage and anything lower, never higher.
"""

from __future__ import annotations

import ast
import functools
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "symequi"

#: Rank of each top-level part of the package; a module may import only ranks <= its own.
RANKS = {
    "_version": 0, "_lazy": 0, "core": 0, "arith": 1, "functions": 2, "layers": 3, "translations": 4, "strategies": 5,
    "deciders": 6, "delta": 7, "metrics": 8, "pde": 8, "models": 9, "testing": 10, "pytest_plugin": 10, "hypothesis_entry": 10,
    "report": 10, "sweeps": 11, "cli": 12, "__main__": 13, "__init__": 13,
}


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: pathlib.Path) -> set[str]:
    """The package modules ``path`` imports (absolute names), lazy imports included."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("symequi"):
                continue
            for alias in node.names:  # "from . import x" may name a submodule
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("symequi"))
    return {m for m in found if m != name}


def _exists(module: str) -> bool:
    rel = pathlib.Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").exists() or (PACKAGE / rel / "__init__.py").exists()


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


MODULES = sorted(PACKAGE.rglob("*.py"))


@functools.cache
def graph() -> dict[str, set[str]]:
    """Module name -> the package modules it imports; read once, on first use (not while pytest
    collects: every xdist worker collects this file, and reading the package takes a second)."""
    return {_module_name(p): _imports(p) for p in MODULES}


def test_every_part_has_a_rank() -> None:
    assert {_part(m) for m in graph()} <= set(RANKS), sorted({_part(m) for m in graph()} - set(RANKS))


@pytest.mark.parametrize("module", sorted(_module_name(p) for p in MODULES))
def test_imports_point_down(module: str) -> None:
    mine = RANKS[_part(module)]
    upward = sorted(t for t in graph()[module] if RANKS[_part(t)] > mine)
    assert not upward, f"{module} (rank {mine}) imports higher layers: {upward}"


def test_no_import_cycles() -> None:
    """Depth-first search for a cycle among modules (package __init__ re-exports excluded)."""
    edges = graph()
    among = {m: {t for t in ts if t in edges and not _is_package(t)} for m, ts in edges.items()
             if not _is_package(m)}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(among.get(m, ())):
            if state.get(t) == 1:
                cycle = stack[stack.index(t):] + [t]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(among):
        if m not in state:
            visit(m)


def _is_package(module: str) -> bool:
    return (PACKAGE / pathlib.Path(*module.split(".")[1:]) / "__init__.py").exists()


def test_the_checker_sees_a_violation(tmp_path: pathlib.Path) -> None:
    """The reader resolves relative imports the way Python does (an upward one is found)."""
    assert "symequi.deciders.smt" in graph() and "symequi.core.signal" in graph()["symequi.deciders.smt"]
    assert RANKS[_part("symequi.deciders.smt")] > RANKS[_part("symequi.core.signal")]


# --- every module has a test file of its name ------------------------------------------------
TESTS = pathlib.Path(__file__).resolve().parent


def _test_file_for(module: pathlib.Path) -> pathlib.Path:
    """symequi/arith/linalg.py -> tests/arith/test_linalg.py; symequi/cli.py -> tests/test_cli.py."""
    rel = module.relative_to(PACKAGE)
    return TESTS.joinpath(*rel.parts[:-1], f"test_{rel.name}")


#: Modules named with a leading underscore (package __init__, __main__, _version) are not
#: public modules; every other module of the package needs a test file named after it.
PUBLIC_MODULES = [p for p in MODULES if not p.name.startswith("_")]


def test_every_module_has_a_test_file_of_its_name() -> None:
    missing = [f"{p.relative_to(PACKAGE.parent)} -> {_test_file_for(p).relative_to(TESTS.parent)}"
               for p in PUBLIC_MODULES if not _test_file_for(p).is_file()]
    assert missing == [], "modules without a test file of their name:\n  " + "\n  ".join(missing)


def test_the_test_file_rule_maps_paths_as_documented() -> None:
    assert _test_file_for(PACKAGE / "arith" / "linalg.py") == TESTS / "arith" / "test_linalg.py"
    assert _test_file_for(PACKAGE / "cli.py") == TESTS / "test_cli.py"
    assert len(PUBLIC_MODULES) > 40 and PACKAGE / "core" / "signal.py" in PUBLIC_MODULES


def test_no_module_imports_another_modules_private_names() -> None:
    """Names starting with ``_`` stay inside their module: what another module needs is public."""
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("symequi")):
                found += [f"{_module_name(path)}: {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert not found, "private names imported across modules:\n  " + "\n  ".join(found)
