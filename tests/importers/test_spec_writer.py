"""The native spec writer: IR and spec data to canonical YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from farmgen.importers.spec_writer import dump_spec, schema_to_data, write_schema
from farmgen.importers.specdata import FieldSpec, canonical
from farmgen.ir import (
    Constraints,
    Default,
    EmbeddedRef,
    EmbeddedType,
    EnumRef,
    EnumType,
    EnumValue,
    Field,
    Index,
    IndexKey,
    ListOf,
    Model,
    ModelRef,
    OnDelete,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.resolve import load_schema
from tests.conftest import EXAMPLES
from tests.importers.ir_compare import differences

S = ScalarKind


def _schema() -> Schema:
    status = EnumType("Status", (EnumValue("active", "ACTIVE"), EnumValue("gone", "GONE")))
    profile = EmbeddedType(
        "Profile",
        (
            Field("first_name", Scalar(S.STRING), optional=True),
            Field("timezone", Scalar(S.STRING), default=Default.of("UTC")),
        ),
    )
    user = Model(
        "User",
        "users",
        (
            Field("email", Scalar(S.EMAIL), unique=True),
            Field("status", EnumRef("Status"), default=Default.of("active"), index=True),
            Field("verified", Scalar(S.BOOL), default=Default.of(False)),
            Field("age", Scalar(S.INT), optional=True, constraints=Constraints(min=0, max=150)),
            Field("profile", EmbeddedRef("Profile")),
            Field("roles", ListOf(Scalar(S.STRING)), default=Default.of([])),
            Field("created_at", Scalar(S.DATETIME), mixin="timestamps"),
        ),
        mixins=("timestamps",),
        indexes=(
            Index("uq_users_email", (IndexKey("email"),), unique=True, from_field=True),
            Index("ix_users_status", (IndexKey("status"),), from_field=True),
            Index("ix_users_status_verified", (IndexKey("status"), IndexKey("verified"))),
            Index("recent_first", (IndexKey("created_at", descending=True),)),
        ),
    )
    post = Model(
        "Post",
        "posts",
        (
            Field("author", ModelRef("User"), on_delete=OnDelete.CASCADE, private=True),
            Field("title", Scalar(S.STRING), description="The title: \"quoted\"\nand more"),
        ),
    )
    return Schema(enums=(status,), embedded=(profile,), models=(user, post))


def test_schema_to_data_is_the_native_spec() -> None:
    data = schema_to_data(_schema())
    assert data == {
        "farmgen": 1,
        "enums": {"Status": ["active", "gone"]},
        "embedded": {
            "Profile": {
                "fields": {
                    "first_name": "string?",
                    "timezone": {"type": "string", "default": "UTC"},
                }
            }
        },
        "models": {
            "User": {
                "mixins": ["timestamps"],
                "fields": {
                    "email": {"type": "email", "unique": True},
                    "status": {"type": "Status", "default": "active", "index": True},
                    "verified": {"type": "bool", "default": False},
                    "age": {"type": "int?", "min": 0, "max": 150},
                    "profile": "Profile",
                    "roles": {"type": "list[string]", "default": []},
                },
                "indexes": [
                    ["status", "verified"],
                    {"name": "recent_first", "fields": [{"created_at": "desc"}]},
                ],
            },
            "Post": {
                "fields": {
                    "author": {"type": "ref[User]", "on_delete": "cascade", "private": True},
                    "title": {"type": "string", "description": "The title: \"quoted\"\nand more"},
                }
            },
        },
    }


def test_dump_is_yaml_that_loads_back_to_the_same_data() -> None:
    data = schema_to_data(_schema())
    text = dump_spec(data, header="Imported from models.py")
    assert text.startswith("# Imported from models.py\nfarmgen: 1\n")
    assert "  Status: [active, gone]\n" in text
    assert "    - [status, verified]\n" in text
    assert yaml.safe_load(text) == data


def test_dump_is_canonical_whatever_the_input_key_order() -> None:
    shuffled = {
        "models": {"A": {"fields": {"x": {"unique": True, "type": "int"}}, "collection": "as"}},
        "farmgen": 1,
    }
    text = dump_spec(shuffled)
    assert text == (
        "farmgen: 1\n"
        "models:\n"
        "  A:\n"
        "    collection: as\n"
        "    fields:\n"
        "      x:\n"
        "        type: int\n"
        "        unique: true\n"
    )
    assert yaml.safe_load(text) == canonical(shuffled)


def test_field_spec_keeps_false_defaults_and_drops_false_flags() -> None:
    spec = FieldSpec("bool", attrs={"default": False, "unique": False, "index": None})
    assert spec.to_data() == {"type": "bool", "default": False}
    assert FieldSpec("string", optional=True, attrs={"default": None}).to_data() == "string?"


@pytest.mark.parametrize("example", ["blog", "farm-users"])
def test_written_spec_of_an_example_loads_back_into_the_same_ir(
    example: str, tmp_path: Path
) -> None:
    root = EXAMPLES / example
    original = load_schema(sorted((root / "schemas").glob("*.yaml")), root)
    path = tmp_path / "all.yaml"
    path.write_text(write_schema(original, header="one file"))
    assert differences(original, load_schema([path], tmp_path)) == []
    assert write_schema(load_schema([path], tmp_path), header="one file") == path.read_text()
