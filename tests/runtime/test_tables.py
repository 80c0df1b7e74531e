"""The SQLAlchemy base, mixins and column types, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    MetaData,
    String,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from farmgen.runtime.tables import (
    NAMING_CONVENTION,
    AuditMixin,
    Base,
    EmbeddedJSON,
    JSONValue,
    MetadataMixin,
    ModelConventions,
    SearchableMixin,
    SoftDeleteMixin,
    StrEnumType,
    TimestampMixin,
    UTCDateTime,
    bounded_name,
    new_base,
)

Model = new_base("TestModel")


class Status(StrEnum):
    ACTIVE = "active"
    PENDING_VERIFICATION = "pending_verification"


class Profile(BaseModel):
    first_name: str | None = None
    timezone: str = "UTC"


class Address(BaseModel):
    city: str


class Person(TimestampMixin, SoftDeleteMixin, AuditMixin, MetadataMixin, SearchableMixin, Model):
    __tablename__ = "people"
    search_fields: ClassVar[tuple[str, ...]] = ("email", "profile.first_name", "addresses.city")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[Status] = mapped_column(
        StrEnumType(Status, name="person_status"), default=Status.PENDING_VERIFICATION, index=True
    )
    profile: Mapped[Profile] = mapped_column(EmbeddedJSON(Profile), default=Profile)
    addresses: Mapped[list[Address]] = mapped_column(EmbeddedJSON(list[Address]), default=list)
    settings: Mapped[dict[str, Address] | None] = mapped_column(EmbeddedJSON(dict[str, Address]))
    extra: Mapped[Any] = mapped_column(JSONValue, nullable=True)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[int] = mapped_column(Integer, default=0)


class Post(TimestampMixin, Model):
    __tablename__ = "posts"
    __table_args__ = (CheckConstraint("likes >= 0", name="likes_not_negative"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    likes: Mapped[int] = mapped_column(Integer, default=0)
    a_rather_long_column_name_for_an_index_to_test_the_limit: Mapped[int] = mapped_column(
        Integer, default=0, index=True
    )


class Note(SearchableMixin, Model):
    """Searchable without soft delete."""

    __tablename__ = "notes"
    search_fields: ClassVar[tuple[str, ...]] = ("body",)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    body: Mapped[str] = mapped_column(String(200))


@pytest.fixture
async def engine(sql_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(sql_url)
    async with engine.begin() as conn:
        await conn.run_sync(Model.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def add(sessions: async_sessionmaker[AsyncSession], *rows: Any) -> None:
    async with sessions() as session, session.begin():
        session.add_all(rows)


async def tick() -> None:
    """Let the database clock move on, so that a later timestamp differs."""
    await asyncio.sleep(0.01)


def test_base_has_the_naming_convention() -> None:
    assert Base.metadata.naming_convention == NAMING_CONVENTION
    assert Model.metadata is not Base.metadata


def test_bounded_name_is_deterministic_and_short() -> None:
    assert bounded_name("ix_users_email") == "ix_users_email"
    long = "ix_" + "x" * 100
    assert len(bounded_name(long)) == 63
    assert bounded_name(long) == bounded_name(long)
    assert bounded_name(long) != bounded_name(long + "y")


async def test_embedded_json_round_trip_returns_pydantic_values(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = Person(
        email="a@example.com",
        profile=Profile(first_name="Ann"),
        addresses=[Address(city="Paris"), {"city": "Lyon"}],
        settings={"home": Address(city="Nice")},
        extra={"nested": [1, "two", None]},
    )
    await add(sessions, person)
    async with sessions() as session:
        stored = await session.get(Person, person.id)
        assert stored is not None
        assert stored.profile == Profile(first_name="Ann")
        assert stored.addresses == [Address(city="Paris"), Address(city="Lyon")]
        assert stored.settings == {"home": Address(city="Nice")}
        assert stored.extra == {"nested": [1, "two", None]}
        raw = (await session.execute(text("SELECT settings FROM people"))).scalar_one()
    assert "Nice" in str(raw)


async def test_embedded_json_rejects_invalid_values(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(Exception, match="city"):
        await add(sessions, Person(email="b@example.com", addresses=[{"town": "x"}]))


async def test_utc_datetime_returns_aware_datetimes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plus_two = datetime(2024, 5, 6, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    person = Person(email="t@example.com", seen_at=plus_two)
    await add(sessions, person)
    async with sessions() as session:
        stored = (await session.scalars(Person.select_active())).one()
        assert stored.seen_at == plus_two
        assert stored.seen_at is not None and stored.seen_at.utcoffset() == timedelta(0)
        assert stored.created_at.tzinfo is not None
        later = await Person.find_active(session, Person.seen_at > plus_two - timedelta(seconds=1))
    assert [p.id for p in later] == [person.id]


async def test_str_enum_stores_values(sessions: async_sessionmaker[AsyncSession]) -> None:
    await add(
        sessions, Person(email="e@example.com"), Person(email="f@example.com", status="active")
    )
    async with sessions() as session:
        raw = (await session.execute(text("SELECT status FROM people ORDER BY email"))).all()
        assert [str(row[0]) for row in raw] == ["pending_verification", "active"]
        loaded = await Person.find_active(session, order_by=[Person.email])
    assert [p.status for p in loaded] == [Status.PENDING_VERIFICATION, Status.ACTIVE]
    with pytest.raises(StatementError, match="not among the defined enum values"):
        await add(sessions, Person(email="g@example.com", status="ACTIVE"))


async def test_timestamps_are_set_by_the_database(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    person = Person(email="ts@example.com")
    await add(sessions, person)
    created = person.created_at
    assert created.tzinfo is not None
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=5)
    assert person.updated_at == created

    await tick()
    async with sessions() as session, session.begin():
        session.add(person)
        person.score = 3
    assert person.updated_at > created
    assert person.created_at == created

    async with engine.begin() as conn:  # a row written without the ORM gets them too
        await conn.execute(
            text(
                "INSERT INTO posts (id, author_id, title, likes, "
                "a_rather_long_column_name_for_an_index_to_test_the_limit) "
                "VALUES (:id, :author, 'raw', 0, 0)"
            ),
            {"id": _uuid_param(engine, uuid.uuid4()), "author": _uuid_param(engine, person.id)},
        )
    async with sessions() as session:
        post = (await session.scalars(select(Post))).one()
    assert post.created_at.tzinfo is not None
    assert post.created_at >= created


def _uuid_param(engine: AsyncEngine, value: uuid.UUID) -> Any:
    """UUIDs as each database's ``Uuid`` column stores them, for raw SQL."""
    if engine.dialect.name == "postgresql":
        return value
    return value.hex


async def test_version_increments_on_each_update(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = Person(email="v@example.com", created_by="u1")
    await add(sessions, person)
    assert person.version == 1
    assert person.updated_by == "u1"

    async with sessions() as session, session.begin():
        session.add(person)
        person.score = 1
    assert person.version == 2

    async with sessions() as session, session.begin():
        session.add(person)
        person.increment_version("u2")
    assert (person.version, person.updated_by) == (3, "u2")

    async with sessions() as session, session.begin():
        session.add(person)
        person.increment_version()  # same author: still an UPDATE
    assert person.version == 4

    async with sessions() as session:
        stored = await Person.find_by_id_active(session, person.id)
        assert stored is not None and stored.version == 4


async def test_a_concurrent_change_is_not_lost(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = Person(email="c@example.com")
    await add(sessions, person)
    async with sessions() as first, sessions() as second:
        one = await first.get(Person, person.id)
        two = await second.get(Person, person.id)
        assert one is not None and two is not None
        one.score = 1
        await first.commit()
        two.score = 2
        with pytest.raises(StaleDataError):
            await second.commit()


async def test_soft_delete_and_active_queries(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    alive, gone = Person(email="alive@example.com"), Person(email="gone@example.com")
    await add(sessions, alive, gone)
    async with sessions() as session, session.begin():
        session.add(gone)
        gone.soft_delete()
    assert gone.is_deleted and gone.deleted_at is not None

    async with sessions() as session:
        assert [p.email for p in await Person.find_active(session)] == ["alive@example.com"]
        assert await Person.count_active(session) == 1
        assert await Person.count_active(session, Person.email == "gone@example.com") == 0
        assert await Person.find_by_id_active(session, gone.id) is None
        found = await Person.find_by_id_active(session, str(alive.id))
        assert found is not None and found.email == "alive@example.com"
        for bad in ("not-an-id", "", None, 42, uuid.uuid4(), str(uuid.uuid4())):
            assert await Person.find_by_id_active(session, bad) is None

    async with sessions() as session, session.begin():
        session.add(gone)
        gone.restore()
    async with sessions() as session:
        assert await Person.count_active(session) == 2
        page = await Person.find_active(session, order_by=[Person.email], limit=1, offset=1)
        assert [p.email for p in page] == ["gone@example.com"]


async def test_metadata_and_tags(sessions: async_sessionmaker[AsyncSession]) -> None:
    person = Person(email="m@example.com")
    person.add_tag("vip")
    person.set_metadata("plan", "gold")
    await add(sessions, person)
    async with sessions() as session, session.begin():
        session.add(person)
        person.add_tag("beta")
        person.remove_tag("vip")
        person.metadata_["seats"] = 3  # in-place changes are tracked too
    async with sessions() as session:
        stored = await session.get(Person, person.id)
        assert stored is not None
        assert stored.tags == ["beta"]
        assert stored.metadata_ == {"plan": "gold", "seats": 3}
        assert stored.get_metadata("plan") == "gold" and stored.has_tag("beta")
        raw = (await session.execute(text("SELECT tags FROM people"))).scalar_one()
    assert "beta" in str(raw)
    assert "metadata" in Person.__table__.c


async def test_search_vector_is_kept_up_to_date_on_flush(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = Person(
        email="S@Example.com", profile=Profile(first_name="Zoe"), addresses=[Address(city="Oslo")]
    )
    await add(sessions, person)
    assert person.search_vector == "s@example.com zoe oslo"
    async with sessions() as session, session.begin():
        session.add(person)
        person.profile = Profile(first_name="Yann")
    async with sessions() as session:
        raw = (await session.execute(text("SELECT search_vector FROM people"))).scalar_one()
    assert raw == "s@example.com yann oslo"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", ["100% sure"]),
        ("_", ["a_b"]),
        ("/", ["a/b"]),
        ("\\", ["back\\slash"]),
        ("A_B", ["a_b"]),
        ("SURE", ["100% sure"]),
        ("'", ["it's"]),
        ("zzz", []),
    ],
)
async def test_search_is_literal_and_case_insensitive(
    sessions: async_sessionmaker[AsyncSession], query: str, expected: list[str]
) -> None:
    bodies = ["100% sure", "a_b", "axb", "a/b", "back\\slash", "it's", "plain"]
    await add(sessions, *(Note(body=body) for body in bodies))
    async with sessions() as session:
        found = await Note.search(session, query)
    assert sorted(note.body for note in found) == expected


async def test_search_skips_soft_deleted_rows_and_limits(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    rows = [Person(email=f"user{i}@example.com") for i in range(3)]
    rows[0].soft_delete()
    await add(sessions, *rows)
    async with sessions() as session:
        assert len(await Person.search(session, "USER")) == 2
        assert len(await Person.search(session, "user", limit=1)) == 1
        assert await Person.search(session, "  ") == []


async def test_naming_convention_names_reach_the_database(engine: AsyncEngine) -> None:
    def reflect(sync_conn: Any) -> dict[str, Any]:
        inspector = inspect(sync_conn)
        return {
            "indexes": {ix["name"] for t in ("people", "posts") for ix in inspector.get_indexes(t)},
            "uniques": {uq["name"] for uq in inspector.get_unique_constraints("people")},
            "fks": {fk["name"] for fk in inspector.get_foreign_keys("posts")},
            "pk": inspector.get_pk_constraint("posts")["name"],
            "checks": {ck["name"] for ck in inspector.get_check_constraints("posts")},
        }

    async with engine.connect() as conn:
        found = await conn.run_sync(reflect)
    long_ix = "ix_posts_a_rather_long_column_name_for_an_index_to_test_the_limit"
    assert "ix_people_status" in found["indexes"]
    assert bounded_name(long_ix) in found["indexes"]
    assert all(len(name) <= 63 for name in found["indexes"])
    assert "uq_people_email" in found["uniques"]
    assert found["fks"] == {"fk_posts_author_id_people"}
    assert "ck_posts_likes_not_negative" in found["checks"]
    if engine.dialect.name != "mysql":  # MySQL names every primary key PRIMARY
        assert found["pk"] == "pk_posts"


MIXINS = (TimestampMixin, SoftDeleteMixin, AuditMixin, MetadataMixin, SearchableMixin)


def _combination_models() -> tuple[Any, list[type[Any]]]:
    """A model for every subset of the mixins in canonical order, and each subset reversed."""
    base = new_base("ComboBase")
    subsets = [c for n in range(len(MIXINS) + 1) for c in itertools.combinations(MIXINS, n)]
    subsets += [tuple(reversed(c)) for c in subsets if len(c) > 1]
    models = []
    for number, combo in enumerate(subsets):
        namespace: dict[str, Any] = {
            "__tablename__": f"combo_{number}",
            "__annotations__": {"id": Mapped[uuid.UUID], "label": Mapped[str]},
            "id": mapped_column(primary_key=True, default=uuid.uuid4),
            "label": mapped_column(String(50)),
        }
        if SearchableMixin in combo:
            namespace["search_fields"] = ("label",)
        models.append(type(f"Combo{number}", (*combo, base), namespace))
    return base, models


async def test_every_combination_and_order_of_mixins_works(sql_url: str) -> None:
    base, models = _combination_models()
    engine = create_async_engine(sql_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(base.metadata.create_all)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        rows = [model(label="Some Label") for model in models]
        await add(sessions, *rows)
        await tick()
        async with sessions() as session, session.begin():
            session.add_all(rows)
            for row in rows:
                row.label = "Other Label"
        for model, row in zip(models, rows, strict=True):
            await _check_combination(sessions, model, row)
    finally:
        await engine.dispose()


async def _check_combination(
    sessions: async_sessionmaker[AsyncSession], model: Any, row: Any
) -> None:
    if issubclass(model, TimestampMixin):
        assert row.updated_at > row.created_at, model.__mro__
    if issubclass(model, AuditMixin):
        assert row.version == 2, model.__mro__
    async with sessions() as session:
        if issubclass(model, SearchableMixin):
            assert [r.id for r in await model.search(session, "other lab")] == [row.id]
        if issubclass(model, SoftDeleteMixin):
            assert await model.count_active(session) == 1


async def test_timestamps_without_server_defaults_in_the_table(sql_url: str) -> None:
    """The ORM's INSERT computes the timestamps in the database even without DDL defaults."""
    engine = create_async_engine(sql_url)
    try:
        async with engine.begin() as conn:
            stamp = {"postgresql": "TIMESTAMPTZ", "mysql": "DATETIME(6)"}.get(
                engine.dialect.name, "DATETIME"
            )
            await conn.execute(
                text(
                    "CREATE TABLE bare_posts (id CHAR(32) PRIMARY KEY, "
                    f"title VARCHAR(200) NOT NULL, created_at {stamp} NOT NULL, "
                    f"updated_at {stamp} NOT NULL)"
                )
            )
        with pytest.raises((IntegrityError, OperationalError)):  # the table has no defaults
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO bare_posts (id, title) VALUES ('a', 'b')"))
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        row = BarePost(title="x")
        await add(sessions, row)
        assert row.created_at.tzinfo is not None
        assert abs(row.created_at - datetime.now(UTC)) < timedelta(minutes=5)
    finally:
        await engine.dispose()


class BarePost(TimestampMixin, new_base("BareBase")):  # type: ignore[misc]
    __tablename__ = "bare_posts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    title: Mapped[str] = mapped_column(String(200))


async def test_str_enum_has_a_named_check_constraint_on_sqlite(sqlite_url: str) -> None:
    engine = create_async_engine(sqlite_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Model.metadata.create_all)
            checks = await conn.run_sync(lambda sync: inspect(sync).get_check_constraints("people"))
        assert "ck_people_status_enum" in {check["name"] for check in checks}
    finally:
        await engine.dispose()


def test_a_project_base_of_its_own_gets_the_same_mapping() -> None:
    class ProjectBase(ModelConventions, DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING_CONVENTION)

    class Account(TimestampMixin, AuditMixin, ProjectBase):
        __tablename__ = "accounts"
        id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
        seen: Mapped[datetime | None]

    mapper = Account.__mapper__
    assert mapper.version_id_col is Account.__table__.c.version
    assert mapper.eager_defaults is True
    assert isinstance(Account.__table__.c.seen.type, UTCDateTime)
    assert ProjectBase.metadata is not Base.metadata
    assert Account.__table__.primary_key.name == "pk_accounts"


async def test_expired_attributes_load_through_awaitable_attrs(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = Person(email="lazy@example.com")
    await add(sessions, person)
    await add(sessions, Post(author_id=person.id, title="First"))
    async with sessions() as session:
        post = (await session.execute(select(Post))).scalars().one()
        session.expire(post, ["title"])
        assert await post.awaitable_attrs.title == "First"
