"""Dotted field paths (``profile.first_name``) used by indexes and ``search``."""

from __future__ import annotations

from collections.abc import Mapping

from farmgen.ir.model import Field
from farmgen.ir.types import EmbeddedRef, FieldType, ListOf
from farmgen.resolve.context import did_you_mean


class PathError(Exception):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _embedded_name(ftype: FieldType) -> str | None:
    if isinstance(ftype, EmbeddedRef):
        return ftype.name
    if isinstance(ftype, ListOf) and isinstance(ftype.item, EmbeddedRef):
        return ftype.item.name
    return None


def resolve_path(
    path: str,
    owner: str,
    fields: Mapping[str, Field],
    embedded: Mapping[str, Mapping[str, Field]],
) -> Field:
    """The field a dotted path ends at; raises :class:`PathError` naming what is wrong."""
    parts = path.split(".")
    scope, scope_name = fields, owner
    field: Field | None = None
    for i, part in enumerate(parts):
        if field is not None:
            inner = _embedded_name(field.type)
            if inner is None:
                prefix = ".".join(parts[:i])
                raise PathError(
                    f"'{prefix}' of {owner} is not an embedded type, so '{path}' does not exist"
                )
            scope, scope_name = embedded.get(inner, {}), inner
        found = scope.get(part)
        if found is None:
            hint = did_you_mean(part, scope)
            if i == 0:
                raise PathError(f"{owner} has no field '{part}'", hint)
            raise PathError(f"{scope_name} has no field '{part}' (in '{path}')", hint)
        field = found
    assert field is not None
    return field
