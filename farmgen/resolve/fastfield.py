"""Build and copy IR fields without the dataclass machinery, for the resolver's hot paths.

:class:`~farmgen.ir.model.Field` is a frozen dataclass of fourteen attributes: its
``__init__`` sets each one through ``object.__setattr__`` and ``dataclasses.replace``
adds a generic pass over the fields on top. A large project builds tens of thousands
of fields, so the resolver fills in the instance dictionary directly. A field has no
derived state (no ``__post_init__``, no cached properties), so the result is the same
value the constructor builds (the tests compare them).
"""

from __future__ import annotations

from dataclasses import MISSING, fields

from farmgen.diagnostics import Location
from farmgen.ir.model import Field

_new = object.__new__

FIELD_ATTRIBUTES = frozenset(f.name for f in fields(Field))
_DEFAULTS: dict[str, object] = {
    f.name: f.default for f in fields(Field) if f.default is not MISSING
}


def new_field(**attrs: object) -> Field:
    """``Field(**attrs)``: ``name`` and ``type`` are required, the rest default."""
    assert FIELD_ATTRIBUTES.issuperset(attrs) and "name" in attrs and "type" in attrs
    made = _new(Field)
    values = made.__dict__
    values.update(_DEFAULTS)
    values.update(attrs)
    return made


def field_with(field: Field, **changes: object) -> Field:
    """``dataclasses.replace(field, **changes)``."""
    assert FIELD_ATTRIBUTES.issuperset(changes)
    made = _new(Field)
    values = made.__dict__
    values.update(field.__dict__)
    values.update(changes)
    return made


def renamed(field: Field, name: str, location: Location) -> Field:
    """``dataclasses.replace(field, name=name, location=location)``."""
    made = _new(Field)
    values = made.__dict__
    values.update(field.__dict__)
    values["name"] = name
    values["location"] = location
    return made
