"""Generated Python passes black --check, ruff and mypy --strict (with the runtime typed).

The generated packages are copied under unique package names so that mypy does not
confuse an output folder called ``beanie`` with the beanie library.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.generated.support import EXAMPLES, EXAMPLES_DIR, REPO_ROOT

PYTHON_TARGETS = ("beanie", "sqlalchemy")
RUFF_CONFIG = """\
line-length = 88
[lint]
select = ["E", "F", "W", "I", "UP", "B", "SIM", "C4", "PIE", "RET"]
[lint.isort]
known-third-party = ["beanie", "farmgen", "pydantic", "pymongo", "sqlalchemy"]
"""

pytestmark = pytest.mark.slow


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("generated")
    names = []
    for example in EXAMPLES:
        for target in PYTHON_TARGETS:
            name = f"{example.replace('-', '_')}_{target}"
            shutil.copytree(EXAMPLES_DIR / example / "generated" / target, root / name)
            names.append(name)
    (root / "ruff.toml").write_text(RUFF_CONFIG, encoding="utf-8")
    return root, names


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, timeout=600)


def test_black_check(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    result = _run([_tool("black"), "--check", "--line-length", "88", *names], root)
    assert result.returncode == 0, result.stderr


def test_ruff_check(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    result = _run([_tool("ruff"), "check", "--config", "ruff.toml", *names], root)
    assert result.returncode == 0, result.stdout


def test_mypy_strict(packages: tuple[Path, list[str]]) -> None:
    root, names = packages
    args = [_tool("mypy"), "--strict", "--no-incremental", "--cache-dir", str(root / ".mypy")]
    args += [arg for name in names for arg in ("-p", name)]
    result = _run(args, root)
    assert result.returncode == 0, result.stdout
    assert (REPO_ROOT / "farmgen" / "py.typed").exists()
