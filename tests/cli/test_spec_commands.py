"""``farmgen init``, ``validate`` and ``schema`` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from farmgen.cli import main

HEAVY_MODULES = (
    "beanie",
    "pymongo",
    "sqlalchemy",
    "black",
    "libcst",
    "datamodel_code_generator",
    "farmgen.spec.format",
)


def run(args: list[str], cwd: Path) -> Result:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_validate_blog(repo_root: Path) -> None:
    result = run(["validate"], repo_root / "examples" / "blog")
    assert result.exit_code == 0, result.output
    assert result.stdout == "5 models, 3 enums, 3 embedded types in 2 files\n"
    assert result.stderr == ""


def test_validate_farm_users_with_config_option(repo_root: Path, tmp_path: Path) -> None:
    config = repo_root / "examples" / "farm-users" / "farmgen.toml"
    result = run(["--config", str(config), "validate"], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 model, 2 enums, 3 embedded types in 1 file\n"


def test_validate_reports_every_error_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "farmgen.toml").write_text('specs = ["schemas/*.yaml"]\n')
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "blog.yaml").write_text(textwrap.dedent("""\
            models:
              User:
                fields:
                  email: strng
                  name: {type: string, uniqe: true}
            """))
    result = run(["validate"], tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "schemas/blog.yaml:4:14: unknown type 'strng' for User.email (did you mean 'string'?)",
        "schemas/blog.yaml:5:28: unknown key 'uniqe' in field User.name (did you mean 'unique'?)",
    ]


def test_validate_prints_warnings_and_still_passes(tmp_path: Path) -> None:
    (tmp_path / "farmgen.toml").write_text('specs = ["*.yaml"]\n')
    (tmp_path / "a.yaml").write_text("models:\n  A:\n    mixins: [searchable]\n")
    result = run(["validate"], tmp_path)
    assert result.exit_code == 0
    assert result.stderr.startswith("a.yaml:2:3: warning: model A has the searchable mixin")
    assert result.stdout == "1 model, 0 enums, 0 embedded types in 1 file\n"


def test_validate_config_errors_exit_1(tmp_path: Path) -> None:
    (tmp_path / "farmgen.toml").write_text("specz = []\n")
    result = run(["validate"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr == "farmgen.toml:1:1: unknown key 'specz' (did you mean 'specs'?)\n"


def test_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run(["--config", "nope.toml", "validate"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "--config: no such file: nope.toml\n"


def test_init_then_validate(tmp_path: Path) -> None:
    result = run(["init", "app"], tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "app" / "farmgen.toml").is_file()
    assert (tmp_path / "app" / "schemas" / "example.yaml").is_file()
    validated = run(["validate"], tmp_path / "app")
    assert validated.exit_code == 0, validated.output
    assert validated.stdout == "2 models, 1 enum, 1 embedded type in 1 file\n"


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "farmgen.toml").write_text("# mine\n")
    result = run(["init"], tmp_path)
    assert result.exit_code == 2
    assert "refusing to overwrite existing files: farmgen.toml" in result.stderr
    assert (tmp_path / "farmgen.toml").read_text() == "# mine\n"
    assert not (tmp_path / "schemas").exists()


@pytest.mark.parametrize("where", [".", "sub"])
def test_init_refuses_to_shadow_a_tool_farmgen_table(tmp_path: Path, where: str) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.farmgen]\nspecs = ['schemas/*.yaml']\n")
    (tmp_path / "sub").mkdir()
    result = run(["init", where], tmp_path)
    assert result.exit_code == 2
    assert "pyproject.toml already configures farmgen in [tool.farmgen]" in result.stderr
    assert "would take precedence" in result.stderr
    assert not (tmp_path / where / "farmgen.toml").exists()
    assert not (tmp_path / where / "schemas").exists()


def test_schema_prints_the_committed_json_schema(repo_root: Path, tmp_path: Path) -> None:
    result = run(["schema"], tmp_path)
    assert result.exit_code == 0
    committed = (repo_root / "schemas" / "farmgen-spec.schema.json").read_text()
    assert result.stdout == committed
    assert json.loads(result.stdout)["title"] == "farmgen spec"
    written = run(["schema", "-o", "out.json"], tmp_path)
    assert written.exit_code == 0
    assert (tmp_path / "out.json").read_text() == committed


_PROBE = """
import sys
from farmgen.cli import main
try:
    main(prog_name="farmgen", args=["validate"])
except SystemExit as exc:
    code = exc.code
heavy = [m for m in {heavy!r} if m in sys.modules]
print("EXIT", code, "HEAVY", ",".join(heavy) or "-")
"""


def test_validate_does_not_import_the_generator_or_runtime_dependencies(repo_root: Path) -> None:
    probe = _PROBE.format(heavy=HEAVY_MODULES)
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=repo_root / "examples" / "blog",
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.stdout.splitlines()[-1] == "EXIT 0 HEAVY -", completed.stderr
    assert completed.stdout.splitlines()[0] == "5 models, 3 enums, 3 embedded types in 2 files"


@pytest.mark.parametrize("args", [["--version"], ["validate"]])
def test_python_dash_m_farmgen(repo_root: Path, args: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "farmgen", *args],
        cwd=repo_root / "examples" / "blog",
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout.strip()


def test_the_readme_spec_example(repo_root: Path, tmp_path: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    start = readme.index("# schemas/blog.yaml\n")
    spec = readme[start : readme.index("```", start)]
    (tmp_path / "farmgen.toml").write_text('specs = ["schemas/*.yaml"]\n')
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "blog.yaml").write_text(spec)
    result = run(["validate"], tmp_path)
    assert result.exit_code == 0, result.output
    assert f"$ farmgen validate\n{result.stdout}" in readme
    (tmp_path / "schemas" / "blog.yaml").write_text(spec.replace("type: string,", "type: strng,"))
    failed = run(["validate"], tmp_path)
    assert failed.exit_code == 1
    assert failed.stderr.strip() in readme


def test_schema_config_prints_the_committed_config_schema(repo_root: Path, tmp_path: Path) -> None:
    result = run(["schema", "config"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout == (repo_root / "schemas" / "farmgen-config.schema.json").read_text()
    assert run(["schema", "nope"], tmp_path).exit_code == 2


_OPENAPI = """\
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
"""

_ORDER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Order",
    "type": "object",
    "required": ["number"],
    "properties": {"number": {"type": "integer"}, "item": {"$ref": "#/$defs/Item"}},
    "$defs": {"Item": {"type": "object", "properties": {"sku": {"type": "string"}}}},
}


def test_validate_detects_openapi_and_json_schema_sources_without_a_format(
    tmp_path: Path,
) -> None:
    (tmp_path / "farmgen.toml").write_text('specs = ["openapi.yaml", "order.schema.json"]\n')
    (tmp_path / "openapi.yaml").write_text(_OPENAPI)
    (tmp_path / "order.schema.json").write_text(json.dumps(_ORDER_SCHEMA))
    result = run(["validate"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "unknown key" not in result.stderr
    assert result.stdout == "2 models, 0 enums, 1 embedded type in 2 files\n"
