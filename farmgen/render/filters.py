"""Jinja filters that turn arbitrary spec text into safe literals and comments.

Spec text (descriptions, defaults, enum values, names) reaches generated code only
through these functions, so a description holding ``\"\"\"``, ``*/``, ``{{ }}``,
backslashes or newlines can never end a string, a docstring or a comment early.
Python literals follow black's quote preference so black leaves them unchanged.
"""

from __future__ import annotations

import json
import math
from typing import Any

_PY_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str, quote: str) -> str:
    if ch in _PY_ESCAPES:
        return _PY_ESCAPES[ch]
    if ch == quote:
        return "\\" + ch
    if not ch.isprintable():
        code = ord(ch)
        if code <= 0xFF:
            return f"\\x{code:02x}"
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        return f"\\U{code:08x}"
    return ch


def py_str(value: str) -> str:
    """A Python string literal for ``value``, quoted the way black prefers."""
    if '"' not in value and "\\" not in value and value.isprintable():
        return f'"{value}"'  # the common case, as the general rule below writes it
    quote = "'" if value.count('"') > value.count("'") else '"'
    if value.isprintable() and "\\" not in value and quote not in value:
        return f"{quote}{value}{quote}"
    body = "".join(_escape_char(ch, quote) for ch in value)
    return f"{quote}{body}{quote}"


def py_literal(value: Any) -> str:
    """A Python literal for a JSON value (str, int, float, bool, None, list, dict)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write the non-finite number {value!r} as a default")
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{py_str(str(k))}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise TypeError(f"not a JSON value: {value!r}")


def py_docstring(text: str, indent: str = "    ") -> str:
    """A complete triple-quoted docstring whose text black will not change."""
    lines = [_docstring_line(line) for line in text.strip().splitlines()]
    lines = [line.rstrip() for line in lines]
    lines = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    while lines and not lines[-1]:
        lines.pop()
    body = ("\n").join((indent + line) if i and line else line for i, line in enumerate(lines))
    if len(lines) > 1:
        return f'"""{body}\n{indent}"""'
    if body.endswith('"'):
        body += " "
    return f'"""{body}"""'


def _docstring_line(line: str) -> str:
    out = []
    for ch in line.strip():
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif not ch.isprintable():
            out.append(_escape_char(ch, '"'))
        else:
            out.append(ch)
    return "".join(out)


def py_comment(text: str) -> str:
    """One line of text that is safe inside a ``#`` comment."""
    if text.isprintable():
        return " ".join(text.split())
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def ts_str(value: str) -> str:
    """A TypeScript (JSON-compatible) double-quoted string literal."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def ts_literal(value: Any) -> str:
    """A TypeScript literal for a JSON value."""
    if isinstance(value, str):
        return ts_str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def jsdoc_lines(text: str) -> list[str]:
    """The lines of a JSDoc comment body; ``*/`` can never close the comment early."""
    lines = [py_comment(line).replace("*/", "*\\/") for line in text.strip().splitlines()]
    return [line for line in lines if line] or [""]


FILTERS = {
    "py_str": py_str,
    "py_literal": py_literal,
    "py_docstring": py_docstring,
    "py_comment": py_comment,
    "ts_str": ts_str,
    "ts_literal": ts_literal,
    "jsdoc_lines": jsdoc_lines,
}
