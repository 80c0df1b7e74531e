"""``farmgen db``: connect, status, stats, reset, indexes, seed, backup, restore, shell.

``migrate``, ``rollback`` and ``migration`` come from ``farmgen.cli.db_migrations``,
loaded only when used. The database is the project's ``[database]`` table. Models
(for ``indexes create`` and ``seed``) are ``[database] models`` or, when unset, the
package the project's ``sqlalchemy`` target (SQL) or ``beanie`` target (MongoDB)
generates. Every failure is one line on stderr and exit status 1.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

import click

from farmgen.cli.db_data import (
    backup_command,
    indexes_group,
    restore_command,
    seed_command,
    shell_command,
)
from farmgen.cli.db_output import (
    describe_pool,
    echo_json,
    echo_pairs,
    echo_table,
    fmt_bytes,
    status_word,
)
from farmgen.cli.db_support import run_with_manager, settings_from_context
from farmgen.diagnostics import UsageError
from farmgen.runtime.errors import DatabaseConnectionError, DatabaseError

MIGRATIONS_MODULE = "farmgen.cli.db_migrations"
MIGRATION_COMMANDS = {
    "migrate": "migrate_command",
    "rollback": "rollback_command",
    "migration": "migration_group",
}


def _migrations_module() -> ModuleType | None:
    try:
        return importlib.import_module(MIGRATIONS_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name == MIGRATIONS_MODULE:
            return None
        raise


class DbGroup(click.Group):
    """The ``db`` group; the migration commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        if importlib.util.find_spec(MIGRATIONS_MODULE) is not None:
            names |= set(MIGRATION_COMMANDS)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in MIGRATION_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module = _migrations_module()
        if module is None:
            return None
        command = getattr(module, MIGRATION_COMMANDS[cmd_name], None)
        if not isinstance(command, click.Command):
            found = [
                v
                for v in vars(module).values()
                if isinstance(v, click.Command) and v.name == cmd_name
            ]
            command = found[0] if found else None
        return command


@click.group("db", cls=DbGroup)
def db_group() -> None:
    """Work with the project's database ([database] in the config).

    \b
    Models (for `indexes create` and `seed`): [database] models =
    "package.module" or "package.module:NAME"; when unset, the package the
    sqlalchemy target (SQL) or the beanie target (MongoDB) generates.
    Failures print one line (passwords masked) and exit with status 1.
    """


@db_group.command("connect")
@click.pass_context
def connect_command(ctx: click.Context) -> None:
    """Check that the database answers."""
    settings = settings_from_context(ctx)
    health = run_with_manager(settings, lambda m: m.health_check())
    if health.get("status") != "healthy":
        raise DatabaseConnectionError(str(health.get("error", "the database is unhealthy")))
    click.echo(
        f"{status_word('connected')} to {settings.database.type} at {health['url']} "
        f"(version {health.get('version', '?')}, {health.get('latency_ms', 0):.1f} ms)"
    )


@db_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Health, version, latency and connections."""
    settings = settings_from_context(ctx)
    try:
        health = run_with_manager(settings, lambda m: m.health_check())
    except DatabaseConnectionError as exc:
        health = {
            "database": settings.database.type,
            "url": settings.database.masked_url,
            "status": "unreachable",
            "connected": False,
            "error": exc.message,
        }
    if as_json:
        echo_json(health)
    else:
        connections = health.get("connections", {})
        pool = connections.get("pool", {})
        echo_pairs(
            [
                ("Status", status_word(str(health["status"]))),
                ("Type", str(health["database"])),
                ("URL", str(health["url"])),
                ("Version", str(health.get("version", "-"))),
                ("Latency", f"{health['latency_ms']:.2f} ms" if "latency_ms" in health else "-"),
                (
                    "Connections",
                    ", ".join(f"{k} {v}" for k, v in connections.items() if k != "pool") or "-",
                ),
                ("Pool", describe_pool(pool)),
                *(
                    [
                        (
                            "Transactions",
                            "yes" if health["transactions"] else "no (not a replica set)",
                        )
                    ]
                    if "transactions" in health
                    else []
                ),
                *([("Error", str(health["error"]))] if "error" in health else []),
            ]
        )
    if health.get("status") != "healthy":
        ctx.exit(1)


@db_group.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """Sizes, row counts per table or collection, server operation counters."""
    stats = run_with_manager(settings_from_context(ctx), lambda m: m.get_stats())
    if as_json:
        echo_json(stats)
        return
    database = stats["database"]
    echo_pairs(
        [
            ("Type", str(database["type"])),
            ("URL", str(database["url"])),
            ("Collections", str(database["collections"])),
            ("Objects", str(database["objects"])),
            ("Size", fmt_bytes(database.get("size_bytes"))),
            *[(f"Ops {k}", str(v)) for k, v in stats.get("operations", {}).items()],
        ]
    )
    if stats["collections"]:
        click.echo()
        echo_table(
            ["collection", "objects"],
            [[c["name"], str(c["objects"])] for c in stats["collections"]],
            right={1},
        )


@db_group.command("reset")
@click.option("--yes", is_flag=True, help="Confirm dropping every table or collection.")
@click.pass_context
def reset_command(ctx: click.Context, yes: bool) -> None:
    """Drop every table or collection (development databases only)."""
    settings = settings_from_context(ctx)
    environment = settings.database.development.environment
    if environment != "development":
        raise DatabaseError(
            f"refusing to reset {settings.database.masked_url}: [database.development] "
            f'environment is {environment!r}; reset runs only when it is "development"'
        )
    if not yes:
        raise UsageError(
            f"reset drops every table or collection in {settings.database.masked_url}: "
            f"pass --yes to confirm"
        )
    dropped = run_with_manager(settings, lambda m: m.provider.drop_all())
    click.echo(f"dropped {len(dropped)}: {', '.join(dropped)}" if dropped else "nothing to drop")


for _command in (indexes_group, seed_command, backup_command, restore_command, shell_command):
    db_group.add_command(_command)
