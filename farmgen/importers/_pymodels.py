"""Assemble a model's spec from what its class body says: fields (columns paired with
their relationships), indexes, check constraints, collection, search and mixins."""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any

import libcst as cst

from farmgen.importers._pybodies import ClassRead, IndexInfo
from farmgen.importers._pyfields import Context, apply_extension, finish
from farmgen.importers._pysource import NotLiteral, PyClass, call_args, call_name, literal
from farmgen.importers._pysql import Column, Relationship
from farmgen.importers.specdata import FieldSpec, ModelSpec, index_entry
from farmgen.ir.names import PRIMARY_KEY_NAMES, collection_name, index_name, python_attr
from farmgen.resolve.mixins import mixin_field_names

if TYPE_CHECKING:
    from farmgen.importers.python_models import _Importer

_CHECK = re.compile(
    r"^\s*(?:(?P<fn>char_length|length)\()?\"?(?P<col>\w+)\"?\)?\s*(?P<op>>=|<=)\s*(?P<num>-?[\d.]+)\s*$",
    re.IGNORECASE,
)
BEANIE_RESERVED = frozenset({"revision_id"})


class ModelBuilder:
    def __init__(self, importer: _Importer, kinds: dict[str, str], members: dict[str, Any]):
        self.importer = importer
        self.kinds = kinds
        self.members = members
        self.tables = self._tables()
        self.associations = self._associations()

    def _tables(self) -> dict[str, str]:
        """Table name → class name, for resolving ``ForeignKey("users.id")``."""
        tables: dict[str, str] = {}
        for name, kind in self.importer.kinds.items():
            if kind != "table":
                continue
            cls = self.importer.classes[name]
            for statement in cls.statements():
                if isinstance(statement, cst.Assign) and _is_tablename(statement):
                    try:
                        tables[str(literal(statement.value))] = name
                    except NotLiteral:
                        continue
        return tables

    def _associations(self) -> dict[str, list[str]]:
        """Association table (variable and table name) → the tables its foreign keys name."""
        found: dict[str, list[str]] = {}
        for assign in self.importer.assigns:
            if call_name(assign.value) != "Table" or not isinstance(assign.value, cst.Call):
                continue
            args = call_args(assign.value)
            targets: list[str] = []
            for arg in args.positional:
                targets.extend(_fk_tables(arg))
            found[assign.name] = targets
            if args.positional:
                with contextlib.suppress(NotLiteral):
                    found[str(literal(args.positional[0]))] = targets
        return found

    def build(self, cls: PyClass, read: ClassRead, mixins: list[str], kind: str) -> ModelSpec:
        ctx = Context(self.kinds, self.members, self.importer.report, cls.file)
        collection = read.collection
        spec = ModelSpec(
            cls.name,
            collection=None if collection in (None, collection_name(cls.name)) else collection,
            mixins=mixins,
            search=read.search,
            description=cls.docstring,
        )
        skip = set(PRIMARY_KEY_NAMES) | {n for m in mixins for n in mixin_field_names(m)}
        if kind == "table":
            spec.fields, columns = self._table_fields(cls, read, ctx)
        else:
            skip |= BEANIE_RESERVED
            columns = {f.attr: f.stored for f in read.fields}
            for found in read.fields:
                stored, field = finish(found, ctx)
                spec.fields[stored] = field
        for name in list(spec.fields):
            if name in skip:
                del spec.fields[name]
        self._checks(read, spec, columns, ctx)
        self._indexes(read, spec, columns, collection or collection_name(cls.name), ctx)
        return spec

    # SQLAlchemy ------------------------------------------------------------------------

    def _table_fields(
        self, cls: PyClass, read: ClassRead, ctx: Context
    ) -> tuple[dict[str, FieldSpec], dict[str, str]]:
        """The fields in declaration order, and column name → field name."""
        by_attr = {c.found.attr: c for c in read.columns}
        rels = {r.attr: r for r in read.relationships}
        paired = self._pair(read, by_attr, rels, cls.name)
        names: dict[str, str] = {}
        fields: dict[str, FieldSpec] = {}
        used_rels = set(paired.values())
        for attr in read.order:
            if attr in by_attr:
                col = by_attr[attr]
                if col.primary_key:
                    self._primary_key(col, ctx, cls.name)
                    continue
                stored, field = finish(col.found, ctx)
                if col.fk_target is not None:
                    stored, field = self._ref_field(col, paired.get(attr), stored, field, ctx)
                names[col.found.stored] = stored
                fields[stored] = field
            elif attr in rels and attr not in used_rels:
                many = self._many_to_many(rels[attr], cls.name, ctx)
                if many is not None:
                    name = self._many_to_many_name(rels[attr], cls.name)
                    fields[name] = many
                    names[attr] = name
        return fields, names

    def _primary_key(self, col: Column, ctx: Context, owner: str) -> None:
        if col.found.spec.type != "uuid" or col.found.attr != "id":
            ctx.label = f"{owner}.{col.found.attr}"
            ctx.warn(col.found.node, f"primary key '{col.found.attr}' ({col.found.spec.type}) "
                     "is replaced by farmgen's uuid 'id'")

    def _pair(self, read: ClassRead, cols: dict[str, Column], rels: dict[str, Relationship],
              owner: str) -> dict[str, str]:
        """FK column attribute → the relationship attribute that uses it."""
        paired: dict[str, str] = {}
        for col in cols.values():
            if col.fk_target is None:
                continue
            target = self.tables.get(col.fk_target, col.fk_target)
            for rel in rels.values():
                if rel.secondary or rel.is_list or rel.attr in paired.values():
                    continue
                named = col.found.attr in rel.foreign_keys
                implied = not rel.foreign_keys and rel.target == target and (
                    col.found.attr in (f"{rel.attr}_id", rel.attr))
                if named or implied:
                    paired[col.found.attr] = rel.attr
                    break
        return paired

    def _ref_field(self, col: Column, rel: str | None, stored: str, field: FieldSpec,
                   ctx: Context) -> tuple[str, FieldSpec]:
        target = self.tables.get(col.fk_target or "", col.fk_target or "?")
        if self.kinds.get(target) != "model":
            ctx.label = col.found.attr
            ctx.warn(col.found.node, f"foreign key to '{col.fk_target}', which is not a model "
                     "being imported; imported as its column type")
            return stored, field
        name = rel or (stored.removesuffix("_id") if stored.endswith("_id") else stored)
        if rel is not None and stored.endswith("_id") and python_attr(stored[:-3]) == rel:
            name = stored[:-3]  # the relationship is the alias of a keyword (class_)
        field.type = f"ref[{target}]"
        field.attrs.pop("max_length", None)
        return name, field

    def _many_to_many_name(self, rel: Relationship, owner: str) -> str:
        """The stored name of a many-to-many field: its attribute, unless that is the alias
        of the name its association table (``{table}_{field}``) spells."""
        own_table = next((t for t, c in self.tables.items() if c == owner), None)
        table = rel.secondary or ""
        if own_table is not None and table.startswith(own_table + "_"):
            name = table[len(own_table) + 1:]
            if python_attr(name) == rel.attr:
                return name
        return rel.attr

    def _many_to_many(self, rel: Relationship, owner: str, ctx: Context) -> FieldSpec | None:
        if rel.secondary is None:
            return None
        targets = self.associations.get(rel.secondary)
        own_table = next((t for t, c in self.tables.items() if c == owner), None)
        if targets and own_table is not None and targets[0] != own_table:
            return None
        if self.kinds.get(rel.target) != "model":
            ctx.warn(rel.node, f"many-to-many target '{rel.target}' is not a model; skipped")
            return None
        spec = FieldSpec(f"list[ref[{rel.target}]]", attrs={"default": []})
        if rel.doc is not None:
            spec.attrs["description"] = rel.doc
        if rel.info is not None:
            apply_extension(spec, rel.info, ctx, rel.node)
        return spec

    # constraints and indexes -----------------------------------------------------------

    def _checks(self, read: ClassRead, spec: ModelSpec, columns: dict[str, str],
                ctx: Context) -> None:
        for text, node in read.checks:
            for part in re.split(r"\s+AND\s+", text, flags=re.IGNORECASE):
                if not self._check(part.strip("() "), spec, columns):
                    ctx.label = spec.name
                    ctx.warn(node, f"CheckConstraint({text!r}) cannot be mapped; skipped")
                    break

    def _check(self, text: str, spec: ModelSpec, columns: dict[str, str]) -> bool:
        match = _CHECK.match(text)
        if match is None:
            return False
        name = columns.get(match["col"], match["col"])
        field = spec.fields.get(name)
        if field is None:
            return False
        number = float(match["num"])
        value: int | float = int(number) if number.is_integer() else number
        lower = match["op"] == ">="
        if match["fn"]:
            key = "min_length" if lower else "max_length"
        else:
            key = "min" if lower else "max"
        field.attrs[key] = value
        return True

    def _indexes(self, read: ClassRead, spec: ModelSpec, columns: dict[str, str],
                 collection: str, ctx: Context) -> None:
        for info in read.indexes:
            keys = [(columns.get(p, p), desc) for p, desc in info.keys]
            if info.text:
                if "searchable" not in spec.mixins:
                    ctx.label = spec.name
                    ctx.warn(info.node, "a text index outside the searchable mixin; skipped")
                continue
            paths = tuple(p for p, _ in keys)
            default = index_name(collection, paths, info.unique)
            if self._as_field_flag(info, keys, spec) or (
                info.name in (None, default) and self._field_index(info, keys, spec)
            ):
                continue
            name = None if info.name in (None, default) else info.name
            spec.indexes.append(index_entry(keys, unique=info.unique, name=name))
        if read.index_entries is not None:
            spec.indexes = list(read.index_entries)

    def _field_index(
        self, info: IndexInfo, keys: list[tuple[str, bool]], spec: ModelSpec
    ) -> bool:
        """A default-named ascending index on one of the model's own fields is that field's
        ``index``/``unique``: the same index, written the canonical way."""
        if len(keys) != 1 or keys[0][1] or keys[0][0] not in spec.fields:
            return False
        field = spec.fields[keys[0][0]]
        field.attrs["unique" if info.unique else "index"] = True
        if info.unique:
            field.attrs.pop("index", None)
        return True

    def _as_field_flag(
        self, info: IndexInfo, keys: list[tuple[str, bool]], spec: ModelSpec
    ) -> bool:
        """A partial unique index on one optional field is that field's ``unique: true``."""
        if not (info.partial and info.unique and len(keys) == 1 and not keys[0][1]):
            return False
        field = spec.fields.get(keys[0][0])
        if field is None:
            return False
        field.attrs["unique"] = True
        field.attrs.pop("index", None)
        return True


def _is_tablename(statement: cst.Assign) -> bool:
    target = statement.targets[0].target if len(statement.targets) == 1 else None
    return isinstance(target, cst.Name) and target.value == "__tablename__"


def _fk_tables(node: cst.BaseExpression) -> list[str]:
    """Tables named by ``ForeignKey("t.id")`` inside a ``Column(...)`` argument."""
    found: list[str] = []
    if call_name(node) == "Column" and isinstance(node, cst.Call):
        for arg in call_args(node).positional:
            if call_name(arg) == "ForeignKey" and isinstance(arg, cst.Call):
                fk = call_args(arg).positional
                try:
                    found.append(str(literal(fk[0])).rsplit(".", 1)[0])
                except (NotLiteral, IndexError):
                    continue
    return found
