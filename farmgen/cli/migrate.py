"""``farmgen migrate``: make, list, check and lint migration files (offline, no database)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from farmgen.cli.common import (
    echo_diagnostics,
    load_config_from_context,
    load_project_from_context,
)
from farmgen.diagnostics import CheckFailed, Diagnostic, Location, Severity, SpecError

if TYPE_CHECKING:
    from farmgen.config import Config
    from farmgen.ir import Schema
    from farmgen.migrations.listing import ListedMigration


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


@click.group("migrate")
def migrate_group() -> None:
    """Make and check migration files from the spec (no database needed)."""


@migrate_group.command("make")
@click.argument("name")
@click.option(
    "--empty", is_flag=True, help="Write a migration without operations, to edit by hand."
)
@click.option("--allow-destructive", is_flag=True, help="Write operations that can lose data.")
@click.option(
    "--from-models",
    "from_models",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Diff these Python model files or packages (read, never run) instead of the spec.",
)
@click.pass_context
def make_command(
    ctx: click.Context,
    name: str,
    empty: bool,
    allow_destructive: bool,
    from_models: tuple[Path, ...],
) -> None:
    """Diff the spec against the last migration's snapshot and write migrations/NNNN_NAME.json."""
    from farmgen.migrations.files import load_chain
    from farmgen.migrations.make import make_migration

    config = load_config_from_context(ctx)
    directory = _migrations_dir(config)
    if from_models:
        from farmgen.importers.python_models import schema_from_models

        schema, warnings = schema_from_models(list(from_models))
        echo_diagnostics(warnings)
    elif not empty and _unchanged_by_hashes(config, directory):
        click.echo("no changes")
        return
    else:
        from farmgen.project import load_project_from_config

        project = load_project_from_config(config)
        echo_diagnostics(project.warnings)
        schema = project.schema
        if not empty and _unchanged(directory, schema):
            click.echo("no changes")
            return
    result = make_migration(
        directory,
        load_chain(directory),
        schema,
        name,
        empty=empty,
        allow_destructive=allow_destructive,
        lint_levels=config.lint,
    )
    echo_diagnostics(result.warnings)
    if result.migration is None:
        click.echo("no changes")
        return
    for op in result.migration.operations:
        marker = "  (destructive)" if op.destructive else ""
        click.echo(f"{op.describe()}{marker}")
    assert result.path is not None
    click.echo(f"wrote {_relative(result.path, config.root)}")


def _migrations_dir(config: Config) -> Path:
    directory = Path(config.migrations_dir)
    return directory if directory.is_absolute() else config.root / directory


def _unchanged_by_hashes(config: Config, directory: Path) -> bool:
    """Nothing to make, known without loading the specs.

    The generated outputs are up to date by hashes (their manifests then record the
    spec's snapshot checksum) and the migration chain is intact and ends at it.
    """
    if not directory.is_dir() or not config.targets:
        return False
    from farmgen.migrations.quick import head_checksum
    from farmgen.pipeline import verify_by_hash

    head = head_checksum(directory)
    if head is None:
        return False
    quick = verify_by_hash(config)
    return quick is not None and quick.schema_checksum == head


def _unchanged(directory: Path, schema: Schema) -> bool:
    """Nothing to make: the chain is intact and its last snapshot is the spec's."""
    from farmgen.migrations.quick import schema_checksum, up_to_date

    return directory.is_dir() and up_to_date(directory, schema_checksum(schema))


@migrate_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool = False) -> None:
    """Show every migration, oldest first; branches are marked and exit 1."""
    from farmgen.cli.db_output import echo_json
    from farmgen.migrations.files import read_directory
    from farmgen.migrations.listing import list_migrations

    project = load_project_from_context(ctx)
    rows, chain = list_migrations(read_directory(Path(project.config.migrations_dir)))
    if as_json:
        echo_json([row.to_dict() for row in rows])
    elif not rows:
        click.echo("no migrations")
    width = max((len(row.id) for row in rows), default=0)
    for row in [] if as_json else rows:
        click.echo(f"{row.id:<{width}}  {_list_line(row)}")
    if not chain.ok:
        raise SpecError(chain.diagnostics)


def _list_line(row: ListedMigration) -> str:
    notes = [f"{row.operations} operation{'s' if row.operations != 1 else ''}"]
    if row.destructive:
        notes.append("destructive")
    if row.hand_written:
        notes.append("hand-written")
    if row.followed_by:
        notes.append(f"BRANCH POINT: followed by {' and '.join(row.followed_by)}")
    if not row.on_chain:
        notes.append(f"OFF THE CHAIN: a branch from {row.branch_from or 'the start'}")
    text = ", ".join(notes)
    if row.description and row.description != row.id.split("_", 1)[-1]:
        text += f"  {row.description}"
    return text


@migrate_group.command("check")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Exit 1 when the spec has changes no migration captures or the chain is broken."""
    from farmgen.migrations.quick import chain_length

    config = load_config_from_context(ctx)
    directory = _migrations_dir(config)
    if not _unchanged_by_hashes(config, directory):
        from farmgen.migrations.check import check_migrations
        from farmgen.project import load_project_from_config

        project = load_project_from_config(config)
        echo_diagnostics(project.warnings)
        if not _unchanged(directory, project.schema):
            problems = check_migrations(directory, project.schema, config.root)
            if problems:
                raise CheckFailed("migrations are out of date", problems)
    click.echo(f"migrations up to date ({chain_length(directory)} in the chain)")


@migrate_group.command("lint")
@click.pass_context
def lint_command(ctx: click.Context) -> None:
    """Report risky operations in every migration (rule levels from [lint])."""
    from farmgen.migrations.files import load_chain
    from farmgen.migrations.lint import lint_operations

    project = load_project_from_context(ctx)
    directory = Path(project.config.migrations_dir)
    chain = load_chain(directory)
    if not chain.ok:
        raise SpecError(chain.diagnostics)
    found: list[Diagnostic] = []
    for migration, (before, _after) in zip(chain.migrations, chain.snapshots(), strict=True):
        where = Location(_relative(migration.path or directory, project.config.root))
        found += lint_operations(migration.operations, before, where, project.config.lint)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors:
        raise SpecError(found)
    echo_diagnostics(found)
    click.echo(_lint_summary(found, len(chain.migrations)))


def _lint_summary(found: list[Diagnostic], total: int) -> str:
    """``2 findings in 1 migration (of 3)``: the migrations counted are those with findings."""
    findings = f"{len(found)} finding{'s' if len(found) != 1 else ''}"
    if not found:
        return f"no findings in {total} migration{'s' if total != 1 else ''}"
    where = len({d.location.path for d in found})
    return f"{findings} in {where} migration{'s' if where != 1 else ''} (of {total})"
