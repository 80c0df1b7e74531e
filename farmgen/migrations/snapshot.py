"""IR → the canonical JSON snapshot a migration file stores (see ``runtime.schema_state``).

Also collects the rename hints (``renamed_from``) as data for the differ, with
fields of embedded types expanded to dotted paths in every collection that embeds them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
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
    ScalarKind,
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
    locate: Callable[[], dict[tuple[str, str], Location]] | None = field(
        default=None, repr=False, compare=False
    )
    """Adds to ``locations`` on the first :meth:`location`: most runs never ask for one."""

    def location(self, collection: str, path: str = "") -> Location:
        if self.locate is not None:
            self.locations = {**self.locate(), **self.locations}
            self.locate = None
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


Renamed = list[tuple[str, str]]
"""(path, old path) of renamed fields, relative to where they were collected."""


class _Builder:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.collections = {m.name: m.collection for m in schema.models}
        self.renames = Renames(locate=lambda: locations_of(schema))
        self._specs: dict[tuple[object, ...], tuple[st.FieldSpec, bool, Renamed]] = {}
        """:meth:`spec` by the identity of what it reads."""

    def snapshot(self) -> st.Snapshot:
        models: dict[str, Any] = {}
        for model in self.schema.models:
            models[model.collection] = self.model(model)
            if model.renamed_from:
                self.renames.collections[model.collection] = model.renamed_from
        return {
            "enums": {e.name: list(e.value_strings) for e in self.schema.enums},
            "models": models,
            MODEL_NAMES_KEY: {m.collection: m.name for m in self.schema.models},
        }

    def model(self, model: Model) -> dict[str, Any]:
        collection = model.collection
        fields: dict[str, st.FieldSpec] = {}
        renamed: Renamed = []
        for f in model.fields:
            spec = fields[f.name] = self.field(f, (), "", renamed)
            t = f.type
            if isinstance(t, ListOf) and isinstance(t.item, ModelRef):  # many-to-many
                names = st.association_names(model.name, collection, f.name, t.item.name)
                spec["through"] = list(names)
        for path, old in renamed:
            self.renames.fields[(collection, path)] = old
        indexes = {i.name: index_spec(i) for i in model.indexes}
        return {"fields": fields, "indexes": indexes}

    def field(self, f: Field, seen: tuple[str, ...], prefix: str, renamed: Renamed) -> st.FieldSpec:
        """The spec of ``f`` inside the embedded types ``seen``; its renames (and its
        embedded fields') go to ``renamed``, relative to ``prefix``."""
        if f.renamed_from:
            renamed.append((prefix + f.name, prefix + f.renamed_from))
        # Specs repeat (mixin fields, common types, embedded types): each is built once
        # per combination of what it is made of, told apart by identity (the schema
        # keeps them all alive), and copied for every field that has it.
        key = (id(f.type), f.optional, id(f.default), id(f.constraints), f.on_delete, f.mixin, seen)
        found = self._specs.get(key)
        if found is None:
            found = self._specs[key] = self.spec(f, seen)
        spec, nested, inner_renamed = found
        if inner_renamed:
            path = f"{prefix}{f.name}."
            renamed.extend((path + p, path + old) for p, old in inner_renamed)
        return _copy_spec(spec) if nested else spec.copy()

    def spec(self, f: Field, seen: tuple[str, ...]) -> tuple[st.FieldSpec, bool, Renamed]:
        """``f``'s spec, whether it holds a dict or a list, and its embedded fields' renames."""
        t = f.type
        text = _SCALAR_TEXT[t.kind] if isinstance(t, Scalar) else self.type_text(t)
        spec: st.FieldSpec = {"type": text, "optional": f.optional}
        if f.default is not None:
            spec["default"] = _default_value(f.default.json)
        for key, value in zip(st.CONSTRAINT_KEYS, _constraint_values(f.constraints), strict=True):
            if value is not None:
                spec[key] = value
        if f.on_delete is not None:
            spec["on_delete"] = f.on_delete.value
        if f.mixin is not None:
            spec["mixin"] = f.mixin
        renamed: Renamed = []
        embedded = None if isinstance(t, _NOT_EMBEDDED) else _embedded_name(t)
        if embedded is not None and embedded not in seen:
            inner = (*seen, embedded)
            spec["fields"] = {
                g.name: self.field(g, inner, "", renamed)
                for g in self.schema.embedded_type(embedded).fields
            }
        nested = "fields" in spec or isinstance(spec.get("default"), _CONTAINERS)
        return spec, nested, renamed

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


_SCALAR_TEXT: dict[ScalarKind, str] = {kind: kind.value for kind in ScalarKind}
_constraint_values = attrgetter(*st.CONSTRAINT_KEYS)
_NOT_EMBEDDED = (Scalar, EnumRef, ModelRef)
_CONTAINERS = (dict, list)
_SCALARS = (str, int, float, bool)
"""Tuples for ``isinstance`` (``A | B`` builds a union object on every call)."""


def _copy_spec(spec: st.FieldSpec) -> st.FieldSpec:
    """A copy of a field spec that shares no dict or list with it."""
    copied = spec.copy()
    inner = copied.get("fields")
    if inner is not None:
        copied["fields"] = {name: _copy_spec(g) for name, g in inner.items()}
    default = copied.get("default")
    if isinstance(default, _CONTAINERS):
        copied["default"] = st.clone(default)
    return copied


def locations_of(schema: Schema) -> dict[tuple[str, str], Location]:
    """Where each (collection, field path) of the snapshot is declared; path "" is the model."""
    found: dict[tuple[str, str], Location] = {}

    def add(collection: str, prefix: str, f: Field, seen: tuple[str, ...]) -> None:
        found[(collection, prefix + f.name)] = f.location
        embedded = _embedded_name(f.type)
        if embedded is not None and embedded not in seen:
            path = f"{prefix}{f.name}."
            for g in schema.embedded_type(embedded).fields:
                add(collection, path, g, (*seen, embedded))

    for model in schema.models:
        for f in model.fields:
            add(model.collection, "", f, ())
        found[(model.collection, "")] = model.location
    return found

_SCALAR_DEFAULTS: dict[str, Any] = {}


def _default_value(text: str) -> Any:
    """``Default.value``; scalars decoded once (containers fresh each time: never shared)."""
    if text in _SCALAR_DEFAULTS:
        return _SCALAR_DEFAULTS[text]
    value = json.loads(text)
    scalar = isinstance(value, _SCALARS) or value is None
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
