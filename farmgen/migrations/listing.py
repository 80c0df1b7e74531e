"""Every migration file of a directory as a row for ``farmgen migrate list``, branches included.

The chain (:func:`farmgen.migrations.files.build_chain`) follows the first child at a
branch point; a listing must still show the other branches, and say where they leave
the chain, so a user can see what ``farmgen migrate check`` complains about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from farmgen.migrations.files import Chain, Migration, build_chain

__all__ = ["ListedMigration", "list_migrations"]


@dataclass(frozen=True)
class ListedMigration:
    id: str
    parent: str | None
    description: str
    operations: int
    destructive: bool
    hand_written: bool
    on_chain: bool
    """False for a migration on a branch that ``farmgen db migrate`` does not follow."""
    branch_from: str | None
    """Off the chain: the chain migration (or ``None``: the start) its branch follows."""
    followed_by: tuple[str, ...]
    """At a branch point (more than one migration follows this one): all of them."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent": self.parent,
            "description": self.description,
            "operations": self.operations,
            "destructive": self.destructive,
            "hand_written": self.hand_written,
            "on_chain": self.on_chain,
            "branch_from": self.branch_from,
            "branch_point": len(self.followed_by) > 1,
            "followed_by": list(self.followed_by),
        }


def _branch_from(migration: Migration, by_id: dict[str, Migration], chain: set[str]) -> str | None:
    """The first ancestor of an off-chain ``migration`` that is on the chain."""
    seen: set[str] = set()
    parent = migration.parent
    while parent is not None and parent not in chain and parent in by_id and parent not in seen:
        seen.add(parent)
        parent = by_id[parent].parent
    return parent


def list_migrations(migrations: list[Migration]) -> tuple[list[ListedMigration], Chain]:
    """The chain's migrations in order, then those off it (in file order), and the chain."""
    chain = build_chain(migrations)
    on_chain = {m.id for m in chain.migrations}
    by_id = {m.id: m for m in migrations}
    children: dict[str | None, list[str]] = {}
    for migration in migrations:
        children.setdefault(migration.parent, []).append(migration.id)
    off = [m for m in migrations if m.id not in on_chain]
    rows = []
    for migration in [*chain.migrations, *off]:
        follows = children.get(migration.id, [])
        rows.append(
            ListedMigration(
                id=migration.id,
                parent=migration.parent,
                description=migration.description,
                operations=len(migration.operations),
                destructive=bool(migration.destructive),
                hand_written=migration.snapshot is None,
                on_chain=migration.id in on_chain,
                branch_from=None
                if migration.id in on_chain
                else _branch_from(migration, by_id, on_chain),
                followed_by=tuple(follows) if len(follows) > 1 else (),
            )
        )
    return rows, chain
