"""Valid sample values for any IR field, so tests can fill every model of a schema."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from types import ModuleType
from typing import Any

from farmgen.ir import EmbeddedType, Field, FieldType, Schema
from farmgen.ir.types import DictOf, EmbeddedRef, EnumRef, ListOf, ModelRef, Scalar, ScalarKind
from farmgen.targets.python import attr_name

WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def _string(field: Field, serial: int) -> str:
    c = field.constraints
    text = f"a{serial}b"
    while len(text) < (c.min_length or 1):
        text += "c"
    if c.max_length is not None:
        text = text[: c.max_length]
    return text


def _number(field: Field, base: float) -> float:
    c = field.constraints
    if c.min is not None and base < c.min:
        base = c.min
    if c.max is not None and base > c.max:
        base = c.max
    return base


def scalar_value(kind: ScalarKind, field: Field, serial: int) -> Any:
    simple: dict[ScalarKind, Any] = {
        ScalarKind.BOOL: True,
        ScalarKind.DATETIME: WHEN,
        ScalarKind.DATE: date(2024, 5, 6),
        ScalarKind.TIME: time(7, 8, 9),
        ScalarKind.UUID: uuid.UUID(int=serial + 1),
        ScalarKind.EMAIL: f"user{serial}@example.com",
        ScalarKind.URL: f"https://example.com/{serial}",
        ScalarKind.BYTES: b"\x00\x01farmgen",
        ScalarKind.JSON: {"k": [1, "v", None]},
        ScalarKind.OBJECTID: f"{serial:024x}",
    }
    if kind in simple:
        return simple[kind]
    if kind is ScalarKind.INT:
        return int(_number(field, 3))
    if kind is ScalarKind.FLOAT:
        return float(_number(field, 1.5))
    if kind is ScalarKind.DECIMAL:
        return Decimal(str(_number(field, 2.5)))
    return _string(field, serial)


class Values:
    """Builds field values; ``package`` supplies the generated enum and embedded classes."""

    def __init__(self, schema: Schema, package: ModuleType) -> None:
        self.schema = schema
        self.package = package

    def value(self, field: Field, t: FieldType, serial: int) -> Any:
        match t:
            case Scalar(kind):
                return scalar_value(kind, field, serial)
            case ListOf(item):
                return [self.value(field, item, serial)]
            case DictOf(value):
                return {"key": self.value(field, value, serial)}
            case EnumRef(name):
                return getattr(self.package, name)(self.schema.enum(name).values[-1].value)
            case EmbeddedRef(name):
                return self.embedded(self.schema.embedded_type(name), serial)
            case ModelRef():
                raise ValueError("references are filled in by the test")
        raise AssertionError(t)

    def embedded(self, embedded: EmbeddedType, serial: int) -> Any:
        cls = getattr(self.package, embedded.name)
        data = {attr_name(f.name): self.value(f, f.type, serial) for f in embedded.fields}
        return cls(**data)

    def fields(self, fields: tuple[Field, ...], serial: int) -> dict[str, Any]:
        """A value for every own non-reference field, keyed by Python attribute."""
        return {
            attr_name(f.name): self.value(f, f.type, serial)
            for f in fields
            if f.mixin is None and f.ref_target is None
        }
