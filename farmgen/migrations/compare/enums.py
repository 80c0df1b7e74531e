"""Enums: created, dropped, values added or removed."""

from __future__ import annotations

from farmgen.ops import AlterEnum, CreateEnum, DropEnum, Operation


def compare_enums(
    old: dict[str, list[str]], new: dict[str, list[str]]
) -> tuple[list[Operation], list[Operation]]:
    """(operations that run first: create, add values; that run last: remove values, drop)."""
    early: list[Operation] = []
    late: list[Operation] = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            early.append(CreateEnum(name, list(new[name])))
        elif name not in new:
            late.append(DropEnum(name, list(old[name])))
        elif old[name] != new[name]:
            # Values are added first and removed last, so that every step in between
            # (filling a default, its rollback) can use both the old and the new ones.
            before, after = list(old[name]), list(new[name])
            removed = [v for v in before if v not in after]
            if not removed:
                early.append(AlterEnum(name, before, after))
                continue
            union = before + [v for v in after if v not in before]
            if union != before:
                early.append(AlterEnum(name, before, union))
            late.append(AlterEnum(name, union, after))
    return early, late
