"""The typed, read-only intermediate representation of a farmgen schema.

The loader builds it, targets and the migration differ read it. Nothing here does
I/O or knows about YAML or any output format.
"""

from farmgen.ir.model import (
    MIXIN_NAMES,
    Constraints,
    Default,
    EmbeddedType,
    EnumType,
    EnumValue,
    Field,
    Index,
    IndexKey,
    Model,
    OnDelete,
    Schema,
)
from farmgen.ir.types import (
    DictOf,
    EmbeddedRef,
    EnumRef,
    FieldType,
    ListOf,
    ModelRef,
    Scalar,
    ScalarKind,
    render_type,
)

__all__ = [
    "MIXIN_NAMES",
    "Constraints",
    "Default",
    "DictOf",
    "EmbeddedRef",
    "EmbeddedType",
    "EnumRef",
    "EnumType",
    "EnumValue",
    "Field",
    "FieldType",
    "Index",
    "IndexKey",
    "ListOf",
    "Model",
    "ModelRef",
    "OnDelete",
    "Scalar",
    "ScalarKind",
    "Schema",
    "render_type",
]
