"""Helpers shared by the CLI command modules: loading the project from the click context."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from farmgen.config import Config
from farmgen.diagnostics import Diagnostic

if TYPE_CHECKING:
    from farmgen.project import Project


def config_path_from_context(ctx: click.Context) -> Path | None:
    """The ``--config`` given to the root command, if any."""
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    value = obj.get("config_path")
    return Path(value) if value else None


def load_config_from_context(ctx: click.Context) -> Config:
    """The project configuration (``--config`` or found by walking up from the cwd).

    Unchanged since its last full check, it is rebuilt without checking it again
    (``farmgen.config_quick``); ``[database]`` is then checked when first used.
    """
    from farmgen.config_quick import load_config_quick

    return load_config_quick(None, config_path_from_context(ctx))


def load_project_from_context(ctx: click.Context) -> Project:
    """Configuration and resolved specs; prints spec warnings to stderr."""
    from farmgen.project import load_project_from_config

    project = load_project_from_config(load_config_from_context(ctx))
    echo_diagnostics(project.warnings)
    return project


def echo_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(), err=True)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 model``, ``2 models``, ``1 embedded type``."""
    word = noun if count == 1 else (plural_form or noun + "s")
    return f"{count} {word}"
