"""``migrate make``: diff the spec against the chain's last snapshot into a new migration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from farmgen.diagnostics import Diagnostic, Location, Severity, SpecError, UsageError
from farmgen.ir import Schema
from farmgen.migrations.compare import Diff, diff
from farmgen.migrations.files import Chain, Migration, next_id, write_migration
from farmgen.migrations.lint import lint_operations
from farmgen.migrations.snapshot import comparable, snapshot_and_renames
from farmgen.ops import OperationError, apply_all, reverse_all


class DestructiveRefused(UsageError):
    """``migrate make`` found destructive operations and ``--allow-destructive`` was not given."""

    exit_code = 1


@dataclass
class MakeResult:
    migration: Migration | None
    """None when there is nothing to write ("no changes")."""
    diff: Diff
    lint: list[Diagnostic] = field(default_factory=list)
    path: Path | None = None

    @property
    def warnings(self) -> list[Diagnostic]:
        found = [d for d in self.diff.diagnostics if d.severity is Severity.WARNING]
        return found + [d for d in self.lint if d.severity is Severity.WARNING]


def plan_migration(
    chain: Chain,
    schema: Schema,
    name: str,
    *,
    empty: bool = False,
    allow_destructive: bool = False,
    lint_levels: Mapping[str, str] | None = None,
) -> MakeResult:
    """The next migration for ``schema``, or None when nothing changed. Raises on errors."""
    if not chain.ok:
        raise SpecError(chain.diagnostics)
    parent = chain.head.id if chain.head else None
    new_id = next_id([m.id for m in chain.migrations], name)
    if empty:
        migration = Migration(new_id, parent, name, [], [], None)
        return MakeResult(migration, Diff())
    current, renames = snapshot_and_renames(schema)
    result = diff(chain.snapshot(), current, renames)
    if result.errors:
        raise SpecError(result.diagnostics)
    if not result.operations:
        return MakeResult(None, result)
    where = Location(f"{new_id}.json")
    lint = lint_operations(result.operations, chain.snapshot(), where, lint_levels or {})
    errors = [d for d in lint if d.severity is Severity.ERROR]
    if result.destructive and not allow_destructive:
        listed = "; ".join(op.describe() for op in result.destructive)
        raise DestructiveRefused(
            f"refusing destructive operations: {listed} "
            "(check that the data may go, then run again with --allow-destructive)"
        )
    if errors:
        raise SpecError(errors)
    migration = Migration(
        new_id, parent, name, result.operations, reverse_all(result.operations), current
    )
    _verify_replay(chain, migration)
    return MakeResult(migration, result, lint)


def _verify_replay(chain: Chain, migration: Migration) -> None:
    """Mark ``migration`` for a ``file_checksum`` when replaying it gives its snapshot."""
    head = chain.head
    if head is not None and (head.snapshot is None or head.snapshot_checksum is None):
        return
    assert migration.snapshot is not None
    try:
        replayed = apply_all(chain.snapshot(), migration.operations)
    except OperationError:
        return
    if comparable(replayed) == comparable(migration.snapshot):
        migration.replay_verified = True
        migration.parent_snapshot_checksum = head.snapshot_checksum if head else None


def make_migration(
    directory: Path,
    chain: Chain,
    schema: Schema,
    name: str,
    *,
    empty: bool = False,
    allow_destructive: bool = False,
    lint_levels: Mapping[str, str] | None = None,
) -> MakeResult:
    """:func:`plan_migration`, then write the file (if there is one)."""
    result = plan_migration(
        chain,
        schema,
        name,
        empty=empty,
        allow_destructive=allow_destructive,
        lint_levels=lint_levels,
    )
    if result.migration is not None:
        result.path = write_migration(directory, result.migration)
    return result
