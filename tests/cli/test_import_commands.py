"""``farmgen import jsonschema`` and ``farmgen import models``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from farmgen.cli import main
from farmgen.resolve import load_schema

FIXTURES = Path(__file__).parent.parent / "importers" / "fixtures"


def run(args: list[str], cwd: Path) -> Result:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    for name in ("shop.schema.json", "address.schema.json", "unsupported.schema.json"):
        (tmp_path / name).write_text((FIXTURES / "jsonschema" / name).read_text())
    return tmp_path


def test_import_jsonschema_writes_a_spec_that_validates(shop: Path) -> None:
    result = run(["import", "jsonschema", "shop.schema.json", "-o", "schemas/shop.yaml"], shop)
    assert result.exit_code == 0, result.output
    assert result.stdout == "wrote schemas/shop.yaml: 3 models, 3 embedded types, 2 enums\n"
    text = (shop / "schemas" / "shop.yaml").read_text()
    assert text.startswith("# Imported from shop.schema.json by farmgen import jsonschema.\n")
    schema = load_schema([shop / "schemas" / "shop.yaml"], shop)
    assert [m.name for m in schema.models] == ["Customer", "Product", "Order"]
    assert yaml.safe_load(text)["models"]["Customer"]["collection"] == "customers"


def test_warnings_are_printed_as_path_line_col(shop: Path) -> None:
    result = run(["import", "jsonschema", "unsupported.schema.json", "-o", "pets.yaml"], shop)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "unsupported.schema.json:10:19: warning: #/definitions/Pet/properties/animal: "
        "a union of object types (Cat | Dog) cannot be expressed; imported as json"
    )
    assert lines[-2] == (
        "unsupported.schema.json:16:27: warning: #/definitions/Pet/properties/x-farmgen-test: "
        "'x-farmgen-test' is not an identifier; imported as 'x_farmgen_test' "
        "(the stored name changes)"
    )
    assert len(lines) == 9
    assert result.stdout == "wrote pets.yaml: 1 model, 2 embedded types, 0 enums (9 warnings)\n"


def test_an_existing_output_is_kept_unless_forced(shop: Path) -> None:
    (shop / "shop.yaml").write_text("mine\n")
    refused = run(["import", "jsonschema", "shop.schema.json", "-o", "shop.yaml"], shop)
    assert refused.exit_code == 2
    assert refused.stderr == "shop.yaml already exists (use --force to overwrite it)\n"
    assert (shop / "shop.yaml").read_text() == "mine\n"
    forced = run(["import", "jsonschema", "shop.schema.json", "-o", "shop.yaml", "--force"], shop)
    assert forced.exit_code == 0
    assert (shop / "shop.yaml").read_text().startswith("# Imported from")


def test_a_spec_that_does_not_resolve_is_not_written(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(
        '{"$defs": {"A": {"type": "object", "x-farmgen": {"collection": "as", '
        '"indexes": [["missing"]]}, "properties": {"x": {"type": "string"}}}}}'
    )
    result = run(["import", "jsonschema", "bad.json", "-o", "bad.yaml"], tmp_path)
    assert result.exit_code == 1
    assert "missing" in result.stderr
    assert not (tmp_path / "bad.yaml").exists()


def test_import_openapi(tmp_path: Path) -> None:
    source = FIXTURES / "jsonschema" / "petshop.openapi.yaml"
    (tmp_path / "api.yaml").write_text(source.read_text())
    result = run(
        ["import", "jsonschema", "api.yaml", "--format", "openapi", "-o", "schemas/api.yaml"],
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "wrote schemas/api.yaml: 2 models, 0 embedded types, 1 enum\n"


def test_import_models(tmp_path: Path) -> None:
    (tmp_path / "models.py").write_text((FIXTURES / "python" / "models.py").read_text())
    result = run(["import", "models", "models.py", "-o", "schemas/shop.yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    expected = (FIXTURES / "python" / "models.expected-warnings.txt").read_text()
    assert result.stderr == expected
    assert result.stdout == (
        "wrote schemas/shop.yaml: 9 models, 5 embedded types, 4 enums (17 warnings)\n"
    )
    written = yaml.safe_load((tmp_path / "schemas" / "shop.yaml").read_text())
    expected_spec = yaml.safe_load((FIXTURES / "python" / "models.expected.yaml").read_text())
    assert written == expected_spec


def test_import_models_drops_an_invalid_default_with_a_warning_at_its_field(
    tmp_path: Path,
) -> None:
    (tmp_path / "m.py").write_text(
        "from beanie import Document\n"
        "from pydantic import BaseModel, Field\n\n\n"
        "class Address(BaseModel):\n"
        "    street: str\n"
        "    city: str = 'Lyon'\n\n\n"
        "class Person(Document):\n"
        "    name: str = 'x'\n"
        "    address: Address = Field(default_factory=Address)\n"
    )
    result = run(["import", "models", "m.py", "-o", "out/m.yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "m.py:12:5: warning: default for Person.address lacks Address's required field "
        "'street'; imported without a default\n"
    )
    written = yaml.safe_load((tmp_path / "out" / "m.yaml").read_text())
    assert written["models"]["Person"]["fields"] == {
        "name": {"type": "string", "default": "x"},
        "address": "Address",
    }
    assert written["embedded"]["Address"]["fields"]["city"] == {"type": "string", "default": "Lyon"}


_PROBE = """
import sys
from farmgen.cli import main
try:
    main(prog_name="farmgen", args=["validate"])
except SystemExit as exc:
    code = exc.code
loaded = [m for m in ("libcst", "datamodel_code_generator") if m in sys.modules]
print("EXIT", code, "LOADED", ",".join(loaded) or "-")
"""


@pytest.mark.parametrize(
    ("fixture", "fmt", "loaded"),
    [
        ("jsonschema/petshop.openapi.yaml", "openapi", "datamodel_code_generator"),
        ("python/models.py", "python", "libcst"),
        ("jsonschema/petshop.openapi.yaml", None, "datamodel_code_generator"),
    ],
)
def test_validate_imports_only_the_parser_a_spec_source_needs(
    tmp_path: Path, fixture: str, fmt: str | None, loaded: str
) -> None:
    source = FIXTURES / fixture
    (tmp_path / source.name).write_text(source.read_text())
    entry = f'{{path = "{source.name}", format = "{fmt}"}}' if fmt else f'"{source.name}"'
    (tmp_path / "farmgen.toml").write_text(f'specs = [{entry}]\nmigrations = "migrations"\n')
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert completed.stdout.splitlines()[-1] == f"EXIT 0 LOADED {loaded}", (
        completed.stdout + completed.stderr
    )
