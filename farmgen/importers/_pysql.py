"""SQLAlchemy declarative classes (2.0 ``Mapped``/``mapped_column`` and 1.x ``Column``)
→ columns, relationships and table arguments, read statically."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from farmgen.importers._pyfields import (
    EXTENSION_KEY,
    Context,
    Found,
    apply_extension,
    factory_default,
)
from farmgen.importers._pysource import (
    CallArgs,
    NotLiteral,
    call_args,
    call_name,
    dotted,
    last,
    literal,
    string_expression,
)
from farmgen.importers._pytypes import Hint
from farmgen.importers.specdata import FieldSpec

STRING_TYPES = frozenset({"String", "VARCHAR", "Unicode", "CHAR", "NVARCHAR", "NCHAR"})
SQL_SCALARS: dict[str, str] = {
    **dict.fromkeys(("Text", "UnicodeText", "TEXT", "CLOB", "MEDIUMTEXT", "LONGTEXT"), "text"),
    **dict.fromkeys(("Integer", "BigInteger", "SmallInteger", "INTEGER", "BIGINT", "INT"), "int"),
    **dict.fromkeys(("Float", "REAL", "Double", "DOUBLE", "DOUBLE_PRECISION"), "float"),
    **dict.fromkeys(("Numeric", "DECIMAL", "NUMERIC"), "decimal"),
    **dict.fromkeys(("Boolean", "BOOLEAN"), "bool"),
    **dict.fromkeys(("DateTime", "TIMESTAMP", "UTCDateTime", "DATETIME"), "datetime"),
    **dict.fromkeys(("Date", "DATE"), "date"),
    **dict.fromkeys(("Time", "TIME"), "time"),
    **dict.fromkeys(("Uuid", "UUID"), "uuid"),
    **dict.fromkeys(("LargeBinary", "BLOB", "BYTEA", "VARBINARY", "BINARY"), "bytes"),
}
JSON_TYPES = frozenset({"JSON", "JSONB", "JSONValue", "PickleType"})
ENUM_TYPES = frozenset({"Enum", "StrEnumType", "SAEnum"})
ON_DELETE = {"CASCADE": "cascade", "SET NULL": "set_null", "RESTRICT": "restrict",
             "NO ACTION": "no_action"}


@dataclass
class Column:
    found: Found
    primary_key: bool = False
    fk_target: str | None = None
    """The referenced table (``"users"`` of ``ForeignKey("users.id")``) or ``Class``."""


@dataclass
class Relationship:
    attr: str
    target: str
    node: cst.CSTNode
    secondary: str | None = None
    foreign_keys: list[str] = field(default_factory=list)
    is_list: bool = False
    doc: str | None = None
    info: cst.BaseExpression | None = None
    """``info={"x-farmgen": {...}}`` (read onto a many-to-many field)."""


def is_column_call(node: cst.BaseExpression | None) -> bool:
    return call_name(node) in ("mapped_column", "Column") if node is not None else False


def is_relationship_call(node: cst.BaseExpression | None) -> bool:
    return call_name(node) in ("relationship", "relation") if node is not None else False


def column(attr: str, hint: Hint | None, call: cst.Call | None, ctx: Context,
           node: cst.CSTNode, *, legacy: bool) -> Column:
    """One column. ``hint`` is the ``Mapped[...]`` annotation; ``legacy`` is 1.x ``Column``."""
    args = call_args(call) if call is not None else CallArgs([], {})
    positional = list(args.positional)
    stored = attr
    if positional and isinstance(positional[0], cst.SimpleString):
        ok, name = ctx.literal(positional.pop(0), "the column name")
        stored = name if ok and isinstance(name, str) else attr
    fk_target, on_delete = _foreign_key(positional, ctx)
    typed = [p for p in positional if call_name(p) != "ForeignKey"]
    if not typed and "type_" not in args.keywords and hint is None and fk_target is not None:
        spec = FieldSpec("uuid")  # SQLAlchemy takes the type from the referenced column
    else:
        spec = _column_type(hint, typed, args, ctx, node)
    result = Column(Found(attr, stored, spec, node), fk_target=fk_target)
    if on_delete:
        spec.attrs["on_delete"] = on_delete
    _column_flags(result, args, ctx, hint is None or legacy)
    return result


def _foreign_key(
    positional: list[cst.BaseExpression], ctx: Context
) -> tuple[str | None, str | None]:
    for arg in positional:
        if call_name(arg) != "ForeignKey" or not isinstance(arg, cst.Call):
            continue
        fk = call_args(arg)
        target = None
        if fk.positional:
            ok, text = _maybe_literal(fk.positional[0], ctx)
            target = str(text).rsplit(".", 1)[0] if ok else (dotted(fk.positional[0]) or "")
            target = target.rsplit(".", 1)[0] if not ok and "." in target else target
        on_delete = None
        if "ondelete" in fk.keywords:
            ok, rule = ctx.literal(fk.keywords["ondelete"], "ondelete")
            on_delete = ON_DELETE.get(str(rule).upper()) if ok else None
        return target, on_delete
    return None, None


def _maybe_literal(node: cst.BaseExpression, ctx: Context) -> tuple[bool, Any]:
    try:
        return True, literal(node, ctx.members)
    except NotLiteral:
        return False, None


def _column_type(hint: Hint | None, positional: list[cst.BaseExpression], args: CallArgs,
                 ctx: Context, node: cst.CSTNode) -> FieldSpec:
    type_node = positional[0] if positional else args.keywords.get("type_")
    annotated = FieldSpec(hint.type, hint.optional, dict(hint.attrs)) if hint else None
    if type_node is None:
        if annotated is None:
            ctx.warn(node, "a column without a type cannot be mapped; imported as json")
            return FieldSpec("json")
        return annotated
    name = call_name(type_node) or last(type_node) or ""
    spec = _sql_type(name, type_node, annotated, ctx, node)
    if annotated is not None:
        spec.optional = annotated.optional
    return spec


def _sql_type(name: str, type_node: cst.BaseExpression, annotated: FieldSpec | None,
              ctx: Context, node: cst.CSTNode) -> FieldSpec:
    type_args = call_args(type_node) if isinstance(type_node, cst.Call) else CallArgs([], {})
    if name in STRING_TYPES:
        return _string_type(type_args, annotated, ctx)
    if name in SQL_SCALARS:
        return FieldSpec(SQL_SCALARS[name])
    return _typed_json(name, type_args, annotated, ctx, node)


def _string_type(type_args: CallArgs, annotated: FieldSpec | None, ctx: Context) -> FieldSpec:
    keep = annotated is not None and annotated.type in ("email", "url")
    spec = FieldSpec(annotated.type if annotated is not None and keep else "string")
    length = type_args.keywords.get("length")
    if type_args.positional:
        length = type_args.positional[0]
    if length is not None:
        ok, value = ctx.literal(length, "the string length")
        if ok:
            spec.attrs["max_length"] = value
    return spec


def _typed_json(name: str, type_args: CallArgs, annotated: FieldSpec | None, ctx: Context,
                node: cst.CSTNode) -> FieldSpec:
    """Enum, embedded-JSON and JSON columns, and unknown column types."""
    if name in ENUM_TYPES and type_args.positional:
        enum_name = last(string_expression(type_args.positional[0]))
        if enum_name and ctx.reader.kinds.get(enum_name) == "enum":
            return FieldSpec(enum_name)
        ctx.warn(node, "an enum column without an enum class is imported as a string")
        return FieldSpec("string")
    if annotated is not None and (annotated.type != "json" or name in JSON_TYPES):
        return annotated
    if name == "EmbeddedJSON" and type_args.positional:
        return FieldSpec(ctx.reader.read(type_args.positional[0], node).type)
    if name not in JSON_TYPES:
        ctx.warn(node, f"column type {name or '?'} is not known to farmgen; imported as json")
    return FieldSpec("json")


def _column_flags(col: Column, args: CallArgs, ctx: Context, nullable_default: bool) -> None:
    kw = args.keywords
    spec = col.found.spec
    flags = {key: ctx.literal(kw[key], key) for key in ("primary_key", "unique", "index",
                                                         "nullable") if key in kw}
    col.primary_key = flags.get("primary_key", (False, False))[1] is True
    if flags.get("unique", (False, False))[1] is True:
        spec.attrs["unique"] = True
    elif flags.get("index", (False, False))[1] is True:
        spec.attrs["index"] = True
    if "nullable" in flags and flags["nullable"][0]:
        spec.optional = flags["nullable"][1] is True
    elif nullable_default and "nullable" not in kw and not col.primary_key:
        spec.optional = spec.optional or "default" not in kw
    _column_default(col, kw, ctx)
    for key in ("comment", "doc"):
        if key in kw:
            ok, text = ctx.literal(kw[key], key)
            if ok and isinstance(text, str):
                spec.attrs["description"] = text
    if "info" in kw:
        apply_extension(spec, kw["info"], ctx, col.found.node)
    if "server_default" in kw:
        ctx.warn(col.found.node, "server_default is not imported (farmgen sets defaults in code)")


def _column_default(col: Column, kw: dict[str, cst.BaseExpression], ctx: Context) -> None:
    if "default" not in kw or col.primary_key:
        return
    value = kw["default"]
    spec = col.found.spec
    hint = Hint(spec.type)
    try:
        ok, result = True, literal(value, ctx.members)
    except NotLiteral:
        if isinstance(value, cst.Name | cst.Attribute | cst.Lambda):
            ok, result = factory_default(value, ctx, hint)
        else:
            ok, result = ctx.literal(value, "the default")
    if ok and result is not None:
        spec.attrs["default"] = result
    elif ok:
        spec.optional = True


def relationship(attr: str, hint: Hint | None, call: cst.Call, ctx: Context,
                 node: cst.CSTNode) -> Relationship | None:
    args = call_args(call)
    target = None
    if args.positional:
        target = last(string_expression(args.positional[0]))
    if target is None and hint is not None:
        target = _hint_target(hint)
    if target is None:
        ctx.warn(node, "a relationship whose target cannot be read statically; skipped")
        return None
    rel = Relationship(attr, target, node, is_list=bool(hint and hint.type.startswith("list[")))
    secondary = args.keywords.get("secondary")
    if secondary is not None:
        ok, name = _maybe_literal(secondary, ctx)
        rel.secondary = str(name) if ok else last(secondary)
    if "doc" in args.keywords:
        ok, text = ctx.literal(args.keywords["doc"], "doc")
        rel.doc = text if ok and isinstance(text, str) else None
    rel.info = args.keywords.get("info")
    keys = args.keywords.get("foreign_keys")
    if keys is not None:
        inner = keys.elements if isinstance(keys, cst.List | cst.Tuple) else [keys]
        values = [e.value for e in inner if isinstance(e, cst.Element)]
        if not isinstance(keys, cst.List | cst.Tuple):
            values = [keys]
        rel.foreign_keys = [n for n in (last(string_expression(v)) for v in values) if n]
    return rel


def _hint_target(hint: Hint) -> str | None:
    text = hint.type
    while text.startswith("list["):
        text = text[5:-1]
    if text.startswith("ref[") and text.endswith("]"):
        return text[4:-1]
    return None


def table_index_hints(node: cst.Dict, ctx: Context) -> list[Any] | None:
    """The index entries of ``{"info": {"x-farmgen": {"indexes": [...]}}}``, the table
    options ending ``__table_args__`` (None when it holds none)."""
    ok, options = ctx.literal(node, "the table options")
    info = options.get("info") if ok and isinstance(options, dict) else None
    hints = info.get(EXTENSION_KEY) if isinstance(info, dict) else None
    if not isinstance(hints, dict):
        return None
    for key in hints:
        if key != "indexes":
            ctx.warn(node, f"unknown {EXTENSION_KEY} table key '{key}'; ignored")
    entries = hints.get("indexes")
    return entries if isinstance(entries, list) else None
