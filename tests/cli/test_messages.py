"""Wording of command output and error messages: counts, paths and positions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from farmgen.cli import main
from tests.generated.support import EXAMPLES_DIR


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    shutil.copytree(
        EXAMPLES_DIR / "blog", root, ignore=shutil.ignore_patterns("generated", "migrations")
    )
    return root


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(root / "farmgen.toml"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_one_file_written_is_singular(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    (blog / "generated" / "ts" / "content.ts").unlink()
    code, out, err = run(blog, "generate")
    assert code == 0, err
    assert out.startswith("1 file written, 10 unchanged, 0 removed ("), out
