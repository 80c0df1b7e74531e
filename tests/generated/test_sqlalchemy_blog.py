"""Relationship behaviour of the blog example's SQLAlchemy models on every database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import delete, event, inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import selectinload

from tests.generated.support import import_generated, unload_sqlalchemy


@pytest.fixture(scope="module")
def blog() -> Iterator[ModuleType]:
    module = import_generated("blog", "sqlalchemy")
    yield module
    unload_sqlalchemy(module)


@pytest.fixture
async def engine(sql_url: str, blog: ModuleType) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(sql_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    async with engine.begin() as conn:
        await conn.run_sync(blog.Base.metadata.create_all)
    yield engine
    await engine.dispose()


def _user(blog: ModuleType, name: str) -> Any:
    return blog.User(email=f"{name}@example.com", username=name)


async def _seed(engine: AsyncEngine, blog: ModuleType) -> dict[str, Any]:
    ann = _user(blog, "ann")
    bob = _user(blog, "bob")
    tag = blog.Tag(name="python", slug="python")
    post = blog.Post(author=ann, title="Hello", slug="hello", body="...", tags=[tag])
    comment = blog.Comment(post=post, author=bob, body="Nice")
    reply = blog.Comment(post=post, author=ann, body="Thanks", parent=comment)
    page = blog.AuthorPage(user=ann, headline="Ann writes")
    async with AsyncSession(engine, expire_on_commit=False) as session:
        session.add_all([ann, bob, tag, post, comment, reply, page])
        await session.commit()
    return {
        "ann": ann,
        "bob": bob,
        "tag": tag,
        "post": post,
        "comment": comment,
        "reply": reply,
        "page": page,
    }


async def test_relationships_load_from_both_sides(engine: AsyncEngine, blog: ModuleType) -> None:
    seeded = await _seed(engine, blog)
    async with AsyncSession(engine) as session:
        ann = (
            await session.scalars(
                select(blog.User)
                .where(blog.User.id == seeded["ann"].id)
                .options(
                    selectinload(blog.User.posts)
                    .selectinload(blog.Post.tags)
                    .selectinload(blog.Tag.posts),
                    selectinload(blog.User.author_page),
                )
            )
        ).one()
        assert [p.slug for p in ann.posts] == ["hello"]
        assert [t.slug for t in ann.posts[0].tags] == ["python"]
        assert [p.slug for p in ann.posts[0].tags[0].posts] == ["hello"]
        assert ann.author_page.headline == "Ann writes"
        reply = (
            await session.scalars(
                select(blog.Comment)
                .where(blog.Comment.id == seeded["reply"].id)
                .options(selectinload(blog.Comment.parent))
            )
        ).one()
        assert reply.parent.id == seeded["comment"].id


async def test_deleting_a_user_cascades_and_sets_null(
    engine: AsyncEngine, blog: ModuleType
) -> None:
    seeded = await _seed(engine, blog)
    async with AsyncSession(engine) as session:
        await session.execute(delete(blog.User).where(blog.User.id == seeded["bob"].id))
        await session.commit()
        comment = await session.get(blog.Comment, seeded["comment"].id)
        assert comment is not None and comment.author_id is None  # on_delete: set_null
        await session.execute(delete(blog.User).where(blog.User.id == seeded["ann"].id))
        await session.commit()
        # on_delete: cascade, through posts down to their comments and the tag links
        assert (await session.scalars(select(blog.Post))).all() == []
        assert (await session.scalars(select(blog.Comment))).all() == []
        assert (await session.scalars(select(blog.AuthorPage))).all() == []
        assert [t.slug for t in (await session.scalars(select(blog.Tag))).all()] == ["python"]


async def test_orm_delete_leaves_cascades_to_the_database(
    engine: AsyncEngine, blog: ModuleType
) -> None:
    seeded = await _seed(engine, blog)
    async with AsyncSession(engine) as session:
        ann = await session.get(blog.User, seeded["ann"].id)
        await session.delete(ann)
        await session.commit()
        assert (await session.scalars(select(blog.Post))).all() == []


async def test_check_constraint_rejects_out_of_range_values(
    engine: AsyncEngine, blog: ModuleType
) -> None:
    ann = _user(blog, "ann")
    post = blog.Post(author=ann, title="x", slug="x", body="x", view_count=-1)
    async with AsyncSession(engine) as session:
        session.add_all([ann, post])
        # MariaDB reports a failed CHECK as error 4025, which PyMySQL maps to OperationalError.
        with pytest.raises((IntegrityError, OperationalError), match="view_count"):
            await session.commit()


async def test_unique_index_rejects_duplicates(engine: AsyncEngine, blog: ModuleType) -> None:
    async with AsyncSession(engine) as session:
        session.add_all([blog.Tag(name="a", slug="same"), blog.Tag(name="b", slug="same")])
        with pytest.raises(IntegrityError):
            await session.commit()


async def test_foreign_keys_carry_on_delete(engine: AsyncEngine) -> None:
    def reflect(conn: Any) -> dict[str, str | None]:
        inspector = inspect(conn)
        return {
            f"{table}.{fk['constrained_columns'][0]}": (fk.get("options") or {}).get("ondelete")
            for table in ("posts", "comments", "author_pages", "posts_tags")
            for fk in inspector.get_foreign_keys(table)
        }

    async with engine.connect() as conn:
        found = await conn.run_sync(reflect)
    assert {k: (v or "").upper() for k, v in found.items()} == {
        "posts.author_id": "CASCADE",
        "comments.post_id": "CASCADE",
        "comments.author_id": "SET NULL",
        "comments.parent_id": "CASCADE",
        "author_pages.user_id": "CASCADE",
        "posts_tags.post_id": "CASCADE",
        "posts_tags.tag_id": "CASCADE",
    }


async def test_check_constraints_are_named_by_the_convention(engine: AsyncEngine) -> None:
    def reflect(conn: Any) -> set[str]:
        return {c["name"] for c in inspect(conn).get_check_constraints("posts")}

    async with engine.connect() as conn:
        names = await conn.run_sync(reflect)
    assert {"ck_posts_view_count_min", "ck_posts_rating_min", "ck_posts_rating_max"} <= names


async def test_published_at_keeps_its_instant(engine: AsyncEngine, blog: ModuleType) -> None:
    ann = _user(blog, "ann")
    when = datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    post = blog.Post(author=ann, title="t", slug="t", body="b", published_at=when)
    async with AsyncSession(engine) as session:
        session.add_all([ann, post])
        await session.commit()
    async with AsyncSession(engine) as session:
        found = (await session.scalars(select(blog.Post))).one()
        assert found.published_at == when
