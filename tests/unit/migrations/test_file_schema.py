"""schemas/farmgen-migration.schema.json accepts every file farmgen writes, and rejects junk."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.migrations.evolution import build_chain

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "schemas" / "farmgen-migration.schema.json").read_text()
)
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_every_written_file_is_valid(tmp_path: Path) -> None:
    build_chain(tmp_path, "blog")
    files = sorted(tmp_path.glob("*.json")) + sorted(EXAMPLES.glob("*/migrations/*.json"))
    assert len(files) >= 14
    for path in files:
        jsonschema.validate(json.loads(path.read_text()), SCHEMA)


def test_unknown_operation_and_bad_index_are_rejected() -> None:
    base = {"id": "0001_x", "operations": []}
    jsonschema.validate(base, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**base, "operations": [{"type": "explode"}]}, SCHEMA)
    bad_index = {
        "type": "create_index",
        "collection": "t",
        "index": {"name": "ix", "fields": [["a", 2]]},
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**base, "operations": [bad_index]}, SCHEMA)
