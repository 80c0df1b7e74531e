"""The Beanie target: Beanie 2 documents on the runtime's base document and mixins.

Files: ``enums.py`` (``StrEnum`` classes), ``embedded.py`` (pydantic models),
``documents.py`` (one document per model) and ``__init__.py`` (every class and a
``DOCUMENT_MODELS`` list for ``init_beanie``). Single-field indexes use
``Annotated[..., Indexed(...)]``; compound, directional and text indexes are
``pymongo.IndexModel`` values in ``Settings.indexes``. Index names are the IR's.
A unique index on an optional field only covers documents where the field holds a
value (a partial index), so many documents may leave it empty.
"""

from __future__ import annotations

from typing import ClassVar

from farmgen.diagnostics import FarmgenError
from farmgen.format import text_width
from farmgen.ir import Field, Index, Model, ScalarKind, Schema
from farmgen.ir.types import DictOf, EmbeddedRef, EnumRef, FieldType, ListOf, ModelRef, Scalar
from farmgen.render.filters import py_docstring, py_str
from farmgen.runtime.mongo_schema import PARTIAL_FILTER_TYPES
from farmgen.targets.base import RenderContext, RenderedFile, TargetOptions
from farmgen.targets.python import (
    MIXIN_CLASSES,
    Call,
    Expr,
    Imports,
    class_header,
    ref_targets,
    wrap_call,
)
from farmgen.targets.pyviews import (
    ClassView,
    FieldDeclaration,
    PythonFiles,
    TypeTable,
    all_list,
    docstring,
    forward_names,
    model_config,
    pydantic_field,
)

RUNTIME = "farmgen.runtime.documents"
FIELD_TYPES = "farmgen.runtime.fieldtypes"
DOCUMENT_INIT_NAMES = frozenset({"self"})
"""Stored names beanie.Document.__init__(self, *args, **kwargs) cannot receive."""

SCALARS: dict[ScalarKind, tuple[str, str]] = {
    ScalarKind.STRING: ("", "str"),
    ScalarKind.TEXT: (FIELD_TYPES, "Text"),
    ScalarKind.INT: ("", "int"),
    ScalarKind.FLOAT: ("", "float"),
    ScalarKind.DECIMAL: ("beanie", "DecimalAnnotation"),
    ScalarKind.BOOL: ("", "bool"),
    ScalarKind.DATETIME: (RUNTIME, "UTCDatetime"),
    ScalarKind.DATE: ("datetime", "date"),
    ScalarKind.TIME: ("datetime", "time"),
    ScalarKind.UUID: ("uuid", "UUID"),
    ScalarKind.EMAIL: ("pydantic", "EmailStr"),
    ScalarKind.URL: ("pydantic", "HttpUrl"),
    ScalarKind.BYTES: ("", "bytes"),
    ScalarKind.JSON: ("pydantic", "JsonValue"),
    ScalarKind.OBJECTID: ("beanie", "PydanticObjectId"),
}

BSON_TYPES: dict[ScalarKind, str] = {
    kind: PARTIAL_FILTER_TYPES[kind.value]
    for kind in ScalarKind
    if kind.value in PARTIAL_FILTER_TYPES
}
"""The BSON ``$type`` of a stored scalar, shared with the migration applier's indexes."""


class BeanieOptions(TargetOptions):
    """The beanie target has no options of its own yet."""


_NAMED = (EnumRef, ModelRef)
"""Types that never hold a ``time`` value (a tuple: ``isinstance`` with ``|`` builds a union)."""


def _embedded_ref(name: str, imports: Imports, in_list: bool) -> str:
    return imports.use("beanie", "PydanticObjectId")


def _document_table(forward: frozenset[str]) -> TypeTable:
    def ref(name: str, imports: Imports, in_list: bool) -> str:
        link = imports.use("beanie", "Link")
        return f"{link}[{py_str(name) if name in forward else name}]"

    return TypeTable(SCALARS, ref, forward)


def _bson_type(t: FieldType) -> str | None:
    match t:
        case Scalar(kind):
            return BSON_TYPES.get(kind)
        case EnumRef():
            return "string"
        case EmbeddedRef() | ModelRef():
            return "object"
        case ListOf():
            return "array"
    return "object"


def _partial_filter(field: Field) -> str | None:
    bson = _bson_type(field.type)
    if not field.optional or bson is None:
        return None
    return f'partialFilterExpression={{{py_str(field.name)}: {{"$type": {py_str(bson)}}}}}'


def _index_model(index: Index, model: Model, imports: Imports) -> Call:
    index_model = imports.use("pymongo", "IndexModel")
    keys: list[Expr] = []
    for key in index.keys:
        direction = "TEXT" if index.text else "DESCENDING" if key.descending else "ASCENDING"
        keys.append(f"({py_str(key.path)}, {imports.use('pymongo', direction)})")
    args: list[Expr] = [Call("[", tuple(keys), "]", collection=True), f"name={py_str(index.name)}"]
    if index.unique:
        args.append("unique=True")
        field = model.field_map.get(index.keys[0].path)
        partial = _partial_filter(field) if field and len(index.keys) == 1 else None
        if partial:
            args.append(partial)
    return Call(f"{index_model}(", tuple(args), ")")


def _single_field_indexes(model: Model, own_fields: tuple[Field, ...]) -> dict[str, Index]:
    """Indexes declared on one of the model's own fields, ascending: written as ``Indexed``."""
    if not model.indexes:
        return {}
    own = {f.name for f in own_fields}
    return {
        i.keys[0].path: i
        for i in model.indexes
        if i.from_field
        and len(i.keys) == 1
        and not i.text
        and not i.keys[0].descending
        and i.keys[0].path in own
        and not (i.unique and _partial_filter(model.field_map[i.keys[0].path]))
    }


def _stores_time(f: Field) -> bool:
    """A ``time`` value, a list of them or a dict of them (not nested further)."""
    t = f.type
    if isinstance(t, ListOf):
        t = t.item
    elif isinstance(t, DictOf):
        t = t.value
    return isinstance(t, Scalar) and t.kind is ScalarKind.TIME


def _embedded_with_time(schema: Schema) -> frozenset[str]:
    """The embedded types that store a ``time`` value, directly or in one they embed."""
    found = {e.name for e in schema.embedded if any(_stores_time(f) for f in e.fields)}
    uses = {
        e.name: {n for f in e.fields for n in ref_targets(f.type) if n in schema.embedded_map}
        for e in schema.embedded
    }
    changed = True
    while changed:
        changed = False
        for name, nested in uses.items():
            if name not in found and not nested.isdisjoint(found):
                found.add(name)
                changed = True
    return frozenset(found)


def _uses_time(fields: tuple[Field, ...], embedded_with_time: frozenset[str]) -> bool:
    """Whether a ``time`` value is stored, directly or inside an embedded type."""
    for f in fields:
        t = f.type
        if isinstance(t, Scalar):
            if t.kind is ScalarKind.TIME:
                return True
        elif not isinstance(t, _NAMED) and (
            _stores_time(f) or any(name in embedded_with_time for name in ref_targets(t))
        ):
            return True
    return False


def _model_refs(model: Model) -> set[str]:
    """The models that ``model``'s fields reference (``ref[M]`` and ``list[ref[M]]``)."""
    found: set[str] = set()
    for f in model.fields:
        t = f.type
        if isinstance(t, ModelRef):
            found.add(t.name)
        elif isinstance(t, ListOf) and isinstance(t.item, ModelRef):
            found.add(t.item.name)
    return found


class BeanieTarget:
    name: ClassVar[str] = "beanie"
    options_model: ClassVar[type[TargetOptions]] = BeanieOptions

    def render(
        self, schema: Schema, options: TargetOptions, context: RenderContext
    ) -> list[RenderedFile]:
        return _Renderer(context.line_length).render(schema, options, context)


class _Renderer(PythonFiles):
    name = "beanie"
    _time_types: frozenset[str] = frozenset()
    """The embedded types that hold a ``time`` value (set by ``_documents``)."""

    def render(
        self, schema: Schema, options: TargetOptions, context: RenderContext
    ) -> list[RenderedFile]:
        files = []
        if schema.enums:
            files.append(self._enums(schema, context))
        if schema.embedded:
            files.append(self._embedded(schema, context, TypeTable(SCALARS, _embedded_ref)))
        files.append(self._documents(schema, context))
        files.append(self._package(schema, context))
        return files

    def _documents(self, schema: Schema, context: RenderContext) -> RenderedFile:
        self._time_types = _embedded_with_time(schema)
        names = [m.name for m in schema.models]
        later = forward_names(names, lambda n: _model_refs(schema.model(n)))
        imports = Imports.for_schema(schema)
        classes = [
            self._document(m, schema, imports, frozenset(later[m.name])) for m in schema.models
        ]
        trailer = [f"{n}.model_rebuild()" for n in names if later[n]]
        return self._file(
            "documents.py",
            context,
            schema,
            imports=imports.lines(self.line_length),
            classes=classes,
            trailer=trailer,
        )

    def _document(
        self, model: Model, schema: Schema, imports: Imports, forward: frozenset[str]
    ) -> ClassView:
        table = _document_table(forward)
        bases = [imports.use(RUNTIME, MIXIN_CLASSES[m]) for m in model.mixins]
        bases.append(imports.use(RUNTIME, "BaseDocument"))
        blocks: list[tuple[str, ...]] = []
        if model.search:
            classvar = imports.use("typing", "ClassVar")
            items = [py_str(p) for p in model.search]
            if len(items) == 1:
                items[0] += ","
            head = f"search_fields: {classvar}[tuple[str, ...]] = ("
            blocks.append(
                tuple(wrap_call(head, items, ")", "    ", self.line_length, collection=True))
            )
        config = model_config(model.fields, imports, self.line_length, populate_by_name=False)
        if config:
            blocks.append(tuple(config))
        own_fields = model.own_fields
        indexed = _single_field_indexes(model, own_fields)
        lines: list[str] = []
        for f in own_fields:
            if f.name in DOCUMENT_INIT_NAMES:
                raise FarmgenError(
                    f"{f.location}: a Beanie document cannot store a field named '{f.name}' "
                    f"(beanie.Document.__init__ takes it as a parameter); rename "
                    f"{model.name}.{f.name}"
                )
            decl = pydantic_field(f, schema, table, imports)
            index = indexed.get(f.name)
            with_index = None if index is None else self._with_indexed(decl, index, imports)
            if with_index is not None:
                lines.extend(with_index)
                continue
            if index is not None:
                del indexed[f.name]  # too long for one line: Settings.indexes has it
            lines.extend(decl.lines(imports, self.line_length))
        if lines:
            blocks.append(tuple(lines))
        blocks.append(tuple(self._settings(model, schema, indexed, imports)))
        return ClassView(
            tuple(class_header(model.name, bases, self.line_length)),
            docstring(model.description),
            tuple(blocks),
        )

    def _with_indexed(
        self, decl: FieldDeclaration, index: Index, imports: Imports
    ) -> list[str] | None:
        """The declaration with ``Annotated[..., Indexed(...)]`` if its lines all fit."""
        args = ["unique=True"] if index.unique else []
        args.append(f"name={py_str(index.name)}")
        indexed = f"{imports.local('beanie', 'Indexed')}({', '.join(args)})"
        marked = FieldDeclaration(
            decl.attr,
            decl.annotation,
            decl.kwargs,
            decl.default,
            decl.factory,
            (indexed, *decl.markers),
        )
        lines = marked.lines(imports, self.line_length)
        for line in lines:
            if text_width(line) > self.line_length:
                return None
        imports.use("typing", "Annotated")
        imports.use("beanie", "Indexed")
        return lines

    def _settings(
        self, model: Model, schema: Schema, done: dict[str, Index], imports: Imports
    ) -> list[str]:
        base = imports.use(RUNTIME, "BaseDocument")
        lines = [
            f"    class Settings({base}.Settings):",
            f"        name = {py_str(model.collection)}",
        ]
        skip = {id(i) for i in done.values()}
        models = [_index_model(i, model, imports) for i in model.indexes if id(i) not in skip]
        if models:
            lines.extend(
                wrap_call("indexes = [", models, "]", "        ", self.line_length, collection=True)
            )
        if _uses_time(model.fields, self._time_types):
            time = imports.use("datetime", "time")
            lines.append(f"        bson_encoders = {{{time}: {time}.isoformat}}")
        return lines

    def _package(self, schema: Schema, context: RenderContext) -> RenderedFile:
        imports = self._package_imports(schema, ".documents")
        document = imports.use("beanie", "Document")
        models = [m.name for m in schema.models]
        head = f"DOCUMENT_MODELS: list[type[{document}]] = ["
        exported = [
            *(e.name for e in schema.enums),
            *(e.name for e in schema.embedded),
            *models,
            "DOCUMENT_MODELS",
        ]
        trailer = [
            *wrap_call(head, models, "]", "", self.line_length, collection=True),
            '"""Every document class, for ``init_beanie(document_models=...)``."""',
            "",
            *all_list(exported, self.line_length),
        ]
        return self._file(
            "__init__.py",
            context,
            schema,
            docstring=py_docstring("Beanie documents, embedded types and enums.", ""),
            imports=imports.lines(self.line_length),
            trailer=trailer,
        )
