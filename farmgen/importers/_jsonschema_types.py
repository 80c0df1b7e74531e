"""datamodel-code-generator data types and constraints → farmgen type expressions."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SCALARS: dict[str, str] = {
    "str": "string",
    "StrictStr": "string",
    "SecretStr": "string",
    "ULID": "string",
    "int": "int",
    "StrictInt": "int",
    "float": "float",
    "StrictFloat": "float",
    "Decimal": "decimal",
    "bool": "bool",
    "StrictBool": "bool",
    "bytes": "bytes",
    "StrictBytes": "bytes",
    "Base64Str": "bytes",
    "EmailStr": "email",
    "AnyUrl": "url",
    "HttpUrl": "url",
    "UUID": "uuid",
    "UUID1": "uuid",
    "UUID3": "uuid",
    "UUID4": "uuid",
    "UUID5": "uuid",
    "datetime": "datetime",
    "AwareDatetime": "datetime",
    "NaiveDatetime": "datetime",
    "date": "date",
    "time": "time",
    "Any": "json",
}
"""Python types datamodel-code-generator emits, and the farmgen scalar for each."""

APPROXIMATE: dict[str, str] = {
    "IPv4Address": "string",
    "IPv6Address": "string",
    "IPv4Network": "string",
    "IPv6Network": "string",
    "IPvAnyAddress": "string",
    "Path": "string",
    "timedelta": "float",
    "Json": "json",
}
"""Types farmgen has no scalar for, and the one used instead (with a warning)."""


@dataclass(frozen=True)
class TypeResult:
    text: str
    optional: bool = False
    constraints: tuple[tuple[str, Any], ...] = ()
    """Constraints carried by an inlined root model (a named alias of a constrained type)."""


Resolver = Callable[[Any, str], TypeResult]
"""Resolves a reference (a datamodel-code-generator ``Reference``) found at a JSON pointer."""
Warn = Callable[[str, str], None]
"""Reports (pointer, message)."""


def convert(data_type: Any, pointer: str, resolve: Resolver, warn: Warn) -> TypeResult:
    """The farmgen type of one datamodel-code-generator ``DataType``."""
    if data_type.reference is not None:
        return resolve(data_type.reference, pointer)
    if data_type.literals:
        return _literal(list(data_type.literals), pointer, warn)
    if data_type.is_list or data_type.is_dict:
        return _container(data_type, pointer, resolve, warn)
    if data_type.type and data_type.type != "None" and not data_type.data_types:
        return TypeResult(_scalar(str(data_type.type), pointer, warn))
    return _union(data_type, pointer, resolve, warn)


def _scalar(name: str, pointer: str, warn: Warn) -> str:
    if name in SCALARS:
        return SCALARS[name]
    if name in APPROXIMATE:
        warn(pointer, f"type {name} has no farmgen equivalent; imported as {APPROXIMATE[name]}")
        return APPROXIMATE[name]
    warn(pointer, f"type {name} has no farmgen equivalent; imported as json")
    return "json"


def _literal(values: list[Any], pointer: str, warn: Warn) -> TypeResult:
    kinds = {type(v) for v in values}
    text = {str: "string", int: "int", float: "float", bool: "bool"}.get(next(iter(kinds)), "json")
    if len(kinds) > 1:
        text = "json"
    if len(values) > 1:
        warn(pointer, f"a choice of literal values {values!r} is imported as {text}")
    return TypeResult(text, constraints=(("const", values[0]),) if len(values) == 1 else ())


def _container(data_type: Any, pointer: str, resolve: Resolver, warn: Warn) -> TypeResult:
    items = list(data_type.data_types)
    if len(items) == 1:
        inner = convert(items[0], pointer, resolve, warn)
    else:
        inner = _union(data_type, pointer, resolve, warn, container=True)
    if inner.optional:
        warn(pointer, "null items are not supported in lists and maps; imported as non-null")
    if data_type.is_list:
        return TypeResult(f"list[{inner.text}]", optional=bool(data_type.is_optional))
    return TypeResult(f"dict[string, {inner.text}]", optional=bool(data_type.is_optional))


def _union(
    data_type: Any, pointer: str, resolve: Resolver, warn: Warn, container: bool = False
) -> TypeResult:
    members = list(data_type.data_types)
    non_null = [m for m in members if m.type != "None" or m.data_types or m.reference]
    optional = bool(data_type.is_optional) or len(non_null) < len(members)
    if data_type.type == "None" and not members:
        return TypeResult("json", optional=True)
    if not non_null:
        return TypeResult("json", optional=optional)
    results = [convert(m, pointer, resolve, warn) for m in non_null]
    if len(results) == 1:
        only = results[0]
        return TypeResult(only.text, optional or only.optional, only.constraints)
    texts = list(dict.fromkeys(r.text for r in results))
    if len(texts) == 1:
        return TypeResult(texts[0], optional or any(r.optional for r in results))
    what = "a union of object types" if _all_refs(non_null) else "a union of types"
    warn(pointer, f"{what} ({' | '.join(texts)}) cannot be expressed; imported as json")
    return TypeResult("json", optional or any(r.optional for r in results))


def _all_refs(members: list[Any]) -> bool:
    return all(m.reference is not None for m in members)


def constraint_attrs(
    constraints: Any, pointer: str, warn: Warn, *, integer: bool = False
) -> dict[str, Any]:
    """farmgen constraint keys from a datamodel-code-generator ``Constraints`` value.

    ``integer``: the field is an int, so bounds are whole numbers and an exclusive bound
    is the inclusive one next to it (``exclusiveMinimum: 0`` is ``min: 1``).
    """
    if constraints is None:
        return {}
    values = {k: v for k, v in constraints.model_dump().items() if v is not None}
    return _constraint_map(values, pointer, warn, integer)


def _integer_bound(source: str, value: float) -> int:
    if source == "gt":
        return math.floor(value) + 1
    if source == "lt":
        return math.ceil(value) - 1
    return math.ceil(value) if source == "ge" else math.floor(value)


def _constraint_map(
    values: dict[str, Any], pointer: str, warn: Warn, integer: bool
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for source, target in (("ge", "min"), ("le", "max"), ("gt", "min"), ("lt", "max")):
        if source not in values:
            continue
        if integer:
            attrs[target] = _integer_bound(source, values[source])
            continue
        if source in ("gt", "lt"):
            bound = f"{source} {values[source]}"
            warn(pointer, f"an exclusive bound ({bound}) is imported as inclusive")
        attrs[target] = values[source]
    for key in ("min_length", "max_length"):
        if key in values:
            attrs[key] = values[key]
    pattern = values.get("pattern") or values.get("regex")
    if pattern is not None:
        attrs["pattern"] = pattern
    for key in ("multiple_of", "unique_items"):
        if values.get(key):
            warn(pointer, f"'{key}' is not supported by farmgen; ignored")
    return attrs
