"""JSON Schema (draft 7, 2020-12) and OpenAPI 3.x ``components/schemas`` → spec data.

datamodel-code-generator's parser does the reading: ``$ref`` resolution (local and
across files), ``allOf`` merging, nullability, formats and constraints. Its parsed
models (``parser.results``) are then mapped to farmgen declarations:

- an object schema is a model when its ``x-farmgen`` extension says so (``kind:
  model``, or any of ``collection``, ``mixins``, ``search``, ``indexes``) or when no
  other schema refers to it; an object schema referred to from inside others (or
  written inline) is an embedded type; one used only as an ``allOf`` parent is merged
  into its children and not declared itself;
- a ``$ref`` to a model is ``ref[Model]``, to an embedded type its name, to an enum
  the enum; a named alias of another type (``Email: {type: string, format: email}``)
  is inlined.

What farmgen cannot express is a warning naming the JSON pointer and what was done
instead; the rest still imports.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from farmgen.diagnostics import Diagnostic, DiagnosticBag, Location
from farmgen.importers._jsonschema_source import (
    EXTENSION,
    detect_format,
    parse,
    read_document,
    schemas,
)
from farmgen.importers._jsonschema_types import TypeResult, constraint_attrs, convert
from farmgen.importers._pointers import PointerIndex, document_pointer, join, unsupported
from farmgen.importers.defaults import drop_invalid_defaults, warning_into
from farmgen.importers.specdata import (
    FIELD_KEYS,
    EmbeddedSpec,
    EnumSpec,
    FieldSpec,
    ModelSpec,
    SpecData,
    break_embedded_cycles,
    field_name,
    fit_constraints,
    unref,
)
from farmgen.ir import MIXIN_NAMES
from farmgen.resolve.mixins import mixin_field_names

MODEL_EXTENSION_KEYS = frozenset(
    {"kind", "collection", "mixins", "search", "indexes", "renamed_from", "description"}
)
MODEL_MARKERS = ("collection", "mixins", "search", "indexes")
FIELD_EXTENSION_KEYS = frozenset(FIELD_KEYS)
ANONYMOUS = "#-datamodel-code-generator-#"
PRIMARY_KEYS = frozenset({"id", "_id"})


def import_schema(
    path: Path, fmt: str | None = None, display: str | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Spec data and warnings for a JSON Schema or OpenAPI file (``fmt`` None: detect)."""
    shown = display or str(path)
    text, document = read_document(path, shown)
    fmt = fmt or detect_format(document)
    bag = DiagnosticBag()
    index = PointerIndex(shown, text)
    if not isinstance(document, Mapping):
        bag.error(Location(shown, 1, 1), "import-shape", "the document is not a JSON object")
        bag.raise_if_errors()
    key = "swagger" if "swagger" in document and "openapi" not in document else "openapi"
    if fmt == "openapi" and not str(document.get(key, "3")).startswith("3"):
        bag.error(index.location(f"/{key}"), "import-openapi", "only OpenAPI 3.x is supported")
        bag.raise_if_errors()
    results = parse(path, fmt, bag, Location(shown))
    for pointer, schema in schemas(document, fmt):
        for finding in unsupported(schema, pointer):
            bag.warning(
                index.location(finding.pointer),
                "import-unsupported",
                f"#{finding.pointer}: {finding.construct} cannot be expressed; {finding.done}",
            )
    converter = _Converter(results, index, bag, path.resolve())
    spec = converter.spec()
    break_embedded_cycles(spec, converter.cycle_warning)
    drop_invalid_defaults(spec, warning_into(bag, "import-unsupported", shown))
    data = spec.to_data()
    bag.raise_if_errors()
    return data, bag.sorted()


def _walk_types(data_type: Any) -> Iterator[Any]:
    yield data_type
    for child in data_type.data_types:
        yield from _walk_types(child)


class _Converter:
    """Maps datamodel-code-generator's parsed models to farmgen declarations."""

    def __init__(self, results: list[Any], index: PointerIndex, bag: DiagnosticBag, main: Path):
        self.results = results
        self.index = index
        self.bag = bag
        self.main = main
        self.by_path: dict[str, Any] = {m.reference.path: m for m in results}
        self.kinds: dict[str, str] = {}
        self.inlining: set[str] = set()
        """Aliases being inlined, to stop at one that contains itself."""
        self.pointers: dict[str, str] = {
            path: document_pointer(path) for path in self.by_path if ANONYMOUS not in path
        }
        self._classify()

    # classification ------------------------------------------------------------------

    def _classify(self) -> None:
        base_refs: set[str] = set()
        for m in self.results:
            base_refs.update(b.reference.path for b in m.base_classes if b.reference)
        field_refs = self._field_refs()
        for m in self.results:
            self.kinds[m.reference.path] = self._kind_of(m, field_refs, base_refs)

    def _field_refs(self) -> set[str]:
        """Schemas referenced from the fields of object schemas, through referenced aliases.

        Also records the JSON pointer of each inline (anonymous) schema: the field using it.
        """
        found: set[str] = set()
        todo = [
            m for m in self.results if _kind(m) == "object" and ANONYMOUS not in m.reference.path
        ]
        while todo:
            m = todo.pop()
            for f in m.fields:
                pointer = join(self.pointer(m), "properties", f.original_name or f.name)
                for t in _walk_types(f.data_type):
                    path = t.reference.path if t.reference else None
                    if path is None or path in found or path not in self.by_path:
                        continue
                    found.add(path)
                    self.pointers.setdefault(path, pointer)
                    if _kind(self.by_path[path]) == "alias" or ANONYMOUS in path:
                        todo.append(self.by_path[path])
        return found

    def _kind_of(self, m: Any, field_refs: set[str], base_refs: set[str]) -> str:
        kind = _kind(m)
        path = m.reference.path
        if kind == "alias" and path not in field_refs:
            if document_pointer(path) or not _is_any(m):
                message = "a top-level schema that is not an object or an enum is not a declaration"
                self._warn(self.pointer(m), f"{message} in farmgen; skipped")
            return "skip"
        if kind != "object":
            return kind
        return self._object_kind(m, field_refs, base_refs)

    def _object_kind(self, m: Any, field_refs: set[str], base_refs: set[str]) -> str:
        ext = _extension(m)
        path = m.reference.path
        if ext.get("kind") in ("model", "embedded"):
            return str(ext["kind"])
        if any(key in ext for key in MODEL_MARKERS):
            return "model"
        if path in field_refs:
            return "embedded"
        if ANONYMOUS in path:
            return "skip"
        return "base" if path in base_refs else "model"

    # declarations --------------------------------------------------------------------

    def spec(self) -> SpecData:
        spec = SpecData()
        for m in sorted(self.results, key=self._position):
            kind = self.kinds[m.reference.path]
            if kind == "enum":
                spec.enums[m.class_name] = self._enum(m)
            elif kind == "embedded":
                spec.embedded[m.class_name] = EmbeddedSpec(
                    m.class_name, self._fields(m, model=False), description=m.description
                )
            elif kind == "model":
                spec.models[m.class_name] = self._model(m)
        return spec

    def _position(self, m: Any) -> tuple[int, int, int]:
        """Declaration order: the main document's schemas by position, then the others."""
        path = m.reference.path
        main = Path(path.split("#", 1)[0]).name == self.main.name
        location = self.index.location(self.pointer(m))
        return (0, location.line, location.col) if main else (1, 0, 0)

    def pointer(self, m: Any) -> str:
        """The JSON pointer of a parsed schema (of the field using it, for an inline one)."""
        path = m.reference.path
        if path in self.pointers:
            return self.pointers[path]
        return document_pointer(path).split(ANONYMOUS, 1)[0]

    def _warn(self, pointer: str, message: str) -> None:
        where = self.index.location(pointer)
        self.bag.warning(where, "import-unsupported", f"#{pointer}: {message}")

    def cycle_warning(self, embedded: str, field: str, message: str) -> None:
        owner = next((m for m in self.results if m.class_name == embedded), None)
        pointer = self.pointer(owner) if owner is not None else ""
        self._warn(join(pointer, "properties", field), message)

    def _unknown_key(self, pointer: str, key: str) -> None:
        self._warn(join(pointer, EXTENSION, key), f"unknown {EXTENSION} key '{key}'; ignored")

    def _enum(self, m: Any) -> EnumSpec:
        values: list[str] = []
        for f in m.fields:
            value = getattr(f.default, "value", f.default)
            if value is None:
                continue
            if not isinstance(value, str):
                self._warn(self.pointer(m), f"enum value {value!r} is imported as a string")
            if str(value) in values:
                self._warn(self.pointer(m), f"enum value {value!r} is repeated; kept once")
                continue
            values.append(str(value))
        return EnumSpec(m.class_name, values, description=m.description)

    def _model(self, m: Any) -> ModelSpec:
        ext = _extension(m)
        pointer = self.pointer(m)
        for key in sorted(set(ext) - MODEL_EXTENSION_KEYS):
            self._unknown_key(pointer, key)
        mixins = [str(x) for x in ext.get("mixins", [])]
        fields = self._fields(m, model=True)
        for mixin in mixins:
            for name in mixin_field_names(mixin) if mixin in MIXIN_NAMES else ():
                fields.pop(name, None)
        return ModelSpec(
            m.class_name,
            fields,
            collection=ext.get("collection"),
            mixins=mixins,
            search=[str(x) for x in ext.get("search", [])],
            indexes=list(ext.get("indexes", [])),
            description=ext.get("description", m.description),
            renamed_from=ext.get("renamed_from"),
        )

    def _all_fields(self, m: Any, seen: frozenset[str] = frozenset()) -> list[tuple[Any, Any]]:
        """(owner model, field) for inherited (allOf) fields first, then the model's own."""
        found: dict[str, tuple[Any, Any]] = {}
        for base in m.base_classes:
            parent = self.by_path.get(base.reference.path) if base.reference else None
            if parent is not None and _kind(parent) != "object":
                self._warn(self.pointer(m), "an allOf part that is not an object is ignored")
            elif parent is not None and parent.reference.path not in seen:
                for owner, f in self._all_fields(parent, seen | {m.reference.path}):
                    found[f.original_name or f.name] = (owner, f)
        for f in m.fields:
            found[f.original_name or f.name] = (m, f)
        return list(found.values())

    def _fields(self, m: Any, model: bool) -> dict[str, FieldSpec]:
        fields: dict[str, FieldSpec] = {}
        for owner, f in self._all_fields(m):
            name = f.original_name or f.name
            if name is None or (model and name in PRIMARY_KEYS):
                continue
            pointer = join(self.pointer(owner), "properties", name)
            name = field_name(name, partial(self._warn, pointer))
            fields[name] = self._field(f, pointer)
            if not model:
                unref(fields[name], "json", partial(self._warn, pointer))
        return fields

    def _field(self, f: Any, pointer: str) -> FieldSpec:
        result = convert(f.data_type, pointer, self._resolve, self._warn)
        extras = dict(f.extras or {})
        attrs = constraint_attrs(f.constraints, pointer, self._warn, integer=result.text == "int")
        attrs.update(_constraint_extras(result))
        attrs = fit_constraints(result.text, attrs, lambda m: self._warn(pointer, m))
        const = dict(result.constraints).get("const")
        if "const" in extras or const is not None:
            attrs["default"] = extras.get("const", const)
        if f.has_default:
            attrs["default"] = _plain(f.default)
        has_default = "default" in attrs
        optional = result.optional or bool(f.nullable) or not (f.required or has_default)
        if "default" in attrs and attrs["default"] is None:
            optional = True
        if extras.get("description"):
            attrs["description"] = extras["description"]
        spec = FieldSpec(result.text, optional=optional, attrs=attrs)
        spec.source = self.index.location(pointer)
        self._apply_extension(spec, extras.get(EXTENSION), pointer)
        return spec

    def _apply_extension(self, spec: FieldSpec, ext: Any, pointer: str) -> None:
        if not isinstance(ext, Mapping):
            return
        for key, value in ext.items():
            if key not in FIELD_EXTENSION_KEYS:
                self._unknown_key(pointer, key)
            elif key == "type":
                text = str(value)
                spec.optional = spec.optional or text.endswith("?")
                spec.type = text.removesuffix("?")
            else:
                spec.attrs[key] = value

    def _resolve(self, reference: Any, pointer: str) -> TypeResult:
        target = self.by_path.get(reference.path)
        if target is None:
            self._warn(pointer, f"unresolved reference {reference.path}; imported as json")
            return TypeResult("json")
        kind = self.kinds[reference.path]
        if kind == "alias" and reference.path in self.inlining:
            self._warn(pointer, f"{target.class_name} contains itself; imported as json there")
            return TypeResult("json")
        if kind == "alias":
            self.inlining.add(reference.path)
            try:
                return self._alias(target, pointer)
            finally:
                self.inlining.discard(reference.path)
        if kind == "model":
            return TypeResult(f"ref[{target.class_name}]")
        return TypeResult(target.class_name)

    def _alias(self, target: Any, pointer: str) -> TypeResult:
        if not target.fields:
            return TypeResult("json")
        root = target.fields[0]
        inner = convert(root.data_type, pointer, self._resolve, self._warn)
        carried = constraint_attrs(
            root.constraints, pointer, self._warn, integer=inner.text == "int"
        )
        return TypeResult(
            inner.text,
            inner.optional or bool(root.nullable),
            inner.constraints + tuple(carried.items()),
        )


def _kind(m: Any) -> str:
    names = [c.__name__ for c in type(m).__mro__]
    if "Enum" in names:
        return "enum"
    if "RootModel" in names or getattr(m, "IS_ALIAS", False):
        return "alias"
    if m.fields and all((f.original_name or f.name) is None for f in m.fields):
        return "alias"  # a model wrapping one unnamed root value
    return "object"


def _is_any(m: Any) -> bool:
    """A root model of ``Any``: the document root of a file that only holds definitions."""
    return len(m.fields) == 1 and m.fields[0].data_type.type == "Any"


def _extension(m: Any) -> dict[str, Any]:
    if ANONYMOUS in m.reference.path:
        return {}  # a part the parser split off a schema: the extension is the schema's
    extensions = (getattr(m, "extra_template_data", None) or {}).get("extensions") or {}
    value = extensions.get(EXTENSION)
    return dict(value) if isinstance(value, Mapping) else {}


def _constraint_extras(result: TypeResult) -> dict[str, Any]:
    return {k: v for k, v in result.constraints if k != "const"}


def _plain(value: Any) -> Any:
    """A JSON value from a parsed default (enum member values render with quotes)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return getattr(value, "value", value)
