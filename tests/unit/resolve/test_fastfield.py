"""The resolver's direct field builders give the values the dataclass constructors give."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from farmgen.diagnostics import Location
from farmgen.ir.model import Constraints, Default, Field, OnDelete
from farmgen.ir.types import ListOf, ModelRef, Scalar, ScalarKind
from farmgen.resolve.fastfield import FIELD_ATTRIBUTES, field_with, new_field

WHERE = Location("a.yaml", 3, 5)


@pytest.mark.parametrize(
    "attrs",
    [
        {"name": "x", "type": Scalar(ScalarKind.INT)},
        {
            "name": "owner",
            "type": ModelRef("User"),
            "optional": True,
            "default": Default.of(None),
            "constraints": Constraints(min=1),
            "unique": True,
            "on_delete": OnDelete.SET_NULL,
            "location": WHERE,
        },
        {"name": "tags", "type": ListOf(Scalar(ScalarKind.STRING)), "mixin": "metadata"},
    ],
)
def test_new_field_is_the_constructed_field(attrs: dict[str, object]) -> None:
    built = new_field(**attrs)
    expected = Field(**attrs)  # type: ignore[arg-type]
    assert built == expected
    assert repr(built) == repr(expected)
    assert hash(built) == hash(expected)
    assert type(built) is Field


def test_field_with_is_replace_and_leaves_the_original() -> None:
    original = Field("x", Scalar(ScalarKind.INT), location=WHERE)
    changed = field_with(original, default=Default.of(3), location=Location("b.yaml", 1, 1))
    assert changed == replace(original, default=Default.of(3), location=Location("b.yaml", 1, 1))
    assert original.default is None and original.location == WHERE
    with pytest.raises(AttributeError):
        changed.name = "y"  # type: ignore[misc]


def test_every_field_attribute_is_known() -> None:
    assert {f.name for f in fields(Field)} == FIELD_ATTRIBUTES
