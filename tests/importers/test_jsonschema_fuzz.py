"""Any JSON Schema document imports into data or a spec error, never a crash."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farmgen.diagnostics import SpecError
from farmgen.importers.jsonschema import import_schema
from farmgen.resolve import resolve_with_diagnostics
from farmgen.spec import document_from_data

NAMES = st.sampled_from(["A", "B", "User", "Item", "class", "x-y", "id", "e"])
SCALAR_TYPES = st.sampled_from(["string", "integer", "number", "boolean", "null", "object"])
FORMATS = st.sampled_from(["email", "uri", "date-time", "date", "uuid", "ipv4", "duration"])


def _schemas(refs: list[str]) -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        st.fixed_dictionaries({"type": SCALAR_TYPES}),
        st.fixed_dictionaries({"type": st.just("string"), "format": FORMATS}),
        st.fixed_dictionaries({"enum": st.lists(st.one_of(st.text(max_size=5), st.integers()),
                                                min_size=1, max_size=4)}),
        st.fixed_dictionaries({"const": st.one_of(st.text(max_size=5), st.integers())}),
        st.sampled_from([{"$ref": f"#/$defs/{r}"} for r in refs] or [{}]),
        st.just({}),
        st.just(True),
    )

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.fixed_dictionaries({"type": st.just("array"), "items": inner}),
            st.fixed_dictionaries(
                {"type": st.just("array"), "prefixItems": st.lists(inner, max_size=2)}
            ),
            st.fixed_dictionaries({"type": st.just("object"),
                                   "properties": st.dictionaries(NAMES, inner, max_size=4)}),
            st.fixed_dictionaries({"type": st.just("object"), "additionalProperties": inner}),
            st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"allOf": st.lists(inner, min_size=1, max_size=2)}),
            st.fixed_dictionaries({"if": inner, "then": inner}),
            st.fixed_dictionaries({"type": st.just("object"),
                                   "patternProperties": st.dictionaries(st.just("^x"), inner)}),
            st.fixed_dictionaries({"type": st.just("integer"), "minimum": st.integers(-5, 5),
                                   "exclusiveMaximum": st.integers(6, 9)}),
        )

    return st.recursive(leaf, extend, max_leaves=8)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True, max_size=4))
    defs = {name: draw(_schemas(names)) for name in names}
    for name in names:
        if draw(st.booleans()) and isinstance(defs[name], dict):
            defs[name]["x-farmgen"] = draw(st.sampled_from(
                [{"collection": name.lower() + "s"}, {"kind": "embedded"}, {"oops": 1}]
            ))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_schema_imports_or_is_a_spec_error(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.json"
        path.write_text(json.dumps(document))
        try:
            data, _ = import_schema(path, "jsonschema")
        except SpecError as exc:
            assert exc.diagnostics
            return
        assert data["farmgen"] == 1
        resolve_with_diagnostics([document_from_data(data, "doc.json")])
