"""Portable backups: JSON lines written and read through the driver, for every provider.

A backup file is a header line then one line per record::

    {"farmgen_backup": 1, "database": "postgresql", "created_at": "...", "collections": {...}}
    {"collection": "users", "record": {"id": {"$type": "uuid", "value": "..."}, ...}}

Values JSON cannot carry exactly are written with an explicit type tag,
``{"$type": T, "value": V}``: ``datetime``, ``date``, ``time``, ``timedelta``,
``decimal``, ``decimal128``, ``uuid``, ``objectid``, ``bytes``, ``binary`` (with its
``subtype``), ``float`` (nan and infinities) and ``object`` (a mapping that itself has
a ``$type`` key). Anything else is refused rather than written approximately.
SQL tables are written in foreign-key order and restored in one transaction.
Backups hold data only: tables, collections, indexes and the migration history
(``schema_migrations*``) come from migrations, so a backup restores into a database
migrated to the same point.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import math
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from farmgen.runtime.errors import BackupError
from farmgen.runtime.providers.base import DatabaseProvider

if TYPE_CHECKING:
    from sqlalchemy import MetaData

FORMAT_VERSION = 1
HISTORY_PREFIX = "schema_migrations"
BATCH_SIZE = 500


@dataclass
class BackupSummary:
    path: Path
    collections: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(self.collections.values())


# -- the typed encoding ---------------------------------------------------------


def _tag(kind: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"$type": kind, "value": value, **extra}


def _encode_bson(value: Any) -> dict[str, Any] | None:
    from bson import Binary, Decimal128, ObjectId

    if isinstance(value, ObjectId):
        return _tag("objectid", str(value))
    if isinstance(value, Decimal128):
        return _tag("decimal128", str(value))
    if isinstance(value, Binary):
        return _tag("binary", base64.b64encode(bytes(value)).decode(), subtype=value.subtype)
    return None


def encode_value(value: Any) -> Any:
    """A JSON-ready form of ``value`` from which :func:`decode_value` rebuilds it exactly."""
    if isinstance(value, enum.Enum):
        return encode_value(value.value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Mapping):
        encoded = {str(k): encode_value(v) for k, v in value.items()}
        return _tag("object", encoded) if "$type" in encoded else encoded
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    return _encode_scalar(value)


_SCALAR_ENCODERS: tuple[tuple[type | tuple[type, ...], str, Callable[[Any], Any]], ...] = (
    (dt.datetime, "datetime", lambda v: v.isoformat()),
    (dt.date, "date", lambda v: v.isoformat()),
    (dt.time, "time", lambda v: v.isoformat()),
    (dt.timedelta, "timedelta", lambda v: [v.days, v.seconds, v.microseconds]),
    (Decimal, "decimal", str),
    (uuid.UUID, "uuid", str),
    ((bytes, bytearray, memoryview), "bytes", lambda v: base64.b64encode(bytes(v)).decode()),
)


def _encode_scalar(value: Any) -> Any:
    if type(value).__module__.startswith("bson"):
        tagged = _encode_bson(value)
        if tagged is not None:
            return tagged
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else _tag("float", repr(value))
    for types, kind, encode in _SCALAR_ENCODERS:
        if isinstance(value, types):
            return _tag(kind, encode(value))
    raise BackupError(f"cannot back up a value of type {type(value).__name__}: {value!r:.60}")


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "timedelta": lambda raw: dt.timedelta(days=raw[0], seconds=raw[1], microseconds=raw[2]),
    "decimal": Decimal,
    "uuid": uuid.UUID,
    "bytes": base64.b64decode,
    "float": float,
}


def _decode_tagged(kind: str, raw: Any, data: Mapping[str, Any]) -> Any:
    if kind in _DECODERS:
        return _DECODERS[kind](raw)
    if kind == "object":
        return {k: decode_value(v) for k, v in raw.items()}
    from bson import Binary, Decimal128, ObjectId

    bson_decoders: dict[str, Callable[[], Any]] = {
        "objectid": lambda: ObjectId(raw),
        "decimal128": lambda: Decimal128(raw),
        "binary": lambda: Binary(base64.b64decode(raw), int(data["subtype"])),
    }
    if kind not in bson_decoders:
        raise BackupError(f"unknown value type {kind!r} in the backup")
    return bson_decoders[kind]()


def decode_value(value: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if isinstance(value, dict):
        if "$type" in value:
            return _decode_tagged(str(value["$type"]), value.get("value"), value)
        return {k: decode_value(v) for k, v in value.items()}
    return value


# -- writing and reading ----------------------------------------------------------


async def backup(
    provider: DatabaseProvider, out: Path, *, schema: MetaData | None = None
) -> BackupSummary:
    """Write every table or collection of ``provider`` to ``out`` (replaced atomically).

    SQL values are written by their columns' logical types, taken from ``schema``
    (for example the SQL schema of the migration snapshot) and the registered models
    (see :mod:`farmgen.runtime.backup_sql`), so the file does not depend on the dialect.
    """
    provider.require_connected()
    summary = BackupSummary(out, dict.fromkeys(await _ordered_collections(provider), 0))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    records = _sql_records(provider, schema) if provider.kind == "sql" else _mongo_records(provider)
    try:
        with partial.open("w", encoding="utf-8") as body:
            async for collection, record in records:
                line = {"collection": collection, "record": encode_value(record)}
                body.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
                summary.collections[collection] = summary.collections.get(collection, 0) + 1
        header = {
            "farmgen_backup": FORMAT_VERSION,
            "database": provider.dialect,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "collections": summary.collections,
        }
        with out.with_name(out.name + ".tmp").open("w", encoding="utf-8") as final:
            final.write(json.dumps(header, separators=(",", ":")) + "\n")
            with partial.open(encoding="utf-8") as body_in:
                for line_text in body_in:
                    final.write(line_text)
        os.replace(out.with_name(out.name + ".tmp"), out)
    finally:
        partial.unlink(missing_ok=True)
        out.with_name(out.name + ".tmp").unlink(missing_ok=True)
    return summary


def is_history(name: str) -> bool:
    """The migration applier's own tables and collections (history, progress, locks)."""
    return name == HISTORY_PREFIX or name.startswith(HISTORY_PREFIX + "_")


async def _ordered_collections(provider: Any) -> list[str]:
    """Data collections in restore order: SQL tables referenced before those referencing them."""
    if provider.kind != "sql":
        return [n for n in await provider.list_collections() if not is_history(n)]
    from sqlalchemy import MetaData

    metadata = MetaData()
    async with provider._engine().connect() as conn:
        await conn.run_sync(metadata.reflect)
    return [table.name for table in metadata.sorted_tables if not is_history(table.name)]


def _sources(provider: Any, schema: MetaData | None) -> list[MetaData]:
    """Where the logical column types come from: ``schema``, then the registered models."""
    return ([schema] if schema is not None else []) + list(provider.metadata())


async def _sql_records(
    provider: Any, schema: MetaData | None
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    from sqlalchemy import MetaData, select

    from farmgen.runtime.backup_sql import logical_tables

    metadata = MetaData()
    async with provider._engine().connect() as conn:
        await conn.run_sync(metadata.reflect)
        tables = logical_tables(metadata, _sources(provider, schema))
        for name, table in tables.items():
            if is_history(name):
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            result = await conn.stream(select(table).order_by(*order))
            async for row in result:
                yield name, dict(row._mapping)


async def _mongo_records(provider: Any) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    for name in await _ordered_collections(provider):
        async for document in provider.database[name].find({}, sort=[("_id", 1)]):
            yield name, document


def read_backup(path: Path) -> tuple[dict[str, Any], Iterator[tuple[str, dict[str, Any]]]]:
    """The header and the decoded records of a backup file; malformed files raise."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    first = handle.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        handle.close()
        raise BackupError(f"{path}:1: not a farmgen backup (no header line)") from None
    if not isinstance(header, dict) or header.get("farmgen_backup") != FORMAT_VERSION:
        handle.close()
        raise BackupError(f"{path}:1: not a farmgen backup (version {FORMAT_VERSION})")

    def records() -> Iterator[tuple[str, dict[str, Any]]]:
        with handle:
            for number, text in enumerate(handle, start=2):
                try:
                    line = json.loads(text)
                    yield str(line["collection"]), decode_value(line["record"])
                except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                    raise BackupError(f"{path}:{number}: malformed record ({exc})") from None

    return header, records()


async def restore(
    provider: DatabaseProvider,
    path: Path,
    *,
    replace: bool = False,
    schema: MetaData | None = None,
) -> BackupSummary:
    """Load a backup into ``provider``'s existing tables or collections.

    The targets must be empty unless ``replace`` is given, which deletes their rows
    first. On SQL everything happens in one transaction: a failure leaves the
    database as it was. SQL values are bound through their columns' logical types
    (as in :func:`backup`), so a backup of any provider restores into any other.
    """
    provider.require_connected()
    header, records = read_backup(path)
    names = [str(name) for name in header.get("collections", {})]
    summary = BackupSummary(path, dict.fromkeys(names, 0))
    if provider.kind == "sql":
        await _restore_sql(provider, (names, records), summary, replace, schema)
    else:
        await _restore_mongo(provider, names, records, summary, replace)
    return summary


def _refuse_non_empty(non_empty: list[str], replace: bool) -> None:
    if non_empty and not replace:
        raise BackupError(
            f"{', '.join(non_empty)} not empty: restore into an empty database, "
            f"or pass --replace to delete their rows first"
        )


async def _restore_sql(
    provider: Any,
    content: tuple[list[str], Iterator[tuple[str, Any]]],
    summary: BackupSummary,
    replace: bool,
    schema: MetaData | None,
) -> None:
    from sqlalchemy import MetaData, func, insert, select

    from farmgen.runtime.backup_sql import coerce_record, logical_tables

    names, records = content
    metadata = MetaData()
    async with provider._engine().begin() as conn:
        await conn.run_sync(metadata.reflect)
        missing = [name for name in names if name not in metadata.tables]
        if missing:
            raise BackupError(
                f"table {', '.join(missing)} does not exist in {provider.masked_url}: "
                f"run `farmgen db migrate` first"
            )
        non_empty = []
        for name in names:
            count = select(func.count()).select_from(metadata.tables[name])
            if (await conn.execute(count)).scalar_one():
                non_empty.append(name)
        _refuse_non_empty(non_empty, replace)
        for table in reversed(metadata.sorted_tables):
            if table.name in non_empty:
                await conn.execute(table.delete())
        tables = logical_tables(metadata, _sources(provider, schema))
        for name, batch in _batches(records):
            table = tables[name]
            await conn.execute(insert(table), [coerce_record(table, r) for r in batch])
            summary.collections[name] = summary.collections.get(name, 0) + len(batch)


async def _restore_mongo(
    provider: Any,
    names: list[str],
    records: Iterator[tuple[str, Any]],
    summary: BackupSummary,
    replace: bool,
) -> None:
    database = provider.database
    existing = set(await database.list_collection_names())
    for name in names:
        if name not in existing:  # empty collections come back too
            await database.create_collection(name)
    non_empty = [n for n in names if await database[n].count_documents({}, limit=1)]
    _refuse_non_empty(non_empty, replace)
    for name in non_empty:
        await database[name].delete_many({})
    for name, batch in _batches(records):
        await database[name].insert_many(batch, ordered=True)
        summary.collections[name] = summary.collections.get(name, 0) + len(batch)


def _batches(records: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, list[Any]]]:
    """Consecutive records of one collection, at most ``BATCH_SIZE`` at a time."""
    current: str | None = None
    batch: list[Any] = []
    for name, record in records:
        if (name != current or len(batch) >= BATCH_SIZE) and batch:
            yield str(current), batch
            batch = []
        current = name
        batch.append(record)
    if batch:
        yield str(current), batch
