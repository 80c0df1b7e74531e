"""The SQL :class:`QueryBuilder` and :class:`SQLTransaction`.

Conditions follow MongoDB's semantics so that a query gives the same rows on every
database: ``$ne``/``$nin`` also match NULL, ``$in`` with ``None`` matches NULL,
strings compare with a binary collation, nulls sort first ascending, and ties are
broken by primary key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Enum, Select, String, TypeDecorator, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from farmgen.runtime.errors import NotConnectedError
from farmgen.runtime.providers.base import Condition, DatabaseTransaction, QueryBuilder
from farmgen.runtime.providers.sql_dialects import BINARY_COLLATION

ModelT = TypeVar("ModelT")


def _is_plain_string(column: Any) -> bool:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    return isinstance(column_type, String) and not isinstance(column_type, Enum)


class SQLQueryBuilder(QueryBuilder[ModelT]):
    """Builds one ``SELECT`` per call; runs in the given session or a fresh one."""

    def __init__(
        self,
        model: type[ModelT],
        sessions: async_sessionmaker[AsyncSession] | None,
        dialect: str,
        session: AsyncSession | None = None,
    ) -> None:
        super().__init__(model)
        self._sessions = sessions
        self._session = session
        self._collation = BINARY_COLLATION[dialect]
        self._table = model.__table__  # type: ignore[attr-defined]

    def _column(self, name: str) -> Any:
        columns = self._table.c
        if name not in columns:
            known = ", ".join(c.name for c in columns)
            raise ValueError(f"{self._table.name} has no column {name!r} (columns: {known})")
        column = columns[name]
        return column.collate(self._collation) if _is_plain_string(column) else column

    def _ordered(self, name: str) -> Any:
        """The column as sorting and range tests see it: enums by their string value
        (PostgreSQL and MySQL would otherwise order them by declaration)."""
        column = self._column(name)
        column_type = column.type
        if isinstance(column_type, TypeDecorator):
            column_type = column_type.impl_instance
        if isinstance(column_type, Enum):
            return cast(column, String()).collate(self._collation)
        return column

    def _clause(self, condition: Condition) -> ColumnElement[bool]:
        column = self._column(condition.field)
        op, value = condition.op, condition.value
        if op == "$eq":
            return column.is_(None) if value is None else column == value  # type: ignore[no-any-return]
        if op == "$ne":
            return column.is_not(None) if value is None else or_(column != value, column.is_(None))
        if op in ("$in", "$nin"):
            values = [v for v in value if v is not None]
            has_null = len(values) != len(value)
            if op == "$in":
                clause = column.in_(values)
                return or_(clause, column.is_(None)) if has_null else clause
            clause = column.not_in(values)
            return clause & column.is_not(None) if has_null else or_(clause, column.is_(None))
        if value is None:
            raise ValueError(f"{op} on {condition.field!r} cannot compare with null")
        column = self._ordered(condition.field)
        compare: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
            "$gt": lambda c, v: c > v,
            "$gte": lambda c, v: c >= v,
            "$lt": lambda c, v: c < v,
            "$lte": lambda c, v: c <= v,
        }
        return compare[op](column, value)

    def _where(self, statement: Select[Any]) -> Select[Any]:
        for condition in self._conditions:
            statement = statement.where(self._clause(condition))
        return statement

    def statement(self) -> Select[Any]:
        statement = self._where(select(self.model))
        for key in self._sort:
            column = self._ordered(key.field)
            raw = self._table.c[key.field]
            if key.descending:
                statement = statement.order_by(raw.is_(None).asc(), column.desc())
            else:
                statement = statement.order_by(raw.is_(None).desc(), column.asc())
        for pk in self._table.primary_key.columns:
            statement = statement.order_by(pk.asc())
        if self._skip:
            statement = statement.offset(self._skip)
        if self._limit is not None:
            statement = statement.limit(self._limit)
        return statement

    async def _run(self, statement: Select[Any], scalar: bool) -> Any:
        if self._session is not None:
            result = await self._session.execute(statement)
            return result.scalar_one() if scalar else list(result.scalars().all())
        if self._sessions is None:
            raise NotConnectedError("the SQL provider is not connected")
        async with self._sessions() as session:
            result = await session.execute(statement)
            return result.scalar_one() if scalar else list(result.scalars().all())

    async def to_list(self) -> list[ModelT]:
        if self._limit == 0:
            return []
        rows: list[ModelT] = await self._run(self.statement(), scalar=False)
        return rows

    async def count(self) -> int:
        statement = self._where(select(func.count()).select_from(self._table))
        return int(await self._run(statement, scalar=True))


class SQLTransaction(DatabaseTransaction):
    """An ``AsyncSession`` in a transaction: ``tx.session.add(...)``, ``tx.query(Model)``.

    Leaving the block with an exception rolls everything back; nothing written in it
    stays behind.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], dialect: str) -> None:
        self._sessions = sessions
        self._dialect = dialect
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise NotConnectedError("the transaction has not begun (use `async with`)")
        return self._session

    async def begin(self) -> None:
        self._session = self._sessions()
        await self._session.begin()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    def add(self, instance: object) -> None:
        self.session.add(instance)

    def query(self, model: type[ModelT]) -> SQLQueryBuilder[ModelT]:
        """A query that runs inside this transaction (it sees the uncommitted rows)."""
        return SQLQueryBuilder(model, None, self._dialect, session=self.session)
