"""Migration operations: typed, reversible, serialised to and from JSON.

The differ creates them, migration files store them and the runtime applier
executes them, so this module needs the standard library only. Operations are
logical: the same list applies to MongoDB and to SQL, and each one also knows how it
changes a schema snapshot (:meth:`Operation.apply`), which is how the applier learns
the exact schema before and after every step.

Field paths may be dotted (``profile.first_name``) for fields of embedded types.
"""

from __future__ import annotations

from farmgen.ops.base import (
    OPERATIONS,
    Operation,
    OperationError,
    apply_all,
    operation_from_json,
    operations_from_json,
    register_operation,
    reverse_all,
)
from farmgen.ops.catalog import AlterEnum, CreateEnum, CreateIndex, DropEnum, DropIndex
from farmgen.ops.collections import CreateCollection, DropCollection, RenameCollection
from farmgen.ops.fields import WIDENINGS, AddField, AlterField, RemoveField, RenameField

__all__ = [
    "OPERATIONS",
    "WIDENINGS",
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
