"""Spec-shaped data: the plain structure of a native spec file, built by the importers.

Importers fill a :class:`SpecData` and call :meth:`SpecData.to_data`, which returns
the same nested mappings a native YAML spec parses into (``farmgen``, ``enums``,
``embedded``, ``models``), with keys in the canonical order. The spec loader resolves
that data into the IR; :mod:`farmgen.importers.spec_writer` writes it as YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from farmgen.diagnostics import Location

SPEC_VERSION = 1

FIELD_KEYS: tuple[str, ...] = (
    "type",
    "default",
    "min",
    "max",
    "min_length",
    "max_length",
    "pattern",
    "unique",
    "index",
    "on_delete",
    "private",
    "renamed_from",
    "description",
)
"""Field keys in the order the importers write them (the set is ``farmgen.spec.keys``)."""

FLAG_KEYS = frozenset({"unique", "index", "private"})
"""Field keys that are booleans defaulting to false (written only when true)."""

MODEL_KEYS: tuple[str, ...] = (
    "description",
    "collection",
    "renamed_from",
    "mixins",
    "search",
    "fields",
    "indexes",
)
EMBEDDED_KEYS: tuple[str, ...] = ("description", "fields")
INDEX_KEYS: tuple[str, ...] = ("name", "fields", "unique")
TOP_KEYS: tuple[str, ...] = ("farmgen", "enums", "embedded", "models")


@dataclass
class FieldSpec:
    """One field as an importer found it."""

    type: str
    """A spec type expression without the ``?`` suffix (``string``, ``list[Tag]``)."""
    optional: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    """Other field keys (``default``, ``max_length``, ``unique`` ...); None means absent
    (so a null default is never written: ``T?`` implies it), as does false for flags."""
    source: Location | None = field(default=None, compare=False)
    """Where the importer read the field, for warnings found after reading (None: unknown)."""

    def to_data(self) -> str | dict[str, Any]:
        type_text = f"{self.type}?" if self.optional else self.type
        attrs = {
            k: v
            for k, v in self.attrs.items()
            if v is not None and not (k in FLAG_KEYS and v is False)
        }
        if not attrs:
            return type_text
        return ordered({"type": type_text, **attrs}, FIELD_KEYS)


@dataclass
class ModelSpec:
    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    collection: str | None = None
    mixins: list[str] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    indexes: list[Any] = field(default_factory=list)
    description: str | None = None
    renamed_from: str | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "description": self.description,
            "collection": self.collection,
            "renamed_from": self.renamed_from,
            "mixins": list(self.mixins) or None,
            "search": list(self.search) or None,
            "fields": {name: spec.to_data() for name, spec in self.fields.items()},
            "indexes": list(self.indexes) or None,
        }
        return ordered({k: v for k, v in data.items() if v is not None}, MODEL_KEYS)


@dataclass
class EmbeddedSpec:
    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    description: str | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.description:
            data["description"] = self.description
        data["fields"] = {name: spec.to_data() for name, spec in self.fields.items()}
        return data


@dataclass
class EnumSpec:
    name: str
    values: list[str]
    description: str | None = None

    def to_data(self) -> list[str] | dict[str, Any]:
        """The values (repeats dropped: the importers warn about them)."""
        if self.description:
            return {"description": self.description, "values": list(self.values)}
        return list(self.values)


@dataclass
class SpecData:
    """What an importer found, in declaration order."""

    enums: dict[str, EnumSpec] = field(default_factory=dict)
    embedded: dict[str, EmbeddedSpec] = field(default_factory=dict)
    models: dict[str, ModelSpec] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"farmgen": SPEC_VERSION}
        if self.enums:
            data["enums"] = {name: e.to_data() for name, e in self.enums.items()}
        if self.embedded:
            data["embedded"] = {name: e.to_data() for name, e in self.embedded.items()}
        if self.models:
            data["models"] = {name: m.to_data() for name, m in self.models.items()}
        return data


NUMERIC_TYPES = frozenset({"int", "float", "decimal"})
STRING_TYPES = frozenset({"string", "text", "email", "url"})
CONSTRAINT_FITS: dict[str, tuple[str, ...]] = {
    "min": ("numbers", "numeric"),
    "max": ("numbers", "numeric"),
    "min_length": ("strings and lists", "length"),
    "max_length": ("strings and lists", "length"),
    "pattern": ("strings", "string"),
}


def _fits(type_text: str, kind: str) -> bool:
    if kind == "numeric":
        return type_text in NUMERIC_TYPES
    if kind == "string":
        return type_text in STRING_TYPES
    return type_text in STRING_TYPES or type_text.startswith("list[")


def fit_constraints(
    type_text: str, attrs: dict[str, Any], warn: Callable[[str], None]
) -> dict[str, Any]:
    """``attrs`` without the constraints farmgen does not allow on ``type_text`` (warned)."""
    kept: dict[str, Any] = {}
    for key, value in attrs.items():
        fit = CONSTRAINT_FITS.get(key)
        if fit is not None and value is not None and not _fits(type_text, fit[1]):
            warn(f"'{key}' applies to {fit[0]} only, not to {type_text}; ignored")
            continue
        kept[key] = value
    return kept


_NOT_WORD = re.compile(r"\W+")


def field_name(name: str, warn: Callable[[str], None]) -> str:
    """``name`` as a farmgen field name (an identifier); a warning when it changes."""
    if name.isidentifier():
        return name
    fixed = _NOT_WORD.sub("_", name).strip("_") or "field"
    if fixed[0].isdigit():
        fixed = f"f_{fixed}"
    warn(f"'{name}' is not an identifier; imported as '{fixed}' (the stored name changes)")
    return fixed


_REF = re.compile(r"ref\[(\w+)\]")


def unref(spec: FieldSpec, replacement: str, warn: Callable[[str], None]) -> None:
    """Replace ``ref[M]`` in a field of an embedded type (where refs are not allowed)."""
    if not _REF.search(spec.type):
        return
    new = _REF.sub(replacement, spec.type)
    warn(f"a reference to a model inside an embedded type ({spec.type}) cannot be expressed; "
         f"imported as {new}")
    spec.type = new
    spec.attrs.pop("on_delete", None)


_NAME = re.compile(r"[A-Za-z_]\w*")


def break_embedded_cycles(
    spec: SpecData, warn: Callable[[str, str, str], None]
) -> None:
    """Replace the references that close a cycle of embedded types with ``json``.

    farmgen stores embedded types inline, so a type cannot contain itself; ``warn``
    gets (embedded type, field, message).
    """
    state: dict[str, int] = {}  # 1: on the stack, 2: done

    def visit(name: str) -> None:
        state[name] = 1
        for field_name, field_spec in spec.embedded[name].fields.items():
            for used in dict.fromkeys(_NAME.findall(field_spec.type)):
                if used not in spec.embedded:
                    continue
                if state.get(used) == 1:
                    before = field_spec.type
                    field_spec.type = re.sub(rf"\b{used}\b", "json", field_spec.type)
                    warn(name, field_name, f"{before} refers back to {used} (embedded types "
                         "cannot contain themselves); imported as " + field_spec.type)
                elif used not in state:
                    visit(used)
        state[name] = 2

    for name in spec.embedded:
        if name not in state:
            visit(name)


def index_entry(
    paths: list[tuple[str, bool]], *, unique: bool = False, name: str | None = None
) -> list[Any] | dict[str, Any]:
    """An entry of a model's ``indexes``: ``[a, b]`` or ``{fields: [...], unique, name}``.

    ``paths`` holds ``(path, descending)`` pairs.
    """
    keys: list[Any] = [{p: "desc"} if desc else p for p, desc in paths]
    if not unique and name is None:
        return keys
    data: dict[str, Any] = {}
    if name is not None:
        data["name"] = name
    data["fields"] = keys
    if unique:
        data["unique"] = True
    return data


def ordered(data: Mapping[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """``data`` with the keys of ``order`` first, in that order, then the rest sorted."""
    known = [k for k in order if k in data]
    rest = sorted(k for k in data if k not in order)
    return {k: data[k] for k in [*known, *rest]}


def canonical(data: Mapping[str, Any]) -> dict[str, Any]:
    """Spec data with every mapping's keys in canonical order (declaration order kept)."""
    result: dict[str, Any] = ordered(data, TOP_KEYS)
    for section in ("enums", "embedded", "models"):
        items = result.get(section)
        if not isinstance(items, Mapping):
            continue
        result[section] = {name: _canonical_item(section, item) for name, item in items.items()}
    return result


def _canonical_item(section: str, item: Any) -> Any:
    if not isinstance(item, Mapping):
        return item
    if section == "enums":
        return ordered(item, ("description", "values"))
    data = ordered(item, MODEL_KEYS if section == "models" else EMBEDDED_KEYS)
    fields = data.get("fields")
    if isinstance(fields, Mapping):
        data["fields"] = {
            name: ordered(spec, FIELD_KEYS) if isinstance(spec, Mapping) else spec
            for name, spec in fields.items()
        }
    indexes = data.get("indexes")
    if isinstance(indexes, list):
        data["indexes"] = [
            ordered(ix, INDEX_KEYS) if isinstance(ix, Mapping) else ix for ix in indexes
        ]
    return data
