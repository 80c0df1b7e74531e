"""Loader objects built directly equal the constructed ones; repeated scalars keep their tags."""

from __future__ import annotations

import pytest

from farmgen.diagnostics import Location
from farmgen.spec import fastnew
from farmgen.spec.nodes import KeyNode, ScalarNode
from farmgen.spec.source import parse_text


def test_direct_builders_equal_the_constructors() -> None:
    where = fastnew.location("a.yaml", 2, 7)
    assert where == Location("a.yaml", 2, 7)
    assert hash(where) == hash(Location("a.yaml", 2, 7))
    assert str(where) == "a.yaml:2:7"
    scalar = fastnew.scalar_node(True, where, "yes")
    assert scalar == ScalarNode(True, Location("a.yaml", 2, 7), "yes")
    assert repr(scalar) == repr(ScalarNode(True, Location("a.yaml", 2, 7), "yes"))
    assert fastnew.key_node("k", where) == KeyNode("k", Location("a.yaml", 2, 7))
    with pytest.raises(AttributeError):
        where.line = 3  # type: ignore[misc]


def test_repeated_scalars_resolve_by_their_own_style_and_tag() -> None:
    text = "a: [yes, 'yes', \"yes\", !!str yes, yes, 12, '12', 12, ~, null, '', 1.5, 1.5]\n"
    document = parse_text(text, "x.yaml", ".yaml")
    assert document.diagnostics == ()
    assert document.root is not None
    items = document.root.entries[0][1].items  # type: ignore[union-attr]
    values = [item.value for item in items]
    assert values == [True, "yes", "yes", "yes", True, 12, "12", 12, None, None, "", 1.5, 1.5]
    assert [item.raw for item in items][:5] == ["yes", None, None, "yes", "yes"]
    assert [type(v) for v in values[5:8]] == [int, str, int]


def test_a_bad_explicit_value_is_reported_each_time() -> None:
    text = "a: !!int x\nb: !!int x\n"
    document = parse_text(text, "x.yaml", ".yaml")
    assert [str(d.location) for d in document.diagnostics] == ["x.yaml:1:4", "x.yaml:2:4"]
