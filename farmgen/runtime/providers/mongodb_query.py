"""The MongoDB :class:`QueryBuilder` and :class:`MongoTransaction` (a client session).

MongoDB already has the semantics the query builder promises everywhere: nulls and
missing fields sort first, strings compare byte-wise; ties are broken by ``_id``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from farmgen.runtime.providers.base import DatabaseTransaction, QueryBuilder

ModelT = TypeVar("ModelT")


class MongoTransaction(DatabaseTransaction):
    """A client session in a transaction; pass ``session=tx.session`` to Beanie calls."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.session: Any = None

    async def begin(self) -> None:
        self.session = self._client.start_session()
        await self.session.start_transaction()

    async def commit(self) -> None:
        await self.session.commit_transaction()

    async def rollback(self) -> None:
        await self.session.abort_transaction()

    async def close(self) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            await session.end_session()

    def query(self, model: type[ModelT]) -> MongoQueryBuilder[ModelT]:
        return MongoQueryBuilder(model, session=self.session)


class MongoQueryBuilder(QueryBuilder[ModelT]):
    """The shared query semantics on a Beanie document's collection."""

    def __init__(self, model: type[ModelT], session: Any = None) -> None:
        super().__init__(model)
        self._session = session

    def filter(self) -> dict[str, Any]:
        parts = [
            {("_id" if c.field == "id" else c.field): {c.op: c.value}} for c in self._conditions
        ]
        if not parts:
            return {}
        return parts[0] if len(parts) == 1 else {"$and": parts}

    def _find(self) -> Any:
        return self.model.find(self.filter(), session=self._session)  # type: ignore[attr-defined]

    async def to_list(self) -> list[ModelT]:
        if self._limit == 0:
            return []
        sort = [
            ("_id" if k.field == "id" else k.field, -1 if k.descending else 1) for k in self._sort
        ]
        if not any(field == "_id" for field, _ in sort):
            sort.append(("_id", 1))
        query = self._find().sort(*sort).skip(self._skip)
        if self._limit is not None:
            query = query.limit(self._limit)
        rows: list[ModelT] = await query.to_list()
        return rows

    async def count(self) -> int:
        return int(await self._find().count())
