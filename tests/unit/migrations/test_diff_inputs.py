"""``diff`` leaves both snapshots as they were, with or without changes."""

from __future__ import annotations

import copy

from farmgen.migrations.compare import diff
from farmgen.migrations.snapshot import snapshot_and_renames
from tests.migrations.evolution import load_version, versions

BLOG = versions("blog")


def test_diff_of_equal_snapshots_is_empty_and_modifies_nothing() -> None:
    old, renames = snapshot_and_renames(load_version(BLOG[2]))
    new, _ = snapshot_and_renames(load_version(BLOG[2]))
    before = copy.deepcopy(old)
    assert diff(old, new, renames).operations == []
    assert old == before


def test_diff_with_changes_modifies_neither_snapshot() -> None:
    for i in range(len(BLOG) - 1):
        old, _ = snapshot_and_renames(load_version(BLOG[i]))
        new, renames = snapshot_and_renames(load_version(BLOG[i + 1]))
        kept_old, kept_new = copy.deepcopy(old), copy.deepcopy(new)
        result = diff(old, new, renames)
        assert result.operations, f"blog step {i + 1} changes something"
        assert old == kept_old and new == kept_new
