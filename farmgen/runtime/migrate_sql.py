"""SQL DDL for migration operations, through Alembic's ``Operations``.

Each operation runs with the exact schema before and after it (snapshots replayed
by :func:`farmgen.ops.apply_all`), turned into SQLAlchemy tables by
:mod:`farmgen.runtime.sqlschema`; what it creates is what a fresh ``create_all``
of the later schema creates. SQLite's limits are met with Alembic's batch mode:
the table is rebuilt as the later schema defines it (``recreate="always"``,
``copy_from`` that table), its rows copied by column name.

Fields inside embedded types live in a JSON column on SQL: operations on dotted
paths change no DDL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy.sql.elements import conv

from farmgen import ops
from farmgen.runtime import schema_state as st
from farmgen.runtime import sqlschema

Handler = Callable[["SqlStep", Any], None]
HANDLERS: dict[type[ops.Operation], Handler] = {}


def handles(kind: type[ops.Operation]) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if kind in HANDLERS:
            raise ops.OperationError(f"two SQL handlers for '{kind.type}'")
        HANDLERS[kind] = fn
        return fn

    return register


class MetadataCache:
    """``build_metadata`` of the snapshots one run meets, each built once."""

    def __init__(self) -> None:
        self._built: dict[str, sa.MetaData] = {}

    def get(self, snapshot: st.Snapshot) -> sa.MetaData:
        key = st.checksum({"enums": snapshot["enums"], "models": snapshot["models"]})
        if key not in self._built:
            self._built[key] = sqlschema.build_metadata(snapshot)
        return self._built[key]


class SqlStep:
    """One operation on one connection, with the schema before and after it."""

    def __init__(
        self,
        conn: sa.Connection,
        before: st.Snapshot,
        after: st.Snapshot,
        cache: MetadataCache | None = None,
    ) -> None:
        self.conn = conn
        self.before, self.after = before, after
        cache = cache if cache is not None else MetadataCache()
        self.old_md = cache.get(before)
        self.new_md = cache.get(after)
        self.op = Operations(MigrationContext.configure(conn))
        self.dialect = conn.dialect.name

    @property
    def sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def postgresql(self) -> bool:
        return self.dialect == "postgresql"

    @property
    def mysql(self) -> bool:
        return self.dialect in ("mysql", "mariadb")

    def table(self, md: sa.MetaData, name: str) -> sa.Table:
        return md.tables[name]

    def create_table(self, name: str) -> None:
        """Create ``name``; its ``use_alter`` foreign keys (cycles) are added after it."""
        table = self.new_md.tables[name]
        table.create(self.conn)
        if self.conn.dialect.supports_alter:
            for fkc in sorted(table.foreign_key_constraints, key=lambda c: str(c.name)):
                if fkc.use_alter:
                    self.conn.execute(sa.schema.AddConstraint(fkc))

    def drop_table(self, name: str) -> None:
        self.op.drop_table(name)

    def rebuild(self, name: str) -> None:
        """SQLite: recreate ``name`` exactly as the later schema defines it."""
        table = self.new_md.tables[name]
        with self.op.batch_alter_table(name, copy_from=table, recreate="always"):
            pass

    def fill(self, table: str, column: str, value: Any, only_null: bool = True) -> None:
        target = self.new_md.tables[table]
        if column not in target.c:
            target = self.old_md.tables[table]
        col = target.c[column]
        stmt = sa.update(target).values({col: value})
        if only_null:
            stmt = stmt.where(col.is_(None))
        self.conn.execute(stmt)

    def foreign_key(self, md: sa.MetaData, table: str, column: str) -> sa.ForeignKey | None:
        col = md.tables[table].c.get(column)
        if col is None or not col.foreign_keys:
            return None
        return next(iter(col.foreign_keys))

    def checks(self, md: sa.MetaData, table: str, column: str) -> list[sa.CheckConstraint]:
        """The min/max CHECK constraints of ``column`` (their names are final: ``ck_t_c_min``)."""
        names = {constraint_name(self.conn, f"ck_{table}_{column}_{end}") for end in ("min", "max")}
        return [
            c
            for c in md.tables[table].constraints
            if isinstance(c, sa.CheckConstraint) and str(c.name) in names
        ]

    def drop_fk(self, table: str, column: str) -> None:
        """Drop the foreign key on ``column`` (and MySQL's implicit index of it)."""
        inspector = sa.inspect(self.conn)
        for fk in inspector.get_foreign_keys(table):
            if fk["constrained_columns"] == [column] and fk["name"]:
                self.op.drop_constraint(fk["name"], table, type_="foreignkey")
                if self.mysql:
                    self.drop_index_if_exists(table, fk["name"])

    def rename_foreign_keys(self, table: str) -> None:
        """Give the foreign keys of ``table`` their convention names (after a rename)."""
        reflected = {
            tuple(fk["constrained_columns"]): fk["name"]
            for fk in sa.inspect(self.conn).get_foreign_keys(table)
        }
        for fk in sorted(self.new_md.tables[table].foreign_keys, key=lambda f: f.parent.name):
            column = fk.parent.name
            wanted = constraint_name(self.conn, f"fk_{table}_{column}_{fk.column.table.name}")
            if reflected.get((column,)) not in (None, wanted):
                self.drop_fk(table, column)
                self.create_fk(table, column)

    def drop_index_if_exists(self, table: str, name: str) -> None:
        names = {ix["name"] for ix in sa.inspect(self.conn).get_indexes(table)}
        if name in names:
            self.op.drop_index(name, table_name=table)

    def create_fk(self, table: str, column: str) -> None:
        fk = self.foreign_key(self.new_md, table, column)
        if fk is None:
            return
        referred = fk.column.table.name
        self.op.create_foreign_key(
            conv(constraint_name(self.conn, f"fk_{table}_{column}_{referred}")),
            table,
            referred,
            [column],
            ["id"],
            ondelete=fk.ondelete,
        )
        if self.mysql:
            self.drop_redundant_fk_index(table, column)

    def drop_redundant_fk_index(self, table: str, column: str) -> None:
        """MySQL keeps an implicit index per foreign key unless another index covers it."""
        indexes = sa.inspect(self.conn).get_indexes(table)
        covering = [ix for ix in indexes if ix["column_names"][:1] == [column]]
        declared = {ix.name for ix in self.new_md.tables[table].indexes}
        implicit = [ix for ix in covering if ix["name"] not in declared]
        if len(covering) > len(implicit):
            for ix in implicit:
                self.op.drop_index(str(ix["name"]), table_name=table)

    def drop_checks(self, table: str, column: str) -> None:
        for check in self.checks(self.old_md, table, column):
            self.op.drop_constraint(str(check.name), table, type_="check")

    def create_checks(self, table: str, column: str) -> None:
        for check in self.checks(self.new_md, table, column):
            self.op.create_check_constraint(conv(str(check.name)), table, check.sqltext)


def constraint_name(conn: sa.Connection, name: str) -> str:
    """A convention name as the dialect stores it (SQLAlchemy shortens long ones)."""
    limit = conn.dialect.max_identifier_length or 63
    if len(name) <= limit:
        return name
    from sqlalchemy.util import md5_hex

    return name[: limit - 8] + "_" + md5_hex(name)[-4:]


def run_operation(
    conn: sa.Connection,
    op: ops.Operation,
    before: st.Snapshot,
    cache: MetadataCache | None = None,
) -> st.Snapshot:
    """Execute ``op`` on ``conn``; returns the schema after it."""
    after = ops.apply_all(before, [op])
    handler = HANDLERS.get(type(op))
    if handler is None:
        raise ops.OperationError(f"no SQL handler for operation '{op.type}'")
    handler(SqlStep(conn, before, after, cache), op)
    return after
