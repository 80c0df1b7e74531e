"""Checks across declarations: embedded cycles, collection and index name clashes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from farmgen.ir.model import EmbeddedType, Index, Model
from farmgen.ir.types import DictOf, EmbeddedRef, FieldType, ListOf
from farmgen.resolve.context import Context


def _embedded_refs(ftype: FieldType) -> Iterator[str]:
    match ftype:
        case EmbeddedRef(name):
            yield name
        case ListOf(item):
            yield from _embedded_refs(item)
        case DictOf(value):
            yield from _embedded_refs(value)


def check_embedded_cycles(ctx: Context, embedded: Sequence[EmbeddedType]) -> None:
    """Report each cycle of embedded types once, at its first declared member.

    A reference to an embedded type that did not resolve (its errors are reported) is
    no edge: it cannot be part of a cycle.
    """
    order = {e.name: position for position, e in enumerate(embedded)}
    edges = {
        e.name: sorted(
            {r for f in e.fields for r in _embedded_refs(f.type) if r in order},
            key=order.__getitem__,
        )
        for e in embedded
    }
    by_name = {e.name: e for e in embedded}
    reported: set[frozenset[str]] = set()
    for start in embedded:
        for cycle in _cycles_from(start.name, edges):
            members = frozenset(cycle)
            if members in reported or cycle[0] != min(members, key=order.__getitem__):
                continue
            reported.add(members)
            ctx.error(
                by_name[cycle[0]].location,
                "embedded-cycle",
                "embedded types form a cycle: " + " → ".join([*cycle, cycle[0]]),
            )


def _cycles_from(start: str, edges: dict[str, list[str]]) -> Iterator[list[str]]:
    """Simple paths from ``start`` that return to it (first found per next hop)."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in edges.get(node, []):
            if nxt == start:
                yield path
            elif nxt not in seen and nxt in edges:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))


def check_collections(ctx: Context, models: Sequence[Model]) -> None:
    first: dict[str, Model] = {}
    for model in models:
        other = first.get(model.collection.lower())
        if other is not None:
            ctx.error(
                model.location,
                "collection-clash",
                f"models {other.name} (at {other.location}) and {model.name} both use the "
                f"collection '{model.collection}'",
            )
        else:
            first[model.collection.lower()] = model


def check_index_names(ctx: Context, models: Sequence[Model]) -> None:
    """Index names share one namespace per database (PostgreSQL): they must be unique."""
    first: dict[str, tuple[Model, Index]] = {}
    for model in models:
        for index in model.indexes:
            seen = first.get(index.name.lower())
            if seen is not None:
                other_model, other = seen
                where = "" if other_model is model else f" for {other_model.name}"
                ctx.error(
                    index.location,
                    "index-clash",
                    f"index '{index.name}' of {model.name} is already declared{where} "
                    f"at {other.location}",
                )
            else:
                first[index.name.lower()] = (model, index)


def check_sql_names(ctx: Context, models: Sequence[Model]) -> None:
    """Names SQL derives from refs must not clash: ``<field>_id`` columns, association tables."""
    tables: dict[str, str] = {m.collection.lower(): f"the collection of {m.name}" for m in models}
    for model in models:
        names = {f.name for f in model.fields}
        for field in model.fields:
            if field.ref_target is None:
                continue
            if field.is_many_to_many:
                table = f"{model.collection}_{field.name}"
                owner = tables.get(table.lower())
                if owner is not None:
                    ctx.error(
                        field.location,
                        "table-clash",
                        f"many-to-many {model.name}.{field.name} needs the SQL table '{table}', "
                        f"which is already {owner}",
                    )
                tables[table.lower()] = f"the table of {model.name}.{field.name}"
            elif f"{field.name}_id" in names:
                ctx.error(
                    field.location,
                    "fk-clash",
                    f"{model.name}.{field.name} is stored in SQL as the column "
                    f"'{field.name}_id', which is also a field of {model.name}",
                )
