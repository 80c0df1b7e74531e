"""Class bodies → fields, indexes and settings: enums, pydantic/Beanie and SQLAlchemy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from farmgen.importers._pyfields import Context, Found, pydantic_field
from farmgen.importers._pysource import (
    NotLiteral,
    PyClass,
    assignment,
    call_args,
    call_name,
    dotted,
    last,
    literal,
)
from farmgen.importers._pysql import (
    Column,
    Relationship,
    column,
    is_column_call,
    is_relationship_call,
    relationship,
    table_index_hints,
)

VALIDATORS = frozenset({
    "field_validator", "model_validator", "validator", "root_validator", "computed_field",
    "validates", "hybrid_property", "before_event", "after_event",
})
DESCENDING = frozenset({"DESCENDING", "-1"})
TEXT = frozenset({"TEXT", "text"})


@dataclass
class IndexInfo:
    keys: list[tuple[str, bool]]
    """(field path or column name, descending)."""
    node: cst.CSTNode
    unique: bool = False
    name: str | None = None
    text: bool = False
    partial: bool = False


@dataclass
class ClassRead:
    fields: list[Found] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    """Attribute names of columns and relationships, in declaration order."""
    collection: str | None = None
    indexes: list[IndexInfo] = field(default_factory=list)
    checks: list[tuple[str, cst.CSTNode]] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    abstract: bool = False
    index_entries: list[Any] | None = None
    """The spec's index entries from ``__table_args__``'s ``info={"x-farmgen": ...}``: the
    model's indexes, MongoDB-only ones included, in order (they replace ``Index(...)``s)."""


def enum_values(cls: PyClass, ctx: Context) -> list[tuple[str, str]]:
    """``(member, stored value)`` of an enum class's members, in order."""
    values: list[tuple[str, str]] = []
    auto_is_name = any(b == "StrEnum" for b in cls.base_names)
    for statement in cls.statements():
        target, value = assignment(statement)
        if target is None or value is None or target.startswith("_"):
            continue
        ctx.label = f"{cls.name}.{target}"
        if call_name(value) == "auto":
            if not auto_is_name:
                message = "auto() outside a StrEnum has no stable value; the member name is used"
                ctx.warn(statement, message)
            values.append((target, target.lower() if auto_is_name else target))
            continue
        ok, found = ctx.literal(value, "the value")
        if not ok:
            continue
        if not isinstance(found, str):
            ctx.warn(statement, f"enum value {found!r} is imported as a string")
        values.append((target, str(found)))
    return values


def _check_decorators(node: cst.FunctionDef, ctx: Context, owner: str) -> None:
    for decorator in node.decorators:
        expr = decorator.decorator
        name = call_name(expr) or last(expr)
        if name in VALIDATORS:
            ctx.label = f"{owner}.{node.name.value}"
            ctx.warn(decorator, f"@{name} holds logic farmgen cannot import; skipped")


def _search_fields(value: cst.BaseExpression, ctx: Context) -> list[str]:
    ok, found = ctx.literal(value, "search_fields")
    return [str(v) for v in found] if ok and isinstance(found, list) else []


def read_pydantic(cls: PyClass, ctx: Context) -> ClassRead:
    """Fields, ``Settings`` and ``search_fields`` of a pydantic model or Beanie document."""
    read = ClassRead()
    for statement in cls.statements():
        if isinstance(statement, cst.FunctionDef):
            _check_decorators(statement, ctx, cls.name)
        elif isinstance(statement, cst.ClassDef) and statement.name.value == "Settings":
            _settings(statement, read, ctx, cls.name)
        elif isinstance(statement, cst.AnnAssign | cst.Assign):
            target, value = assignment(statement)
            ctx.label = f"{cls.name}.{target}"
            if target == "search_fields" and value is not None:
                read.search = _search_fields(value, ctx)
            elif isinstance(statement, cst.AnnAssign):
                found = pydantic_field(statement, ctx)
                if found is not None:
                    read.fields.append(found)
    return read


def _settings(node: cst.ClassDef, read: ClassRead, ctx: Context, owner: str) -> None:
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for line in body:
        smalls = line.body if isinstance(line, cst.SimpleStatementLine) else ()
        for small in smalls:
            target, value = assignment(small)
            if value is None:
                continue
            ctx.label = f"{owner}.Settings.{target}"
            if target == "name":
                ok, name = ctx.literal(value, "the collection name")
                read.collection = str(name) if ok else None
            elif target == "indexes" and isinstance(value, cst.List | cst.Tuple):
                for element in value.elements:
                    info = _beanie_index(element.value, ctx)
                    if info is not None:
                        read.indexes.append(info)


def _beanie_index(node: cst.BaseExpression, ctx: Context) -> IndexInfo | None:
    if call_name(node) == "IndexModel" and isinstance(node, cst.Call):
        args = call_args(node)
        keys_node = args.positional[0] if args.positional else args.keywords.get("keys")
        info = _index_keys(keys_node, node, ctx) if keys_node is not None else None
        if info is None:
            return None
        kw = args.keywords
        info.name = _string(kw.get("name"), ctx)
        info.unique = _true(kw.get("unique"))
        info.partial = "partialFilterExpression" in kw
        return info
    return _index_keys(node, node, ctx)


def _index_keys(keys: cst.BaseExpression, at: cst.CSTNode, ctx: Context) -> IndexInfo | None:
    if isinstance(keys, cst.SimpleString):
        name = _string(keys, ctx)
        return IndexInfo([(name, False)], at) if name else None
    if not isinstance(keys, cst.List | cst.Tuple):
        ctx.warn(at, "an index whose keys cannot be read statically; skipped")
        return None
    info = IndexInfo([], at)
    for element in keys.elements:
        item = element.value
        if isinstance(item, cst.Tuple) and len(item.elements) == 2:
            path = _string(item.elements[0].value, ctx)
            direction = item.elements[1].value
            marker = last(direction) or _code_value(direction)
            info.text = info.text or marker in TEXT
            if path:
                info.keys.append((path, marker in DESCENDING))
        else:
            path = _string(item, ctx)
            if path:
                info.keys.append((path, False))
    return info if info.keys else None


def _code_value(node: cst.BaseExpression) -> str:
    try:
        return str(literal(node))
    except NotLiteral:
        return ""


def _string(node: cst.BaseExpression | None, ctx: Context) -> str | None:
    if node is None:
        return None
    ok, value = ctx.literal(node, "the value")
    return value if ok and isinstance(value, str) else None


def _true(node: cst.BaseExpression | None) -> bool:
    try:
        return node is not None and literal(node) is True
    except NotLiteral:
        return False


def read_table(cls: PyClass, ctx: Context) -> ClassRead:
    """Columns, relationships and table arguments of a SQLAlchemy declarative class."""
    read = ClassRead()
    for statement in cls.statements():
        if isinstance(statement, cst.FunctionDef):
            _check_decorators(statement, ctx, cls.name)
            continue
        target, value = assignment(statement)
        if target is None:
            continue
        ctx.label = f"{cls.name}.{target}"
        _table_statement(statement, target, value, read, ctx)
    return read


def _table_statement(statement: cst.CSTNode, target: str, value: cst.BaseExpression | None,
                     read: ClassRead, ctx: Context) -> None:
    if target == "__tablename__" and value is not None:
        read.collection = _string(value, ctx)
    elif target == "__abstract__":
        read.abstract = _true(value)
    elif target == "__table_args__" and value is not None:
        _table_args(value, read, ctx)
    elif target == "search_fields" and value is not None:
        read.search = _search_fields(value, ctx)
    elif target.startswith("__") or target.startswith("_"):
        return
    elif isinstance(statement, cst.AnnAssign):
        _mapped(statement, target, value, read, ctx)
    elif is_column_call(value) and isinstance(value, cst.Call):
        read.columns.append(column(target, None, value, ctx, statement, legacy=True))
        read.order.append(target)
    elif is_relationship_call(value) and isinstance(value, cst.Call):
        _add_relationship(relationship(target, None, value, ctx, statement), read)
    elif value is not None and call_name(value) in ("column_property", "synonym", "deferred"):
        ctx.warn(statement, f"{call_name(value)}(...) is derived, not stored; skipped")


def _mapped(statement: cst.AnnAssign, target: str, value: cst.BaseExpression | None,
            read: ClassRead, ctx: Context) -> None:
    hint = ctx.reader.read(statement.annotation.annotation, statement)
    if hint.skip:
        return
    if is_relationship_call(value) and isinstance(value, cst.Call):
        _add_relationship(relationship(target, hint, value, ctx, statement), read)
        return
    if value is not None and not is_column_call(value):
        ctx.warn(statement, f"{ctx.file.code(value)} is not a column; skipped")
        return
    call = value if isinstance(value, cst.Call) else None
    legacy = call is not None and call_name(call) == "Column"
    read.columns.append(column(target, hint, call, ctx, statement, legacy=legacy))
    read.order.append(target)


def _add_relationship(rel: Relationship | None, read: ClassRead) -> None:
    if rel is not None:
        read.relationships.append(rel)
        read.order.append(rel.attr)


def _table_args(value: cst.BaseExpression, read: ClassRead, ctx: Context) -> None:
    items = value.elements if isinstance(value, cst.Tuple | cst.List) else []
    for element in items:
        item = element.value
        if isinstance(item, cst.Dict):
            read.index_entries = table_index_hints(item, ctx)
            continue
        if not isinstance(item, cst.Call):
            continue
        name = call_name(item)
        args = call_args(item)
        if name in ("Index", "UniqueConstraint"):
            info = _sql_index(item, ctx, unique=name == "UniqueConstraint")
            if info is not None:
                read.indexes.append(info)
        elif name == "CheckConstraint" and args.positional:
            text = check_text(args.positional[0])
            if text:
                read.checks.append((text, item))
            else:
                ctx.warn(item, f"{ctx.file.code(item)} cannot be mapped; skipped")
        else:
            ctx.warn(item, f"{name}(...) in __table_args__ cannot be mapped; skipped")


_LENGTH_FUNCTIONS = frozenset({"char_length", "length", "character_length"})
_OPERATORS = {cst.GreaterThanEqual: ">=", cst.LessThanEqual: "<="}


def check_text(node: cst.BaseExpression) -> str | None:
    """A check constraint as SQL text: a string, or an expression such as
    ``column("x") >= 0``, ``Cls.x <= 5``, ``func.char_length(column("x")) >= 1``, ``and_(...)``.
    """
    try:
        value = literal(node)
    except NotLiteral:
        value = None
    if isinstance(value, str):
        return value
    if isinstance(node, cst.Call) and call_name(node) == "and_":
        parts = [check_text(a) for a in call_args(node).positional]
        return " AND ".join(p for p in parts if p) if all(parts) else None
    if not isinstance(node, cst.Comparison) or len(node.comparisons) != 1:
        return None
    target = node.comparisons[0]
    operator = _OPERATORS.get(type(target.operator))
    column = _check_column(node.left)
    try:
        number = literal(target.comparator)
    except NotLiteral:
        return None
    if operator is None or column is None or not isinstance(number, int | float):
        return None
    return f"{column} {operator} {number}"


def _check_column(node: cst.BaseExpression) -> str | None:
    name = call_name(node)
    if isinstance(node, cst.Call) and name in _LENGTH_FUNCTIONS:
        args = call_args(node).positional
        inner = _check_column(args[0]) if args else None
        return f"char_length({inner})" if inner else None
    if isinstance(node, cst.Call) and name in ("column", "literal_column"):
        args = call_args(node).positional
        try:
            text = literal(args[0]) if args else None
        except NotLiteral:
            return None
        return text if isinstance(text, str) else None
    target = dotted(node)
    return target.rsplit(".", 1)[-1] if target else None


def index_owner(node: cst.Call) -> str | None:
    """The class a module-level ``Index("name", Cls.a, Cls.b.desc())`` is on."""
    for arg in call_args(node).positional[1:]:
        head = arg
        if isinstance(arg, cst.Call) and isinstance(arg.func, cst.Attribute):
            head = arg.func.value
        name = dotted(head)
        if name and "." in name:
            return name.split(".")[-2]
    return None


def module_index(node: cst.Call, ctx: Context) -> IndexInfo | None:
    return _sql_index(node, ctx, unique=False)


def _sql_index(node: cst.Call, ctx: Context, unique: bool) -> IndexInfo | None:
    parsed = call_args(node)
    positional = list(parsed.positional)
    name = None
    if not unique and positional and isinstance(positional[0], cst.SimpleString):
        name = _string(positional.pop(0), ctx)
    info = IndexInfo([], node, unique=unique or _true(parsed.keywords.get("unique")), name=name)
    if unique:
        info.name = _string(parsed.keywords.get("name"), ctx)
    for expr in positional:
        key = _sql_index_key(expr, ctx)
        if key is None:
            ctx.warn(node, f"index key {ctx.file.code(expr)} cannot be mapped; index skipped")
            return None
        info.keys.append(key)
    return info


_DESC_TEXT = re.compile(r"^\s*\"?(\w+)\"?\s+(ASC|DESC)\s*$", re.IGNORECASE)


def _sql_index_key(expr: cst.BaseExpression, ctx: Context) -> tuple[str, bool] | None:
    if isinstance(expr, cst.SimpleString):
        text = _string(expr, ctx)
        return (text, False) if text else None
    name = call_name(expr)
    if isinstance(expr, cst.Call) and name in ("desc", "asc") and call_args(expr).positional:
        inner = _sql_index_key(call_args(expr).positional[0], ctx)
        return (inner[0], name == "desc") if inner else None
    if isinstance(expr, cst.Call) and name == "text":
        args = call_args(expr).positional
        match = _DESC_TEXT.match(_string(args[0], ctx) or "") if args else None
        return (match.group(1), match.group(2).upper() == "DESC") if match else None
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        target = dotted(expr.func.value)
        if target and expr.func.attr.value in ("desc", "asc"):
            return target.rsplit(".", 1)[-1], expr.func.attr.value == "desc"
    target = dotted(expr)
    return (target.rsplit(".", 1)[-1], False) if target else None
