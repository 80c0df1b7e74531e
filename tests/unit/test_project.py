"""Projects: finding spec files from the config, and loading them (also through importers)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from farmgen.diagnostics import ConfigError, Diagnostic
from farmgen.project import load_project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def _project(tmp_path: Path, specs: str) -> Path:
    write(tmp_path / "farmgen.toml", f"specs = {specs}\n")
    write(tmp_path / "schemas" / "a.yaml", "models:\n  A:\n    fields: {x: int}\n")
    return tmp_path


def test_spec_globs_that_match_nothing_are_errors(tmp_path: Path) -> None:
    _project(tmp_path, '["schemas/*.yaml", "missing/*.yaml", "nope.yaml"]')
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path)
    assert info.value.lines() == [
        "farmgen.toml:1:1: no files match 'missing/*.yaml' in 'specs'",
        "farmgen.toml:1:1: no such file: 'nope.yaml' in 'specs'",
    ]


def test_default_specs_and_empty_projects(tmp_path: Path) -> None:
    write(tmp_path / "farmgen.toml", "")
    with pytest.raises(ConfigError, match="no spec files found"):
        load_project(tmp_path)
    write(tmp_path / "schemas" / "nested" / "b.yml", "enums: {E: [a]}\n")
    project = load_project(tmp_path)
    assert [f.path.name for f in project.files] == ["b.yml"]
    assert project.schema.sources == ("schemas/nested/b.yml",)


def test_external_formats_go_through_the_importers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, '["schemas/*.yaml", {path = "api.json", format = "openapi"}]')
    write(tmp_path / "api.json", "{}")
    calls: list[tuple[Path, str, str | None]] = []

    def load_external(
        path: Path, format: str, display: str | None = None
    ) -> tuple[Any, list[Diagnostic]]:
        calls.append((path, format, display))
        return {"models": {"Pet": {"fields": {"name": "string"}}}}, []

    fake = ModuleType("farmgen.importers.external")
    fake.load_external = load_external  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "farmgen.importers.external", fake)
    project = load_project(tmp_path)
    assert calls == [((tmp_path / "api.json").resolve(), "openapi", "api.json")]
    assert [m.name for m in project.schema.models] == ["A", "Pet"]
    assert project.schema.model("Pet").source == "api.json"


def test_external_formats_without_the_importers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, '[{path = "api.json", format = "jsonschema"}]')
    write(tmp_path / "api.json", "{}")
    monkeypatch.setitem(sys.modules, "farmgen.importers.external", None)
    with pytest.raises(ConfigError, match="'jsonschema' spec format needs farmgen's importers"):
        load_project(tmp_path)


def test_project_warnings_and_files(tmp_path: Path) -> None:
    write(tmp_path / "farmgen.toml", 'specs = ["s/*.yaml", "s/*.json"]\n')
    write(tmp_path / "s" / "b.yaml", "models:\n  B:\n    mixins: [searchable]\n")
    write(tmp_path / "s" / "a.json", '{"enums": {"E": ["x"]}}')
    project = load_project(tmp_path / "s")
    assert [f.path.name for f in project.files] == ["b.yaml", "a.json"]
    assert all(f.format == "farmgen" for f in project.files)
    assert project.root == tmp_path.resolve()
    assert project.schema.sources == ("s/b.yaml", "s/a.json")
    assert [w.code for w in project.warnings] == ["search-empty"]


def test_spec_errors_of_a_project(tmp_path: Path) -> None:
    write(tmp_path / "farmgen.toml", "")
    write(tmp_path / "schemas" / "a.yaml", "models:\n  A:\n    fields: {x: intt}\n")
    from farmgen.diagnostics import SpecError

    with pytest.raises(SpecError) as info:
        load_project(tmp_path)
    assert info.value.lines() == [
        "schemas/a.yaml:3:17: unknown type 'intt' for A.x (did you mean 'int'?)"
    ]


def test_json_schema_and_openapi_sources_are_detected_without_a_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "farmgen.toml", 'specs = ["*.yaml", "*.json"]\n')
    write(tmp_path / "native.yaml", '$schema: "farmgen-spec.schema.json"\nenums: {E: [a]}\n')
    write(tmp_path / "api.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n")
    write(tmp_path / "swagger.yaml", "swagger: '2.0'\ndefinitions: {}\n")
    write(tmp_path / "order.json", '{"$schema": "x", "$defs": {}, "type": "object"}')
    write(tmp_path / "pet.json", '{"$schema": "http://json-schema.org/draft-07/schema#"}')
    write(tmp_path / "typo.json", '{"$schema": "farmgen-spec.schema.json", "modles": {}}')
    write(tmp_path / "tagged.json", '{"farmgen": 1, "$defs": {}}')
    calls: list[tuple[str, str]] = []

    def load_external(
        path: Path, format: str, display: str | None = None
    ) -> tuple[Any, list[Diagnostic]]:
        calls.append((path.name, format))
        return {"models": {path.stem.title(): {"fields": {"name": "string"}}}}, []

    fake = ModuleType("farmgen.importers.external")
    fake.load_external = load_external  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "farmgen.importers.external", fake)
    from farmgen.diagnostics import SpecError

    with pytest.raises(SpecError) as info:
        load_project(tmp_path)
    assert calls == [
        ("api.yaml", "auto"),
        ("swagger.yaml", "auto"),
        ("order.json", "auto"),
        ("pet.json", "auto"),
    ]
    assert info.value.lines() == [
        "tagged.json:1:16: unknown key '$defs' at the top level",
        "typo.json:1:41: unknown key 'modles' at the top level (did you mean 'models'?)",
    ]


def test_a_detected_source_without_the_importers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "farmgen.toml", 'specs = ["api.yaml"]\n')
    write(tmp_path / "api.yaml", "openapi: 3.1.0\n")
    monkeypatch.setitem(sys.modules, "farmgen.importers.external", None)
    with pytest.raises(ConfigError, match=r"api\.yaml: a JSON Schema or OpenAPI source needs"):
        load_project(tmp_path)
