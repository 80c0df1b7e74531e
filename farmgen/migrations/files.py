"""Migration files: ``migrations/NNNN_name.json``, read, written canonically, and chained.

Standard library only (the runtime applier reads them too). A file::

    {"farmgen": 1, "id": "0002_add_avatar", "parent": "0001_initial",
     "description": "...", "operations": [...], "reverse": [...],
     "snapshot": {...}, "snapshot_checksum": "sha256:...", "file_checksum": "sha256:..."}

``file_checksum`` (written by ``migrate make``) lets ``farmgen check`` trust an
unedited file without replaying it (``farmgen.migrations.quick``).

Bytes are canonical: sorted keys, two-space indent, a trailing newline. Ids of the
older timestamped form (``20241201_120000_name``) are read too; a file without a
``parent`` follows the file before it, and one without ``reverse`` or ``snapshot``
gets them computed from its operations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from farmgen.diagnostics import Diagnostic, Location
from farmgen.ops import Operation, OperationError, apply_all, operations_from_json, reverse_all
from farmgen.runtime import schema_state as st

FILE_FORMAT = 1
_SEQUENCE_ID = re.compile(r"^(\d{4,})_([a-z0-9_]+)$")
_TIMESTAMP_ID = re.compile(r"^(\d{8}_\d{6})_([A-Za-z0-9_]+)$")

CHAIN_MISSING_PARENT = "FG301"
CHAIN_BRANCH = "FG302"
CHAIN_EDITED_SNAPSHOT = "FG303"
CHAIN_BAD_FILE = "FG304"
CHAIN_REPLAY = "FG305"


class MigrationFileError(OperationError):
    """A migration file cannot be read."""


@dataclass
class Migration:
    id: str
    parent: str | None
    description: str
    operations: list[Operation]
    reverse: list[Operation]
    snapshot: st.Snapshot | None
    snapshot_checksum: str | None = None
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    replay_verified: bool = False
    """Set by ``migrate make`` once its operations, applied to the snapshot before it,
    are known to produce its snapshot: then the file is stamped (``migrations.quick``)."""
    parent_snapshot_checksum: str | None = None
    """The snapshot checksum of the migration before (None for the first)."""
    stamp: Any = None
    """How the file read checks its ``file_checksum`` (``migrations.quick.Stamp``), if any."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "farmgen": FILE_FORMAT,
            "id": self.id,
            "parent": self.parent,
            "description": self.description,
            "operations": [op.to_json() for op in self.operations],
            "reverse": [op.to_json() for op in self.reverse],
        }
        if self.snapshot is not None:
            data["snapshot"] = self.snapshot
            data["snapshot_checksum"] = st.checksum(self.snapshot)
        return data

    def text(self) -> str:
        if self.replay_verified and self.snapshot is not None:
            from farmgen.migrations.quick import stamped_text

            return stamped_text(self.to_json(), self.parent_snapshot_checksum)
        return st.canonical_json(self.to_json())

    @property
    def checksum(self) -> str:
        """What the history records: the checksum of the operations and their reverse."""
        return operations_checksum(self.operations, self.reverse)

    @property
    def destructive(self) -> list[Operation]:
        return [op for op in self.operations if op.destructive]


def operations_checksum(operations: Iterable[Operation], reverse: Iterable[Operation]) -> str:
    return st.checksum(
        {"operations": [o.to_json() for o in operations], "reverse": [o.to_json() for o in reverse]}
    )


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    return text or "migration"


def next_id(existing: Iterable[str], name: str) -> str:
    """``NNNN_name``: one more than the highest sequence number (or the count of ids)."""
    ids = list(existing)
    numbers = [
        int(m.group(1)) for i in ids if (m := _SEQUENCE_ID.match(i)) and not _TIMESTAMP_ID.match(i)
    ]
    count = max(numbers) if numbers else len(ids)
    return f"{count + 1:04d}_{slug(name)}"


def migration_path(directory: Path, migration_id: str) -> Path:
    return directory / f"{migration_id}.json"


def write_migration(directory: Path, migration: Migration) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = migration_path(directory, migration.id)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(migration.text(), encoding="utf-8", newline="\n")
    tmp.replace(path)
    return path


def read_migration(path: Path, previous: str | None = None) -> Migration:
    from farmgen.migrations.quick import Stamp

    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise MigrationFileError(f"{path}: not a readable JSON migration file ({exc})") from exc
    if not isinstance(data, dict):
        raise MigrationFileError(f"{path}: a migration file holds one JSON object")
    try:
        migration = _from_json(data, path, previous)
    except OperationError as exc:
        raise MigrationFileError(f"{path}: {exc.message}") from exc
    migration.stamp = Stamp.read(raw)
    return migration


def _from_json(data: dict[str, Any], path: Path, previous: str | None) -> Migration:
    mig_id = str(data.get("id") or path.stem)
    if mig_id != path.stem:
        raise MigrationFileError(f"its id '{mig_id}' differs from its file name")
    operations = operations_from_json(data.get("operations", []))
    reverse = (
        operations_from_json(data["reverse"]) if "reverse" in data else reverse_all(operations)
    )
    known = {
        "farmgen",
        "id",
        "parent",
        "description",
        "operations",
        "reverse",
        "snapshot",
        "snapshot_checksum",
        "file_checksum",
        "name",
        "created_at",
    }
    return Migration(
        id=mig_id,
        parent=data.get("parent", previous),
        description=str(data.get("description", "")),
        operations=operations,
        reverse=reverse,
        snapshot=data.get("snapshot"),
        snapshot_checksum=data.get("snapshot_checksum"),
        path=path,
        extra={k: v for k, v in data.items() if k not in known},
    )


def is_migration_file(path: Path) -> bool:
    stem = path.stem
    return path.suffix == ".json" and bool(_SEQUENCE_ID.match(stem) or _TIMESTAMP_ID.match(stem))


def read_directory(directory: Path) -> list[Migration]:
    """Every migration file in ``directory``, in file-name order."""
    if not directory.is_dir():
        return []
    found: list[Migration] = []
    previous: str | None = None
    for path in sorted(p for p in directory.iterdir() if is_migration_file(p)):
        migration = read_migration(path, previous)
        found.append(migration)
        previous = migration.id
    return found


@dataclass
class Chain:
    """Migrations in applying order, with what is wrong with the chain."""

    migrations: list[Migration]
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not self.diagnostics

    @property
    def head(self) -> Migration | None:
        return self.migrations[-1] if self.migrations else None

    def snapshot(self) -> st.Snapshot:
        """The schema after the last migration (replayed where a file has no snapshot)."""
        state = st.empty_snapshot()
        for migration in self.migrations:
            if migration.snapshot is not None:
                state = migration.snapshot
            else:
                state = apply_all(state, migration.operations)
        return state

    def snapshots(self) -> list[tuple[st.Snapshot, st.Snapshot]]:
        """(before, after) for each migration."""
        pairs: list[tuple[st.Snapshot, st.Snapshot]] = []
        state = st.empty_snapshot()
        for migration in self.migrations:
            after = apply_all(state, migration.operations)
            pairs.append((state, after))
            state = after
        return pairs


def _where(migration: Migration) -> Location:
    return Location(str(migration.path) if migration.path else migration.id)


def build_chain(migrations: list[Migration]) -> Chain:
    """Order by ``parent`` links and report missing parents, branches, edited snapshots."""
    problems: list[Diagnostic] = []
    by_id = {m.id: m for m in migrations}
    children: dict[str | None, list[Migration]] = {}
    for migration in migrations:
        if migration.parent is not None and migration.parent not in by_id:
            problems.append(
                Diagnostic(
                    _where(migration),
                    CHAIN_MISSING_PARENT,
                    f"migration {migration.id} follows {migration.parent}, which does not exist",
                    hint="restore the missing file, or set 'parent' to the migration it follows "
                    "and run `farmgen migrate check` again",
                )
            )
        children.setdefault(migration.parent, []).append(migration)
    for parent, kids in sorted(children.items(), key=lambda item: str(item[0])):
        if len(kids) > 1:
            names = ", ".join(k.id for k in kids)
            problems.append(
                Diagnostic(
                    _where(kids[-1]),
                    CHAIN_BRANCH,
                    f"migrations {names} all follow {parent or 'the start'} (a branch)",
                    hint=f"delete {kids[-1].id} (the newer branch) and run `farmgen migrate make` "
                    "again, so that it follows the other",
                )
            )
    ordered: list[Migration] = []
    current: str | None = None
    while current in children or current is None:
        kids = children.get(current, [])
        if not kids:
            break
        ordered.append(kids[0])
        current = kids[0].id
    problems.extend(_check_snapshots(ordered))
    return Chain(ordered, problems)


def _stamped(migration: Migration, parent_snapshot: str | None) -> bool:
    """Whether the file is as ``migrate make`` wrote it after ``parent_snapshot``: then its
    operations are known to replay to its snapshot (``farmgen.migrations.quick``)."""
    return (
        migration.stamp is not None
        and migration.snapshot is not None
        and migration.snapshot_checksum is not None
        and migration.stamp.matches(parent_snapshot)
    )


def _check_snapshots(ordered: list[Migration]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    state = st.empty_snapshot()
    parent_snapshot: str | None = None
    trusted = True
    for migration in ordered:
        trusted = trusted and _stamped(migration, parent_snapshot)
        parent_snapshot = migration.snapshot_checksum
        if trusted and migration.snapshot is not None:
            state = migration.snapshot
            continue
        try:
            replayed = apply_all(state, migration.operations)
        except OperationError as exc:
            problems.append(
                Diagnostic(
                    _where(migration),
                    CHAIN_REPLAY,
                    f"migration {migration.id} does not fit the schema before it: {exc.message}",
                    hint="fix its operations, or delete it and run `farmgen migrate make` again",
                )
            )
            return problems
        snap = migration.snapshot
        if snap is not None:
            if migration.snapshot_checksum and migration.snapshot_checksum != st.checksum(snap):
                problems.append(
                    Diagnostic(
                        _where(migration),
                        CHAIN_EDITED_SNAPSHOT,
                        f"the snapshot of migration {migration.id} was edited "
                        f"(recorded {migration.snapshot_checksum}, found {st.checksum(snap)})",
                        hint="restore it from version control; change the schema through the spec "
                        "and `farmgen migrate make` instead",
                    )
                )
            elif _db_part(replayed) != _db_part(snap):
                problems.append(
                    Diagnostic(
                        _where(migration),
                        CHAIN_REPLAY,
                        f"the operations of migration {migration.id} do not produce its snapshot",
                        hint="make the hand-edited operations match the spec, or delete the file "
                        "and run `farmgen migrate make` again",
                    )
                )
        state = replayed
    return problems


def _db_part(snapshot: st.Snapshot) -> st.Snapshot:
    return {"enums": snapshot.get("enums", {}), "models": snapshot.get("models", {})}


def load_chain(directory: Path) -> Chain:
    return build_chain(read_directory(directory))
