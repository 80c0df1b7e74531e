"""The literal and comment filters: whatever the text, it stays inside its literal."""

from __future__ import annotations

import ast
import json

import black
from hypothesis import given
from hypothesis import strategies as st

from farmgen.render.filters import (
    jsdoc_lines,
    py_comment,
    py_docstring,
    py_literal,
    py_str,
    ts_literal,
    ts_str,
)

TRICKY = ['"""', "*/", "{{ x }}", "{% if %}", "\\", "'", '"', "\n", "\r", "\t", "\x00", "\u2028"]
texts = st.text() | st.lists(st.sampled_from([*TRICKY, "a", " ", "é"])).map("".join)


@given(texts)
def test_py_str_round_trips_and_black_keeps_it(value: str) -> None:
    literal = py_str(value)
    assert ast.literal_eval(literal) == value
    source = f"x = {literal}\n"
    assert black.format_str(source, mode=black.Mode(line_length=10_000)) == source


@given(texts)
def test_py_docstring_is_one_string_black_keeps(value: str) -> None:
    if not value.strip():
        return
    source = f"class A:\n    {py_docstring(value)}\n\n    x = 1\n"
    assert black.format_str(source, mode=black.Mode(line_length=10_000)) == source
    namespace: dict[str, object] = {}
    exec(compile(source, "<docstring>", "exec"), namespace)
    doc = namespace["A"].__doc__  # type: ignore[attr-defined]
    assert isinstance(doc, str)
    assert namespace["A"].x == 1  # type: ignore[attr-defined]
    # Words survive; only surrounding whitespace and line-end spaces may change.
    assert "".join(doc.split()) == "".join(value.split())


def test_py_literal_of_nested_json() -> None:
    value = {"a": [1, 2.5, None, True, 'x"y'], "b": {}}
    assert ast.literal_eval(py_literal(value)) == value


@given(texts)
def test_ts_str_is_json_and_has_no_raw_line_separators(value: str) -> None:
    literal = ts_str(value)
    assert json.loads(literal) == value
    assert "\u2028" not in literal and "\n" not in literal
    assert json.loads(ts_literal(value)) == value


@given(texts)
def test_jsdoc_lines_never_close_the_comment(value: str) -> None:
    for line in jsdoc_lines(value):
        assert "*/" not in line
        assert "\n" not in line and "\r" not in line


@given(texts)
def test_py_comment_is_one_line(value: str) -> None:
    assert "\n" not in py_comment(value) and "\r" not in py_comment(value)
