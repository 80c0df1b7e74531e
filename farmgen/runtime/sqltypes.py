"""Column types that generated SQLAlchemy models use, the same on SQLite, PostgreSQL and MySQL.

* :class:`EmbeddedJSON` stores a pydantic value (a model, ``list[Model]``,
  ``dict[str, Model]``, any type a ``TypeAdapter`` accepts) as JSON and returns it
  validated. Values are treated as immutable: assign a new value to persist a change.
* :class:`JSONValue` is plain JSON; both are ``JSONB`` on PostgreSQL.
* :class:`UTCDateTime` stores UTC and always returns timezone-aware datetimes.
* :class:`StrEnumType` is a named ``Enum`` that stores the members' values.
* :func:`utc_now` is the database's current UTC time, for server defaults and
  ``onupdate``; unlike ``func.now()`` it is UTC on MySQL whatever the session time
  zone, and has microseconds on MySQL and SQLite.
"""

from __future__ import annotations

import enum
import functools
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import JSON, CheckConstraint, Column, DateTime, Dialect, String, Table, type_coerce
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import SchemaType, TypeDecorator, TypeEngine

__all__ = [
    "ColumnCheckedEnum",
    "EmbeddedJSON",
    "JSONValue",
    "StrEnumType",
    "UTCDateTime",
    "enum_check_name",
    "utc_now",
]

_MYSQL_DIALECTS = frozenset({"mysql", "mariadb"})


class JSONValue(TypeDecorator[Any]):
    """Plain JSON (``JSONB`` on PostgreSQL); Python ``None`` is stored as SQL ``NULL``."""

    impl = JSON
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(none_as_null=True)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.JSONB(none_as_null=True))
        return dialect.type_descriptor(JSON(none_as_null=True))


class EmbeddedJSON(JSONValue):
    """JSON holding a pydantic value: stored as ``model_dump(mode="json")``, read back validated.

    ``EmbeddedJSON(Profile)``, ``EmbeddedJSON(list[Address])`` and
    ``EmbeddedJSON(dict[str, Setting])`` all work. A dict given for a model is
    validated before it is written, so invalid data never reaches the database.
    """

    cache_ok = True

    def __init__(self, model_or_type: Any) -> None:
        super().__init__()
        self.model_or_type = model_or_type
        self._adapter: TypeAdapter[Any] = TypeAdapter(model_or_type)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self._adapter.dump_python(self._adapter.validate_python(value), mode="json")

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self._adapter.validate_python(value)


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored in UTC and returned timezone-aware on every database.

    PostgreSQL keeps ``timestamp with time zone``; MySQL (``DATETIME(6)``) and SQLite
    keep naive UTC. A naive datetime given to it is taken as UTC.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in _MYSQL_DIALECTS:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime needs a datetime, got {type(value).__name__}")
        aware = _as_utc(value)
        if dialect.name == "postgresql":
            return aware
        return aware.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return _as_utc(value)

    @property
    def python_type(self) -> type[datetime]:
        return datetime


def _enum_values(enum_class: type[enum.Enum]) -> list[str]:
    return [str(member.value) for member in enum_class]


def enum_check_name(column: str) -> str:
    """The CHECK constraint of an enum column where the database has no enum type (SQLite):
    ``<column>_enum``, ``ck_<table>_<column>_enum`` by the naming convention, so two
    columns of one enum in a table do not share a constraint name."""
    return f"{column}_enum"


class ColumnCheckedEnum(SAEnum):
    """A named ``Enum`` whose CHECK constraint (databases without enum types) is named
    after its column (:func:`enum_check_name`), not after the type."""

    cache_ok = True

    def _set_table(self, column: Column[Any], table: Table) -> None:
        SchemaType._set_table(self, column, table)  # type: ignore[no-untyped-call]
        if not self.create_constraint:
            return
        CheckConstraint(
            type_coerce(column, String()).in_(self.enums),
            name=enum_check_name(column.name),
            _create_rule=functools.partial(
                self._should_create_constraint,
                variant_mapping=self._variant_mapping_for_set_table(column),  # type: ignore[no-untyped-call]
            ),
            _type_bound=True,
        )


class StrEnumType(ColumnCheckedEnum):
    """A named enum column storing the members' values (``"pending_verification"``, not
    ``"PENDING_VERIFICATION"``), validating strings on the way in.

    ``StrEnumType(UserStatus, name="user_status")``: a native ``ENUM`` type on
    PostgreSQL (named) and MySQL; on SQLite a ``VARCHAR`` sized to the longest value
    with a CHECK constraint named after the column (``ck_<table>_<column>_enum``).
    """

    def __init__(self, *enums: Any, **kw: Any) -> None:
        kw.setdefault("values_callable", _enum_values)
        kw.setdefault("validate_strings", True)
        kw.setdefault("create_constraint", True)
        if not kw.get("name") and not kw.get("_enums"):
            raise TypeError("StrEnumType needs a name=... for the database type")
        super().__init__(*enums, **kw)


class utc_now(FunctionElement[datetime]):
    """The database's current time in UTC, e.g. ``server_default=utc_now()``."""

    type = UTCDateTime()
    inherit_cache = True
    name = "utc_now"


@compiles(utc_now)
def _utc_now_default(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(utc_now, "postgresql")
def _utc_now_postgresql(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "now()"


@compiles(utc_now, "mysql")
@compiles(utc_now, "mariadb")
def _utc_now_mysql(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "utc_timestamp(6)"


@compiles(utc_now, "sqlite")
def _utc_now_sqlite(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    # The same text format SQLAlchemy writes for SQLite datetimes (microseconds).
    return "strftime('%Y-%m-%d %H:%M:%f000', 'now')"
