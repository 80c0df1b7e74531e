"""Collections (tables): create, drop, rename."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from farmgen.ops.base import (
    FieldSpec,
    Operation,
    _map_types,
    _models,
    register_operation,
)
from farmgen.runtime import schema_state as st


@register_operation
@dataclass(frozen=True)
class CreateCollection(Operation):
    type: ClassVar[str] = "create_collection"
    collection: str
    fields: dict[str, FieldSpec]
    """Every field at creation (indexes follow as ``create_index``)."""
    note: str | None = None

    def reverse(self) -> Operation:
        return DropCollection(self.collection, st.clone(self.fields))

    def apply(self, snapshot: st.Snapshot) -> None:
        if self.collection in _models(snapshot):
            raise st.SnapshotError(f"collection '{self.collection}' exists already")
        _models(snapshot)[self.collection] = {"fields": st.clone(self.fields), "indexes": {}}

    def describe(self) -> str:
        return f"create_collection {self.collection} ({len(self.fields)} fields)"


@register_operation
@dataclass(frozen=True)
class DropCollection(Operation):
    type: ClassVar[str] = "drop_collection"
    collection: str
    fields: dict[str, FieldSpec]
    note: str | None = None

    @property
    def destructive(self) -> bool:
        return True

    def reverse(self) -> Operation:
        note = f"rows of {self.collection} dropped by the migration do not come back"
        return CreateCollection(self.collection, st.clone(self.fields), note)

    def apply(self, snapshot: st.Snapshot) -> None:
        found = st.model(snapshot, self.collection)
        if found["indexes"]:
            raise st.SnapshotError(f"drop the indexes of '{self.collection}' first")
        del _models(snapshot)[self.collection]

    def describe(self) -> str:
        return f"drop_collection {self.collection}"


@register_operation
@dataclass(frozen=True)
class RenameCollection(Operation):
    type: ClassVar[str] = "rename_collection"
    old_name: str
    new_name: str

    def reverse(self) -> Operation:
        return RenameCollection(self.new_name, self.old_name)

    def apply(self, snapshot: st.Snapshot) -> None:
        models = _models(snapshot)
        if self.new_name in models:
            raise st.SnapshotError(f"collection '{self.new_name}' exists already")
        models[self.new_name] = models.pop(self.old_name)
        old_ref, new_ref = f"ref[{self.old_name}]", f"ref[{self.new_name}]"
        for spec in models.values():
            _map_types(spec["fields"], lambda t: t.replace(old_ref, new_ref))

    def describe(self) -> str:
        return f"rename_collection {self.old_name} -> {self.new_name}"
