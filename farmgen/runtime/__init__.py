"""What generated code imports at run time.

This package never imports the generator (jinja2, black, libcst,
datamodel-code-generator); it needs only the runtime extras. The names below are
loaded on first use (module ``__getattr__``), so ``import farmgen.runtime`` loads no
database driver: ``from farmgen.runtime import DatabaseManager`` imports the manager
only, and a provider imports its driver when it is created.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from farmgen.runtime.config import DatabaseConfig
    from farmgen.runtime.errors import (
        BackupError,
        DatabaseConnectionError,
        DatabaseError,
        ModelError,
        NotConnectedError,
        SeedError,
        TransactionsUnsupportedError,
    )
    from farmgen.runtime.manager import (
        DatabaseManager,
        close_database,
        get_database_manager,
        init_database,
    )
    from farmgen.runtime.monitor import DatabaseMonitor, PerformanceSnapshot, QueryMetrics
    from farmgen.runtime.pool import ConnectionPoolManager
    from farmgen.runtime.providers import create_provider
    from farmgen.runtime.providers.base import (
        DatabaseProvider,
        DatabaseTransaction,
        QueryBuilder,
    )

__all__ = [
    "BackupError",
    "ConnectionPoolManager",
    "DatabaseConfig",
    "DatabaseConnectionError",
    "DatabaseError",
    "DatabaseManager",
    "DatabaseMonitor",
    "DatabaseProvider",
    "DatabaseTransaction",
    "ModelError",
    "NotConnectedError",
    "PerformanceSnapshot",
    "QueryBuilder",
    "QueryMetrics",
    "SeedError",
    "TransactionsUnsupportedError",
    "close_database",
    "create_provider",
    "get_database_manager",
    "init_database",
]

_MODULES: dict[str, str] = {
    "BackupError": "errors",
    "ConnectionPoolManager": "pool",
    "DatabaseConfig": "config",
    "DatabaseConnectionError": "errors",
    "DatabaseError": "errors",
    "DatabaseManager": "manager",
    "DatabaseMonitor": "monitor",
    "DatabaseProvider": "providers.base",
    "DatabaseTransaction": "providers.base",
    "ModelError": "errors",
    "NotConnectedError": "errors",
    "PerformanceSnapshot": "monitor",
    "QueryBuilder": "providers.base",
    "QueryMetrics": "monitor",
    "SeedError": "errors",
    "TransactionsUnsupportedError": "errors",
    "close_database": "manager",
    "create_provider": "providers",
    "get_database_manager": "manager",
    "init_database": "manager",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
