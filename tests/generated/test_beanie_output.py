"""The committed Beanie output of every example, on the MongoDB fixture.

On the in-memory fake (no ``FARMGEN_TEST_MONGODB_URL``) index options such as
partial filters are accepted but not enforced; unique indexes are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import pytest
from beanie import Link, init_beanie
from pydantic import ValidationError
from pymongo.errors import DuplicateKeyError

from farmgen.ir import Model, Scalar, ScalarKind, Schema
from farmgen.project import load_project
from farmgen.targets.python import attr_name
from tests.generated.support import EXAMPLES_DIR
from tests.generated.values import Values

pytestmark = pytest.mark.mongodb


@pytest.fixture(scope="module")
def schema(example: str) -> Schema:
    return load_project(EXAMPLES_DIR / example).schema


@pytest.fixture
async def documents(mongo_database: Any, beanie_package: ModuleType) -> AsyncIterator[ModuleType]:
    await init_beanie(database=mongo_database, document_models=beanie_package.DOCUMENT_MODELS)
    yield beanie_package


def _insert_order(schema: Schema) -> list[Model]:
    """Models ordered so that every required reference points at an earlier model."""
    done: list[Model] = []
    pending = list(schema.models)
    while pending:
        for model in pending:
            needs = {
                f.ref_target for f in model.fields if f.ref_target and f.ref_target != model.name
            }
            if needs <= {m.name for m in done}:
                done.append(model)
                pending.remove(model)
                break
        else:
            raise AssertionError("reference cycle in the example")
    return done


def _ids(value: Any) -> Any:
    """The referenced ids of a ``Link``, a document or a list of either."""
    if isinstance(value, list):
        return [_ids(v) for v in value]
    if value is None:
        return None
    return value.ref.id if isinstance(value, Link) else value.id


async def _insert_all(schema: Schema, package: ModuleType) -> dict[str, Any]:
    values = Values(schema, package)
    inserted: dict[str, Any] = {}
    for serial, model in enumerate(_insert_order(schema)):
        data = values.fields(model.fields, serial)
        for field in model.own_fields:
            target = field.ref_target
            if target is None or target == model.name:
                continue
            data[attr_name(field.name)] = (
                [inserted[target]] if field.is_many_to_many else inserted[target]
            )
        inserted[model.name] = await getattr(package, model.name)(**data).insert()
    return inserted


async def test_every_document_round_trips(documents: ModuleType, schema: Schema) -> None:
    inserted = await _insert_all(schema, documents)
    for model in schema.models:
        cls = getattr(documents, model.name)
        found = await cls.get(inserted[model.name].id)
        assert found is not None
        for field in model.own_fields:
            attr = attr_name(field.name)
            got, want = getattr(found, attr), getattr(inserted[model.name], attr)
            if field.ref_target:
                assert _ids(got) == _ids(want), (model.name, field.name)
            else:
                assert got == want, (model.name, field.name)


async def test_documents_are_stored_under_the_spec_names(
    documents: ModuleType, schema: Schema, mongo_database: Any
) -> None:
    inserted = await _insert_all(schema, documents)
    for model in schema.models:
        raw = await mongo_database[model.collection].find_one({"_id": inserted[model.name].id})
        own = {f.name for f in model.fields if f.mixin is None}
        assert own <= set(raw), model.name


async def test_indexes_are_created_with_the_ir_names(
    documents: ModuleType, schema: Schema, mongo_database: Any
) -> None:
    for model in schema.models:
        info = await mongo_database[model.collection].index_information()
        expected = {i.name for i in model.indexes}
        assert expected <= set(info), model.name
        for index in model.indexes:
            assert bool(info[index.name].get("unique")) == index.unique, index.name
            if not index.text:
                keys = [(k.path, -1 if k.descending else 1) for k in index.keys]
                assert list(info[index.name]["key"]) == keys, index.name


async def test_update_round_trips(documents: ModuleType, schema: Schema) -> None:
    inserted = await _insert_all(schema, documents)
    user = inserted["User"]
    user.email = "changed@example.com"
    await user.save()
    found = await documents.User.get(user.id)
    assert found is not None and found.email == "changed@example.com"
    await found.set({documents.User.email: "again@example.com"})
    again = await documents.User.find_one(documents.User.email == "again@example.com")
    assert again is not None and again.id == user.id


async def test_invalid_changes_are_rejected_on_save(documents: ModuleType, schema: Schema) -> None:
    inserted = await _insert_all(schema, documents)
    user = inserted["User"]
    assert documents.User.get_settings().validate_on_save is True
    user.email = "not an e-mail"
    with pytest.raises(ValidationError):
        await user.save()


async def test_unique_index_rejects_a_duplicate(documents: ModuleType, schema: Schema) -> None:
    inserted = await _insert_all(schema, documents)
    copy = inserted["User"].model_copy(update={"id": None, "username": "someone_else"})
    with pytest.raises(DuplicateKeyError):
        await copy.insert()


def _violations(model: Model) -> list[tuple[str, Any]]:
    """Values that break each constraint of the model's own scalar fields."""
    found: list[tuple[str, Any]] = []
    for field in model.own_fields:
        c = field.constraints
        if c.max_length is not None:
            found.append((field.name, "x" * (c.max_length + 1)))
        if c.min_length is not None and c.min_length > 0:
            found.append((field.name, ""))
        if c.min is not None:
            found.append((field.name, c.min - 1))
        if c.max is not None:
            found.append((field.name, c.max + 1))
        if c.pattern is not None:
            found.append((field.name, "NOT / matching !"))
        if field.type == Scalar(ScalarKind.EMAIL):
            found.append((field.name, "not an e-mail"))
    return found


def test_constraints_reject_invalid_values(beanie_package: ModuleType, schema: Schema) -> None:
    user = schema.model("User")
    valid = Values(schema, beanie_package).fields(user.fields, 0)
    beanie_package.User(**valid)
    violations = _violations(user)
    assert violations
    for name, bad in violations:
        with pytest.raises(ValidationError, match=name):
            beanie_package.User(**{**valid, attr_name(name): bad})


def test_spec_markers_stay_out_of_the_json_schema(
    documents: ModuleType, schema: Schema
) -> None:
    import json

    from farmgen.runtime.fieldtypes import OnDelete, Private

    seen = 0
    for model in schema.models:
        cls = getattr(documents, model.name)
        text = json.dumps(cls.model_json_schema())
        assert "x-farmgen" not in text and "on_delete" not in text, model.name
        for f in model.own_fields:
            metadata = cls.model_fields[attr_name(f.name)].metadata
            if f.private:
                assert Private() in metadata, f.name
                seen += 1
            if any(isinstance(m, OnDelete) for m in metadata):
                assert OnDelete(f.on_delete.value if f.on_delete else "") in metadata
                seen += 1
    assert seen > 0
