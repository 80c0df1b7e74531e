"""The one-step match of common type expressions gives exactly what the parser gives."""

from __future__ import annotations

import random

import pytest

from farmgen.resolve.typeexpr import (
    ParsedType,
    TList,
    TName,
    TRef,
    TypeSyntaxError,
    _common_form,
    _Parser,
)


def _parsed(text: str) -> ParsedType | None:
    try:
        return _Parser(text).parse()
    except TypeSyntaxError:
        return None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("string", ParsedType(TName("string", 0), False)),
        ("  int ? ", ParsedType(TName("int", 2), True)),
        ("ref[User]", ParsedType(TRef(TName("User", 4)), False)),
        ("ref [ Üser ] ?", ParsedType(TRef(TName("Üser", 6)), True)),
        ("list[ref[Tag]]?", ParsedType(TList(TRef(TName("Tag", 9))), True)),
        ("list", ParsedType(TName("list", 0), False)),
    ],
)
def test_common_forms(text: str, expected: ParsedType) -> None:
    assert _common_form(text) == expected
    assert _parsed(text) == expected


@pytest.mark.parametrize(
    "text", ["refX[A]", "list[ref[A]?]", "ref[A]]", "ref[1A]", "a?b", "", "list[string]", "?"]
)
def test_other_texts_are_left_to_the_parser(text: str) -> None:
    assert _common_form(text) is None


def test_random_texts_agree_with_the_parser() -> None:
    rng = random.Random(7)
    atoms = ["ref", "list", "dict", "X", "Ü", "a1", "_", "1", "[", "]", ",", "?", " ", "\t"]
    atoms.append("\u2003")  # an em space: Unicode whitespace
    matched = 0
    for _ in range(20_000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(1, 8)))
        fast = _common_form(text)
        if fast is not None:
            matched += 1
            assert fast == _parsed(text), text
    assert matched > 1000
