"""Compare IR schemas for equality of meaning: positions, source files and declaration
order across files are not part of it; field, index and enum-value order are."""

from __future__ import annotations

import dataclasses
from typing import Any

from farmgen.diagnostics import UNKNOWN_LOCATION, Location
from farmgen.ir import Schema


def strip(value: Any) -> Any:
    """``value`` with every location unknown and every ``source`` empty."""
    if isinstance(value, Location):
        return UNKNOWN_LOCATION
    if isinstance(value, tuple):
        return tuple(strip(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            current = getattr(value, f.name)
            if f.name == "source" and isinstance(current, str):
                changes[f.name] = ""
            elif f.name == "sources":
                changes[f.name] = ()
            else:
                changes[f.name] = strip(current)
        return dataclasses.replace(value, **changes)
    return value


def comparable(schema: Schema) -> dict[str, dict[str, Any]]:
    """Declarations by kind and name, stripped of positions and sources."""
    return {
        "enums": {e.name: strip(e) for e in schema.enums},
        "embedded": {e.name: strip(e) for e in schema.embedded},
        "models": {m.name: strip(m) for m in schema.models},
    }


def differences(left: Schema, right: Schema) -> list[str]:
    """Readable differences (empty when the schemas mean the same)."""
    a, b = comparable(left), comparable(right)
    found: list[str] = []
    for kind in a:
        for name in sorted(set(a[kind]) | set(b[kind])):
            if name not in a[kind] or name not in b[kind]:
                found.append(f"{kind} {name}: only on one side")
            elif a[kind][name] != b[kind][name]:
                found.extend(_declaration_differences(kind, name, a[kind][name], b[kind][name]))
    return found


def _declaration_differences(kind: str, name: str, left: Any, right: Any) -> list[str]:
    found = []
    for f in dataclasses.fields(left):
        lv, rv = getattr(left, f.name), getattr(right, f.name)
        if f.name == "fields" and lv != rv:
            lmap = {x.name: x for x in lv}
            rmap = {x.name: x for x in rv}
            if list(lmap) != list(rmap):
                found.append(f"{kind} {name}: field order {list(lmap)} != {list(rmap)}")
            for field_name in lmap.keys() & rmap.keys():
                found.extend(_field_differences(f"{kind} {name}.{field_name}",
                                                lmap[field_name], rmap[field_name]))
        elif lv != rv:
            found.append(f"{kind} {name}.{f.name}: {lv!r} != {rv!r}")
    return found


def _field_differences(label: str, left: Any, right: Any) -> list[str]:
    return [
        f"{label}.{f.name}: {getattr(left, f.name)!r} != {getattr(right, f.name)!r}"
        for f in dataclasses.fields(left)
        if getattr(left, f.name) != getattr(right, f.name)
    ]
