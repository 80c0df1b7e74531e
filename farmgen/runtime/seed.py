"""Seed data from JSON or YAML files: validated against the registered models, upserted
by a declared key, so running a seed twice changes nothing the second time.

A seed file is a list of blocks (or one block)::

    - model: User                 # class name, or collection/table name, of a registered model
      key: email                  # a field, or a list of fields, that identifies a record
      records:
        - {email: ada@example.com, roles: [admin]}

Field names are the stored names. Values the file format cannot express use the
backup's type tags (``{"$type": "decimal", "value": "1.10"}``). Every record is
validated before anything is written; an existing record gets only the fields the
seed gives, and is left alone when they already match.
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
    return await _apply_mongo_seeds(resolved)


# -- MongoDB (Beanie documents) ------------------------------------------------------


def _stored_names(model: type[Any]) -> dict[str, str]:
    """Stored name → Python attribute name of a pydantic model's fields."""
    return {(info.alias or name): name for name, info in model.model_fields.items()}


def _validate_documents(block: SeedBlock, model: type[Any]) -> list[Any]:
    from pydantic import ValidationError

    names = _stored_names(model)
    errors = [
        f"{block.source} ({block.model}): key field {k!r} is not a field"
        for k in block.key
        if k not in names
    ]
    documents = []
    for index, record in enumerate(block.records, start=1):
        where = f"{block.source} ({block.model}) record {index}"
        unknown = sorted(set(record) - set(names))
        if unknown:
            errors.append(f"{where}: unknown field {unknown[0]!r}")
            continue
        try:
            documents.append(model.model_validate(record))
        except ValidationError as exc:
            for error in exc.errors():
                location = ".".join(str(p) for p in error["loc"]) or "record"
                errors.append(f"{where}: {location}: {error['msg']}")
    if errors:
        raise SeedError(errors[0], _as_diagnostics(errors))
    return documents


async def _apply_mongo_seeds(resolved: list[tuple[SeedBlock, type[Any]]]) -> SeedSummary:
    validated = [(block, model, _validate_documents(block, model)) for block, model in resolved]
    summary = SeedSummary()
    for block, model, documents in validated:
        names = _stored_names(model)
        result = summary.result(model.__name__)
        for record, document in zip(block.records, documents, strict=True):
            stored = document.model_dump(by_alias=True)
            existing = await model.find_one({k: stored[k] for k in block.key})
            if existing is None:
                await document.insert()
                result.inserted += 1
                continue
            given = {names[k]: getattr(document, names[k]) for k in record}
            if all(getattr(existing, attr) == value for attr, value in given.items()):
                result.unchanged += 1
                continue
            for attr, value in given.items():
                setattr(existing, attr, value)
            await existing.save()
            result.updated += 1
    return summary


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


def _validate_rows(block: SeedBlock, model: type[Any]) -> list[dict[str, Any]]:
    columns = _columns(model)
    errors = [
        f"{block.source} ({block.model}): key field {k!r} is not a column"
        for k in block.key
        if k not in columns
    ]
    rows: list[dict[str, Any]] = []
    version_column = model.__mapper__.version_id_col  # set by SQLAlchemy on every flush
    for index, record in enumerate(block.records, start=1):
        where = f"{block.source} ({block.model}) record {index}"
        row: dict[str, Any] = {}
        for name in sorted(set(record) - set(columns)):
            errors.append(f"{where}: unknown field {name!r}")
        for name, (attribute, column) in columns.items():
            if name not in record:
                if _required(column) and column is not version_column:
                    errors.append(f"{where}: {name}: field required")
                continue
            try:
                row[attribute] = _check_column(column, record[name])
            except ValueError as exc:
                errors.append(f"{where}: {name}: {exc}")
        rows.append(row)
    if errors:
        raise SeedError(errors[0], _as_diagnostics(errors))
    return rows


async def _apply_sql_seeds(
    provider: Any, resolved: list[tuple[SeedBlock, type[Any]]]
) -> SeedSummary:
    from sqlalchemy import select

    validated = [(block, model, _validate_rows(block, model)) for block, model in resolved]
    summary = SeedSummary()
    dialect = provider.native.dialect
    async with provider.transaction() as tx:
        for block, model, rows in validated:
            columns = {attr: column for attr, column in _columns(model).values()}
            by_name = _columns(model)
            key_attrs = [by_name[k][0] for k in block.key]
            result = summary.result(model.__name__)
            for row in rows:
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
