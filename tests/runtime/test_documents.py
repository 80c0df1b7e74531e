"""The Beanie base document and mixins, on the MongoDB fixture."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

import pytest
from beanie import PydanticObjectId, init_beanie
from pydantic import BaseModel, Field, ValidationError

from farmgen.runtime.documents import (
    AuditMixin,
    BaseDocument,
    MetadataMixin,
    SearchableMixin,
    SoftDeleteMixin,
    TimestampMixin,
    build_search_text,
)

pytestmark = pytest.mark.mongodb


class Color(StrEnum):
    RED = "Red"
    BLUE = "Blue"


class Profile(BaseModel):
    first_name: str | None = None
    nicknames: list[str] = Field(default_factory=list)


class Address(BaseModel):
    city: str


class Person(
    TimestampMixin, SoftDeleteMixin, AuditMixin, MetadataMixin, SearchableMixin, BaseDocument
):
    search_fields: ClassVar[tuple[str, ...]] = (
        "email",
        "profile.first_name",
        "profile.nicknames",
        "addresses.city",
        "color",
    )

    email: str
    profile: Profile = Field(default_factory=Profile)
    addresses: list[Address] = Field(default_factory=list)
    color: Color = Color.RED
    score: int = 0

    class Settings(BaseDocument.Settings):
        name = "people"


class Note(SearchableMixin, BaseDocument):
    """Searchable without soft delete: nothing is filtered out."""

    search_fields: ClassVar[tuple[str, ...]] = ("text",)
    text: str


class Stamp(AuditMixin, TimestampMixin, BaseDocument):
    """Another order and subset of mixins."""

    label: str


@pytest.fixture
async def db(mongo_database: Any) -> AsyncIterator[Any]:
    await init_beanie(database=mongo_database, document_models=[Person, Note, Stamp])
    yield mongo_database


async def tick() -> None:
    """Let the clock pass a millisecond so that stored timestamps differ."""
    await asyncio.sleep(0.002)


async def test_timestamps_are_set_on_insert_and_move_on_every_write(db: Any) -> None:
    person = await Person(email="a@example.com").insert()
    created = person.created_at
    assert created.tzinfo is not None
    assert person.updated_at == created

    await tick()
    person.score = 1
    await person.save()
    after_save = person.updated_at
    assert after_save > created
    assert person.created_at == created

    await tick()
    await person.set({Person.score: 2})
    after_set = person.updated_at
    assert after_set > after_save

    await tick()
    await person.replace()
    assert person.updated_at > after_set

    stored = await Person.get(person.id)
    assert stored is not None
    assert stored.created_at == created
    assert stored.updated_at == person.updated_at
    assert stored.updated_at.tzinfo is not None


async def test_explicit_created_at_is_kept_on_insert(db: Any) -> None:
    when = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    stamp = await Stamp(label="old", created_at=when).insert()
    stored = await Stamp.get(stamp.id)
    assert stored is not None
    assert stored.created_at == when
    assert stored.updated_at > when


async def test_version_increments_once_per_write_of_an_existing_document(db: Any) -> None:
    person = Person(email="v@example.com", created_by="u1")
    await person.save()  # a new document: saved through an upsert, still version 1
    assert person.version == 1
    assert person.updated_by == "u1"

    await person.save()
    assert person.version == 2
    await person.set({Person.score: 5})
    assert person.version == 3
    await person.replace()
    assert person.version == 4

    person.increment_version("u2")
    await person.save()
    assert person.version == 5
    stored = await Person.get(person.id)
    assert stored is not None
    assert (stored.version, stored.updated_by, stored.created_by) == (5, "u2", "u1")


async def test_insert_keeps_version_one(db: Any) -> None:
    stamp = await Stamp(label="x").insert()
    stored = await Stamp.get(stamp.id)
    assert stored is not None
    assert stored.version == 1


async def test_soft_delete_restore_and_active_queries(db: Any) -> None:
    alive = await Person(email="alive@example.com").insert()
    gone = await Person(email="gone@example.com").insert()
    await gone.soft_delete()
    assert gone.is_deleted and gone.deleted_at is not None

    stored = await Person.get(gone.id)
    assert stored is not None and stored.is_deleted

    active = await Person.find_active().to_list()
    assert [p.email for p in active] == ["alive@example.com"]
    assert await Person.count_active() == 1
    assert await Person.count_active(Person.email == "gone@example.com") == 0
    assert await Person.find_by_id_active(gone.id) is None
    found = await Person.find_by_id_active(str(alive.id))
    assert found is not None and found.email == "alive@example.com"

    await gone.restore()
    assert not gone.is_deleted and gone.deleted_at is None
    assert await Person.count_active() == 2
    assert await Person.find_by_id_active(gone.id) is not None


async def test_documents_without_the_flag_count_as_active(db: Any) -> None:
    await db["people"].insert_one({"email": "legacy@example.com"})
    assert await Person.count_active() == 1


@pytest.mark.parametrize("bad_id", ["not-an-id", "", None, 42, "0" * 23])
async def test_find_by_id_active_returns_none_for_an_invalid_id(db: Any, bad_id: Any) -> None:
    await Person(email="a@example.com").insert()
    assert await Person.find_by_id_active(bad_id) is None


async def test_find_by_id_active_returns_none_for_an_unknown_id(db: Any) -> None:
    await Person(email="a@example.com").insert()
    assert await Person.find_by_id_active(PydanticObjectId()) is None
    assert await Person.find_by_id_active(str(PydanticObjectId())) is None


def test_search_text_follows_paths_flattens_lists_and_lowercases() -> None:
    person = Person(
        email="Ann@Example.com",
        profile=Profile(first_name="Ann", nicknames=["Annie", "A.B."]),
        addresses=[Address(city="Paris"), Address(city="Lyon")],
        color=Color.BLUE,
    )
    text = build_search_text(person, person.search_fields)
    assert text == "ann@example.com ann annie a.b. paris lyon blue"
    assert build_search_text(Note(text="  "), ("text",)) is None


async def test_search_vector_is_kept_on_insert_and_save(db: Any) -> None:
    person = await Person(email="x@example.com", profile=Profile(first_name="Zoe")).insert()
    assert person.search_vector == "x@example.com zoe red"
    person.profile.first_name = "Yann"
    await person.save()
    raw = await db["people"].find_one({"_id": person.id})
    assert raw["search_vector"] == "x@example.com yann red"


@pytest.mark.parametrize("query", [".*", "(", "[", "\\", "a+b", "$", "^x", "?", "|"])
async def test_search_takes_metacharacters_literally(db: Any, query: str) -> None:
    await Note(text="plain words").insert()
    assert await Note.search(query) == []
    literal = await Note(text=f"has {query} inside").insert()
    found = await Note.search(query)
    assert [note.id for note in found] == [literal.id]


async def test_search_is_case_insensitive_limited_and_skips_deleted(db: Any) -> None:
    first = await Person(email="one@example.com", profile=Profile(first_name="Maria")).insert()
    await Person(email="two@example.com", profile=Profile(first_name="Marianne")).insert()
    gone = await Person(email="three@example.com", profile=Profile(first_name="Mario")).insert()
    await gone.soft_delete()

    found = await Person.search("  MARI ")
    assert sorted(p.email for p in found) == ["one@example.com", "two@example.com"]
    assert len(await Person.search("mari", limit=1)) == 1
    assert [p.id for p in await Person.search("one@")] == [first.id]
    assert await Person.search("   ") == []


async def test_to_dict_gives_string_ids(db: Any) -> None:
    person = await Person(email="d@example.com", metadata={"ref": PydanticObjectId()}).insert()
    data = person.to_dict()
    assert data["id"] == str(person.id)
    assert isinstance(data["metadata"]["ref"], str)
    assert "deleted_at" not in data
    assert "deleted_at" in person.to_dict(exclude_none=False)
    assert isinstance(data["created_at"], datetime)


def test_get_collection_name_before_and_after_init() -> None:
    class Unbound(BaseDocument):
        class Settings:
            name = "unbound_things"

    class Plain(BaseDocument):
        pass

    assert Unbound.get_collection_name() == "unbound_things"
    assert Plain.get_collection_name() == "Plain"


async def test_get_collection_name_after_init(db: Any) -> None:
    assert Person.get_collection_name() == "people"
    assert Note.get_collection_name() == "Note"


def test_metadata_and_tag_helpers() -> None:
    person = Person(email="m@example.com")
    person.add_tag("vip")
    person.add_tag("vip")
    person.add_tag("beta")
    person.remove_tag("beta")
    person.remove_tag("absent")
    assert person.tags == ["vip"]
    assert person.has_tag("vip")
    person.set_metadata("plan", "gold")
    assert person.get_metadata("plan") == "gold"
    assert person.get_metadata("missing", 7) == 7


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
async def test_settings_inherit_validation_on_save(db: Any) -> None:
    person = await Person(email="ok@example.com").insert()
    person.score = "not a number"  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        await person.save()
    assert Person.get_settings().validate_on_save


MIXINS = (TimestampMixin, SoftDeleteMixin, AuditMixin, MetadataMixin, SearchableMixin)


def _combinations() -> list[tuple[type[Any], ...]]:
    subsets = [
        combo for size in range(len(MIXINS) + 1) for combo in itertools.combinations(MIXINS, size)
    ]
    # Every subset in the canonical order, and every subset reversed.
    return subsets + [tuple(reversed(combo)) for combo in subsets if len(combo) > 1]


async def test_every_combination_and_order_of_mixins_works(mongo_database: Any) -> None:
    models: list[type[Any]] = []
    for number, combo in enumerate(_combinations()):
        namespace: dict[str, Any] = {"__annotations__": {"label": "str"}, "__module__": __name__}
        if SearchableMixin in combo:
            namespace["search_fields"] = ("label",)
        models.append(type(f"Combo{number}", (*combo, BaseDocument), namespace))
    await init_beanie(database=mongo_database, document_models=models)

    for model in models:
        doc = await model(label="Some Label").insert()
        first_update = getattr(doc, "updated_at", None)
        await tick()
        doc.label = "Other Label"
        await doc.save()
        stored = await model.get(doc.id)
        assert stored is not None and stored.label == "Other Label", model.__mro__
        if issubclass(model, TimestampMixin):
            assert stored.updated_at > first_update
        if issubclass(model, AuditMixin):
            assert stored.version == 2
        if issubclass(model, SearchableMixin):
            assert [d.id for d in await model.search("other lab")] == [doc.id]
        if issubclass(model, SoftDeleteMixin):
            await stored.soft_delete()
            assert await model.count_active() == 0
        if issubclass(model, MetadataMixin):
            stored.add_tag("x")
            assert stored.tags == ["x"]


async def test_a_document_defined_after_init_beanie_has_clean_defaults(db: Any) -> None:
    class Late(TimestampMixin, BaseDocument):
        label: str

    late = Late(label="x")
    assert late.id is None and late.revision_id is None
    await init_beanie(database=db, document_models=[Late])
    await late.insert()
    assert isinstance(late.id, PydanticObjectId)
