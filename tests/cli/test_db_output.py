"""``farmgen db status`` shows pool figures people can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.cli.db_output import describe_pool
from tests.cli.test_db_commands import _project, _run


def test_status_shows_checked_out_idle_and_capacity(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    result = _run(_project(tmp_path, "sqlite", url), "status")
    assert result.exit_code == 0, result.output
    pool = next(line for line in result.output.splitlines() if line.startswith("Pool:"))
    assert "AsyncAdaptedQueuePool: 0 checked out, 1 idle, capacity 50" in pool
    assert "aiosqlite" in pool and "overflow -" not in pool


@pytest.mark.parametrize(
    ("pool", "line"),
    [
        (
            {
                "class": "AsyncAdaptedQueuePool",
                "kind": "queue",
                "open": 1,
                "checked_out": 0,
                "idle": 1,
                "size": 5,
                "max_overflow": 45,
                "capacity": 50,
                "timeout_s": 30.0,
            },
            "AsyncAdaptedQueuePool: 0 checked out, 1 idle, capacity 50 (5 kept + 45 overflow), "
            "timeout 30 s",
        ),
        (
            {"class": "StaticPool", "kind": "single", "capacity": 1, "note": "one shared"},
            "StaticPool: one shared, capacity 1",
        ),
        ({"max_size": 50, "min_size": 5, "open": 3, "in_use": 1}, "1 in use, 2 idle, capacity 50"),
        ({}, "-"),
    ],
)
def test_status_describes_the_pool_in_one_line(pool: dict[str, object], line: str) -> None:
    assert describe_pool(pool) == line
