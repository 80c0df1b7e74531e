"""IR → the canonical JSON snapshot a migration file stores (see ``runtime.schema_state``).

Also collects the rename hints (``renamed_from``) as data for the differ, with
fields of embedded types expanded to dotted paths in every collection that embeds them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from farmgen.diagnostics import Location
from farmgen.ir import (
    DictOf,
    EmbeddedRef,
    EnumRef,
    Field,
    FieldType,
    Index,
    ListOf,
    Model,
    ModelRef,
    Scalar,
    Schema,
)
from farmgen.runtime import schema_state as st

MODEL_NAMES_KEY = "model_names"
"""Snapshot key mapping collection → model name: informative, never compared."""


@dataclass
class Renames:
    """Rename decisions handed to the differ (it does no I/O and guesses nothing)."""

    collections: dict[str, str] = field(default_factory=dict)
    """new collection → the old *model name or collection* from ``renamed_from``."""
    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    """(collection in the new schema, new path) → old path (same parent)."""
    locations: dict[tuple[str, str], Location] = field(default_factory=dict)
    """Where (collection, path) is declared, for diagnostics; path "" is the model."""

    def location(self, collection: str, path: str = "") -> Location:
        return self.locations.get((collection, path)) or self.locations.get(
            (collection, ""), Location("<schema>")
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Renames:
        fields = {
            (c, p): old for c, paths in data.get("fields", {}).items() for p, old in paths.items()
        }
        return cls(dict(data.get("collections", {})), fields)


def snapshot_of(schema: Schema) -> st.Snapshot:
    return _Builder(schema).snapshot()


def renames_of(schema: Schema) -> Renames:
    return snapshot_and_renames(schema)[1]


def snapshot_and_renames(schema: Schema) -> tuple[st.Snapshot, Renames]:
    """:func:`snapshot_of` and :func:`renames_of` from one walk over the schema."""
    builder = _Builder(schema)
    snapshot = builder.snapshot()
    return snapshot, builder.renames


def comparable(snapshot: st.Snapshot) -> st.Snapshot:
    """The part of a snapshot that describes the database (informative keys removed)."""
    return {"enums": snapshot.get("enums", {}), "models": snapshot.get("models", {})}


class _Builder:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.collections = {m.name: m.collection for m in schema.models}
        self.renames = Renames()

    def snapshot(self) -> st.Snapshot:
        models: dict[str, Any] = {}
        for model in self.schema.models:
            models[model.collection] = self.model(model)
            self.renames.locations[(model.collection, "")] = model.location
            if model.renamed_from:
                self.renames.collections[model.collection] = model.renamed_from
        return {
            "enums": {e.name: list(e.value_strings) for e in self.schema.enums},
            "models": models,
            MODEL_NAMES_KEY: {m.collection: m.name for m in self.schema.models},
        }

    def model(self, model: Model) -> dict[str, Any]:
        fields = {f.name: self.field(model.collection, "", f, ()) for f in model.fields}
        for f in model.fields:
            if f.is_many_to_many and f.ref_target:
                names = st.association_names(model.name, model.collection, f.name, f.ref_target)
                fields[f.name]["through"] = list(names)
        indexes = {i.name: index_spec(i) for i in model.indexes}
        return {"fields": fields, "indexes": indexes}

    def field(self, collection: str, prefix: str, f: Field, seen: tuple[str, ...]) -> st.FieldSpec:
        self.renames.locations[(collection, prefix + f.name)] = f.location
        if f.renamed_from:
            self.renames.fields[(collection, prefix + f.name)] = prefix + f.renamed_from
        spec: st.FieldSpec = {"type": self.type_text(f.type), "optional": f.optional}
        if f.default is not None:
            spec["default"] = _default_value(f.default.json)
        for key in st.CONSTRAINT_KEYS:
            value = getattr(f.constraints, key)
            if value is not None:
                spec[key] = value
        if f.on_delete is not None:
            spec["on_delete"] = f.on_delete.value
        if f.mixin is not None:
            spec["mixin"] = f.mixin
        embedded = _embedded_name(f.type)
        if embedded is not None and embedded not in seen:
            inner = self.schema.embedded_type(embedded)
            path = f"{prefix}{f.name}."
            spec["fields"] = {
                g.name: self.field(collection, path, g, (*seen, embedded)) for g in inner.fields
            }
        return spec

    def type_text(self, t: FieldType) -> str:
        match t:
            case Scalar(kind):
                return kind.value
            case ListOf(item):
                return f"list[{self.type_text(item)}]"
            case DictOf(value):
                return f"dict[string, {self.type_text(value)}]"
            case EnumRef(name) | EmbeddedRef(name):
                return name
            case ModelRef(name):
                return f"ref[{self.collections[name]}]"
        raise AssertionError(t)  # pragma: no cover


_SCALAR_DEFAULTS: dict[str, Any] = {}


def _default_value(text: str) -> Any:
    """``Default.value``; scalars decoded once (containers fresh each time: never shared)."""
    if text in _SCALAR_DEFAULTS:
        return _SCALAR_DEFAULTS[text]
    value = json.loads(text)
    scalar = isinstance(value, str | int | float | bool) or value is None
    if scalar and len(_SCALAR_DEFAULTS) < 10_000:
        _SCALAR_DEFAULTS[text] = value
    return value


def _embedded_name(t: FieldType) -> str | None:
    match t:
        case EmbeddedRef(name):
            return name
        case ListOf(item) | DictOf(item):
            return _embedded_name(item)
    return None


def index_spec(index: Index) -> dict[str, Any]:
    keys: list[list[Any]] = [
        [k.path, "text" if index.text else (-1 if k.descending else 1)] for k in index.keys
    ]
    return {"fields": keys, "unique": index.unique}
