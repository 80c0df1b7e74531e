"""The :class:`DatabaseManager`: one provider, its models, monitoring and transactions.

Typical use in an application::

    from farmgen.runtime.config import DatabaseConfig
    from farmgen.runtime.manager import init_database, get_database_manager

    manager = await init_database(DatabaseConfig(type="postgresql", url=...), models=MODELS)
    async with manager.transaction() as tx:
        tx.session.add(User(email="a@example.com"))     # SQL; MongoDB: session=tx.session
    users = await manager.query(User).find({"status": "active"}).sort("email").to_list()
    await close_database()
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.errors import DatabaseError, ModelError, NotConnectedError
from farmgen.runtime.monitor import DatabaseMonitor
from farmgen.runtime.pool import ConnectionPoolManager
from farmgen.runtime.providers import create_provider
from farmgen.runtime.providers.base import DatabaseProvider, DatabaseTransaction, QueryBuilder

ModelT = TypeVar("ModelT")
logger = logging.getLogger("farmgen.runtime.manager")


def load_applier() -> ModuleType:
    """``farmgen.runtime.migrate``, the migration applier, imported on first use."""
    try:
        return importlib.import_module("farmgen.runtime.migrate")
    except ModuleNotFoundError as exc:
        if exc.name != "farmgen.runtime.migrate":
            raise
        raise DatabaseError(
            "the migration applier (farmgen.runtime.migrate) is not available"
        ) from None


def _is_model(value: Any) -> bool:
    """A SQLAlchemy mapped class or a Beanie document class."""
    if not isinstance(value, type):
        return False
    mapped = getattr(value, "__table__", None) is not None and hasattr(value, "__mapper__")
    return mapped or hasattr(value, "get_pymongo_collection")


def load_models(spec: str, root: Path | None = None) -> list[type[Any]]:
    """Import the models ``spec`` names.

    ``"package.module:ATTRIBUTE"``: a sequence of model classes, one model class, or a
    SQLAlchemy declarative base (every class mapped on it, sorted by name).
    ``"package.module"``: the model classes the module exports (``__all__``), which
    suits a generated package. ``root`` is put on ``sys.path`` first so a project's
    own packages are found.
    """
    module_name, _, attribute = spec.partition(":")
    if not module_name or (":" in spec and not attribute):
        raise ModelError(f"models = {spec!r}: expected 'package.module' or 'package.module:NAME'")
    if root is not None and str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelError(f"models = {spec!r}: cannot import {module_name}: {exc}") from None
    if not attribute:
        exported = getattr(module, "__all__", None)
        if exported is not None:
            values = [getattr(module, name, None) for name in exported]
            return [value for value in values if isinstance(value, type) and _is_model(value)]
        own = [v for v in vars(module).values() if getattr(v, "__module__", None) == module_name]
        return [v for v in own if _is_model(v)]
    try:
        value = getattr(module, attribute)
    except AttributeError:
        raise ModelError(
            f"models = {spec!r}: {module_name} has no attribute {attribute!r}"
        ) from None
    registry: Any = getattr(value, "registry", None)
    is_base = getattr(value, "__table__", None) is None and hasattr(registry, "mappers")
    if isinstance(value, type) and is_base:
        classes = [mapper.class_ for mapper in registry.mappers]
        return sorted(classes, key=lambda cls: cls.__name__)
    if isinstance(value, type):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        models = list(value)
        if all(isinstance(model, type) for model in models):
            return models
    raise ModelError(f"models = {spec!r}: expected a list of model classes or a declarative base")


class DatabaseManager:
    """Owns one provider: connection, model registration, indexes, migrations, health."""

    def __init__(
        self,
        config: DatabaseConfig | Mapping[str, Any],
        *,
        models: Sequence[type[Any]] = (),
        monitor: DatabaseMonitor | None = None,
        client: Any = None,
    ) -> None:
        """``client``: an async MongoDB client to use instead of one made from the URL."""
        self.config = config if isinstance(config, DatabaseConfig) else DatabaseConfig(**config)
        self.models: list[type[Any]] = []
        self.monitor = monitor
        if self.monitor is None and self.config.monitoring.enabled:
            self.monitor = DatabaseMonitor.from_config(self.config.monitoring)
        self._client = client
        self.provider: DatabaseProvider | None = None
        self.pool: ConnectionPoolManager | None = None
        self.is_initialized = False
        for model in models:
            self.register_model(model)

    @property
    def provider_type(self) -> str:
        return self.config.type

    def _provider(self) -> DatabaseProvider:
        if self.provider is None or not self.is_initialized:
            raise NotConnectedError(
                f"the database manager for {self.config.masked_url} is not initialised: "
                f"call `await manager.initialize()` (or init_database) first"
            )
        return self.provider

    async def initialize(self, *, create_indexes: bool = False) -> None:
        """Connect, initialise the registered models and start monitoring if enabled."""
        if self.is_initialized:
            return
        provider = create_provider(self.config, monitor=self.monitor, client=self._client)
        for model in self.models:
            provider.register_model(model)
        await provider.connect()
        self.provider, self.is_initialized = provider, True
        if create_indexes:
            await self.create_all_indexes()
        if self.config.monitoring.enabled:
            interval = float(self.config.monitoring.health_check_interval)
            self.pool = ConnectionPoolManager(provider, interval=interval)
            await self.pool.start_health_monitoring()
            if self.monitor is not None:
                await self.monitor.start_monitoring(self, interval=interval)
        logger.info("database manager ready: %s at %s", self.provider_type, self.config.masked_url)

    async def shutdown(self) -> None:
        """Stop monitoring and close the connection; safe to call twice."""
        if self.pool is not None:
            await self.pool.stop_health_monitoring()
            self.pool = None
        if self.monitor is not None:
            await self.monitor.stop_monitoring()
        if self.provider is not None:
            await self.provider.disconnect()
        self.is_initialized = False

    async def __aenter__(self) -> DatabaseManager:
        await self.initialize()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.shutdown()

    def register_model(self, model_class: type[Any]) -> None:
        """Register a model before ``initialize`` (after it, use :meth:`add_model`)."""
        if model_class in self.models:
            return
        if self.provider is not None:
            self.provider.register_model(model_class)
        self.models.append(model_class)

    async def add_model(self, model_class: type[Any]) -> None:
        """Register a model and, when already connected, initialise it now."""
        self.register_model(model_class)
        provider = self.provider
        if provider is not None and provider.is_connected and provider.kind == "mongodb":
            from farmgen.runtime.providers.mongodb import MongoDBProvider

            assert isinstance(provider, MongoDBProvider)
            await provider.initialize_models([model_class])

    async def create_all_indexes(self) -> list[str]:
        """Create the declared indexes of every registered model; returns the created names."""
        return await self._provider().create_indexes()

    def _migrations(self, directory: Path | str | None) -> Path:
        return Path(directory if directory is not None else self.config.migrations.directory)

    async def migrate(
        self, target: str | None = None, directory: Path | str | None = None, **options: Any
    ) -> Any:
        """Apply pending migrations (up to ``target``) with ``farmgen.runtime.migrate``.

        ``options`` go to the applier (``accept_checksum``, ``progress``); the result is
        its ``MigrationResult``.
        """
        provider = self._provider()
        return await load_applier().migrate(
            provider.native, self._migrations(directory), target=target, **options
        )

    async def rollback(
        self, target: str | None, directory: Path | str | None = None, **options: Any
    ) -> Any:
        """Undo applied migrations after ``target`` (None: all of them), newest first."""
        provider = self._provider()
        return await load_applier().rollback(
            provider.native, self._migrations(directory), target, **options
        )

    async def migration_status(self, directory: Path | str | None = None) -> Any:
        """Every migration with its history record (None: pending)."""
        provider = self._provider()
        return await load_applier().migration_status(provider.native, self._migrations(directory))

    async def health_check(self) -> dict[str, Any]:
        if self.provider is None:
            return {
                "status": "not_initialized",
                "connected": False,
                "database": self.provider_type,
                "url": self.config.masked_url,
            }
        return await self.provider.health_check()

    async def get_stats(self) -> dict[str, Any]:
        stats = await self._provider().get_stats()
        if self.monitor is not None:
            stats["queries"] = self.monitor.get_performance_summary()
        return stats

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[DatabaseTransaction]:
        """Commit on success, roll back on an exception; raises where there can be none."""
        async with self._provider().transaction() as tx:
            yield tx

    def query(self, model_class: type[ModelT]) -> QueryBuilder[ModelT]:
        return self._provider().query(model_class)


_manager: DatabaseManager | None = None


def get_database_manager() -> DatabaseManager:
    """The manager :func:`init_database` set up (a FastAPI dependency, for instance)."""
    if _manager is None or not _manager.is_initialized:
        raise NotConnectedError(
            "the database is not initialised: call `await init_database(config)`"
        )
    return _manager


async def init_database(
    config: DatabaseConfig | Mapping[str, Any],
    *,
    models: Sequence[type[Any]] = (),
    monitor: DatabaseMonitor | None = None,
    client: Any = None,
    create_indexes: bool = False,
    migrate: bool | None = None,
) -> DatabaseManager:
    """Create, connect and install the process-wide manager (closing a previous one).

    In this order, after connecting:

    - ``[database.development] drop_on_restart``: drop every table or collection,
      only when ``environment`` is ``development`` (as ``farmgen db reset``);
    - ``migrate`` (default: ``[database.migrations] auto_run``): apply the pending
      migrations of ``migrations.directory``;
    - ``create_indexes``: create the registered models' indexes;
    - ``[database.development] seed_database``: upsert the seed files of ``seeds``
      (as ``farmgen db seed``), only in ``development``.

    If a step fails, the manager is shut down, none is installed and the error
    propagates: the application does not start on a half-prepared database.
    """
    global _manager
    manager = DatabaseManager(config, models=models, monitor=monitor, client=client)
    await manager.initialize()
    try:
        await _prepare(manager, manager.config.migrations.auto_run if migrate is None else migrate)
        if create_indexes:
            await manager.create_all_indexes()
        if _development(manager.config) and manager.config.development.seed_database:
            await _seed(manager)
    except BaseException:
        await manager.shutdown()
        raise
    previous, _manager = _manager, manager
    if previous is not None:
        await previous.shutdown()
    return manager


def _development(config: DatabaseConfig) -> bool:
    return config.development.environment == "development"


async def _prepare(manager: DatabaseManager, migrate: bool) -> None:
    if _development(manager.config) and manager.config.development.drop_on_restart:
        dropped = await manager._provider().drop_all()
        logger.info("drop_on_restart: dropped %s", ", ".join(dropped) or "nothing")
    elif manager.config.development.drop_on_restart:
        logger.warning(
            "drop_on_restart is ignored: [database.development] environment is %r",
            manager.config.development.environment,
        )
    if migrate:
        await manager.migrate()


async def _seed(manager: DatabaseManager) -> None:
    from farmgen.runtime.seed import apply_seeds, discover_seed_files, load_seed_file

    paths = discover_seed_files(Path(manager.config.seeds))
    blocks = [block for path in paths for block in load_seed_file(path)]
    if blocks:
        await apply_seeds(manager._provider(), blocks)


async def close_database() -> None:
    """Shut the process-wide manager down."""
    global _manager
    if _manager is not None:
        manager, _manager = _manager, None
        await manager.shutdown()
