"""The provider interface every database implements, and what it hands back.

A provider owns one connection (a SQLAlchemy async engine, or a PyMongo
``AsyncMongoClient``), the models registered on it, and the database-specific
answers to ``health_check``/``get_stats``. Driver imports live in the concrete
modules (``mongodb.py``, ``sql.py``) so that importing this one is cheap.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.errors import ModelError, NotConnectedError

if TYPE_CHECKING:
    from farmgen.runtime.monitor import DatabaseMonitor

ModelT = TypeVar("ModelT")
ProviderKind = Literal["mongodb", "sql"]

OPERATORS = frozenset({"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin"})
"""The comparison operators a :class:`QueryBuilder` condition may use."""


@dataclass(frozen=True)
class Condition:
    """One ``field <op> value`` test; a query is the conjunction of its conditions."""

    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class IndexInfo:
    """An index as the database reports it."""

    collection: str
    name: str
    keys: tuple[tuple[str, int | str], ...]
    """``(field, 1)`` ascending, ``(field, -1)`` descending, ``(field, "text")`` and the like."""
    unique: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "name": self.name,
            "keys": [[field, direction] for field, direction in self.keys],
            "unique": self.unique,
        }


def parse_conditions(conditions: Mapping[str, Any]) -> list[Condition]:
    """``{"age": {"$gte": 18}, "status": "active"}`` → conditions; unknown operators raise."""
    parsed: list[Condition] = []
    for field, spec in conditions.items():
        if field.startswith("$"):
            raise ValueError(f"unsupported top-level operator {field!r} in a query")
        if isinstance(spec, Mapping) and spec and all(str(k).startswith("$") for k in spec):
            for op, value in spec.items():
                if op not in OPERATORS:
                    allowed = ", ".join(sorted(OPERATORS))
                    raise ValueError(f"unsupported operator {op!r} on {field!r} (use {allowed})")
                if op in ("$in", "$nin") and not isinstance(value, list | tuple | set):
                    raise ValueError(f"{op} on {field!r} needs a list")
                parsed.append(Condition(field, op, value))
        else:
            parsed.append(Condition(field, "$eq", spec))
    return parsed


class QueryBuilder(ABC, Generic[ModelT]):
    """A query that gives the same rows, in the same order, on every database.

    Conditions use the MongoDB comparison operators in :data:`OPERATORS` on stored
    field names (``id`` is the primary key everywhere). Sorting puts nulls first
    when ascending and last when descending, compares strings byte-wise (binary
    collation) and breaks ties by primary key, so paging is stable.
    """

    def __init__(self, model: type[ModelT]) -> None:
        self.model = model
        self._conditions: list[Condition] = []
        self._sort: list[SortKey] = []
        self._limit: int | None = None
        self._skip = 0

    def find(
        self, conditions: Mapping[str, Any] | None = None, **equals: Any
    ) -> QueryBuilder[ModelT]:
        """Add conditions (ANDed with any given before)."""
        self._conditions += parse_conditions({**(conditions or {}), **equals})
        return self

    def sort(self, field: str, direction: int = 1) -> QueryBuilder[ModelT]:
        """Sort by ``field``: ``1`` ascending, ``-1`` descending (or a ``-field`` prefix)."""
        if direction not in (1, -1):
            raise ValueError(f"sort direction must be 1 or -1, not {direction!r}")
        descending = direction == -1
        if field.startswith("-"):
            field, descending = field[1:], True
        self._sort.append(SortKey(field, descending))
        return self

    def limit(self, count: int) -> QueryBuilder[ModelT]:
        if count < 0:
            raise ValueError("limit must not be negative")
        self._limit = count
        return self

    def skip(self, count: int) -> QueryBuilder[ModelT]:
        if count < 0:
            raise ValueError("skip must not be negative")
        self._skip = count
        return self

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(self._conditions)

    @property
    def sort_keys(self) -> tuple[SortKey, ...]:
        return tuple(self._sort)

    @abstractmethod
    async def to_list(self) -> list[ModelT]:
        """Run the query."""

    @abstractmethod
    async def count(self) -> int:
        """Count the matches (ignoring sort, skip and limit)."""

    async def first(self) -> ModelT | None:
        """The first match in sort order, or None."""
        saved = self._limit
        self._limit = 1
        try:
            rows = await self.to_list()
        finally:
            self._limit = saved
        return rows[0] if rows else None


class DatabaseTransaction(ABC):
    """``async with provider.transaction() as tx``: commits on success, rolls back on error."""

    async def __aenter__(self) -> DatabaseTransaction:
        await self.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                await self.commit()
            else:
                await self.rollback()
        finally:
            await self.close()

    @abstractmethod
    async def begin(self) -> None:
        """Start the transaction (raises when it cannot be had)."""

    @abstractmethod
    async def commit(self) -> None: ...

    @abstractmethod
    async def rollback(self) -> None: ...

    @abstractmethod
    async def close(self) -> None:
        """Release the session or connection; safe to call twice."""


class DatabaseProvider(ABC):
    """One database: connection, registered models, indexes, health and statistics."""

    kind: ClassVar[ProviderKind]

    def __init__(self, config: DatabaseConfig, *, monitor: DatabaseMonitor | None = None) -> None:
        self.config = config
        self.monitor = monitor
        self.is_connected = False
        self._models: list[type[Any]] = []

    @property
    def masked_url(self) -> str:
        return self.config.masked_url

    @property
    @abstractmethod
    def dialect(self) -> str:
        """``mongodb``, ``postgresql``, ``mysql`` or ``sqlite``."""

    @property
    def models(self) -> tuple[type[Any], ...]:
        return tuple(self._models)

    def register_model(self, model_class: type[Any]) -> None:
        """Add a model (idempotent); it is initialised on connect, or now if connected."""
        self.check_model(model_class)
        if model_class not in self._models:
            self._models.append(model_class)

    def model_for(self, name: str) -> type[Any]:
        """A registered model by class name or collection/table name."""
        for model in self._models:
            if name in (model.__name__, self.collection_name(model)):
                return model
        known = ", ".join(sorted(m.__name__ for m in self._models)) or "none"
        raise ModelError(f"no registered model named {name!r} (registered: {known})")

    def require_connected(self) -> None:
        if not self.is_connected:
            raise NotConnectedError(f"not connected to {self.masked_url}: call connect() first")

    async def __aenter__(self) -> DatabaseProvider:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.disconnect()

    @abstractmethod
    def check_model(self, model_class: type[Any]) -> None:
        """Raise :class:`ModelError` when ``model_class`` is not a model of this provider."""

    @abstractmethod
    def collection_name(self, model_class: type[Any]) -> str:
        """The collection or table a registered model is stored in."""

    @abstractmethod
    async def connect(self) -> None:
        """Open the connection and check it answers within ``connect_timeout``."""

    @abstractmethod
    async def disconnect(self) -> None:
        """Close the connection; safe to call when not connected."""

    @abstractmethod
    async def create_indexes(self, model_class: type[Any] | None = None) -> list[str]:
        """Create the declared indexes of one model (or all registered); returns their names."""

    @abstractmethod
    async def list_indexes(self) -> list[IndexInfo]:
        """Every index of every table or collection, sorted by collection and name."""

    @abstractmethod
    async def list_collections(self) -> list[str]:
        """The tables or collections in the database, sorted."""

    @abstractmethod
    async def drop_all(self) -> list[str]:
        """Drop every table or collection (``farmgen db reset``); returns what was dropped."""

    @abstractmethod
    async def health_check(self) -> dict[str, Any]:
        """``status`` (healthy/unhealthy), ``connected``, ``version``, ``latency_ms``,
        ``connections``; never raises for an unreachable server (``error`` says why)."""

    @abstractmethod
    async def get_stats(self) -> dict[str, Any]:
        """``database`` totals, per-``collections`` rows and sizes, ``operations`` counters."""

    @abstractmethod
    def pool_metrics(self) -> dict[str, Any]:
        """Connection pool figures from the engine's pool or the client."""

    @abstractmethod
    def transaction(self) -> DatabaseTransaction:
        """A new transaction; raises ``TransactionsUnsupportedError`` when there can be none."""

    @abstractmethod
    def query(self, model_class: type[ModelT]) -> QueryBuilder[ModelT]:
        """A query on a registered model."""

    @property
    @abstractmethod
    def native(self) -> Any:
        """What the migration applier takes: the ``AsyncEngine`` or the PyMongo database."""

    async def migrate_schema(
        self, migrations: Any = None, target: str | None = None, **options: Any
    ) -> Any:
        """Apply pending migrations with ``farmgen.runtime.migrate.migrate``.

        ``migrations``: a migrations directory or a loaded chain; None means the
        configured ``[database.migrations] directory``. ``options`` are passed on
        (``accept_checksum``, ``progress``).
        """
        self.require_connected()
        from farmgen.runtime.manager import load_applier

        source = Path(self.config.migrations.directory) if migrations is None else migrations
        return await load_applier().migrate(self.native, source, target=target, **options)
