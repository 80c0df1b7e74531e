"""Relations between collections: which collections a model's fields reference.

A ``ref[...]`` field is a foreign key on SQL and a ``list[ref[...]]`` field an
association table; both make the referencing collection depend on the referenced
one, which decides the order of creates and drops.
"""

from __future__ import annotations

from typing import Any

from farmgen.runtime import schema_state as st


def referenced_collection(snapshot: st.Snapshot, spec: st.FieldSpec) -> str | None:
    info = st.field_type(snapshot, spec)
    target = info.item if info.is_many_to_many else info
    if target is not None and target.kind == "ref":
        return target.name
    return None


def dependencies(snapshot: st.Snapshot, collection: str) -> set[str]:
    """Other collections that ``collection``'s fields reference."""
    fields: dict[str, Any] = st.model(snapshot, collection)["fields"]
    found = {referenced_collection(snapshot, spec) for spec in fields.values()}
    return {c for c in found if c is not None and c != collection}


def creation_order(snapshot: st.Snapshot, collections: set[str]) -> list[str]:
    """Referenced collections first; ties and cycles broken by name."""
    pending = {c: dependencies(snapshot, c) & collections for c in collections}
    order: list[str] = []
    while pending:
        ready = sorted(c for c, deps in pending.items() if not deps)
        chosen = ready[0] if ready else sorted(pending)[0]
        order.append(chosen)
        del pending[chosen]
        for deps in pending.values():
            deps.discard(chosen)
    return order
