"""The view model of the SQLAlchemy target's ``models.py``."""

from __future__ import annotations

from typing import Any

from farmgen.format import text_width
from farmgen.ir import Field, Index, Model, Schema
from farmgen.ir.names import index_name
from farmgen.render.filters import py_str
from farmgen.targets.python import (
    MIXIN_CLASSES,
    Call,
    Expr,
    Imports,
    attr_name,
    class_header,
    layout,
)
from farmgen.targets.pyviews import EXTENSION_KEY, ClassView, docstring
from farmgen.targets.sql_relations import Relation, association_columns, fk_column
from farmgen.targets.sqlalchemy import (
    RUNTIME,
    ColumnBuilder,
    SqlAlchemyOptions,
    is_sql_indexable,
    relationship_hints,
)


class ModelsBuilder:
    def __init__(
        self,
        schema: Schema,
        options: SqlAlchemyOptions,
        line_length: int,
        relations: list[Relation],
    ) -> None:
        self.schema = schema
        self.line_length = line_length
        self.relations = relations
        self.imports = Imports.for_schema(schema)
        self.columns = ColumnBuilder(schema, self.imports, options)
        self.order = {m.name: i for i, m in enumerate(schema.models)}
        self._in_sql: dict[int, bool] = {}
        """``_sql_index`` by ``id`` of the index (the schema keeps every index alive)."""
        self.outgoing: dict[str, list[Relation]] = {}
        self.incoming: dict[str, list[Relation]] = {}
        for rel in relations:
            self.outgoing.setdefault(rel.model.name, []).append(rel)
            self.incoming.setdefault(rel.target.name, []).append(rel)

    def sa(self, name: str) -> str:
        return self.imports.use("sqlalchemy", name)

    def build(self) -> dict[str, Any]:
        preamble = [self._association(r) for r in self.relations if r.many_to_many]
        classes = [self._model(m) for m in self.schema.models]
        trailer = [
            line
            for m in self.schema.models
            for i in m.indexes
            if self._directional(i) and self._sql_index(m, i)
            for line in self._index_statement(m, i)
        ]
        return {
            "imports": self.imports.lines(self.line_length),
            "preamble": preamble,
            "classes": classes,
            "trailer": trailer,
        }

    # -- association tables ---------------------------------------------------------

    def _association(self, rel: Relation) -> list[str]:
        left, right = association_columns(rel.model, rel.field, rel.target)
        base = self.imports.use(RUNTIME, "Base")
        args: list[Expr] = [py_str(rel.secondary), f"{base}.metadata"]
        for name, table in ((left, rel.model.collection), (right, rel.target.collection)):
            fk = Call(
                f"{self.sa('ForeignKey')}(", (py_str(f"{table}.id"), 'ondelete="CASCADE"'), ")"
            )
            args.append(
                Call(
                    f"{self.sa('Column')}(",
                    (py_str(name), f"{self.sa('Uuid')}()", fk, "primary_key=True"),
                    ")",
                )
            )
        table_call = Call(f"{self.sa('Table')}(", tuple(args), ")")
        return layout(table_call, "", self.line_length, f"{attr_name(rel.secondary)} = ")

    # -- one model ------------------------------------------------------------------

    def _model(self, model: Model) -> ClassView:
        bases = [self.imports.use(RUNTIME, MIXIN_CLASSES[m]) for m in model.mixins]
        bases.append(self.imports.use(RUNTIME, "Base"))
        head: list[str] = [f"    __tablename__ = {py_str(model.collection)}"]
        own_fields = model.own_fields
        table_args = self._table_args(model, own_fields)
        info = self._table_info(model)
        if table_args or info:
            head.extend(_tuple_layout(table_args, self.line_length, info))
        if model.search:
            classvar = self.imports.use("typing", "ClassVar")
            items: list[Expr] = [py_str(p) for p in model.search]
            search = Call("(", tuple(items), ",)" if len(items) == 1 else ")", collection=True)
            head.extend(
                layout(
                    search,
                    "    ",
                    self.line_length,
                    f"search_fields: {classvar}[tuple[str, ...]] = ",
                )
            )
        columns = self._columns(model, own_fields)
        blocks = [tuple(head), tuple(columns)]
        rels = self._relationships(model)
        if rels:
            blocks.append(tuple(rels))
        return ClassView(
            tuple(class_header(model.name, bases, self.line_length)),
            docstring(model.description),
            tuple(blocks),
        )

    def _columns(self, model: Model, own_fields: tuple[Field, ...]) -> list[str]:
        uuid = self.imports.module("uuid")
        mapped = self.imports.use("sqlalchemy.orm", "Mapped")
        mapped_column = self.imports.use("sqlalchemy.orm", "mapped_column")
        primary_key = f"{mapped_column}(primary_key=True, default={uuid}.uuid4)"
        lines = [f"    id: {mapped}[{uuid}.UUID] = {primary_key}"]
        indexed = {k.path for i in model.indexes for k in i.keys}
        by_field = {r.field.name: r for r in self.outgoing.get(model.name, [])}
        for field in own_fields:
            rel = by_field.get(field.name)
            if rel is None:
                lines.extend(self.columns.column(field, field.name in indexed, self.line_length))
            elif rel.many_to_many:
                lines.extend(self._forward_side(rel))  # in place: the spec's field order
            else:
                lines.extend(self.columns.foreign_key(rel, self.line_length))
        return lines

    # -- indexes and constraints ----------------------------------------------------

    def _column_name(self, model: Model, path: str) -> str:
        field = model.field_map.get(path)
        if field is not None and field.ref_target and not field.is_many_to_many:
            return fk_column(field)
        return path

    def _sql_index(self, model: Model, index: Index) -> bool:
        """Whether the index exists in SQL (worked out once per index).

        Full-text indexes, indexes into embedded types (dotted paths), on JSON
        columns (lists, dicts, embedded types, json: MongoDB indexes their elements,
        SQL has no portable equivalent), on ``text`` and ``bytes`` columns (MySQL
        cannot index them whole) and on many-to-many fields are MongoDB-only, as in
        ``farmgen.runtime.sqlschema``.
        """
        known = self._in_sql.get(id(index))
        if known is None:
            known = self._in_sql[id(index)] = _sql_index(model, index)
        return known

    @staticmethod
    def _directional(index: Index) -> bool:
        return any(k.descending for k in index.keys)

    def _table_args(self, model: Model, own_fields: tuple[Field, ...]) -> list[Expr]:
        args: list[Expr] = []
        for index in model.indexes:
            if self._sql_index(model, index) and not self._directional(index):
                keys = [py_str(self._column_name(model, k.path)) for k in index.keys]
                extra = ["unique=True"] if index.unique else []
                args.append(Call(f"{self.sa('Index')}(", (py_str(index.name), *keys, *extra), ")"))
        for field in own_fields:
            c = field.constraints
            if c.min is not None or c.max is not None:
                args.extend(self._checks(field))
        return args

    def _table_info(self, model: Model) -> list[str] | None:
        """``{"info": {"x-farmgen": {"indexes": [...]}}}`` when some of the model's own
        indexes exist only on MongoDB (on JSON, text or embedded paths), or when a
        descending one (declared after the class) comes before another: every model
        index, in the spec's order and form, so that the spec can be read back whole."""
        declared = [i for i in model.indexes if not i.from_field and not i.text]
        directional = [self._directional(i) for i in declared]
        in_order = directional == sorted(directional)  # Index(...)s after __table_args__
        if in_order and all(self._sql_index(model, i) for i in declared):
            return None
        return [_index_entry(model, i) for i in declared]

    def _checks(self, field: Field) -> list[Expr]:
        checks: list[Expr] = []
        bounds = (("min", ">=", field.constraints.min), ("max", "<=", field.constraints.max))
        for suffix, op, value in bounds:
            if value is None or field.ref_target:
                continue
            column = f"{self.sa('column')}({py_str(field.name)})"
            name = py_str(f"{field.name}_{suffix}")
            checks.append(
                Call(
                    f"{self.sa('CheckConstraint')}(",
                    (f"{column} {op} {value!r}", f"name={name}"),
                    ")",
                )
            )
        return checks

    def _index_statement(self, model: Model, index: Index) -> list[str]:
        keys: list[Expr] = [py_str(index.name)]
        for key in index.keys:
            attr = attr_name(self._column_name(model, key.path))
            keys.append(f"{model.name}.{attr}.desc()" if key.descending else f"{model.name}.{attr}")
        if index.unique:
            keys.append("unique=True")
        return layout(Call(f"{self.sa('Index')}(", tuple(keys), ")"), "", self.line_length)

    # -- relationships --------------------------------------------------------------

    def _target_ref(self, model: Model, target: Model) -> str:
        return target.name

    def _mapped(self, model: Model, target: Model, *, many: bool, optional: bool) -> str:
        name = target.name
        forward = self.order[target.name] >= self.order[model.name]
        inner = f"{name} | None" if optional else name
        if forward:
            inner = py_str(inner) if not many else py_str(name)
        mapped = self.imports.use("sqlalchemy.orm", "Mapped")
        return f"{mapped}[list[{inner}]]" if many else f"{mapped}[{inner}]"

    def _relationships(self, model: Model) -> list[str]:
        lines: list[str] = []
        for rel in self.outgoing.get(model.name, []):
            if not rel.many_to_many:
                lines.extend(self._forward_side(rel))
        for rel in self.incoming.get(model.name, []):
            if rel.reverse:
                lines.extend(self._reverse_side(rel))
        return lines

    def _relationship(self, attr: str, annotation: str, args: list[Expr]) -> list[str]:
        call = Call(f"{self.imports.use('sqlalchemy.orm', 'relationship')}(", tuple(args), ")")
        return layout(call, "    ", self.line_length, f"{attr}: {annotation} = ")

    def _forward_side(self, rel: Relation) -> list[str]:
        args: list[Expr] = []
        if rel.many_to_many:
            args.append(f"secondary={attr_name(rel.secondary)}")
            if rel.self_referencing:
                args.extend(_self_joins(rel))
        if rel.reverse:
            args.append(f"back_populates={py_str(rel.reverse)}")
        elif rel.self_referencing and not rel.many_to_many:
            args.append(f"remote_side={py_str(rel.model.name + '.id')}")
        args.extend(_fk_options(rel))
        if rel.many_to_many:  # the field itself: its description and hints
            args.extend(self.columns.annotations(rel.field, relationship_hints(rel.field)))
        annotation = self._mapped(
            rel.model, rel.target, many=rel.many_to_many, optional=rel.field.optional
        )
        return self._relationship(rel.attr, annotation, args)

    def _reverse_side(self, rel: Relation) -> list[str]:
        assert rel.reverse is not None
        args: list[Expr] = []
        if rel.many_to_many:
            args.append(f"secondary={attr_name(rel.secondary)}")
        args.append(f"back_populates={py_str(rel.attr)}")
        args.extend(_fk_options(rel))
        on_delete = rel.field.on_delete
        if not rel.many_to_many and on_delete is not None:
            passive = "True" if on_delete.value in ("cascade", "set_null") else py_str("all")
            args.append(f"passive_deletes={passive}")
        many = not rel.one_to_one
        annotation = self._mapped(rel.target, rel.model, many=many, optional=not many)
        return self._relationship(rel.reverse, annotation, args)


def _sql_index(model: Model, index: Index) -> bool:
    if index.text:
        return False
    for key in index.keys:
        field = model.field_map.get(key.path)
        if field is None or field.is_many_to_many or not is_sql_indexable(field.type):
            return False
    return True


def _fk_options(rel: Relation) -> list[Expr]:
    """``foreign_keys`` where two tables are joined more than once, ``post_update`` in cycles."""
    args: list[Expr] = []
    if rel.shared:
        args.append(f"foreign_keys={py_str(rel.model.name + '.' + attr_name(rel.column))}")
    if rel.post_update:
        args.append("post_update=True")
    return args


def _self_joins(rel: Relation) -> list[Expr]:
    """The join conditions of a many-to-many relationship from a model to itself."""
    left, right = association_columns(rel.model, rel.field, rel.target)
    table = rel.secondary
    model = rel.model.name
    return [
        f"primaryjoin={py_str(f'{model}.id == {table}.c.{left}')}",
        f"secondaryjoin={py_str(f'{model}.id == {table}.c.{right}')}",
    ]


def _index_entry(model: Model, index: Index) -> str:
    """A model index as the spec writes it: ``"a"``, ``["a", "b"]`` or a mapping."""
    paths = tuple(k.path for k in index.keys)
    plain = index.name == index_name(model.collection, paths, index.unique)
    if plain and not index.unique and not any(k.descending for k in index.keys):
        quoted = [py_str(p) for p in paths]
        return quoted[0] if len(quoted) == 1 else "[" + ", ".join(quoted) + "]"
    keys = [f"{{{py_str(k.path)}: \"desc\"}}" if k.descending else py_str(k.path)
            for k in index.keys]
    items = [] if plain else [f'"name": {py_str(index.name)}']
    items.append(f'"fields": [{", ".join(keys)}]')
    if index.unique:
        items.append('"unique": True')
    return "{" + ", ".join(items) + "}"


def _tuple_layout(items: list[Expr], line_length: int, info: list[str] | None) -> list[str]:
    """``__table_args__``: exploded one item per line (black keeps it: magic trailing comma),
    the table options (``info``) last.

    A one-item tuple's comma is not magic, so it stays on one line when it fits.
    """
    from farmgen.targets.python import flat

    if len(items) == 1 and info is None:
        one = f"    __table_args__ = ({flat(items[0])},)"
        if text_width(one) <= line_length:
            return [one]
    lines = ["    __table_args__ = ("]
    for item in items:
        lines.extend(layout(item, "        ", line_length, suffix=","))
    if info is not None:
        lines.extend(_info_lines(info, line_length))
    lines.append("    )")
    return lines


def _info_lines(entries: list[str], line_length: int) -> list[str]:
    """``{"info": {"x-farmgen": {"indexes": [...]}}},`` as black lays it out."""
    heads = ["{", '"info": {', f"{py_str(EXTENSION_KEY)}: {{", '"indexes": [']
    one = "        " + "".join(heads) + ", ".join(entries) + "]}}},"
    if text_width(one) <= line_length:
        return [one]
    indent = "        "
    lines: list[str] = []
    for head in heads:
        lines.append(indent + head)
        indent += "    "
    lines.extend(f"{indent}{entry}," for entry in entries)
    for close in ("]", "}", "}"):
        indent = indent[:-4]
        lines.append(indent + close)
    lines.append(indent[:-4] + "},")
    return lines
