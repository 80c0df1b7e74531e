"""farmgen.ops: JSON round-trip, exact reverse, registry errors, destructive flags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from farmgen import ops
from farmgen.runtime import schema_state as st

FIELD = {"type": "string", "optional": True, "max_length": 20}
INDEX = {"name": "ix_users_email", "fields": [["email", 1]], "unique": True}
EXAMPLES: list[ops.Operation] = [
    ops.CreateCollection("users", {"email": {"type": "email", "optional": False}}),
    ops.DropCollection("users", {"email": {"type": "email", "optional": False}}),
    ops.RenameCollection("users", "members"),
    ops.AddField("users", "nick", FIELD, None),
    ops.RemoveField("users", "nick", FIELD, None),
    ops.RenameField("users", "profile.nick", "profile.display"),
    ops.AlterField("users", "nick", FIELD, {**FIELD, "max_length": 10}),
    ops.CreateIndex("users", INDEX),
    ops.DropIndex("users", INDEX),
    ops.CreateEnum("Status", ["a", "b"]),
    ops.DropEnum("Status", ["a", "b"]),
    ops.AlterEnum("Status", ["a", "b"], ["a", "c"]),
]


def test_every_registered_operation_has_an_example() -> None:
    assert {type(op).type for op in EXAMPLES} == set(ops.OPERATIONS)


@pytest.mark.parametrize("op", EXAMPLES, ids=lambda op: op.type)
def test_json_round_trip(op: ops.Operation) -> None:
    data = op.to_json()
    assert data["type"] == op.type
    assert ops.operation_from_json(data) == op


@pytest.mark.parametrize("op", EXAMPLES, ids=lambda op: op.type)
def test_reverse_of_reverse_is_the_operation(op: ops.Operation) -> None:
    def plain(data: dict[str, object]) -> dict[str, object]:
        return {k: v for k, v in data.items() if k != "note"}

    assert plain(op.reverse().reverse().to_json()) == plain(op.to_json())
    assert op.reverse().to_json() != op.to_json()


def test_destructive_operations_are_marked_in_json() -> None:
    destructive = {op.type for op in EXAMPLES if op.destructive}
    assert destructive == {"drop_collection", "remove_field", "alter_field", "alter_enum"}
    assert ops.RemoveField("t", "a", FIELD).to_json()["destructive"] is True
    assert "destructive" not in ops.AddField("t", "a", FIELD).to_json()


def test_widening_is_not_destructive() -> None:
    assert not ops.AlterField("t", "a", {"type": "int"}, {"type": "float"}).destructive
    assert not ops.AlterField("t", "a", FIELD, {**FIELD, "max_length": 40}).destructive
    assert ops.AlterField("t", "a", {"type": "float"}, {"type": "int"}).destructive


def test_enum_changes_name_added_and_removed_values() -> None:
    op = ops.AlterEnum("Status", ["a", "b"], ["a", "c"])
    assert (op.added, op.removed) == (["c"], ["b"])
    assert op.describe() == "alter_enum Status (+c, -b)"


def test_unknown_type_raises_naming_the_known_ones() -> None:
    with pytest.raises(ops.OperationError, match="unknown migration operation type 'explode'"):
        ops.operation_from_json({"type": "explode"})


def test_unknown_keys_raise() -> None:
    with pytest.raises(ops.OperationError, match="unknown keys"):
        ops.operation_from_json(
            {"type": "rename_collection", "old_name": "a", "new_name": "b", "x": 1}
        )


def test_duplicate_registration_raises() -> None:
    with pytest.raises(ops.OperationError, match="registered twice"):

        @ops.register_operation
        @dataclass(frozen=True)
        class Again(ops.Operation):
            type: ClassVar[str] = "add_field"


def test_rename_needs_the_same_parent() -> None:
    with pytest.raises(ops.OperationError, match="same parent"):
        ops.RenameField("t", "profile.a", "other.b")


def test_apply_and_reverse_all_restore_the_snapshot() -> None:
    operations: list[ops.Operation] = [
        ops.CreateEnum("Status", ["a"]),
        ops.CreateCollection("users", {"s": {"type": "Status", "optional": False}}),
        ops.AddField("users", "nick", FIELD),
        ops.CreateIndex(
            "users", {"name": "ix_users_nick", "fields": [["nick", 1]], "unique": False}
        ),
        ops.AlterEnum("Status", ["a"], ["a", "b"]),
    ]
    after = ops.apply_all(st.empty_snapshot(), operations)
    assert after["models"]["users"]["indexes"]["ix_users_nick"]["fields"] == [["nick", 1]]
    assert after["enums"] == {"Status": ["a", "b"]}
    assert ops.apply_all(after, ops.reverse_all(operations)) == st.empty_snapshot()


def test_apply_refuses_an_operation_that_does_not_fit() -> None:
    with pytest.raises(ops.OperationError, match="no collection 'users'"):
        ops.apply_all(st.empty_snapshot(), [ops.AddField("users", "a", FIELD)])
    state = ops.apply_all(st.empty_snapshot(), [ops.CreateCollection("t", {"a": FIELD})])
    state = ops.apply_all(state, [ops.CreateIndex("t", {"name": "ix", "fields": [["a", 1]]})])
    with pytest.raises(ops.OperationError, match="index 'ix' uses 'a'"):
        ops.apply_all(state, [ops.RenameField("t", "a", "b")])


def test_reverse_of_a_drop_says_the_data_does_not_come_back() -> None:
    back = ops.DropCollection("users", {}).reverse().to_json()
    assert back["note"] == "rows of users dropped by the migration do not come back"
    assert (
        "values of users.nick"
        in ops.RemoveField("users", "nick", FIELD).reverse().to_json()["note"]
    )


def test_the_applier_for_mongodb_does_not_import_sqlalchemy() -> None:
    import json
    import subprocess
    import sys

    code = (
        "import sys, json, farmgen.runtime.migrate as m\n"
        "m.backend_for(object.__new__(type('Db', (), {})))\n"
        "print(json.dumps('sqlalchemy' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) is False
