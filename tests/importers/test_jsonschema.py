"""JSON Schema and OpenAPI documents → spec data, through datamodel-code-generator."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.diagnostics import Severity, SpecError
from farmgen.importers.external import detect, load_external
from farmgen.importers.jsonschema import import_schema

FIXTURES = Path(__file__).parent / "fixtures"
JSONSCHEMA = FIXTURES / "jsonschema"
THIRD_PARTY = FIXTURES / "third_party"


def test_json_schema_maps_every_supported_construct() -> None:
    data, diagnostics = import_schema(JSONSCHEMA / "shop.schema.json", "jsonschema")
    assert diagnostics == []
    assert data["enums"] == {
        "Currency": ["EUR", "USD", "GBP"],
        "Status": ["open", "paid", "shipped"],
    }
    embedded = data["embedded"]
    # referenced only from inside other schemas → embedded; cross-file $ref resolved
    assert list(embedded) == ["Money", "OrderLine", "Address"]
    assert embedded["Money"] == {
        "description": "An amount in a currency",
        "fields": {"amount": "decimal", "currency": {"type": "Currency", "default": "EUR"}},
    }
    assert embedded["Address"]["fields"]["country"] == {
        "type": "string?",
        "min_length": 2,
        "max_length": 2,
    }
    # an allOf-only parent (Stamped) is merged into its children, not declared
    assert list(data["models"]) == ["Customer", "Product", "Order"]


def test_x_farmgen_and_mixin_fields_on_models() -> None:
    data, _ = import_schema(JSONSCHEMA / "shop.schema.json", "jsonschema")
    customer = data["models"]["Customer"]
    assert customer == {
        "collection": "customers",
        "mixins": ["timestamps"],
        "fields": {
            "email": {"type": "email", "unique": True},
            "name": {"type": "string", "max_length": 100},
            "nickname": "string?",
            "website": "url?",
        },
        "indexes": [["name", "email"]],
    }


def test_fields_types_defaults_and_constraints() -> None:
    data, _ = import_schema(JSONSCHEMA / "shop.schema.json", "jsonschema")
    product = data["models"]["Product"]
    assert product["description"] == "Something we sell"
    assert product["mixins"] == ["searchable"]
    assert product["search"] == ["label"]
    assert product["fields"] == {
        "label": {"type": "string", "min_length": 1, "max_length": 40},
        "sku": {"type": "string", "max_length": 8, "pattern": "^[A-Z]{3}-[0-9]{4}$"},
        "price": "Money",
        "stock": {"type": "int", "default": 0, "min": 0, "max": 100000},
        "weight": {"type": "float?", "min": 0.1},
        "active": {"type": "bool", "default": True},
        "kind": {"type": "string", "default": "product"},
        "tags": {"type": "list[string]", "default": []},
        "attributes": "dict[string, string]?",
        "released": "date?",
        "opens": "time?",
        "uid": "uuid?",
        "notes": {"type": "text?", "private": True},
        "extra": "json?",
    }


def test_refs_to_models_and_embedded_types() -> None:
    data, _ = import_schema(JSONSCHEMA / "shop.schema.json", "jsonschema")
    assert data["models"]["Order"]["fields"] == {
        "customer": {"type": "ref[Customer]", "index": True, "on_delete": "cascade"},
        "products": "list[ref[Product]]?",
        "lines": "list[OrderLine]?",
        "total": "Money",
        "shipping": "Address?",
        "status": {"type": "Status", "default": "open"},
    }


def test_unsupported_constructs_are_warnings_with_pointer_and_position() -> None:
    path = JSONSCHEMA / "unsupported.schema.json"
    data, diagnostics = import_schema(path, None, display="unsupported.schema.json")
    assert all(d.severity is Severity.WARNING for d in diagnostics)
    assert [d.render() for d in diagnostics] == [
        "unsupported.schema.json:10:19: warning: #/definitions/Pet/properties/animal: "
        "a union of object types (Cat | Dog) cannot be expressed; imported as json",
        "unsupported.schema.json:11:59: warning: #/definitions/Pet/properties/labels/"
        "patternProperties: patternProperties cannot be expressed; imported as a dict of the "
        "first pattern's value type",
        "unsupported.schema.json:12:45: warning: #/definitions/Pet/properties/point/items: "
        "a tuple array cannot be expressed; imported as a list",
        "unsupported.schema.json:13:24: warning: #/definitions/Pet/properties/size/if: "
        "a conditional schema (if/then/else) cannot be expressed; ignored",
        "unsupported.schema.json:14:18: warning: #/definitions/Pet/properties/score: "
        "'multiple_of' is not supported by farmgen; ignored",
        "unsupported.schema.json:14:18: warning: #/definitions/Pet/properties/score: "
        "an exclusive bound (gt 0.0) is imported as inclusive",
        "unsupported.schema.json:15:19: warning: #/definitions/Pet/properties/either: "
        "a union of types (string | int) cannot be expressed; imported as json",
        "unsupported.schema.json:16:27: warning: #/definitions/Pet/properties/x-farmgen-test: "
        "'x-farmgen-test' is not an identifier; imported as 'x_farmgen_test' "
        "(the stored name changes)",
        "unsupported.schema.json:16:70: warning: #/definitions/Pet/properties/x-farmgen-test/"
        "x-farmgen/colour: unknown x-farmgen key 'colour'; ignored",
    ]
    fields = data["models"]["Pet"]["fields"]
    assert fields["animal"] == "json?"
    assert fields["labels"] == "dict[string, string]?"
    assert fields["point"] == "list[float]?"


def test_openapi_components_nullable_allof_ref_and_indexes() -> None:
    path = JSONSCHEMA / "petshop.openapi.yaml"
    assert detect(path) == "openapi"
    data, diagnostics = load_external(path, "auto")
    assert diagnostics == []
    assert data["enums"] == {"Color": ["red", "green", "blue"]}
    pet = data["models"]["Pet"]
    assert "id" not in pet["fields"]  # the primary key is farmgen's own
    assert pet["fields"]["owner"] == {"type": "ref[Owner]?", "on_delete": "set_null"}
    assert pet["fields"]["tag"] == "string?"
    assert pet["fields"]["count"] == {"type": "int", "default": 1}
    assert pet["fields"]["photo"] == "bytes?"
    assert pet["indexes"] == [
        {"name": "youngest_first", "fields": [{"born": "desc"}]},
        {"fields": ["name", "owner"], "unique": True},
    ]
    assert data["models"]["Owner"]["fields"]["phone"] == "string?"


def test_invalid_json_is_a_spec_error_with_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "a": [1,\n}\n')
    with pytest.raises(SpecError) as info:
        import_schema(bad, "jsonschema", display="bad.json")
    assert info.value.lines() == ["bad.json:3:1: invalid JSON: Expecting value"]


def test_a_document_that_is_not_an_object_is_a_spec_error(tmp_path: Path) -> None:
    bad = tmp_path / "list.json"
    bad.write_text("[1, 2]")
    with pytest.raises(SpecError) as info:
        import_schema(bad, "jsonschema", display="list.json")
    assert info.value.lines() == ["list.json:1:1: the document is not a JSON object"]


def test_swagger_2_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "swagger.yaml"
    doc.write_text('openapi: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n')
    with pytest.raises(SpecError) as info:
        import_schema(doc, "openapi", display="swagger.yaml")
    assert info.value.lines() == ["swagger.yaml:1:10: only OpenAPI 3.x is supported"]


def test_a_detected_swagger_2_document_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "swagger.yaml"
    doc.write_text('swagger: "2.0"\ninfo: {title: t, version: "1"}\ndefinitions: {}\n')
    assert detect(doc) == "openapi"
    with pytest.raises(SpecError) as info:
        load_external(doc, "auto", display="swagger.yaml")
    assert info.value.lines() == ["swagger.yaml:1:10: only OpenAPI 3.x is supported"]


def test_exclusive_bounds_of_integers_become_the_next_whole_number(tmp_path: Path) -> None:
    doc = tmp_path / "order.schema.json"
    doc.write_text(
        '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Order",'
        ' "type": "object", "required": ["qty", "step", "price", "rating"], "properties": {'
        '"qty": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 100},'
        '"step": {"$ref": "#/$defs/Step"},'
        '"price": {"type": "number", "exclusiveMinimum": 0},'
        '"rating": {"type": "integer", "minimum": 0.5, "maximum": 5}},'
        '"$defs": {"Step": {"type": "integer", "exclusiveMinimum": -1}}}'
    )
    data, diagnostics = import_schema(doc, "jsonschema", display="order.schema.json")
    fields = data["models"]["Order"]["fields"]
    assert fields["qty"] == {"type": "int", "min": 1, "max": 99}
    assert fields["step"] == {"type": "int", "min": 0}
    assert fields["rating"] == {"type": "int", "min": 1, "max": 5}
    assert all(type(fields[f][k]) is int for f in ("qty", "step", "rating") for k in ("min",))
    assert fields["price"] == {"type": "float", "min": 0.0}
    assert [d.message for d in diagnostics] == [
        "#/properties/price: an exclusive bound (gt 0.0) is imported as inclusive"
    ]


def test_a_default_the_spec_cannot_hold_is_dropped_with_a_warning(tmp_path: Path) -> None:
    doc = tmp_path / "person.json"
    doc.write_text(
        '{"title": "Person", "type": "object", "required": ["address"], "properties": {\n'
        '  "address": {"$ref": "#/$defs/Address", "default": {}},\n'
        '  "level": {"type": "integer", "minimum": 1, "default": 0},\n'
        '  "name": {"type": "string", "default": "x"}},\n'
        ' "$defs": {"Address": {"type": "object", "required": ["street"],'
        ' "properties": {"street": {"type": "string"}}}}}'
    )
    data, diagnostics = import_schema(doc, "jsonschema", display="person.json")
    assert [d.render() for d in diagnostics] == [
        "person.json:2:14: warning: default for Person.address lacks Address's required "
        "field 'street'; imported without a default",
        "person.json:3:12: warning: default 0 for Person.level is below min 1; "
        "imported without a default",
    ]
    assert data["models"]["Person"]["fields"] == {
        "address": "Address",
        "level": {"type": "int", "min": 1},
        "name": {"type": "string", "default": "x"},
    }


def test_integer_enums_become_string_enums_with_a_warning(tmp_path: Path) -> None:
    doc = tmp_path / "levels.json"
    doc.write_text('{"$defs": {"Level": {"type": "integer", "enum": [1, 2, 3]}}}')
    data, diagnostics = import_schema(doc, "jsonschema", display="levels.json")
    assert data["enums"] == {"Level": ["1", "2", "3"]}
    assert [d.message for d in diagnostics] == [
        "#/$defs/Level: enum value 1 is imported as a string",
        "#/$defs/Level: enum value 2 is imported as a string",
        "#/$defs/Level: enum value 3 is imported as a string",
    ]


THIRD_PARTY_FILES = sorted(p for p in THIRD_PARTY.iterdir() if p.suffix in (".json", ".yaml"))


@pytest.mark.parametrize("path", THIRD_PARTY_FILES, ids=lambda p: p.name)
def test_third_party_schemas_import_without_errors(path: Path) -> None:
    data, diagnostics = load_external(path, "auto")
    assert data["farmgen"] == 1
    assert data.get("models") or data.get("embedded")
    assert all(d.severity is Severity.WARNING for d in diagnostics)
    assert all(str(d.location).startswith(str(path)) for d in diagnostics)


def test_third_party_warnings_name_what_was_skipped() -> None:
    _, diagnostics = load_external(THIRD_PARTY / "discriminator.yaml", "openapi")
    assert [d.message for d in diagnostics] == [
        "#/components/schemas/Demo: a top-level schema that is not an object or an enum is "
        "not a declaration in farmgen; skipped"
    ]
    data, _ = load_external(THIRD_PARTY / "petstore-expanded.yaml", "openapi")
    # NewPet is Pet's allOf parent: merged into Pet; Pet's integer id is farmgen's primary key
    assert data["models"]["Pet"]["fields"] == {"name": "string", "tag": "string?"}


def test_a_self_referencing_embedded_type_breaks_the_cycle_with_json(tmp_path: Path) -> None:
    doc = tmp_path / "tree.json"
    doc.write_text(
        '{"$defs": {"Node": {"type": "object", "properties": {"label": {"type": "string"},'
        ' "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}},'
        ' "Tree": {"type": "object", "properties": {"root": {"$ref": "#/$defs/Node"}}}}}'
    )
    data, diagnostics = import_schema(doc, "jsonschema", display="tree.json")
    assert data["embedded"]["Node"]["fields"]["children"] == "list[json]?"
    assert data["models"]["Tree"]["fields"]["root"] == "Node?"
    assert [d.message for d in diagnostics] == [
        "#/$defs/Node/properties/children: list[Node] refers back to Node (embedded types "
        "cannot contain themselves); imported as list[json]"
    ]


def test_split_parts_of_a_schema_do_not_inherit_its_collection(tmp_path: Path) -> None:
    doc = tmp_path / "split.json"
    doc.write_text(
        '{"$defs": {"A": {"type": "string"}, "B": {"allOf": [{"anyOf": [{"$ref": "#/$defs/A"}]}],'
        ' "x-farmgen": {"collection": "bs"}}}}'
    )
    data, _ = import_schema(doc, "jsonschema", display="split.json")
    collections = [m.get("collection") for m in data.get("models", {}).values()]
    assert collections.count("bs") <= 1
