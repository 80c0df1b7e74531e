"""Round trip: every example's generated Beanie and SQLAlchemy packages, and those of the
adversarial spec, import back into exactly the IR they were generated from (mixin fields,
index order, many-to-many field order included): nothing is stripped before comparing.

What Python code has no word for is written as typed runtime aliases (``Text``), real
SQLAlchemy arguments (``doc=``) or, last, ``json_schema_extra={"x-farmgen": {...}}`` on
pydantic fields and ``info={"x-farmgen": {...}}`` on columns and tables: see the last tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from farmgen.importers.python_models import import_models, schema_from_models
from farmgen.ir import ListOf, OnDelete, Scalar, ScalarKind, Schema
from farmgen.pipeline import generate
from farmgen.project import load_project
from farmgen.resolve import load_schema, resolve_documents
from farmgen.spec import document_from_data
from tests.conftest import EXAMPLES
from tests.importers.ir_compare import differences

ADVERSARIAL = Path(__file__).parents[1] / "golden" / "adversarial"
STRING, TEXT, EMAIL = Scalar(ScalarKind.STRING), Scalar(ScalarKind.TEXT), Scalar(ScalarKind.EMAIL)


def _original(example: str) -> Schema:
    root = EXAMPLES / example
    return load_schema(sorted((root / "schemas").glob("*.yaml")), root)


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("adversarial")
    shutil.copytree(ADVERSARIAL, root, dirs_exist_ok=True)
    generate(load_project(root))
    return root


@pytest.mark.parametrize("target", ["beanie", "sqlalchemy"])
def test_the_adversarial_spec_imports_back_into_the_same_ir(
    adversarial: Path, target: str
) -> None:
    imported, diagnostics = schema_from_models([adversarial / "generated" / target])
    assert [d.render() for d in diagnostics] == []
    original = load_schema(sorted((adversarial / "schemas").glob("*.yaml")), adversarial)
    assert differences(original, imported) == []


@pytest.mark.parametrize("target", ["beanie", "sqlalchemy"])
@pytest.mark.parametrize("example", ["blog", "farm-users"])
def test_generated_code_imports_back_into_the_same_ir(example: str, target: str) -> None:
    generated = EXAMPLES / example / "generated" / target
    imported, diagnostics = schema_from_models([generated])
    assert [d.render() for d in diagnostics] == []
    assert differences(_original(example), imported) == []


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


def test_typed_aliases_table_hints_and_relationship_positions(tmp_path: Path) -> None:
    (tmp_path / "models.py").write_text('''
import uuid
from sqlalchemy import Column, ForeignKey, Index, String, Table, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship
from pydantic import BaseModel
from farmgen.runtime.fieldtypes import Text as LongText
from farmgen.runtime.tables import Base, EmbeddedJSON, JSONValue

class Note(BaseModel):
    body: LongText
    lines: list[LongText] = []

classes_with = Table(
    "classes_with",
    Base.metadata,
    Column("klass_id", Uuid(), ForeignKey("classes.id"), primary_key=True),
    Column("tag_id", Uuid(), ForeignKey("tags.id"), primary_key=True),
)

class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)

class Klass(Base):
    __tablename__ = "classes"
    __table_args__ = (
        Index("ix_classes_code", "code"),
        {"info": {"x-farmgen": {"indexes": [
            ["labels", "code"], {"name": "by_code", "fields": ["code"]}
        ]}}},
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(255), info={"x-farmgen": {"max_length": None}})
    with_: Mapped[list[Tag]] = relationship(secondary=classes_with)
    labels: Mapped[list[str]] = mapped_column(JSONValue(), info={"x-farmgen": {"index": True}})
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tags.id"))
    class_: Mapped[Tag] = relationship()
    note: Mapped[Note] = mapped_column(EmbeddedJSON(Note))
''')
    data, diagnostics = import_models([tmp_path / "models.py"], ["models.py"])
    assert [d.render() for d in diagnostics] == []
    schema = resolve_documents([document_from_data(data, "models.py")])
    klass = schema.model("Klass")
    assert [f.name for f in klass.own_fields] == ["code", "with", "labels", "class", "note"]
    assert klass.field_map["code"].constraints.max_length is None
    assert klass.field_map["labels"].index
    assert [i.name for i in klass.indexes if not i.from_field] == [
        "ix_classes_labels_code", "by_code"
    ]
    note = schema.embedded_map["Note"].field_map
    assert note["body"].type == TEXT
    assert note["lines"].type == ListOf(TEXT)


CORNERS = """
farmgen: 1
models:
  Tag:
    fields:
      label: {type: url, max_length: 300}
  Item:
    fields:
      code: {type: string, index: true}
      contact: {type: "email?", max_length: 200}
      tags: {type: "list[ref[Tag]]", default: [], max_length: 5, private: true,
             description: Where it is filed.}
      legacy: objectid?
      notes: {type: "list[string]", default: [a], min_length: 1}
      owner: {type: "ref[Tag]?", private: true, description: Who keeps it.}
      rank: {type: int, default: 0}
    indexes:
      - {fields: [{rank: desc}], name: items_top}
      - [code, rank]
"""


@pytest.mark.parametrize("target", ["beanie", "sqlalchemy"])
def test_corner_cases_import_back_into_the_same_ir(tmp_path: Path, target: str) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "corners.yaml").write_text(CORNERS)
    (tmp_path / "farmgen.toml").write_text(
        'specs = ["schemas/*.yaml"]\n'
        f'[targets.{target}]\nout = "generated/{target}"\n'
    )
    generate(load_project(tmp_path))
    imported, diagnostics = schema_from_models([tmp_path / "generated" / target])
    assert [d.render() for d in diagnostics] == []
    original = load_schema([tmp_path / "schemas" / "corners.yaml"], tmp_path)
    assert differences(original, imported) == []
