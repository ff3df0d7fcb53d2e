"""The core's imports go one way, and are made at the top of each module.

Read from the source with ``ast``: every import a module makes when it runs (at the
top, or inside a function), except those under ``if TYPE_CHECKING:``, which only
annotations use.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"

# Packages that stay imported on use, so that the plugin loads (and the tools that
# need none of them run) without them.
OPTIONAL = {"sklearn", "distributed", "dask", "threadpoolctl", "osgeo", "shapely"}

# Function-local imports still to move to the top of their module (module -> what it
# imports). Only shrink this.
PENDING_LOCAL: dict[str, set[str]] = {
    "core.learn.model": {"scipy.spatial"},
    "core.learn.classifiers": {"core.io.raster", "core.learn.model"},
}

# Imports from a later step package into an earlier one (importer, imported), the only
# ones allowed: learning scores its folds and held-out pixels with the accuracy
# figures, a module that imports nothing of learn.
PENDING_BACK_EDGES = {
    ("core.learn.training", "core.accuracy.metrics"),
    ("core.learn.folds", "core.accuracy.metrics"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in CORE.rglob("*.py") if "__pycache__" not in p.parts}


def _type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def _imports(tree: ast.Module) -> list[tuple[ast.AST, bool]]:
    """Every runtime import statement and whether it is at the top of the module."""
    found: list[tuple[ast.AST, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_checking(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child, top))
            inner = top and not isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
            )
            visit(child, inner)

    visit(tree, True)
    return found


def _targets(name: str, node: ast.AST) -> list[str]:
    """Absolute names of what ``node`` imports (core modules resolved to ``core.…``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert isinstance(node, ast.ImportFrom)
    if not node.level:
        return [node.module or ""]
    package = name.split(".") if MODULES[name].name == "__init__.py" else name.split(".")[:-1]
    base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [node.module])])
    submodules = [f"{base}.{alias.name}" for alias in node.names]
    return [m for m in submodules if m in MODULES] or [base]


@lru_cache(maxsize=1)
def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    local: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        for node, top in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(name, node):
                if target in MODULES and target != name:
                    edges[name].add(target)
                if not top:
                    local.setdefault(name, set()).add(target)
    return edges, local


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the directed graph ``edges``, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])  # core.io, core.learn, ...; core.synthetic stays itself


def test_the_graph_reader_sees_imports_and_cycles():
    tree = ast.parse(
        "from .metrics import Z95\n"
        "from ..io import raster\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from ..learn.training import TrainingResult\n"
        "def f():\n"
        "    import sklearn\n"
        "    from ..report.html import write_html\n"
    )
    seen = [(_targets("core.accuracy.area_estimation", node), top) for node, top in _imports(tree)]
    assert seen == [
        (["core.accuracy.metrics"], True),
        (["core.io.raster"], True),
        (["typing"], True),
        (["sklearn"], False),
        (["core.report.html"], False),
    ]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_between_core_modules():
    edges, _ = _graph()
    assert len(edges) > 30
    assert _cycle(edges) is None, " -> ".join(_cycle(edges) or [])


def test_no_import_cycle_between_step_packages():
    edges, _ = _graph()
    packages: dict[str, set[str]] = {}
    for module, targets in edges.items():
        for target in targets:
            if (module, target) in PENDING_BACK_EDGES:
                continue
            if _package(target) != _package(module):
                packages.setdefault(_package(module), set()).add(_package(target))
    assert {"core.io", "core.learn", "core.accuracy", "core.report"} <= set(packages) | {
        t for ts in packages.values() for t in ts
    }
    cycle = _cycle(packages)
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_function_local_imports_only_of_optional_packages(module):
    _, local = _graph()
    pending = PENDING_LOCAL.get(module, set())
    wrong = {
        target
        for target in local.get(module, set())
        if target.split(".")[0] not in OPTIONAL and target not in pending
    }
    assert not wrong, f"{module} imports {sorted(wrong)} inside functions; import at the top"
