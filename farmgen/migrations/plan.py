"""Order operations so that every step is valid where it runs.

Phases: enums created or given new values; indexes that change dropped; collections renamed;
fields removed, renamed, altered; dropped collections (referencing ones first);
new collections (referenced ones first, a reference inside a cycle added once its
target exists); fields added; indexes created; enum values removed, enums dropped.
Inside a phase the order is by name, so the same two schemas always give the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from farmgen.migrations.compare.relations import creation_order, referenced_collection
from farmgen.ops import AddField, CreateCollection, CreateIndex, Operation, reverse_all
from farmgen.runtime import schema_state as st


@dataclass
class Changes:
    """The comparators' results, by phase."""

    enums_first: list[Operation] = field(default_factory=list)
    index_drops: list[Operation] = field(default_factory=list)
    collection_renames: list[Operation] = field(default_factory=list)
    field_removes: list[Operation] = field(default_factory=list)
    field_renames: list[Operation] = field(default_factory=list)
    field_alters: list[Operation] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    field_adds: list[Operation] = field(default_factory=list)
    index_creates: list[Operation] = field(default_factory=list)
    enums_last: list[Operation] = field(default_factory=list)


def creation_plan(snapshot: st.Snapshot, collections: set[str]) -> list[Operation]:
    """Create ``collections`` as ``snapshot`` has them: tables, late references, indexes."""
    order = creation_order(snapshot, collections)
    created: set[str] = set()
    creates: list[Operation] = []
    late: list[Operation] = []
    for coll in order:
        created.add(coll)
        fields = st.model(snapshot, coll)["fields"]
        now: dict[str, st.FieldSpec] = {}
        for name in sorted(fields):
            target = referenced_collection(snapshot, fields[name])
            if target is None or target not in collections or target in created:
                now[name] = st.clone(fields[name])
            else:
                late.append(
                    AddField(coll, name, st.clone(fields[name]), fields[name].get("default"))
                )
        creates.append(CreateCollection(coll, now))
    indexes: list[Operation] = []
    for coll in sorted(collections):
        for name, spec in sorted(st.model(snapshot, coll)["indexes"].items()):
            indexes.append(CreateIndex(coll, {"name": name, **st.clone(spec)}))
    return creates + late + indexes


def order_operations(old: st.Snapshot, new: st.Snapshot, changes: Changes) -> list[Operation]:
    def by_path(ops: list[Operation]) -> list[Operation]:
        return sorted(ops, key=lambda op: op.describe())

    drops = reverse_all(creation_plan(old, set(changes.dropped))) if changes.dropped else []
    creates = creation_plan(new, set(changes.added)) if changes.added else []
    return [
        *changes.enums_first,
        *by_path(changes.index_drops),
        *changes.collection_renames,
        *by_path(changes.field_removes),
        *_renames_in_order(changes.field_renames),
        *by_path(changes.field_alters),
        *drops,
        *creates,
        *by_path(changes.field_adds),
        *by_path(changes.index_creates),
        *changes.enums_last,
    ]


def _renames_in_order(ops: list[Operation]) -> list[Operation]:
    """Parents before children (a child's path already uses its parent's new name); the
    comparator's order is kept otherwise (a rename onto a name after it moved away)."""
    return sorted(ops, key=lambda op: op.describe().count("."))
