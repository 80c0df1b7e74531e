"""``farmgen migrate make/list/check/lint`` and ``farmgen db migrate/rollback/migration``."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from farmgen.cli import main
from tests.migrations.evolution import versions

BLOG = versions("blog")


def run(cwd: Path, *args: str) -> Result:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "farmgen.toml").write_text(
        'specs = ["schemas/*.yaml"]\nmigrations = "migrations"\n\n'
        '[database]\ntype = "sqlite"\nurl = "sqlite+aiosqlite:///app.db"\n'
    )
    (tmp_path / "schemas").mkdir()
    use(tmp_path, 0)
    return tmp_path


def use(project: Path, version: int) -> None:
    shutil.copy(BLOG[version] / "schema.yaml", project / "schemas" / "schema.yaml")


def test_make_prints_operations_and_writes_the_file(project: Path) -> None:
    result = run(project, "migrate", "make", "initial")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "create_enum UserStatus [active, suspended]"
    assert "create_collection users (5 fields)" in lines
    assert lines[-1] == "wrote migrations/0001_initial.json"
    data = json.loads((project / "migrations/0001_initial.json").read_text())
    assert data["id"] == "0001_initial" and data["parent"] is None
    again = run(project, "migrate", "make", "again")
    assert (again.exit_code, again.output) == (0, "no changes\n")


def test_destructive_changes_need_the_flag(project: Path) -> None:
    for i in range(5):
        use(project, i)
        assert run(project, "migrate", "make", f"v{i}").exit_code == 0
    use(project, 5)
    refused = run(project, "migrate", "make", "drop_banned")
    assert refused.exit_code == 1
    assert "refusing destructive operations: alter_enum UserStatus (-banned)" in refused.output
    allowed = run(project, "migrate", "make", "drop_banned", "--allow-destructive")
    assert allowed.exit_code == 0
    assert "alter_enum UserStatus (-banned)  (destructive)" in allowed.output


def test_required_field_without_default_fails_with_the_fix(project: Path) -> None:
    run(project, "migrate", "make", "initial")
    spec = project / "schemas" / "schema.yaml"
    spec.write_text(
        spec.read_text().replace("      age: int?\n", "      age: int?\n      level: int\n")
    )
    result = run(project, "migrate", "make", "level")
    assert result.exit_code == 1
    assert "schemas/schema.yaml:" in result.output
    assert "users.level is required and has no default" in result.output
    assert "add a default to 'level'" in result.output
    assert not (project / "migrations/0002_level.json").exists()


def test_empty_list_check_and_lint(project: Path) -> None:
    assert run(project, "migrate", "check").exit_code == 1
    run(project, "migrate", "make", "initial")
    empty = run(project, "migrate", "make", "backfill", "--empty")
    assert empty.output == "wrote migrations/0002_backfill.json\n"
    listed = run(project, "migrate", "list")
    assert listed.output.splitlines() == [
        "0001_initial   7 operations",
        "0002_backfill  0 operations, hand-written",
    ]
    checked = run(project, "migrate", "check")
    assert (checked.exit_code, checked.output) == (0, "migrations up to date (2 in the chain)\n")
    use(project, 2)
    drift = run(project, "migrate", "check")
    assert drift.exit_code == 1
    assert "the spec has 4 changes that no migration captures" in drift.output
    assert "run `farmgen migrate make <name>`" in drift.output
    run(project, "migrate", "make", "renames")
    lint = run(project, "migrate", "lint")
    assert lint.exit_code == 0
    assert "migrations/0003_renames.json: warning: rename-breaks-code" in lint.output


def test_check_reports_a_branch_with_how_to_fix(project: Path) -> None:
    run(project, "migrate", "make", "initial")
    use(project, 1)
    run(project, "migrate", "make", "second")
    other = project / "migrations/0002_second.json"
    shutil.copy(other, project / "migrations/0002_other.json")
    data = json.loads((project / "migrations/0002_other.json").read_text())
    data["id"] = "0002_other"
    (project / "migrations/0002_other.json").write_text(json.dumps(data))
    result = run(project, "migrate", "check")
    assert result.exit_code == 1
    assert "all follow 0001_initial (a branch)" in result.output
    assert "run `farmgen migrate make` again" in result.output


def test_db_migrate_status_and_rollback(project: Path) -> None:
    run(project, "migrate", "make", "initial")
    use(project, 1)
    run(project, "migrate", "make", "second")
    applied = run(project, "db", "migrate", "--target", "0001_initial")
    assert applied.exit_code == 0, applied.output
    assert "[1/1] applying 0001_initial ... done" in applied.output
    assert (
        "applied 1 migration in" in applied.output and "database at 0001_initial" in applied.output
    )
    status = run(project, "db", "migration", "status").output.splitlines()
    assert status[0].startswith("0001_initial  applied ") and status[1] == "0002_second   pending"
    rest = run(project, "db", "migrate")
    assert "[1/1] applying 0002_second" in rest.output and "database at 0002_second" in rest.output
    back = run(project, "db", "rollback", "0001_initial")
    assert "[1/1] rolling back 0002_second ... done" in back.output
    assert "rolled back 1 migration" in back.output
    nothing = run(project, "db", "migrate", "--target", "0001_initial")
    assert "nothing to apply; database at 0001_initial" in nothing.output
