"""The examples' models written as JSON Schema import into the examples' own IR."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.importers.jsonschema import import_schema
from farmgen.resolve import load_schema, resolve_documents
from farmgen.spec import document_from_data
from tests.conftest import EXAMPLES
from tests.importers.ir_compare import differences

FIXTURES = Path(__file__).parent / "fixtures" / "examples"


@pytest.mark.parametrize("example", ["blog", "farm-users"])
def test_example_as_json_schema_imports_into_the_same_ir(example: str) -> None:
    root = EXAMPLES / example
    original = load_schema(sorted((root / "schemas").glob("*.yaml")), root)
    data, diagnostics = import_schema(FIXTURES / f"{example}.schema.json", "jsonschema")
    assert diagnostics == []
    imported = resolve_documents([document_from_data(data, f"{example}.schema.json")])
    assert differences(original, imported) == []
