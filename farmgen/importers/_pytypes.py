"""Python type annotations (read with libcst) → farmgen type expressions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from farmgen.importers._pysource import (
    NotLiteral,
    call_args,
    last,
    literal,
    string_expression,
    subscript_items,
)

SCALARS: dict[str, str] = {
    "str": "string",
    "Text": "text",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "Decimal": "decimal",
    "Decimal128": "decimal",
    "DecimalAnnotation": "decimal",
    "datetime": "datetime",
    "UTCDatetime": "datetime",
    "AwareDatetime": "datetime",
    "NaiveDatetime": "datetime",
    "date": "date",
    "time": "time",
    "UUID": "uuid",
    "UUID4": "uuid",
    "EmailStr": "email",
    "NameEmail": "email",
    "HttpUrl": "url",
    "AnyUrl": "url",
    "AnyHttpUrl": "url",
    "Url": "url",
    "bytes": "bytes",
    "Any": "json",
    "JsonValue": "json",
    "Json": "json",
    "object": "json",
    "PydanticObjectId": "objectid",
    "ObjectId": "objectid",
    "BeanieObjectId": "objectid",
}
"""Annotation names (last segment) and their farmgen scalar."""

LISTS = frozenset({"list", "List", "Sequence", "MutableSequence", "Iterable", "Collection"})
SETS = frozenset({"set", "Set", "frozenset", "FrozenSet", "AbstractSet", "MutableSet"})
DICTS = frozenset({"dict", "Dict", "Mapping", "MutableMapping"})
WRAPPERS = frozenset({"Mapped", "WriteOnlyMapped", "DynamicMapped", "Required", "NotRequired"})
BARE: dict[str, tuple[str, bool]] = {
    "None": ("json", True),
    **{name: (scalar, False) for name, scalar in SCALARS.items()},
    **dict.fromkeys(LISTS | SETS, ("list[json]", False)),
    **dict.fromkeys(DICTS, ("dict[string, json]", False)),
}
"""Bare names (no subscript): scalars, ``None``, and unparametrised containers."""
MARKERS = frozenset({"Private", "OnDelete"})
"""``Annotated`` markers of ``farmgen.runtime.fieldtypes`` that carry spec keys."""
CONSTRAINED = {"constr": "string", "conint": "int", "confloat": "float", "condecimal": "decimal"}


@dataclass
class Hint:
    """What an annotation says about a field."""

    type: str
    optional: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    """``unique``/``index`` (from ``Indexed``) and constraints (``constr``, ``Annotated``)."""
    metadata: list[cst.Call] = field(default_factory=list)
    """``Field(...)``/``mapped_column(...)`` calls found inside ``Annotated[...]``."""
    skip: bool = False
    """Not a stored field (``ClassVar``, ``BackLink``)."""


Kinds = Mapping[str, str]
"""Class name → ``enum`` / ``embedded`` / ``model`` for the classes being imported."""
Warn = Callable[[str], None]


def constraint_kwargs(keywords: Mapping[str, cst.BaseExpression], warn: Warn) -> dict[str, Any]:
    """farmgen constraints from pydantic keyword arguments (``ge``, ``max_length`` ...)."""
    attrs: dict[str, Any] = {}
    pairs = (("ge", "min"), ("gt", "min"), ("le", "max"), ("lt", "max"),
             ("min_length", "min_length"), ("max_length", "max_length"),
             ("min_items", "min_length"), ("max_items", "max_length"),
             ("pattern", "pattern"), ("regex", "pattern"))
    for source, target in pairs:
        if source not in keywords:
            continue
        try:
            value = literal(keywords[source])
        except NotLiteral:
            warn(f"'{source}' is not a literal value; ignored")
            continue
        if source in ("gt", "lt"):
            warn(f"an exclusive bound ({source}={value}) is imported as inclusive")
        attrs[target] = value
    for source in ("multiple_of", "max_digits", "decimal_places", "strict"):
        if source in keywords:
            warn(f"'{source}' is not supported by farmgen; ignored")
    return attrs


class TypeReader:
    """Reads annotations against the classes being imported."""

    def __init__(
        self,
        kinds: Kinds,
        warn: Callable[[cst.CSTNode, str], None],
        canonical: Callable[[str], str] = str,
    ):
        self.kinds = kinds
        self.warn = warn
        self.canonical = canonical
        """Undoes import aliases (``from x import Link as L``)."""

    def _last(self, node: cst.BaseExpression) -> str | None:
        name = last(node)
        return self.canonical(name) if name is not None else None

    def read(self, node: cst.BaseExpression, at: cst.CSTNode | None = None) -> Hint:
        """The hint for an annotation; ``at`` is the node warnings point at."""
        at = at or node
        node = string_expression(node)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, at)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return self._union(_flatten_or(node), at)
        if isinstance(node, cst.Call):
            return self._call(node, at)
        name = self._last(node)
        if name is None:
            self.warn(at, "this annotation cannot be mapped; imported as json")
            return Hint("json")
        return self._name(name, at)

    def _name(self, name: str, at: cst.CSTNode) -> Hint:
        kind = self.kinds.get(name)
        if kind == "model":
            return Hint(f"ref[{name}]")
        if kind in ("enum", "embedded"):
            return Hint(name)
        bare = BARE.get(name)
        if bare is not None:
            return Hint(bare[0], optional=bare[1])
        self.warn(at, f"type '{name}' is not known to farmgen; imported as json")
        return Hint("json")

    def _subscript(self, node: cst.Subscript, at: cst.CSTNode) -> Hint:
        head = self._last(node.value) or ""
        items = subscript_items(node)
        if head in ("ClassVar", "BackLink"):
            return Hint("json", skip=True)
        if head == "Union" or not items:
            return self._union(items, at) if head == "Union" else self._container(head, items, at)
        if head in WRAPPERS or head == "Optional":
            inner = self.read(items[0], at)
            inner.optional = inner.optional or head == "Optional"
            return inner
        if head == "Annotated":
            return self._annotated(items, at)
        if head == "Link":
            target = last(string_expression(items[0])) or "?"
            return Hint(f"ref[{target}]")
        return self._container(head, items, at)

    def _container(self, head: str, items: list[cst.BaseExpression], at: cst.CSTNode) -> Hint:
        if head in LISTS | SETS and items:
            if head in SETS:
                self.warn(at, f"{head}[...] is imported as a list (uniqueness is not kept)")
            return self._list(items[0], at)
        if head in ("tuple", "Tuple") and items:
            return self._tuple(items, at)
        if head in DICTS and len(items) == 2:
            if last(string_expression(items[0])) != "str":
                self.warn(at, "dict keys are always strings; imported as dict[string, ...]")
            value = self.read(items[1], at)
            return Hint(f"dict[string, {value.type}]")
        if head == "Literal":
            return self._literal(items, at)
        if head != "Json":
            self.warn(at, f"'{head}[...]' cannot be mapped; imported as json")
        return Hint("json")

    def _tuple(self, items: list[cst.BaseExpression], at: cst.CSTNode) -> Hint:
        if len(items) == 2 and isinstance(items[1], cst.Ellipsis):
            return self._list(items[0], at)
        self.warn(at, "a fixed-length tuple is imported as a list of json")
        return Hint("list[json]")

    def _list(self, item_node: cst.BaseExpression, at: cst.CSTNode) -> Hint:
        item = self.read(item_node, at)
        if item.skip:
            return item
        if item.optional:
            self.warn(at, "null list items are not supported; imported as non-null")
        return Hint(f"list[{item.type}]")

    def _union(self, members: list[cst.BaseExpression], at: cst.CSTNode) -> Hint:
        hints = [self.read(m, at) for m in members]
        optional = any(h.optional for h in hints)
        typed = [h for h in hints if not (h.optional and h.type == "json" and not h.attrs)]
        if len(typed) == 1:
            only = typed[0]
            only.optional = only.optional or optional
            return only
        texts = list(dict.fromkeys(h.type for h in typed))
        if len(texts) == 1:
            return Hint(texts[0], optional=optional)
        self.warn(at, f"a union of {' | '.join(texts)} cannot be expressed; imported as json")
        return Hint("json", optional=optional)

    def _annotated(self, items: list[cst.BaseExpression], at: cst.CSTNode) -> Hint:
        hint = self.read(items[0], at)
        for extra in items[1:]:
            name = self._last(extra.func) if isinstance(extra, cst.Call) else None
            if not isinstance(extra, cst.Call) or name is None:
                continue
            if name == "Indexed":
                hint.attrs.update(self._indexed_flags(extra, at))
            elif name in ("Field", "mapped_column", "Column"):
                hint.metadata.append(extra)
            elif name == "StringConstraints":
                hint.attrs.update(self._constraints(extra, at))
            elif name in MARKERS:
                hint.attrs.update(self._marker(name, extra, at))
        return hint

    def _marker(self, name: str, node: cst.Call, at: cst.CSTNode) -> dict[str, Any]:
        """``Private()`` / ``OnDelete("cascade")`` from ``farmgen.runtime.fieldtypes``."""
        if name == "Private":
            return {"private": True}
        args = call_args(node)
        action = args.positional[0] if args.positional else args.keywords.get("action")
        try:
            value = literal(action) if action is not None else None
        except NotLiteral:
            value = None
        if not isinstance(value, str):
            self.warn(at, "OnDelete(...) without a literal rule; ignored")
            return {}
        return {"on_delete": value}

    def _call(self, node: cst.Call, at: cst.CSTNode) -> Hint:
        name = self._last(node.func)
        args = call_args(node)
        if name == "Indexed" and args.positional:
            hint = self.read(args.positional[0], at)
            hint.attrs.update(self._indexed_flags(node, at))
            return hint
        if name in CONSTRAINED:
            return Hint(CONSTRAINED[name], attrs=self._constraints(node, at))
        if name == "conlist" and args.positional:
            item = self.read(args.positional[0], at)
            return Hint(f"list[{item.type}]", attrs=self._constraints(node, at))
        self.warn(at, f"the annotation {name or '?'}(...) cannot be mapped; imported as json")
        return Hint("json")

    def _constraints(self, node: cst.Call, at: cst.CSTNode) -> dict[str, Any]:
        return constraint_kwargs(call_args(node).keywords, lambda m: self.warn(at, m))

    def _indexed_flags(self, node: cst.Call, at: cst.CSTNode) -> dict[str, Any]:
        keywords = call_args(node).keywords
        flags: dict[str, Any] = {"index": True}
        try:
            if "unique" in keywords and literal(keywords["unique"]) is True:
                flags = {"unique": True}
        except NotLiteral:
            self.warn(at, "Indexed(unique=...) is not a literal; imported as a plain index")
        index_type = keywords.get("index_type")
        if index_type is not None and last(index_type) not in ("ASCENDING", None):
            kind = last(index_type)
            self.warn(at, f"Indexed(index_type={kind}) is imported as an ascending index")
        return flags

    def _literal(self, items: list[cst.BaseExpression], at: cst.CSTNode) -> Hint:
        try:
            values = [literal(i) for i in items]
        except NotLiteral:
            values = []
        kinds = {type(v) for v in values}
        text = {str: "string", int: "int", float: "float", bool: "bool"}.get(
            next(iter(kinds)) if len(kinds) == 1 else type(None), "json"
        )
        if len(values) != 1:
            self.warn(at, f"Literal[...] with {len(items)} values is imported as {text}")
        return Hint(text)


def _flatten_or(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        return [*_flatten_or(node.left), *_flatten_or(node.right)]
    return [node]
