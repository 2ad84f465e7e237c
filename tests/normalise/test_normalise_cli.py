"""``microcred normalise FIELD``: the ``run`` function, JSON lines in and out, and a light start-up."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from normalise.cli import run

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
        "import sys, normalise.cli; "
        "print(sorted(m for m in ('dagster', 'great_expectations', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "normalise.cli", "languages"],
        cwd=REPO,
        input="nl,en\nENGLISH\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == ['["nl", "en"]', '["en"]']


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("credits", "2–5 ECTS credits", {"min": 2.0, "max": 5.0}),
        ("credits", "4 ECTS (+2 with an individual paper)", {"min": 4.0, "max": 6.0}),
        ("credits", "6 ECTS", 6.0),
        (
            "fee",
            "PhD students: €300 | Others: €650",
            {
                "tiers": [
                    {"label": "PhD students", "amount_eur": 300.0},
                    {"label": "Others", "amount_eur": 650.0},
                ]
            },
        ),
        ("fee", "€ 75,40 + (aantal studiepunten x € 8,50)", {"fixed_eur": 75.4, "per_credit_eur": 8.5}),
        ("fee", "€ 53/ECTS", {"fixed_eur": None, "per_credit_eur": 53.0}),
        ("fee", "-500 EUR", None),
        ("date", "14 - 18 July 2025", {"start": "2025-07-14", "end": "2025-07-18"}),
        ("date", "from 3 - 14 June 2024", {"start": "2024-06-03", "end": "2024-06-14"}),
        (
            "hours",
            "120 hours of study time, including 24 hours of lectures and 12 hours of exercises",
            {"study_hours": 120, "contact_hours": 36},
        ),
        ("hours", "Contact hours: 45", {"study_hours": None, "contact_hours": 45}),
        ("semester", "A1", {"semester": "S1", "offering": "A"}),
        ("semester", "(1)", None),
        ("semester", "3", "SUMMER"),
    ],
)
def test_structured_values_are_one_json_object_per_line(field: str, raw: str, expected: object) -> None:
    status, lines = run_lines(field, [raw + "\n"])
    assert status == 0
    assert [json.loads(line) for line in lines] == [expected]


def test_byte_lines_are_decoded_one_by_one() -> None:
    status, lines = run_lines("credits", [b"7,5 ECTS\n", b"6 \xff ECTS\n", b"8 credits\n"])
    assert status == 0
    assert [json.loads(line) for line in lines] == [7.5, None, 8.0]


def test_an_invalid_utf8_line_answers_null_and_the_rest_go_on() -> None:
    """Issue 16 item 8: before, the command exited 1 with no output at all."""
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "normalise", "credits"],
        cwd=REPO,
        input=b"7,5 ECTS\n6 \xff\xfe ECTS\n\xc3\n2-5 ECTS\n8 credits",
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.decode().splitlines() == ["7.5", "null", "null", '{"min": 2.0, "max": 5.0}', "8.0"]
    errors = done.stderr.decode().splitlines()
    assert [line.split(":")[0] for line in errors] == ["line 2", "line 3"]
    assert all("not valid UTF-8" in line for line in errors)
