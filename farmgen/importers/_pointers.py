"""JSON pointers in a JSON Schema or OpenAPI file: their line and column, and the
constructs farmgen cannot express, found by walking the document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from farmgen.diagnostics import Location


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def join(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join(f"/{escape(str(t))}" for t in tokens)


@dataclass
class PointerIndex:
    """Maps JSON pointers (``/$defs/User/properties/email``) to source positions."""

    path: str
    text: str
    _marks: dict[str, tuple[int, int]] | None = field(default=None, init=False)

    def location(self, pointer: str) -> Location:
        marks = self._load()
        while pointer and pointer not in marks:
            pointer = pointer.rsplit("/", 1)[0]
        line, col = marks.get(pointer, (0, 0))
        return Location(self.path, line, col)

    def _load(self) -> dict[str, tuple[int, int]]:
        if self._marks is None:
            self._marks = {}
            try:
                node = yaml.compose(self.text, Loader=yaml.SafeLoader)
            except yaml.YAMLError:
                node = None
            if node is not None:
                self._walk(node, "")
        return self._marks

    def _walk(self, node: yaml.Node, pointer: str) -> None:
        assert self._marks is not None
        self._marks[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self._walk(value, join(pointer, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, join(pointer, i))


@dataclass(frozen=True)
class Finding:
    pointer: str
    construct: str
    done: str


_CONDITIONAL = ("if", "then", "else")


_NAMED_MAPS = frozenset(
    {"properties", "$defs", "definitions", "patternProperties", "dependentSchemas", "schemas"}
)
_NOT_SCHEMAS = frozenset(
    {"enum", "const", "default", "examples", "example", "x-farmgen", "required"}
)


def unsupported(schema: Any, pointer: str = "") -> Iterator[Finding]:
    """Every construct farmgen cannot express in a schema and its sub-schemas, in order."""
    if isinstance(schema, list):
        for i, item in enumerate(schema):
            yield from unsupported(item, join(pointer, i))
        return
    if not isinstance(schema, Mapping):
        return
    yield from _findings(schema, pointer)
    for key, value in schema.items():
        if key in _NOT_SCHEMAS:
            continue
        child = join(pointer, str(key))
        if key in _NAMED_MAPS and isinstance(value, Mapping):
            for name, sub in value.items():
                yield from unsupported(sub, join(child, str(name)))
        else:
            yield from unsupported(value, child)


def _findings(node: Mapping[str, Any], pointer: str) -> Iterator[Finding]:
    if "patternProperties" in node:
        yield Finding(
            join(pointer, "patternProperties"),
            "patternProperties",
            "imported as a dict of the first pattern's value type",
        )
    items = node.get("items")
    if "prefixItems" in node or isinstance(items, list):
        where = "prefixItems" if "prefixItems" in node else "items"
        yield Finding(join(pointer, where), "a tuple array", "imported as a list")
    if "if" in node:
        yield Finding(join(pointer, "if"), "a conditional schema (if/then/else)", "ignored")
    if "not" in node:
        yield Finding(join(pointer, "not"), "'not'", "ignored")
    for key in ("dependentSchemas", "dependencies", "dependentRequired"):
        if key in node:
            yield Finding(join(pointer, key), f"'{key}'", "ignored")


def document_pointer(ref_path: str) -> str:
    """The plain JSON pointer part of a reference path (``file.json#/$defs/A`` → ``/$defs/A``)."""
    return ref_path.split("#", 1)[1] if "#" in ref_path else ""


__all__ = ["Finding", "PointerIndex", "document_pointer", "join", "unsupported"]
