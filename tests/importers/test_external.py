"""External spec sources in a project: JSON Schema, OpenAPI and Python models load into
the IR beside native specs, and their warnings carry the source's positions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from farmgen.config import load_config
from farmgen.diagnostics import UsageError
from farmgen.importers.external import detect, load_external
from farmgen.project import load_project_from_config

FIXTURES = Path(__file__).parent / "fixtures"


def test_sources_of_every_format_load_together(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "jsonschema" / "petshop.openapi.yaml", tmp_path / "api.yaml")
    shutil.copy(FIXTURES / "third_party" / "person.json", tmp_path / "person.json")
    shutil.copy(FIXTURES / "python" / "models.py", tmp_path / "models.py")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "notes.yaml").write_text(
        "farmgen: 1\nmodels:\n  Note:\n    fields:\n      owner: ref[Owner]\n      text: text\n"
    )
    (tmp_path / "farmgen.toml").write_text(
        'specs = ["schemas/*.yaml", {path = "api.yaml", format = "openapi"},\n'
        '         {path = "person.json", format = "jsonschema"},\n'
        '         {path = "models.py", format = "python"}]\n'
        'migrations = "migrations"\n'
    )
    project = load_project_from_config(load_config(tmp_path))
    names = [m.name for m in project.schema.models]
    assert names[:4] == ["Note", "Owner", "Pet", "Person"]
    assert "Warehouse" in names
    assert project.schema.model("Note").field_map["owner"].ref_target == "Owner"
    assert {str(w.location).split(":")[0] for w in project.warnings} == {"models.py"}
    assert str(project.warnings[0].location) == "models.py:51:5"


def test_detect_and_unknown_formats(tmp_path: Path) -> None:
    assert detect(FIXTURES / "jsonschema" / "petshop.openapi.yaml") == "openapi"
    assert detect(FIXTURES / "jsonschema" / "shop.schema.json") == "jsonschema"
    assert detect(FIXTURES / "python" / "models.py") == "python"
    with pytest.raises(UsageError) as info:
        load_external(FIXTURES / "third_party" / "person.json", "xml")
    assert info.value.exit_code == 2
    assert "unknown import format 'xml'" in info.value.message
