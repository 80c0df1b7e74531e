"""The SQL schema of a snapshot: one ``sqlalchemy.MetaData`` built from it.

This is the single IR → SQL type mapping. The migration applier creates exactly
these tables, and generated SQLAlchemy models must declare the same columns, types,
names, indexes and constraints (the generator's tests compare the two with
``alembic.autogenerate.compare_metadata``).

Rules:

- Table = collection. Primary key ``id`` (``Uuid``). Columns by stored field name.
- ``ref[M]`` field ``author`` → column ``author_id`` (``Uuid``), foreign key to
  ``M.id`` with ``ondelete`` from the spec (no ``ondelete`` → none). A foreign key
  on a cycle of references between tables (``Org.owner`` → ``users``,
  ``User.org`` → ``orgs``) has ``use_alter``: it is added after the tables and dropped
  before them, so the tables sort for create and drop (``cyclic_references``).
- ``list[ref[M]]`` field ``tags`` of ``Post`` → association table ``posts_tags``
  with columns ``post_id`` and ``tag_id`` (both ``Uuid``, foreign keys with
  ``ON DELETE CASCADE``, together the primary key); the names are stored in the
  snapshot (``through``, see ``schema_state.association_names``).
- Enums → one named ``Enum`` type per spec enum (``UserStatus`` → ``user_status``)
  storing the values: ``CREATE TYPE`` on PostgreSQL (created with the first table
  whose column uses it, as ``create_all`` does; an enum used only inside JSON has no
  type), ``ENUM(...)`` on MySQL, a ``VARCHAR`` with a CHECK constraint on SQLite
  named after the column, ``ck_<table>_<column>_enum`` (``sqltypes.enum_check_name``).
- Embedded types, ``list``, ``dict`` and ``json`` → ``JSON`` (``JSONB`` on PostgreSQL).
- ``int`` → ``BIGINT`` (64-bit, as Python, MongoDB and TypeScript's ``int64``).
- Nullability = ``optional``. No server defaults: defaults live in Python, except
  for the columns of mixins, which are taken from ``farmgen.runtime.tables`` as they
  are (timestamps have server defaults).
- ``string``/``url`` → ``VARCHAR(max_length)``; without ``max_length`` ``TEXT``, or
  ``VARCHAR(255)`` where an index of the model uses the field (MySQL cannot index
  ``TEXT``); ``email`` → ``VARCHAR(320)`` unless ``max_length`` says otherwise.
- ``min``/``max`` → CHECK constraints ``ck_<table>_<column>_min`` / ``_max``.
- Indexes keep their spec names and key directions. An index is created on SQL only
  when every key is a top-level column that SQL can index (not JSON, ``text`` or
  ``bytes``, not a dotted path, not a full-text index).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

from farmgen.runtime import schema_state as st
from farmgen.runtime.sqltypes import ColumnCheckedEnum

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""The naming convention of ``farmgen.runtime.tables.Base.metadata`` too."""

DEFAULT_STRING_LENGTH = 255
"""``VARCHAR`` length of a string without ``max_length`` (MySQL needs one)."""
EMAIL_LENGTH = 320
DECIMAL_PRECISION, DECIMAL_SCALE = 38, 10
UNINDEXABLE = frozenset({"text", "bytes", "json"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def enum_type_name(enum: str) -> str:
    """``UserStatus`` → ``user_status`` (the PostgreSQL type name)."""
    return _CAMEL.sub("_", enum).replace("-", "_").lower()


def json_type() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def datetime_type() -> sa.types.TypeEngine[Any]:
    return sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def time_type() -> sa.types.TypeEngine[Any]:
    return sa.Time().with_variant(mysql.TIME(fsp=6), "mysql", "mariadb")


def scalar_type(kind: str, spec: st.FieldSpec, indexed: bool = False) -> sa.types.TypeEngine[Any]:
    """The column type of a scalar field (``indexed``: some index of the model uses it)."""
    if kind in ("string", "email", "url"):
        length = spec.get("max_length") or (EMAIL_LENGTH if kind == "email" else None)
        if length is None and indexed:
            length = DEFAULT_STRING_LENGTH
        return sa.String(length) if length else sa.Text()
    simple: dict[str, sa.types.TypeEngine[Any]] = {
        "text": sa.Text(),
        "int": sa.BigInteger(),
        "float": sa.Double(),
        "decimal": sa.Numeric(DECIMAL_PRECISION, DECIMAL_SCALE),
        "bool": sa.Boolean(),
        "date": sa.Date(),
        "uuid": sa.Uuid(),
        "bytes": sa.LargeBinary(),
        "objectid": sa.String(24),
    }
    if kind in simple:
        return simple[kind]
    if kind == "datetime":
        return datetime_type()
    if kind == "time":
        return time_type()
    if kind == "json":
        return json_type()
    raise st.SnapshotError(f"no SQL type for '{kind}'")


def column_name(snapshot: st.Snapshot, field: str, spec: st.FieldSpec) -> str | None:
    """The column a top-level field is stored in; None for a many-to-many field."""
    info = st.field_type(snapshot, spec)
    if info.is_many_to_many:
        return None
    return f"{field}_id" if info.kind == "ref" else field


def cyclic_references(snapshot: st.Snapshot) -> set[tuple[str, str]]:
    """(collection, field) of the foreign keys that lie on a cycle between tables."""
    refs: dict[tuple[str, str], str] = {}
    for collection in snapshot["models"]:
        for name, spec in st.model(snapshot, collection)["fields"].items():
            info = st.field_type(snapshot, spec)
            if info.kind == "ref" and not info.is_many_to_many and info.name != collection:
                refs[(collection, name)] = info.name
    edges: dict[str, set[str]] = {}
    for (collection, _), target in refs.items():
        edges.setdefault(collection, set()).add(target)
    cyclic = st.edges_on_cycles(edges)
    return {key for key, target in refs.items() if (key[0], target) in cyclic}


class _Builder:
    def __init__(self, snapshot: st.Snapshot, metadata: sa.MetaData) -> None:
        self.snapshot = snapshot
        self.metadata = metadata
        self.cyclic = cyclic_references(snapshot)
        self.collection = ""
        self.enums = {
            name: ColumnCheckedEnum(
                *values,
                name=enum_type_name(name),
                create_constraint=True,
                validate_strings=True,
            )
            for name, values in sorted(snapshot["enums"].items())
        }

    def column_type(
        self, info: st.TypeInfo, spec: st.FieldSpec, indexed: bool
    ) -> sa.types.TypeEngine[Any]:
        if info.kind == "scalar":
            return scalar_type(info.name, spec, indexed)
        if info.kind == "enum":
            return self.enums[info.name]
        if info.kind == "ref":
            return sa.Uuid()
        return json_type()

    def table(self, collection: str) -> None:
        self.collection = collection
        model = st.model(self.snapshot, collection)
        items: list[Any] = [sa.Column("id", sa.Uuid(), primary_key=True)]
        indexed = {str(key[0]) for index in model["indexes"].values() for key in index["fields"]}
        for name, spec in sorted(model["fields"].items()):
            info = st.field_type(self.snapshot, spec)
            if info.is_many_to_many:
                continue
            items.extend(self.column(name, spec, info, name in indexed))
        table = sa.Table(collection, self.metadata, *items)
        for name, index in sorted(model["indexes"].items()):
            keys = sql_index_keys(self.snapshot, collection, index)
            if keys is not None:
                columns = [table.c[c].desc() if desc else table.c[c] for c, desc in keys]
                sa.Index(name, *columns, unique=bool(index.get("unique")))

    def column(self, name: str, spec: st.FieldSpec, info: st.TypeInfo, indexed: bool) -> list[Any]:
        if spec.get("mixin"):
            return [mixin_column(name)]
        nullable = bool(spec.get("optional"))
        if info.kind == "ref":
            on_delete = spec.get("on_delete")
            fk = sa.ForeignKey(
                f"{info.name}.id",
                ondelete=on_delete.replace("_", " ").upper() if on_delete else None,
                use_alter=(self.collection, name) in self.cyclic,
            )
            return [sa.Column(f"{name}_id", sa.Uuid(), fk, nullable=nullable)]
        column = sa.Column(name, self.column_type(info, spec, indexed), nullable=nullable)
        items: list[Any] = [column]
        if spec.get("min") is not None:
            items.append(sa.CheckConstraint(column >= spec["min"], name=f"{name}_min"))
        if spec.get("max") is not None:
            items.append(sa.CheckConstraint(column <= spec["max"], name=f"{name}_max"))
        return items

    def association(self, collection: str, field: str, spec: st.FieldSpec, target: str) -> None:
        table, left, right = st.through(spec, collection, field)
        sa.Table(
            table,
            self.metadata,
            sa.Column(
                left,
                sa.Uuid(),
                sa.ForeignKey(f"{collection}.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column(
                right,
                sa.Uuid(),
                sa.ForeignKey(f"{target}.id", ondelete="CASCADE"),
                primary_key=True,
            ),
        )


def mixin_column(name: str) -> sa.Column[Any]:
    """The column a mixin of ``farmgen.runtime.tables`` declares for field ``name``."""
    from sqlalchemy.orm.properties import MappedColumn

    from farmgen.runtime import tables

    mixins = (
        tables.TimestampMixin,
        tables.SoftDeleteMixin,
        tables.AuditMixin,
        tables.MetadataMixin,
        tables.SearchableMixin,
    )
    for mixin in mixins:
        for attr, value in vars(mixin).items():
            if isinstance(value, MappedColumn) and (value.column.name or attr) == name:
                column: sa.Column[Any] = value.column._copy()
                column.name = column.key = name
                return column
    raise st.SnapshotError(f"no mixin declares a column '{name}'")


def sql_index_keys(
    snapshot: st.Snapshot, collection: str, index: dict[str, Any]
) -> list[tuple[str, bool]] | None:
    """(column, descending) of an index on SQL, or None where SQL does not keep it."""
    columns = sql_index_columns(snapshot, collection, index)
    if columns is None:
        return None
    return [(c, key[1] == -1) for c, key in zip(columns, index["fields"], strict=True)]


def sql_index_columns(
    snapshot: st.Snapshot, collection: str, index: dict[str, Any]
) -> list[str] | None:
    """The columns of an index on SQL, or None where SQL does not keep the index."""
    fields = st.model(snapshot, collection)["fields"]
    columns: list[str] = []
    for path, direction in index["fields"]:
        spec = fields.get(path)
        if direction == "text" or spec is None:
            return None
        info = st.field_type(snapshot, spec)
        if (
            info.stored_as_json
            or info.is_many_to_many
            or (info.kind == "scalar" and info.name in UNINDEXABLE)
        ):
            return None
        name = column_name(snapshot, path, spec)
        if name is None:
            return None
        columns.append(name)
    return columns


def build_metadata(snapshot: st.Snapshot, metadata: sa.MetaData | None = None) -> sa.MetaData:
    """Tables, association tables, enum types, checks and indexes of ``snapshot``."""
    md = metadata if metadata is not None else sa.MetaData(naming_convention=NAMING_CONVENTION)
    builder = _Builder(snapshot, md)
    for collection in sorted(snapshot["models"]):
        builder.table(collection)
    for collection in sorted(snapshot["models"]):
        for name, spec in sorted(st.model(snapshot, collection)["fields"].items()):
            info = st.field_type(snapshot, spec)
            if info.is_many_to_many and info.item is not None:
                builder.association(collection, name, spec, info.item.name)
    return md
