"""Template rendering: the Jinja environment and the filters for safe literals."""

from farmgen.render.environment import TemplateRenderer, environment
from farmgen.render.filters import (
    jsdoc_lines,
    py_comment,
    py_docstring,
    py_literal,
    py_str,
    ts_literal,
    ts_str,
)

__all__ = [
    "TemplateRenderer",
    "environment",
    "jsdoc_lines",
    "py_comment",
    "py_docstring",
    "py_literal",
    "py_str",
    "ts_literal",
    "ts_str",
]
