"""Positioned objects built without their dataclass ``__init__``, for the loaders' hot loops.

A frozen dataclass's ``__init__`` sets each attribute through ``object.__setattr__``;
a large project builds a few hundred thousand locations and nodes on each load, and
filling in the instance dictionary directly is about three times faster. The objects
are the same: equal, hashable and frozen like those the constructors build (the tests
compare them attribute by attribute).
"""

from __future__ import annotations

from farmgen.diagnostics import Location
from farmgen.spec.nodes import KeyNode, ScalarNode, ScalarValue

_new = object.__new__


def location(path: str, line: int, col: int) -> Location:
    """``Location(path, line, col)``."""
    made = _new(Location)
    attrs = made.__dict__
    attrs["path"] = path
    attrs["line"] = line
    attrs["col"] = col
    return made


def scalar_node(value: ScalarValue, where: Location, raw: str | None) -> ScalarNode:
    """``ScalarNode(value, where, raw)``."""
    made = _new(ScalarNode)
    attrs = made.__dict__
    attrs["value"] = value
    attrs["location"] = where
    attrs["raw"] = raw
    return made


def key_node(text: str, where: Location) -> KeyNode:
    """``KeyNode(text, where)``."""
    made = _new(KeyNode)
    attrs = made.__dict__
    attrs["text"] = text
    attrs["location"] = where
    return made

