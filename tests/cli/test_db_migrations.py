"""`farmgen db migrate|rollback|migration`: failures as one line, SQLite paths, --json."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from farmgen.cli.db_support import anchor_sqlite
from farmgen.runtime.config import DatabaseConfig
from tests.cli.test_migrate_cli import project, run

__all__ = ["project"]


def _insert_suspended_user(database: Path) -> None:
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO users (id, email, username, status, profile) "
            "VALUES (?, 'a@example.com', 'ann', 'suspended', '{}')",
            (uuid.uuid4().hex,),
        )


def test_a_failing_migration_is_one_line_naming_it_and_exit_1(project: Path) -> None:
    run(project, "migrate", "make", "initial")
    assert run(project, "db", "migrate").exit_code == 0
    _insert_suspended_user(project / "app.db")
    schema = project / "schemas" / "schema.yaml"
    schema.write_text(schema.read_text().replace("[active, suspended]", "[active]"))
    made = run(project, "migrate", "make", "drop_suspended", "--allow-destructive")
    assert made.exit_code == 0, made.output
    failed = run(project, "db", "migrate")
    assert failed.exit_code == 1
    lines = failed.output.splitlines()
    assert "Traceback" not in failed.output
    assert lines[0] == "[1/1] applying 0002_drop_suspended ... failed"
    assert len(lines) == 2, failed.output
    assert lines[1].startswith("applying migration 0002_drop_suspended failed at operation 1/")
    assert "alter_enum UserStatus" in lines[1] and "constraint failed" in lines[1]
    status = run(project, "db", "migration", "status").output.splitlines()
    assert status[1] == "0002_drop_suspended  pending"  # rolled back, not recorded
    with sqlite3.connect(project / "app.db") as conn:
        assert conn.execute("SELECT status FROM users").fetchall() == [("suspended",)]


def test_a_failing_rollback_is_one_line_naming_it(project: Path) -> None:
    run(project, "migrate", "make", "initial")
    schema = project / "schemas" / "schema.yaml"
    schema.write_text(schema.read_text().replace("[active, suspended]", "[active]"))
    run(project, "migrate", "make", "drop_suspended", "--allow-destructive")
    assert run(project, "db", "migrate", "--target", "0001_initial").exit_code == 0
    assert run(project, "db", "migrate").exit_code == 0
    with sqlite3.connect(project / "app.db") as conn:
        conn.execute("DROP TABLE posts")  # rolling back 0001 drops it again
    back = run(project, "db", "rollback", "zero")
    assert back.exit_code == 1
    assert "Traceback" not in back.output
    assert "rolling back migration 0001_initial failed at operation" in back.output
    assert "(drop_index posts.ix_posts_author): no such index: ix_posts_author" in back.output
    assert "[2/2] rolling back 0001_initial ... failed" in back.output


def test_a_relative_sqlite_path_is_under_the_project_root(project: Path) -> None:
    run(project, "migrate", "make", "initial")
    inside = project / "schemas"
    applied = run(inside, "db", "migrate")
    assert applied.exit_code == 0, applied.output
    status = run(inside, "db", "migration", "status")
    assert status.output.startswith("0001_initial  applied ")
    assert (project / "app.db").exists() and not (inside / "app.db").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite+aiosqlite:///app.db", "sqlite+aiosqlite:///{root}/app.db"),
        ("sqlite+aiosqlite:///data/app.db", "sqlite+aiosqlite:///{root}/data/app.db"),
        ("sqlite+aiosqlite:////srv/app.db", "sqlite+aiosqlite:////srv/app.db"),
        ("sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
        ("sqlite+aiosqlite://", "sqlite+aiosqlite://"),
        ("postgresql+asyncpg://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
    ],
)
def test_anchor_sqlite(url: str, expected: str, tmp_path: Path) -> None:
    anchored = anchor_sqlite(DatabaseConfig(url=url), tmp_path)
    assert anchored.url == expected.format(root=tmp_path.resolve())
