"""Check that a field's ``default`` fits its type and constraints, and make it a plain value."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from farmgen.ir.model import Constraints
from farmgen.ir.types import (
    DictOf,
    EmbeddedRef,
    EnumRef,
    FieldType,
    ListOf,
    ModelRef,
    Scalar,
    ScalarKind,
)
from farmgen.resolve.context import did_you_mean
from farmgen.resolve.sqllimits import in_int64
from farmgen.spec.nodes import MapNode, Node, ScalarNode, SeqNode, to_plain

_OBJECT_ID = re.compile(r"[0-9a-f]{24}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


class DefaultError(Exception):
    def __init__(self, node: Node, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class EmbeddedShape:
    """What a default for an embedded type must look like."""

    fields: Mapping[str, tuple[FieldType, bool]]
    """Field name → (type, optional)."""
    required: frozenset[str]
    """Fields without a default that are not optional."""


@dataclass(frozen=True)
class DefaultScope:
    enums: Mapping[str, tuple[str, ...]]
    embedded: Mapping[str, EmbeddedShape]


def _iso(parse: Callable[[str], object], label: str) -> Callable[[Node, str], Any]:
    def check(node: Node, owner: str) -> Any:
        value = node.value if isinstance(node, ScalarNode) else None
        if isinstance(value, str) and _parses(parse, value):
            return value
        raise DefaultError(
            node,
            f"default for {owner} must be an ISO 8601 {label}, found {_show(node)}",
            _quote_hint(node),
        )

    return check


def _parses(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except (ValueError, InvalidOperation):
        return False
    return True


def _quote_hint(node: Node) -> str | None:
    """For ``12:30:00`` or ``yes`` that YAML read as a number or boolean: quote it."""
    if isinstance(node, ScalarNode) and not isinstance(node.value, str) and node.raw:
        return f"YAML reads {node.raw} as {node.kind}: quote it, '{node.raw}'"
    return None


def _show(node: Node) -> str:
    if isinstance(node, ScalarNode) and node.value is not None:
        return repr(node.value) if isinstance(node.value, str) else str(node.value).lower()
    return node.kind


def _matching(pattern: re.Pattern[str], label: str) -> Callable[[Node, str], Any]:
    def check(node: Node, owner: str) -> Any:
        value = _string(node, owner)
        if not pattern.fullmatch(value):
            raise DefaultError(node, f"default for {owner} must be {label}, found {_show(node)}")
        return value

    return check


def _string(node: Node, owner: str) -> str:
    if isinstance(node, ScalarNode) and isinstance(node.value, str):
        return node.value
    raise DefaultError(
        node, f"default for {owner} must be a string, found {_show(node)}", _quote_hint(node)
    )


def _int(node: Node, owner: str) -> int:
    value = node.value if isinstance(node, ScalarNode) else None
    if isinstance(value, int) and not isinstance(value, bool):
        if not in_int64(value):
            raise DefaultError(node, f"default for {owner} is outside the 64-bit integer range")
        return value
    raise DefaultError(node, f"default for {owner} must be an integer, found {_show(node)}")


def _float(node: Node, owner: str) -> float | int:
    value = node.value if isinstance(node, ScalarNode) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise DefaultError(node, f"default for {owner} must be a number, found {_show(node)}")


def _decimal(node: Node, owner: str) -> float | int | str:
    value = node.value if isinstance(node, ScalarNode) else None
    if isinstance(value, str):
        if _parses(Decimal, value) and Decimal(value).is_finite():
            return value
        raise DefaultError(
            node, f"default for {owner} must be a decimal number, found {_show(node)}"
        )
    return _float(node, owner)


def _bool(node: Node, owner: str) -> bool:
    if isinstance(node, ScalarNode) and isinstance(node.value, bool):
        return node.value
    raise DefaultError(node, f"default for {owner} must be true or false, found {_show(node)}")


def _uuid(node: Node, owner: str) -> str:
    value = _string(node, owner)
    try:
        uuid.UUID(value)
    except ValueError:
        raise DefaultError(
            node, f"default for {owner} must be a UUID, found {_show(node)}"
        ) from None
    return value


def _json(node: Node, owner: str) -> Any:
    stack = [node]
    while stack:
        item = stack.pop()
        if (
            isinstance(item, ScalarNode)
            and isinstance(item.value, float)
            and not math.isfinite(item.value)
        ):
            raise DefaultError(item, f"default for {owner} must be finite, found {item.value}")
        if isinstance(item, SeqNode):
            stack.extend(item.items)
        elif isinstance(item, MapNode):
            stack.extend(v for _, v in item.entries)
    return to_plain(node)


def _no_default(node: Node, owner: str) -> Any:
    raise DefaultError(node, f"a bytes field cannot have a default ({owner})")


_SCALARS: dict[ScalarKind, Callable[[Node, str], Any]] = {
    ScalarKind.STRING: _string,
    ScalarKind.TEXT: _string,
    ScalarKind.INT: _int,
    ScalarKind.FLOAT: _float,
    ScalarKind.DECIMAL: _decimal,
    ScalarKind.BOOL: _bool,
    ScalarKind.DATETIME: _iso(datetime.fromisoformat, "datetime"),
    ScalarKind.DATE: _iso(date.fromisoformat, "date"),
    ScalarKind.TIME: _iso(time.fromisoformat, "time"),
    ScalarKind.UUID: _uuid,
    ScalarKind.EMAIL: _matching(_EMAIL, "an email address"),
    ScalarKind.URL: _matching(_URL, "a URL"),
    ScalarKind.BYTES: _no_default,
    ScalarKind.JSON: _json,
    ScalarKind.OBJECTID: _matching(_OBJECT_ID, "a 24-digit hex ObjectId"),
}


@dataclass(frozen=True)
class DefaultChecker:
    scope: DefaultScope

    def value(self, node: Node, ftype: FieldType, optional: bool, owner: str) -> Any:
        """The plain default value; raises :class:`DefaultError` if it does not fit."""
        if isinstance(node, ScalarNode) and node.value is None:
            if optional:
                return None
            raise DefaultError(
                node,
                f"default for {owner} is null but the type is not optional",
                "add '?' to the type",
            )
        match ftype:
            case Scalar(kind):
                return _SCALARS[kind](node, owner)
            case ListOf(item):
                if not isinstance(node, SeqNode):
                    raise DefaultError(
                        node, f"default for {owner} must be a list, found {_show(node)}"
                    )
                return [
                    self.value(v, item, False, f"{owner}[{i}]") for i, v in enumerate(node.items)
                ]
            case DictOf(value):
                if not isinstance(node, MapNode):
                    raise DefaultError(
                        node, f"default for {owner} must be a mapping, found {_show(node)}"
                    )
                return {
                    k.text: self.value(v, value, False, f"{owner}.{k.text}")
                    for k, v in node.entries
                }
            case EnumRef(name):
                return self.enum(node, name, owner)
            case EmbeddedRef(name):
                return self.embedded(node, name, owner)
            case ModelRef(name):
                raise DefaultError(
                    node, f"a ref[{name}] field cannot have a default other than null ({owner})"
                )
        raise AssertionError(ftype)  # pragma: no cover

    def enum(self, node: Node, name: str, owner: str) -> Any:
        values = self.scope.enums.get(name)
        text = node.value if isinstance(node, ScalarNode) else None
        if values is None or (isinstance(text, str) and text in values):
            return text
        raise DefaultError(
            node,
            f"default {_show(node)} for {owner} is not a value of {name}",
            did_you_mean(text, values) if isinstance(text, str) else None,
        )

    def embedded(self, node: Node, name: str, owner: str) -> dict[str, Any]:
        shape = self.scope.embedded.get(name)
        if not isinstance(node, MapNode):
            raise DefaultError(
                node,
                f"default for {owner} must be a mapping of {name}'s fields, found {_show(node)}",
            )
        if shape is None:  # the embedded type itself had errors
            return {}
        result: dict[str, Any] = {}
        for key, value in node.entries:
            if key.text not in shape.fields:
                raise DefaultError(
                    value,
                    f"default for {owner}: {name} has no field '{key.text}'",
                    did_you_mean(key.text, shape.fields),
                )
            ftype, optional = shape.fields[key.text]
            result[key.text] = self.value(value, ftype, optional, f"{owner}.{key.text}")
        missing = sorted(shape.required - set(result))
        if missing:
            raise DefaultError(
                node, f"default for {owner} lacks {name}'s required field '{missing[0]}'"
            )
        return result


def check_constraints(node: Node, value: Any, constraints: Constraints, owner: str) -> None:
    """A non-null default must satisfy the field's own constraints."""
    if value is None:
        return
    c = constraints
    if isinstance(value, int | float) and not isinstance(value, bool):
        if c.min is not None and value < c.min:
            raise DefaultError(node, f"default {value} for {owner} is below min {c.min}")
        if c.max is not None and value > c.max:
            raise DefaultError(node, f"default {value} for {owner} is above max {c.max}")
    if isinstance(value, str | list):
        if c.min_length is not None and len(value) < c.min_length:
            raise DefaultError(
                node, f"default for {owner} is shorter than min_length {c.min_length}"
            )
        if c.max_length is not None and len(value) > c.max_length:
            raise DefaultError(
                node, f"default for {owner} is longer than max_length {c.max_length}"
            )
    if isinstance(value, str) and c.pattern is not None and not re.search(c.pattern, value):
        raise DefaultError(
            node, f"default {value!r} for {owner} does not match pattern {c.pattern!r}"
        )
