"""The keys of each kind of spec mapping, without pydantic.

The resolver checks keys against these tuples; :mod:`farmgen.spec.format` declares
the same keys as pydantic models (for the JSON Schema) and a test checks that both
agree, so that loading a project never needs to import pydantic for them.
"""

from __future__ import annotations

SPEC_FORMAT_VERSION = 1

TOP_LEVEL_KEYS: tuple[str, ...] = ("$schema", "farmgen", "enums", "embedded", "models")
FIELD_KEYS: tuple[str, ...] = (
    "type",
    "default",
    "min",
    "max",
    "min_length",
    "max_length",
    "pattern",
    "unique",
    "index",
    "description",
    "private",
    "renamed_from",
    "on_delete",
)
ENUM_KEYS: tuple[str, ...] = ("values", "description")
EMBEDDED_KEYS: tuple[str, ...] = ("fields", "description")
MODEL_KEYS: tuple[str, ...] = (
    "collection",
    "mixins",
    "search",
    "fields",
    "indexes",
    "renamed_from",
    "description",
)
INDEX_KEYS: tuple[str, ...] = ("fields", "unique", "name")
