"""Fields of embedded types on SQL: keys inside a JSON column, renamed in place."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from farmgen import ops
from farmgen.runtime import schema_state as st
from farmgen.runtime.migrate_sql import SqlStep


def _json_path_through_list(snapshot: st.Snapshot, collection: str, path: str) -> bool:
    parts = path.split(".")
    for i in range(1, len(parts)):
        spec = st.get_field(snapshot, collection, ".".join(parts[:i]))
        if st.field_type(snapshot, spec).kind != "embedded":
            return True
    return False


def rename_json_key(step: SqlStep, op: ops.RenameField) -> None:
    """Move a key inside the JSON column of an embedded field, keeping its value."""
    if _json_path_through_list(step.before, op.collection, op.old_name):
        from farmgen.runtime.migrate import MigrationError

        raise MigrationError(
            f"{op.describe()}: renaming a field inside a list or dict of embedded values "
            "needs a data migration"
        )
    column, *old = op.old_name.split(".")
    new = op.new_name.split(".")[1:]
    quote = step.conn.dialect.identifier_preparer.quote
    table, col = quote(op.collection), quote(column)
    if step.postgresql:
        sql = (
            f"UPDATE {table} SET {col} = jsonb_set({col} #- CAST(:old AS text[]), "
            f"CAST(:new AS text[]), {col} #> CAST(:old AS text[])) "
            f"WHERE {col} #> CAST(:old AS text[]) IS NOT NULL"
        )
        params: dict[str, Any] = {"old": old, "new": new}
    else:
        params = {"old": _json_path(old), "new": _json_path(new)}
        if step.mysql:
            sql = (
                f"UPDATE {table} SET {col} = JSON_INSERT(JSON_REMOVE({col}, :old), :new, "
                f"JSON_EXTRACT({col}, :old)) WHERE JSON_CONTAINS_PATH({col}, 'one', :old)"
            )
        else:
            sql = (
                f"UPDATE {table} SET {col} = json_set(json_remove({col}, :old), :new, "
                f"{col} -> :old) WHERE json_type({col}, :old) IS NOT NULL"
            )
    step.conn.execute(sa.text(sql), params)


def _json_path(keys: list[str]) -> str:
    return "$" + "".join('."' + k.replace('"', '\\"') + '"' for k in keys)
