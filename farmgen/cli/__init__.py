"""The ``farmgen`` command line.

Commands are loaded lazily (``LAZY_COMMANDS``) so that ``farmgen validate`` never
imports a database driver, black or libcst: start-up time matters in pre-commit.
Errors the core raises (:class:`farmgen.diagnostics.FarmgenError`) are printed
once, without a traceback, and the process exits with their ``exit_code``.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from farmgen._version import __version__

LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("farmgen.cli.spec_commands", "init_command"),
    "validate": ("farmgen.cli.spec_commands", "validate_command"),
    "schema": ("farmgen.cli.spec_commands", "schema_command"),
    "generate": ("farmgen.cli.generate", "generate_command"),
    "check": ("farmgen.cli.generate", "check_command"),
    "migrate": ("farmgen.cli.migrate", "migrate_group"),
    "db": ("farmgen.cli.db", "db_group"),
    "import": ("farmgen.cli.importers", "import_group"),
}


EXTRA_FOR_PACKAGE: dict[str, str] = {
    "jinja2": "generate",
    "black": "generate",
    "beanie": "mongodb",
    "pymongo": "mongodb",
    "bson": "mongodb",
    "sqlalchemy": "sql",
    "alembic": "sql",
    "aiosqlite": "sql",
    "greenlet": "sql",
    "asyncpg": "postgresql",
    "aiomysql": "mysql",
    "pymysql": "mysql",
    "libcst": "importers",
    "datamodel_code_generator": "importers",
}
"""The extra that installs each optional package farmgen's commands import."""


def missing_package_message(command: str, exc: ModuleNotFoundError) -> str:
    """'farmgen generate' needs the package 'jinja2': pip install 'farmgen[generate]'."""
    package = (exc.name or "?").split(".")[0]
    extra = EXTRA_FOR_PACKAGE.get(package, "all")
    return (
        f"'farmgen {command}' needs the package '{package}': "
        f"pip install 'farmgen[{extra}]' (or 'farmgen[all]')"
    )


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when they are run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attr = LAZY_COMMANDS[cmd_name]
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name and exc.name.startswith("farmgen"):
                    return None
                raise click.ClickException(missing_package_message(cmd_name, exc)) from exc
            command = getattr(module, attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


GC_GEN0_THRESHOLD = 100_000
"""Allocations between young-generation collections while a command runs (Python's
default is 700). Loading a spec builds a large graph of small objects that lives
until the process ends; with the default, the collector keeps re-scanning it: 15-20%
of ``farmgen check`` and ``migrate make`` on 1000 models (see bench/)."""


@contextmanager
def fewer_gc_passes() -> Iterator[None]:
    """Run with rare cyclic garbage collection, then restore the previous thresholds."""
    previous = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


class FarmgenGroup(LazyGroup):
    """Runs commands, turning farmgen's own errors into clean messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        from farmgen.diagnostics import FarmgenError

        with fewer_gc_passes():
            try:
                return super().invoke(ctx)
            except FarmgenError as exc:
                for line in exc.lines():
                    click.echo(line, err=True)
                ctx.exit(exc.exit_code)
            except ModuleNotFoundError as exc:
                if exc.name is None or exc.name.startswith("farmgen"):
                    raise
                click.echo(missing_package_message(ctx.invoked_subcommand or "", exc), err=True)
                ctx.exit(1)


@click.group(cls=FarmgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="farmgen")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Path to farmgen.toml or pyproject.toml (default: found by walking up).",
)
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """Generate the data layer of a FARM-stack app from schema specs."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


def run() -> None:  # pragma: no cover - console entry point
    main(prog_name="farmgen", args=sys.argv[1:])
