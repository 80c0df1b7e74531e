"""YAML spec files → positioned nodes, through PyYAML's composer (the C one when built).

The composer's node marks give every value its line and column; scalars are
resolved by PyYAML's safe constructor, so ``true``, ``12`` and ``null`` mean what
YAML says they mean. Anchors and aliases work; merge keys (``<<``) are expanded with
the mapping's own keys taking precedence.
"""

from __future__ import annotations

from typing import Any

import yaml

from farmgen.diagnostics import Diagnostic, Location
from farmgen.spec import fastnew
from farmgen.spec.nodes import KeyNode, MapNode, Node, ScalarNode, ScalarValue, SeqNode

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


_YAML_SCALAR = yaml.ScalarNode


class _CachingLoader(_Loader):  # type: ignore[misc]
    """The safe loader, resolving each distinct plain scalar's implicit tag once.

    The composer asks for the tag of every node; a spec repeats the same few words
    (``string``, ``true``, ``asc``...) thousands of times. Unless path resolvers are
    registered, :meth:`BaseResolver.resolve <yaml.resolver.BaseResolver.resolve>` answers
    from the text alone for a plain scalar, and with the kind's default tag otherwise.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if kind is _YAML_SCALAR:
            if not implicit[0]:
                return self.DEFAULT_SCALAR_TAG
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if kind is yaml.MappingNode:
            return self.DEFAULT_MAPPING_TAG
        return super().resolve(kind, value, implicit)  # pragma: no cover - no other kinds

_TAG = "tag:yaml.org,2002:"
_CONSTRUCTED_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null"))
_RAW_TAGS = frozenset({_TAG + "timestamp"})
_MERGE_TAG = _TAG + "merge"
_STR_TAG = _TAG + "str"


MAX_NODES = 1_000_000
"""Aliases can make a small file expand exponentially; stop well before memory runs out."""


class _TooLarge(Exception):
    """The document expands past :data:`MAX_NODES`."""



class _Converter:
    def __init__(self, path: str, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.diagnostics: list[Diagnostic] = []
        self.active: set[int] = set()
        self.count = 0
        self.constructed: dict[tuple[str, str], ScalarValue] = {}
        """Values of int, float, bool and null scalars (immutable) by tag and text."""

    def loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return fastnew.location(self.path, mark.line + 1, mark.column + 1)

    def convert(self, node: yaml.Node) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        if type(node) is _YAML_SCALAR:  # the common case first (aliases are not scalars)
            raw = None if node.style else str(node.value)
            return fastnew.scalar_node(self.scalar(node), self.loc(node), raw)
        if id(node) in self.active:
            self.diagnostics.append(
                Diagnostic(
                    self.loc(node), "yaml-alias", "a YAML alias refers to a node containing it"
                )
            )
            return ScalarNode(None, self.loc(node))
        if isinstance(node, yaml.ScalarNode):
            raw = str(node.value) if not getattr(node, "style", None) else None
            return ScalarNode(self.scalar(node), self.loc(node), raw)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node)
            return SeqNode(tuple(self.convert(item) for item in node.value), self.loc(node))
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.Node) -> ScalarValue:
        if node.tag == _STR_TAG:
            return str(node.value)
        if node.tag in _CONSTRUCTED_TAGS:
            key = (node.tag, node.value)
            if key in self.constructed:
                return self.constructed[key]
            try:
                value: ScalarValue = self.loader.construct_object(node)
            except (ValueError, KeyError, TypeError, IndexError, yaml.YAMLError):
                tag = node.tag.removeprefix(_TAG)
                message = f"'{node.value}' is not a valid !!{tag} value"
                self.diagnostics.append(Diagnostic(self.loc(node), "yaml-value", message))
                return str(node.value)
            self.constructed[key] = value
            return value
        if node.tag in _RAW_TAGS:
            return str(node.value)
        self.diagnostics.append(
            Diagnostic(self.loc(node), "yaml-tag", f"unsupported YAML tag '{node.tag}'")
        )
        return str(node.value)

    def key(self, node: yaml.Node) -> KeyNode:
        if not isinstance(node, yaml.ScalarNode):
            self.diagnostics.append(
                Diagnostic(self.loc(node), "yaml-key", "mapping keys must be plain strings")
            )
            return KeyNode("<complex key>", self.loc(node))
        return fastnew.key_node(str(node.value), self.loc(node))

    def mapping(self, node: yaml.MappingNode) -> MapNode:
        entries: list[tuple[KeyNode, Node]] = []
        merged: list[tuple[KeyNode, Node]] = []
        path = self.path
        for key, value in node.value:
            if key.tag == _MERGE_TAG:
                merged.extend(self.merge_sources(value))
                continue
            if type(key) is _YAML_SCALAR:  # :meth:`key`, inlined for the common case
                mark = key.start_mark
                where = fastnew.location(path, mark.line + 1, mark.column + 1)
                entries.append((fastnew.key_node(str(key.value), where), self.convert(value)))
            else:
                entries.append((self.key(key), self.convert(value)))
        if not merged:
            return MapNode(tuple(entries), self.loc(node))
        explicit = {k.text for k, _ in entries}
        seen: set[str] = set()
        for k, v in merged:
            if k.text not in explicit and k.text not in seen:
                seen.add(k.text)
                entries.append((k, v))
        return MapNode(tuple(entries), self.loc(node))

    def merge_sources(self, node: yaml.Node) -> list[tuple[KeyNode, Node]]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out: list[tuple[KeyNode, Node]] = []
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self.diagnostics.append(
                    Diagnostic(self.loc(source), "yaml-merge", "a merge key (<<) needs a mapping")
                )
                continue
            out.extend(self.mapping(source).entries)
        return out


TAB_HINT = "YAML does not allow tabs for indentation: indent with spaces"


def _parse_error(path: str, exc: yaml.YAMLError, text: str = "") -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context})"
    hint = TAB_HINT if mark and _tab_in_indentation(text, mark.line, mark.column) else None
    return Diagnostic(loc, "yaml-syntax", message, hint=hint)


def _tab_in_indentation(text: str, line: int, column: int) -> bool:
    """Whether the error is at a tab in the leading whitespace of its line."""
    lines = text.splitlines()
    if line >= len(lines):
        return False
    row = lines[line]
    indent = row[: len(row) - len(row.lstrip(" \t"))]
    return "\t" in indent and column <= len(indent)


def parse_yaml(text: str, path: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML document; an empty document gives ``None`` and no diagnostic."""
    loader = _CachingLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, []
        converter = _Converter(path, loader)
        return converter.convert(root), converter.diagnostics
    except yaml.YAMLError as exc:
        return None, [_parse_error(path, exc, text)]
    except RecursionError:
        return None, [Diagnostic(Location(path), "yaml-depth", "the document is nested too deeply")]
    except _TooLarge:
        message = f"the document expands to more than {MAX_NODES} values (through aliases)"
        return None, [Diagnostic(Location(path), "yaml-size", message)]
    finally:
        loader.dispose()
