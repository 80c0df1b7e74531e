"""Helpers shared by the Python targets: imports, black-stable line layout, literals.

Generated Python is laid out the way black would lay it out, so black only has to
run on the rare line that no template rule can fit (a very long string literal).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from farmgen.format import text_width
from farmgen.ir import (
    Default,
    EnumType,
    Field,
    FieldType,
    ListOf,
    ModelRef,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.ir.names import python_attr
from farmgen.ir.types import DictOf, EmbeddedRef, EnumRef
from farmgen.render.filters import py_literal, py_str
from farmgen.targets.values import default_value

MIXIN_CLASSES: dict[str, str] = {
    "timestamps": "TimestampMixin",
    "soft_delete": "SoftDeleteMixin",
    "audit": "AuditMixin",
    "metadata": "MetadataMixin",
    "searchable": "SearchableMixin",
}


CONSTRUCTOR_NAMES = frozenset({"self", "cls"})
"""Also taken: SQLAlchemy's constructor is ``__init__(self, **kwargs)``."""


@lru_cache(maxsize=16384)
def attr_name(name: str) -> str:
    """The Python attribute for a stored field name.

    The alias rule of ``farmgen.ir.names`` (keywords and reserved attributes get a
    trailing ``_``), extended to names Python cannot spell as written: other
    characters become ``_``, a leading digit or underscore gets an ``f`` prefix
    (pydantic treats ``_x`` as private), names that Unicode normalisation would
    change are normalised (Python does that to identifiers itself), and ``self`` and
    ``cls`` get a trailing ``_`` like keywords.
    """
    text = unicodedata.normalize("NFKC", name)
    if not text.isidentifier():
        text = re.sub(r"\W", "_", text)
    if text[:1].isdigit() or text.startswith("_"):
        text = "f" + (text if text.startswith("_") else "_" + text)
    if text in CONSTRUCTOR_NAMES:
        return f"{text}_"
    return python_attr(text)


def _import_group(module: str) -> int:
    if module.startswith("."):
        return 3
    top = module.split(".", maxsplit=1)[0]
    if top in sys.stdlib_module_names:
        return 0
    return 1  # third party, farmgen's runtime included: it is a library to the user


def isort_key(name: str) -> tuple[int, str]:
    """isort's ``order-by-type``: CONSTANTS, then Classes, then functions."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


@dataclass
class Imports:
    """Collects ``from module import name``.

    A library name that the schema also declares (a model called ``Field``) is
    imported as ``_Field``; the schema's own names are never renamed.
    """

    declared: frozenset[str] = frozenset()
    names: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    plain: set[str] = field(default_factory=set)
    _used: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)
    """``(module, name)`` → local name of every ``use`` so far: a repeated use is one lookup."""

    @classmethod
    def for_schema(cls, schema: Schema) -> Imports:
        """Imports where library names yield to every name the schema declares."""
        names = [*(e.name for e in schema.enums), *(e.name for e in schema.embedded)]
        return cls(frozenset([*names, *(m.name for m in schema.models)]))

    def local(self, module: str, name: str) -> str:
        """The name ``use`` would return, without importing anything."""
        shadowed = name in self.declared and not module.startswith(".")
        return f"_{name}" if shadowed else name

    def use(self, module: str, name: str) -> str:
        key = (module, name)
        local = self._used.get(key)
        if local is None:
            local = self._used[key] = self.local(module, name)
            self.names.setdefault(module, set()).add((name, local))
        return local

    def module(self, module: str) -> str:
        self.plain.add(module)
        return module

    def module_from(self, package: str, module: str) -> str:
        """``from package import module``: a module used through its attributes."""
        return self.use(package, module)

    def lines(self, line_length: int) -> list[str]:
        """isort-compatible imports: groups stdlib, third party, farmgen, local, each with
        ``import x`` lines before ``from x import y`` lines, a blank line between groups."""
        groups: dict[int, list[str]] = {}
        for module in sorted(self.plain):
            groups.setdefault(_import_group(module), []).append(f"import {module}")
        for module in sorted(self.names):
            items = sorted(self.names[module], key=lambda p: isort_key(p[0]))
            parts = [n if n == local else f"{n} as {local}" for n, local in items]
            groups.setdefault(_import_group(module), []).extend(
                wrap_call(
                    f"from {module} import (",
                    parts,
                    ")",
                    "",
                    line_length,
                    bare_prefix=f"from {module} import ",
                    bare_suffix="",
                )
            )
        out: list[str] = []
        for number in sorted(groups):
            if out:
                out.append("")
            out.extend(groups[number])
        return out


class Call:
    """A bracketed expression black may split: ``opener args closer``.

    ``collection``: a list/tuple/dict literal, which black explodes one item per line
    when it splits. The one-line text is joined once, when the call is made: layout
    asks for it at every level of nesting.
    """

    __slots__ = ("args", "closer", "collection", "inner", "opener", "text")

    opener: str
    args: tuple[Expr, ...]
    closer: str
    collection: bool
    inner: str
    """The arguments on one line, without the brackets."""
    text: str
    """The whole expression on one line."""

    def __init__(
        self, opener: str, args: tuple[Expr, ...], closer: str, collection: bool = False
    ) -> None:
        self.opener = opener
        self.args = args
        self.closer = closer
        self.collection = collection
        try:
            self.inner = ", ".join(args)  # type: ignore[arg-type]  # nearly always all str
        except TypeError:
            self.inner = ", ".join([a if isinstance(a, str) else a.text for a in args])
        self.text = opener + self.inner + closer

    def __repr__(self) -> str:
        return f"Call({self.opener!r}, {self.args!r}, {self.closer!r}, {self.collection!r})"

    def flat(self) -> str:
        return self.text


Expr = str | Call


def flat(expr: Expr) -> str:
    return expr if isinstance(expr, str) else expr.text


def layout(
    expr: Expr, indent: str, line_length: int, prefix: str = "", suffix: str = ""
) -> list[str]:
    """Lines for ``prefix expr suffix`` laid out the way black lays out a right-hand split.

    One line if it fits; else the bracket contents on one indented line; else one
    argument per line with trailing commas (a lone argument is split recursively).
    A line that still does not fit is left long: black then formats the file.
    """
    if isinstance(expr, str):
        return [f"{indent}{prefix}{expr}{suffix}"]
    one = f"{indent}{prefix}{expr.text}{suffix}"
    args = expr.args
    if not args or (len(one) if one.isascii() else text_width(one)) <= line_length:
        return [one]
    inner = indent + "    "
    head = f"{indent}{prefix}{expr.opener}"
    tail = f"{indent}{expr.closer}{suffix}"
    exploded = expr.collection and len(args) > 1
    if not exploded and text_width(inner + expr.inner) <= line_length:
        return [head, inner + expr.inner, tail]
    if len(args) == 1:
        return [head, *layout(args[0], inner, line_length), tail]
    lines = [head]
    for a in args:
        if isinstance(a, str):
            lines.append(f"{inner}{a},")
        else:
            lines.extend(layout(a, inner, line_length, suffix=","))
    lines.append(tail)
    return lines


def wrap_call(
    prefix: str,
    args: Sequence[Expr],
    suffix: str,
    indent: str,
    line_length: int,
    *,
    bare_prefix: str | None = None,
    bare_suffix: str | None = None,
    collection: bool = False,
) -> list[str]:
    """Lay out ``prefix args suffix`` where ``prefix`` ends with the opening bracket.

    ``bare_prefix``/``bare_suffix`` are the one-line spelling when it differs (an
    import needs parentheses only when split, and is then one name per line).
    """
    head, opener = prefix[:-1], prefix[-1]
    closer, rest = suffix[:1], suffix[1:]
    call = Call(opener, tuple(args), closer, collection)
    if bare_prefix is None:
        return layout(call, indent, line_length, head, rest)
    texts = [flat(a) for a in args]
    one = f"{indent}{bare_prefix}{', '.join(texts)}{bare_suffix or ''}"
    if text_width(one) <= line_length:
        return [one]
    return [indent + prefix, *(f"{indent}    {text}," for text in texts), indent + suffix]


def class_header(name: str, bases: Sequence[str], line_length: int) -> list[str]:
    if not bases:
        return [f"class {name}:"]
    return wrap_call(f"class {name}(", bases, "):", "", line_length)


def enum_default(enum: EnumType, value: str, local: str) -> str:
    for v in enum.values:
        if v.value == value:
            return f"{local}.{v.member}"
    raise ValueError(f"{value!r} is not a value of {enum.name}")


_CONTAINER_TYPES = (ListOf, DictOf)
_CONTAINERS = (list, dict)
"""Tuples for ``isinstance`` in hot paths (``A | B`` builds a union object on every call)."""


def default_expression(
    field: Field, enums: Mapping[str, EnumType], imports: Imports
) -> tuple[str, bool] | None:
    """The default of ``field`` as ``(expression, is_factory)``, or None without one."""
    default: Default | None = field.default
    if default is None:
        return ("None", False) if field.optional else None
    value = default_value(default)
    t = field.type
    if value is None:
        return ("None", False)
    if isinstance(t, EnumRef):
        return enum_default(enums[t.name], value, t.name), False
    if isinstance(t, EmbeddedRef):
        factory = t.name if value == {} else f"lambda: {t.name}.model_validate({py_literal(value)})"
        return factory, True
    if isinstance(t, _CONTAINER_TYPES) or isinstance(value, _CONTAINERS):
        return _container_default(t, value, enums)
    if isinstance(t, Scalar):
        return scalar_default(t.kind, value, imports), False
    raise ValueError(f"a default is not supported for {field.name}")  # pragma: no cover


def _container_default(
    t: FieldType, value: object, enums: Mapping[str, EnumType]
) -> tuple[str, bool]:
    if value == []:
        return "list", True
    if value == {}:
        return "dict", True
    return f"lambda: {_container_literal(t, value, enums)}", True


def _container_literal(t: FieldType, value: object, enums: Mapping[str, EnumType]) -> str:
    if isinstance(t, ListOf) and isinstance(value, list) and isinstance(t.item, EnumRef):
        enum = enums[t.item.name]
        return "[" + ", ".join(enum_default(enum, str(v), enum.name) for v in value) + "]"
    return py_literal(value)


SCALAR_CONSTRUCTORS: dict[ScalarKind, tuple[str, str]] = {
    ScalarKind.DECIMAL: ("decimal", "Decimal"),
    ScalarKind.UUID: ("uuid", "UUID"),
}
ISO_KINDS: dict[ScalarKind, str] = {
    ScalarKind.DATETIME: "datetime",
    ScalarKind.DATE: "date",
    ScalarKind.TIME: "time",
}


def scalar_default(kind: ScalarKind, value: object, imports: Imports) -> str:
    if kind in SCALAR_CONSTRUCTORS:
        module, name = SCALAR_CONSTRUCTORS[kind]
        return f"{imports.use(module, name)}({py_str(str(value))})"
    if kind in ISO_KINDS:
        local = imports.use("datetime", ISO_KINDS[kind])
        return f"{local}.fromisoformat({py_str(str(value))})"
    if kind is ScalarKind.BYTES:
        return f"{py_str(str(value))}.encode()"
    if kind is ScalarKind.FLOAT and isinstance(value, int) and not isinstance(value, bool):
        return repr(float(value))
    return py_literal(value)


def constraint_kwargs(field: Field) -> list[str]:
    c = field.constraints
    out: list[str] = []
    if c.min is not None:
        out.append(f"ge={c.min!r}")
    if c.max is not None:
        out.append(f"le={c.max!r}")
    if c.min_length is not None:
        out.append(f"min_length={c.min_length!r}")
    if c.max_length is not None:
        out.append(f"max_length={c.max_length!r}")
    if c.pattern is not None:
        out.append(f"pattern={py_str(c.pattern)}")
    return out


def ref_targets(t: FieldType) -> Iterable[str]:
    match t:
        case ModelRef(name) | EmbeddedRef(name):
            yield name
        case ListOf(item):
            yield from ref_targets(item)
        case DictOf(value):
            yield from ref_targets(value)
