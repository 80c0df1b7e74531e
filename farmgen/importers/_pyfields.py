"""Pydantic and Beanie fields (``name: T = value`` / ``Field(...)``) → farmgen fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from farmgen.importers._pysource import (
    CallArgs,
    NotLiteral,
    SourceFile,
    call_args,
    call_name,
    dotted,
    last,
    literal,
)
from farmgen.importers._pytypes import Hint, TypeReader, constraint_kwargs
from farmgen.importers.specdata import FIELD_KEYS, FieldSpec, field_name, fit_constraints

EXTENSION_KEY = "x-farmgen"
EMPTY_FACTORIES: dict[str, Any] = {
    "list": [], "List": [], "dict": {}, "Dict": {}, "set": [], "tuple": [],
}
SKIPPED_NAMES = frozenset({"model_config", "Settings", "Config", "__slots__"})


class Context:
    """What field readers share: the type reader, enum members, and the warning sink.

    ``label`` (``Class.field``) prefixes every warning.
    """

    def __init__(
        self,
        kinds: Mapping[str, str],
        members: Mapping[str, Any],
        report: Callable[[SourceFile, cst.CSTNode, str], None],
        file: SourceFile,
    ) -> None:
        self.members = members
        """``Enum.MEMBER`` → stored value."""
        self.embedded = frozenset(n for n, k in kinds.items() if k == "embedded")
        self.report = report
        self.file = file
        self.label = ""
        self.reader = TypeReader(kinds, self.warn, file.canonical)

    def warn(self, node: cst.CSTNode, message: str) -> None:
        self.report(self.file, node, f"{self.label}: {message}" if self.label else message)

    def literal(self, node: cst.BaseExpression, what: str) -> tuple[bool, Any]:
        try:
            return True, literal(node, self.members)
        except NotLiteral:
            self.warn(node, f"{what} {self.file.code(node)} cannot be mapped; ignored")
            return False, None


@dataclass
class Found:
    """A field read from a class body, with the name it is stored under."""

    attr: str
    stored: str
    spec: FieldSpec
    node: cst.CSTNode
    extra: dict[str, Any] = field(default_factory=dict)


def pydantic_field(statement: cst.AnnAssign, ctx: Context) -> Found | None:
    """A pydantic/Beanie field, or None for what is not stored (ClassVar, private attrs)."""
    if not isinstance(statement.target, cst.Name):
        return None
    attr = statement.target.value
    if attr.startswith("_") or attr in SKIPPED_NAMES:
        return None
    hint = ctx.reader.read(statement.annotation.annotation, statement)
    if hint.skip:
        return None
    calls = list(hint.metadata)
    value = statement.value
    default: tuple[bool, Any] = (False, None)
    if value is not None and call_name(value) == "Field" and isinstance(value, cst.Call):
        calls.append(value)
    elif value is not None:
        default = ctx.literal(value, "the default")
    found = Found(attr, attr, FieldSpec(hint.type, hint.optional, dict(hint.attrs)), statement)
    for call in calls:
        default = _field_call(found, call_args(call), ctx, hint, default)
    _set_default(found.spec, default)
    return found


def _field_call(
    found: Found, args: CallArgs, ctx: Context, hint: Hint, default: tuple[bool, Any]
) -> tuple[bool, Any]:
    kw = args.keywords
    warn = _warner(ctx, found.node)
    if args.positional and not isinstance(args.positional[0], cst.Ellipsis):
        default = ctx.literal(args.positional[0], "the default")
    if "default" in kw and not isinstance(kw["default"], cst.Ellipsis):
        default = ctx.literal(kw["default"], "the default")
    if "default_factory" in kw:
        default = factory_default(kw["default_factory"], ctx, hint)
    for key in ("alias", "validation_alias", "serialization_alias"):
        if key in kw:
            ok, alias = ctx.literal(kw[key], f"the {key}")
            if ok and isinstance(alias, str):
                found.stored = alias
    found.spec.attrs.update(constraint_kwargs(kw, warn))
    if "description" in kw:
        ok, text = ctx.literal(kw["description"], "the description")
        if ok and isinstance(text, str):
            found.spec.attrs["description"] = text
    if "json_schema_extra" in kw:
        apply_extension(found.spec, kw["json_schema_extra"], ctx, found.node)
    if "exclude" in kw:
        ok, exclude = ctx.literal(kw["exclude"], "exclude")
        found.spec.attrs["private"] = ok and exclude is True
    return default


def _warner(ctx: Context, node: cst.CSTNode) -> Callable[[str], None]:
    return lambda message: ctx.warn(node, message)


def factory_default(node: cst.BaseExpression, ctx: Context, hint: Hint) -> tuple[bool, Any]:
    """The value a ``default_factory`` (or a SQLAlchemy callable default) produces."""
    name = dotted(node)
    if name is not None and last(node) in EMPTY_FACTORIES:
        return True, EMPTY_FACTORIES[last(node) or ""]
    if name is not None and last(node) in ctx.embedded:
        return True, {}
    if isinstance(node, cst.Lambda) and not node.params.params:
        try:
            return True, literal(node.body, ctx.members)
        except NotLiteral:
            pass
    code = ctx.file.code(node)
    ctx.warn(node, f"the default factory {code} has no farmgen equivalent; no default")
    return False, None


def _set_default(spec: FieldSpec, default: tuple[bool, Any]) -> None:
    known, value = default
    if not known:
        return
    if value is None:
        spec.optional = True
        spec.attrs.pop("default", None)
        return
    spec.attrs["default"] = value


def apply_extension(
    spec: FieldSpec, node: cst.BaseExpression, ctx: Context, at: cst.CSTNode
) -> None:
    """``json_schema_extra={"x-farmgen": {...}}`` (or SQLAlchemy ``info=``) onto a field."""
    ok, extra = ctx.literal(node, "json_schema_extra")
    if not ok or not isinstance(extra, dict):
        return
    hints = extra.get(EXTENSION_KEY)
    if not isinstance(hints, dict):
        return
    for key, value in hints.items():
        if key == "type" and isinstance(value, str):
            spec.optional = spec.optional or value.endswith("?")
            spec.type = value.removesuffix("?")
        elif key in FIELD_KEYS and value is None:
            spec.attrs.pop(key, None)  # what the code says is not in the spec (String(320))
        elif key in FIELD_KEYS:
            spec.attrs[key] = value
        else:
            ctx.warn(at, f"unknown {EXTENSION_KEY} key '{key}'; ignored")


def finish(found: Found, ctx: Context) -> tuple[str, FieldSpec]:
    """The stored name and spec of a field, constraints that do not fit the type dropped."""
    spec = found.spec
    spec.source = ctx.file.location(found.node)
    spec.attrs = fit_constraints(spec.type, spec.attrs, _warner(ctx, found.node))
    return field_name(found.stored, _warner(ctx, found.node)), spec
