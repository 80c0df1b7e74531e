"""Repeated field declarations resolve once, yet every field keeps its own name, place,
default and diagnostics."""

from __future__ import annotations

import textwrap

from farmgen.diagnostics import Location
from farmgen.ir import Default
from farmgen.resolve import resolve_with_diagnostics
from farmgen.spec import parse_text


def _resolve(text: str) -> tuple[object, list[str]]:
    document = parse_text(textwrap.dedent(text), "a.yaml", ".yaml")
    schema, diagnostics = resolve_with_diagnostics([document])
    return schema, [d.render() for d in diagnostics]


def test_repeated_mappings_and_short_forms_keep_their_names_places_and_defaults() -> None:
    schema, diagnostics = _resolve(
        """\
        models:
          A:
            fields:
              x: {type: int, min: 1, default: 2, index: true}
              y: {type: int, min: 1, default: 3, index: true}
              s: string?
          B:
            fields:
              z: {type: int, min: 1, default: 4, index: true}
              t: string?
        """
    )
    assert diagnostics == []
    a, b = schema.models  # type: ignore[attr-defined]
    x, y, s = a.fields
    (z, t) = b.fields
    assert [f.name for f in (x, y, z)] == ["x", "y", "z"]
    assert [f.location for f in (x, y, z)] == [
        Location("a.yaml", 4, 7),
        Location("a.yaml", 5, 7),
        Location("a.yaml", 9, 7),
    ]
    assert [f.default for f in (x, y, z)] == [Default.of(2), Default.of(3), Default.of(4)]
    assert x.constraints == z.constraints and x.constraints.min == 1
    assert [i.name for i in a.indexes] == ["ix_as_x", "ix_as_y"]
    assert (s.name, s.location, s.optional, s.default) == (
        "s",
        Location("a.yaml", 6, 7),
        True,
        Default.of(None),
    )
    assert (t.name, t.location) == ("t", Location("a.yaml", 10, 7))


def test_a_repeated_bad_mapping_is_reported_every_time() -> None:
    schema, diagnostics = _resolve(
        """\
        models:
          A:
            fields:
              x: {type: json, index: true}
              y: {type: json, index: true}
              u: {type: int, min: true}
              v: {type: int, min: 1}
              w: {type: int, min: true}
        """
    )
    assert schema is None
    assert diagnostics == [
        "a.yaml:4:30: A.x of type json cannot be indexed",
        "a.yaml:5:30: A.y of type json cannot be indexed",
        "a.yaml:6:27: 'min' of A.u must be a finite number, found a boolean",
        "a.yaml:8:27: 'min' of A.w must be a finite number, found a boolean",
    ]


def test_equal_but_differently_typed_or_signed_values_are_not_confused() -> None:
    schema, diagnostics = _resolve(
        """\
        models:
          A:
            fields:
              p: {type: float, min: 0.0}
              q: {type: float, min: -0.0}
              r: {type: float, min: 1}
              s: {type: float, min: 1.0}
        """
    )
    assert diagnostics == []
    p, q, r, s = schema.models[0].fields  # type: ignore[attr-defined]
    assert [repr(f.constraints.min) for f in (p, q, r, s)] == ["0.0", "-0.0", "1", "1.0"]


def test_a_reference_to_an_embedded_type_with_errors_reports_only_those_errors() -> None:
    schema, diagnostics = _resolve(
        """\
        embedded:
          A:
            fields:
              b: B
              c: list[A]
          B:
            description: x
        """
    )
    assert schema is None
    assert diagnostics == [
        "a.yaml:2:3: embedded types form a cycle: A → A",
        "a.yaml:7:5: embedded type B has no 'fields'",
    ]
