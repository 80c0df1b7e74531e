"""Errors the runtime raises on purpose.

They derive from :class:`farmgen.diagnostics.FarmgenError`, so ``farmgen db`` prints
them as one line and exits with their code; application code can catch
:class:`DatabaseError` for all of them::

    DatabaseError                  a database operation farmgen refuses or cannot do
    ├── DatabaseConnectionError    unreachable server, timeout, bad credentials (URL masked)
    ├── NotConnectedError          the provider or manager is not connected yet
    ├── TransactionsUnsupportedError  a transaction was asked for and cannot be had
    ├── ModelError                 a model cannot be registered, loaded or found
    ├── BackupError                a backup file is malformed or cannot be restored
    └── SeedError                  a seed file is malformed or does not match the models
"""

from __future__ import annotations

from farmgen.diagnostics import FarmgenError


class DatabaseError(FarmgenError):
    """Base of the runtime's database errors."""


class DatabaseConnectionError(DatabaseError):
    """The database cannot be reached or refused the credentials."""


class NotConnectedError(DatabaseError):
    """An operation needs a connection that is not open."""


class TransactionsUnsupportedError(DatabaseError):
    """A transaction was requested where the server cannot provide one."""


class ModelError(DatabaseError):
    """A model cannot be registered, imported or matched to a table or collection."""


class BackupError(DatabaseError):
    """A backup cannot be written or restored."""


class SeedError(DatabaseError):
    """A seed file is malformed or its records do not validate."""


DRIVER_PACKAGES = frozenset(
    {"sqlalchemy", "pymongo", "bson", "asyncpg", "aiomysql", "pymysql", "aiosqlite", "sqlite3"}
)
"""Top-level packages whose exceptions are database errors (not bugs in farmgen)."""


def is_driver_error(exc: BaseException, packages: frozenset[str] = DRIVER_PACKAGES) -> bool:
    """Whether ``exc`` comes from a database driver in ``packages`` or the network."""
    package = type(exc).__module__.split(".")[0]
    return package in packages or isinstance(exc, OSError | TimeoutError)
