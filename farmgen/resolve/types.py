"""Resolve a field's type expression against the declared names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from farmgen.diagnostics import Location
from farmgen.ir.types import (
    DictOf,
    EmbeddedRef,
    EnumRef,
    FieldType,
    ListOf,
    ModelRef,
    Scalar,
    ScalarKind,
)
from farmgen.resolve.context import Context, closest, did_you_mean
from farmgen.resolve.declarations import SCALAR_NAMES, TYPE_CONSTRUCTORS
from farmgen.resolve.typeexpr import (
    TDict,
    TList,
    TName,
    TRef,
    TypeExpr,
    TypeSyntaxError,
    parse_type,
)
from farmgen.spec.nodes import ScalarNode


@dataclass(frozen=True)
class TypeScope:
    """What names mean: each declared name → ``enum``, ``embedded type`` or ``model``."""

    kinds: Mapping[str, str]


class _Unresolved(Exception):
    """Raised inside resolution after the error was reported."""


@dataclass
class _TypeResolver:
    ctx: Context
    scope: TypeScope
    text: str
    owner: str
    location: Location
    in_model: bool
    precise: bool
    """Whether columns inside the text are columns in the file (a one-line plain scalar)."""
    offset: int = 0
    """Where in the text the name being resolved starts."""

    def fail(self, code: str, message: str, hint: str | None = None) -> _Unresolved:
        self.ctx.error(at_offset(self.location, self.offset, self.precise), code, message, hint)
        return _Unresolved()

    def resolve(self, expr: TypeExpr, top: bool, list_item: bool = False) -> FieldType:
        if isinstance(expr, TName):
            self.offset = expr.offset
            return self.named(expr.name)
        if isinstance(expr, TList):
            return ListOf(self.resolve(expr.item, top=False, list_item=top))
        if isinstance(expr, TDict):
            key = self.resolve(expr.key, top=False)
            self.offset = expr.key.offset if isinstance(expr.key, TName) else self.offset
            if key != Scalar(ScalarKind.STRING):
                raise self.fail(
                    "dict-key", f"dict keys must be string in type '{self.text}' for {self.owner}"
                )
            return DictOf(self.resolve(expr.value, top=False))
        return self.ref(expr, top or list_item)

    def ref(self, expr: TRef, allowed_here: bool) -> FieldType:
        name = expr.target.name
        self.offset = expr.target.offset
        kind = self.scope.kinds.get(name)
        if kind is None:
            models = [n for n, k in self.scope.kinds.items() if k == "model"]
            raise self.fail(
                "unknown-model",
                f"unknown model '{name}' in ref[{name}] for {self.owner}",
                did_you_mean(name, models),
            )
        if kind != "model":
            raise self.fail(
                "ref-not-model",
                f"ref[{name}] for {self.owner}: '{name}' is {_a(kind)}, not a model",
                f"use '{name}' without ref[...]",
            )
        if not self.in_model:
            raise self.fail(
                "ref-in-embedded",
                f"ref[{name}] for {self.owner}: embedded types cannot hold refs, only models can",
            )
        if not allowed_here:
            raise self.fail(
                "ref-position",
                f"ref[{name}] for {self.owner}: a ref can only be a field's type or a list's "
                "item type",
                f"write ref[{name}] or list[ref[{name}]]: refs do not nest in dicts or "
                "deeper lists",
            )
        return ModelRef(name)

    def named(self, name: str) -> FieldType:
        if name in SCALAR_NAMES:
            return Scalar(ScalarKind(name))
        kind = self.scope.kinds.get(name)
        if kind == "enum":
            return EnumRef(name)
        if kind == "embedded type":
            return EmbeddedRef(name)
        if kind == "model":
            raise self.fail(
                "model-as-type",
                f"'{name}' is a model: {self.owner} must refer to it as ref[{name}]",
            )
        if name in TYPE_CONSTRUCTORS:
            shape = {"dict": "dict[string, T]", "list": "list[T]", "ref": "ref[Model]"}[name]
            raise self.fail(
                "missing-parameter", f"type '{name}' for {self.owner} needs parameters: {shape}"
            )
        candidates = [*SCALAR_NAMES, *(n for n, k in self.scope.kinds.items() if k != "model")]
        hint = did_you_mean(name, candidates)
        if hint is None:
            model = closest(name, [n for n, k in self.scope.kinds.items() if k == "model"])
            hint = f"did you mean 'ref[{model}]'?" if model else None
        raise self.fail("unknown-type", f"unknown type '{name}' for {self.owner}", hint)


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def at_offset(location: Location, offset: int, precise: bool) -> Location:
    """The location ``offset`` characters into a scalar that starts at ``location``."""
    if not precise or location.line <= 0 or location.col <= 0:
        return location
    return Location(location.path, location.line, location.col + offset)


def resolve_type(
    ctx: Context,
    scope: TypeScope,
    node: ScalarNode,
    *,
    owner: str,
    in_model: bool,
) -> tuple[FieldType, bool] | None:
    """``(type, optional)`` for a type expression, or None after reporting why not.

    Errors point at the offending name inside the expression when the text is a
    one-line plain YAML scalar (where text offsets are file columns), else at its start.
    """
    text = str(node.value)
    precise = node.raw == text and "\n" not in text
    try:
        parsed = parse_type(text)
    except TypeSyntaxError as exc:
        where = at_offset(node.location, exc.offset, precise)
        ctx.error(where, "type-syntax", f"invalid type '{text}' for {owner}: {exc.message}")
        return None
    resolver = _TypeResolver(ctx, scope, text, owner, node.location, in_model, precise)
    try:
        return resolver.resolve(parsed.expr, top=True), parsed.optional
    except _Unresolved:
        return None
