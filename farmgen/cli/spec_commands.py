"""``farmgen init``, ``farmgen validate`` and ``farmgen schema``.

This module imports only click and the loader: ``validate`` runs in pre-commit hooks and
must start fast. The loader imports PyYAML only for a spec file the parse cache does not
hold, and never the pydantic models of the spec format (``schema`` imports them).
"""

from __future__ import annotations

from pathlib import Path

import click

from farmgen.cli.common import load_project_from_context, plural
from farmgen.diagnostics import UsageError

INIT_CONFIG = """\
# farmgen configuration; every key is described in farmgen's docs/spec.md.
specs = ["schemas/*.yaml"]
migrations = "migrations"

[targets.beanie]
out = "generated/beanie"

[targets.sqlalchemy]
out = "generated/sqlalchemy"

[targets.typescript]
out = "generated/ts"

[database]
type = "sqlite"
url = "${DATABASE_URL:-sqlite+aiosqlite:///app.db}"
"""

INIT_SPEC = """\
# Editor completion: run `farmgen schema -o farmgen-spec.schema.json` in the project
# root, then add this line:
#   # yaml-language-server: $schema=../farmgen-spec.schema.json
farmgen: 1

enums:
  TaskStatus: [todo, doing, done]

embedded:
  Checklist:
    fields:
      items: {type: "list[string]", default: []}

models:
  Project:
    mixins: [timestamps]
    fields:
      name: {type: string, unique: true, max_length: 100}
      description: text?

  Task:
    mixins: [timestamps, soft_delete]
    fields:
      project: {type: "ref[Project]", on_delete: cascade, index: true}
      title: {type: string, min_length: 1, max_length: 200}
      status: {type: TaskStatus, default: todo, index: true}
      checklist: {type: Checklist, default: {}}
      due: date?
    indexes:
      - [project, status]
"""

INIT_FILES = {"farmgen.toml": INIT_CONFIG, "schemas/example.yaml": INIT_SPEC}


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False), default=".")
def init_command(directory: str) -> None:
    """Create farmgen.toml and an example spec in DIRECTORY (default: here)."""
    root = Path(directory)
    _refuse_existing_config(root)
    existing = [name for name in INIT_FILES if (root / name).exists()]
    if existing:
        raise UsageError(
            "refusing to overwrite existing files: "
            + ", ".join(str(root / name) for name in existing)
        )
    for name, text in INIT_FILES.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        click.echo(f"created {target}")
    click.echo("next: edit the spec, then run 'farmgen validate' and 'farmgen generate'")


def _refuse_existing_config(root: Path) -> None:
    """A project configured in ``[tool.farmgen]`` must not get a farmgen.toml that shadows it."""
    from farmgen.config import PYPROJECT, find_config

    found = find_config(root)
    if found is not None and found.name == PYPROJECT:
        raise UsageError(
            f"{found} already configures farmgen in [tool.farmgen]; a farmgen.toml here "
            "would take precedence over it: refusing to create one (edit [tool.farmgen] "
            "instead, or move it to a farmgen.toml yourself)"
        )


@click.command("validate")
@click.pass_context
def validate_command(ctx: click.Context) -> None:
    """Check every spec file; print a summary (exit 0) or every error (exit 1)."""
    project = load_project_from_context(ctx)
    schema = project.schema
    click.echo(
        f"{plural(len(schema.models), 'model')}, {plural(len(schema.enums), 'enum')}, "
        f"{plural(len(schema.embedded), 'embedded type')} "
        f"in {plural(len(project.files), 'file')}"
    )


SCHEMA_KINDS = ("spec", "config")


@click.command("schema")
@click.argument("kind", type=click.Choice(SCHEMA_KINDS), default="spec")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the JSON Schema to this file instead of standard output.",
)
def schema_command(kind: str, output: str | None) -> None:
    """Print the JSON Schema of spec files (default) or of the configuration file.

    Editors use them for completion: schemas/farmgen-spec.schema.json and
    schemas/farmgen-config.schema.json are these texts.
    """
    if kind == "config":
        from farmgen.config_format import config_json_schema_text

        text = config_json_schema_text()
    else:
        from farmgen.spec.format import spec_json_schema_text

        text = spec_json_schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)
