"""The SQLAlchemy target: SQLAlchemy 2 typed declarative models on the runtime's ``Base``.

Files: ``enums.py``, ``embedded.py`` (pydantic models stored in JSON columns through
``EmbeddedJSON``, so they stay typed), ``models.py`` (association tables, then one
class per model, then directional indexes) and ``__init__.py``.

Column types: ``String(max_length)``; a string without ``max_length`` is ``Text``
unless it is indexed, where it gets ``String(255)`` (:data:`DEFAULT_STRING_LENGTH`:
MySQL cannot index an unbounded column). E-mail addresses default to
``String(320)``. Integers are 64-bit (``BigInteger``), as in Python, MongoDB and
the TypeScript ``int64`` format. Decimals are ``Numeric(precision, scale)`` from the options
(MySQL's ``DECIMAL`` without them keeps no fraction). ``min``/``max`` become named
``CHECK`` constraints; full-text (``searchable``) indexes are left to the database
administrator because no portable form exists. Index names are the IR's.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field as OptionField

from farmgen.ir import Field, Schema
from farmgen.ir.names import snake_case
from farmgen.ir.types import DictOf, EmbeddedRef, EnumRef, FieldType, ListOf, Scalar, ScalarKind
from farmgen.render.filters import py_docstring, py_str
from farmgen.targets.base import RenderContext, RenderedFile, TargetOptions
from farmgen.targets.python import Call, Expr, Imports, attr_name, default_expression, layout
from farmgen.targets.pyviews import PythonFiles, TypeTable, all_list, hint_dict, python_type
from farmgen.targets.sql_relations import Relation, relations

RUNTIME = "farmgen.runtime.tables"
DEFAULT_STRING_LENGTH = 255
EMAIL_LENGTH = 320

SCALARS: dict[ScalarKind, tuple[str, str]] = {
    ScalarKind.STRING: ("", "str"),
    ScalarKind.TEXT: ("", "str"),
    ScalarKind.INT: ("", "int"),
    ScalarKind.FLOAT: ("", "float"),
    ScalarKind.DECIMAL: ("decimal", "Decimal"),
    ScalarKind.BOOL: ("", "bool"),
    ScalarKind.DATETIME: ("datetime", "datetime"),
    ScalarKind.DATE: ("datetime", "date"),
    ScalarKind.TIME: ("datetime", "time"),
    ScalarKind.UUID: ("uuid", "UUID"),
    ScalarKind.EMAIL: ("", "str"),
    ScalarKind.URL: ("", "str"),
    ScalarKind.BYTES: ("", "bytes"),
    ScalarKind.JSON: ("typing", "Any"),
    ScalarKind.OBJECTID: ("", "str"),
}
"""Python types of columns (``Mapped[...]``)."""

EMBEDDED_SCALARS = {
    **SCALARS,
    ScalarKind.TEXT: ("farmgen.runtime.fieldtypes", "Text"),
    ScalarKind.EMAIL: ("pydantic", "EmailStr"),
    ScalarKind.URL: ("pydantic", "HttpUrl"),
    ScalarKind.JSON: ("pydantic", "JsonValue"),
}
"""Python types inside embedded (pydantic) types, which validate like the Beanie side."""

SIMPLE_JSON = frozenset(
    {
        ScalarKind.STRING,
        ScalarKind.TEXT,
        ScalarKind.INT,
        ScalarKind.FLOAT,
        ScalarKind.BOOL,
        ScalarKind.EMAIL,
        ScalarKind.URL,
        ScalarKind.JSON,
        ScalarKind.OBJECTID,
    }
)
"""Scalars JSON holds as they are; containers of anything else go through ``EmbeddedJSON``."""


_JSON_TYPES = (ListOf, DictOf, EmbeddedRef)
"""A tuple for ``isinstance`` (``A | B`` builds a union object on every call)."""


def is_json_column(t: FieldType) -> bool:
    """Stored as JSON in SQL: containers, embedded types and ``json``."""
    if isinstance(t, Scalar):
        return t.kind is ScalarKind.JSON
    return isinstance(t, _JSON_TYPES)


UNINDEXABLE = frozenset({ScalarKind.TEXT, ScalarKind.BYTES, ScalarKind.JSON})
"""Kinds SQL keeps unindexed (MySQL cannot index ``TEXT``/``BLOB`` without a prefix)."""


def is_sql_indexable(t: FieldType) -> bool:
    if isinstance(t, Scalar):
        return t.kind not in UNINDEXABLE
    return not is_json_column(t)


STRING_KINDS = frozenset(
    {ScalarKind.STRING, ScalarKind.TEXT, ScalarKind.EMAIL, ScalarKind.URL, ScalarKind.OBJECTID}
)
STRING_COLUMN_KINDS = STRING_KINDS - {ScalarKind.TEXT}
"""String kinds whose column is ``String(n)`` when they have a length."""
EXPLICIT_TYPES: dict[ScalarKind, tuple[str, str]] = {
    ScalarKind.TEXT: ("sqlalchemy", "Text"),
    ScalarKind.INT: ("sqlalchemy", "BigInteger"),
    ScalarKind.FLOAT: ("sqlalchemy", "Double"),
    ScalarKind.DATETIME: (RUNTIME, "UTCDateTime"),
    ScalarKind.BYTES: ("sqlalchemy", "LargeBinary"),
    ScalarKind.JSON: (RUNTIME, "JSONValue"),
}
"""Column types of the other kinds that need one (the annotation decides for the rest)."""
NATURAL_LENGTHS: dict[ScalarKind, int] = {ScalarKind.EMAIL: EMAIL_LENGTH, ScalarKind.OBJECTID: 24}


class SqlAlchemyOptions(TargetOptions):
    decimal_precision: int = OptionField(default=38, ge=1, le=65)
    decimal_scale: int = OptionField(default=10, ge=0, le=30)
    string_length: int = OptionField(default=DEFAULT_STRING_LENGTH, ge=1, le=16383)
    """Length of indexed strings that have no ``max_length``."""


def _ref_as_uuid(name: str, imports: Imports, in_list: bool) -> str:
    return imports.use("uuid", "UUID")


def _plain_json(t: FieldType) -> bool:
    match t:
        case Scalar(kind):
            return kind in SIMPLE_JSON
        case ListOf(item):
            return _plain_json(item)
        case DictOf(value):
            return _plain_json(value)
    return False


class ColumnBuilder:
    """Column declarations of one model."""

    def __init__(self, schema: Schema, imports: Imports, options: SqlAlchemyOptions) -> None:
        self.schema = schema
        self.imports = imports
        self.options = options
        self.table = TypeTable(SCALARS, _ref_as_uuid)

    def sa(self, name: str) -> str:
        return self.imports.use("sqlalchemy", name)

    def sql_type(self, field: Field, indexed: bool) -> str | None:
        t = field.type
        match t:
            case Scalar(kind):
                return self._scalar_type(kind, field, indexed)
            case EnumRef(name):
                enum_type = self.imports.use(RUNTIME, "StrEnumType")
                return f"{enum_type}({name}, name={py_str(snake_case(name))})"
            case EmbeddedRef():
                embedded_json = self.imports.use(RUNTIME, "EmbeddedJSON")
                return f"{embedded_json}({python_type(t, self.table, self.imports)})"
            case ListOf() | DictOf():
                if _plain_json(t):
                    return f"{self.imports.use(RUNTIME, 'JSONValue')}()"
                inner = python_type(t, self.table, self.imports)
                return f"{self.imports.use(RUNTIME, 'EmbeddedJSON')}({inner})"
        raise AssertionError(t)  # pragma: no cover

    def _scalar_type(self, kind: ScalarKind, field: Field, indexed: bool) -> str | None:
        if kind in STRING_COLUMN_KINDS:
            length = self._string_length(kind, field, indexed)
            return f"{self.sa('String')}({length})" if length else f"{self.sa('Text')}()"
        if kind is ScalarKind.DECIMAL:
            o = self.options
            return f"{self.sa('Numeric')}({o.decimal_precision}, {o.decimal_scale})"
        if kind is ScalarKind.TIME:
            mysql = self.imports.module_from("sqlalchemy.dialects", "mysql")
            return f'{self.sa("Time")}().with_variant({mysql}.TIME(fsp=6), "mysql", "mariadb")'
        explicit = EXPLICIT_TYPES.get(kind)
        if explicit is None:
            return None  # the annotation decides: bool, date, uuid
        return f"{self.imports.use(*explicit)}()"

    def _string_length(self, kind: ScalarKind, field: Field, indexed: bool) -> int | None:
        """The length of a string kind's ``String(n)`` column; None for ``Text``."""
        if kind is ScalarKind.TEXT:
            return None
        natural = NATURAL_LENGTHS.get(kind)
        length = field.constraints.max_length or natural
        if length is None and indexed:
            length = self.options.string_length
        return length

    def column(self, field: Field, indexed: bool, line_length: int) -> list[str]:
        attr = attr_name(field.name)
        annotation = python_type(field.type, self.table, self.imports)
        if field.optional:
            annotation += " | None"
        args: list[Expr] = []
        if attr != field.name:
            args.append(py_str(field.name))
        sql_type = self.sql_type(field, indexed)
        if sql_type:
            args.append(sql_type)
        default = default_expression(field, self.schema.enum_map, self.imports)
        if default is not None and default[0] != "None":
            args.append(f"default={default[0]}")
        args.extend(self.annotations(field, self.column_hints(field, indexed)))
        return self._declare(attr, annotation, args, line_length)

    @staticmethod
    def annotations(field: Field, hints: dict[str, object]) -> list[Expr]:
        """``doc=`` (the description) and ``info=`` (what a column has no word for)."""
        args: list[Expr] = []
        if field.description and field.description.strip():
            args.append(f"doc={py_str(field.description.strip())}")
        info = hint_dict(hints)
        if info is not None:
            args.append(f"info={info}")
        return args

    def column_hints(self, field: Field, indexed: bool) -> dict[str, object]:
        """Spec facts the column type cannot carry, for ``info={"x-farmgen": ...}``.

        ``String(n)`` reads back as a string of length ``n`` and ``Text()`` as text; the
        type or length differs from that for e-mail (``String(320)``), an unbounded string
        (``Text``, or ``String(255)`` when indexed) and text with a length. ``min_length``,
        ``pattern``, ``private`` and indexes SQL does not create (JSON, text and bytes
        columns: MongoDB-only) have no column form at all.
        """
        hints: dict[str, object] = {}
        c = field.constraints
        length = None
        if isinstance(field.type, Scalar) and field.type.kind in STRING_KINDS:
            length = self._string_length(field.type.kind, field, indexed)
            read_back = ScalarKind.TEXT if length is None else ScalarKind.STRING
            if field.type.kind is not read_back:
                hints["type"] = field.type.kind.value
        if c.min_length is not None:
            hints["min_length"] = c.min_length
        if c.max_length != length:
            hints["max_length"] = c.max_length
        if c.pattern is not None:
            hints["pattern"] = c.pattern
        if not is_sql_indexable(field.type) and (field.unique or field.index):
            hints["unique" if field.unique else "index"] = True
        if field.private:
            hints["private"] = True
        return hints

    def foreign_key(self, rel: Relation, line_length: int) -> list[str]:
        field = rel.field
        fk_args = [py_str(f"{rel.target.collection}.id")]
        if field.on_delete is not None:
            fk_args.append(f"ondelete={py_str(field.on_delete.sql)}")
        if rel.use_alter:
            fk_args.append("use_alter=True")
        args: list[Expr] = [Call(f"{self.sa('ForeignKey')}(", tuple(fk_args), ")")]
        annotation = f"{self.imports.module('uuid')}.UUID" + (" | None" if field.optional else "")
        args.extend(self.annotations(field, {"private": True} if field.private else {}))
        return self._declare(attr_name(rel.column), annotation, args, line_length)

    def _declare(self, attr: str, annotation: str, args: list[Expr], line_length: int) -> list[str]:
        mapped = self.imports.use("sqlalchemy.orm", "Mapped")
        if not args:
            return [f"    {attr}: {mapped}[{annotation}]"]
        call = Call(f"{self.imports.use('sqlalchemy.orm', 'mapped_column')}(", tuple(args), ")")
        return layout(call, "    ", line_length, f"{attr}: {mapped}[{annotation}] = ")


def relationship_hints(field: Field) -> dict[str, object]:
    """The ``info`` hint of a many-to-many field: its list bounds and ``private``."""
    hints: dict[str, object] = {}
    for key, value in (
        ("min_length", field.constraints.min_length),
        ("max_length", field.constraints.max_length),
        ("private", True if field.private else None),
    ):
        if value is not None:
            hints[key] = value
    return hints


class SqlAlchemyTarget:
    name: ClassVar[str] = "sqlalchemy"
    options_model: ClassVar[type[TargetOptions]] = SqlAlchemyOptions

    def render(
        self, schema: Schema, options: TargetOptions, context: RenderContext
    ) -> list[RenderedFile]:
        return _Renderer(context.line_length).render(schema, options, context)


class _Renderer(PythonFiles):
    name = "sqlalchemy"

    def render(
        self, schema: Schema, options: TargetOptions, context: RenderContext
    ) -> list[RenderedFile]:
        assert isinstance(options, SqlAlchemyOptions)
        files = []
        if schema.enums:
            files.append(self._enums(schema, context))
        if schema.embedded:
            files.append(self._embedded(schema, context, TypeTable(EMBEDDED_SCALARS, _ref_as_uuid)))
        from farmgen.targets.sql_models import ModelsBuilder

        builder = ModelsBuilder(schema, options, self.line_length, relations(schema))
        files.append(self._file("models.py", context, schema, **builder.build()))
        files.append(self._package(schema, context))
        return files

    def _package(self, schema: Schema, context: RenderContext) -> RenderedFile:
        imports = self._package_imports(schema, ".models")
        exported = [
            *(e.name for e in schema.enums),
            *(e.name for e in schema.embedded),
            *(m.name for m in schema.models),
        ]
        if "Base" not in exported:
            imports.use(RUNTIME, "Base")
            exported.append("Base")
        return self._file(
            "__init__.py",
            context,
            schema,
            docstring=py_docstring("SQLAlchemy models, embedded types and enums.", ""),
            imports=imports.lines(self.line_length),
            trailer=all_list(exported, self.line_length),
        )
