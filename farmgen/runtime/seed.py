"""Seed data from JSON or YAML files: validated against the registered models, upserted
by a declared key, so running a seed twice changes nothing the second time.

A seed file is a list of blocks (or one block)::

    - model: User                 # class name, or collection/table name, of a registered model
      key: email                  # a field, or a list of fields, that identifies a record
      records:
        - {email: ada@example.com, roles: [admin]}

Field names are the stored names. Values the file format cannot express use the
backup's type tags (``{"$type": "decimal", "value": "1.10"}``). Every record is
validated before anything is written: a new record completely, a record whose key
already exists only in the fields it gives (so ``{email: dave@example.com, role:
admin}`` changes Dave's role without repeating his other fields). An existing record
gets only the fields the seed gives, and is left alone when they already match.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from farmgen.runtime.backup import decode_value
from farmgen.runtime.errors import BackupError, ModelError, SeedError
from farmgen.runtime.providers.base import DatabaseProvider

SEED_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class SeedBlock:
    model: str
    key: tuple[str, ...]
    records: tuple[dict[str, Any], ...]
    source: str


@dataclass
class SeedResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class SeedSummary:
    models: dict[str, SeedResult] = field(default_factory=dict)

    def result(self, model: str) -> SeedResult:
        return self.models.setdefault(model, SeedResult())


def discover_seed_files(directory: Path) -> list[Path]:
    """The seed files of ``directory``, sorted by name (prefix them to order them)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in SEED_SUFFIXES and p.is_file())


def _parse(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"cannot read {path}: {exc.strerror}") from None
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SeedError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise SeedError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None


def load_seed_file(path: Path) -> list[SeedBlock]:
    """The blocks of one seed file; a malformed file raises :class:`SeedError`."""
    data = _parse(path)
    blocks = [data] if isinstance(data, Mapping) else data
    if not isinstance(blocks, list):
        raise SeedError(f"{path}: expected a list of {{model, key, records}} blocks")
    return [_block(path, i, raw) for i, raw in enumerate(blocks, start=1)]


def _block(path: Path, number: int, raw: Any) -> SeedBlock:
    where = f"{path}: block {number}"
    if not isinstance(raw, Mapping):
        raise SeedError(f"{where}: expected a mapping with model, key and records")
    unknown = sorted(set(raw) - {"model", "key", "records"})
    if unknown:
        raise SeedError(f"{where}: unknown key {', '.join(unknown)} (use model, key, records)")
    model, key, records = raw.get("model"), raw.get("key"), raw.get("records")
    if not isinstance(model, str) or not model:
        raise SeedError(f"{where}: 'model' must name a registered model")
    keys = (key,) if isinstance(key, str) else tuple(key) if isinstance(key, list) else ()
    if not keys or not all(isinstance(k, str) for k in keys):
        raise SeedError(f"{where} ({model}): 'key' must be a field name or a list of them")
    if not isinstance(records, list) or not all(isinstance(r, Mapping) for r in records):
        raise SeedError(f"{where} ({model}): 'records' must be a list of mappings")
    try:
        decoded = tuple(decode_value(dict(r)) for r in records)
    except (BackupError, ValueError, TypeError) as exc:
        raise SeedError(f"{where} ({model}): bad typed value: {exc}") from None
    for index, record in enumerate(decoded, start=1):
        missing = [k for k in keys if k not in record]
        if missing:
            raise SeedError(f"{where} ({model}) record {index}: missing key field {missing[0]!r}")
    return SeedBlock(model, keys, decoded, str(path))


async def apply_seeds(provider: DatabaseProvider, blocks: Sequence[SeedBlock]) -> SeedSummary:
    """Validate every block against the registered models, then upsert the records."""
    provider.require_connected()
    resolved = []
    for block in blocks:
        try:
            model = provider.model_for(block.model)
        except ModelError as exc:
            raise SeedError(f"{block.source} ({block.model}): {exc.message}") from None
        resolved.append((block, model))
    if provider.kind == "sql":
        return await _apply_sql_seeds(provider, resolved)
    from farmgen.runtime.seed_mongo import apply_mongo_seeds

    return await apply_mongo_seeds(resolved)


def _as_diagnostics(errors: list[str]) -> list[Any]:
    from farmgen.diagnostics import Diagnostic, Location

    diagnostics = []
    for error in errors:
        place, _, message = error.partition(": ")
        diagnostics.append(Diagnostic(Location(place), "seed", message))
    return diagnostics


# -- value coercion shared with the SQL side ------------------------------------------


def coerce(value: Any, python_type: type[Any]) -> Any:
    """``value`` as ``python_type`` where a file can only give a string or a number."""
    if value is None or isinstance(value, python_type):
        return value
    converters: dict[type[Any], Any] = {
        dt.datetime: dt.datetime.fromisoformat,
        dt.date: dt.date.fromisoformat,
        dt.time: dt.time.fromisoformat,
        Decimal: lambda v: Decimal(str(v)),
        uuid.UUID: lambda v: uuid.UUID(str(v)),
        float: float,
    }
    convert = converters.get(python_type)
    if convert is None or isinstance(value, bool):
        raise ValueError(f"expected {python_type.__name__}, got {type(value).__name__}")
    try:
        return convert(value)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise ValueError(f"expected {python_type.__name__}: {exc}") from None


# -- SQL (SQLAlchemy mapped classes) ----------------------------------------------------


def _columns(model: type[Any]) -> dict[str, tuple[str, Any]]:
    """Column name → (ORM attribute name, column) of a mapped class."""
    found: dict[str, tuple[str, Any]] = {}
    for attribute in model.__mapper__.column_attrs:
        for column in attribute.columns:
            found[column.name] = (attribute.key, column)
    return found


def _required(column: Any) -> bool:
    return not (
        column.nullable
        or column.default is not None
        or column.server_default is not None
        or column.autoincrement is True
    )


def _same(columns: Mapping[str, Any], dialect: Any, attr: str, stored: Any, given: Any) -> bool:
    """Whether the stored value already equals the seed's, compared as the database
    would store them (an embedded model and the dict it came from are the same)."""
    from sqlalchemy import TypeDecorator

    if stored == given:
        return True
    column_type = columns[attr].type
    if not isinstance(column_type, TypeDecorator):
        return False
    try:
        bind = column_type.process_bind_param
        return bool(bind(stored, dialect) == bind(given, dialect))
    except (ValueError, TypeError):
        return False


def _check_column(column: Any, value: Any) -> Any:
    """The value coerced to the column's type; raises ValueError with the reason."""
    if value is None:
        if not column.nullable:
            raise ValueError("must not be null")
        return None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    enums = getattr(column.type, "enums", None)
    if enums and isinstance(value, str) and value not in enums:
        raise ValueError(f"{value!r} is not one of {', '.join(enums)}")
    if python_type in (dict, list) or (enums and isinstance(value, str)):
        return value
    value = coerce(value, python_type)
    length = getattr(column.type, "length", None)
    if isinstance(value, str) and length is not None and len(value) > length:
        raise ValueError(f"longer than {length} characters")
    return value


@dataclass
class _Rows:
    """The checked rows of a block (ORM attribute → value) and, per row, the required
    columns it leaves out: an error only where the row's key does not exist yet."""

    rows: list[dict[str, Any]]
    missing: list[list[str]]
    errors: list[str]


def _validate_rows(block: SeedBlock, model: type[Any]) -> _Rows:
    columns = _columns(model)
    checked = _Rows([], [], [])
    checked.errors.extend(
        f"{block.source} ({block.model}): key field {k!r} is not a column"
        for k in block.key
        if k not in columns
    )
    version_column = model.__mapper__.version_id_col  # set by SQLAlchemy on every flush
    for index, record in enumerate(block.records, start=1):
        where = f"{block.source} ({block.model}) record {index}"
        row: dict[str, Any] = {}
        missing: list[str] = []
        for name in sorted(set(record) - set(columns)):
            checked.errors.append(f"{where}: unknown field {name!r}")
        for name, (attribute, column) in columns.items():
            if name not in record:
                if _required(column) and column is not version_column:
                    missing.append(name)
                continue
            try:
                row[attribute] = _check_column(column, record[name])
            except ValueError as exc:
                checked.errors.append(f"{where}: {name}: {exc}")
        checked.rows.append(row)
        checked.missing.append(missing)
    return checked


async def _check_new_rows(
    session: Any, validated: list[tuple[SeedBlock, type[Any], _Rows]]
) -> list[str]:
    """'field required' errors of the rows whose key is neither stored nor seeded before."""
    from sqlalchemy import select

    errors: list[str] = []
    for block, model, checked in validated:
        key_attrs = [_columns(model)[k][0] for k in block.key]
        seeded: set[tuple[Any, ...]] = set()
        for index, (row, missing) in enumerate(zip(checked.rows, checked.missing, strict=True)):
            if any(attr not in row for attr in key_attrs):
                continue  # its key is invalid, which is reported already
            key = tuple(row[attr] for attr in key_attrs)
            where = [
                getattr(model, attr) == value for attr, value in zip(key_attrs, key, strict=True)
            ]
            if key in seeded or (await session.execute(select(model).where(*where))).first():
                continue
            seeded.add(key)
            place = f"{block.source} ({block.model}) record {index + 1}"
            errors.extend(f"{place}: {name}: field required" for name in missing)
    return errors


async def _apply_sql_seeds(
    provider: Any, resolved: list[tuple[SeedBlock, type[Any]]]
) -> SeedSummary:
    from sqlalchemy import select

    validated = [(block, model, _validate_rows(block, model)) for block, model in resolved]
    summary = SeedSummary()
    dialect = provider.native.dialect
    async with provider.transaction() as tx:
        errors = [error for _, _, checked in validated for error in checked.errors]
        if not any(error.endswith("is not a column") for error in errors):
            errors += await _check_new_rows(tx.session, validated)
        if errors:
            raise SeedError(errors[0], _as_diagnostics(errors))
        for block, model, checked in validated:
            columns = {attr: column for attr, column in _columns(model).values()}
            by_name = _columns(model)
            key_attrs = [by_name[k][0] for k in block.key]
            result = summary.result(model.__name__)
            for row in checked.rows:
                where = [getattr(model, attr) == row[attr] for attr in key_attrs]
                existing = (await tx.session.execute(select(model).where(*where))).scalar()
                if existing is None:
                    tx.session.add(model(**row))
                    await tx.session.flush()
                    result.inserted += 1
                elif all(
                    _same(columns, dialect, attr, getattr(existing, attr), value)
                    for attr, value in row.items()
                ):
                    result.unchanged += 1
                else:
                    for attr, value in row.items():
                        setattr(existing, attr, value)
                    await tx.session.flush()
                    result.updated += 1
    return summary
