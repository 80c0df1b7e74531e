"""``farmgen db migrate``, ``db rollback`` and ``db migration create|list|status``.

The ``db`` group loads these lazily by name: ``migrate_command``, ``rollback_command``
and ``migration_group``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from farmgen.cli.common import load_config_from_context, plural
from farmgen.cli.db_data import backup_schema_of, default_backup_path, write_backup
from farmgen.cli.db_output import echo_json
from farmgen.cli.db_support import Settings, anchor_sqlite, run_with_manager
from farmgen.config import Config
from farmgen.diagnostics import FarmgenError

T = TypeVar("T")


def _settings(ctx: click.Context) -> tuple[Settings, Path]:
    config: Config = load_config_from_context(ctx)
    root = Path(config.root)
    return Settings(anchor_sqlite(config.database, root), root, None), Path(config.migrations_dir)


def _run_with_database(ctx: click.Context, action: Callable[[Any, Path], Awaitable[T]]) -> T:
    """Run ``action(manager, migrations_dir)``; database errors become one masked line."""
    settings, directory = _settings(ctx)
    return run_with_manager(settings, lambda manager: action(manager, directory))


def _progress(event: Any) -> None:
    verb = "applying" if event.action == "apply" else "rolling back"
    position = f"[{event.index}/{event.total}]"
    if event.kind == "start":
        click.echo(f"{position} {verb} {event.migration.id} ...", nl=False)
    elif event.kind == "skip":
        click.echo(" already done by another applier")
    elif event.kind == "failed":
        click.echo(" failed")
    else:
        click.echo(f" done ({event.duration:.2f} s)")


def _summary(result: Any, verb: str, ids: list[str]) -> str:
    count = len(ids)
    where = result.current or "no migration applied"
    total = sum(result.durations.values())
    if not count:
        return f"nothing to {verb}; database at {where}"
    noun = "migration" if count == 1 else "migrations"
    past = "applied" if verb == "apply" else "rolled back"
    return f"{past} {count} {noun} in {total:.2f} s; database at {where}"


@click.command("migrate")
@click.option("--target", default=None, help="Apply up to this migration id (default: all).")
@click.option(
    "--accept-checksum",
    "accept",
    multiple=True,
    metavar="ID",
    help="Record the new checksum of an applied migration whose file was edited and reviewed.",
)
@click.pass_context
def migrate_command(ctx: click.Context, target: str | None, accept: tuple[str, ...]) -> None:
    """Apply pending migrations in order.

    With ``[database.migrations] backup_before_migration = true``, the database is
    first backed up (as ``farmgen db backup`` does) when a migration is pending; no
    migration runs if the backup fails.
    """
    settings, directory = _settings(ctx)
    schema = (
        backup_schema_of(ctx, settings)
        if settings.database.migrations.backup_before_migration
        else None
    )

    async def action(manager: Any) -> Any:
        if settings.database.migrations.backup_before_migration:
            await _backup_if_pending(manager, settings, directory, schema, target)
        return await manager.migrate(target, directory, accept_checksum=accept, progress=_progress)

    result = run_with_manager(settings, action)
    for mig_id in result.accepted:
        click.echo(f"accepted the new checksum of {mig_id}")
    click.echo(_summary(result, "apply", result.applied))


async def _backup_if_pending(
    manager: Any, settings: Settings, directory: Path, schema: Any, target: str | None
) -> None:
    """Back the database up when a migration up to ``target`` (default: the last) is pending."""
    status = await manager.migration_status(directory)
    ids = [m.id for m, _record in status]
    last = ids.index(target) if target in ids else len(ids) - 1
    pending = [m.id for m, record in status[: last + 1] if record is None]
    if not pending:
        return
    path = default_backup_path(settings, f"before-{pending[0]}")
    try:
        summary = await write_backup(manager, path, schema)
    except FarmgenError as exc:
        raise FarmgenError(f"{exc}; no migration was applied") from None
    click.echo(
        f"backed up {plural(summary.records, 'record')} from "
        f"{plural(len(summary.collections), 'collection')} to {path}"
    )


@click.command("rollback")
@click.argument("target")
@click.pass_context
def rollback_command(ctx: click.Context, target: str) -> None:
    """Undo the migrations applied after TARGET (``zero``: undo all), newest first."""

    async def action(manager: Any, directory: Path) -> Any:
        goal = None if target == "zero" else target
        return await manager.rollback(goal, directory, progress=_progress)

    result = _run_with_database(ctx, action)
    click.echo(_summary(result, "roll back", result.rolled_back))


@click.group("migration")
def migration_group() -> None:
    """Create and inspect migration files."""


@migration_group.command("create")
@click.argument("name")
@click.option("--empty", is_flag=True, help="Write a migration without operations.")
@click.option("--allow-destructive", is_flag=True, help="Write operations that can lose data.")
@click.pass_context
def create_command(ctx: click.Context, name: str, empty: bool, allow_destructive: bool) -> None:
    """The same as ``farmgen migrate make NAME``."""
    from farmgen.cli.migrate import make_command

    ctx.invoke(make_command, name=name, empty=empty, allow_destructive=allow_destructive)


@migration_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Every migration file (the same as ``farmgen migrate list``)."""
    from farmgen.cli.migrate import list_command as offline_list

    ctx.invoke(offline_list, as_json=as_json)


@migration_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Each migration with when it was applied, or ``pending``."""

    async def action(manager: Any, directory: Path) -> Any:
        return await manager.migration_status(directory)

    rows = _run_with_database(ctx, action)
    if as_json:
        echo_json([_status_dict(migration, record) for migration, record in rows])
        return
    if not rows:
        click.echo("no migrations")
    width = max((len(m.id) for m, _ in rows), default=0)
    for migration, record in rows:
        if record is None:
            state = "pending"
        else:
            state = f"applied {record.applied_at:%Y-%m-%d %H:%M:%S}"
            if record.checksum != migration.checksum:
                state += f"  CHANGED since (recorded {record.checksum}, file {migration.checksum})"
        click.echo(f"{migration.id:<{width}}  {state}")


def _status_dict(migration: Any, record: Any) -> dict[str, Any]:
    applied_at = record.applied_at if record is not None else None
    return {
        "id": migration.id,
        "state": "pending" if record is None else "applied",
        "applied_at": applied_at.isoformat() if applied_at is not None else None,
        "duration": record.duration if record is not None else None,
        "checksum": migration.checksum,
        "recorded_checksum": record.checksum if record is not None else None,
        "changed": record is not None and record.checksum != migration.checksum,
    }
