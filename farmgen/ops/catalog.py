"""Indexes and enums."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from farmgen.ops.base import (
    Operation,
    register_operation,
)
from farmgen.runtime import schema_state as st


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
