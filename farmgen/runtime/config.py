"""The ``[database]`` settings (the seed's keys, in snake case) with ``${VAR}`` interpolation."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DatabaseType = Literal["mongodb", "postgresql", "mysql", "sqlite"]

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class UnsetVariableError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"environment variable '{name}' is not set (use ${{{name}:-default}})")
        self.name = name


def interpolate_env(value: str, environ: Mapping[str, str] | None = None) -> str:
    """Replace ``${VAR}`` and ``${VAR:-default}``; an unset variable without default raises."""
    env = os.environ if environ is None else environ

    def replace(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise UnsetVariableError(name)

    return _VAR.sub(replace, value)


def mask_url(url: str) -> str:
    """``postgresql://u:secret@h/db`` → ``postgresql://u:***@h/db``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def url_password(url: str) -> str | None:
    """The password in ``url``, decoded, or None."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return None
    return unquote(password) if password else None


def mask_secrets(text: str, url: str) -> str:
    """``text`` with ``url`` masked and every occurrence of its password replaced by ``***``.

    Driver messages sometimes quote the URL or the password; run every message that
    may contain them through this before it reaches a log line, an error or the CLI.
    """
    text = text.replace(url, mask_url(url))
    password = url_password(url)
    if password:
        for secret in {password, quote(password, safe="")}:
            # whole tokens only: a password "x" must not turn "exist" into "e***ist"
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", "***", text)
    return text


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PoolConfig(_Section):
    """The connection pool of every provider.

    SQL: a queue pool of ``min_size`` kept connections plus ``max_size - min_size``
    overflow, waiting ``acquire_timeout_ms`` for a free one (PostgreSQL takes its
    sizes from ``[database.postgresql]`` instead). MongoDB: ``minPoolSize``,
    ``maxPoolSize`` and ``waitQueueTimeoutMS``.
    """

    min_size: int = Field(default=5, ge=0)
    max_size: int = Field(default=50, ge=1)
    acquire_timeout_ms: int = Field(default=30_000, ge=0)
    idle_timeout_ms: int = Field(default=300_000, ge=0)
    pre_ping: bool = True
    """SQL: test a connection before handing it out (survives server restarts)."""


class MongoDBConfig(_Section):
    auth_source: str | None = None
    retry_writes: bool = True
    w: str | int = "majority"
    read_preference: str = "primaryPreferred"
    max_idle_time_ms: int = 300_000
    server_selection_timeout_ms: int = 5_000


class PostgreSQLConfig(_Section):
    ssl: bool = False
    pool_size: int = 20
    max_overflow: int = 30
    pool_timeout: int = 30
    pool_recycle: int = 3600


class MonitoringConfig(_Section):
    enabled: bool = False
    slow_query_threshold: int = 1000
    """Milliseconds."""
    metrics_retention_hours: int = 24
    health_check_interval: int = 30
    """Seconds."""


class MigrationsConfig(_Section):
    directory: str = "migrations"
    auto_run: bool = False
    backup_before_migration: bool = False


class DevelopmentConfig(_Section):
    environment: Literal["development", "test", "staging", "production"] = "production"
    seed_database: bool = False
    drop_on_restart: bool = False
    show_queries: bool = False


class BackupStorageConfig(_Section):
    type: Literal["local", "s3", "gcp"] = "local"
    bucket: str | None = None
    path: str = "backups/"


class BackupConfig(_Section):
    enabled: bool = False
    schedule: str = "0 2 * * *"
    retention: int = 7
    storage: BackupStorageConfig = Field(default_factory=BackupStorageConfig)


_SCHEMES: dict[str, DatabaseType] = {
    "mongodb": "mongodb",
    "mongodb+srv": "mongodb",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def database_type_of(url: str) -> DatabaseType | None:
    """The database type a URL's scheme names, ignoring a ``+driver`` suffix."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme.startswith("mongodb"):
        return "mongodb"
    return _SCHEMES.get(scheme.split("+", 1)[0])


class DatabaseConfig(_Section):
    """The ``[database]`` table. Unknown keys are errors."""

    type: DatabaseType = "sqlite"
    """Inferred from the URL's scheme when not given (``postgresql+asyncpg://`` → postgresql)."""
    url: str = "sqlite+aiosqlite:///farmgen.db"
    database: str | None = None
    """Database name for MongoDB when the URL has none."""
    connect_timeout: float = Field(default=5.0, gt=0)
    """Seconds before an unreachable server is reported."""
    models: str | None = None
    """``"package.module:ATTRIBUTE"`` naming the models ``farmgen db`` registers: a
    sequence of Beanie documents or SQLAlchemy mapped classes, or a SQLAlchemy
    declarative base (every class mapped on it). Unset: SQL commands work from the
    tables reflected from the database, MongoDB ones from its collections."""
    seeds: str = "seeds"
    """Directory (relative to the project root) of ``farmgen db seed``'s files."""
    pool: PoolConfig = Field(default_factory=PoolConfig)
    mongodb: MongoDBConfig = Field(default_factory=MongoDBConfig)
    postgresql: PostgreSQLConfig = Field(default_factory=PostgreSQLConfig)
    monitoring: MonitoringConfig = Field(default_factory=MonitoringConfig)
    migrations: MigrationsConfig = Field(default_factory=MigrationsConfig)
    development: DevelopmentConfig = Field(default_factory=DevelopmentConfig)
    backup: BackupConfig = Field(default_factory=BackupConfig)

    @field_validator("url")
    @classmethod
    def _interpolate(cls, value: str) -> str:
        return interpolate_env(value)

    @model_validator(mode="before")
    @classmethod
    def _infer_type(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "type" not in data and isinstance(data.get("url"), str):
            try:
                url = interpolate_env(data["url"])
            except UnsetVariableError:
                return data  # reported against the url key by its own validator
            inferred = database_type_of(url)
            if inferred is not None:
                return {**data, "type": inferred}
        return data

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """``repr()`` and ``str()`` show the URL masked, so logging a config leaks nothing."""
        for name, value in super().__repr_args__():
            yield name, mask_url(value) if name == "url" and isinstance(value, str) else value
