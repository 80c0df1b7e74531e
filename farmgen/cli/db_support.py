"""What the ``farmgen db`` commands share: the project's database settings and a runner
that connects a :class:`DatabaseManager`, does the work and always disconnects."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from farmgen.cli.common import load_config_from_context
from farmgen.diagnostics import FarmgenError
from farmgen.runtime.config import DatabaseConfig, mask_secrets
from farmgen.runtime.errors import DRIVER_PACKAGES, DatabaseError, ModelError, is_driver_error

T = TypeVar("T")
_DRIVER_PACKAGES = DRIVER_PACKAGES | {"beanie"}
"""The manager also registers Beanie documents, whose errors are database errors here."""


@dataclass(frozen=True)
class Settings:
    database: DatabaseConfig
    root: Path
    models_spec: str | None

    def models(self) -> list[type[Any]]:
        from farmgen.runtime.manager import load_models

        if self.models_spec is None:
            target = "beanie" if self.database.type == "mongodb" else "sqlalchemy"
            raise ModelError(
                f'no models: set [database] models = "package.module" or configure the '
                f"{target} target"
            )
        return load_models(self.models_spec, self.root)


def _default_models(config: Any) -> str | None:
    database: DatabaseConfig = config.database
    if database.models:
        return database.models
    target = config.targets.get("beanie" if database.type == "mongodb" else "sqlalchemy")
    if target is None:
        return None
    try:
        relative = Path(target.out).resolve().relative_to(Path(config.root).resolve())
    except ValueError:
        return None
    parts = relative.parts
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


def anchor_sqlite(database: DatabaseConfig, root: Path) -> DatabaseConfig:
    """``database`` with a relative SQLite file path made relative to the project ``root``.

    So every ``farmgen db`` command opens the same file from any working directory.
    Absolute paths, ``:memory:`` and ``file:`` URIs are left as they are.
    """
    if not database.url.startswith("sqlite"):
        return database
    from sqlalchemy.engine import make_url

    url = make_url(database.url)
    path = url.database or ""
    if not path or path == ":memory:" or path.startswith("file:") or Path(path).is_absolute():
        return database
    anchored = url.set(database=str(Path(root).resolve() / path))
    return database.model_copy(update={"url": anchored.render_as_string(hide_password=False)})


def settings_from_context(ctx: click.Context) -> Settings:
    config = load_config_from_context(ctx)
    root = Path(config.root)
    return Settings(anchor_sqlite(config.database, root), root, _default_models(config))


def run_with_manager(
    settings: Settings,
    work: Callable[[Any], Awaitable[T]],
    models: list[type[Any]] | None = None,
) -> T:
    """Connect a :class:`DatabaseManager`, run ``work(manager)``, always disconnect.

    Driver errors that escape become one masked :class:`DatabaseError` line.
    """
    from farmgen.runtime.manager import DatabaseManager

    async def main() -> T:
        manager = DatabaseManager(settings.database, models=models or [])
        try:
            await manager.initialize()
            return await work(manager)
        finally:
            await manager.shutdown()

    try:
        return asyncio.run(main())
    except FarmgenError:
        raise
    except Exception as exc:
        if not is_driver_error(exc, _DRIVER_PACKAGES):
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        message = f"{settings.database.type} error: {first}"
        raise DatabaseError(mask_secrets(message, settings.database.url)) from None
