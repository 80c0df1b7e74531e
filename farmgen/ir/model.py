"""Schema, models, embedded types, enums, fields and indexes: frozen and typed.

Everything is in declaration order. Mixins are already expanded: a mixin's fields
are ordinary :class:`Field` values whose ``mixin`` names where they came from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from farmgen.diagnostics import UNKNOWN_LOCATION, Location
from farmgen.ir.types import FieldType, ListOf, ModelRef

MIXIN_NAMES: tuple[str, ...] = ("timestamps", "soft_delete", "audit", "metadata", "searchable")
"""The built-in mixins, in the canonical order their fields are appended to a model."""

SERVER_MANAGED_MIXINS = frozenset({"timestamps", "soft_delete", "audit"})


class OnDelete(StrEnum):
    CASCADE = "cascade"
    SET_NULL = "set_null"
    RESTRICT = "restrict"
    NO_ACTION = "no_action"

    @property
    def sql(self) -> str:
        return self.value.replace("_", " ").upper()


@dataclass(frozen=True)
class Default:
    """A default value, kept as canonical JSON so that it is hashable and comparable."""

    json: str

    @classmethod
    def of(cls, value: Any) -> Default:
        return cls(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False))

    @property
    def value(self) -> Any:
        return json.loads(self.json)


@dataclass(frozen=True)
class Constraints:
    min: int | float | None = None
    max: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None

    def is_empty(self) -> bool:
        return self == Constraints()


@dataclass(frozen=True)
class Field:
    name: str
    """The stored name (document key, column name, JSON property)."""
    type: FieldType
    optional: bool = False
    default: Default | None = None
    """None means "no default": the field is required on create."""
    constraints: Constraints = Constraints()
    unique: bool = False
    index: bool = False
    description: str | None = None
    private: bool = False
    renamed_from: str | None = None
    on_delete: OnDelete | None = None
    """Set for ``ref[...]`` fields only."""
    mixin: str | None = None
    location: Location = UNKNOWN_LOCATION

    @property
    def has_default(self) -> bool:
        return self.default is not None

    @property
    def required(self) -> bool:
        """Must be given on create: not optional and no default."""
        return not self.optional and self.default is None

    @property
    def server_managed(self) -> bool:
        """Set by the runtime (timestamps, audit, soft delete), never by API clients."""
        return self.mixin in SERVER_MANAGED_MIXINS

    @property
    def ref_target(self) -> str | None:
        """The referenced model for ``ref[M]`` and ``list[ref[M]]``, else None."""
        kind = self.type  # isinstance rather than ``match``: this runs very often
        if isinstance(kind, ModelRef):
            return kind.name
        if isinstance(kind, ListOf) and isinstance(kind.item, ModelRef):
            return kind.item.name
        return None

    @property
    def is_many_to_many(self) -> bool:
        return isinstance(self.type, ListOf) and isinstance(self.type.item, ModelRef)


@dataclass(frozen=True)
class IndexKey:
    path: str
    """A field name, or a dotted path into an embedded type."""
    descending: bool = False


@dataclass(frozen=True)
class Index:
    name: str
    """Always set: the spec's ``name`` or a deterministic one (see ``ir.names.index_name``)."""
    keys: tuple[IndexKey, ...]
    unique: bool = False
    from_field: bool = False
    """Declared by ``index``/``unique`` on a field rather than in the model's ``indexes``."""
    text: bool = False
    """A full-text index (the searchable mixin's search field)."""
    location: Location = UNKNOWN_LOCATION

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(k.path for k in self.keys)


@dataclass(frozen=True)
class EnumValue:
    value: str
    """The stored value, exactly as written in the spec."""
    member: str
    """The identifier used for it in code (``ir.names.enum_member_name``)."""
    location: Location = UNKNOWN_LOCATION


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[EnumValue, ...]
    description: str | None = None
    source: str = ""
    """The spec file (relative to the project root) that declares it."""
    location: Location = UNKNOWN_LOCATION

    @property
    def value_strings(self) -> tuple[str, ...]:
        return tuple(v.value for v in self.values)


@dataclass(frozen=True)
class EmbeddedType:
    name: str
    fields: tuple[Field, ...]
    description: str | None = None
    source: str = ""
    location: Location = UNKNOWN_LOCATION

    @cached_property
    def field_map(self) -> Mapping[str, Field]:
        return {f.name: f for f in self.fields}


@dataclass(frozen=True)
class Model:
    name: str
    collection: str
    fields: tuple[Field, ...]
    """User fields in declaration order, then mixin fields in ``MIXIN_NAMES`` order."""
    mixins: tuple[str, ...] = ()
    """In ``MIXIN_NAMES`` order."""
    search: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    """Every index: field-level ones first (in field order), then the model's ``indexes``."""
    renamed_from: str | None = None
    description: str | None = None
    source: str = ""
    location: Location = UNKNOWN_LOCATION

    @cached_property
    def field_map(self) -> Mapping[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def own_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.mixin is None)

    def has_mixin(self, name: str) -> bool:
        return name in self.mixins


@dataclass(frozen=True)
class Schema:
    enums: tuple[EnumType, ...] = ()
    embedded: tuple[EmbeddedType, ...] = ()
    models: tuple[Model, ...] = ()
    sources: tuple[str, ...] = ()
    """The spec files, relative to the project root, in load order."""

    @cached_property
    def enum_map(self) -> Mapping[str, EnumType]:
        return {e.name: e for e in self.enums}

    @cached_property
    def embedded_map(self) -> Mapping[str, EmbeddedType]:
        return {e.name: e for e in self.embedded}

    @cached_property
    def model_map(self) -> Mapping[str, Model]:
        return {m.name: m for m in self.models}

    def model(self, name: str) -> Model:
        return self.model_map[name]

    def enum(self, name: str) -> EnumType:
        return self.enum_map[name]

    def embedded_type(self, name: str) -> EmbeddedType:
        return self.embedded_map[name]

    def declared_in(self, source: str) -> tuple[EnumType | EmbeddedType | Model, ...]:
        """Every declaration of one spec file, enums then embedded types then models."""
        items: list[EnumType | EmbeddedType | Model] = []
        items.extend(e for e in self.enums if e.source == source)
        items.extend(e for e in self.embedded if e.source == source)
        items.extend(m for m in self.models if m.source == source)
        return tuple(items)
