"""Valid specs: what each construct of the language becomes in the IR."""

from __future__ import annotations

import keyword
import textwrap
from pathlib import Path

import pytest

from farmgen.diagnostics import SpecError
from farmgen.ir import (
    Constraints,
    Default,
    DictOf,
    EmbeddedRef,
    EnumRef,
    ListOf,
    ModelRef,
    OnDelete,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.ir import names as names_module
from farmgen.ir.names import PYTHON_KEYWORDS, PYTHON_SOFT_KEYWORDS, needs_alias, python_attr
from farmgen.resolve import load_schema, resolve_with_diagnostics
from farmgen.spec import parse_text


def load(tmp_path: Path, **files: str) -> Schema:
    paths = []
    for name, text in files.items():
        path = tmp_path / name.replace("__", ".")
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        paths.append(path)
    return load_schema(paths, tmp_path)


def test_short_and_long_field_forms(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        a__yaml="""
        models:
          Item:
            fields:
              name: string
              note: text?
              price: {type: decimal, min: 0, default: "9.99"}
              qty: {type: int, default: 1, min: 0, max: 100, description: How many.}
              code: {type: string, pattern: "^[A-Z]+$", min_length: 2, max_length: 8}
              labels: {type: "dict[string, list[string]]", default: {a: [x]}}
              seen: {type: date, default: 2024-01-02}
              token: {type: uuid, default: 12345678-1234-5678-1234-567812345678}
              oid: {type: objectid, default: 0123456789abcdef01234567}
              old: {type: int, default: 0, renamed_from: legacy}
        """,
    )
    item = schema.model("Item").field_map
    assert item["name"].required and item["name"].type == Scalar(ScalarKind.STRING)
    assert item["note"].optional and item["note"].default == Default.of(None)
    assert item["price"].default == Default.of("9.99")
    assert item["qty"].constraints == Constraints(min=0, max=100)
    assert item["qty"].description == "How many."
    assert item["code"].constraints == Constraints(min_length=2, max_length=8, pattern="^[A-Z]+$")
    assert item["labels"].type == DictOf(ListOf(Scalar(ScalarKind.STRING)))
    assert item["labels"].default == Default.of({"a": ["x"]})
    assert item["seen"].default == Default.of("2024-01-02")
    assert item["old"].renamed_from == "legacy"
    assert schema.model("Item").collection == "items"


def test_names_are_global_across_files_and_formats(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        a__yaml="""
        models:
          Post:
            fields:
              author: ref[Author]
              state: State
        """,
        b__json='{"enums": {"State": {"values": ["a", "b"], "description": "d"}},'
        ' "models": {"Author": {"fields": {"name": "string"}}}}',
    )
    assert [m.name for m in schema.models] == ["Post", "Author"]
    assert schema.model("Post").field_map["author"].type == ModelRef("Author")
    assert schema.model("Post").field_map["state"].type == EnumRef("State")
    assert schema.sources == ("a.yaml", "b.json")
    assert schema.model("Author").location.path == "b.json"
    assert schema.declared_in("b.json")[0].name == "State"


def test_ref_on_delete_defaults(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        a__yaml="""
        models:
          A:
            fields:
              x: string
          B:
            fields:
              required_ref: ref[A]
              optional_ref: ref[A]?
              chosen: {type: "ref[A]", on_delete: no_action}
              many: list[ref[A]]
        """,
    )
    b = schema.model("B").field_map
    assert b["required_ref"].on_delete is OnDelete.RESTRICT
    assert b["optional_ref"].on_delete is OnDelete.SET_NULL
    assert b["chosen"].on_delete is OnDelete.NO_ACTION
    assert b["many"].on_delete is None and b["many"].is_many_to_many


def test_alias_rule_keeps_reserved_field_names(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        a__yaml="""
        models:
          Thing:
            fields:
              class: string
              json: json?
              metadata: "dict[string, string]?"
              save: bool?
              revision_id: int?
              model_config: string?
        """,
    )
    names = [f.name for f in schema.model("Thing").fields]
    assert names == ["class", "json", "metadata", "save", "revision_id", "model_config"]
    assert all(needs_alias(name) for name in names)
    assert python_attr("class") == "class_" and python_attr("metadata") == "metadata_"


def test_soft_keywords_are_plain_attributes_on_every_python_version() -> None:
    for name in ("type", "match", "case"):
        assert python_attr(name) == name and not needs_alias(name)
    assert python_attr("async") == "async_" and python_attr("None") == "None_"


def test_python_keywords_are_a_fixed_literal_of_the_hard_keywords() -> None:
    assert frozenset(keyword.kwlist) == PYTHON_KEYWORDS
    assert not PYTHON_KEYWORDS & PYTHON_SOFT_KEYWORDS
    source = Path(names_module.__file__).read_text(encoding="utf-8")
    assert "issoftkeyword" not in source and "import keyword" not in source


def test_embedded_types_nest_and_index_by_dotted_path(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        a__yaml="""
        embedded:
          Geo: {fields: {lat: float, lng: float}}
          Address:
            fields:
              city: string
              geo: {type: Geo, default: {lat: 0, lng: 0.5}}
        models:
          Shop:
            fields:
              address: Address
              branches: {type: "list[Address]", default: []}
            indexes:
              - address.geo.lat
              - {fields: [branches.city], name: shop_branch_city}
        """,
    )
    shop = schema.model("Shop")
    assert shop.field_map["address"].type == EmbeddedRef("Address")
    assert [i.paths for i in shop.indexes] == [("address.geo.lat",), ("branches.city",)]
    assert shop.indexes[0].name == "ix_shops_address_geo_lat"
    geo = schema.embedded_type("Address").field_map["geo"]
    assert geo.default == Default.of({"lat": 0, "lng": 0.5})


def test_enum_member_names(tmp_path: Path) -> None:
    schema = load(tmp_path, a__yaml='enums:\n  S: [pending-review, "2fa", mro]\n')
    members = [v.member for v in schema.enum("S").values]
    assert members == ["PENDING_REVIEW", "V_2FA", "MRO_"]


def test_searchable_without_search_is_a_warning() -> None:
    doc = parse_text("models:\n  A:\n    mixins: [searchable]\n", "a.yaml", ".yaml")
    schema, diagnostics = resolve_with_diagnostics([doc])
    assert schema is not None
    assert [d.render() for d in diagnostics] == [
        "a.yaml:2:3: warning: model A has the searchable mixin but no 'search' fields "
        "(list the fields its search text covers in 'search')"
    ]


def test_errors_are_collected_across_files_and_sorted(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load(
            tmp_path,
            b__yaml="models:\n  B:\n    fields: {x: nope}\n",
            a__yaml="models:\n  A:\n    fields: {x: nope, y: {type: int, bad: 1}}\n",
        )
    assert [(d.location.path, d.location.line) for d in info.value.diagnostics] == [
        ("a.yaml", 3),
        ("a.yaml", 3),
        ("b.yaml", 3),
    ]
    assert info.value.message == "3 errors in the spec"


def test_schema_is_deterministic(tmp_path: Path, repo_root: Path) -> None:
    files = sorted((repo_root / "examples" / "blog" / "schemas").glob("*.yaml"))
    assert load_schema(files, repo_root) == load_schema(files, repo_root)
