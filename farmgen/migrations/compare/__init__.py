"""The differ: previous snapshot + current snapshot + rename decisions → operations.

It does no I/O and guesses nothing: renames come from ``renamed_from`` hints
(:class:`~farmgen.migrations.snapshot.Renames`). One small comparator per object kind:
``enums``, ``models``, ``fields``, ``indexes``, ``relations``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from farmgen.diagnostics import Diagnostic, Severity
from farmgen.migrations.compare.enums import compare_enums
from farmgen.migrations.compare.fields import compare_fields
from farmgen.migrations.compare.indexes import compare_indexes
from farmgen.migrations.compare.models import match_collections
from farmgen.migrations.plan import Changes, order_operations
from farmgen.migrations.snapshot import Renames
from farmgen.ops import Operation, RenameCollection, apply_all
from farmgen.runtime import schema_state as st

__all__ = ["Diff", "diff"]


@dataclass
class Diff:
    operations: list[Operation] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def destructive(self) -> list[Operation]:
        return [op for op in self.operations if op.destructive]


def diff(old: st.Snapshot, new: st.Snapshot, renames: Renames | None = None) -> Diff:
    """The operations that turn ``old`` into ``new`` (neither is modified)."""
    quick = _diff(old, new, renames, copy_old=False)
    if not quick.operations:
        return quick
    return _diff(old, new, renames, copy_old=True)


def _diff(old: st.Snapshot, new: st.Snapshot, renames: Renames | None, *, copy_old: bool) -> Diff:
    """``copy_old=False`` reads ``old`` in place (the comparators never modify it) when no
    collection is renamed; operations from it may share parts of ``old``, so ``diff``
    keeps that result only when it has no operations."""
    renames = renames or Renames()
    changes = Changes()
    result = Diff()
    changes.enums_first, changes.enums_last = compare_enums(old["enums"], new["enums"])
    match = match_collections(old, new, renames)
    changes.added = match.added
    for old_name, new_name in match.renamed:
        changes.collection_renames.append(RenameCollection(old_name, new_name))
    # Everything after the renames sees the old schema with the new collection names.
    copy_old = copy_old or bool(changes.collection_renames)
    renamed = apply_all(old, changes.collection_renames) if copy_old else old
    changes.dropped = [c for c in match.removed]
    for coll, old_coll in sorted(match.pairs.items()):
        before, after = renamed["models"][coll], new["models"][coll]
        fields = compare_fields(coll, before["fields"], after["fields"], renames)
        changes.field_removes += fields.removes
        changes.field_renames += fields.renames
        changes.field_alters += fields.alters
        changes.field_adds += fields.adds
        result.diagnostics += fields.diagnostics
        drops, creates = compare_indexes(
            old_coll, coll, before["indexes"], after["indexes"], fields.moved
        )
        changes.index_drops += drops
        changes.index_creates += creates
    result.operations = order_operations(renamed, new, changes)
    return result
