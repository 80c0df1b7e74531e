"""``migrate check`` and ``farmgen check``: drift between spec and migrations, broken chains."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from farmgen.diagnostics import Diagnostic, Location, Severity
from farmgen.ir import Schema
from farmgen.migrations.compare import diff
from farmgen.migrations.files import MigrationFileError, load_chain
from farmgen.migrations.snapshot import snapshot_and_renames

DRIFT = "FG310"
UNREADABLE = "FG304"


def check_migrations(directory: Path, schema: Schema, root: Path | None = None) -> list[Diagnostic]:
    """Chain problems, then drift: changes in ``schema`` that no migration captures.

    Messages name ``directory`` relative to ``root`` (the project root) when inside it.
    """
    where = Location(_shown(directory, root))
    try:
        chain = load_chain(directory)
    except MigrationFileError as exc:
        return [Diagnostic(where, UNREADABLE, exc.message, hint="fix or remove the file")]
    if not chain.ok:
        return list(chain.diagnostics)
    result = diff(chain.snapshot(), *snapshot_and_renames(schema))
    if not result.operations:
        return []
    count = len(result.operations)
    listed = "; ".join(op.describe() for op in result.operations[:5])
    more = f"; and {count - 5} more" if count > 5 else ""
    return [
        Diagnostic(
            where,
            DRIFT,
            f"the spec has {count} change{'s' if count != 1 else ''} that no migration "
            f"captures: {listed}{more}",
            Severity.ERROR,
            hint="run `farmgen migrate make <name>` and commit the new file",
        )
    ]


def check_project(project: Any) -> list[Diagnostic]:
    """:func:`check_migrations` for a loaded project (``project.config.migrations_dir``)."""
    config = project.config
    return check_migrations(Path(config.migrations_dir), project.schema, Path(config.root))


def _shown(directory: Path, root: Path | None) -> str:
    resolved = directory.resolve()
    if root is not None and resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    return str(directory)
