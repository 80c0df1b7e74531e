"""The type-expression parser."""

from __future__ import annotations

import pytest

from farmgen.resolve.typeexpr import TDict, TList, TName, TRef, TypeSyntaxError, parse_type


@pytest.mark.parametrize(
    ("text", "expr", "optional"),
    [
        ("string", TName("string", 0), False),
        ("string?", TName("string", 0), True),
        ("  int ? ", TName("int", 2), True),
        ("list[string]", TList(TName("string", 5)), False),
        ("list[string]?", TList(TName("string", 5)), True),
        ("dict[string, json]", TDict(TName("string", 5), TName("json", 13)), False),
        ("ref[User]?", TRef(TName("User", 4)), True),
        ("list[ref[Tag]]", TList(TRef(TName("Tag", 9))), False),
        ("list[list[int]]", TList(TList(TName("int", 10))), False),
        ("Café", TName("Café", 0), False),
    ],
)
def test_parses(text: str, expr: object, optional: bool) -> None:
    parsed = parse_type(text)
    assert parsed.expr == expr
    assert parsed.optional is optional


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("", "the type is empty", 0),
        ("list[", "expected a type name but found the end", 5),
        ("list[string", "expected ']' but found the end", 11),
        ("dict[string]", "expected ',' but found ']'", 11),
        ("list[string?]", "'?' can only end a field's type, not an item type", 11),
        ("string??", "unexpected '?' after the type", 7),
        ("string int", "unexpected 'int' after the type", 7),
        ("str$", "unexpected character '$'", 3),
        ("foo[bar]", "'foo' takes no parameters (only list, dict and ref do)", 3),
        ("ref[list[User]]", "expected ']' but found '['", 8),
        ("1abc", "unexpected character '1'", 0),
    ],
)
def test_syntax_errors(text: str, message: str, offset: int) -> None:
    with pytest.raises(TypeSyntaxError) as info:
        parse_type(text)
    assert (info.value.message, info.value.offset) == (message, offset)
