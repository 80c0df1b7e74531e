# ruff: noqa: E501  (expected messages stay on one line, as farmgen prints them)
"""Configuration problems as the commands report them: which commands see them, and where."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from farmgen.cli import main

UNSET = "FARMGEN_TEST_UNSET_DATABASE_URL"


@pytest.fixture
def blog(blog_specs: Path) -> Path:
    return blog_specs


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(root / "farmgen.toml"), *args])
    return result.exit_code, result.stdout, result.stderr


def edit_config(root: Path, old: str, new: str) -> None:
    config = root / "farmgen.toml"
    text = config.read_text()
    assert old in text
    config.write_text(text.replace(old, new))


@pytest.fixture
def unset_url(blog: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(UNSET, raising=False)
    edit_config(blog, '"${DATABASE_URL:-sqlite+aiosqlite:///blog.db}"', f'"${{{UNSET}}}"')
    return blog


@pytest.mark.parametrize("command", [["validate"], ["generate"], ["check"]])
def test_an_unset_database_variable_does_not_stop_offline_commands(
    unset_url: Path, command: list[str]
) -> None:
    if command == ["check"]:
        assert run(unset_url, "generate")[0] == 0
    code, _, err = run(unset_url, *command)
    assert code == 0, err
    assert UNSET not in err


@pytest.mark.parametrize("command", [["db", "status"], ["db", "migrate"]])
def test_an_unset_database_variable_is_reported_by_db_commands_with_its_position(
    unset_url: Path, command: list[str]
) -> None:
    code, _, err = run(unset_url, *command)
    assert code == 1
    assert f"farmgen.toml:15:1: 'database.url': environment variable '{UNSET}' is not set" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["validate", "generate"])
def test_a_misspelt_target_is_a_config_error_with_its_position(blog: Path, command: str) -> None:
    edit_config(blog, "[targets.beanie]", "[targets.beenie]")
    code, _, err = run(blog, command)
    assert code == 1
    assert err.splitlines() == [
        "farmgen.toml:5:2: unknown target 'beenie' (did you mean 'beanie'?)"
    ]
    assert not (blog / "generated").exists()


def test_validate_reports_bad_target_options_and_folders(blog: Path) -> None:
    edit_config(
        blog,
        'out = "generated/ts"\n',
        'out = "generated/sqlalchemy"\nenum_stlye = "enum"\ntemplate_dir = "templates/ts"\n',
    )
    code, _, err = run(blog, "validate")
    assert code == 1
    assert err.splitlines() == [
        "farmgen.toml:12:1: [targets.typescript] has the output directory of [targets.sqlalchemy] (at farmgen.toml:9:1) (give each target its own 'out')",
        "farmgen.toml:13:1: unknown option 'enum_stlye' for target 'typescript' (did you mean 'enum_style'?)",
        "farmgen.toml:14:1: template_dir 'templates/ts' of [targets.typescript] does not exist",
    ]


def test_validate_checks_target_options_without_heavy_imports(blog: Path) -> None:
    from tests.cli.test_spec_commands import _PROBE, HEAVY_MODULES

    edit_config(
        blog, 'out = "generated/sqlalchemy"\n', 'out = "generated/sqlalchemy"\ndecimal_scale = 4\n'
    )
    edit_config(blog, 'out = "generated/ts"\n', 'out = "generated/ts"\nenum_style = "enum"\n')
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY_MODULES)],
        cwd=blog,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.stdout.splitlines()[-1] == "EXIT 0 HEAVY -", completed.stderr
