"""The type-expression language: ``string?``, ``list[Tag]``, ``dict[string, json]``, ``ref[User]``.

Parsing gives an unresolved tree (names are not looked up yet); :mod:`farmgen.resolve.types`
turns it into an IR :data:`~farmgen.ir.FieldType`. Offsets are 0-based positions in the
expression text, for error columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"\s*(?:(?P<name>[^\W\d]\w*)|(?P<punct>[\[\],?])|(?P<bad>\S))", re.UNICODE)


@dataclass(frozen=True)
class TName:
    name: str
    offset: int


@dataclass(frozen=True)
class TList:
    item: TypeExpr


@dataclass(frozen=True)
class TDict:
    key: TypeExpr
    value: TypeExpr


@dataclass(frozen=True)
class TRef:
    target: TName


TypeExpr = TName | TList | TDict | TRef


@dataclass(frozen=True)
class ParsedType:
    expr: TypeExpr
    optional: bool


class TypeSyntaxError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class _Token:
    text: str
    offset: int
    is_name: bool


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # only trailing whitespace is left
            break
        kind = match.lastgroup
        start = match.start(kind) if kind else pos
        if kind == "bad":
            raise TypeSyntaxError(f"unexpected character '{match.group(kind)}'", start)
        if kind is not None:
            tokens.append(_Token(match.group(kind), start, kind == "name"))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def end_offset(self) -> int:
        return len(self.text.rstrip())

    def expect(self, text: str) -> None:
        token = self.peek()
        if token is None or token.text != text:
            found = f"'{token.text}'" if token else "the end"
            offset = token.offset if token else self.end_offset()
            raise TypeSyntaxError(f"expected '{text}' but found {found}", offset)
        self.index += 1

    def name(self) -> TName:
        token = self.peek()
        if token is None or not token.is_name:
            found = f"'{token.text}'" if token else "the end"
            offset = token.offset if token else self.end_offset()
            raise TypeSyntaxError(f"expected a type name but found {found}", offset)
        self.index += 1
        return TName(token.text, token.offset)

    def expr(self) -> TypeExpr:
        head = self.name()
        token = self.peek()
        if token is None or token.text != "[":
            return head
        self.index += 1
        result: TypeExpr
        if head.name == "list":
            result = TList(self.inner())
        elif head.name == "dict":
            key = self.inner()
            self.expect(",")
            result = TDict(key, self.inner())
        elif head.name == "ref":
            result = TRef(self.name())
        else:
            raise TypeSyntaxError(
                f"'{head.name}' takes no parameters (only list, dict and ref do)", token.offset
            )
        self.expect("]")
        return result

    def inner(self) -> TypeExpr:
        expr = self.expr()
        token = self.peek()
        if token is not None and token.text == "?":
            raise TypeSyntaxError("'?' can only end a field's type, not an item type", token.offset)
        return expr

    def parse(self) -> ParsedType:
        if not self.tokens:
            raise TypeSyntaxError("the type is empty", 0)
        expr = self.expr()
        optional = False
        token = self.peek()
        if token is not None and token.text == "?":
            optional = True
            self.index += 1
        token = self.peek()
        if token is not None:
            raise TypeSyntaxError(f"unexpected '{token.text}' after the type", token.offset)
        return ParsedType(expr, optional)


_NAME = r"(?P<name>[^\W\d]\w*)"
_OPTIONAL_END = r"\s*(?P<optional>\?)?\s*"
_PLAIN = re.compile(rf"\s*{_NAME}{_OPTIONAL_END}", re.UNICODE)
_REF = re.compile(rf"\s*ref\s*\[\s*{_NAME}\s*\]{_OPTIONAL_END}", re.UNICODE)
_LIST_OF_REF = re.compile(
    rf"\s*list\s*\[\s*ref\s*\[\s*{_NAME}\s*\]\s*\]{_OPTIONAL_END}", re.UNICODE
)


def _common_form(text: str) -> ParsedType | None:
    """``Name``, ``ref[Name]`` or ``list[ref[Name]]`` (each maybe with ``?``), matched
    in one step: what :class:`_Parser` gives for them, without tokens."""
    match = _PLAIN.fullmatch(text)
    if match is not None:
        return ParsedType(TName(match["name"], match.start("name")), bool(match["optional"]))
    match = _REF.fullmatch(text)
    if match is not None:
        target = TName(match["name"], match.start("name"))
        return ParsedType(TRef(target), bool(match["optional"]))
    match = _LIST_OF_REF.fullmatch(text)
    if match is not None:
        target = TName(match["name"], match.start("name"))
        return ParsedType(TList(TRef(target)), bool(match["optional"]))
    return None


@lru_cache(maxsize=4096)
def parse_type(text: str) -> ParsedType:
    """Parse a type expression; raises :class:`TypeSyntaxError` with an offset.

    Results are cached: specs repeat the same few type expressions many times.
    """
    return _common_form(text) or _Parser(text).parse()
