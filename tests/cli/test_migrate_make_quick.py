"""``migrate make`` and ``migrate check`` answer from checksums when they can, as in full."""

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
    "try:\n    main(sys.argv[1:])\n"
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


def probe(root: Path, *args: str) -> tuple[str, str]:
    command = args or ("migrate", "make", "probe")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *command],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.splitlines()[0], out.stdout.splitlines()[-1]


def migrations(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "migrations").glob("*.json"))


def add_field(root: Path) -> None:
    spec = root / "schemas" / "content.yaml"
    marker = "  Tag:\n    fields:\n"
    text = spec.read_text()
    assert marker in text
    spec.write_text(text.replace(marker, marker + "      color: {type: string?, max_length: 20}\n"))


def test_an_unchanged_generated_project_needs_no_spec_loading(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    before = migrations(blog)
    assert probe(blog) == ("no changes", "0 False")
    assert migrations(blog) == before


def test_without_generated_outputs_the_specs_are_loaded(blog: Path) -> None:
    before = migrations(blog)
    assert probe(blog) == ("no changes", "0 True")
    assert migrations(blog) == before


def test_a_spec_change_is_found_although_the_outputs_were_up_to_date(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    add_field(blog)
    code, out = run(blog, "migrate", "make", "nickname")
    assert code == 0, out
    assert "color" in out, out
    assert len(migrations(blog)) == len(list((EXAMPLES_DIR / "blog/migrations").glob("*.json"))) + 1


def test_a_spec_change_regenerated_but_not_migrated_is_found(blog: Path) -> None:
    add_field(blog)
    assert run(blog, "generate")[0] == 0
    code, out = run(blog, "migrate", "make", "nickname")
    assert code == 0, out
    assert out.splitlines()[-1].startswith("wrote migrations/")


def test_an_edited_migration_is_diffed_in_full(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    path = sorted((blog / "migrations").glob("0*.json"))[-1]
    data = json.loads(path.read_text())
    data["description"] = "edited by hand"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    assert probe(blog) == ("no changes", "0 True")


def test_migrate_check_of_an_unchanged_generated_project_needs_no_spec_loading(
    blog: Path,
) -> None:
    assert run(blog, "generate")[0] == 0
    count = len(migrations(blog))
    expected = f"migrations up to date ({count} in the chain)"
    assert probe(blog, "migrate", "check") == (expected, "0 False")
    (blog / "generated").rename(blog / "elsewhere")
    assert probe(blog, "migrate", "check") == (expected, "0 True")


def test_migrate_check_finds_drift_whatever_the_outputs_say(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    add_field(blog)
    code, out = run(blog, "migrate", "check")
    assert code == 1 and "no migration captures: add_field tags.color" in out
    assert run(blog, "generate")[0] == 0
    code, out = run(blog, "migrate", "check")
    assert code == 1 and "no migration captures" in out


def test_migrate_check_reports_an_edited_migration(blog: Path) -> None:
    path = sorted((blog / "migrations").glob("0*.json"))[-1]
    data = json.loads(path.read_text())
    data["operations"] = data["operations"][1:]
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    assert run(blog, "generate")[0] == 0
    code, out = run(blog, "migrate", "check")
    assert code == 1 and "do not produce its snapshot" in out
