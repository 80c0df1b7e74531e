"""Round trip: every example's generated Beanie and SQLAlchemy packages import back into
the example's IR (mixin fields and indexes included).

The comparison is exact except for what a target's code has no way to say. Each such
loss is one rule below, applied to the original IR before comparing, so the test fails
on any other difference and on any of these the generator starts to express without the
rule being removed. (The importer reads ``json_schema_extra={"x-farmgen": {...}}`` on
pydantic fields and ``info={"x-farmgen": {...}}`` on columns: see the last test.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from farmgen.importers.python_models import import_models, schema_from_models
from farmgen.ir import (
    Constraints,
    DictOf,
    EmbeddedRef,
    EmbeddedType,
    Field,
    FieldType,
    ListOf,
    Model,
    ModelRef,
    OnDelete,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.resolve import load_schema, resolve_documents
from farmgen.spec import document_from_data
from tests.conftest import EXAMPLES
from tests.importers.ir_compare import differences

STRING, TEXT, EMAIL = Scalar(ScalarKind.STRING), Scalar(ScalarKind.TEXT), Scalar(ScalarKind.EMAIL)


def _no_text(t: FieldType) -> FieldType:
    """pydantic has one ``str`` for string and text."""
    match t:
        case Scalar(ScalarKind.TEXT):
            return STRING
        case ListOf(item):
            return ListOf(_no_text(item))
        case DictOf(value):
            return DictOf(_no_text(value))
    return t


def _pydantic_field(f: Field) -> Field:
    """What a pydantic field cannot carry: text vs string, ``private``."""
    return replace(f, type=_no_text(f.type), private=False)


def _embedded(e: EmbeddedType) -> EmbeddedType:
    return replace(e, fields=tuple(_pydantic_field(f) for f in e.fields))


def _default_on_delete(f: Field) -> OnDelete | None:
    if isinstance(f.type, ModelRef):
        return OnDelete.SET_NULL if f.optional else OnDelete.RESTRICT
    return f.on_delete


def beanie_view(schema: Schema) -> Schema:
    """Beanie: a ``Link`` has no ``on_delete`` (the resolver's default comes back)."""
    models = tuple(
        replace(m, fields=tuple(
            replace(_pydantic_field(f), on_delete=_default_on_delete(f)) if f.mixin is None else f
            for f in m.fields
        ))
        for m in schema.models
    )
    return replace(schema, embedded=tuple(map(_embedded, schema.embedded)), models=models)


def _json_column(f: Field) -> bool:
    return isinstance(f.type, EmbeddedRef | ListOf | DictOf) and not f.is_many_to_many


def _sql_field(f: Field) -> Field:
    """A column keeps type, length, min/max, unique/index; not min_length, pattern, description
    or private. E-mail is String(320); an unbounded string is Text, or String(255) if indexed;
    text is Text (no length); JSON columns are not indexed (MongoDB-only indexes)."""
    if f.mixin is not None or f.is_many_to_many:
        return f
    constraints = replace(f.constraints, min_length=None, pattern=None)
    ftype = f.type
    if ftype == EMAIL:
        ftype = STRING
        constraints = replace(constraints, max_length=constraints.max_length or 320)
    if ftype == STRING and constraints.max_length is None:
        if f.unique or f.index:
            constraints = replace(constraints, max_length=255)
        else:
            ftype = TEXT
    if ftype == TEXT:
        constraints = replace(constraints, max_length=None)  # Text() has no length
    index = f.index and not _json_column(f)
    return replace(f, type=ftype, constraints=constraints, description=None, private=False,
                   index=index)


def _sql_model(m: Model) -> Model:
    fields = [_sql_field(f) for f in m.fields]
    own = [f for f in fields if f.mixin is None]
    ordered = (
        [f for f in own if not f.is_many_to_many]  # relationships follow the columns
        + [f for f in own if f.is_many_to_many]
        + [f for f in fields if f.mixin is not None]
    )
    json_fields = {f.name for f in m.fields if _json_column(f)}
    indexes = tuple(
        i for i in m.indexes
        if not any("." in p or p in json_fields for p in i.paths)
    )
    return replace(m, fields=tuple(ordered), indexes=indexes)


def sqlalchemy_view(schema: Schema) -> Schema:
    return replace(
        schema,
        embedded=tuple(map(_embedded, schema.embedded)),
        models=tuple(map(_sql_model, schema.models)),
    )


VIEWS = {"beanie": beanie_view, "sqlalchemy": sqlalchemy_view}


def _original(example: str) -> Schema:
    root = EXAMPLES / example
    return load_schema(sorted((root / "schemas").glob("*.yaml")), root)


@pytest.mark.parametrize("target", ["beanie", "sqlalchemy"])
@pytest.mark.parametrize("example", ["blog", "farm-users"])
def test_generated_code_imports_back_into_the_same_ir(example: str, target: str) -> None:
    generated = EXAMPLES / example / "generated" / target
    imported, diagnostics = schema_from_models([generated])
    assert [d.render() for d in diagnostics] == []
    assert differences(VIEWS[target](_original(example)), imported) == []


def test_the_views_only_remove_what_the_targets_cannot_say() -> None:
    blog = _original("blog")
    beanie = beanie_view(blog)
    assert beanie.model("Post").field_map["title"] == blog.model("Post").field_map["title"]
    assert beanie.model("Post").indexes == blog.model("Post").indexes
    sql = sqlalchemy_view(blog)
    assert sql.model("User").field_map["role"] == blog.model("User").field_map["role"]
    assert sql.model("Post").field_map["view_count"].constraints == Constraints(min=0)


def test_farmgen_hints_in_python_models_restore_what_code_cannot_say(tmp_path: Path) -> None:
    (tmp_path / "models.py").write_text('''
import uuid
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from beanie import Document, Link
from pydantic import Field
from farmgen.runtime.tables import Base

class Author(Base):
    __tablename__ = "authors"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), info={"x-farmgen": {"type": "email"}})
    bio: Mapped[str] = mapped_column(Text(), info={"x-farmgen": {"type": "string",
                                                  "min_length": 1, "private": True}})

class Note(Document):
    author: Link["Author"] = Field(json_schema_extra={"x-farmgen": {"on_delete": "cascade"}})
    body: str = Field(json_schema_extra={"x-farmgen": {"type": "text"}})
''')
    data, diagnostics = import_models([tmp_path / "models.py"], ["models.py"])
    assert diagnostics == []
    schema = resolve_documents([document_from_data(data, "models.py")])
    author = schema.model("Author").field_map
    assert author["email"].type == EMAIL
    assert author["bio"].type == STRING and author["bio"].private
    assert author["bio"].constraints.min_length == 1
    note = schema.model("Note").field_map
    assert note["author"].on_delete is OnDelete.CASCADE
    assert note["body"].type == TEXT
