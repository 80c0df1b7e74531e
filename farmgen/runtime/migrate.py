"""The migration applier: pending migrations in order, rollback with ``reverse``, history.

Give it an SQLAlchemy ``AsyncEngine`` (PostgreSQL, MySQL/MariaDB, SQLite) or a PyMongo
async database, and the migrations directory (or an already loaded chain)::

    result = await migrate(engine, Path("migrations"), target="0003_add_tags")
    await rollback(engine, Path("migrations"), "0001_initial")

History lives in ``schema_migrations`` (id, checksum of the operations and their
reverse, applied_at, duration in seconds). A migration whose file changed after it
was applied is refused (:class:`ChecksumMismatch`, naming both checksums) unless its
id is in ``accept_checksum``, which records the new checksum.

Only one applier runs at a time: PostgreSQL ``pg_advisory_lock``, MySQL
``GET_LOCK``, SQLite's write lock (``BEGIN IMMEDIATE`` around each migration, history
re-read inside it), MongoDB a lock document. Each migration is one transaction on
PostgreSQL and SQLite. MySQL/MariaDB commit every DDL statement on their own: the
applier records progress after every operation (``schema_migrations_progress``), so
after a failure a re-run resumes at the operation that failed rather than repeating
the ones that succeeded; an operation that failed half-way (several statements)
must be finished or undone by hand before the re-run (the error names it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from farmgen.diagnostics import FarmgenError
from farmgen.migrations.files import Chain, Migration, load_chain
from farmgen.runtime import schema_state as st
from farmgen.runtime.errors import is_driver_error

__all__ = [
    "AppliedMigration",
    "ChecksumMismatch",
    "MigrationError",
    "MigrationEvent",
    "MigrationResult",
    "OperationFailed",
    "migrate",
    "migration_status",
    "rollback",
]


class MigrationError(FarmgenError):
    """Migrations cannot be applied or rolled back as asked."""


class ChecksumMismatch(MigrationError):
    """An applied migration's file has changed since it was applied."""


class OperationFailed(Exception):
    """Raised by a backend when operation ``number`` (1-based) of a step fails.

    The database's error is its ``__cause__``; :func:`migrate` and :func:`rollback`
    turn it into a :class:`MigrationError` naming the migration and the operation.
    """

    def __init__(self, number: int, operation: Any) -> None:
        super().__init__(f"operation {number} failed")
        self.number = number
        self.operation = operation


@dataclass(frozen=True)
class AppliedMigration:
    id: str
    checksum: str
    applied_at: datetime | None
    duration: float | None


@dataclass(frozen=True)
class MigrationEvent:
    """Reported to ``progress``: ``start``, then ``done``, ``skip`` or ``failed``."""

    kind: str
    action: str
    migration: Migration
    index: int
    total: int
    duration: float | None = None


Progress = Callable[[MigrationEvent], None]


@dataclass
class MigrationResult:
    applied: list[str] = field(default_factory=list)
    rolled_back: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    durations: dict[str, float] = field(default_factory=dict)
    current: str | None = None
    """The last applied migration afterwards (None: none is applied)."""


@dataclass(frozen=True)
class Step:
    migration: Migration
    operations: Sequence[Any]
    before: st.Snapshot
    """The schema before ``operations`` run."""
    up: bool


class Backend(Protocol):
    def lock(self) -> Any: ...

    async def ensure_history(self) -> None: ...

    async def history(self) -> dict[str, AppliedMigration]: ...

    async def set_checksum(self, migration_id: str, checksum: str) -> None: ...

    async def run(self, step: Step) -> bool:
        """Run ``step`` and record it; False when another applier did it first."""
        ...


def backend_for(database: Any) -> Backend:
    """The SQL backend for an ``AsyncEngine``, the MongoDB one for an async database.

    Told apart without importing SQLAlchemy, so MongoDB projects never load it.
    """
    if type(database).__module__.startswith("sqlalchemy."):
        from farmgen.runtime.migrate_backend_sql import SqlBackend

        return SqlBackend(database)
    from farmgen.runtime.migrate_mongo import MongoBackend

    return MongoBackend(database)


def _chain(source: Path | Chain) -> Chain:
    chain = source if isinstance(source, Chain) else load_chain(Path(source))
    if not chain.ok:
        raise MigrationError("the migration chain is broken", chain.diagnostics)
    return chain


def _verify(
    chain: Chain, history: dict[str, AppliedMigration], accept: Iterable[str]
) -> list[tuple[str, str]]:
    """Refuse changed or unknown applied migrations; (id, new checksum) to accept."""
    by_id = {m.id: m for m in chain.migrations}
    unknown = sorted(set(history) - set(by_id))
    if unknown:
        raise MigrationError(
            f"the database has migrations this project does not know: {', '.join(unknown)} "
            "(restore their files, or use the project version that made them)"
        )
    accepted = set(accept)
    changes: list[tuple[str, str]] = []
    for mig_id, record in sorted(history.items()):
        found = by_id[mig_id].checksum
        if found == record.checksum:
            continue
        if mig_id not in accepted:
            raise ChecksumMismatch(
                f"migration {mig_id} was applied with checksum {record.checksum} but its file "
                f"now has {found}: restore the file, or after reviewing the edit run "
                f"`farmgen db migrate --accept-checksum {mig_id}`"
            )
        changes.append((mig_id, found))
    return changes


def _index_of(chain: Chain, target: str | None) -> int:
    ids = [m.id for m in chain.migrations]
    if target is None:
        return len(ids) - 1
    if target in ids:
        return ids.index(target)
    raise MigrationError(f"no migration '{target}' (known: {', '.join(ids) or 'none'})")


def _applied_prefix(chain: Chain, history: dict[str, AppliedMigration]) -> int:
    """How many migrations from the start are applied; refuses gaps."""
    count = 0
    for migration in chain.migrations:
        if migration.id not in history:
            break
        count += 1
    later = [m.id for m in chain.migrations[count:] if m.id in history]
    if later:
        raise MigrationError(
            f"migrations {', '.join(later)} are applied but an earlier one is not: "
            "roll back to the last migration before the gap first"
        )
    return count


async def migrate(
    database: Any,
    migrations: Path | Chain,
    *,
    target: str | None = None,
    accept_checksum: Iterable[str] = (),
    progress: Progress | None = None,
) -> MigrationResult:
    """Apply pending migrations up to ``target`` (default: all)."""
    chain = _chain(migrations)
    backend = backend_for(database)
    result = MigrationResult()
    async with backend.lock():
        await backend.ensure_history()
        history = await backend.history()
        for mig_id, checksum in _verify(chain, history, accept_checksum):
            await backend.set_checksum(mig_id, checksum)
            result.accepted.append(mig_id)
        done = _applied_prefix(chain, history)
        stop = _index_of(chain, target) + 1 if chain.migrations else 0
        if stop < done:
            raise MigrationError(
                f"{target} is behind the database ({chain.migrations[done - 1].id} is applied): "
                f"use `farmgen db rollback {target}`"
            )
        snapshots = chain.snapshots()
        steps = [
            Step(chain.migrations[i], chain.migrations[i].operations, snapshots[i][0], True)
            for i in range(done, stop)
        ]
        secret = _url_of(database)
        await _run(backend, steps, "apply", progress=progress, result=result, secret=secret)
    result.current = await _current(backend, chain)
    return result


async def rollback(
    database: Any,
    migrations: Path | Chain,
    target: str | None,
    *,
    progress: Progress | None = None,
) -> MigrationResult:
    """Undo applied migrations after ``target`` (None: undo all), newest first."""
    chain = _chain(migrations)
    backend = backend_for(database)
    result = MigrationResult()
    async with backend.lock():
        await backend.ensure_history()
        history = await backend.history()
        _verify(chain, history, ())
        done = _applied_prefix(chain, history)
        keep = 0 if target is None else _index_of(chain, target) + 1
        snapshots = chain.snapshots()
        steps = [
            Step(chain.migrations[i], chain.migrations[i].reverse, snapshots[i][1], False)
            for i in range(done - 1, keep - 1, -1)
        ]
        secret = _url_of(database)
        await _run(backend, steps, "rollback", progress=progress, result=result, secret=secret)
    result.current = await _current(backend, chain)
    return result


async def _run_step(backend: Backend, step: Step, action: str, secret: str | None) -> bool:
    """``backend.run(step)`` with database errors turned into a :class:`MigrationError`."""
    try:
        return await backend.run(step)
    except OperationFailed as exc:
        cause = exc.__cause__
        if cause is None or isinstance(cause, FarmgenError) or not is_driver_error(cause):
            raise (cause or exc) from None
        raise _failure(step, action, cause, secret, exc) from cause
    except FarmgenError:
        raise
    except Exception as exc:
        if not is_driver_error(exc):
            raise
        raise _failure(step, action, exc, secret) from exc


async def _run(
    backend: Backend,
    steps: Sequence[Step],
    action: str,
    *,
    progress: Progress | None,
    result: MigrationResult,
    secret: str | None,
) -> None:
    """Run ``steps`` in order, each reported to ``progress`` as n of ``len(steps)``."""

    def report(kind: str, n: int, step: Step, duration: float | None = None) -> None:
        if progress is not None:
            progress(MigrationEvent(kind, action, step.migration, n, len(steps), duration))

    for n, step in enumerate(steps, 1):
        report("start", n, step)
        started = time.monotonic()
        try:
            ran = await _run_step(backend, step, action, secret)
        except BaseException:
            report("failed", n, step)
            raise
        if not ran:
            report("skip", n, step)
            continue
        duration = time.monotonic() - started
        report("done", n, step, duration)
        (result.applied if step.up else result.rolled_back).append(step.migration.id)
        result.durations[step.migration.id] = duration


def _url_of(database: Any) -> str | None:
    """The URL (with its password) of an ``AsyncEngine``, to mask in messages.

    None for a MongoDB database (where any attribute names a collection).
    """
    if not type(database).__module__.startswith("sqlalchemy."):
        return None
    return str(database.url.render_as_string(hide_password=False))


def _database_message(exc: BaseException) -> str:
    """The driver's message, without SQLAlchemy's wrapper, SQL echo or links."""
    text = str(getattr(exc, "orig", None) or exc).strip() or type(exc).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = re.sub(r"^<class '[\w.]+'>:\s*", "", lines[0])
    details = [line for line in lines[1:3] if line.startswith(("DETAIL:", "HINT:"))]
    detail = getattr(getattr(getattr(exc, "orig", None), "__cause__", None), "detail", None)
    if detail and not details:
        details.append(f"DETAIL: {detail}")  # asyncpg keeps it off the message
    return " ".join([first, *details])


def _failure(
    step: Step,
    action: str,
    exc: BaseException,
    secret: str | None,
    where: OperationFailed | None = None,
) -> MigrationError:
    verb = "applying" if action == "apply" else "rolling back"
    text = f"{verb} migration {step.migration.id} failed"
    if where is not None:
        count = len(step.operations)
        text += f" at operation {where.number}/{count} ({where.operation.describe()})"
    text += f": {_database_message(exc)}"
    if secret:
        from farmgen.runtime.config import mask_secrets

        text = mask_secrets(text, secret)
    return MigrationError(text)


async def _current(backend: Backend, chain: Chain) -> str | None:
    history = await backend.history()
    applied = [m.id for m in chain.migrations if m.id in history]
    return applied[-1] if applied else None


async def migration_status(
    database: Any, migrations: Path | Chain
) -> list[tuple[Migration, AppliedMigration | None]]:
    """Every migration of the chain with its history record (None: pending)."""
    chain = migrations if isinstance(migrations, Chain) else load_chain(Path(migrations))
    backend = backend_for(database)
    await backend.ensure_history()
    history = await backend.history()
    return [(m, history.get(m.id)) for m in chain.migrations]
