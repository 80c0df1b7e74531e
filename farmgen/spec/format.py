"""The spec file format as pydantic models.

``schemas/farmgen-spec.schema.json`` is generated from these models for editor
completion (``farmgen schema``). The resolver checks keys against the plain tuples of
:mod:`farmgen.spec.keys` (loading a project does not import pydantic);
:func:`check_keys_agree` (run by the tests) keeps both in step, so a key added here
must be added there too. Values are checked, with positions, by :mod:`farmgen.resolve`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from farmgen.spec import keys
from farmgen.spec.keys import (
    EMBEDDED_KEYS,
    ENUM_KEYS,
    FIELD_KEYS,
    INDEX_KEYS,
    MODEL_KEYS,
    SPEC_FORMAT_VERSION,
    TOP_LEVEL_KEYS,
)

__all__ = [
    "EMBEDDED_KEYS",
    "ENUM_KEYS",
    "FIELD_KEYS",
    "INDEX_KEYS",
    "MODEL_KEYS",
    "SCHEMA_ID",
    "SPEC_FORMAT_VERSION",
    "TOP_LEVEL_KEYS",
    "SpecFile",
    "check_keys_agree",
    "keys_of",
    "spec_json_schema",
    "spec_json_schema_text",
]

SCHEMA_ID = "urn:farmgen:spec:1"

MixinName = Literal["timestamps", "soft_delete", "audit", "metadata", "searchable"]
OnDeleteName = Literal["cascade", "set_null", "restrict", "no_action"]
Direction = Literal["asc", "desc"]

TypeExpression = Annotated[
    str,
    Field(
        description=(
            "A type expression: a scalar (string, text, int, float, decimal, bool, datetime, "
            "date, time, uuid, email, url, bytes, json, objectid), an enum or embedded type "
            "name, ref[Model], list[T] or dict[string, T]; a trailing '?' makes it optional."
        ),
        pattern=r"^\s*[^\W\d][\w\[\],\s]*\??\s*$",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldSpec(_Strict):
    """A field written as a mapping; the short form is just its type expression."""

    type: TypeExpression
    default: Any = Field(None, description="The value a new record gets; must fit the type.")
    min: float | None = Field(None, description="Smallest allowed number.")
    max: float | None = Field(None, description="Largest allowed number.")
    min_length: int | None = Field(None, ge=0, description="Shortest string or list.")
    max_length: int | None = Field(None, ge=0, description="Longest string or list.")
    pattern: str | None = Field(None, description="A regular expression strings must match.")
    unique: bool = Field(False, description="Unique index (on a ref: one-to-one).")
    index: bool = Field(False, description="Single-field index.")
    description: str | None = Field(None, description="Documentation for generated code.")
    private: bool = Field(False, description="Kept out of TypeScript and read models.")
    renamed_from: str | None = Field(None, description="The field's previous name.")
    on_delete: OnDeleteName | None = Field(None, description="What deleting the target does.")


FieldEntry = TypeExpression | FieldSpec


class EnumSpec(_Strict):
    values: list[str] = Field(min_length=1, description="The stored values, in order.")
    description: str | None = None


EnumValues = Annotated[list[str], Field(min_length=1)]


class EmbeddedSpec(_Strict):
    fields: dict[str, FieldEntry]
    description: str | None = None


class IndexKeySpec(RootModel[dict[str, Direction]]):
    """``{field: asc|desc}`` with exactly one key."""

    root: Annotated[dict[str, Direction], Field(min_length=1, max_length=1)]


IndexKey = str | IndexKeySpec


class IndexSpec(_Strict):
    fields: list[IndexKey] = Field(min_length=1)
    unique: bool = False
    name: str | None = Field(None, description="Defaults to ix_/uq_<collection>_<fields>.")


class ModelSpec(_Strict):
    collection: str | None = Field(None, description="Collection and table name.")
    mixins: list[MixinName] = Field(default_factory=list)
    search: list[str] = Field(default_factory=list, description="Fields the search text covers.")
    fields: dict[str, FieldEntry] = Field(default_factory=dict)
    indexes: list[str | list[IndexKey] | IndexSpec] = Field(
        default_factory=list,
        description="Indexes: a field name, a list of fields, or {fields, unique, name}.",
    )
    renamed_from: str | None = Field(None, description="The model's previous name.")
    description: str | None = None


class SpecFile(_Strict):
    """One farmgen spec file (YAML or JSON)."""

    model_config = ConfigDict(extra="forbid", title="farmgen spec")

    schema_: str | None = Field(None, alias="$schema")
    farmgen: Literal[1] = Field(1, description="The spec format version.")
    enums: dict[str, EnumValues | EnumSpec] = Field(default_factory=dict)
    embedded: dict[str, EmbeddedSpec] = Field(default_factory=dict)
    models: dict[str, ModelSpec] = Field(default_factory=dict)


def keys_of(model: type[BaseModel]) -> tuple[str, ...]:
    """The keys a spec mapping of this kind may have, in declaration order."""
    return tuple(info.alias or name for name, info in model.model_fields.items())


_MODELS_OF_KEYS: dict[str, type[BaseModel]] = {
    "TOP_LEVEL_KEYS": SpecFile,
    "FIELD_KEYS": FieldSpec,
    "ENUM_KEYS": EnumSpec,
    "EMBEDDED_KEYS": EmbeddedSpec,
    "MODEL_KEYS": ModelSpec,
    "INDEX_KEYS": IndexSpec,
}


def check_keys_agree() -> list[str]:
    """The names of :mod:`farmgen.spec.keys` tuples that differ from these models' keys."""
    differ = [
        name for name, model in _MODELS_OF_KEYS.items() if getattr(keys, name) != keys_of(model)
    ]
    version = SpecFile.model_fields["farmgen"].default
    if version != keys.SPEC_FORMAT_VERSION:
        differ.append("SPEC_FORMAT_VERSION")
    return differ


def spec_json_schema() -> dict[str, Any]:
    schema = SpecFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def spec_json_schema_text() -> str:
    """The JSON Schema file's exact text (what ``schemas/farmgen-spec.schema.json`` holds)."""
    return json.dumps(spec_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
