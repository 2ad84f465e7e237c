"""The installed package holds what the offline run needs, not how the snapshot is made.

The generators, their reference data and the later-night scenarios are developer tools (`tools/snapshot/`, run
from the repository); `scrapers.snapshot` keeps only the server, the manifest reader and the committed pages.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

REPO = Path(__file__).resolve().parents[2]


def installed_packages() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return find_packages(str(REPO), include=config["tool"]["setuptools"]["packages"]["find"]["include"])


def test_tools_and_bench_are_not_installed():
    packages = installed_packages()
    assert "scrapers.snapshot" in packages  # the server the offline run starts
    assert not [name for name in packages if name.split(".")[0] in {"tools", "bench", "tests"}]


def test_no_generator_or_scenario_ships_in_an_installed_package():
    shipped = [
        path.relative_to(REPO).as_posix()
        for package in installed_packages()
        for path in (REPO / package.replace(".", "/")).glob("*.py")
        if path.stem.startswith("generate") or path.stem == "nights"
    ]
    assert shipped == []
    assert not (REPO / "scrapers" / "snapshot" / "reference").exists()
    assert (REPO / "tools" / "snapshot" / "generate_ugent.py").is_file()  # moved, not lost
