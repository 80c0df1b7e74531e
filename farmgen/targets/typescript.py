"""The TypeScript target: interfaces, enum unions and input types, one module per spec file.

Dates travel as ISO-8601 strings, ids and references as id strings, decimals as
strings (pydantic's JSON form). Private fields are left out. Every declaration
lives in the module of the spec file that declares it; modules import what they
use from each other, and ``index.ts`` re-exports everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PropertyView:
    key: str
    optional: bool
    type: str
    doc: list[str]


@dataclass(frozen=True)
class InterfaceView:
    name: str
    properties: tuple[PropertyView, ...]
    doc: list[str]
    alias_of: str | None = None


@dataclass(frozen=True)
class ImportView:
    module: str
    names: tuple[str, ...]


def ts_type_name(name: str) -> str:
    """The TypeScript name of a declared type; built-in names get a trailing ``_``."""
    return f"{name}_" if name in TYPESCRIPT_RESERVED else name


def property_key(name: str) -> str:
    return name if _IDENTIFIER.match(name) else _quote(name)


def _quote(text: str) -> str:
    from farmgen.render.filters import ts_str

    return ts_str(text)


def ts_type(t: FieldType) -> str:
    match t:
        case Scalar(kind):
            return SCALAR_TYPES[kind][0]
        case ListOf(item):
            inner = ts_type(item)
            return f"{inner}[]" if _IDENTIFIER.match(inner) else f"({inner})[]"
        case DictOf(value):
            return f"Record<string, {ts_type(value)}>"
        case EnumRef(name) | EmbeddedRef(name):
            return ts_type_name(name)
        case ModelRef():
            return "string"
    raise AssertionError(t)  # pragma: no cover


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
    for tag, value in (
        ("minLength", c.min_length),
        ("maxLength", c.max_length),
        ("minimum", c.min),
        ("maximum", c.max),
    ):
        if value is not None:
            tags.append(f"@{tag} {value}")
    if c.pattern is not None:
        tags.extend(f"@pattern {line}" for line in jsdoc_lines(c.pattern))
    if field.default is not None:
        tags.extend(f"@default {line}" for line in jsdoc_lines(field.default.json))
    if lines and tags:
        lines.append("")
    return lines + tags


def _property(field: Field, *, create: bool) -> PropertyView:
    type_ = ts_type(field.type)
    if field.optional:
        type_ += " | null"
    optional = field.optional or (create and field.has_default)
    return PropertyView(property_key(field.name), optional, type_, field_doc(field))


def _doc(text: str | None) -> list[str]:
    return jsdoc_lines(text) if text else []


def enum_view(enum: EnumType, style: str) -> EnumView:
    members = tuple(EnumMemberView(v.member, v.value) for v in enum.values)
    name = ts_type_name(enum.name)
    values_name = enum_member_name(snake_case(enum.name)) + "_VALUES"
    return EnumView(name, values_name, members, _doc(enum.description), style)


def embedded_views(embedded: EmbeddedType) -> list[InterfaceView]:
    props = tuple(_property(f, create=False) for f in embedded.fields if not f.private)
    return [InterfaceView(ts_type_name(embedded.name), props, _doc(embedded.description))]


def model_views(model: Model) -> list[InterfaceView]:
    name = ts_type_name(model.name)
    visible = [f for f in model.fields if not f.private]
    identity = PropertyView("id", False, "string", ["@format id"])
    read = (identity, *(_property(f, create=False) for f in visible))
    create = tuple(_property(f, create=True) for f in visible if not f.server_managed)
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


def _named_types(t: FieldType) -> set[str]:
    match t:
        case EnumRef(name) | EmbeddedRef(name):
            return {name}
        case ListOf(item):
            return _named_types(item)
        case DictOf(value):
            return _named_types(value)
    return set()


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
        files = [
            self._module(schema, source, modules, home, options, context)
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
    ) -> RenderedFile:
        enums = [enum_view(e, options.enum_style) for e in schema.enums if e.source == source]
        interfaces: list[InterfaceView] = []
        used: set[str] = set()
        for emb in schema.embedded:
            if emb.source == source:
                interfaces.extend(embedded_views(emb))
                used.update(*(_named_types(f.type) for f in emb.fields if not f.private))
        for model in schema.models:
            if model.source == source:
                interfaces.extend(model_views(model))
                used.update(*(_named_types(f.type) for f in model.fields if not f.private))
        imports = _imports(used, source, modules, home, options.import_extension)
        text = context.renderer.render(
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
    used: set[str], source: str, modules: dict[str, str], home: dict[str, str], ext: str
) -> list[ImportView]:
    by_module: dict[str, set[str]] = {}
    for name in used:
        origin = home[name]
        if origin != source:
            by_module.setdefault(origin, set()).add(ts_type_name(name))
    return [
        ImportView(f"./{modules[origin]}{ext}", tuple(sorted(names)))
        for origin, names in sorted(by_module.items(), key=lambda kv: modules[kv[0]])
    ]
