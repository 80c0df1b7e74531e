"""Positioned raw nodes: what a spec file is before it is resolved.

A spec file parses into a tree of :class:`MapNode`, :class:`SeqNode` and
:class:`ScalarNode`, each carrying the :class:`~farmgen.diagnostics.Location` where it
starts. Mapping keys are kept in file order together with their own positions, so
that duplicate and unknown keys can be reported where they are written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from farmgen.diagnostics import Diagnostic, Location

ScalarValue = str | int | float | bool | None


@dataclass(frozen=True)
class ScalarNode:
    value: ScalarValue
    location: Location
    raw: str | None = field(default=None, compare=False)
    """The source text of a plain (unquoted) YAML scalar, e.g. ``yes`` for True."""

    @property
    def kind(self) -> str:
        return scalar_kind(self.value)


@dataclass(frozen=True)
class SeqNode:
    items: tuple[Node, ...]
    location: Location

    @property
    def kind(self) -> str:
        return "a list"


@dataclass(frozen=True)
class KeyNode:
    """A mapping key: keys are always strings in a spec (other scalars are stringified)."""

    text: str
    location: Location


@dataclass(frozen=True)
class MapNode:
    entries: tuple[tuple[KeyNode, Node], ...]
    location: Location

    @property
    def kind(self) -> str:
        return "a mapping"

    def keys(self) -> list[str]:
        return [k.text for k, _ in self.entries]

    def get(self, key: str) -> Node | None:
        """The value of the first entry named ``key`` (duplicates are reported elsewhere)."""
        for k, v in self.entries:
            if k.text == key:
                return v
        return None

    def value(self, key: str) -> Node | None:
        """Like :meth:`get`, but an explicit null counts as absent (for optional keys)."""
        found = self.get(key)
        if isinstance(found, ScalarNode) and found.value is None:
            return None
        return found

    def first_values(self) -> dict[str, Node]:
        """Every key's :meth:`get` at once (the first value of each key, nulls included)."""
        first: dict[str, Node] = {}
        for k, v in self.entries:
            if k.text not in first:
                first[k.text] = v
        return first

    def present(self, first: dict[str, Node] | None = None) -> dict[str, Node]:
        """Every key's :meth:`value` at once, absent and null keys left out.

        For code that asks a mapping about many keys: one pass instead of one per key.
        ``first`` is :meth:`first_values`, when the caller has it already.
        """
        if first is None:
            first = self.first_values()
        return {
            k: v for k, v in first.items() if not (isinstance(v, ScalarNode) and v.value is None)
        }

    def key_node(self, key: str) -> KeyNode | None:
        for k, _ in self.entries:
            if k.text == key:
                return k
        return None

    def first_entries(self) -> list[tuple[KeyNode, Node]]:
        """Entries without repeats: a repeated key is reported once, as a duplicate key."""
        seen: set[str] = set()
        kept: list[tuple[KeyNode, Node]] = []
        for key, value in self.entries:
            if key.text not in seen:
                seen.add(key.text)
                kept.append((key, value))
        return kept

    def __iter__(self) -> Iterator[tuple[KeyNode, Node]]:
        return iter(self.entries)


Node = ScalarNode | SeqNode | MapNode


def scalar_kind(value: ScalarValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    return "a string"


def to_plain(node: Node) -> object:
    """The plain Python value of a node (last duplicate key wins)."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SeqNode):
        return [to_plain(item) for item in node.items]
    return {k.text: to_plain(v) for k, v in node.entries}


@dataclass(frozen=True)
class RawDocument:
    """One spec file: its display path, its root node (None if it could not be parsed)."""

    path: str
    root: Node | None
    diagnostics: tuple[Diagnostic, ...] = field(default=())
