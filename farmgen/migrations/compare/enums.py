"""Enums: created, dropped, values added or removed."""

from __future__ import annotations

from farmgen.ops import AlterEnum, CreateEnum, DropEnum, Operation


def compare_enums(
    old: dict[str, list[str]], new: dict[str, list[str]]
) -> tuple[list[Operation], list[Operation]]:
    """(operations that run first: create and alter; operations that run last: drop)."""
    early: list[Operation] = []
    late: list[Operation] = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            early.append(CreateEnum(name, list(new[name])))
        elif name not in new:
            late.append(DropEnum(name, list(old[name])))
        elif old[name] != new[name]:
            early.append(AlterEnum(name, list(old[name]), list(new[name])))
    return early, late
