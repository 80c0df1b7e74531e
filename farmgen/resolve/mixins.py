"""The five built-in mixins and the fields each adds to a model (the seed's names).

``timestamps`` fields have no default: the runtime sets them (``Field.server_managed``).
"""

from __future__ import annotations

from farmgen.diagnostics import Location
from farmgen.ir.model import MIXIN_NAMES, Default, Field
from farmgen.ir.types import DictOf, FieldType, ListOf, Scalar, ScalarKind
from farmgen.resolve.fastfield import field_with

_DATETIME = Scalar(ScalarKind.DATETIME)
_STRING = Scalar(ScalarKind.STRING)

_NO_DEFAULT = object()

# name → tuple of (field name, type, optional, default or _NO_DEFAULT, description)
_MIXIN_FIELDS: dict[str, tuple[tuple[str, FieldType, bool, object, str], ...]] = {
    "timestamps": (
        ("created_at", _DATETIME, False, _NO_DEFAULT, "When the record was created (UTC)."),
        ("updated_at", _DATETIME, False, _NO_DEFAULT, "When the record was last saved (UTC)."),
    ),
    "soft_delete": (
        ("deleted_at", _DATETIME, True, None, "When the record was soft-deleted."),
        (
            "is_deleted",
            Scalar(ScalarKind.BOOL),
            False,
            False,
            "Whether the record is soft-deleted.",
        ),
    ),
    "audit": (
        ("created_by", _STRING, True, None, "Id of the user who created the record."),
        ("updated_by", _STRING, True, None, "Id of the user who last changed the record."),
        ("version", Scalar(ScalarKind.INT), False, 1, "Incremented on every save."),
    ),
    "metadata": (
        ("metadata", DictOf(Scalar(ScalarKind.JSON)), False, {}, "Free-form metadata."),
        ("tags", ListOf(_STRING), False, [], "Free-form tags."),
    ),
    "searchable": (
        (
            "search_vector",
            Scalar(ScalarKind.TEXT),
            True,
            None,
            "Lower-cased text of the search fields.",
        ),
    ),
}

assert tuple(_MIXIN_FIELDS) == MIXIN_NAMES

SEARCH_FIELD = "search_vector"


def mixin_field_names(mixin: str) -> tuple[str, ...]:
    return tuple(spec[0] for spec in _MIXIN_FIELDS[mixin])


def _unlocated_fields(mixin: str) -> tuple[Field, ...]:
    return tuple(
        Field(
            name=name,
            type=ftype,
            optional=optional,
            default=None if default is _NO_DEFAULT else Default.of(default),
            description=description,
            mixin=mixin,
        )
        for name, ftype, optional, default, description in _MIXIN_FIELDS[mixin]
    )


_UNLOCATED: dict[str, tuple[Field, ...]] = {
    mixin: _unlocated_fields(mixin) for mixin in MIXIN_NAMES
}


def mixin_fields(mixin: str, location: Location) -> tuple[Field, ...]:
    """The concrete fields ``mixin`` adds, located where the model names the mixin."""
    return tuple(field_with(field, location=location) for field in _UNLOCATED[mixin])


ALL_MIXIN_FIELDS: dict[str, str] = {
    name: mixin for mixin in MIXIN_NAMES for name in mixin_field_names(mixin)
}
"""Every field name a mixin adds → the mixin."""
