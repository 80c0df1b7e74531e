"""Database providers: :func:`create_provider` picks one for a ``[database]`` table.

The concrete providers are imported on demand, so a MongoDB project never imports
SQLAlchemy and a SQL project never imports Beanie.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.providers.base import (
    DatabaseProvider,
    DatabaseTransaction,
    IndexInfo,
    QueryBuilder,
)

if TYPE_CHECKING:
    from farmgen.runtime.monitor import DatabaseMonitor

__all__ = [
    "DatabaseProvider",
    "DatabaseTransaction",
    "IndexInfo",
    "QueryBuilder",
    "create_provider",
]


def create_provider(
    config: DatabaseConfig, *, monitor: DatabaseMonitor | None = None, client: Any = None
) -> DatabaseProvider:
    """The provider for ``config.type``; ``client`` is an async MongoDB client to reuse."""
    if config.type == "mongodb":
        from farmgen.runtime.providers.mongodb import MongoDBProvider

        return MongoDBProvider(config, monitor=monitor, client=client)
    from farmgen.runtime.providers.sql import SQLProvider

    return SQLProvider(config, monitor=monitor)
