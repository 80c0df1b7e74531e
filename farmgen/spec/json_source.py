"""JSON spec files → positioned nodes.

The standard library parser checks the text first, so syntax errors carry its own
message and position; a small recursive-descent pass then rebuilds the (valid)
document with the line and column of every value and key.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]

from farmgen.diagnostics import Diagnostic, Location
from farmgen.spec.nodes import KeyNode, MapNode, Node, ScalarNode, SeqNode

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.pos = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def loc(self, offset: int) -> Location:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Location(self.path, line + 1, offset - self.line_starts[line] + 1)

    def skip(self) -> None:
        match = _WS.match(self.text, self.pos)
        assert match is not None
        self.pos = match.end()

    def value(self) -> Node:
        self.skip()
        start = self.pos
        char = self.text[start]
        if char == "{":
            return self.obj()
        if char == "[":
            return self.array()
        if char == '"':
            text, self.pos = scanstring(self.text, start + 1)
            return ScalarNode(text, self.loc(start))
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, start):
                self.pos = start + len(word)
                return ScalarNode(literal, self.loc(start))
        match = _NUMBER.match(self.text, start)
        assert match is not None, "the text was validated by json.loads"
        self.pos = match.end()
        number: int | float = (
            float(match.group()) if match.group(1) or match.group(2) else int(match.group())
        )
        return ScalarNode(number, self.loc(start))

    def obj(self) -> MapNode:
        start = self.pos
        self.pos += 1
        entries: list[tuple[KeyNode, Node]] = []
        self.skip()
        if self.text[self.pos] == "}":
            self.pos += 1
            return MapNode((), self.loc(start))
        while True:
            self.skip()
            key_start = self.pos
            key, self.pos = scanstring(self.text, key_start + 1)
            self.skip()
            self.pos += 1  # the colon
            entries.append((KeyNode(key, self.loc(key_start)), self.value()))
            self.skip()
            closing = self.text[self.pos]
            self.pos += 1
            if closing == "}":
                return MapNode(tuple(entries), self.loc(start))

    def array(self) -> SeqNode:
        start = self.pos
        self.pos += 1
        items: list[Node] = []
        self.skip()
        if self.text[self.pos] == "]":
            self.pos += 1
            return SeqNode((), self.loc(start))
        while True:
            items.append(self.value())
            self.skip()
            closing = self.text[self.pos]
            self.pos += 1
            if closing == "]":
                return SeqNode(tuple(items), self.loc(start))


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(text: str, path: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one JSON document; blank text gives ``None`` and no diagnostic."""
    if not text.strip():
        return None, []
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        loc = Location(path, exc.lineno, exc.colno)
        return None, [Diagnostic(loc, "json-syntax", f"invalid JSON: {exc.msg}")]
    except ValueError as exc:
        return None, [Diagnostic(Location(path), "json-syntax", f"invalid JSON: {exc}")]
    except RecursionError:
        return None, [Diagnostic(Location(path), "json-depth", "the document is nested too deeply")]
    try:
        return _Parser(text, path).value(), []
    except RecursionError:
        return None, [Diagnostic(Location(path), "json-depth", "the document is nested too deeply")]
