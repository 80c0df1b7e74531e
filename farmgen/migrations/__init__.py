"""Diff-based migrations: snapshots, the differ, ordering, files, lint and checks.

``check_project(project) -> list[Diagnostic]`` is what ``farmgen check`` calls: a
broken chain or a spec change that no migration captures, offline.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check_project"]


def check_project(project: Any) -> list[Any]:
    from farmgen.migrations.check import check_project as run

    return run(project)
