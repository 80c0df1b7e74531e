"""Lint rules: stable codes, one-line fixes, levels from the config."""

from __future__ import annotations

import pytest

from farmgen.diagnostics import ConfigError, Location, Severity
from farmgen.migrations.lint import RULES, lint_operations
from farmgen.ops import (
    AddField,
    AlterEnum,
    AlterField,
    CreateIndex,
    Operation,
    RemoveField,
    RenameField,
)

BEFORE = {
    "enums": {"S": ["a", "b"]},
    "models": {"t": {"fields": {"a": {"type": "string", "optional": True}}, "indexes": {}}},
}
WHERE = Location("migrations/0002_x.json")


def _codes(op: Operation, config: dict[str, str] | None = None) -> list[str]:
    return [d.code for d in lint_operations([op], BEFORE, WHERE, config or {})]


def test_each_rule_has_a_code_name_and_fix() -> None:
    assert [r.code for r in RULES] == ["FG101", "FG102", "FG103", "FG104", "FG105"]
    assert all(r.fix and "\n" not in r.fix for r in RULES)


@pytest.mark.parametrize(
    ("op", "code"),
    [
        (RemoveField("t", "a", {"type": "string", "optional": True}), "FG101"),
        (RenameField("t", "a", "b"), "FG102"),
        (AddField("t", "b", {"type": "int", "optional": False}, None), "FG103"),
        (AlterEnum("S", ["a", "b"], ["a"]), "FG104"),
        (CreateIndex("t", {"name": "uq", "fields": [["a", 1]], "unique": True}), "FG105"),
    ],
)
def test_rule_fires(op: Operation, code: str) -> None:
    assert code in _codes(op)


def test_quiet_cases() -> None:
    assert _codes(AddField("t", "b", {"type": "int", "optional": False}, 0)) == []
    assert _codes(AddField("new", "b", {"type": "int", "optional": False}, None)) == []
    assert _codes(CreateIndex("new", {"name": "uq", "fields": [["a", 1]], "unique": True})) == []
    assert _codes(AlterField("t", "a", {"type": "int"}, {"type": "float"})) == []


def test_levels_from_config_by_code_or_name() -> None:
    op = RenameField("t", "a", "b")
    (warning,) = lint_operations([op], BEFORE, WHERE, {})
    assert warning.severity is Severity.WARNING
    assert warning.render().startswith("migrations/0002_x.json: warning: rename-breaks-code")
    (error,) = lint_operations([op], BEFORE, WHERE, {"rename-breaks-code": "error"})
    assert error.severity is Severity.ERROR
    assert lint_operations([op], BEFORE, WHERE, {"FG102": "off"}) == []


def test_bad_config_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown rule 'FG999'"):
        lint_operations([], BEFORE, WHERE, {"FG999": "warn"})
    with pytest.raises(ConfigError, match="level must be one of"):
        lint_operations([], BEFORE, WHERE, {"FG101": "loud"})
