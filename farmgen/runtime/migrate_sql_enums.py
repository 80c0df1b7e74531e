"""Enums on SQL: PostgreSQL types (``ALTER TYPE ... ADD VALUE``, or a new type when
values go away), MySQL ``ENUM`` columns, SQLite CHECK constraints (a table rebuild)."""

from __future__ import annotations

import sqlalchemy as sa

from farmgen import ops
from farmgen.runtime import schema_state as st
from farmgen.runtime import sqlschema
from farmgen.runtime.migrate_sql import SqlStep, handles


@handles(ops.CreateEnum)
def create_enum(step: SqlStep, op: ops.CreateEnum) -> None:
    """PostgreSQL creates the type with the first column that uses it (``ensure_pg_enums``)."""


@handles(ops.DropEnum)
def drop_enum(step: SqlStep, op: ops.DropEnum) -> None:
    prune_pg_enums(step)


def ensure_pg_enums(step: SqlStep, table: str) -> None:
    """Create the PostgreSQL enum types the columns of ``table`` need, if missing."""
    if step.postgresql and table in step.new_md.tables:
        for column in step.new_md.tables[table].c:
            if isinstance(column.type, sa.Enum):
                column.type.create(step.conn, checkfirst=True)


def prune_pg_enums(step: SqlStep) -> None:
    """Drop the PostgreSQL enum types that no column uses any more."""
    if not step.postgresql:
        return
    used = {
        column.type.name
        for table in step.new_md.tables.values()
        for column in table.c
        if isinstance(column.type, sa.Enum)
    }
    names = set(step.before["enums"]) | set(step.after["enums"])
    for name in sorted(names):
        type_name = sqlschema.enum_type_name(name)
        if type_name not in used:
            step.conn.exec_driver_sql(f'DROP TYPE IF EXISTS "{type_name}"')


def pg_type_exists(conn: sa.Connection, type_name: str) -> bool:
    found = conn.execute(sa.text("SELECT 1 FROM pg_type WHERE typname = :n"), {"n": type_name})
    return found.first() is not None


def _enum_values(name: str, values: list[str]) -> sa.Enum:
    return sa.Enum(*values, name=sqlschema.enum_type_name(name), create_constraint=True)


@handles(ops.AlterEnum)
def alter_enum(step: SqlStep, op: ops.AlterEnum) -> None:
    users = st.enum_users(step.after, op.name)
    if step.postgresql:
        _alter_pg_enum(step, op, users)
        return
    for table, field in users:
        if step.mysql:
            old_col = step.old_md.tables[table].c[field]
            step.op.alter_column(
                table,
                field,
                type_=step.new_md.tables[table].c[field].type,
                existing_type=old_col.type,
                existing_nullable=old_col.nullable,
            )
        else:
            step.rebuild(table)


def pg_enum_additions(op: ops.AlterEnum) -> list[str] | None:
    """``ALTER TYPE ... ADD VALUE`` statements when ``op`` only adds values, else None."""
    kept = [v for v in op.new_values if v in op.old_values]
    if op.removed or kept != op.old_values:
        return None
    type_name = sqlschema.enum_type_name(op.name)
    statements: list[str] = []
    for i, value in enumerate(op.new_values):
        if value in op.old_values:
            continue
        following = next((v for v in op.new_values[i + 1 :] if v in op.old_values), None)
        where = f" BEFORE {_literal(following)}" if following is not None else ""
        statements.append(
            f'ALTER TYPE "{type_name}" ADD VALUE IF NOT EXISTS {_literal(value)}{where}'
        )
    return statements


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _alter_pg_enum(step: SqlStep, op: ops.AlterEnum, users: list[tuple[str, str]]) -> None:
    if not pg_type_exists(step.conn, sqlschema.enum_type_name(op.name)):
        return  # no column uses it: the type is made with the first one
    additions = pg_enum_additions(op)
    if additions is not None:
        for statement in additions:
            step.conn.exec_driver_sql(statement)
        return
    type_name = sqlschema.enum_type_name(op.name)
    step.conn.exec_driver_sql(f'ALTER TYPE "{type_name}" RENAME TO "{type_name}__old"')
    _enum_values(op.name, op.new_values).create(step.conn, checkfirst=False)
    for table, field in users:
        step.conn.exec_driver_sql(
            f'ALTER TABLE "{table}" ALTER COLUMN "{field}" TYPE "{type_name}" '
            f'USING "{field}"::text::"{type_name}"'
        )
    step.conn.exec_driver_sql(f'DROP TYPE "{type_name}__old"')
