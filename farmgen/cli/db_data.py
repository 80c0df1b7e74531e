"""``farmgen db indexes``, ``seed``, ``backup``, ``restore`` and ``shell``."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import click

from farmgen.cli.common import plural
from farmgen.cli.db_output import echo_json, echo_table
from farmgen.cli.db_support import Settings, run_with_manager, settings_from_context
from farmgen.diagnostics import FarmgenError
from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.errors import DatabaseError


@click.group("indexes")
def indexes_group() -> None:
    """Create or list indexes."""


@indexes_group.command("create")
@click.pass_context
def indexes_create_command(ctx: click.Context) -> None:
    """Create the declared indexes of every model that are missing."""
    settings = settings_from_context(ctx)
    models = settings.models()
    created = run_with_manager(settings, lambda m: m.create_all_indexes(), models)
    if created:
        for name in created:
            click.echo(f"created {name}")
    else:
        click.echo(f"every declared index of {plural(len(models), 'model')} exists")


@indexes_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def indexes_list_command(ctx: click.Context, as_json: bool) -> None:
    """Every index in the database (primary keys left out)."""
    indexes = run_with_manager(settings_from_context(ctx), lambda m: m.provider.list_indexes())
    if as_json:
        echo_json([ix.to_dict() for ix in indexes])
        return
    if not indexes:
        click.echo("no indexes")
        return
    rows = [
        [
            ix.collection,
            ix.name,
            ", ".join(f"{f}" if d == 1 else f"{f} {'desc' if d == -1 else d}" for f, d in ix.keys),
            "unique" if ix.unique else "",
        ]
        for ix in indexes
    ]
    echo_table(["collection", "index", "keys", ""], rows)


@click.command("seed")
@click.option(
    "--file",
    "files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A seed file (repeatable); default: every file in seeds/.",
)
@click.pass_context
def seed_command(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Upsert seed records from JSON or YAML files."""
    from farmgen.runtime.seed import apply_seeds, discover_seed_files, load_seed_file

    settings = settings_from_context(ctx)
    directory = settings.root / settings.database.seeds
    paths = list(files) or discover_seed_files(directory)
    if not paths:
        click.echo(
            f"no seed files in {settings.database.seeds}/ (add .json or .yaml files, "
            f"or pass --file)"
        )
        return
    blocks = [block for path in paths for block in load_seed_file(path)]
    summary = run_with_manager(
        settings, lambda m: apply_seeds(m.provider, blocks), settings.models()
    )
    rows = [
        [name, str(r.inserted), str(r.updated), str(r.unchanged)]
        for name, r in summary.models.items()
    ]
    echo_table(["model", "inserted", "updated", "unchanged"], rows, right={1, 2, 3})


def default_backup_path(settings: Settings, label: str = "") -> Path:
    """``<storage.path>/<type>[-label]-<UTC time>.jsonl`` under the project root."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    directory = settings.root / settings.database.backup.storage.path
    middle = f"-{label}" if label else ""
    path = directory / f"{settings.database.type}{middle}-{stamp}.jsonl"
    count = 1
    while path.exists():  # another backup in the same second: never replace it
        count += 1
        path = directory / f"{settings.database.type}{middle}-{stamp}-{count}.jsonl"
    return path


def backup_schema_of(ctx: click.Context, settings: Settings) -> Any:
    """The SQL schema of the migrations' snapshot: the logical column types of a backup.

    None on MongoDB or without migrations (the backup then uses the reflected types).
    """
    if settings.database.type == "mongodb":
        return None
    from farmgen.cli.common import load_config_from_context
    from farmgen.migrations.files import load_chain
    from farmgen.runtime.sqlschema import build_metadata

    directory = Path(load_config_from_context(ctx).migrations_dir)
    if not directory.is_dir():
        return None
    chain = load_chain(directory)
    if not chain.ok or not chain.migrations:
        return None
    return build_metadata(chain.snapshot())


@click.command("backup")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: backups/<type>-<UTC time>.jsonl).",
)
@click.pass_context
def backup_command(ctx: click.Context, out: Path | None) -> None:
    """Write every table or collection to a portable JSON-lines file."""
    settings = settings_from_context(ctx)
    path = out or default_backup_path(settings)
    schema = backup_schema_of(ctx, settings)
    summary = run_with_manager(settings, lambda m: write_backup(m, path, schema))
    click.echo(
        f"wrote {plural(summary.records, 'record')} from "
        f"{plural(len(summary.collections), 'collection')} to {path}"
    )


async def write_backup(manager: Any, path: Path, schema: Any) -> Any:
    """``farmgen.runtime.backup.backup`` of the manager's database to ``path``.

    A file that cannot be written is one line naming it, not a database error.
    """
    from farmgen.runtime.backup import backup

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return await backup(manager.provider, path, schema=schema)
    except OSError as exc:
        if exc.filename is None:
            raise  # the network: the caller reports it as a database error
        raise FarmgenError(f"cannot write the backup {path}: {exc.strerror}") from None


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Delete the rows of non-empty targets first.")
@click.pass_context
def restore_command(ctx: click.Context, file: Path, replace: bool) -> None:
    """Load a backup written by `farmgen db backup` into empty tables or collections."""
    from farmgen.runtime.backup import restore

    settings = settings_from_context(ctx)
    schema = backup_schema_of(ctx, settings)
    summary = run_with_manager(
        settings, lambda m: restore(m.provider, file, replace=replace, schema=schema)
    )
    click.echo(
        f"restored {plural(summary.records, 'record')} into "
        f"{plural(len(summary.collections), 'collection')}"
    )


def shell_invocation(database: DatabaseConfig) -> tuple[str, list[str], dict[str, str]]:
    """(program, arguments, extra environment) to open the database's own shell.

    Passwords go through the environment (``PGPASSWORD``, ``MYSQL_PWD``), never argv.
    """
    parts = urlsplit(database.url)
    password = unquote(parts.password) if parts.password else None
    host = parts.hostname or "localhost"
    user = unquote(parts.username) if parts.username else None
    name = unquote(parts.path.lstrip("/"))
    if database.type == "sqlite":
        return "sqlite3", [parts.path[1:] if parts.path.startswith("//") else name], {}
    if database.type == "postgresql":
        netloc = (f"{user}@" if user else "") + host + (f":{parts.port}" if parts.port else "")
        url = urlunsplit(("postgresql", netloc, parts.path, "", ""))
        return "psql", [url], {"PGPASSWORD": password} if password else {}
    if database.type == "mysql":
        args = ["-h", host, "-P", str(parts.port or 3306)] + (["-u", user] if user else [])
        return "mysql", [*args, name.split("?")[0]], {"MYSQL_PWD": password} if password else {}
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user_part = f"{parts.username}@" if parts.username else ""
    url = urlunsplit((parts.scheme, user_part + netloc, parts.path, parts.query, ""))
    return "mongosh", [url], {}


@click.command("shell")
@click.pass_context
def shell_command(ctx: click.Context) -> None:
    """Open psql, mysql, sqlite3 or mongosh on the configured database."""
    database = settings_from_context(ctx).database
    program, args, env = shell_invocation(database)
    candidates = [program, "mariadb"] if program == "mysql" else [program]
    found: Any = next((p for p in map(shutil.which, candidates) if p), None)
    if found is None:
        raise DatabaseError(
            f"{program} is not on PATH: install the {database.type} client to open a shell "
            f"on {database.masked_url}"
        )
    ctx.exit(subprocess.call([found, *args], env={**os.environ, **env}))
