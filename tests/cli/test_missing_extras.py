"""A command whose optional packages are not installed says which extra brings them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

RUN_WITHOUT = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None  # makes `import name` raise ModuleNotFoundError
from farmgen.cli import main
main({args!r}, prog_name="farmgen")
"""


def run_without(blocked: list[str], args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = RUN_WITHOUT.format(blocked=blocked, args=args)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_generate_without_the_generator_extra_names_it(tmp_path: Path) -> None:
    project = tmp_path / "blog"
    subprocess.run(
        ["cp", "-r", str(REPO_ROOT / "examples" / "blog"), str(project)], check=True
    )
    for generated in (project / "generated").rglob(".farmgen-manifest.json"):
        generated.unlink()  # force a real render, which needs jinja2
    result = run_without(["jinja2"], ["generate"], project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "'farmgen generate' needs the package 'jinja2': "
        "pip install 'farmgen[generate]' (or 'farmgen[all]')"
    )


def test_validate_needs_no_generator_extra() -> None:
    result = run_without(
        ["jinja2", "black"], ["validate"], REPO_ROOT / "examples" / "blog"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("5 models")
