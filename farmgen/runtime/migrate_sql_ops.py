"""One SQL handler per operation type (registered in ``migrate_sql.HANDLERS``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from farmgen import ops
from farmgen.runtime import schema_state as st
from farmgen.runtime import sqlschema
from farmgen.runtime.migrate_sql import SqlStep, handles
from farmgen.runtime.migrate_sql_enums import ensure_pg_enums, prune_pg_enums
from farmgen.runtime.migrate_sql_json import rename_json_key


def _m2m_tables(
    snapshot: st.Snapshot, collection: str, fields: dict[str, st.FieldSpec]
) -> list[str]:
    names: list[str] = []
    for name, spec in sorted(fields.items()):
        info = st.field_type(snapshot, spec)
        if info.is_many_to_many and info.item is not None:
            names.append(st.through(spec, collection, name)[0])
    return names


@handles(ops.CreateCollection)
def create_collection(step: SqlStep, op: ops.CreateCollection) -> None:
    ensure_pg_enums(step, op.collection)
    step.create_table(op.collection)
    for name in _m2m_tables(step.after, op.collection, op.fields):
        step.create_table(name)


@handles(ops.DropCollection)
def drop_collection(step: SqlStep, op: ops.DropCollection) -> None:
    for name in _m2m_tables(step.before, op.collection, op.fields):
        step.drop_table(name)
    step.drop_table(op.collection)
    prune_pg_enums(step)


@handles(ops.RenameCollection)
def rename_collection(step: SqlStep, op: ops.RenameCollection) -> None:
    """Association tables keep their names here; an ``alter_field`` of ``through`` follows."""
    step.op.rename_table(op.old_name, op.new_name)
    if step.sqlite:
        step.rebuild(op.new_name)
        return
    if step.postgresql:
        step.conn.exec_driver_sql(
            f'ALTER TABLE "{op.new_name}" RENAME CONSTRAINT "pk_{op.old_name}" '
            f'TO "pk_{op.new_name}"'
        )
    for check in step.old_md.tables[op.old_name].constraints:
        if isinstance(check, sa.CheckConstraint) and not _enum_check(check):
            step.op.drop_constraint(str(check.name), op.new_name, type_="check")
    for column in sorted(step.new_md.tables[op.new_name].c.keys()):
        step.create_checks(op.new_name, column)
    involved = {
        t.name
        for t in step.new_md.tables.values()
        if t.name == op.new_name
        or any(fk.column.table.name == op.new_name for fk in t.foreign_keys)
    }
    for table in sorted(involved):
        step.rename_foreign_keys(table)


def _enum_check(check: sa.CheckConstraint) -> bool:
    """An enum's own CHECK (SQLite, non-native enums): it travels with the column."""
    return not str(check.name).endswith(("_min", "_max"))


def _rename_column(step: SqlStep, table: str, old: str, new: str) -> None:
    column = step.new_md.tables[table].c[new]
    step.op.alter_column(
        table,
        old,
        new_column_name=new,
        existing_type=column.type,
        existing_nullable=column.nullable,
    )


def _column(snapshot: st.Snapshot, collection: str, path: str) -> str | None:
    spec = st.get_field(snapshot, collection, path)
    return sqlschema.column_name(snapshot, path, spec)


def _association(snapshot: st.Snapshot, collection: str, field: str) -> str:
    spec = st.get_field(snapshot, collection, field)
    return st.through(spec, collection, field)[0]


@handles(ops.AddField)
def add_field(step: SqlStep, op: ops.AddField) -> None:
    if "." in op.field:
        return
    column = _column(step.after, op.collection, op.field)
    if column is None:
        step.create_table(_association(step.after, op.collection, op.field))
        return
    _add_column(step, op.collection, column, op.default_value)


def _add_column(step: SqlStep, table: str, column: str, value: object) -> None:
    ensure_pg_enums(step, table)
    target = step.new_md.tables[table].c[column]
    plain = target.type
    if step.sqlite and isinstance(plain, sa.Enum):
        plain = sa.String(plain.length)  # its CHECK comes with the rebuild below
    step.op.add_column(table, sa.Column(column, plain, nullable=True))
    server_default = getattr(target.server_default, "arg", None)
    if value is None and server_default is not None:
        step.conn.execute(sa.update(step.new_md.tables[table]).values({target: server_default}))
    elif value is not None:
        step.fill(table, column, value)
    if step.sqlite:
        step.rebuild(table)
        return
    changes: dict[str, Any] = {}
    if server_default is not None:
        changes["server_default"] = server_default
    if not target.nullable:
        changes["nullable"] = False
    if changes:
        # one statement: MySQL's MODIFY COLUMN would drop a default set separately
        step.op.alter_column(
            table, column, existing_type=target.type, existing_nullable=True, **changes
        )
    step.create_fk(table, column)
    step.create_checks(table, column)


@handles(ops.RemoveField)
def remove_field(step: SqlStep, op: ops.RemoveField) -> None:
    if "." in op.field:
        return
    column = _column(step.before, op.collection, op.field)
    if column is None:
        step.drop_table(_association(step.before, op.collection, op.field))
        return
    _drop_column(step, op.collection, column)
    prune_pg_enums(step)


def _drop_column(step: SqlStep, table: str, column: str) -> None:
    if step.sqlite:
        step.rebuild(table)
        return
    step.drop_checks(table, column)
    if step.foreign_key(step.old_md, table, column) is not None:
        step.drop_fk(table, column)
    step.op.drop_column(table, column)


@handles(ops.RenameField)
def rename_field(step: SqlStep, op: ops.RenameField) -> None:
    if "." in op.old_name:
        rename_json_key(step, op)
        return
    old_col = _column(step.before, op.collection, op.old_name)
    new_col = _column(step.after, op.collection, op.new_name)
    if old_col is None or new_col is None:
        return  # an association table: an ``alter_field`` of ``through`` follows
    if step.sqlite:
        _rename_column(step, op.collection, old_col, new_col)
        step.rebuild(op.collection)
        return
    has_fk = step.foreign_key(step.old_md, op.collection, old_col) is not None
    step.drop_checks(op.collection, old_col)
    if has_fk:
        step.drop_fk(op.collection, old_col)
    _rename_column(step, op.collection, old_col, new_col)
    if has_fk:
        step.create_fk(op.collection, new_col)
    step.create_checks(op.collection, new_col)


@handles(ops.AlterField)
def alter_field(step: SqlStep, op: ops.AlterField) -> None:
    if "." in op.field:
        return
    table = op.collection
    old_col = _column(step.before, table, op.field)
    new_col = _column(step.after, table, op.field)
    if old_col is None and new_col is None:
        _rename_association(step, op)
        return
    if old_col != new_col:
        _move_storage(step, op, old_col, new_col)
        prune_pg_enums(step)
        return
    assert new_col is not None
    before_c, after_c = step.old_md.tables[table].c[new_col], step.new_md.tables[table].c[new_col]
    fill = op.fill_value is not None and bool(before_c.nullable) and not after_c.nullable
    if step.sqlite:
        if fill:
            step.fill(table, new_col, op.fill_value)
        step.rebuild(table)
        return
    old_fk, new_fk = (step.foreign_key(md, table, new_col) for md in (step.old_md, step.new_md))
    fk_changed = _fk_key(old_fk) != _fk_key(new_fk)
    ensure_pg_enums(step, table)
    step.drop_checks(table, new_col)
    if fk_changed and old_fk is not None:
        step.drop_fk(table, new_col)
    if fill:  # the new type first, then values for the nulls, then NOT NULL
        _alter_column(step, table, before_c, after_c, nullable=True)
        step.fill(table, new_col, op.fill_value)
    _alter_column(step, table, before_c, after_c, retyped=fill)
    if fk_changed and new_fk is not None:
        step.create_fk(table, new_col)
    step.create_checks(table, new_col)
    prune_pg_enums(step)


def _rename_association(step: SqlStep, op: ops.AlterField) -> None:
    old = st.through(op.old, op.collection, op.field)
    new = st.through(op.new, op.collection, op.field)
    if old == new:
        return
    if old[0] != new[0]:
        step.op.rename_table(old[0], new[0])
    for before, after in ((old[1], new[1]), (old[2], new[2])):
        if before != after:
            _rename_column(step, new[0], before, after)
    if step.sqlite:
        step.rebuild(new[0])
        return
    if step.postgresql and old[0] != new[0]:
        step.conn.exec_driver_sql(
            f'ALTER TABLE "{new[0]}" RENAME CONSTRAINT "pk_{old[0]}" TO "pk_{new[0]}"'
        )
    step.rename_foreign_keys(new[0])


def _fk_key(fk: sa.ForeignKey | None) -> tuple[str, str | None] | None:
    return None if fk is None else (fk.target_fullname, fk.ondelete)


def _move_storage(step: SqlStep, op: ops.AlterField, old: str | None, new: str | None) -> None:
    """A field that changes between a column and an association table (or its column name)."""
    table = op.collection
    if new is None:
        step.create_table(_association(step.after, table, op.field))
    else:
        _add_column(step, table, new, op.fill_value)
    if old is None:
        step.drop_table(_association(step.before, table, op.field))
    elif not step.sqlite:
        _drop_column(step, table, old)
    elif new is None:
        step.rebuild(table)


def _alter_column(
    step: SqlStep,
    table: str,
    before: sa.Column[object],
    after: sa.Column[object],
    *,
    nullable: bool | None = None,
    retyped: bool = False,
) -> None:
    """Change ``before`` into ``after`` (``nullable``: keep this nullability for now;
    ``retyped``: the type was changed already)."""
    dialect = step.conn.dialect
    old_sql = before.type.compile(dialect=dialect)
    new_sql = after.type.compile(dialect=dialect)
    kwargs: dict[str, Any] = {}
    if old_sql != new_sql and not retyped:
        kwargs["type_"] = after.type
        if step.postgresql:
            kwargs["postgresql_using"] = _pg_using(after.name, before.type, after.type, new_sql)
    target_nullable = after.nullable if nullable is None else nullable
    current_nullable = True if retyped else before.nullable
    if current_nullable != target_nullable:
        kwargs["nullable"] = target_nullable
    if kwargs:
        step.op.alter_column(
            table,
            after.name,
            existing_type=after.type if retyped else before.type,
            existing_nullable=current_nullable,
            **kwargs,
        )


def _pg_using(
    name: str, old: sa.types.TypeEngine[object], new: sa.types.TypeEngine[object], new_sql: str
) -> str:
    is_json = {"JSON", "JSONB"}
    old_json = type(old).__name__.upper() in is_json or isinstance(old, sa.JSON)
    new_json = new_sql in is_json
    if new_json and not old_json:
        return f'to_jsonb("{name}")'
    if old_json and not new_json:
        return f"(\"{name}\" #>> '{{}}')::{new_sql}"
    return f'"{name}"::text::{new_sql}'


@handles(ops.CreateIndex)
def create_index(step: SqlStep, op: ops.CreateIndex) -> None:
    keys = sqlschema.sql_index_keys(step.after, op.collection, op.index)
    if keys is None:
        return
    if _retype_indexed(step, op.collection, [c for c, _ in keys]):
        return  # SQLite rebuilt the table with the index
    columns: list[str | sa.ColumnElement[Any]] = [
        sa.column(c).desc() if desc else c for c, desc in keys
    ]
    step.op.create_index(
        op.index["name"], op.collection, columns, unique=bool(op.index.get("unique"))
    )
    if step.mysql and step.foreign_key(step.new_md, op.collection, keys[0][0]) is not None:
        step.drop_redundant_fk_index(op.collection, keys[0][0])


@handles(ops.DropIndex)
def drop_index(step: SqlStep, op: ops.DropIndex) -> None:
    columns = sqlschema.sql_index_columns(step.before, op.collection, op.index)
    if columns is None:
        return
    guarded = step.mysql and step.foreign_key(step.old_md, op.collection, columns[0]) is not None
    if guarded:
        step.drop_fk(op.collection, columns[0])
    step.op.drop_index(op.index["name"], table_name=op.collection)
    if guarded:
        step.create_fk(op.collection, columns[0])
    _retype_indexed(step, op.collection, columns)


def _retype_indexed(step: SqlStep, table: str, columns: list[str]) -> bool:
    """A string without ``max_length`` is TEXT unless indexed: follow an index change.

    Returns True when SQLite rebuilt the table (indexes included).
    """
    dialect = step.conn.dialect
    changed = [
        c
        for c in columns
        if step.old_md.tables[table].c[c].type.compile(dialect=dialect)
        != step.new_md.tables[table].c[c].type.compile(dialect=dialect)
    ]
    if not changed:
        return False
    if step.sqlite:
        step.rebuild(table)
        return True
    for column in changed:
        _alter_column(
            step, table, step.old_md.tables[table].c[column], step.new_md.tables[table].c[column]
        )
    return False
