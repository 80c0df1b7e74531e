# ruff: noqa: E501  (expected messages stay on one line, as farmgen prints them)
"""Wording of command output and error messages: counts, paths and positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from farmgen.cli import main


@pytest.fixture
def blog(blog_specs: Path) -> Path:
    return blog_specs


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(root / "farmgen.toml"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_one_file_written_is_singular(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    (blog / "generated" / "ts" / "content.ts").unlink()
    code, out, err = run(blog, "generate")
    assert code == 0, err
    assert out.startswith("1 file written, 10 unchanged, 0 removed ("), out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "{# a #}\n\n{{ nope.attr }}\n",
            "templates/beanie/enums.py.j2:3: template error: 'nope' is undefined",
        ),
        (
            "{# a #}\n{% if %}\n",
            "templates/beanie/enums.py.j2:2: template error: Expected an expression",
        ),
    ],
)
def test_a_template_error_names_the_templates_folder_and_line(
    blog: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    folder = blog / "templates" / "beanie"
    folder.mkdir(parents=True)
    (folder / "enums.py.j2").write_text(text)
    config = blog / "farmgen.toml"
    config.write_text(
        config.read_text().replace(
            'out = "generated/beanie"\n',
            'out = "generated/beanie"\ntemplate_dir = "templates/beanie"\n',
        )
    )
    monkeypatch.chdir(blog)
    code, _, err = run(blog, "generate", "--target", "beanie")
    assert code == 1
    assert err.startswith(expected), err


@pytest.mark.parametrize("command", [["check"], ["migrate", "check"]])
def test_migration_drift_names_the_folder_relative_to_the_project_root(
    blog: Path, command: list[str]
) -> None:
    run(blog, "generate")
    (blog / "migrations").mkdir()
    code, _, err = run(blog, *command)
    assert code == 1
    drift = [line for line in err.splitlines() if "no migration captures" in line]
    assert drift and drift[0].startswith("migrations: the spec has "), err
    assert str(blog) not in err
