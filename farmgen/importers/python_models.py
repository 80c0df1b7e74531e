"""Existing Python models → spec data, read statically with libcst (never imported).

Recognised: Beanie documents (``Document``/``BaseDocument`` subclasses, ``Indexed``,
``Link``, ``Settings.name``/``Settings.indexes``), SQLAlchemy declarative models (2.0
``Mapped``/``mapped_column`` and 1.x ``Column``, ``__tablename__``, ``ForeignKey``,
``relationship``, association tables, ``__table_args__``), pydantic models (embedded
types when a document or table uses them), enums, and farmgen's runtime mixins by
their class names (``TimestampMixin`` ...). What cannot be mapped is a warning at
``PATH:LINE:COL`` naming the construct; the rest still imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import libcst as cst

from farmgen.diagnostics import Diagnostic, DiagnosticBag, SpecError
from farmgen.importers._pybodies import (
    ClassRead,
    IndexInfo,
    enum_values,
    index_owner,
    module_index,
    read_pydantic,
    read_table,
)
from farmgen.importers._pyfields import Context, finish
from farmgen.importers._pymodels import ModelBuilder
from farmgen.importers._pysource import (
    ModuleAssign,
    PyClass,
    SourceFile,
    call_name,
    parse_file,
    string_expression,
    top_level,
)
from farmgen.importers.defaults import drop_invalid_defaults, warning_into
from farmgen.importers.specdata import (
    EmbeddedSpec,
    EnumSpec,
    FieldSpec,
    SpecData,
    break_embedded_cycles,
    unref,
)
from farmgen.ir import MIXIN_NAMES, Schema

MIXIN_CLASSES: dict[str, str] = {
    "TimestampMixin": "timestamps",
    "SoftDeleteMixin": "soft_delete",
    "AuditMixin": "audit",
    "MetadataMixin": "metadata",
    "SearchableMixin": "searchable",
}
ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum"})
DOCUMENT_BASES = frozenset({"Document", "BaseDocument", "UnionDoc"})
DECLARATIVE_BASES = frozenset({"DeclarativeBase", "DeclarativeBaseNoMeta", "AsyncAttrs"})
PYDANTIC_BASES = frozenset({"BaseModel"})
BASE_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("enum", ENUM_BASES),
    ("document", DOCUMENT_BASES),
    ("declarative", DECLARATIVE_BASES),
    ("pydantic", PYDANTIC_BASES),
)


def python_files(paths: Iterable[Path]) -> list[Path]:
    """The ``.py`` files named, directories searched recursively (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def import_models(
    paths: Sequence[Path], displays: Sequence[str] | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Spec data and warnings for the Python files (or directories) given."""
    files = python_files(paths)
    shown = list(displays) if displays and len(displays) == len(files) else [str(p) for p in files]
    sources = [parse_file(path, display) for path, display in zip(files, shown, strict=True)]
    bag = DiagnosticBag()
    spec = _Importer(sources, bag).run()
    drop_invalid_defaults(spec, warning_into(bag, "import-python", shown[0] if shown else "models"))
    return spec.to_data(), bag.sorted()


def schema_from_models(paths: Sequence[Path]) -> tuple[Schema, list[Diagnostic]]:
    """The IR of Python model files: what ``migrate make --from-models`` diffs against.

    Raises :class:`SpecError` (with the importer's warnings) if the result does not resolve.
    """
    from farmgen.resolve import resolve_with_diagnostics
    from farmgen.spec import document_from_data

    data, warnings = import_models(paths)
    label = ", ".join(str(p) for p in paths) or "models"
    schema, diagnostics = resolve_with_diagnostics([document_from_data(data, label)])
    everything = sorted(dict.fromkeys([*warnings, *diagnostics]), key=Diagnostic.sort_key)
    if schema is None:
        raise SpecError(everything)
    return schema, everything


class _Importer:
    def __init__(self, sources: list[SourceFile], bag: DiagnosticBag) -> None:
        self.bag = bag
        self.classes: dict[str, PyClass] = {}
        self.assigns: list[ModuleAssign] = []
        for source in sources:
            classes, assigns = top_level(source)
            self.assigns.extend(assigns)
            for cls in classes:
                self._add_class(cls)
        self.declarative = {"Base"} | {
            a.name for a in self.assigns
            if call_name(a.value) in ("declarative_base", "generate_base")
        }
        self.kinds: dict[str, str] = {}
        for name in self.classes:
            self._kind(name, frozenset())

    def _add_class(self, cls: PyClass) -> None:
        if cls.name in self.classes:
            first = self.classes[cls.name].file.location(self.classes[cls.name].node)
            self.report(cls.file, cls.node, f"class {cls.name} is also defined at {first}; "
                        "this one is skipped")
            return
        self.classes[cls.name] = cls

    def report(self, file: SourceFile, node: cst.CSTNode, message: str) -> None:
        self.bag.warning(file.location(node), "import-python", message)

    # classification ------------------------------------------------------------------

    def _kind(self, name: str, seen: frozenset[str]) -> str:
        if name in self.kinds:
            return self.kinds[name]
        cls = self.classes[name]
        kind = "plain"
        for index, base in enumerate(cls.base_names):
            kind = self._base_kind(base, seen | {name})
            if kind == "enum" and not _python_enum_module(cls.base_module(index)):
                kind = "plain"  # sqlalchemy.Enum and friends are column types, not enums
            if kind != "plain":
                break
        if kind == "plain" and any(
            isinstance(s, cst.Assign | cst.AnnAssign) and _target(s) == "__tablename__"
            for s in cls.statements()
        ):
            kind = "table"
        self.kinds[name] = kind
        return kind

    def _base_kind(self, base: str, seen: frozenset[str]) -> str:
        if base in self.classes and base not in seen and base not in MIXIN_CLASSES:
            kind = self._kind(base, seen)
            return "table" if kind == "declarative" else kind
        if base in self.declarative and base not in self.classes:
            return "table"
        for kind, names in BASE_KINDS:
            if base in names:
                return kind
        return "plain"

    # output ---------------------------------------------------------------------------

    def run(self) -> SpecData:
        spec = SpecData()
        members = self._enum_members(spec)
        models = [n for n, k in self.kinds.items() if k in ("document", "table")]
        type_kinds = self._type_kinds(models)
        reads = {name: self._read(name, type_kinds, members) for name in models}
        for name in self.classes:
            if type_kinds.get(name) == "embedded":
                spec.embedded[name] = self._embedded(name, type_kinds, members)
        builder = ModelBuilder(self, type_kinds, members)
        break_embedded_cycles(spec, self._cycle_warning)
        for name in self.classes:
            if name in models and not reads[name].abstract:
                spec.models[name] = builder.build(self.classes[name], reads[name],
                                                  self._mixins(name), self.kinds[name])
            elif type_kinds.get(name) == "model" and name not in models:
                spec.models[name] = builder.build(self.classes[name], self._read(
                    name, type_kinds, members), self._mixins(name), "document")
        return spec

    def _cycle_warning(self, embedded: str, field: str, message: str) -> None:
        cls = self.classes[embedded]
        self.report(cls.file, cls.node, f"{embedded}.{field}: {message}")

    def _enum_members(self, spec: SpecData) -> dict[str, Any]:
        members: dict[str, Any] = {}
        for name, kind in list(self.kinds.items()):
            if kind != "enum":
                continue
            cls = self.classes[name]
            ctx = Context({}, {}, self.report, cls.file)
            pairs = enum_values(cls, ctx)
            values = list(dict.fromkeys(value for _, value in pairs))  # aliases share a value
            if not values:
                self.report(cls.file, cls.node, f"enum {name} has no values farmgen can read; "
                            "skipped")
                self.kinds[name] = "plain"
                continue
            spec.enums[name] = EnumSpec(name, values, cls.docstring)
            members.update({f"{name}.{member}": value for member, value in pairs})
        return members

    def _type_kinds(self, models: list[str]) -> dict[str, str]:
        """Names usable as types: enums, models, and pydantic models used by them (embedded)."""
        kinds = {n: "enum" for n, k in self.kinds.items() if k == "enum"}
        kinds.update({n: "model" for n in models})
        pydantic = {n for n, k in self.kinds.items() if k == "pydantic" and n not in MIXIN_CLASSES}
        used = self._used_names([self.classes[n] for n in models], pydantic)
        for name in pydantic:
            if name in used:
                kinds[name] = "embedded"
            elif models:
                cls = self.classes[name]
                self.report(cls.file, cls.node, f"pydantic model {name} is not used by any "
                            "document or table; skipped")
            else:
                kinds[name] = "model"
        if not models:
            for name in self._used_names([self.classes[n] for n in pydantic], pydantic):
                kinds[name] = "embedded"
        return kinds

    def _used_names(self, roots: list[PyClass], candidates: set[str]) -> set[str]:
        used: set[str] = set()
        todo = list(roots)
        while todo:
            cls = todo.pop()
            for name in _names_in_class(cls) & candidates:
                if name not in used and name != cls.name:
                    used.add(name)
                    todo.append(self.classes[name])
        return used

    def _read(self, name: str, kinds: dict[str, str], members: dict[str, Any]) -> ClassRead:
        """A class's own read, with the fields of local non-mixin bases first."""
        cls = self.classes[name]
        ctx = Context(kinds, members, self.report, cls.file)
        reader = read_table if self.kinds[name] == "table" else read_pydantic
        read = reader(cls, ctx)
        if self.kinds[name] == "table":
            read.indexes.extend(self._module_indexes(name, kinds, members))
        for base in reversed(cls.base_names):
            if base in self.classes and base not in MIXIN_CLASSES and base != name:
                inherited = self._read(base, kinds, members)
                read.fields[:0] = inherited.fields
                read.columns[:0] = inherited.columns
                read.relationships[:0] = inherited.relationships
                read.order[:0] = inherited.order
                read.indexes[:0] = inherited.indexes
                read.collection = read.collection or (
                    None if self.kinds.get(base) == "table" else inherited.collection)
        return read

    def _module_indexes(
        self, name: str, kinds: dict[str, str], members: dict[str, Any]
    ) -> list[IndexInfo]:
        found: list[IndexInfo] = []
        for assign in self.assigns:
            if call_name(assign.value) != "Index" or not isinstance(assign.value, cst.Call):
                continue
            if index_owner(assign.value) != name:
                continue
            ctx = Context(kinds, members, self.report, assign.file)
            ctx.label = f"{name}.Index"
            info = module_index(assign.value, ctx)
            if info is not None:
                found.append(info)
        return found

    def _embedded(self, name: str, kinds: dict[str, str], members: dict[str, Any]) -> EmbeddedSpec:
        cls = self.classes[name]
        read = self._read(name, kinds, members)
        ctx = Context(kinds, members, self.report, cls.file)
        fields: dict[str, FieldSpec] = {}
        for found in read.fields:
            stored, spec = finish(found, ctx)
            ctx.label = f"{name}.{found.attr}"
            unref(spec, "objectid", partial(ctx.warn, found.node))
            fields[stored] = spec
        return EmbeddedSpec(name, fields, description=cls.docstring)

    def _mixins(self, name: str, seen: frozenset[str] = frozenset()) -> list[str]:
        found: set[str] = set()
        for base in self.classes[name].base_names:
            if base in MIXIN_CLASSES:
                found.add(MIXIN_CLASSES[base])
            elif base in self.classes and base not in seen:
                found.update(self._mixins(base, seen | {name}))
        return [m for m in MIXIN_NAMES if m in found]


def _python_enum_module(module: str | None) -> bool:
    return module is None or module.split(".")[0] in ("enum", "strenum", "aenum")


def _target(statement: cst.CSTNode) -> str | None:
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        target = statement.targets[0].target
        return target.value if isinstance(target, cst.Name) else None
    if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
        return statement.target.value
    return None


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        parsed = string_expression(node)
        if parsed is not node:
            parsed.visit(self)


def _names_in_class(cls: PyClass) -> set[str]:
    collector = _NameCollector()
    for statement in cls.statements():
        if isinstance(statement, cst.AnnAssign | cst.Assign):
            statement.visit(collector)
    return collector.names

