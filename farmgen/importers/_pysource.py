"""Python source read with libcst, statically: classes, module-level tables, literal values.

Nothing here imports or executes the code it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from farmgen.diagnostics import Diagnostic, Location, SpecError


class NotLiteral(Exception):
    """An expression whose value cannot be known without running the code."""


@dataclass
class SourceFile:
    display: str
    module: cst.Module
    positions: Mapping[cst.CSTNode, CodeRange]
    aliases: dict[str, str] = field(default_factory=dict)
    """``from m import Name as Alias`` → ``{"Alias": "Name"}``."""
    origins: dict[str, str] = field(default_factory=dict)
    """``from m import Name [as Alias]`` → ``{"Alias": "m"}``."""

    def canonical(self, name: str) -> str:
        return self.aliases.get(name, name)

    def location(self, node: cst.CSTNode) -> Location:
        where = self.positions.get(node)
        if where is None:
            return Location(self.display)
        return Location(self.display, where.start.line, where.start.column + 1)

    def code(self, node: cst.CSTNode) -> str:
        """The source text of a node, on one line, for messages."""
        text = " ".join(self.module.code_for_node(node).split())
        return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class PyClass:
    name: str
    bases: list[str]
    """Dotted names of the base classes (``sa.orm.DeclarativeBase`` → as written)."""
    node: cst.ClassDef
    file: SourceFile

    def base_module(self, index: int) -> str | None:
        """The module a base class was imported from (``sqlalchemy`` for ``sa.Enum``)."""
        base = self.bases[index]
        if "." in base:
            return base.rsplit(".", 1)[0]
        return self.file.origins.get(base)

    @property
    def base_names(self) -> list[str]:
        """The last segment of each base (``orm.DeclarativeBase`` → ``DeclarativeBase``),
        import aliases undone."""
        return [self.file.canonical(b.rsplit(".", 1)[-1]) for b in self.bases]

    def statements(self) -> Iterator[cst.CSTNode]:
        """The class body's small statements and compound statements, in order."""
        body = self.node.body
        if not isinstance(body, cst.IndentedBlock):
            yield from body.body
            return
        for statement in body.body:
            if isinstance(statement, cst.SimpleStatementLine):
                yield from statement.body
            else:
                yield statement

    @property
    def docstring(self) -> str | None:
        text = self.node.get_docstring(clean=True)
        return text or None


@dataclass
class ModuleAssign:
    """``name = <call>`` at module level (association tables, declarative bases), or a bare
    call statement (``Index("ix", Post.a)``) with an empty name."""

    name: str
    value: cst.BaseExpression
    file: SourceFile


def parse_file(path: Path, display: str) -> SourceFile:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problem = Diagnostic(Location(display), "import-read", f"cannot read: {exc}")
        raise SpecError([problem]) from exc
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        where = Location(display, exc.editor_line, exc.editor_column)
        detail = re.sub(r"^parser error: error at \d+:\d+: ", "", exc.message)
        if detail.startswith("expected one of") and len(detail) > 60:
            detail = "unexpected syntax"
        message = f"invalid Python: {detail}"
        raise SpecError([Diagnostic(where, "import-syntax", message)]) from exc
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    return SourceFile(display, module, positions)


def top_level(source: SourceFile) -> tuple[list[PyClass], list[ModuleAssign]]:
    """Module-level classes and ``name = call(...)`` assignments, in order."""
    classes: list[PyClass] = []
    assigns: list[ModuleAssign] = []
    for statement in source.module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            _imports(statement, source)
        if isinstance(statement, cst.ClassDef):
            classes.append(_class(statement, source))
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                target, value = assignment(small)
                if target is not None and value is not None:
                    assigns.append(ModuleAssign(target, value, source))
                elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    assigns.append(ModuleAssign("", small.value, source))
    return classes, assigns


def _imports(statement: cst.SimpleStatementLine, source: SourceFile) -> None:
    """Record ``from module import Name as Alias``: the alias and the module of each name."""
    for small in statement.body:
        if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
            continue
        module = ("." * len(small.relative)) + (dotted(small.module) or "" if small.module else "")
        for alias in small.names:
            original = (dotted(alias.name) or "").rsplit(".", 1)[-1]
            local = original
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                source.aliases[local] = original
            source.origins[local] = module


def _class(node: cst.ClassDef, source: SourceFile) -> PyClass:
    bases = [dotted(arg.value) or source.code(arg.value) for arg in node.bases]
    return PyClass(node.name.value, bases, node, source)


def assignment(node: cst.CSTNode) -> tuple[str | None, cst.BaseExpression | None]:
    """``(target, value)`` of ``x = v`` or ``x: T = v`` (value None for a bare annotation)."""
    if isinstance(node, cst.Assign) and len(node.targets) == 1:
        target = node.targets[0].target
        if isinstance(target, cst.Name):
            return target.value, node.value
    if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
        return node.target.value, node.value
    return None, None


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def last(node: cst.BaseExpression) -> str | None:
    """The last segment of a dotted name (``sa.String`` → ``String``)."""
    name = dotted(node)
    return name.rsplit(".", 1)[-1] if name else None


def call_name(node: cst.BaseExpression) -> str | None:
    """The last segment of the called name when ``node`` is a call."""
    return last(node.func) if isinstance(node, cst.Call) else None


@dataclass
class CallArgs:
    positional: list[cst.BaseExpression]
    keywords: dict[str, cst.BaseExpression]


def call_args(node: cst.Call) -> CallArgs:
    positional: list[cst.BaseExpression] = []
    keywords: dict[str, cst.BaseExpression] = {}
    for arg in node.args:
        if arg.keyword is not None:
            keywords[arg.keyword.value] = arg.value
        elif not arg.star:
            positional.append(arg.value)
    return CallArgs(positional, keywords)


def literal(node: cst.BaseExpression, names: Mapping[str, Any] | None = None) -> Any:
    """The value of a literal expression; ``names`` resolves ``Enum.MEMBER`` and constants.

    Raises :class:`NotLiteral` for anything that needs running code.
    """
    names = names or {}
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString | cst.Integer | cst.Float):
        return _constant(node)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return -literal(node.expression, names)
    if isinstance(node, cst.Name) and node.value in _CONSTANTS:
        return _CONSTANTS[node.value]
    return _compound(node, names)


_CONSTANTS: dict[str, Any] = {"True": True, "False": False, "None": None}


def _constant(node: cst.SimpleString | cst.ConcatenatedString | cst.Integer | cst.Float) -> Any:
    if isinstance(node, cst.Integer | cst.Float):
        return _number(node)
    value = node.evaluated_value
    if isinstance(value, bytes):
        raise NotLiteral
    return value


def _compound(node: cst.BaseExpression, names: Mapping[str, Any]) -> Any:
    if isinstance(node, cst.List | cst.Tuple | cst.Set):
        return [literal(e.value, names) for e in node.elements if isinstance(e, cst.Element)]
    if isinstance(node, cst.Dict):
        return _dict(node, names)
    if isinstance(node, cst.Call) and last(node.func) == "Decimal" and len(node.args) == 1:
        return _decimal(literal(node.args[0].value, names))
    key = dotted(node)
    if key is not None:
        for candidate in (key, ".".join(key.split(".")[-2:])):
            if candidate in names:
                return names[candidate]
    raise NotLiteral


def _decimal(value: Any) -> int | float:
    """``Decimal("1.5")`` as a JSON number (farmgen decimal defaults are numbers)."""
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise NotLiteral from exc
    return int(number) if number.is_integer() and "." not in str(value) else number


def _number(node: cst.Integer | cst.Float) -> int | float:
    text = node.value.replace("_", "")
    if isinstance(node, cst.Integer):
        return int(text, 0)
    return float(text)


def _dict(node: cst.Dict, names: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for element in node.elements:
        if not isinstance(element, cst.DictElement):
            raise NotLiteral
        key = literal(element.key, names)
        if not isinstance(key, str):
            raise NotLiteral
        result[key] = literal(element.value, names)
    return result


def subscript_items(node: cst.Subscript) -> list[cst.BaseExpression]:
    """The expressions inside ``X[...]``."""
    items: list[cst.BaseExpression] = []
    for element in node.slice:
        if isinstance(element.slice, cst.Index):
            items.append(element.slice.value)
    return items


def string_expression(node: cst.BaseExpression) -> cst.BaseExpression:
    """A forward reference (``"User"``) parsed as the expression it names."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, str):
            try:
                return cst.parse_expression(value)
            except cst.ParserSyntaxError:
                return node
    return node


def names_in(values: Sequence[cst.BaseExpression]) -> list[str]:
    return [n for n in (last(v) for v in values) if n]
