"""``farmgen check`` answers from checksums when migrations are intact, as the full check would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from farmgen.cli import main
from tests.generated.support import EXAMPLES_DIR

PROBE = (
    "import sys\n"
    "from farmgen.cli import main\n"
    "try:\n    main(['check'])\n"
    "except SystemExit as exc:\n    code = exc.code\n"
    "print(code, 'farmgen.resolve' in sys.modules)\n"
)


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    shutil.copytree(EXAMPLES_DIR / "blog", root, ignore=shutil.ignore_patterns("generated"))
    return root


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(root / "farmgen.toml"), *args])
    return result.exit_code, result.stdout + result.stderr


def probe(root: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, check=False
    )
    return out.stdout.splitlines()[-1]


def test_an_intact_chain_is_checked_without_loading_the_specs(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    assert probe(blog) == "0 False"


def test_an_edited_migration_is_checked_in_full(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    path = next((blog / "migrations").glob("0001_*.json"))
    data = json.loads(path.read_text())
    data["operations"] = data["operations"][1:]
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    code, out = run(blog, "check")
    assert code == 1 and "do not produce its snapshot" in out
    assert probe(blog).endswith("True")


def test_a_spec_the_migrations_do_not_capture_is_reported(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    spec = next((blog / "schemas").glob("*.yaml"))
    text = spec.read_text().replace("    fields:\n", "    fields:\n      zz_extra: int?\n", 1)
    spec.write_text(text)
    assert run(blog, "generate")[0] == 0
    code, out = run(blog, "check")
    assert code == 1 and "migrations are out of date with the spec" in out
