"""``farmgen migrate lint`` and ``[lint]`` levels through ``migrate make``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_migrate_cli import run

SCHEMA = """farmgen: 1
models:
  Tag:
    collection: tags
    fields:
      name: {type: string, max_length: 50%s}
      slug: {type: string, max_length: 50%s}
"""


def _project(tmp_path: Path, lint: str = "") -> Path:
    (tmp_path / "farmgen.toml").write_text(
        'specs = ["schemas/*.yaml"]\nmigrations = "migrations"\n' + lint
    )
    (tmp_path / "schemas").mkdir()
    _schema(tmp_path, "", "")
    return tmp_path


def _schema(project: Path, name: str, slug: str) -> None:
    (project / "schemas" / "schema.yaml").write_text(SCHEMA % (name, slug))


@pytest.mark.parametrize("level", ["warn", "warning"])
def test_a_warn_level_warns_through_make(tmp_path: Path, level: str) -> None:
    project = _project(tmp_path, f'\n[lint]\nFG105 = "{level}"\n')
    assert run(project, "migrate", "make", "initial").exit_code == 0
    _schema(project, ", unique: true", "")
    made = run(project, "migrate", "make", "unique_name")
    assert made.exit_code == 0, made.output
    assert "warning: unique-on-existing" in made.output
    assert (project / "migrations/0002_unique_name.json").exists()


def test_an_error_level_stops_make(tmp_path: Path) -> None:
    project = _project(tmp_path, '\n[lint]\nunique-on-existing = "error"\n')
    run(project, "migrate", "make", "initial")
    _schema(project, ", unique: true", "")
    made = run(project, "migrate", "make", "unique_name")
    assert made.exit_code == 1
    assert "unique-on-existing" in made.output


def test_an_unknown_level_names_the_levels(tmp_path: Path) -> None:
    project = _project(tmp_path, '\n[lint]\nFG105 = "loud"\n')
    result = run(project, "migrate", "list")
    assert result.exit_code == 1
    assert "must be one of error, warn, warning, off, found 'loud'" in result.output


def test_lint_counts_the_migrations_with_findings(tmp_path: Path) -> None:
    project = _project(tmp_path)
    run(project, "migrate", "make", "initial")
    _schema(project, ", unique: true", ", unique: true")
    run(project, "migrate", "make", "uniques")
    run(project, "migrate", "make", "nothing", "--empty")
    lint = run(project, "migrate", "lint")
    assert lint.exit_code == 0, lint.output
    assert lint.output.count("warning: unique-on-existing") == 2
    assert lint.output.splitlines()[-1] == "2 findings in 1 migration (of 3)"
