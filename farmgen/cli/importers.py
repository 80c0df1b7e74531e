"""``farmgen import``: write a native spec from a JSON Schema, an OpenAPI document or
existing Python models.

The parsers (datamodel-code-generator, libcst) are imported when a subcommand runs.
The spec is resolved before it is written, so a written spec always validates;
warnings (what could not be mapped) are printed as ``PATH:LINE:COL: warning: ...``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import click

from farmgen.cli.common import echo_diagnostics, plural
from farmgen.diagnostics import Diagnostic, SpecError, UsageError

_OUTPUT = click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The spec file to write, for example schemas/api.yaml.",
)
_FORCE = click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")


@click.group("import")
def import_group() -> None:
    """Write a farmgen spec from existing schemas or models."""


@import_group.command("jsonschema")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "jsonschema", "openapi"]),
    default="auto",
    show_default=True,
    help="The input format (auto: OpenAPI when the document has an 'openapi' key).",
)
@_OUTPUT
@_FORCE
def jsonschema_command(file: Path, fmt: str, output: Path, force: bool) -> None:
    """Import a JSON Schema (draft 7, 2020-12) or an OpenAPI 3.x document."""
    from farmgen.importers.external import load_external

    _refuse_overwrite(output, force)
    data, warnings = load_external(file, fmt, display=_shown(file))
    _write(data, warnings, output, f"Imported from {_shown(file)} by farmgen import jsonschema.")


@import_group.command("models")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
@_OUTPUT
@_FORCE
def models_command(paths: tuple[Path, ...], output: Path, force: bool) -> None:
    """Import Beanie, SQLAlchemy and pydantic models from Python files or packages.

    The files are read, never imported or run.
    """
    from farmgen.importers.python_models import import_models, python_files

    _refuse_overwrite(output, force)
    files = python_files(paths)
    if not files:
        raise UsageError("no Python files found in the paths given")
    data, warnings = import_models(files, [_shown(f) for f in files])
    sources = ", ".join(_shown(p) for p in paths)
    _write(data, warnings, output, f"Imported from {sources} by farmgen import models.")


def _shown(path: Path) -> str:
    """A path relative to the current directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _refuse_overwrite(output: Path, force: bool) -> None:
    if output.exists() and not force:
        raise UsageError(f"{_shown(output)} already exists (use --force to overwrite it)")


def _write(data: dict[str, Any], warnings: list[Diagnostic], output: Path, header: str) -> None:
    from farmgen.importers.spec_writer import dump_spec
    from farmgen.resolve import resolve_with_diagnostics
    from farmgen.spec import document_from_data

    echo_diagnostics(warnings)
    schema, diagnostics = resolve_with_diagnostics([document_from_data(data, _shown(output))])
    if schema is None:
        raise SpecError(diagnostics)
    echo_diagnostics(diagnostics)
    output.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(output, dump_spec(data, header=header))
    counts = ", ".join([
        plural(len(schema.models), "model"),
        plural(len(schema.embedded), "embedded type"),
        plural(len(schema.enums), "enum"),
    ])
    noted = f" ({plural(len(warnings), 'warning')})" if warnings else ""
    click.echo(f"wrote {_shown(output)}: {counts}{noted}")


def _atomic_write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
