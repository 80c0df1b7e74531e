"""View models shared by the Python targets: enums and pydantic classes.

A target supplies a :class:`TypeTable` (how each IR scalar is spelled in Python and
where it is imported from); this module turns enums, embedded types and fields
into laid-out lines that the ``_shared`` templates print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from farmgen.format import text_width
from farmgen.ir import EmbeddedType, EnumType, Field, FieldType, OnDelete, Schema
from farmgen.ir.types import DictOf, EmbeddedRef, EnumRef, ListOf, ModelRef, Scalar, ScalarKind
from farmgen.render.filters import py_docstring, py_str
from farmgen.targets.base import Language, RenderContext, RenderedFile
from farmgen.targets.python import (
    Call,
    Expr,
    Imports,
    attr_name,
    class_header,
    constraint_kwargs,
    default_expression,
    isort_key,
    layout,
    wrap_call,
)


@dataclass(frozen=True)
class TypeTable:
    scalars: dict[ScalarKind, tuple[str, str]]
    """kind → (module, name) of the Python type."""
    ref: Callable[[str, Imports, bool], str]
    """Spells ``ref[M]`` (arguments: model name, imports, inside a list)."""
    forward: frozenset[str] = frozenset()
    """Names declared later in the same module: quoted in annotations."""
    embedded_module: str | None = ".embedded"
    """Where embedded types are imported from; None when they are declared in this module."""


def python_type(t: FieldType, table: TypeTable, imports: Imports, in_list: bool = False) -> str:
    if isinstance(t, Scalar):  # most fields: before the pattern matching
        module, name = table.scalars[t.kind]
        return imports.use(module, name) if module else name
    match t:
        case ListOf(item):
            return f"list[{python_type(item, table, imports, True)}]"
        case DictOf(value):
            return f"dict[str, {python_type(value, table, imports)}]"
        case EnumRef(name):
            return imports.use(".enums", name)
        case EmbeddedRef(name):
            return _embedded_name(name, table, imports)
        case ModelRef(name):
            return table.ref(name, imports, in_list)
    raise AssertionError(t)  # pragma: no cover


def _embedded_name(name: str, table: TypeTable, imports: Imports) -> str:
    if table.embedded_module is not None:
        return imports.use(table.embedded_module, name)
    return py_str(name) if name in table.forward else name


@dataclass(frozen=True)
class EnumMemberView:
    name: str
    value: str


@dataclass(frozen=True)
class EnumView:
    name: str
    base: str
    docstring: str | None
    members: tuple[EnumMemberView, ...]


@dataclass(frozen=True)
class ClassView:
    header: tuple[str, ...]
    docstring: str | None = None
    blocks: tuple[tuple[str, ...], ...] = ()
    """Groups of indented lines, printed with one blank line between them."""


def docstring(text: str | None, indent: str = "    ") -> str | None:
    if text is None or not text.strip():
        return None
    return py_docstring(text, indent)


def enum_views(enums: Sequence[EnumType], imports: Imports) -> list[EnumView]:
    base = imports.use("enum", "StrEnum")
    return [
        EnumView(
            e.name,
            base,
            docstring(e.description),
            tuple(EnumMemberView(v.member, v.value) for v in e.values),
        )
        for e in enums
    ]


@dataclass
class FieldDeclaration:
    """One ``attr: Annotation = value`` statement, before layout."""

    attr: str
    annotation: str
    kwargs: list[str] = field(default_factory=list)
    default: str | None = None
    factory: str | None = None
    markers: tuple[str, ...] = ()
    """``Annotated`` metadata (``Private()``, ``Indexed(...)``); the caller imports them."""

    def full_annotation(self, imports: Imports) -> str:
        if not self.markers:
            return self.annotation
        annotated = imports.local("typing", "Annotated")
        return f"{annotated}[{', '.join((self.annotation, *self.markers))}]"

    def lines(self, imports: Imports, line_length: int, indent: str = "    ") -> list[str]:
        annotation = self.full_annotation(imports) if self.markers else self.annotation
        head = f"{self.attr}: {annotation}"
        if not self.kwargs and self.factory is None:
            if self.default is None:
                return [f"{indent}{head}"]
            one = f"{indent}{head} = {self.default}"
            if text_width(one) <= line_length or "(" in self.default:
                return [one]
            return [f"{indent}{head} = (", f"{indent}    {self.default}", f"{indent})"]
        args: list[Expr] = []
        if self.default is not None:
            args.append(f"default={self.default}")
        if self.factory is not None:
            args.append(f"default_factory={self.factory}")
        args.extend(self.kwargs)
        call = Call(imports.use("pydantic", "Field") + "(", tuple(args), ")")
        return layout(call, indent, line_length, f"{head} = ")


def pydantic_field(
    f: Field, schema: Schema, table: TypeTable, imports: Imports
) -> FieldDeclaration:
    """The declaration of an IR field on a pydantic model (embedded type or document)."""
    name = f.name
    attr = attr_name(name)
    annotation = python_type(f.type, table, imports)
    if f.optional:
        annotation += " | None"
    kwargs: list[str] = []
    decl = FieldDeclaration(attr, annotation, kwargs)
    default = default_expression(f, schema.enum_map, imports)
    if default is not None:
        expr, is_factory = default
        if is_factory:
            decl.factory = expr
        else:
            decl.default = expr
    if attr != name:
        kwargs.append(f"alias={py_str(name)}")
    kwargs.extend(constraint_kwargs(f))
    description = f.description.strip() if f.description else ""
    if description:
        kwargs.append(f"description={py_str(description)}")
    if f.private or f.on_delete is not None:
        decl.markers = farmgen_markers(f, imports)
    if kwargs and decl.default is None and decl.factory is None and not f.required:
        decl.default = "None"
    return decl


EXTENSION_KEY = "x-farmgen"
"""The key under which generated code keeps spec facts Python has no word for."""


def hint_dict(values: dict[str, object]) -> str | None:
    """``{"x-farmgen": {...}}`` as Python source (keys in the order given), or None."""
    if not values:
        return None
    items = ", ".join(f"{py_str(k)}: {_hint_value(v)}" for k, v in values.items())
    return f"{{{py_str(EXTENSION_KEY)}: {{{items}}}}}"


def _hint_value(value: object) -> str:
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_hint_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(k)}: {_hint_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


FIELD_TYPES = "farmgen.runtime.fieldtypes"


def farmgen_markers(f: Field, imports: Imports) -> tuple[str, ...]:
    """What a pydantic field cannot say, as ``Annotated`` markers pydantic ignores (so not
    in JSON Schema): a reference's ``on_delete`` when it is not the spec's default, and
    ``private``."""
    markers: list[str] = []
    implied = OnDelete.SET_NULL if f.optional else OnDelete.RESTRICT  # the spec's default
    if isinstance(f.type, ModelRef) and f.on_delete not in (None, implied):
        assert f.on_delete is not None
        markers.append(f"{imports.use(FIELD_TYPES, 'OnDelete')}({py_str(f.on_delete.value)})")
    if f.private:
        markers.append(f"{imports.use(FIELD_TYPES, 'Private')}()")
    if markers:
        imports.use("typing", "Annotated")
    return tuple(markers)


def _holds_bytes(t: FieldType) -> bool:
    if isinstance(t, Scalar):
        return t.kind is ScalarKind.BYTES
    match t:
        case Scalar(ScalarKind.BYTES):
            return True
        case ListOf(item):
            return _holds_bytes(item)
        case DictOf(value):
            return _holds_bytes(value)
    return False


def _any_bytes(fields: Sequence[Field]) -> bool:
    """Whether one of the fields (mixin fields left out) holds bytes."""
    return any(_holds_bytes(f.type) for f in fields if f.mixin is None)


def model_config(
    fields: Sequence[Field], imports: Imports, line_length: int, *, populate_by_name: bool
) -> list[str]:
    """``model_config`` lines: aliases accepted by name; bytes as base64 in JSON.

    Base64 is what the TypeScript target declares for ``bytes`` (``@format byte``).
    """
    args: list[Expr] = []
    if populate_by_name:
        args.append("populate_by_name=True")
    if _any_bytes(fields):
        args += ['ser_json_bytes="base64"', 'val_json_bytes="base64"']
    if not args:
        return []
    call = Call(f"{imports.use('pydantic', 'ConfigDict')}(", tuple(args), ")")
    return layout(call, "    ", line_length, "model_config = ")


def forward_names(names: Sequence[str], refs: Callable[[str], set[str]]) -> dict[str, set[str]]:
    """For each declared name, the names it uses that are declared later (or itself)."""
    position = {n: i for i, n in enumerate(names)}
    return {n: {r for r in refs(n) if r in position and position[r] >= position[n]} for n in names}


def embedded_classes(
    embedded: Sequence[EmbeddedType],
    schema: Schema,
    table: TypeTable,
    imports: Imports,
    line_length: int,
) -> tuple[list[ClassView], list[str]]:
    """Pydantic models for the embedded types, and the ``model_rebuild`` trailer lines."""
    from farmgen.targets.python import ref_targets

    names = [e.name for e in embedded]
    by_name = {e.name: e for e in embedded}
    later = forward_names(
        names, lambda n: {r for f in by_name[n].fields for r in ref_targets(f.type)}
    )
    base = imports.use("pydantic", "BaseModel")
    classes: list[ClassView] = []
    for emb in embedded:
        local = TypeTable(table.scalars, table.ref, frozenset(later[emb.name]), None)
        fields = [pydantic_field(f, schema, local, imports) for f in emb.fields]
        blocks: list[tuple[str, ...]] = []
        aliased = any(d.attr != f.name for d, f in zip(fields, emb.fields, strict=True))
        config = model_config(emb.fields, imports, line_length, populate_by_name=aliased)
        if config:
            blocks.append(tuple(config))
        lines = [line for d in fields for line in d.lines(imports, line_length)]
        if lines:
            blocks.append(tuple(lines))
        classes.append(
            ClassView(
                tuple(class_header(emb.name, [base], line_length)),
                docstring(emb.description),
                tuple(blocks),
            )
        )
    trailer = [f"{n}.model_rebuild()" for n in names if later[n]]
    return classes, trailer


def all_list(names: Sequence[str], line_length: int) -> list[str]:
    quoted = [py_str(n) for n in sorted(names, key=isort_key)]
    return wrap_call("__all__ = [", quoted, "]", "", line_length, collection=True)


class PythonFiles:
    """What the Python targets render alike: any file from its ``<path>.j2`` template
    with the shared header values, ``enums.py``, ``embedded.py`` and the imports of
    ``__init__.py``. A target's renderer derives from it and sets ``name``."""

    name: ClassVar[str]

    def __init__(self, line_length: int) -> None:
        self.line_length = line_length

    def _file(
        self, path: str, context: RenderContext, schema: Schema, **values: object
    ) -> RenderedFile:
        values.setdefault("docstring", None)
        text = context.renderer.render(
            f"{path}.j2",
            comment="#",
            version=context.version,
            sources=list(schema.sources),
            **values,
        )
        return RenderedFile(path, text, Language.PYTHON, self.name)

    def _enums(self, schema: Schema, context: RenderContext) -> RenderedFile:
        imports = Imports.for_schema(schema)
        enums = enum_views(schema.enums, imports)
        return self._file(
            "enums.py", context, schema, imports=imports.lines(self.line_length), enums=enums
        )

    def _embedded(self, schema: Schema, context: RenderContext, table: TypeTable) -> RenderedFile:
        imports = Imports.for_schema(schema)
        classes, trailer = embedded_classes(
            schema.embedded, schema, table, imports, self.line_length
        )
        return self._file(
            "embedded.py",
            context,
            schema,
            imports=imports.lines(self.line_length),
            classes=classes,
            trailer=trailer,
        )

    @staticmethod
    def _package_imports(schema: Schema, models_module: str) -> Imports:
        """``__init__.py``'s imports: each enum, embedded type and model from its module."""
        imports = Imports.for_schema(schema)
        for e in schema.enums:
            imports.use(".enums", e.name)
        for emb in schema.embedded:
            imports.use(".embedded", emb.name)
        for m in schema.models:
            imports.use(models_module, m.name)
        return imports
