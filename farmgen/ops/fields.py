"""Fields (columns, document keys; dotted paths inside embedded types)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from farmgen.ops.base import (
    FieldSpec,
    Operation,
    OperationError,
    _refuse_indexed,
    _type_text,
    _without_fields,
    register_operation,
)
from farmgen.runtime import schema_state as st


@register_operation
@dataclass(frozen=True)
class AddField(Operation):
    type: ClassVar[str] = "add_field"
    collection: str
    field: str
    spec: FieldSpec
    default_value: Any = None
    """Written where the field is missing in existing rows and documents."""
    note: str | None = None

    def reverse(self) -> Operation:
        return RemoveField(self.collection, self.field, st.clone(self.spec), self.default_value)

    def apply(self, snapshot: st.Snapshot) -> None:
        container, name = st.field_slot(snapshot, self.collection, self.field)
        if name in container:
            raise st.SnapshotError(f"field '{self.field}' exists already")
        container[name] = st.clone(self.spec)

    def describe(self) -> str:
        return f"add_field {self.collection}.{self.field} {_type_text(self.spec)}"


@register_operation
@dataclass(frozen=True)
class RemoveField(Operation):
    type: ClassVar[str] = "remove_field"
    collection: str
    field: str
    spec: FieldSpec
    default_value: Any = None
    """What rollback writes back: the values themselves do not come back."""

    @property
    def destructive(self) -> bool:
        return True

    def reverse(self) -> Operation:
        note = f"values of {self.collection}.{self.field} removed by the migration do not come back"
        return AddField(self.collection, self.field, st.clone(self.spec), self.default_value, note)

    def apply(self, snapshot: st.Snapshot) -> None:
        container, name = st.field_slot(snapshot, self.collection, self.field)
        if name not in container:
            raise st.SnapshotError(f"no field '{self.field}'")
        _refuse_indexed(snapshot, self.collection, self.field)
        del container[name]

    def describe(self) -> str:
        return f"remove_field {self.collection}.{self.field}"


@register_operation
@dataclass(frozen=True)
class RenameField(Operation):
    type: ClassVar[str] = "rename_field"
    collection: str
    old_name: str
    new_name: str
    """Both are full paths with the same parent (``profile.nick`` → ``profile.display``)."""

    def __post_init__(self) -> None:
        if self.old_name.rpartition(".")[0] != self.new_name.rpartition(".")[0]:
            raise OperationError(
                f"rename_field {self.old_name} -> {self.new_name}: both paths need the same parent"
            )

    def reverse(self) -> Operation:
        return RenameField(self.collection, self.new_name, self.old_name)

    def apply(self, snapshot: st.Snapshot) -> None:
        container, old = st.field_slot(snapshot, self.collection, self.old_name)
        new = self.new_name.rsplit(".", 1)[-1]
        if old not in container or new in container:
            raise st.SnapshotError(f"cannot rename '{self.old_name}' to '{self.new_name}'")
        _refuse_indexed(snapshot, self.collection, self.old_name)
        container[new] = container.pop(old)

    def describe(self) -> str:
        return f"rename_field {self.collection}.{self.old_name} -> {self.new_name}"


@register_operation
@dataclass(frozen=True)
class AlterField(Operation):
    type: ClassVar[str] = "alter_field"
    collection: str
    field: str
    old: FieldSpec
    new: FieldSpec
    fill_value: Any = None
    """Written into nulls when the field becomes required (its new default)."""

    @property
    def destructive(self) -> bool:
        old_type, new_type = self.old["type"], self.new["type"]
        if old_type != new_type:
            widened = (old_type, new_type) in WIDENINGS
            return not widened and not (old_type in st.SCALAR_TYPES and new_type == "json")
        old_len, new_len = self.old.get("max_length"), self.new.get("max_length")
        return new_len is not None and (old_len is None or new_len < old_len)

    def reverse(self) -> Operation:
        fill = self.old.get("default") if not self.old.get("optional") else None
        return AlterField(self.collection, self.field, st.clone(self.new), st.clone(self.old), fill)

    def apply(self, snapshot: st.Snapshot) -> None:
        container, name = st.field_slot(snapshot, self.collection, self.field)
        current = container.get(name)
        if self.old["type"] != self.new["type"]:
            # A type change replaces the whole field, nested fields included.
            if current != self.old:
                raise st.SnapshotError(f"field '{self.field}' is not as the operation expects")
            container[name] = st.clone(self.new)
            return
        if current is None or _without_fields(current) != _without_fields(self.old):
            raise st.SnapshotError(f"field '{self.field}' is not as the operation expects")
        replaced = st.clone(_without_fields(self.new))
        if "fields" in current:
            replaced["fields"] = current["fields"]
        container[name] = replaced

    def changes(self) -> list[str]:
        keys = sorted(set(self.old) | set(self.new))
        return [k for k in keys if self.old.get(k) != self.new.get(k)]

    def describe(self) -> str:
        return f"alter_field {self.collection}.{self.field} ({', '.join(self.changes())})"


WIDENINGS = frozenset(
    {
        ("int", "float"),
        ("int", "decimal"),
        ("float", "decimal"),
        ("string", "text"),
        ("email", "string"),
        ("url", "string"),
        ("email", "text"),
        ("url", "text"),
        ("objectid", "string"),
        ("date", "datetime"),
    }
)
"""Type changes that keep every value."""
