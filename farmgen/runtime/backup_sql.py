"""The logical tables a SQL backup reads and restores through.

A database's reflected column types say how a dialect stores a value, not what it
is: SQLite keeps a ``Uuid`` as ``CHAR(32)`` and a ``UTCDateTime`` as a naive
``DATETIME``, MariaDB keeps ``JSON`` as ``LONGTEXT``. Backups therefore read and
bind every column through its logical type, taken from the registered models'
tables or from the SQL schema of a migration snapshot
(:func:`farmgen.runtime.sqlschema.build_metadata`), so that a backup of one
provider restores into any other and backs up again to the same records:

- datetimes are timezone-aware UTC (:class:`~farmgen.runtime.sqltypes.UTCDateTime`);
- UUIDs are ``uuid.UUID`` whatever the storage;
- JSON columns (plain or embedded models) are plain JSON values;
- enums are their stored values.

A column no source declares keeps its reflected type (datetimes still come back
aware UTC).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator, TypeEngine

from farmgen.runtime.sqltypes import JSONValue, UTCDateTime


def _base_type(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type a ``TypeDecorator`` is implemented by (other types as they are)."""
    if isinstance(column_type, TypeDecorator):
        impl = column_type.impl
        return impl if isinstance(impl, TypeEngine) else impl()
    return column_type


def logical_type(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type a backup reads and binds a column through (see the module docstring)."""
    if isinstance(column_type, UTCDateTime):
        return UTCDateTime()
    if isinstance(column_type, JSONValue):
        return JSONValue()
    base = _base_type(column_type)
    if isinstance(base, sa.DateTime):
        return UTCDateTime()
    if isinstance(base, sa.Uuid):
        return sa.Uuid()
    if isinstance(base, sa.JSON):
        return JSONValue()
    return column_type


def _declared(sources: Iterable[sa.MetaData]) -> dict[str, sa.Table]:
    found: dict[str, sa.Table] = {}
    for metadata in sources:
        for name, table in metadata.tables.items():
            found.setdefault(name, table)
    return found


def logical_tables(reflected: sa.MetaData, sources: Iterable[sa.MetaData]) -> dict[str, sa.Table]:
    """A table per reflected table, its columns typed by ``sources`` where they declare them."""
    declared = _declared(sources)
    metadata = sa.MetaData()
    tables: dict[str, sa.Table] = {}
    for table in reflected.sorted_tables:
        known = declared.get(table.name)
        columns = []
        for column in table.columns:
            source = known.c[column.name] if known is not None and column.name in known.c else None
            column_type = source.type if source is not None else column.type
            columns.append(
                sa.Column(column.name, logical_type(column_type), primary_key=column.primary_key)
            )
        tables[table.name] = sa.Table(table.name, metadata, *columns)
    return tables


_COERCIONS: tuple[tuple[type, type, Any], ...] = (
    (sa.Uuid, str, uuid.UUID),
    (UTCDateTime, str, dt.datetime.fromisoformat),
)


def coerce_record(table: sa.Table, record: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` with text values of UUID and datetime columns parsed (older backups)."""
    out = dict(record)
    for name, value in record.items():
        if name not in table.c:
            continue
        for column_type, value_type, parse in _COERCIONS:
            if isinstance(table.c[name].type, column_type) and isinstance(value, value_type):
                out[name] = parse(value)
    return out
