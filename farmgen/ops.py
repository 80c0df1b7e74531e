"""Migration operations: typed, reversible, serialised to and from JSON.

The differ creates them, migration files store them and the runtime applier
executes them, so this module needs the standard library only. Operations are
logical: the same list applies to MongoDB and to SQL, and each one also knows how it
changes a schema snapshot (:meth:`Operation.apply`), which is how the applier learns
the exact schema before and after every step.

Field paths may be dotted (``profile.first_name``) for fields of embedded types.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from farmgen.diagnostics import FarmgenError
from farmgen.runtime import schema_state as st

__all__ = [
    "OPERATIONS",
    "AddField",
    "AlterEnum",
    "AlterField",
    "CreateCollection",
    "CreateEnum",
    "CreateIndex",
    "DropCollection",
    "DropEnum",
    "DropIndex",
    "Operation",
    "OperationError",
    "RemoveField",
    "RenameCollection",
    "RenameField",
    "apply_all",
    "operation_from_json",
    "operations_from_json",
    "register_operation",
    "reverse_all",
]

FieldSpec = dict[str, Any]


class OperationError(FarmgenError):
    """An operation could not be registered, read or applied to a schema snapshot."""


OPERATIONS: dict[str, type[Operation]] = {}

_O = TypeVar("_O", bound="type[Operation]")


def register_operation(cls: _O) -> _O:
    """Class decorator: add an operation type; a second one with the same name raises."""
    name = cls.type
    if not name:
        raise OperationError(f"{cls.__name__} has no operation type name")
    if name in OPERATIONS:
        raise OperationError(
            f"operation type '{name}' is registered twice "
            f"({OPERATIONS[name].__name__} and {cls.__name__})"
        )
    OPERATIONS[name] = cls
    return cls


def operation_from_json(data: Mapping[str, Any]) -> Operation:
    kind = data.get("type")
    cls = OPERATIONS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        known = ", ".join(sorted(OPERATIONS))
        raise OperationError(f"unknown migration operation type {kind!r} (known: {known})")
    return cls.from_json(data)


def operations_from_json(items: Iterable[Mapping[str, Any]]) -> list[Operation]:
    return [operation_from_json(item) for item in items]


def reverse_all(operations: Iterable[Operation]) -> list[Operation]:
    """The exact inverse of a list of operations: each one reversed, in reverse order."""
    return [op.reverse() for op in reversed(list(operations))]


def apply_all(snapshot: st.Snapshot, operations: Iterable[Operation]) -> st.Snapshot:
    """A new snapshot: ``snapshot`` with every operation applied in order."""
    state: st.Snapshot = st.clone(snapshot)
    for op in operations:
        try:
            op.apply(state)
        except st.SnapshotError as exc:
            raise OperationError(f"{op.describe()}: {exc}") from exc
    return state


@dataclass(frozen=True)
class Operation:
    """Base of every operation; subclasses are frozen dataclasses."""

    type: ClassVar[str] = ""

    @property
    def destructive(self) -> bool:
        """True where applying it can lose data (rollback cannot bring it back)."""
        return False

    def reverse(self) -> Operation:
        raise NotImplementedError

    def apply(self, snapshot: st.Snapshot) -> None:
        """Change ``snapshot`` (in place) as this operation changes the database."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None and f.default is None:
                continue
            data[f.name] = st.clone(value) if isinstance(value, (dict, list)) else value
        if self.destructive:
            data["destructive"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Operation:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names - {"type", "destructive"}
        if unknown:
            raise OperationError(f"{cls.type}: unknown keys {sorted(unknown)}")
        try:
            return cls(**{k: v for k, v in data.items() if k in names})
        except TypeError as exc:
            raise OperationError(f"{cls.type}: {exc}") from exc


def _models(snapshot: st.Snapshot) -> dict[str, Any]:
    models: dict[str, Any] = snapshot["models"]
    return models


def _map_types(fields: dict[str, FieldSpec], change: Callable[[str], str]) -> None:
    for spec in fields.values():
        spec["type"] = change(spec["type"])
        if "fields" in spec:
            _map_types(spec["fields"], change)


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
        container = st.field_container(snapshot, self.collection, self.field)
        name = self.field.rsplit(".", 1)[-1]
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
        container = st.field_container(snapshot, self.collection, self.field)
        name = self.field.rsplit(".", 1)[-1]
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
        container = st.field_container(snapshot, self.collection, self.old_name)
        old, new = self.old_name.rsplit(".", 1)[-1], self.new_name.rsplit(".", 1)[-1]
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
        container = st.field_container(snapshot, self.collection, self.field)
        name = self.field.rsplit(".", 1)[-1]
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


@register_operation
@dataclass(frozen=True)
class CreateIndex(Operation):
    type: ClassVar[str] = "create_index"
    collection: str
    index: dict[str, Any]
    """``{"name": ..., "fields": [[path, 1 | -1 | "text"], ...], "unique": bool}``."""

    def reverse(self) -> Operation:
        return DropIndex(self.collection, st.clone(self.index))

    def apply(self, snapshot: st.Snapshot) -> None:
        indexes = st.model(snapshot, self.collection)["indexes"]
        name = self.index["name"]
        if name in indexes:
            raise st.SnapshotError(f"index '{name}' exists already")
        indexes[name] = {k: st.clone(v) for k, v in self.index.items() if k != "name"}

    def describe(self) -> str:
        unique = " unique" if self.index.get("unique") else ""
        keys = ", ".join(str(k[0]) for k in self.index["fields"])
        return f"create_index {self.collection}.{self.index['name']}{unique} ({keys})"


@register_operation
@dataclass(frozen=True)
class DropIndex(Operation):
    type: ClassVar[str] = "drop_index"
    collection: str
    index: dict[str, Any]

    def reverse(self) -> Operation:
        return CreateIndex(self.collection, st.clone(self.index))

    def apply(self, snapshot: st.Snapshot) -> None:
        indexes = st.model(snapshot, self.collection)["indexes"]
        if indexes.pop(self.index["name"], None) is None:
            raise st.SnapshotError(f"no index '{self.index['name']}'")

    def describe(self) -> str:
        return f"drop_index {self.collection}.{self.index['name']}"


@register_operation
@dataclass(frozen=True)
class CreateEnum(Operation):
    type: ClassVar[str] = "create_enum"
    name: str
    values: list[str]

    def reverse(self) -> Operation:
        return DropEnum(self.name, list(self.values))

    def apply(self, snapshot: st.Snapshot) -> None:
        if self.name in snapshot["enums"]:
            raise st.SnapshotError(f"enum '{self.name}' exists already")
        snapshot["enums"][self.name] = list(self.values)

    def describe(self) -> str:
        return f"create_enum {self.name} [{', '.join(self.values)}]"


@register_operation
@dataclass(frozen=True)
class DropEnum(Operation):
    type: ClassVar[str] = "drop_enum"
    name: str
    values: list[str]

    def reverse(self) -> Operation:
        return CreateEnum(self.name, list(self.values))

    def apply(self, snapshot: st.Snapshot) -> None:
        if st.enum_users(snapshot, self.name):
            raise st.SnapshotError(f"enum '{self.name}' is still used")
        if snapshot["enums"].pop(self.name, None) is None:
            raise st.SnapshotError(f"no enum '{self.name}'")

    def describe(self) -> str:
        return f"drop_enum {self.name}"


@register_operation
@dataclass(frozen=True)
class AlterEnum(Operation):
    type: ClassVar[str] = "alter_enum"
    name: str
    old_values: list[str]
    new_values: list[str]

    @property
    def added(self) -> list[str]:
        return [v for v in self.new_values if v not in self.old_values]

    @property
    def removed(self) -> list[str]:
        return [v for v in self.old_values if v not in self.new_values]

    @property
    def destructive(self) -> bool:
        return bool(self.removed)

    def reverse(self) -> Operation:
        return AlterEnum(self.name, list(self.new_values), list(self.old_values))

    def apply(self, snapshot: st.Snapshot) -> None:
        if snapshot["enums"].get(self.name) != self.old_values:
            raise st.SnapshotError(f"enum '{self.name}' is not as the operation expects")
        snapshot["enums"][self.name] = list(self.new_values)

    def describe(self) -> str:
        parts = [f"+{v}" for v in self.added] + [f"-{v}" for v in self.removed]
        return f"alter_enum {self.name} ({', '.join(parts) or 'reordered'})"


def _without_fields(spec: FieldSpec) -> FieldSpec:
    return {k: v for k, v in spec.items() if k != "fields"}


def _type_text(spec: FieldSpec) -> str:
    return str(spec["type"]) + ("?" if spec.get("optional") else "")


def _refuse_indexed(snapshot: st.Snapshot, collection: str, path: str) -> None:
    for name, index in st.model(snapshot, collection)["indexes"].items():
        paths = [str(key[0]) for key in index["fields"]]
        if any(p == path or p.startswith(path + ".") for p in paths):
            raise st.SnapshotError(f"index '{name}' uses '{path}': drop it first")
