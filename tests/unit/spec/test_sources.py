"""YAML and JSON sources: positions, duplicates, parse errors, plain data from importers."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from farmgen.diagnostics import Location
from farmgen.spec import (
    MapNode,
    ScalarNode,
    SeqNode,
    document_from_data,
    load_document,
    parse_text,
    to_plain,
    yaml_source,
)


def _map(node: object) -> MapNode:
    assert isinstance(node, MapNode)
    return node


def test_yaml_prefers_the_c_loader() -> None:
    if getattr(yaml, "__with_libyaml__", False):
        assert yaml_source._Loader is yaml.CSafeLoader


def test_yaml_nodes_carry_line_and_column() -> None:
    doc = parse_text("models:\n  User:\n    fields:\n      email: string\n", "a.yaml", ".yaml")
    assert doc.diagnostics == ()
    root = _map(doc.root)
    user = _map(_map(root.get("models")).get("User"))
    email = _map(user.get("fields")).get("email")
    assert email == ScalarNode("string", Location("a.yaml", 4, 14))
    key = _map(user.get("fields")).key_node("email")
    assert key is not None and key.location == Location("a.yaml", 4, 7)


def test_yaml_scalars_follow_yaml_and_keep_plain_text() -> None:
    doc = parse_text("a: [yes, 'no', 3, 1.5, null, 2024-01-02]\n", "a.yaml", ".yaml")
    items = _map(doc.root).get("a")
    assert isinstance(items, SeqNode)
    values = [item.value for item in items.items if isinstance(item, ScalarNode)]
    assert values == [True, "no", 3, 1.5, None, "2024-01-02"]
    first = items.items[0]
    assert isinstance(first, ScalarNode) and first.raw == "yes"
    quoted = items.items[1]
    assert isinstance(quoted, ScalarNode) and quoted.raw is None


def test_yaml_anchors_and_merge_keys() -> None:
    text = "base: &b {type: string, max_length: 5}\nx:\n  <<: *b\n  max_length: 9\n"
    doc = parse_text(text, "a.yaml", ".yaml")
    assert doc.diagnostics == ()
    assert to_plain(_map(doc.root).get("x") or MapNode((), Location("a"))) == {
        "max_length": 9,
        "type": "string",
    }


def test_yaml_duplicate_keys_are_reported_with_both_places() -> None:
    doc = parse_text("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "a.yaml", ".yaml")
    assert [d.render() for d in doc.diagnostics] == [
        "a.yaml:5:1: duplicate key 'a' (first at line 1, column 1)",
        "a.yaml:4:3: duplicate key 'c' (first at line 3, column 3)",
    ]


def test_yaml_syntax_error_has_the_parser_position() -> None:
    doc = parse_text("a: [1, 2\nb: 3\n", "a.yaml", ".yaml")
    assert doc.root is None
    (diagnostic,) = doc.diagnostics
    assert diagnostic.location.path == "a.yaml" and diagnostic.location.line == 2
    assert diagnostic.message.startswith("invalid YAML: ")


def test_yaml_multiple_documents_are_an_error() -> None:
    doc = parse_text("a: 1\n---\nb: 2\n", "a.yaml", ".yaml")
    assert doc.root is None
    assert doc.diagnostics[0].message.startswith("invalid YAML: ")


def test_json_positions_of_values_and_keys() -> None:
    text = (
        '{\n  "models": {\n    "User": {"fields": {"a": "int", "b": [1, 2.5, true, null]}}\n'
        "  }\n}\n"
    )
    doc = parse_text(text, "a.json", ".json")
    assert doc.diagnostics == ()
    fields = _map(_map(_map(_map(doc.root).get("models")).get("User")).get("fields"))
    assert fields.get("a") == ScalarNode("int", Location("a.json", 3, 30))
    key = fields.key_node("b")
    assert key is not None and key.location == Location("a.json", 3, 37)
    assert to_plain(fields) == {"a": "int", "b": [1, 2.5, True, None]}


def test_json_unicode_escapes_and_nesting() -> None:
    doc = parse_text('{"a": "caf\\u00e9 \\"q\\"", "b": {"c": []}, "d": -1e3}', "a.json", ".json")
    assert to_plain(doc.root or MapNode((), Location("a"))) == {
        "a": 'café "q"',
        "b": {"c": []},
        "d": -1000.0,
    }


def test_json_syntax_error_has_the_parser_position() -> None:
    doc = parse_text('{"a": 1,\n "b": }', "a.json", ".json")
    assert [d.render() for d in doc.diagnostics] == ["a.json:2:7: invalid JSON: Expecting value"]


def test_json_rejects_nan() -> None:
    doc = parse_text('{"a": NaN}', "a.json", ".json")
    assert doc.root is None and "NaN" in doc.diagnostics[0].message


def test_json_duplicate_keys() -> None:
    doc = parse_text('{"a": 1,\n "a": 2}', "a.json", ".json")
    assert [d.render() for d in doc.diagnostics] == [
        "a.json:2:2: duplicate key 'a' (first at line 1, column 2)"
    ]


def test_load_document_paths_are_relative_to_the_root(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    spec = tmp_path / "schemas" / "a.yaml"
    spec.write_text("enums: {S: [a]}\n", encoding="utf-8")
    doc = load_document(spec, tmp_path)
    assert doc.path == "schemas/a.yaml"
    assert doc.root is not None and doc.root.location == Location("schemas/a.yaml", 1, 1)


def test_load_document_reports_bad_encoding_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: \xff\xfe\n")
    assert "not UTF-8" in load_document(bad, tmp_path).diagnostics[0].message
    bad.write_bytes(b"\xef\xbb\xbfmodels:\n  Caf\xc3\xa9:\n    doc: caf\xe9\n")
    (problem,) = load_document(bad, tmp_path).diagnostics
    assert problem.render() == "bad.yaml:3:13: the file is not UTF-8 text (byte 0xE9)"
    missing = load_document(tmp_path / "missing.yaml", tmp_path)
    assert missing.root is None and "cannot read" in missing.diagnostics[0].message


def test_load_document_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    spec = tmp_path / "a.json"
    spec.write_bytes(b'\xef\xbb\xbf{"enums": {}}')
    assert load_document(spec, tmp_path).diagnostics == ()


def test_document_from_data_keeps_the_path_and_rejects_odd_values() -> None:
    doc = document_from_data({"models": {"A": {"fields": {"x": "int"}}}}, Path("api/openapi.json"))
    assert doc.path == "api/openapi.json"
    assert doc.root is not None and doc.root.location == Location("api/openapi.json")
    assert to_plain(doc.root) == {"models": {"A": {"fields": {"x": "int"}}}}
    bad = document_from_data({"a": object()}, "x.json")
    assert bad.root is None and "cannot appear in a spec" in bad.diagnostics[0].message
    nan = document_from_data({"a": float("nan")}, "x.json")
    assert nan.root is None and "finite" in nan.diagnostics[0].message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 0, 2]), st.booleans())
def test_json_round_trip(value: object, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    doc = parse_text(text, "v.json", ".json")
    if not text.strip():
        return
    assert doc.root is not None
    assert to_plain(doc.root) == json.loads(text)
    assert doc.root.location.line == 1 and doc.root.location.col == 1


def test_paused_gc_leaves_objects_the_caller_froze_frozen() -> None:
    import gc

    from farmgen.spec.source import paused_gc

    gc.freeze()  # as a server does before forking workers
    try:
        frozen = gc.get_freeze_count()
        with paused_gc():
            pass
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
