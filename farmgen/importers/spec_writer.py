"""Write a native farmgen spec: from an IR :class:`~farmgen.ir.Schema` or from spec data.

The text is canonical: keys in a fixed order, declarations in declaration order,
short lists of names in flow style (``[a, b]``), everything else in block style.
``yaml.safe_load(dump_spec(data)) == canonical(data)`` for any spec data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from farmgen.importers.specdata import (
    EmbeddedSpec,
    EnumSpec,
    FieldSpec,
    ModelSpec,
    SpecData,
    canonical,
    index_entry,
)
from farmgen.ir import EmbeddedType, EnumType, Field, Index, Model, Schema, render_type
from farmgen.ir.names import collection_name, index_name

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schemas/farmgen-spec.schema.json"


class _SpecDumper(yaml.SafeDumper):
    """Block style, except lists of scalars and one-key mappings inside them (flow)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _is_flat(value: Any) -> bool:
    if _is_scalar(value):
        return True
    return isinstance(value, Mapping) and len(value) == 1 and all(map(_is_scalar, value.values()))


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = bool(data) and all(_is_flat(item) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow or not data)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


_SpecDumper.add_representer(list, _represent_list)
_SpecDumper.add_representer(dict, _represent_dict)


def dump_spec(data: Mapping[str, Any], header: str | None = None) -> str:
    """The canonical YAML text of spec data, with optional leading comment lines."""
    text = yaml.dump(
        canonical(data),
        Dumper=_SpecDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    if header:
        lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
        return lines + text
    return text


def write_schema(schema: Schema, header: str | None = None) -> str:
    """The native spec text of a whole IR schema (one file)."""
    return dump_spec(schema_to_data(schema), header)


def schema_to_data(schema: Schema, source: str | None = None) -> dict[str, Any]:
    """Spec data for an IR schema, or for the declarations of one of its source files."""
    spec = SpecData()
    for enum in schema.enums:
        if source is None or enum.source == source:
            spec.enums[enum.name] = _enum_spec(enum)
    for emb in schema.embedded:
        if source is None or emb.source == source:
            spec.embedded[emb.name] = _embedded_spec(emb)
    for model in schema.models:
        if source is None or model.source == source:
            spec.models[model.name] = _model_spec(model)
    return spec.to_data()


def _enum_spec(enum: EnumType) -> EnumSpec:
    return EnumSpec(enum.name, list(enum.value_strings), enum.description)


def _embedded_spec(emb: EmbeddedType) -> EmbeddedSpec:
    return EmbeddedSpec(
        emb.name, {f.name: field_spec(f) for f in emb.fields}, description=emb.description
    )


def _model_spec(model: Model) -> ModelSpec:
    collection = None if model.collection == collection_name(model.name) else model.collection
    spec = ModelSpec(
        model.name,
        {f.name: field_spec(f) for f in model.own_fields},
        collection=collection,
        mixins=list(model.mixins),
        search=list(model.search),
        indexes=[_index_data(model, ix) for ix in model.indexes if _declared_index(model, ix)],
        description=model.description,
        renamed_from=model.renamed_from,
    )
    return spec


def field_spec(f: Field) -> FieldSpec:
    """The spec form of one IR field."""
    c = f.constraints
    attrs: dict[str, Any] = {
        "default": f.default.value if f.default is not None else None,
        "min": c.min,
        "max": c.max,
        "min_length": c.min_length,
        "max_length": c.max_length,
        "pattern": c.pattern,
        "unique": f.unique,
        "index": f.index and not f.unique,
        "on_delete": f.on_delete.value if f.on_delete is not None else None,
        "private": f.private,
        "renamed_from": f.renamed_from,
        "description": f.description,
    }
    return FieldSpec(render_type(f.type), optional=f.optional, attrs=attrs)


def _declared_index(model: Model, ix: Index) -> bool:
    """Whether an index is written in the model's ``indexes`` (not implied by a field or search)."""
    return not (ix.from_field or ix.text)


def _index_data(model: Model, ix: Index) -> list[Any] | dict[str, Any]:
    default_name = index_name(model.collection, ix.paths, ix.unique)
    return index_entry(
        [(k.path, k.descending) for k in ix.keys],
        unique=ix.unique,
        name=None if ix.name == default_name else ix.name,
    )
