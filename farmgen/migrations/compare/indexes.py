"""Indexes, compared by name: added, dropped, or changed (dropped then created)."""

from __future__ import annotations

from typing import Any

from farmgen.ops import CreateIndex, DropIndex, Operation


def compare_indexes(
    old_collection: str,
    new_collection: str,
    old: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
    moved_paths: set[str],
) -> tuple[list[Operation], list[Operation]]:
    """(drops, run before field changes; creates, run after them).

    ``moved_paths`` are old field paths that are renamed, removed or retyped: an
    index over one of them is rebuilt even when its spec reads the same.
    """
    drops: list[Operation] = []
    creates: list[Operation] = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        touched = before is not None and any(
            _covers(str(key[0]), moved_paths) for key in before["fields"]
        )
        if before is not None and (after != before or touched):
            drops.append(DropIndex(old_collection, {"name": name, **before}))
        if after is not None and (after != before or touched):
            creates.append(CreateIndex(new_collection, {"name": name, **after}))
    return drops, creates


def _covers(path: str, moved: set[str]) -> bool:
    return any(path == m or path.startswith(m + ".") for m in moved)
