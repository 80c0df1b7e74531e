"""SQL limits the resolver reports: index key length on MySQL/MariaDB, 64-bit integers,
cycles of required references."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.diagnostics import SpecError
from farmgen.resolve import load_schema, resolve_with_diagnostics, sqllimits
from farmgen.runtime import sqlschema
from farmgen.spec import parse_text
from farmgen.targets import sqlalchemy as sql_target


def errors(tmp_path: Path, spec: str) -> list[str]:
    (tmp_path / "a.yaml").write_text("farmgen: 1\n" + spec, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_schema([tmp_path / "a.yaml"], tmp_path)
    return info.value.lines()


LONG_INDEX = """models:
  Contact:
    fields:
      email: email
      first: string
      last: string
    indexes:
      - [email, first, last]
"""


def test_an_index_longer_than_mysql_accepts_is_an_error(tmp_path: Path) -> None:
    (line,) = errors(tmp_path, LONG_INDEX)
    assert "index 'ix_contacts_email_first_last'" in line
    assert "3320 bytes" in line  # (320 + 255 + 255) * 4
    assert "3072" in line


def test_max_length_makes_the_index_fit(tmp_path: Path) -> None:
    spec = LONG_INDEX.replace("first: string", "first: {type: string, max_length: 100}")
    (tmp_path / "a.yaml").write_text("farmgen: 1\n" + spec, encoding="utf-8")
    schema = load_schema([tmp_path / "a.yaml"], tmp_path)
    model = schema.model("Contact")
    assert sqllimits.index_key_bytes(model, model.indexes[0]) == (320 + 100 + 255) * 4


def test_lengths_are_those_of_the_sql_schema() -> None:
    assert sqllimits.EMAIL_LENGTH == sqlschema.EMAIL_LENGTH == sql_target.EMAIL_LENGTH
    assert (
        sqllimits.DEFAULT_STRING_LENGTH
        == sqlschema.DEFAULT_STRING_LENGTH
        == sql_target.DEFAULT_STRING_LENGTH
    )


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        (
            "default: 9223372036854775808",
            "default for Counter.n is outside the 64-bit integer range",
        ),
        ("min: -9223372036854775809", "'min' of Counter.n is outside the 64-bit integer range"),
        ("max: 1.0e+19", "'max' of Counter.n is outside the 64-bit integer range"),
    ],
)
def test_int_values_outside_64_bits_are_errors(tmp_path: Path, attrs: str, expected: str) -> None:
    spec = f"models:\n  Counter:\n    fields:\n      n: {{type: int, {attrs}}}\n"
    lines = errors(tmp_path, spec)
    assert len(lines) == 1 and expected in lines[0]


def test_the_64_bit_bounds_themselves_are_accepted(tmp_path: Path) -> None:
    spec = (
        "models:\n  Counter:\n    fields:\n      n: {type: int, default: 0, "
        "min: -9223372036854775808, max: 9223372036854775807}\n"
    )
    (tmp_path / "a.yaml").write_text("farmgen: 1\n" + spec, encoding="utf-8")
    field = load_schema([tmp_path / "a.yaml"], tmp_path).model("Counter").field_map["n"]
    assert field.constraints.max == 2**63 - 1


def _warnings(spec: str) -> list[str]:
    schema, diagnostics = resolve_with_diagnostics(
        [parse_text("farmgen: 1\n" + spec, "a.yaml", ".yaml")]
    )
    assert schema is not None
    return [d.render() for d in diagnostics]


def test_a_cycle_of_required_references_is_a_warning() -> None:
    spec = """models:
  Team:
    fields:
      captain: "ref[Player]"
  Player:
    fields:
      team: "ref[Team]"
"""
    (line,) = _warnings(spec)
    assert "required references form a cycle (Team.captain, Player.team)" in line
    assert "make one of them optional" in line


def test_an_optional_reference_breaks_the_cycle() -> None:
    spec = """models:
  Team:
    fields:
      captain: "ref[Player]?"
      coach: "ref[Team]"
  Player:
    fields:
      team: "ref[Team]"
"""
    assert _warnings(spec) == []
