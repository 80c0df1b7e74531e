"""``farmgen generate`` and ``farmgen check``.

Both print one summary line. ``check`` (and ``generate --check``) writes nothing,
lists every file that would change and exits 1 when anything is out of date;
``--diff`` adds a unified diff of each change. When the project has a migrations
folder, ``check`` also runs ``farmgen.migrations.check_project`` (a spec change no
migration captures, a broken chain) and fails on its errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from farmgen.cli.common import config_path_from_context, echo_diagnostics, plural
from farmgen.diagnostics import CheckFailed, Diagnostic, Severity

if TYPE_CHECKING:
    from farmgen.config import Config
    from farmgen.project import Project

_TARGET = click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="NAME",
    help="Only this target (repeatable); default: every target in the config.",
)
_DIFF = click.option("--diff", is_flag=True, help="Show a unified diff of every change.")


def _run(
    ctx: click.Context, targets: tuple[str, ...], *, check: bool, diff: bool, dry_run: bool
) -> None:
    from farmgen.config_quick import load_config_quick
    from farmgen.pipeline import run

    config = load_config_quick(None, config_path_from_context(ctx))
    loaded: list[Project] = []

    def on_project(project: Project) -> None:
        loaded.append(project)
        echo_diagnostics(project.warnings)

    selected = list(targets) or None
    result = run(config, selected, check=check or dry_run, dry_run=dry_run, on_project=on_project)
    for change in result.changed:
        if check or dry_run:
            click.echo(f"{change.action.value}: {change.display}")
        if diff:
            click.echo(change.diff(), nl=False)
    if check:
        drift = _migration_problems(config, result.schema_checksum, loaded[0] if loaded else None)
        echo_diagnostics(drift)
        if not result.up_to_date:
            raise CheckFailed(
                f"{plural(len(result.changed), 'generated file')} out of date: "
                f"run `farmgen generate` ({result.seconds:.2f}s)"
            )
        if any(d.severity is Severity.ERROR for d in drift):
            raise CheckFailed("migrations are out of date with the spec")
        click.echo(f"generated files are up to date: {result.summary()}")
        return
    click.echo(result.summary())


def _migration_problems(
    config: Config, schema_checksum: str | None, project: Project | None
) -> list[Diagnostic]:
    """Migration drift and chain problems, when the project has a migrations folder.

    From checksums alone when the chain is intact and ends at the spec's snapshot
    (``farmgen.migrations.quick``); otherwise the specs are loaded and compared.
    """
    directory = config.migrations_dir
    if not directory.is_absolute():
        directory = config.root / directory
    if not directory.is_dir():
        return []
    from farmgen.migrations.quick import up_to_date

    if up_to_date(directory, schema_checksum):
        return []
    from farmgen.migrations import check_project
    from farmgen.project import load_project_from_config

    problems: list[Diagnostic] = check_project(project or load_project_from_config(config))
    return problems


@click.command("generate")
@_TARGET
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@_DIFF
@click.option("--dry-run", is_flag=True, help="Write nothing; list what would change.")
@click.pass_context
def generate_command(
    ctx: click.Context, targets: tuple[str, ...], check: bool, diff: bool, dry_run: bool
) -> None:
    """Generate every configured target's files from the specs."""
    _run(ctx, targets, check=check, diff=diff, dry_run=dry_run)


@click.command("check")
@_TARGET
@_DIFF
@click.pass_context
def check_command(ctx: click.Context, targets: tuple[str, ...], diff: bool) -> None:
    """Exit 1 if any generated file is out of date (writes nothing)."""
    _run(ctx, targets, check=True, diff=diff, dry_run=False)
