"""``microcred normalise FIELD``: the ``run`` function, JSON lines in and out, and a light start-up."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.normalise.cli import run

REPO = Path(__file__).resolve().parents[2]


def run_lines(field: str, lines: list[str]) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = run(field, lines, out)
    return status, out.getvalue().splitlines()


def test_credits_lines() -> None:
    status, lines = run_lines("credits", ["7,5 ECTS\n", "n.v.t.\n", "\n", "Study load: 168 hours (6 EC)"])
    assert status == 0
    assert [json.loads(line) for line in lines] == [7.5, None, None, 6.0]
    assert lines[0] == "7.5"
    assert lines[1] == "null"


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("languages", "Nederlands, Engels", ["nl", "en"]),
        ("languages", "English, Klingon", None),
        ("semester", "1E SEM", "S1"),
        ("hours", "-1", None),
        ("hours", "Studietijd 150 u", 150),
        ("fee", "€ 3.500", 3500.0),
        (
            "fee",
            "€ 265,70 vast bedrag + € 12,50 per studiepunt",
            {"fixed_eur": 265.7, "per_credit_eur": 12.5},
        ),
        ("level", "master", 7),
        ("mode", "hybride", "hybrid"),
        ("academic_year", "2024-2025", 2024),
        ("date", "26 - 30 August 2024", {"start": "2024-08-26", "end": "2024-08-30"}),
        ("date", "2024-09-23", "2024-09-23"),
    ],
)
def test_one_json_value_per_line(field: str, raw: str, expected: object) -> None:
    status, lines = run_lines(field, [raw + "\n"])
    assert status == 0
    assert len(lines) == 1
    assert json.loads(lines[0]) == expected


def test_fee_is_a_json_number_and_lists_are_arrays() -> None:
    _, fee_lines = run_lines("fee", ["€ 743,-"])
    assert isinstance(json.loads(fee_lines[0]), float)
    _, language_lines = run_lines("languages", ["ln,nl"])
    assert language_lines[0].startswith("[")


def test_line_n_answers_line_n() -> None:
    raws = ["5", "", "n.v.t.", "7,5", "😀", "Windows line\r\n", "8 credits"]
    status, lines = run_lines("credits", raws)
    assert status == 0
    assert [json.loads(line) for line in lines] == [5.0, None, None, 7.5, None, None, 8.0]


def test_empty_input_writes_nothing() -> None:
    assert run_lines("credits", []) == (0, [])


def test_unknown_field(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = run_lines("colour", ["red"])
    assert status == 2
    assert lines == []
    assert "unknown field" in capsys.readouterr().err


def test_command_line_imports_no_heavy_libraries() -> None:
    code = (
        "import sys, pipelines.normalise.cli; "
        "print(sorted(m for m in ('dagster', 'great_expectations', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.normalise.cli", "languages"],
        cwd=REPO,
        input="nl,en\nENGLISH\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == ['["nl", "en"]', '["en"]']
