"""Python models (Beanie, SQLAlchemy 2.0 and 1.x, pydantic) → spec data, read with libcst."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from farmgen.diagnostics import Severity, SpecError
from farmgen.importers.python_models import import_models, schema_from_models
from farmgen.importers.spec_writer import dump_spec
from farmgen.ir import ListOf, ModelRef, OnDelete

FIXTURES = Path(__file__).parent / "fixtures" / "python"
MODELS = FIXTURES / "models.py"


def _import(tmp_path: Path, source: str) -> tuple[dict, list[str]]:
    path = tmp_path / "models.py"
    path.write_text(source)
    data, diagnostics = import_models([path], ["models.py"])
    return data, [d.render() for d in diagnostics]


def test_realistic_models_file_imports_as_reviewed() -> None:
    data, diagnostics = import_models([MODELS], ["models.py"])
    expected = (FIXTURES / "models.expected.yaml").read_text()
    assert dump_spec(data, header=expected.splitlines()[0][2:]) == expected
    warnings = (FIXTURES / "models.expected-warnings.txt").read_text().splitlines()
    assert [d.render() for d in diagnostics] == warnings
    assert all(d.severity is Severity.WARNING for d in diagnostics)


def test_realistic_models_every_unmapped_construct_is_reported() -> None:
    _, diagnostics = import_models([MODELS], ["models.py"])
    text = "\n".join(d.render() for d in diagnostics)
    for construct in (
        "enum value 1 is imported as a string",  # IntEnum
        "CustomerCreate is not used",  # API schema, not stored
        "@field_validator",
        "set[...] is imported as a list",
        "a union of int | string",
        "default factory datetime.utcnow",
        "a fixed-length tuple",
        "inside an embedded type (ref[Product])",
        "exclusive bound (gt=0)",
        "server_default",
        "column_property(...)",
        "@hybrid_property",
        "primary key 'id' (int)",
        "Indexed(index_type=TEXT)",
    ):
        assert construct in text, construct
    assert all(":" in d.render().split(" ")[0] for d in diagnostics)  # PATH:LINE:COL


def test_realistic_models_resolve_into_the_ir() -> None:
    schema, _ = schema_from_models([MODELS])
    stock = schema.model("StockItem")
    assert stock.collection == "stock_items"
    assert stock.mixins == ("timestamps", "audit")
    warehouse = stock.field_map["warehouse"]
    assert warehouse.type == ModelRef("Warehouse")
    assert warehouse.on_delete is OnDelete.CASCADE
    assert stock.field_map["supplier"].optional
    assert schema.model("Warehouse").field_map["suppliers"].type == ListOf(ModelRef("Supplier"))
    assert "warehouses" not in schema.model("Supplier").field_map  # the other side of the m2m
    customer = schema.model("Customer")
    # TimestampMixin imported as Timestamped
    assert customer.mixins == ("timestamps", "soft_delete")
    assert customer.field_map["class"].name == "class"  # alias="class" is the stored name
    assert customer.field_map["password_hash"].private  # Field(exclude=True)
    assert "orders" not in customer.field_map  # BackLink
    assert schema.model("Product").search == ("title", "description")
    profile = schema.model("SupplierProfile").field_map["supplier"]
    assert profile.unique and profile.ref_target == "Supplier"  # one-to-one
    review = schema.model("Review").field_map
    assert review["author"].optional and review["author"].ref_target == "Customer"
    assert review["photos"].constraints.max_length == 5


def test_beanie_indexes_settings_and_defaults(tmp_path: Path) -> None:
    data, warnings = _import(tmp_path, '''
from enum import Enum
from typing import Annotated, Optional
from beanie import Document, Indexed
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

class Status(str, Enum):
    ON = "on"
    OFF = "off"

class Lamp(Document):
    serial: Annotated[str, Indexed(unique=True)]
    room: Indexed(str)
    nickname: Optional[str] = None
    status: Status = Status.OFF
    watts: int = Field(60, ge=1, le=500)

    class Settings:
        name = "lamps"
        indexes = [
            IndexModel([("nickname", ASCENDING)], name="uq_lamps_nickname", unique=True,
                       partialFilterExpression={"nickname": {"$type": "string"}}),
            IndexModel([("room", ASCENDING), ("watts", DESCENDING)], name="ix_lamps_room_watts"),
        ]
''')
    assert warnings == []
    assert data["models"]["Lamp"] == {
        "fields": {
            "serial": {"type": "string", "unique": True},
            "room": {"type": "string", "index": True},
            "nickname": {"type": "string?", "unique": True},
            "status": {"type": "Status", "default": "off"},
            "watts": {"type": "int", "default": 60, "min": 1, "max": 500},
        },
        # the default name (ix_<collection>_<fields>) is left out
        "indexes": [["room", {"watts": "desc"}]],
    }


def test_sqlalchemy_1x_columns_are_nullable_unless_told(tmp_path: Path) -> None:
    data, warnings = _import(tmp_path, '''
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

class Author(Base):
    __tablename__ = "authors"
    id = sa.Column(sa.Uuid, primary_key=True)
    name = sa.Column(sa.String(80), nullable=False)
    bio = sa.Column(sa.Text)

class Book(Base):
    __tablename__ = "books"
    id = sa.Column(sa.Uuid, primary_key=True)
    title = sa.Column(sa.Unicode(200), nullable=False, unique=True)
    author_id = sa.Column(sa.Uuid, sa.ForeignKey("authors.id", ondelete="RESTRICT"), nullable=False)
    author = relationship("Author", backref="books")
    pages = sa.Column(sa.Integer, default=100)
''')
    assert warnings == []
    assert data["models"] == {
        "Author": {"fields": {"name": {"type": "string", "max_length": 80}, "bio": "text?"}},
        "Book": {
            "fields": {
                "title": {"type": "string", "max_length": 200, "unique": True},
                "author": {"type": "ref[Author]", "on_delete": "restrict"},
                "pages": {"type": "int", "default": 100},
            }
        },
    }


def test_sqlalchemy_1x_foreign_key_columns_take_their_type_from_the_key(tmp_path: Path) -> None:
    data, warnings = _import(tmp_path, '''
from sqlalchemy import Column, ForeignKey, String, Uuid
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class Account(Base):
    __tablename__ = "accounts"
    id = Column(Uuid, primary_key=True)
    name = Column(String(50), nullable=False)

class Login(Base):
    __tablename__ = "logins"
    id = Column(Uuid, primary_key=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False)
    mystery = Column(nullable=False)
''')
    assert warnings == [
        "models.py:16:5: warning: Login.mystery: a column without a type cannot be mapped; "
        "imported as json"
    ]
    assert data["models"]["Login"]["fields"] == {
        "account": {"type": "ref[Account]", "on_delete": "cascade"},
        "mystery": "json",
    }


def test_user_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    data, _ = _import(tmp_path, f'''
from pathlib import Path
Path({str(marker)!r}).write_text("executed")
raise SystemExit(3)

from beanie import Document

class Thing(Document):
    name: str
''')
    assert not marker.exists()
    assert data["models"] == {"Thing": {"fields": {"name": "string"}}}


def test_invalid_python_is_a_spec_error_with_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("class A(Document:\n    x: int\n")
    with pytest.raises(SpecError) as info:
        import_models([path], ["broken.py"])
    assert info.value.lines() == ["broken.py:2:1: invalid Python: unexpected syntax"]


def test_directories_are_searched_and_classes_resolve_across_files(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "enums.py").write_text(
        "from enum import StrEnum, auto\n\n"
        "class Mood(StrEnum):\n    HAPPY = auto()\n    SAD = auto()\n"
    )
    (tmp_path / "pkg" / "docs.py").write_text(
        "from beanie import Document\nfrom .enums import Mood\n\n"
        "class Diary(Document):\n    mood: Mood = Mood.SAD\n"
    )
    data, diagnostics = import_models([tmp_path / "pkg"])
    assert diagnostics == []
    assert data["enums"] == {"Mood": ["happy", "sad"]}
    assert data["models"]["Diary"]["fields"] == {"mood": {"type": "Mood", "default": "sad"}}


def test_plain_pydantic_models_without_documents_become_models(tmp_path: Path) -> None:
    data, warnings = _import(tmp_path, '''
from pydantic import BaseModel

class Point(BaseModel):
    x: float
    y: float

class Shape(BaseModel):
    name: str
    points: list[Point] = []
''')
    assert warnings == []
    assert list(data["embedded"]) == ["Point"]
    assert data["models"]["Shape"]["fields"]["points"] == {"type": "list[Point]", "default": []}


def test_expected_spec_fixture_is_valid_yaml() -> None:
    loaded = yaml.safe_load((FIXTURES / "models.expected.yaml").read_text())
    assert loaded["farmgen"] == 1


def test_recursive_pydantic_models_and_enum_aliases(tmp_path: Path) -> None:
    data, warnings = _import(tmp_path, '''
from enum import Enum
from beanie import Document
from pydantic import BaseModel

class Colour(str, Enum):
    RED = "red"
    CRIMSON = "red"
    BLUE = "blue"

class Category(BaseModel):
    name: str
    children: list["Category"] = []

class Shelf(Document):
    colour: Colour = Colour.CRIMSON
    category: Category
''')
    assert data["enums"] == {"Colour": ["red", "blue"]}
    assert data["models"]["Shelf"]["fields"]["colour"] == {"type": "Colour", "default": "red"}
    assert data["embedded"]["Category"]["fields"]["children"] == {
        "type": "list[json]",
        "default": [],
    }
    assert warnings == [
        "models.py:11:1: warning: Category.children: list[Category] refers back to Category "
        "(embedded types cannot contain themselves); imported as list[json]"
    ]


def test_column_type_enums_are_not_enums_and_empty_enums_are_skipped(tmp_path: Path) -> None:
    data, warnings = _import(tmp_path, '''
from enum import IntEnum
from sqlalchemy import Enum as SAEnum
from pymongo import ASCENDING, DESCENDING
from beanie import Document

class LabelType(SAEnum):
    cache_ok = True

class Direction(IntEnum):
    UP = ASCENDING
    DOWN = DESCENDING

class Sorting(Document):
    direction: Direction = Direction.UP
''')
    assert "enums" not in data
    assert data["models"]["Sorting"]["fields"]["direction"] == "json"
    assert warnings == [
        "models.py:10:1: warning: enum Direction has no values farmgen can read; skipped",
        "models.py:11:10: warning: Direction.UP: the value ASCENDING cannot be mapped; ignored",
        "models.py:12:12: warning: Direction.DOWN: the value DESCENDING cannot be mapped; ignored",
        "models.py:15:5: warning: Sorting.direction: type 'Direction' is not known to farmgen; "
        "imported as json",
        "models.py:15:28: warning: Sorting.direction: the default Direction.UP cannot be mapped; "
        "ignored",
    ]


def test_spec_markers_are_read_under_any_import_alias(tmp_path: Path) -> None:
    data, warnings = _import(tmp_path, '''
from typing import Annotated as A
from beanie import Document, Indexed, Link
import farmgen.runtime.fieldtypes as ft
from farmgen.runtime.fieldtypes import OnDelete as Rule, Private as Hidden

class Owner(Document):
    secret: A[str | None, Hidden()] = None
    token: A[str | None, ft.Private()] = None

class Pet(Document):
    owner: A[Link["Owner"], Indexed(), Rule("cascade")]
    keeper: A[Link[Owner] | None, ft.OnDelete(action="restrict")] = None
''')
    assert warnings == []
    assert data["models"]["Owner"]["fields"] == {
        "secret": {"type": "string?", "private": True},
        "token": {"type": "string?", "private": True},
    }
    assert data["models"]["Pet"]["fields"] == {
        "owner": {"type": "ref[Owner]", "index": True, "on_delete": "cascade"},
        "keeper": {"type": "ref[Owner]?", "on_delete": "restrict"},
    }
