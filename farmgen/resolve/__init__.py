"""Raw spec documents → the typed IR, collecting every diagnostic before failing.

Passes: collect the declarations of every file (names are global), resolve enums,
then embedded types and models (types, constraints, mixins, indexes, search), then
check defaults (which need every enum and embedded type) and the cross-declaration
rules (embedded cycles, collection and index name clashes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from farmgen.diagnostics import Diagnostic
from farmgen.ir.model import Default, EmbeddedType, EnumType, Field, Model, Schema
from farmgen.resolve.checks import (
    check_collections,
    check_embedded_cycles,
    check_index_names,
    check_sql_names,
)
from farmgen.resolve.context import Context, Declared
from farmgen.resolve.declarations import collect
from farmgen.resolve.defaults import (
    DefaultChecker,
    DefaultError,
    DefaultScope,
    EmbeddedShape,
    check_constraints,
)
from farmgen.resolve.fastfield import field_with
from farmgen.resolve.fields import NULL_DEFAULT, FieldResolver, PendingField
from farmgen.resolve.models import (
    ModelResolver,
    PendingEmbedded,
    PendingModel,
    resolve_embedded,
    resolve_enum,
)
from farmgen.resolve.sqllimits import check_index_key_lengths, check_required_cycles
from farmgen.resolve.types import TypeScope
from farmgen.spec.nodes import RawDocument
from farmgen.spec.source import load_document, paused_gc

__all__ = ["load_schema", "resolve_documents", "resolve_with_diagnostics"]

_EMPTY_LIST = Default.of([])
_EMPTY_DICT = Default.of({})


_SCALAR_DEFAULTS: dict[tuple[str, str], Default] = {}


def _default(value: object) -> Default:
    """``Default.of``, memoised for scalars (specs repeat ``0``, ``false``, ``[]``...)."""
    if value is None or isinstance(value, str | int | float | bool):
        key = (type(value).__name__, repr(value))
        found = _SCALAR_DEFAULTS.get(key)
        if found is None:
            found = Default.of(value)
            if len(_SCALAR_DEFAULTS) < 4096:
                _SCALAR_DEFAULTS[key] = found
        return found
    if isinstance(value, list | dict) and not value:
        return _EMPTY_LIST if isinstance(value, list) else _EMPTY_DICT
    return Default.of(value)


def _of_kind(declared: Iterable[Declared], kind: str) -> list[Declared]:
    return [d for d in declared if d.kind == kind]


def _finish_field(
    ctx: Context, checker: DefaultChecker, owner: str, pending: PendingField
) -> Field:
    field = pending.field
    if pending.default_node is None:
        if field.optional and field.default is None:
            return field_with(field, default=NULL_DEFAULT)
        return field
    label = f"{owner}.{field.name}"
    try:
        value = checker.value(pending.default_node, field.type, field.optional, label)
        check_constraints(pending.default_node, value, field.constraints, label)
    except DefaultError as exc:
        ctx.error(exc.node.location, "bad-default", exc.message, exc.hint)
        return field
    return field_with(field, default=_default(value))


def _default_scope(enums: Sequence[EnumType], embedded: Sequence[PendingEmbedded]) -> DefaultScope:
    shapes = {
        e.decl.name: EmbeddedShape(
            fields={p.field.name: (p.field.type, p.field.optional) for p in e.fields},
            required=frozenset(
                p.field.name for p in e.fields if p.default_node is None and not p.field.optional
            ),
        )
        for e in embedded
    }
    return DefaultScope({e.name: e.value_strings for e in enums}, shapes)


def resolve_documents(documents: Sequence[RawDocument]) -> Schema:
    """The IR of a set of parsed spec documents; raises :class:`SpecError` listing every problem."""
    schema, diagnostics = resolve_with_diagnostics(documents)
    if schema is None:
        from farmgen.diagnostics import SpecError

        raise SpecError(diagnostics)
    return schema


@dataclass(frozen=True)
class _Resolved:
    enums: list[EnumType]
    embedded: list[PendingEmbedded]
    models: list[PendingModel]


def _resolve_declarations(ctx: Context, documents: Sequence[RawDocument]) -> _Resolved:
    """Every declaration resolved, defaults still pending."""
    declared = collect(ctx, documents)
    scope = TypeScope({d.name: d.kind for d in declared})
    enums = [resolve_enum(ctx, d) for d in _of_kind(declared, "enum")]
    embedded_resolver = FieldResolver(ctx, scope, in_model=False)
    embedded = [
        resolve_embedded(ctx, d, embedded_resolver) for d in _of_kind(declared, "embedded type")
    ]
    embedded_fields = {
        e.decl.name: {p.field.name: p.field for p in e.fields} for e in embedded if e
    }
    models_resolver = ModelResolver(ctx, FieldResolver(ctx, scope, in_model=True), embedded_fields)
    models = [models_resolver.resolve(d) for d in _of_kind(declared, "model")]
    return _Resolved([e for e in enums if e], [e for e in embedded if e], [m for m in models if m])


def _finish(ctx: Context, resolved: _Resolved) -> tuple[list[EmbeddedType], list[Model]]:
    """Embedded types and models with their defaults checked."""
    checker = DefaultChecker(_default_scope(resolved.enums, resolved.embedded))
    embedded = [
        EmbeddedType(
            e.decl.name,
            tuple(_finish_field(ctx, checker, e.decl.name, p) for p in e.fields),
            e.description,
            e.decl.source,
            e.decl.key.location,
        )
        for e in resolved.embedded
    ]
    models: list[Model] = []
    for pending in resolved.models:
        name = pending.model.name
        changed: dict[str, Field] = {}
        for p in pending.fields:
            finished = _finish_field(ctx, checker, name, p)
            if finished is not p.field:
                changed[p.field.name] = finished
        if not changed:  # no field has a default to check: the model is complete
            models.append(pending.model)
            continue
        fields = tuple(
            changed.get(f.name, f) if f.mixin is None else f for f in pending.model.fields
        )
        models.append(replace(pending.model, fields=fields))
    return embedded, models


def resolve_with_diagnostics(
    documents: Sequence[RawDocument],
) -> tuple[Schema | None, list[Diagnostic]]:
    """``(schema, warnings)`` when the specs are valid, else ``(None, all diagnostics sorted)``."""
    ctx = Context()
    resolved = _resolve_declarations(ctx, documents)
    embedded, models = _finish(ctx, resolved)
    check_embedded_cycles(ctx, embedded)
    check_collections(ctx, models)
    check_index_names(ctx, models)
    check_sql_names(ctx, models)
    check_index_key_lengths(ctx, models)
    check_required_cycles(ctx, models)
    if ctx.bag.has_errors():
        return None, ctx.bag.sorted()
    sources = tuple(dict.fromkeys(d.path for d in documents))
    schema = Schema(tuple(resolved.enums), tuple(embedded), tuple(models), sources)
    return schema, ctx.bag.sorted()


def load_schema(files: Iterable[Path], root: Path | None = None) -> Schema:
    """Parse and resolve spec files (paths shown relative to ``root``); raises SpecError."""
    with paused_gc():
        return resolve_documents([load_document(Path(f), root) for f in files])
