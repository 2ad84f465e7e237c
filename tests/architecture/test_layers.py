"""The layers: a package imports only from its own layer or a lower one, packages import each other without a
cycle, and the core (``registry``) imports nothing but the standard library.

    0  registry                       the dependency-free core
    1  scrapers, normalise, quality   on the core (quality also on normalise)
    2  warehouse                      on the layers below
    3  pipelines, dashboard, bench, tools

Every module's imports are read from its source (``ast``), function-level imports included, so an import
hidden inside a function to dodge a cycle is still seen.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYERS: dict[str, int] = {
    "registry": 0,
    "scrapers": 1,
    "normalise": 1,
    "quality": 1,
    "warehouse": 2,
    "pipelines": 3,
    "dashboard": 3,
    "bench": 3,
    "tools": 3,
}
CORE = "registry"


def modules(root: Path, packages: dict[str, int]) -> Iterator[tuple[str, Path]]:
    """(dotted module name, file) of every Python module of the given packages under ``root``."""
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """(absolute name imported, line) for every import in the file, at any depth (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the importing package
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield name, node.lineno


def violations(root: Path, packages: dict[str, int] = LAYERS) -> list[str]:
    """Every upward import, every cycle between packages and every non-standard import in the core."""
    found: list[str] = []
    edges: dict[str, set[str]] = {package: set() for package in packages}
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    for module, path in modules(root, packages):
        own = module.split(".")[0]
        for name, line in imports(module, path):
            top = name.split(".")[0]
            where = f"{path.relative_to(root)}:{line}"
            if own == CORE and top not in stdlib and top != CORE:
                found.append(f"{where}: the core imports {name} (only the standard library is allowed)")
            if top not in packages or top == own:
                continue
            edges[own].add(top)
            if packages[top] > packages[own]:
                found.append(
                    f"{where}: {own} (layer {packages[own]}) imports {name} (layer {packages[top]}): upward"
                )
    found += [f"import cycle between packages: {' -> '.join(cycle)}" for cycle in cycles(edges)]
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The cycles of a package graph, each once, starting from its smallest name."""
    found: list[list[str]] = []

    def walk(start: str, node: str, path: list[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target == start:
                found.append([*path, start])
            elif target > start and target not in path:
                walk(start, target, [*path, target])

    for start in sorted(edges):
        walk(start, start, [start])
    return found


def test_no_upward_import_no_cycle_and_a_standard_library_core():
    assert violations(REPO) == []


def test_every_layered_package_is_checked():
    """A package that is not in the layer table escapes the test: each top-level package must be in it."""
    packages = {p.parent.name for p in REPO.glob("*/__init__.py")}
    assert packages - {"tests", "deploy"} <= set(LAYERS)


# -- the checker itself can fail ----------------------------------------------------------------------------


def plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in LAYERS:
        (root / package).mkdir(exist_ok=True)
        (root / package / "__init__.py").touch()
    return root


def test_an_upward_import_inside_a_function_is_found(tmp_path):
    root = plant(
        tmp_path,
        {
            "quality/checks.py": "def check():\n    from warehouse.publish import publish\n    return publish\n"
        },
    )
    assert violations(root) == [
        "quality/checks.py:2: quality (layer 1) imports warehouse.publish (layer 2): upward"
    ]


def test_a_relative_import_is_resolved_before_it_is_judged(tmp_path):
    root = plant(tmp_path, {"normalise/sub/deep.py": "from ...pipelines import cli\n"})
    assert violations(root) == [
        "normalise/sub/deep.py:1: normalise (layer 1) imports pipelines (layer 3): upward"
    ]


def test_a_cycle_between_packages_of_one_layer_is_found(tmp_path):
    root = plant(
        tmp_path,
        {"normalise/a.py": "import quality.rules\n", "quality/rules.py": "from normalise import a\n"},
    )
    assert violations(root) == ["import cycle between packages: normalise -> quality -> normalise"]


@pytest.mark.parametrize(
    "statement", ["import polars\n", "from duckdb import connect\n", "import normalise\n"]
)
def test_the_core_may_import_only_the_standard_library(tmp_path, statement):
    root = plant(
        tmp_path, {"registry/tables.py": "import json\nfrom dataclasses import dataclass\n" + statement}
    )
    found = violations(root)
    assert found and all(f.startswith("registry/tables.py:3: ") for f in found)
    assert found[0].startswith("registry/tables.py:3: the core imports")


def test_downward_and_same_package_imports_pass(tmp_path):
    root = plant(
        tmp_path,
        {
            "pipelines/cli.py": "from warehouse import publish\nfrom pipelines import defs\nimport registry\n",
            "warehouse/publish.py": "import quality.checks\nfrom normalise.transform import CoreTables\n",
            "quality/checks.py": "from normalise.tables import polars_schema\nimport polars\n",
        },
    )
    assert violations(root) == []
