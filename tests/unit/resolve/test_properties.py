"""Property tests: random valid specs load into the IR they describe; junk gives diagnostics."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farmgen.diagnostics import Severity, SpecError
from farmgen.ir import MIXIN_NAMES, Default, render_type
from farmgen.ir.names import enum_member_name
from farmgen.resolve import resolve_documents, resolve_with_diagnostics
from farmgen.spec import document_from_data, parse_text
from farmgen.spec.format import FIELD_KEYS, INDEX_KEYS, MODEL_KEYS, TOP_LEVEL_KEYS

SCALARS = ["string", "text", "int", "float", "decimal", "bool", "datetime", "date", "time",
           "uuid", "email", "url", "bytes", "json", "objectid"]  # fmt: skip
SCALAR_DEFAULTS: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(max_size=10),
    "int": st.integers(-1000, 1000),
    "float": st.floats(-1e6, 1e6, allow_nan=False),
    "bool": st.booleans(),
    "date": st.dates().map(lambda d: d.isoformat()),
    "uuid": st.uuids().map(str),
    "json": st.recursive(
        st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=6,
    ).filter(lambda value: value is not None),
}
"""Defaults per scalar type (a null default needs an optional type, even for json)."""
SUFFIX = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
ENUM_VALUE = st.from_regex(r"[a-z][a-z0-9_ -]{0,8}", fullmatch=True)


@dataclass
class Expected:
    """What the IR must contain for a generated spec."""

    data: dict[str, Any] = field(default_factory=dict)
    types: dict[tuple[str, str], str] = field(default_factory=dict)
    defaults: dict[tuple[str, str], Any] = field(default_factory=dict)


@st.composite
def field_type(draw: st.DrawFn, enums: dict[str, list[str]], embedded: list[str],
               models: list[str], *, in_model: bool) -> tuple[str, Any]:  # fmt: skip
    """A type expression and a default that fits it (or ``...`` for none)."""
    choices = ["scalar", "list", "dict"]
    choices += ["enum"] * bool(enums) + ["embedded"] * bool(embedded)
    choices += ["ref", "many"] * (bool(models) and in_model)
    kind = draw(st.sampled_from(choices))
    default: Any = ...
    if kind == "scalar":
        text = draw(st.sampled_from(SCALARS))
        if text in SCALAR_DEFAULTS and draw(st.booleans()):
            default = draw(SCALAR_DEFAULTS[text])
    elif kind == "list":
        text = f"list[{draw(st.sampled_from(SCALARS))}]"
        default = [] if draw(st.booleans()) else ...
    elif kind == "dict":
        text = f"dict[string, {draw(st.sampled_from(SCALARS))}]"
        default = {} if draw(st.booleans()) else ...
    elif kind == "enum":
        text = draw(st.sampled_from(sorted(enums)))
        if draw(st.booleans()):
            default = draw(st.sampled_from(enums[text]))
    elif kind == "embedded":
        text = draw(st.sampled_from(embedded))
    elif kind == "ref":
        text = f"ref[{draw(st.sampled_from(models))}]"
    else:
        text = f"list[ref[{draw(st.sampled_from(models))}]]"
    if draw(st.booleans()):
        text += "?"
        if default is ... and draw(st.booleans()):
            default = None
    return text, default


@st.composite
def fields_of(draw: st.DrawFn, owner: str, expected: Expected, enums: dict[str, list[str]],
              embedded: list[str], *, models: list[str], in_model: bool
              ) -> dict[str, Any]:  # fmt: skip
    fields: dict[str, Any] = {}
    for j in range(draw(st.integers(0 if in_model else 1, 5))):
        name = f"f{j}_{draw(SUFFIX)}"
        text, default = draw(field_type(enums, embedded, models, in_model=in_model))
        expected.types[(owner, name)] = text
        if default is ... and not draw(st.booleans()):
            fields[name] = text
            continue
        spec: dict[str, Any] = {"type": text}
        if default is not ...:
            spec["default"] = default
            expected.defaults[(owner, name)] = default
        spec["description"] = draw(st.none() | st.text(max_size=10))
        fields[name] = spec
    return fields


@st.composite
def valid_specs(draw: st.DrawFn) -> Expected:
    expected = Expected()
    enums: dict[str, list[str]] = {}
    for i in range(draw(st.integers(0, 3))):
        values = draw(st.lists(ENUM_VALUE, min_size=1, max_size=5, unique_by=enum_member_name))
        enums[f"Enum{i}{draw(SUFFIX)}"] = values
    embedded_names: list[str] = []
    embedded: dict[str, Any] = {}
    for i in range(draw(st.integers(0, 3))):
        name = f"Emb{i}{draw(SUFFIX)}"
        fields = draw(fields_of(name, expected, enums, embedded_names, models=[], in_model=False))
        embedded[name] = {"fields": fields}
        embedded_names.append(name)
    model_names = [f"Model{i}{draw(SUFFIX)}" for i in range(draw(st.integers(1, 4)))]
    models: dict[str, Any] = {}
    for name in model_names:
        fields = draw(
            fields_of(name, expected, enums, embedded_names, models=model_names, in_model=True)
        )
        mixins = draw(st.lists(st.sampled_from(MIXIN_NAMES), unique=True))
        model: dict[str, Any] = {"fields": fields, "mixins": mixins}
        if "searchable" in mixins and fields:
            model["search"] = [next(iter(fields))]
        indexable = [f for f in fields if _indexable(expected.types[(name, f)], enums)]
        # An e-mail (320) and two 255-character strings exceed MySQL's index key length.
        indexable = [f for f in indexable if expected.types[(name, f)].rstrip("?") != "email"]
        indexable += ["created_at"] * ("timestamps" in mixins)
        if indexable:
            model["indexes"] = draw(index_entries(indexable))
        models[name] = model
    expected.data = {"farmgen": 1, "enums": enums, "embedded": embedded, "models": models}
    return expected


def _indexable(type_text: str, enums: dict[str, list[str]]) -> bool:
    base = type_text.rstrip("?")
    return (
        base in set(SCALARS) - {"json", "bytes", "text"} or base in enums or base.startswith("ref[")
    )


@st.composite
def index_entries(draw: st.DrawFn, fields: list[str]) -> list[Any]:
    """Indexes in every written form, never two on the same fields."""
    keys = st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True)
    chosen = draw(st.lists(keys, max_size=3, unique_by=tuple))
    entries: list[Any] = []
    for paths in chosen:
        written = [p if draw(st.booleans()) else {p: draw(st.sampled_from(["asc", "desc"]))}
                   for p in paths]  # fmt: skip
        form = draw(st.sampled_from(["list", "mapping", "string"]))
        if form == "string" and len(paths) == 1 and isinstance(written[0], str):
            entries.append(written[0])
        elif form == "mapping":
            entries.append({"fields": written, "unique": draw(st.booleans())})
        else:
            entries.append(written)
    return entries


def _index_shape(entry: Any) -> tuple[tuple[str, bool], ...]:
    written = [entry] if isinstance(entry, str) else entry
    written = written["fields"] if isinstance(written, dict) else written
    return tuple(
        (k, False) if isinstance(k, str) else (next(iter(k)), next(iter(k.values())) == "desc")
        for k in written
    )


def _dump(data: dict[str, Any], as_json: bool) -> tuple[str, str, str]:
    if as_json:
        return json.dumps(data), "spec.json", ".json"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "spec.yaml", ".yaml"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_specs(), st.booleans())
def test_random_valid_specs_load_into_the_ir(expected: Expected, as_json: bool) -> None:
    text, name, suffix = _dump(expected.data, as_json)
    schema = resolve_documents([parse_text(text, name, suffix)])
    assert [m.name for m in schema.models] == list(expected.data["models"])
    assert [e.name for e in schema.enums] == list(expected.data["enums"])
    for enum in schema.enums:
        assert list(enum.value_strings) == expected.data["enums"][enum.name]
    owners = {**schema.model_map, **schema.embedded_map}
    for (owner, field_name), type_text in expected.types.items():
        found = owners[owner].field_map[field_name]
        assert render_type(found.type) + ("?" if found.optional else "") == type_text
        if (owner, field_name) in expected.defaults:
            assert found.default == Default.of(expected.defaults[(owner, field_name)])
        elif found.optional:
            assert found.default == Default.of(None)
    for model in schema.models:
        spec = expected.data["models"][model.name]
        assert model.mixins == tuple(m for m in MIXIN_NAMES if m in spec["mixins"])
        assert [f.name for f in model.own_fields] == list(spec["fields"])
        declared = [i for i in model.indexes if not i.from_field and not i.text]
        assert [tuple((k.path, k.descending) for k in i.keys) for i in declared] == [
            _index_shape(entry) for entry in spec.get("indexes", [])
        ]


VOCABULARY = [*TOP_LEVEL_KEYS, *FIELD_KEYS, *MODEL_KEYS, *INDEX_KEYS, "values", "User", "x"]
SCALAR_JUNK = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.sampled_from([*SCALARS, "list[", "ref[User]", "User", "x?", "asc", "desc", "cascade"])
    | st.text(max_size=8)
)  # fmt: skip
JUNK = st.recursive(
    SCALAR_JUNK,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(VOCABULARY) | st.text(max_size=5), inner, max_size=5),
    max_leaves=30,
)


def _only_spec_errors(documents: list[Any]) -> None:
    try:
        schema, diagnostics = resolve_with_diagnostics(documents)
    except SpecError:  # pragma: no cover - resolve_with_diagnostics returns, never raises
        raise AssertionError("resolve_with_diagnostics raised") from None
    if schema is None:
        assert any(d.severity is Severity.ERROR for d in diagnostics)
        for d in diagnostics:
            assert d.message and d.location.path


@settings(max_examples=300, deadline=None)
@given(JUNK)
def test_junk_data_only_gives_diagnostics(data: Any) -> None:
    _only_spec_errors([document_from_data(data, "junk.json")])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["enums", "embedded", "models"]), JUNK, max_size=3))
def test_spec_shaped_junk_only_gives_diagnostics(data: dict[str, Any]) -> None:
    _only_spec_errors([document_from_data(data, "junk.yaml")])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.sampled_from([".yaml", ".json"]))
def test_junk_text_only_gives_diagnostics(text: str, suffix: str) -> None:
    _only_spec_errors([parse_text(text, "junk" + suffix, suffix)])


FIELD_JUNK = st.sampled_from(["string", "ref[User]", "list[ref[Post]]", "Kind", "Box", "int?"]) | (
    st.dictionaries(st.sampled_from(FIELD_KEYS), SCALAR_JUNK | JUNK, max_size=4)
)
MODEL_JUNK = st.dictionaries(
    st.sampled_from(MODEL_KEYS),
    st.dictionaries(st.sampled_from(["a", "b", "created_at", "id"]), FIELD_JUNK, max_size=3)
    | st.lists(st.sampled_from(["a", "b", "box.x", "timestamps", "searchable"]) | JUNK, max_size=3)
    | SCALAR_JUNK,
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["User", "Post"]), MODEL_JUNK, max_size=2),
    st.dictionaries(st.sampled_from(["a", "x"]), FIELD_JUNK, max_size=2),
)
def test_model_shaped_junk_only_gives_diagnostics(models: Any, box_fields: Any) -> None:
    data = {
        "enums": {"Kind": ["a", "b"]},
        "embedded": {"Box": {"fields": box_fields}},
        "models": models,
    }
    _only_spec_errors([document_from_data(data, "junk.yaml")])


YAML_TOKENS = [
    "!!int ", "!!float ", "!!bool ", "!!str ", "!!null ", "!!binary ", "!!timestamp ", "!custom ",
    "&a ", "*a", "&b ", "*b", "<<: ", "? ", "- ", "[", "]", "{", "}", ", ", ": ", "\n", "  ",
    "models", "fields", "type", "User", "x", "1", "-2.5", ".nan", ".inf", "yes", "~", '"q"', "'s'",
    "#c", "---\n", "|\n  t\n", "\t",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join))
def test_yaml_shaped_junk_only_gives_diagnostics(text: str) -> None:
    _only_spec_errors([parse_text(text, "junk.yaml", ".yaml")])
