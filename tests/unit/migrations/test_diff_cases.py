"""Diff cases as data: ``tests/diff_cases/<case>/`` holds before.json + after.json (+
renames.json) → expected.json (the exact operations and diagnostics).

Set ``FARMGEN_UPDATE_DIFF_CASES=1`` to rewrite expected.json after a reviewed change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from farmgen.migrations.compare import diff
from farmgen.migrations.snapshot import Renames, comparable
from farmgen.ops import apply_all, operations_from_json, reverse_all

CASES = Path(__file__).resolve().parents[2] / "diff_cases"
UPDATE = os.environ.get("FARMGEN_UPDATE_DIFF_CASES") == "1"


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _result(case: Path) -> dict[str, Any]:
    renames = (
        Renames.from_json(_read(case / "renames.json"))
        if (case / "renames.json").exists()
        else Renames()
    )
    result = diff(_read(case / "before.json"), _read(case / "after.json"), renames)
    return {
        "operations": [op.to_json() for op in result.operations],
        "diagnostics": [
            {"code": d.code, "severity": d.severity.value, "message": d.message, "hint": d.hint}
            for d in result.diagnostics
        ],
    }


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_diff_case(case: str) -> None:
    directory = CASES / case
    got = _result(directory)
    expected_path = directory / "expected.json"
    if UPDATE:
        expected_path.write_text(json.dumps(got, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert got == _read(expected_path)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_diff_case_operations_replay_and_reverse(case: str) -> None:
    directory = CASES / case
    before, after = _read(directory / "before.json"), _read(directory / "after.json")
    operations = operations_from_json(_read(directory / "expected.json")["operations"])
    assert comparable(apply_all(before, operations)) == comparable(after)
    assert comparable(apply_all(after, reverse_all(operations))) == comparable(before)
