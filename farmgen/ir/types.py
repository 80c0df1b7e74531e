"""Field types: a closed union of frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ScalarKind(StrEnum):
    STRING = "string"
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOL = "bool"
    DATETIME = "datetime"
    DATE = "date"
    TIME = "time"
    UUID = "uuid"
    EMAIL = "email"
    URL = "url"
    BYTES = "bytes"
    JSON = "json"
    OBJECTID = "objectid"


STRING_LIKE = frozenset({ScalarKind.STRING, ScalarKind.TEXT, ScalarKind.EMAIL, ScalarKind.URL})
NUMERIC = frozenset({ScalarKind.INT, ScalarKind.FLOAT, ScalarKind.DECIMAL})


@dataclass(frozen=True)
class Scalar:
    kind: ScalarKind


@dataclass(frozen=True)
class ListOf:
    item: FieldType


@dataclass(frozen=True)
class DictOf:
    """``dict[string, T]``: keys are always strings."""

    value: FieldType


@dataclass(frozen=True)
class EnumRef:
    name: str


@dataclass(frozen=True)
class EmbeddedRef:
    name: str


@dataclass(frozen=True)
class ModelRef:
    """``ref[Model]``: a reference to another model's id."""

    name: str


FieldType = Scalar | ListOf | DictOf | EnumRef | EmbeddedRef | ModelRef


def render_type(t: FieldType) -> str:
    """The spec-language spelling of a type (without the ``?`` suffix)."""
    match t:
        case Scalar(kind):
            return kind.value
        case ListOf(item):
            return f"list[{render_type(item)}]"
        case DictOf(value):
            return f"dict[string, {render_type(value)}]"
        case EnumRef(name) | EmbeddedRef(name):
            return name
        case ModelRef(name):
            return f"ref[{name}]"
    raise AssertionError(t)  # pragma: no cover
