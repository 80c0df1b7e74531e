"""The Python targets on hand-built schemas: names that collide with library names,
layout that black keeps, and output that imports."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import black
import pytest
from beanie import init_beanie

from farmgen.diagnostics import FarmgenError
from farmgen.format import PythonFormatter
from farmgen.ir import (
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
from farmgen.ir.types import EmbeddedRef, EnumRef
from farmgen.render import TemplateRenderer
from farmgen.targets.base import RenderContext
from farmgen.targets.beanie import BeanieOptions, BeanieTarget
from farmgen.targets.python import attr_name
from farmgen.targets.sqlalchemy import SqlAlchemyOptions, SqlAlchemyTarget
from tests.generated.support import import_generated, unload, unload_sqlalchemy
from tests.unit.targets.sample import EmbeddedType, enum, sample_schema

SRC = "schemas/names.yaml"


def clashing_schema() -> Schema:
    """Models, an embedded type and an enum named like what the output imports."""
    s = Scalar(ScalarKind.STRING)
    return Schema(
        enums=(enum("StrEnum", ["a", "b"], SRC),),
        embedded=(EmbeddedType("BaseModel", (Field("x", s, optional=True),), source=SRC),),
        models=(
            Model(
                "Field",
                "fields",
                (
                    Field("name", s, index=True),
                    Field("kind", EnumRef("StrEnum")),
                    Field("extra", EmbeddedRef("BaseModel")),
                ),
                indexes=(Index("ix_fields_name", (IndexKey("name"),), from_field=True),),
                source=SRC,
            ),
            Model(
                "Index",
                "indexes",
                (Field("field", ModelRef("Field"), on_delete=OnDelete.CASCADE),),
                source=SRC,
            ),
            Model(
                "Link",
                "links",
                (Field("index", ModelRef("Index"), optional=True, on_delete=OnDelete.SET_NULL),),
                source=SRC,
            ),
            Model("Base", "bases", (Field("mapped_column", s, optional=True),), source=SRC),
        ),
        sources=(SRC,),
    )


def render(target: object, schema: Schema, options: object, tmp: Path, name: str) -> Path:
    context = RenderContext(TemplateRenderer(target.name), "0.0.0", 88)  # type: ignore[attr-defined]
    out = tmp / name
    out.mkdir()
    for file in target.render(schema, options, context):  # type: ignore[attr-defined]
        assert black.format_str(file.content, mode=black.Mode(line_length=88)) == file.content
        (out / file.path).write_text(file.content, encoding="utf-8")
    return out


@pytest.fixture
def beanie_clash(tmp_path: Path) -> Iterator[ModuleType]:
    out = render(BeanieTarget(), clashing_schema(), BeanieOptions(), tmp_path, "b")
    module = import_generated("clash", "beanie", out)
    yield module
    unload(module.__name__)


@pytest.fixture
def sql_clash(tmp_path: Path) -> Iterator[ModuleType]:
    out = render(SqlAlchemyTarget(), clashing_schema(), SqlAlchemyOptions(), tmp_path, "s")
    module = import_generated("clash", "sqlalchemy", out)
    yield module
    unload_sqlalchemy(module)


async def test_beanie_aliases_library_names_the_schema_declares(
    beanie_clash: ModuleType, mongo_database: Any
) -> None:
    await init_beanie(database=mongo_database, document_models=beanie_clash.DOCUMENT_MODELS)
    assert beanie_clash.Field.__name__ == "Field"
    assert beanie_clash.Link.model_fields["index"].annotation is not None
    doc = await beanie_clash.Field(name="n", kind="a", extra={"x": "y"}).insert()
    found = await beanie_clash.Field.get(doc.id)
    assert found.kind is beanie_clash.StrEnum.A and found.extra.x == "y"
    source = Path(beanie_clash.__file__).with_name("documents.py").read_text()
    assert "Link as _Link" in source
    assert 'field: Annotated[_Link[Field], OnDelete("cascade")]' in source
    embedded = Path(beanie_clash.__file__).with_name("embedded.py").read_text()
    assert "class BaseModel(_BaseModel):" in embedded


def test_sqlalchemy_aliases_library_names_the_schema_declares(sql_clash: ModuleType) -> None:
    table = sql_clash.Field.__table__
    assert {c.name for c in table.columns} == {"id", "name", "kind", "extra"}
    assert {i.name for i in table.indexes} == {"ix_fields_name"}
    assert sql_clash.Base.__tablename__ == "bases"
    assert "mapped_column" in sql_clash.Base.__table__.columns
    source = Path(sql_clash.__file__).with_name("models.py").read_text()
    assert "Index as _Index" in source


def test_a_beanie_document_field_named_self_is_refused(tmp_path: Path) -> None:
    schema = Schema(
        models=(Model("M", "ms", (Field("self", Scalar(ScalarKind.INT)),), source=SRC),),
        sources=(SRC,),
    )
    with pytest.raises(FarmgenError, match="cannot store a field named 'self'"):
        render(BeanieTarget(), schema, BeanieOptions(), tmp_path, "b")


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("class", "class_"),
        ("model_config", "model_config_"),
        ("metadata", "metadata_"),
        ("self", "self_"),
        ("first-login", "first_login"),
        ("1st", "f_1st"),
        ("_x", "f_x"),
        ("\ufb01le", "file"),
        ("café", "café"),
        ("plain", "plain"),
    ],
)
def test_attribute_names(name: str, attr: str) -> None:
    assert attr_name(name) == attr


@pytest.mark.parametrize("line_length", [60, 88, 120])
def test_layout_follows_the_project_line_length(tmp_path: Path, line_length: int) -> None:
    schema = sample_schema()
    for target, options in (
        (BeanieTarget(), BeanieOptions()),
        (SqlAlchemyTarget(), SqlAlchemyOptions()),
    ):
        context = RenderContext(TemplateRenderer(target.name), "0.0.0", line_length)
        formatter = PythonFormatter(line_length)
        for file in target.render(schema, options, context):
            mode = black.Mode(line_length=line_length)
            expected = black.format_str(file.content, mode=mode)
            assert formatter.format(file.content) == expected, file.path


def test_sample_schema_renders_every_file(tmp_path: Path) -> None:
    out = render(BeanieTarget(), sample_schema(), BeanieOptions(), tmp_path, "b")
    assert sorted(p.name for p in out.iterdir()) == [
        "__init__.py",
        "documents.py",
        "embedded.py",
        "enums.py",
    ]
    shutil.rmtree(out)


async def test_time_values_are_stored_as_iso_strings_also_inside_embedded_types(
    tmp_path: Path, mongo_database: Any
) -> None:
    from datetime import time

    t = Scalar(ScalarKind.TIME)
    schema = Schema(
        embedded=(EmbeddedType("Slot", (Field("at", t),), source=SRC),),
        models=(
            Model(
                "Shift",
                "shifts",
                (Field("slots", ListOf(EmbeddedRef("Slot"))), Field("start", t)),
                source=SRC,
            ),
        ),
        sources=(SRC,),
    )
    out = render(BeanieTarget(), schema, BeanieOptions(), tmp_path, "b")
    assert "bson_encoders = {time: time.isoformat}" in (out / "documents.py").read_text()
    module = import_generated("timeslots", "beanie", out)
    try:
        await init_beanie(database=mongo_database, document_models=module.DOCUMENT_MODELS)
        shift = await module.Shift(slots=[{"at": time(9, 30)}], start=time(8, 0)).insert()
        raw = await mongo_database["shifts"].find_one({"_id": shift.id})
        assert raw["start"] == "08:00:00" and raw["slots"] == [{"at": "09:30:00"}]
        found = await module.Shift.get(shift.id)
        assert found.slots[0].at == time(9, 30)
    finally:
        unload(module.__name__)


def test_bytes_travel_as_base64_in_json(tmp_path: Path) -> None:
    import base64

    b = Scalar(ScalarKind.BYTES)
    schema = Schema(
        embedded=(
            EmbeddedType("Blob", (Field("data", b), Field("class", b, optional=True)), source=SRC),
        ),
        sources=(SRC,),
    )
    out = render(BeanieTarget(), schema, BeanieOptions(), tmp_path, "b")
    text = (out / "embedded.py").read_text()
    assert 'ser_json_bytes="base64", val_json_bytes="base64"' in text
    module = import_generated("blobs", "beanie", out)
    try:
        blob = module.Blob(data=b"\x00\xff", class_=None)
        dumped = blob.model_dump_json(by_alias=True)
        assert base64.b64encode(b"\x00\xff").decode() in dumped
        assert module.Blob.model_validate_json(dumped) == blob
    finally:
        unload(module.__name__)
