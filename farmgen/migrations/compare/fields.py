"""Fields of one collection (recursing into embedded types as dotted paths)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from farmgen.diagnostics import Diagnostic, Severity
from farmgen.migrations.snapshot import Renames
from farmgen.ops import AddField, AlterField, Operation, RemoveField, RenameField
from farmgen.runtime import schema_state as st

REQUIRED_WITHOUT_DEFAULT = "FG201"
POSSIBLE_RENAME = "FG202"


@dataclass
class FieldChanges:
    removes: list[Operation] = field(default_factory=list)
    renames: list[Operation] = field(default_factory=list)
    alters: list[Operation] = field(default_factory=list)
    adds: list[Operation] = field(default_factory=list)
    moved: set[str] = field(default_factory=set)
    """Old paths renamed, removed or retyped (indexes over them are rebuilt)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class _Level:
    collection: str
    old_prefix: str
    new_prefix: str


def compare_fields(
    collection: str,
    old: dict[str, Any],
    new: dict[str, Any],
    renames: Renames,
) -> FieldChanges:
    changes = FieldChanges()
    _compare(_Level(collection, "", ""), old, new, renames, changes)
    return changes


def _without_fields(spec: st.FieldSpec) -> st.FieldSpec:
    return {k: v for k, v in spec.items() if k != "fields"}


def _compare(
    level: _Level, old: dict[str, Any], new: dict[str, Any], renames: Renames, out: FieldChanges
) -> None:
    pairs: dict[str, str] = {}  # new name -> old name
    for name in sorted(new):
        hint = renames.fields.get((level.collection, level.new_prefix + name))
        old_name = hint.rsplit(".", 1)[-1] if hint else None
        if old_name and old_name != name and old_name in old:
            pairs[name] = old_name
    # Renames in a cycle (a swap) cannot be done in place: they are left to remove + add.
    for name in [n for n in pairs if _in_cycle(n, pairs)]:
        del pairs[name]
    for name in _rename_order(pairs):
        out.renames.append(
            RenameField(level.collection, level.new_prefix + pairs[name], level.new_prefix + name)
        )
        out.moved.add(level.old_prefix + pairs[name])
    claimed = set(pairs.values())
    for name in new:
        if name not in pairs and name in old and name not in claimed:
            pairs[name] = name
    matched_old = set(pairs.values())
    removed = sorted(n for n in old if n not in matched_old)
    added = sorted(n for n in new if n not in pairs)
    for name in removed:
        path = level.old_prefix + name
        out.moved.add(path)
        out.removes.append(
            RemoveField(level.collection, path, st.clone(old[name]), old[name].get("default"))
        )
    for name in added:
        _add(level, name, new[name], renames, out)
    _suggest_renames(
        level, old=old, new=new, removed=removed, added=added, renames=renames, out=out
    )
    for name in sorted(pairs):
        _alter(
            level,
            old_name=pairs[name],
            name=name,
            before=old[pairs[name]],
            after=new[name],
            renames=renames,
            out=out,
        )


def _in_cycle(name: str, pairs: dict[str, str]) -> bool:
    seen = {name}
    current = pairs[name]
    while current in pairs:
        if current in seen:
            return True
        seen.add(current)
        current = pairs[current]
    return False


def _rename_order(pairs: dict[str, str]) -> list[str]:
    """New names, ordered so that a rename onto a name comes after that name moved away."""
    order: list[str] = []
    pending = dict(pairs)
    while pending:
        ready = sorted(n for n in pending if n not in pending.values())
        if not ready:  # a cycle: left out above, kept only as a safeguard
            ready = sorted(pending)
        order.append(ready[0])
        del pending[ready[0]]
    return order


def _add(level: _Level, name: str, spec: st.FieldSpec, renames: Renames, out: FieldChanges) -> None:
    path = level.new_prefix + name
    default = spec.get("default")
    if not spec.get("optional") and "default" not in spec and "mixin" not in spec:
        out.diagnostics.append(
            Diagnostic(
                renames.location(level.collection, path),
                REQUIRED_WITHOUT_DEFAULT,
                f"new field {level.collection}.{path} is required and has no default, "
                "so existing rows and documents would have no value",
                hint=f"add a default to '{name}' (for example `default: ...`) or make it optional",
            )
        )
    out.adds.append(AddField(level.collection, path, st.clone(spec), default))


def _alter(
    level: _Level,
    *,
    old_name: str,
    name: str,
    before: st.FieldSpec,
    after: st.FieldSpec,
    renames: Renames,
    out: FieldChanges,
) -> None:
    path = level.new_prefix + name
    if before.get("type") != after.get("type"):
        out.moved.add(level.old_prefix + old_name)
        out.alters.append(
            AlterField(
                level.collection, path, st.clone(before), st.clone(after), after.get("default")
            )
        )
        _check_required(level, path=path, before=before, after=after, renames=renames, out=out)
        return
    if _without_fields(before) != _without_fields(after):
        out.alters.append(
            AlterField(
                level.collection,
                path,
                _without_fields(before),
                _without_fields(after),
                after.get("default"),
            )
        )
        _check_required(level, path=path, before=before, after=after, renames=renames, out=out)
    if "fields" in before and "fields" in after:
        inner = _Level(
            level.collection,
            f"{level.old_prefix}{old_name}.",
            f"{path}.",
        )
        _compare(inner, before["fields"], after["fields"], renames, out)


def _check_required(
    level: _Level,
    *,
    path: str,
    before: st.FieldSpec,
    after: st.FieldSpec,
    renames: Renames,
    out: FieldChanges,
) -> None:
    if before.get("optional") and not after.get("optional") and "default" not in after:
        out.diagnostics.append(
            Diagnostic(
                renames.location(level.collection, path),
                REQUIRED_WITHOUT_DEFAULT,
                f"{level.collection}.{path} becomes required but has no default "
                "for the rows and documents where it is null",
                hint=f"add a default to '{path.rsplit('.', 1)[-1]}' or keep it optional",
            )
        )


def _suggest_renames(
    level: _Level,
    *,
    old: dict[str, Any],
    new: dict[str, Any],
    removed: list[str],
    added: list[str],
    renames: Renames,
    out: FieldChanges,
) -> None:
    for name in added:
        same = [r for r in removed if old[r].get("type") == new[name].get("type")]
        if not same:
            continue
        path = level.new_prefix + name
        out.diagnostics.append(
            Diagnostic(
                renames.location(level.collection, path),
                POSSIBLE_RENAME,
                f"{level.collection}.{level.old_prefix}{same[0]} is removed and "
                f"{level.collection}.{path} added with the same type: its values will be lost",
                Severity.WARNING,
                hint=f"if this is a rename, add `renamed_from: {same[0]}` to '{name}'",
            )
        )
