"""``check``, ``migrate check`` and ``migrate make`` answer from checksums when the migrations
are intact, as the full check would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from farmgen.cli import main
from tests.generated.support import EXAMPLES_DIR

PROBE = (
    "import sys\n"
    "from farmgen.cli import main\n"
    "try:\n    main(sys.argv[1:] or ['check'])\n"
    "except SystemExit as exc:\n    code = exc.code\n"
    "print(code, 'farmgen.resolve' in sys.modules)\n"
)


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(root / "farmgen.toml"), *args])
    return result.exit_code, result.stdout + result.stderr


def probe(root: Path, *args: str) -> str:
    """The exit code and whether the specs were loaded, of ``farmgen ARGS`` (``check``)."""
    return probe_output(root, *args)[-1]


def probe_output(root: Path, *args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=root, capture_output=True, text=True, check=False
    )
    return out.stdout.splitlines()


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


def migrations(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "migrations").glob("*.json"))


def add_field(root: Path) -> None:
    spec = root / "schemas" / "content.yaml"
    marker = "  Tag:\n    fields:\n"
    text = spec.read_text()
    assert marker in text
    spec.write_text(text.replace(marker, marker + "      color: {type: string?, max_length: 20}\n"))


def make_probe(root: Path) -> tuple[str, str]:
    lines = probe_output(root, "migrate", "make", "probe")
    return lines[0], lines[-1]


def test_make_in_an_unchanged_generated_project_needs_no_spec_loading(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    before = migrations(blog)
    assert make_probe(blog) == ("no changes", "0 False")
    assert migrations(blog) == before


def test_make_without_generated_outputs_loads_the_specs(blog: Path) -> None:
    before = migrations(blog)
    assert make_probe(blog) == ("no changes", "0 True")
    assert migrations(blog) == before


def test_make_finds_a_spec_change_although_the_outputs_were_up_to_date(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    add_field(blog)
    code, out = run(blog, "migrate", "make", "nickname")
    assert code == 0, out
    assert "color" in out, out
    assert len(migrations(blog)) == len(list((EXAMPLES_DIR / "blog/migrations").glob("*.json"))) + 1


def test_make_finds_a_spec_change_regenerated_but_not_migrated(blog: Path) -> None:
    add_field(blog)
    assert run(blog, "generate")[0] == 0
    code, out = run(blog, "migrate", "make", "nickname")
    assert code == 0, out
    assert out.splitlines()[-1].startswith("wrote migrations/")


def test_make_diffs_an_edited_migration_in_full(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    path = sorted((blog / "migrations").glob("0*.json"))[-1]
    data = json.loads(path.read_text())
    data["description"] = "edited by hand"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    assert make_probe(blog) == ("no changes", "0 True")


def test_migrate_check_of_an_unchanged_generated_project_needs_no_spec_loading(
    blog: Path,
) -> None:
    assert run(blog, "generate")[0] == 0
    count = len(migrations(blog))
    expected = f"migrations up to date ({count} in the chain)"
    assert probe_output(blog, "migrate", "check") == [expected, "0 False"]
    (blog / "generated").rename(blog / "elsewhere")
    assert probe_output(blog, "migrate", "check") == [expected, "0 True"]


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


MAIN_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "User": {
            "type": "object",
            "x-farmgen": {"kind": "model"},
            "properties": {
                "name": {"type": "string"},
                "address": {"$ref": "common.json#/$defs/Address"},
            },
            "required": ["name"],
        }
    },
}


def referring_project(root: Path) -> Path:
    """A JSON Schema spec whose ``$ref`` reads a file the ``specs`` globs do not name."""
    (root / "schemas").mkdir(parents=True)
    (root / "farmgen.toml").write_text(
        'specs = [{path = "schemas/main.json", format = "jsonschema"}]\n'
        '[targets.typescript]\nout = "generated/ts"\n'
    )
    (root / "schemas" / "main.json").write_text(json.dumps(MAIN_SCHEMA))
    write_address(root, {"street": {"type": "string"}})
    return root


def write_address(root: Path, properties: dict[str, object]) -> None:
    address = {"type": "object", "properties": properties, "required": ["street"]}
    (root / "schemas" / "common.json").write_text(json.dumps({"$defs": {"Address": address}}))


def test_a_file_a_spec_refers_to_is_not_answered_from_checksums(tmp_path: Path) -> None:
    root = referring_project(tmp_path / "project")
    assert run(root, "generate")[0] == 0
    assert run(root, "migrate", "make", "init")[0] == 0
    write_address(root, {"street": {"type": "string"}, "city": {"type": "string"}})
    code, out = run(root, "migrate", "check")
    assert code == 1 and "users.address.city" in out
    code, out = run(root, "check")
    assert code == 1
    code, out = run(root, "migrate", "make", "city")
    assert code == 0 and "wrote migrations/0002_city.json" in out
