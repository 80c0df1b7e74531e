"""schemas/farmgen-spec.schema.json: generated from farmgen.spec.format, never stale, and
every example (and the ``farmgen init`` spec) validates against it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from farmgen.cli.spec_commands import INIT_SPEC
from farmgen.resources import schemas_dir
from farmgen.spec.format import FIELD_KEYS, MODEL_KEYS, TOP_LEVEL_KEYS, spec_json_schema_text

SCHEMA_FILE = "farmgen-spec.schema.json"
REGENERATE = "farmgen schema -o schemas/farmgen-spec.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((schemas_dir() / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_schema_is_up_to_date() -> None:
    committed = (schemas_dir() / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == spec_json_schema_text(), f"stale: run '{REGENERATE}'"


def _examples(repo_root: Path) -> list[Path]:
    found = sorted((repo_root / "examples").glob("*/schemas/*.y*ml"))
    found += sorted((repo_root / "examples").glob("*/schemas/*.json"))
    return found


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def test_every_example_validates(repo_root: Path, validator: jsonschema.Validator) -> None:
    examples = _examples(repo_root)
    assert len(examples) >= 3
    for path in examples:
        errors = [e.message for e in validator.iter_errors(_load(path))]
        assert errors == [], path


def test_the_init_spec_validates(validator: jsonschema.Validator) -> None:
    assert list(validator.iter_errors(yaml.safe_load(INIT_SPEC))) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"modles": {}},
        {"farmgen": 2},
        {"models": {"A": {"fields": {"x": {"type": "int", "uniqe": True}}}}},
        {"models": {"A": {"mixins": ["timestamp"]}}},
        {"models": {"A": {"indexes": [{"fields": [{"a": "down"}]}]}}},
        {"enums": {"E": []}},
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(
    bad: dict[str, Any], validator: jsonschema.Validator
) -> None:
    assert list(validator.iter_errors(bad))


def test_key_lists_come_from_the_models() -> None:
    assert TOP_LEVEL_KEYS == ("$schema", "farmgen", "enums", "embedded", "models")
    assert set(FIELD_KEYS) >= {
        "type", "default", "min", "max", "min_length", "max_length", "pattern", "unique",
        "index", "description", "private", "renamed_from", "on_delete",
    }  # fmt: skip
    assert set(MODEL_KEYS) == {
        "collection", "mixins", "search", "fields", "indexes", "renamed_from", "description",
    }  # fmt: skip
