"""The operation base class, the registry that raises, and snapshot replay."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from farmgen.diagnostics import FarmgenError
from farmgen.runtime import schema_state as st

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


def _without_fields(spec: FieldSpec) -> FieldSpec:
    return {k: v for k, v in spec.items() if k != "fields"}


def _type_text(spec: FieldSpec) -> str:
    return str(spec["type"]) + ("?" if spec.get("optional") else "")


def _refuse_indexed(snapshot: st.Snapshot, collection: str, path: str) -> None:
    for name, index in st.model(snapshot, collection)["indexes"].items():
        paths = [str(key[0]) for key in index["fields"]]
        if any(p == path or p.startswith(path + ".") for p in paths):
            raise st.SnapshotError(f"index '{name}' uses '{path}': drop it first")
