"""SQLAlchemy 2 declarative base and mixins that generated models inherit.

A generated model lists the mixins its spec asks for before :class:`Base`::

    class User(TimestampMixin, SoftDeleteMixin, AuditMixin, MetadataMixin,
               SearchableMixin, Base):
        __tablename__ = "users"
        search_fields: ClassVar[tuple[str, ...]] = ("email", "profile.first_name")
        id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)

The mixins have the names and meaning of :mod:`farmgen.runtime.documents`:

* timestamps come from the database (``server_default``) and move on every UPDATE
  (``onupdate``); ``eager_defaults`` makes the ORM read them back after the flush,
  so they can be read without another await;
* ``version`` is SQLAlchemy's ``version_id_col``: 1 on INSERT, +1 in each UPDATE, and
  the UPDATE only matches the row at the version the object was loaded with, so a
  concurrent change raises ``StaleDataError`` instead of being lost silently;
* ``search_vector`` is rebuilt from ``search_fields`` before each INSERT and UPDATE.

The query helpers are async classmethods taking an ``AsyncSession``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    event,
    false,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncAttrs, AsyncSession
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, declared_attr, mapped_column
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.sql.naming import ConventionDict
from sqlalchemy.sql.schema import SchemaItem

from farmgen.runtime.documents import build_search_text
from farmgen.runtime.sqltypes import EmbeddedJSON, JSONValue, StrEnumType, UTCDateTime, utc_now

__all__ = [
    "MAX_NAME_LENGTH",
    "NAMING_CONVENTION",
    "AuditMixin",
    "Base",
    "EmbeddedJSON",
    "JSONValue",
    "MetadataMixin",
    "ModelConventions",
    "SearchableMixin",
    "SoftDeleteMixin",
    "StrEnumType",
    "TimestampMixin",
    "UTCDateTime",
    "bounded_name",
    "default_mapper_args",
    "new_base",
    "utc_now",
]

MAX_NAME_LENGTH = 63
"""PostgreSQL's identifier limit (MySQL allows 64): every conventional name fits it."""


def bounded_name(name: str, limit: int = MAX_NAME_LENGTH) -> str:
    """``name`` if short enough, else a prefix and 8 hex digits of its SHA-1: deterministic."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"{name[: limit - 9]}_{digest}"


def _token(template: str) -> Callable[[SchemaItem, Table], str]:
    def render(constraint: SchemaItem, table: Table) -> str:
        return bounded_name(template % ConventionDict(constraint, table, {}))  # type: ignore[no-untyped-call]

    return render


# The "ck" key contains "constraint_name" on purpose: SQLAlchemy then applies the
# convention to check constraints that were given a name.
NAMING_CONVENTION: dict[str, Any] = {
    "ix": "%(farmgen_ix)s",
    "uq": "%(farmgen_uq)s",
    "ck": "%(farmgen_ck_constraint_name)s",
    "fk": "%(farmgen_fk)s",
    "pk": "%(farmgen_pk)s",
    "farmgen_ix": _token("ix_%(table_name)s_%(column_0_N_name)s"),
    "farmgen_uq": _token("uq_%(table_name)s_%(column_0_N_name)s"),
    "farmgen_ck_constraint_name": _token("ck_%(table_name)s_%(constraint_name)s"),
    "farmgen_fk": _token("fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s"),
    "farmgen_pk": _token("pk_%(table_name)s"),
}
"""``ix_users_email``, ``uq_users_email``, ``ck_users_<name>``, ``fk_posts_author_id_users``,
``pk_users``; longer names are cut to :data:`MAX_NAME_LENGTH` with a hash suffix."""

TYPE_ANNOTATION_MAP: dict[Any, Any] = {
    datetime: UTCDateTime(),
    dict[str, Any]: JSONValue(),
    list[str]: JSONValue(),
}


def default_mapper_args(cls: Any) -> dict[str, Any]:
    """The mapper arguments :class:`Base` gives every model: ``eager_defaults`` (read the
    database's timestamps back in the flush) and, with :class:`AuditMixin`,
    ``version_id_col``. A model that needs more extends them in its own directive::

        @declared_attr.directive
        def __mapper_args__(cls) -> dict[str, Any]:
            return {**default_mapper_args(cls), "polymorphic_identity": "admin"}
    """
    args: dict[str, Any] = {"eager_defaults": True}
    table = cls.__dict__.get("__table__")
    if issubclass(cls, AuditMixin) and table is not None:
        args["version_id_col"] = table.c.version
    return args


class ModelConventions(AsyncAttrs):
    """What every farmgen declarative base has besides its metadata: the type map
    (``datetime`` → :class:`UTCDateTime`, ``dict[str, Any]``/``list[str]`` → JSON),
    :func:`default_mapper_args`, and ``awaitable_attrs`` for loading relationships
    lazily under asyncio (``await post.awaitable_attrs.author``). A project that wants a
    registry of its own declares::

        class Base(ModelConventions, DeclarativeBase):
            metadata = MetaData(naming_convention=NAMING_CONVENTION)
    """

    type_annotation_map = TYPE_ANNOTATION_MAP

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return default_mapper_args(cls)


class Base(ModelConventions, DeclarativeBase):
    """The declarative base of generated models: naming convention, UTC datetimes, JSON.

    Its ``metadata`` is shared by every model that inherits it in a process; declare
    a base of your own (see :class:`ModelConventions`) or call :func:`new_base` to
    keep several schemas with the same table names in one process.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def new_base(name: str = "Base") -> type[DeclarativeBase]:
    """A fresh declarative base with the conventions of :class:`Base` and its own metadata."""

    class IsolatedBase(ModelConventions, DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING_CONVENTION)

    IsolatedBase.__name__ = IsolatedBase.__qualname__ = name
    return IsolatedBase


# Mixin columns come after the model's own columns, in the order of the spec's mixins.
_ORDER = 10_000


class TimestampMixin:
    """``created_at``/``updated_at``: set by the database on INSERT and on every UPDATE.

    The value is computed by the database both through the column's server default
    (rows written without the ORM) and through a SQL expression in the ORM's own
    INSERT, so a table created without the server default still gets it.
    """

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utc_now(),
        server_default=utc_now(),
        nullable=False,
        sort_order=_ORDER + 1,
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utc_now(),
        server_default=utc_now(),
        onupdate=utc_now(),
        nullable=False,
        sort_order=_ORDER + 2,
    )


def _primary_key_column(cls: type[Any]) -> Any:
    mapper: Mapper[Any] = cls.__mapper__
    if len(mapper.primary_key) != 1:
        raise TypeError(f"{cls.__name__} needs a single-column primary key")
    return mapper.primary_key[0]


def _coerce_id(column: Any, value: Any) -> Any | None:
    """``value`` as the primary key's Python type, or None when it cannot be one."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    if value is None or isinstance(value, python_type):
        return value
    if python_type is uuid.UUID and not isinstance(value, str):
        return None  # uuid.UUID(42) would read 42 as the UUID's integer value
    try:
        return python_type(value)
    except (TypeError, ValueError):
        return None


class SoftDeleteMixin:
    """``deleted_at``/``is_deleted``, ``soft_delete()``/``restore()`` and active queries."""

    deleted_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, sort_order=_ORDER + 3
    )
    is_deleted: Mapped[bool] = mapped_column(
        Boolean(), default=False, server_default=false(), nullable=False, sort_order=_ORDER + 4
    )

    def soft_delete(self) -> None:
        """Mark the row deleted; the next flush writes it."""
        self.deleted_at = datetime.now(UTC)
        self.is_deleted = True

    def restore(self) -> None:
        """Clear the deleted mark; the next flush writes it."""
        self.deleted_at = None
        self.is_deleted = False

    @classmethod
    def active_clause(cls) -> ColumnElement[bool]:
        return cls.is_deleted == false()

    @classmethod
    def select_active(cls, *where: Any) -> Select[Any]:
        """``SELECT`` of the rows that match ``where`` and are not soft-deleted."""
        return select(cls).where(cls.active_clause(), *where)

    @classmethod
    async def find_active(
        cls,
        session: AsyncSession,
        *where: Any,
        order_by: Sequence[Any] = (),
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[Self]:
        statement = cls.select_active(*where).order_by(*order_by).limit(limit).offset(offset)
        return list((await session.scalars(statement)).all())

    @classmethod
    async def count_active(cls, session: AsyncSession, *where: Any) -> int:
        statement = select(func.count()).select_from(cls).where(cls.active_clause(), *where)
        return int((await session.execute(statement)).scalar_one())

    @classmethod
    async def find_by_id_active(cls, session: AsyncSession, row_id: Any) -> Self | None:
        """The active row with this primary key; None when the id is malformed or unknown."""
        column = _primary_key_column(cls)
        value = _coerce_id(column, row_id)
        if value is None:
            return None
        result: Self | None = await session.scalar(cls.select_active(column == value))
        return result


class AuditMixin:
    """``created_by``, ``updated_by`` and ``version`` (1 on INSERT, +1 on each UPDATE)."""

    created_by: Mapped[str | None] = mapped_column(
        String(255), nullable=True, sort_order=_ORDER + 5
    )
    updated_by: Mapped[str | None] = mapped_column(
        String(255), nullable=True, sort_order=_ORDER + 6
    )
    version: Mapped[int] = mapped_column(Integer(), nullable=False, sort_order=_ORDER + 7)

    def increment_version(self, user_id: str | None = None) -> None:
        """Record who changes the row and make the next flush UPDATE it (bumping ``version``)."""
        self.updated_by = user_id if user_id is not None else self.updated_by
        flag_modified(self, "updated_by")


class MetadataMixin:
    """A ``metadata`` JSON object (Python attribute ``metadata_``) and a ``tags`` JSON list."""

    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata",
        MutableDict.as_mutable(JSONValue()),
        default=dict,
        nullable=False,
        sort_order=_ORDER + 8,
    )
    tags: Mapped[list[str]] = mapped_column(
        MutableList.as_mutable(JSONValue()), default=list, nullable=False, sort_order=_ORDER + 9
    )

    def add_tag(self, tag: str) -> None:
        if tag not in (self.tags or []):
            self.tags = [*(self.tags or []), tag]

    def remove_tag(self, tag: str) -> None:
        if tag in (self.tags or []):
            self.tags = [item for item in self.tags if item != tag]

    def has_tag(self, tag: str) -> bool:
        return tag in (self.tags or [])

    def set_metadata(self, key: str, value: Any) -> None:
        self.metadata_ = {**(self.metadata_ or {}), key: value}

    def get_metadata(self, key: str, default: Any = None) -> Any:
        return (self.metadata_ or {}).get(key, default)


class SearchableMixin:
    """A ``search_vector`` rebuilt from ``search_fields`` on flush, and a literal ``search``."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    search_vector: Mapped[str | None] = mapped_column(Text(), nullable=True, sort_order=_ORDER + 10)

    def update_search_vector(self) -> None:
        self.search_vector = build_search_text(self, self.search_fields)

    @classmethod
    async def search(cls, session: AsyncSession, query: str, limit: int = 20) -> list[Self]:
        """Rows whose search text contains ``query``, case-insensitively and literally.

        ``%``, ``_`` and the escape character in ``query`` match themselves.
        Soft-deleted rows are left out when the model has :class:`SoftDeleteMixin`.
        """
        text = " ".join(query.split()).lower()
        if not text:
            return []
        statement = select(cls).where(cls.search_vector.contains(text, autoescape=True))
        if issubclass(cls, SoftDeleteMixin):
            statement = statement.where(cls.active_clause())
        return list((await session.scalars(statement.limit(limit))).all())


def _before_write(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    target.update_search_vector()


def _audit_before_insert(mapper: Mapper[Any], connection: Any, target: AuditMixin) -> None:
    if target.updated_by is None:
        target.updated_by = target.created_by


event.listen(SearchableMixin, "before_insert", _before_write, propagate=True)
event.listen(SearchableMixin, "before_update", _before_write, propagate=True)
event.listen(AuditMixin, "before_insert", _audit_before_insert, propagate=True)
