"""Migration history, locking and transactions on SQL databases (see ``runtime.migrate``)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from farmgen import ops
from farmgen.runtime import migrate_sql_enums, migrate_sql_ops, sqlschema
from farmgen.runtime import schema_state as st
from farmgen.runtime.migrate_sql import MetadataCache, run_operation

if TYPE_CHECKING:
    from farmgen.runtime.migrate import AppliedMigration, Step

_ = migrate_sql_ops  # registers the handlers

HISTORY = sa.MetaData()
history_table = sa.Table(
    "schema_migrations",
    HISTORY,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("checksum", sa.String(80), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("duration", sa.Float(), nullable=False),
)
progress_table = sa.Table(
    "schema_migrations_progress",
    HISTORY,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("direction", sa.String(8), nullable=False),
    sa.Column("steps_done", sa.Integer(), nullable=False),
)
LOCK_NAME = "farmgen_migrate"
PG_LOCK_KEY = 0x6661726D67656E  # "farmgen"
LOCK_TIMEOUT_S = 300
SQLITE_BUSY_RETRIES = 600


class SqlBackend:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @property
    def mysql(self) -> bool:
        return self.dialect in ("mysql", "mariadb")

    @asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        if self.dialect == "sqlite":
            yield  # each migration takes SQLite's write lock itself
            return
        async with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                await conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK_KEY})
            else:
                got = await conn.scalar(
                    sa.text("SELECT GET_LOCK(:n, :t)"), {"n": LOCK_NAME, "t": LOCK_TIMEOUT_S}
                )
                if got != 1:
                    from farmgen.runtime.migrate import MigrationError

                    raise MigrationError("another applier holds the migration lock; try later")
            await conn.commit()
            try:
                yield
            finally:
                if self.dialect == "postgresql":
                    await conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
                else:
                    await conn.execute(sa.text("SELECT RELEASE_LOCK(:n)"), {"n": LOCK_NAME})
                await conn.commit()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                await _begin_immediate(conn)
            try:
                yield conn
            except BaseException:
                await conn.rollback()
                raise
            await conn.commit()

    async def ensure_history(self) -> None:
        async with self._transaction() as conn:
            await conn.run_sync(lambda c: HISTORY.create_all(c, checkfirst=True))

    async def history(self) -> dict[str, AppliedMigration]:
        async with self.engine.connect() as conn:
            return await _read_history(conn)

    async def set_checksum(self, migration_id: str, checksum: str) -> None:
        async with self._transaction() as conn:
            await conn.execute(
                sa.update(history_table)
                .where(history_table.c.id == migration_id)
                .values(checksum=checksum)
            )

    async def run(self, step: Step) -> bool:
        if self.dialect == "postgresql":
            await self._pg_enum_additions(step)
        started = dt.datetime.now(dt.UTC)
        async with self._transaction() as conn:
            history = await _read_history(conn)
            if (step.migration.id in history) == step.up:
                return False
            done = await self._progress(conn, step) if self.mysql else 0
            await conn.run_sync(self._operations, step, done)
            if step.up:
                duration = (dt.datetime.now(dt.UTC) - started).total_seconds()
                await conn.execute(
                    sa.insert(history_table).values(
                        id=step.migration.id,
                        checksum=step.migration.checksum,
                        applied_at=started,
                        duration=duration,
                    )
                )
            else:
                await conn.execute(
                    sa.delete(history_table).where(history_table.c.id == step.migration.id)
                )
            if self.mysql:
                await conn.execute(
                    sa.delete(progress_table).where(progress_table.c.id == step.migration.id)
                )
        return True

    async def _progress(self, conn: AsyncConnection, step: Step) -> int:
        row = (
            await conn.execute(
                sa.select(progress_table).where(progress_table.c.id == step.migration.id)
            )
        ).first()
        direction = "up" if step.up else "down"
        if row is None or row.direction != direction:
            return 0
        return int(row.steps_done)

    def _operations(self, conn: sa.Connection, step: Step, done: int) -> None:
        state = ops.apply_all(step.before, step.operations[:done])
        cache = MetadataCache()
        for n, op in enumerate(step.operations[done:], done + 1):
            try:
                state = run_operation(conn, op, state, cache)
            except Exception as exc:
                from farmgen.runtime.migrate import OperationFailed

                raise OperationFailed(n, op) from exc
            if self.mysql:
                _record_progress(conn, step, n)

    async def _pg_enum_additions(self, step: Step) -> None:
        """``ALTER TYPE ... ADD VALUE`` runs outside the migration's transaction, first."""
        statements: list[tuple[str, str]] = []
        for op in step.operations:
            if isinstance(op, ops.AlterEnum):
                type_name = sqlschema.enum_type_name(op.name)
                for statement in migrate_sql_enums.pg_enum_additions(op) or []:
                    statements.append((type_name, statement))
        if not statements:
            return
        async with self.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for type_name, statement in statements:
                if await auto.run_sync(migrate_sql_enums.pg_type_exists, type_name):
                    await auto.exec_driver_sql(statement)


def _record_progress(conn: sa.Connection, step: Step, steps_done: int) -> None:
    direction = "up" if step.up else "down"
    conn.execute(sa.delete(progress_table).where(progress_table.c.id == step.migration.id))
    conn.execute(
        sa.insert(progress_table).values(
            id=step.migration.id, direction=direction, steps_done=steps_done
        )
    )
    conn.commit()


async def _begin_immediate(conn: AsyncConnection) -> None:
    """Take SQLite's write lock, waiting while another applier holds it."""
    import sqlite3

    for _attempt in range(SQLITE_BUSY_RETRIES):
        try:
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except sa.exc.OperationalError as exc:
            if not isinstance(exc.orig, sqlite3.OperationalError) or "locked" not in str(exc):
                raise
            await conn.rollback()
            await asyncio.sleep(0.1)
    from farmgen.runtime.migrate import MigrationError

    raise MigrationError("the SQLite database stayed locked by another writer")


async def _read_history(conn: AsyncConnection) -> dict[str, AppliedMigration]:
    from farmgen.runtime.migrate import AppliedMigration

    rows = (await conn.execute(sa.select(history_table))).all()
    return {r.id: AppliedMigration(r.id, r.checksum, r.applied_at, r.duration) for r in rows}


__all__ = ["SqlBackend", "history_table", "st"]
