"""Field patterns are checked with the regex engine pydantic uses, not only Python's ``re``.

pydantic validates ``pattern`` with its Rust regex engine by default. That engine has
no look-around and no backreferences, so a pattern Python accepts can make a generated
model fail at import time. The resolver reports such a pattern instead.
"""

from __future__ import annotations

from functools import lru_cache

PATTERN_HINT = (
    "write it without (?=, (?!, (?<=, (?<! and \\1, for example as simpler checks in code"
)
_LOOK_AROUND = "uses look-around or backreferences, which pydantic's regex engine does not support"

_UNSUPPORTED = ("look-around", "backreference")


@lru_cache(maxsize=256)
def pydantic_pattern_problem(pattern: str) -> str | None:
    """Why pydantic's regex engine rejects ``pattern`` (None if it accepts it)."""
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError as exc:
        return _describe(str(exc))
    return None


def _describe(message: str) -> str:
    lines = message.splitlines()
    where = _position(lines)
    if any(word in message for word in _UNSUPPORTED):
        return f"{_LOOK_AROUND}{where}"
    stripped = [line.strip() for line in lines]
    errors = [line[len("error:") :].strip() for line in stripped if line.startswith("error:")]
    reason = errors[0] if errors else lines[-1].strip()
    return f"is not supported by pydantic's regex engine: {reason}{where}"


def _position(lines: list[str]) -> str:
    """`` at position N`` from the caret line under the echoed pattern ('' if absent)."""
    for index in range(1, len(lines)):
        caret = lines[index]
        if caret.strip() and set(caret.strip()) == {"^"}:
            echoed = lines[index - 1]
            offset = caret.index("^") - (len(echoed) - len(echoed.lstrip()))
            return f" (at position {offset})" if offset >= 0 else ""
    return ""
