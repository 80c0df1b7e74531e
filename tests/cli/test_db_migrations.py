"""`farmgen db migrate|rollback|migration`: failures as one line, SQLite paths, --json."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from farmgen.cli.db_support import anchor_sqlite
from farmgen.runtime.config import DatabaseConfig
from tests.cli.test_migrate_cli import project, run, use

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


def _branch(project: Path) -> None:
    """0002_second and 0002_other both follow 0001_initial."""
    run(project, "migrate", "make", "initial")
    use(project, 1)
    run(project, "migrate", "make", "second")
    data = json.loads((project / "migrations/0002_second.json").read_text())
    data.update(id="0002_other", description="the other branch")
    (project / "migrations/0002_other.json").write_text(json.dumps(data))


def test_list_shows_every_branch_and_the_branch_point(project: Path) -> None:
    _branch(project)
    listed = run(project, "migrate", "list")
    assert listed.exit_code == 1
    lines = listed.output.splitlines()
    assert lines[:3] == [
        "0001_initial  7 operations, BRANCH POINT: followed by 0002_other and 0002_second",
        "0002_other    2 operations  the other branch",
        "0002_second   2 operations, OFF THE CHAIN: a branch from 0001_initial",
    ]
    assert "all follow 0001_initial (a branch)" in listed.output


def test_list_json_marks_the_branch(project: Path) -> None:
    _branch(project)
    listed = run(project, "db", "migration", "list", "--json")
    assert listed.exit_code == 1
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["on_chain"], r["branch_point"]) for r in rows] == [
        ("0001_initial", True, True),
        ("0002_other", True, False),
        ("0002_second", False, False),
    ]
    assert rows[0]["followed_by"] == ["0002_other", "0002_second"]
    assert rows[2]["branch_from"] == "0001_initial" and rows[2]["operations"] == 2


def test_status_json(project: Path) -> None:
    run(project, "migrate", "make", "initial")
    use(project, 1)
    run(project, "migrate", "make", "second")
    run(project, "db", "migrate", "--target", "0001_initial")
    status = run(project, "db", "migration", "status", "--json")
    assert status.exit_code == 0, status.output
    first, second = json.loads(status.stdout)
    assert (first["id"], first["state"], first["changed"]) == ("0001_initial", "applied", False)
    assert first["recorded_checksum"] == first["checksum"] and first["applied_at"]
    assert second == {
        "id": "0002_second",
        "state": "pending",
        "applied_at": None,
        "duration": None,
        "checksum": second["checksum"],
        "recorded_checksum": None,
        "changed": False,
    }
    assert second["checksum"].startswith("sha256:")


def _backup_before_migration(project: Path, storage: str = "backups/") -> None:
    config = project / "farmgen.toml"
    config.write_text(
        config.read_text()
        + "\n[database.migrations]\nbackup_before_migration = true\n"
        + f'\n[database.backup.storage]\npath = "{storage}"\n'
    )


def test_backup_before_migration_backs_up_only_when_a_migration_is_pending(
    project: Path,
) -> None:
    _backup_before_migration(project)
    run(project, "migrate", "make", "initial")
    first = run(project, "db", "migrate")
    assert first.exit_code == 0, first.output
    backups = sorted((project / "backups").glob("*.jsonl"))
    assert [p.name.startswith("sqlite-before-0001_initial-") for p in backups] == [True]
    assert first.output.splitlines()[0] == f"backed up 0 records from 0 collections to {backups[0]}"
    _insert_suspended_user(project / "app.db")
    schema = project / "schemas" / "schema.yaml"
    schema.write_text(schema.read_text().replace("[active, suspended]", "[active, suspended, x]"))
    assert run(project, "migrate", "make", "more_status").exit_code == 0
    second = run(project, "db", "migrate")
    assert second.exit_code == 0, second.output
    assert "backed up 1 record from" in second.output.splitlines()[0]
    latest = sorted((project / "backups").glob("sqlite-before-0002_more_status-*.jsonl"))
    assert len(latest) == 1
    records = [json.loads(line) for line in latest[0].read_text().splitlines()[1:]]
    assert [(r["collection"], r["record"]["username"]) for r in records] == [("users", "ann")]
    nothing = run(project, "db", "migrate")
    assert nothing.exit_code == 0 and "backed up" not in nothing.output
    assert len(list((project / "backups").glob("*.jsonl"))) == 2


def test_no_migration_runs_when_the_backup_fails(project: Path) -> None:
    _backup_before_migration(project, storage="blocked/")
    (project / "blocked").write_text("a file where the backup folder should be")
    run(project, "migrate", "make", "initial")
    failed = run(project, "db", "migrate")
    assert failed.exit_code == 1
    (line,) = failed.output.splitlines()
    assert line.startswith(f"cannot write the backup {project / 'blocked'}/sqlite-before-0001_")
    assert line.endswith(".jsonl: File exists; no migration was applied")
    status = run(project, "db", "migration", "status")
    assert status.output.splitlines() == ["0001_initial  pending"]


def test_backup_before_migration_counts_only_migrations_up_to_the_target(project: Path) -> None:
    _backup_before_migration(project)
    run(project, "migrate", "make", "initial")
    schema = project / "schemas" / "schema.yaml"
    schema.write_text(schema.read_text().replace("[active, suspended]", "[active, suspended, x]"))
    assert run(project, "migrate", "make", "more_status").exit_code == 0
    first = run(project, "db", "migrate", "--target", "0001_initial")
    assert first.exit_code == 0 and "backed up" in first.output
    again = run(project, "db", "migrate", "--target", "0001_initial")
    assert again.exit_code == 0 and "backed up" not in again.output, again.output
    rest = run(project, "db", "migrate")
    assert rest.exit_code == 0 and "backed up" in rest.output
    names = sorted(p.name for p in (project / "backups").glob("*.jsonl"))
    assert [n.split("-")[2] for n in names] == ["0001_initial", "0002_more_status"]


def test_a_backup_in_the_same_second_gets_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from farmgen.cli import db_data
    from farmgen.cli.db_data import default_backup_path
    from farmgen.cli.db_support import Settings

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Frozen:
            return cls(2026, 1, 2, 3, 4, 5, tzinfo=tz)

    monkeypatch.setattr(db_data, "datetime", Frozen)
    settings = Settings(DatabaseConfig(url="sqlite+aiosqlite:///x.db"), tmp_path, None)
    first = default_backup_path(settings, "before-0001_a")
    first.parent.mkdir(parents=True)
    first.write_text("taken")
    second = default_backup_path(settings, "before-0001_a")
    assert (first.name, second.name) == (
        "sqlite-before-0001_a-20260102T030405Z.jsonl",
        "sqlite-before-0001_a-20260102T030405Z-2.jsonl",
    )
