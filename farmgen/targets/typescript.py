"""The TypeScript target: interfaces, enum unions and input types, one module per spec file.

Dates travel as ISO-8601 strings, ids and references as id strings, decimals as
strings (pydantic's JSON form). Private fields are left out. Every declaration
lives in the module of the spec file that declares it; modules import what they
use from each other, and ``index.ts`` re-exports everything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from typing import ClassVar, Literal

from farmgen.ir import (
    DictOf,
    EmbeddedRef,
    EmbeddedType,
    EnumRef,
    EnumType,
    Field,
    FieldType,
    ListOf,
    Model,
    ModelRef,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.ir.names import TYPESCRIPT_RESERVED, enum_member_name, snake_case
from farmgen.render.filters import jsdoc_lines
from farmgen.targets.base import Language, RenderContext, RenderedFile, TargetOptions

SCALAR_TYPES: dict[ScalarKind, tuple[str, str | None]] = {
    # kind: (TypeScript type, JSDoc @format)
    ScalarKind.STRING: ("string", None),
    ScalarKind.TEXT: ("string", None),
    ScalarKind.INT: ("number", "int64"),
    ScalarKind.FLOAT: ("number", "double"),
    ScalarKind.DECIMAL: ("string", "decimal"),
    ScalarKind.BOOL: ("boolean", None),
    ScalarKind.DATETIME: ("string", "date-time"),
    ScalarKind.DATE: ("string", "date"),
    ScalarKind.TIME: ("string", "time"),
    ScalarKind.UUID: ("string", "uuid"),
    ScalarKind.EMAIL: ("string", "email"),
    ScalarKind.URL: ("string", "uri"),
    ScalarKind.BYTES: ("string", "byte"),
    ScalarKind.JSON: ("unknown", None),
    ScalarKind.OBJECTID: ("string", "objectid"),
}

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


class TypeScriptOptions(TargetOptions):
    enum_style: Literal["union", "enum"] = "union"
    """``union``: a string-literal union plus a const array; ``enum``: a TypeScript enum."""
    import_extension: Literal["", ".js"] = ""
    """Suffix of relative imports (``.js`` for ``moduleResolution: nodenext``)."""


@dataclass(frozen=True)
class EnumMemberView:
    name: str
    value: str


@dataclass(frozen=True)
class EnumView:
    name: str
    values_name: str
    members: tuple[EnumMemberView, ...]
    doc: list[str]
    style: str


@dataclass(frozen=True, repr=False)
class PropertyView:
    key: str
    optional: bool
    type: str
    doc: list[str]

    def __repr__(self) -> str:  # the dataclass repr, without its recursion guard: a cache key
        return (
            f"PropertyView(key={self.key!r}, optional={self.optional!r}, "
            f"type={self.type!r}, doc={self.doc!r})"
        )


@dataclass(frozen=True, repr=False)
class InterfaceView:
    name: str
    properties: tuple[PropertyView, ...]
    doc: list[str]
    alias_of: str | None = None

    def __repr__(self) -> str:  # the dataclass repr, without its recursion guard: a cache key
        return (
            f"InterfaceView(name={self.name!r}, properties={self.properties!r}, "
            f"doc={self.doc!r}, alias_of={self.alias_of!r})"
        )


@dataclass(frozen=True)
class ImportView:
    module: str
    names: tuple[str, ...]


def ts_type_name(name: str) -> str:
    """The TypeScript name of a declared type; built-in names get a trailing ``_``."""
    return f"{name}_" if name in TYPESCRIPT_RESERVED else name


@lru_cache(maxsize=16384)
def property_key(name: str) -> str:
    return name if _IDENTIFIER.match(name) else _quote(name)


def _quote(text: str) -> str:
    from farmgen.render.filters import ts_str

    return ts_str(text)


@dataclass
class Namer:
    """Spells field types and records which declared names a module uses.

    An embedded type with defaulted fields has a second interface, ``<Name>Input``,
    where those fields are optional: what a client sends inside ``XCreate``.
    """

    inputs: frozenset[str] = frozenset()
    used: set[tuple[str, bool]] = dataclass_field(default_factory=set)

    def name(self, name: str, *, input_: bool) -> str:
        as_input = input_ and name in self.inputs
        self.used.add((name, as_input))
        return ts_type_name(name) + ("Input" if as_input else "")

    def type(self, t: FieldType, *, input_: bool = False) -> str:
        match t:
            case Scalar(kind):
                return SCALAR_TYPES[kind][0]
            case ListOf(item):
                inner = self.type(item, input_=input_)
                return f"{inner}[]" if _IDENTIFIER.match(inner) else f"({inner})[]"
            case DictOf(value):
                return f"Record<string, {self.type(value, input_=input_)}>"
            case EnumRef(name):
                return self.name(name, input_=False)
            case EmbeddedRef(name):
                return self.name(name, input_=input_)
            case ModelRef():
                return "string"
        raise AssertionError(t)  # pragma: no cover


def embedded_inputs(schema: Schema) -> frozenset[str]:
    """Embedded types that need an ``Input`` interface (a defaulted field, or one nested)."""
    needs: set[str] = set()
    changed = True
    while changed:
        changed = False
        for emb in schema.embedded:
            if emb.name in needs:
                continue
            if any(_needs_input(f, needs) for f in emb.fields if not f.private):
                needs.add(emb.name)
                changed = True
    return frozenset(needs)


def _needs_input(field: Field, needs: set[str]) -> bool:
    if field.has_default and not field.optional:
        return True
    return any(name in needs for name in _embedded_names(field.type))


def _embedded_names(t: FieldType) -> set[str]:
    match t:
        case EmbeddedRef(name):
            return {name}
        case ListOf(item):
            return _embedded_names(item)
        case DictOf(value):
            return _embedded_names(value)
    return set()


def _format_tag(t: FieldType) -> str | None:
    match t:
        case Scalar(kind):
            return SCALAR_TYPES[kind][1]
        case ListOf(item):
            return _format_tag(item)
        case ModelRef():
            return "id"
    return None


def field_doc(field: Field) -> list[str]:
    lines = jsdoc_lines(field.description) if field.description else []
    tags = []
    fmt = _format_tag(field.type)
    if fmt:
        tags.append(f"@format {fmt}")
    c = field.constraints
    if c.min_length is not None:
        tags.append(f"@minLength {c.min_length}")
    if c.max_length is not None:
        tags.append(f"@maxLength {c.max_length}")
    if c.min is not None:
        tags.append(f"@minimum {c.min}")
    if c.max is not None:
        tags.append(f"@maximum {c.max}")
    if c.pattern is not None:
        tags.extend(f"@pattern {line}" for line in jsdoc_lines(c.pattern))
    if field.default is not None:
        tags.extend(_default_tags(field.default.json))
    if lines and tags:
        lines.append("")
    return lines + tags


@lru_cache(maxsize=4096)
def _default_tags(json_text: str) -> tuple[str, ...]:
    """The ``@default`` lines of a default's canonical JSON (none for ``null``)."""
    if json.loads(json_text) is None:
        return ()
    return tuple(f"@default {line}" for line in jsdoc_lines(json_text))


def _property(field: Field, namer: Namer, *, create: bool) -> PropertyView:
    type_ = namer.type(field.type, input_=create)
    if field.optional:
        type_ += " | null"
    optional = field.optional or (create and field.has_default)
    return PropertyView(property_key(field.name), optional, type_, field_doc(field))


_SAME_ON_CREATE = (Scalar, EnumRef, ModelRef)
"""Types spelled alike in a create input (a tuple: ``isinstance`` with ``|`` builds a union)."""


def _properties(
    fields: list[Field], namer: Namer, *, create: bool, managed: bool = False
) -> tuple[tuple[PropertyView, ...], tuple[PropertyView, ...]]:
    """The properties of ``fields`` as read and, with ``create``, as sent on create
    (server-managed fields left out unless ``managed``). A field's two views share
    what they can."""
    read: list[PropertyView] = []
    sent: list[PropertyView] = []
    for field in fields:
        view = _property(field, namer, create=False)
        read.append(view)
        if not create or (field.server_managed and not managed):
            continue
        t = field.type
        optional = field.optional or field.default is not None
        if optional == view.optional and isinstance(t, _SAME_ON_CREATE):
            sent.append(view)  # the same text: nothing differs on create
        else:
            type_ = namer.type(t, input_=True)
            if field.optional:
                type_ += " | null"
            sent.append(PropertyView(view.key, optional, type_, view.doc))
    return tuple(read), tuple(sent)


def _doc(text: str | None) -> list[str]:
    return jsdoc_lines(text) if text else []


def enum_view(enum: EnumType, style: str) -> EnumView:
    members = tuple(EnumMemberView(v.member, v.value) for v in enum.values)
    name = ts_type_name(enum.name)
    values_name = enum_member_name(snake_case(enum.name)) + "_VALUES"
    return EnumView(name, values_name, members, _doc(enum.description), style)


def embedded_views(embedded: EmbeddedType, namer: Namer) -> list[InterfaceView]:
    visible = [f for f in embedded.fields if not f.private]
    name = ts_type_name(embedded.name)
    as_input = embedded.name in namer.inputs
    props, inputs = _properties(visible, namer, create=as_input, managed=True)
    views = [InterfaceView(name, props, _doc(embedded.description))]
    if as_input:
        doc = [f"{name} as a client sends it: fields with a default may be left out."]
        views.append(InterfaceView(f"{name}Input", inputs, doc))
    return views


_IDENTITY = PropertyView("id", False, "string", ["@format id"])
"""Every model's ``id`` (one view: templates only read it)."""


def model_views(model: Model, namer: Namer) -> list[InterfaceView]:
    name = ts_type_name(model.name)
    visible = [f for f in model.fields if not f.private]
    props, create = _properties(visible, namer, create=True)
    read = (_IDENTITY, *props)
    return [
        InterfaceView(name, read, _doc(model.description)),
        InterfaceView(f"{name}Create", create, [f"The fields a client sends to create a {name}."]),
        InterfaceView(
            f"{name}Update",
            (),
            [f"A partial update of a {name}."],
            alias_of=f"Partial<{name}Create>",
        ),
    ]


def module_names(sources: tuple[str, ...]) -> dict[str, str]:
    """The module name (without extension) for each spec file, unique and stable."""
    stems = [re.sub(r"\W", "_", s.rsplit("/", 1)[-1].rsplit(".", 1)[0]) for s in sources]
    names: dict[str, str] = {}
    for source, stem in zip(sources, stems, strict=True):
        unique = stems.count(stem) == 1 and stem != "index"
        names[source] = (
            stem if unique else re.sub(r"\W", "_", source.rsplit(".", 1)[0].replace("/", "__"))
        )
    return names


class TypeScriptTarget:
    name: ClassVar[str] = "typescript"
    options_model: ClassVar[type[TargetOptions]] = TypeScriptOptions

    def render(
        self, schema: Schema, options: TargetOptions, context: RenderContext
    ) -> list[RenderedFile]:
        assert isinstance(options, TypeScriptOptions)
        modules = module_names(schema.sources)
        home = {
            item.name: item.source
            for source in schema.sources
            for item in schema.declared_in(source)
        }
        inputs = embedded_inputs(schema)
        files = [
            self._module(schema, source, modules, home, options, context, inputs)
            for source in schema.sources
        ]
        index = context.renderer.render(
            "index.ts.j2",
            comment="//",
            version=context.version,
            sources=list(schema.sources),
            modules=[f"./{modules[s]}{options.import_extension}" for s in schema.sources],
        )
        files.append(RenderedFile("index.ts", index, Language.TYPESCRIPT, self.name))
        return files

    def _module(  # noqa: PLR0917 - a private helper with one call site
        self,
        schema: Schema,
        source: str,
        modules: dict[str, str],
        home: dict[str, str],
        options: TypeScriptOptions,
        context: RenderContext,
        inputs: frozenset[str],
    ) -> RenderedFile:
        enums = [enum_view(e, options.enum_style) for e in schema.enums if e.source == source]
        interfaces: list[InterfaceView] = []
        namer = Namer(inputs)
        for emb in schema.embedded:
            if emb.source == source:
                interfaces.extend(embedded_views(emb, namer))
        for model in schema.models:
            if model.source == source:
                interfaces.extend(model_views(model, namer))
        imports = _imports(namer, source, modules, home, options.import_extension)
        text = context.renderer.render_cached(
            "module.ts.j2",
            comment="//",
            version=context.version,
            sources=[source],
            imports=imports,
            enums=enums,
            interfaces=interfaces,
        )
        return RenderedFile(f"{modules[source]}.ts", text, Language.TYPESCRIPT, self.name)


def _imports(
    namer: Namer, source: str, modules: dict[str, str], home: dict[str, str], ext: str
) -> list[ImportView]:
    by_module: dict[str, set[str]] = {}
    for name, as_input in namer.used:
        origin = home[name]
        if origin != source:
            by_module.setdefault(origin, set()).add(
                ts_type_name(name) + ("Input" if as_input else "")
            )
    return [
        ImportView(f"./{modules[origin]}{ext}", tuple(sorted(names)))
        for origin, names in sorted(by_module.items(), key=lambda kv: modules[kv[0]])
    ]
