"""Seeding Beanie documents (see :mod:`farmgen.runtime.seed`): a new record is validated
as a whole document, a record whose key exists only in the fields it gives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from farmgen.runtime.errors import SeedError
from farmgen.runtime.seed import SeedBlock, SeedSummary, _as_diagnostics


def _stored_names(model: type[Any]) -> dict[str, str]:
    """Stored name → Python attribute name of a pydantic model's fields."""
    return {(info.alias or name): name for name, info in model.model_fields.items()}


@dataclass
class _Planned:
    """One validated seed record: its key filter, the full document when it is new, and
    the validated values of the fields it gives (attribute → value)."""

    key: dict[str, Any]
    document: Any
    given: dict[str, Any]


def _error_lines(where: str, exc: Any) -> list[str]:
    return [
        f"{where}: {'.'.join(str(p) for p in error['loc']) or 'record'}: {error['msg']}"
        for error in exc.errors()
    ]


def _partial(model: type[Any], record: Mapping[str, Any], names: Mapping[str, str]) -> Any:
    """An unvalidated instance holding ``record``'s fields, each validated by the model's
    field validators and constraints (raises ``ValidationError``)."""
    instance = model.model_construct()
    for stored, value in record.items():
        model.__pydantic_validator__.validate_assignment(instance, names[stored], value)
    return instance


async def _plan_record(block: SeedBlock, model: type[Any], record: Mapping[str, Any]) -> _Planned:
    """Validate ``record``: only its fields when its key exists, else the whole document."""
    names = _stored_names(model)
    partial = _partial(model, record, names)
    key_attrs = {names[k] for k in block.key}
    key = partial.model_dump(by_alias=True, include=key_attrs)
    if await model.find_one(key) is not None:
        return _Planned(key, None, {names[k]: getattr(partial, names[k]) for k in record})
    document = model.model_validate(record)
    return _Planned(key, document, {names[k]: getattr(document, names[k]) for k in record})


async def _validate_documents(block: SeedBlock, model: type[Any]) -> list[_Planned]:
    from pydantic import ValidationError

    names = _stored_names(model)
    errors = [
        f"{block.source} ({block.model}): key field {k!r} is not a field"
        for k in block.key
        if k not in names
    ]
    if errors:
        raise SeedError(errors[0], _as_diagnostics(errors))
    planned = []
    for index, record in enumerate(block.records, start=1):
        where = f"{block.source} ({block.model}) record {index}"
        unknown = sorted(set(record) - set(names))
        if unknown:
            errors.append(f"{where}: unknown field {unknown[0]!r}")
            continue
        try:
            planned.append(await _plan_record(block, model, record))
        except ValidationError as exc:
            errors.extend(_error_lines(where, exc))
    if errors:
        raise SeedError(errors[0], _as_diagnostics(errors))
    return planned


async def apply_mongo_seeds(resolved: list[tuple[SeedBlock, type[Any]]]) -> SeedSummary:
    validated = [
        (block, model, await _validate_documents(block, model)) for block, model in resolved
    ]
    summary = SeedSummary()
    for block, model, planned in validated:
        result = summary.result(model.__name__)
        for plan in planned:
            existing = await model.find_one(plan.key)
            if existing is None:
                if plan.document is None:
                    raise SeedError(f"{block.source} ({block.model}): {plan.key} disappeared")
                await plan.document.insert()
                result.inserted += 1
                continue
            if all(getattr(existing, attr) == value for attr, value in plan.given.items()):
                result.unchanged += 1
                continue
            for attr, value in plan.given.items():
                setattr(existing, attr, value)
            await existing.save()
            result.updated += 1
    return summary
