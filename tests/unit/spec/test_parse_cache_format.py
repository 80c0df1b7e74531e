"""The parse cache's flat record format: decoding gives back the parser's exact tree."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest

from farmgen.spec.nodes import MapNode
from farmgen.spec.parse_cache import FORMAT, cache_key, decode, encode, entry_path, read_entry
from farmgen.spec.source import parse_text

TRICKY = """\
base: &base {a: 1, b: [x, 'y', "z"]}
models:
  Deep: {fields: {x: [[[1, 2.5, -3e4]], {}], y: [], z: null, t: yes, "q": ~}}
  Merged:
    <<: *base
    b: own
    again: *base
  Empty: {}
big: 123456789012345678901234567890
text: |
  two
  lines
"""


def _tree(text: str, suffix: str = ".yaml") -> Any:
    document = parse_text(text, "schemas/x" + suffix, suffix)
    assert document.root is not None and not document.diagnostics
    return document.root


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        (TRICKY, ".yaml"),
        ("[]", ".yaml"),
        ("just a scalar", ".yaml"),
        ('{"a": [1, {"b": null}, [], {}], "c": 1.5, "d": false}', ".json"),
    ],
)
def test_a_tree_round_trips_with_locations_and_raw_text(text: str, suffix: str) -> None:
    tree = _tree(text, suffix)
    back = decode(marshal.loads(marshal.dumps(encode(tree))), "schemas/x" + suffix)
    assert back == tree
    assert repr(back) == repr(tree)
    assert type(back) is type(tree)


def test_decoded_nodes_are_frozen_and_hashable_like_parsed_ones() -> None:
    tree = _tree(TRICKY)
    back = decode(encode(tree), "schemas/x.yaml")
    assert isinstance(back, MapNode)
    assert hash(back.entries[0][0].location) == hash(tree.entries[0][0].location)
    with pytest.raises(AttributeError):
        back.location = tree.location  # type: ignore[misc]


@pytest.mark.parametrize(
    "records",
    [
        (),
        ((0, 1, 1, "a", None), (0, 1, 2, "b", None)),  # two roots
        ((1, 1, 1, 1),),  # a list of a node that is not there
        ((0, 1, 1, "a", None), (1, 1, 1, -1)),
        ((2, 1, 1, (("k", 1, 1),)),),  # a mapping value that is not there
        ((2, 1, 1, (("k", 1),)),),
        ((7, 1, 1),),
        ((0, 1),),
        (5,),
    ],
)
def test_malformed_records_raise(records: Any) -> None:
    with pytest.raises((ValueError, TypeError, IndexError)):
        decode(records, "x.yaml")


def test_a_malformed_entry_reads_as_absent(tmp_path: Path) -> None:
    key = cache_key(b"x", "x.yaml", ".yaml")
    entry = entry_path(tmp_path, key)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(marshal.dumps((FORMAT, key, ((1, 1, 1, 3),))))
    assert read_entry(tmp_path, key, "x.yaml") is None
    entry.write_bytes(marshal.dumps((FORMAT, key, encode(_tree("a: 1")))))
    found = read_entry(tmp_path, key, "x.yaml")
    assert found is not None
    assert found.root == parse_text("a: 1", "x.yaml", ".yaml").root
