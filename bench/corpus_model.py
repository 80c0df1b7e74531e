"""A neutral description of a benchmark corpus, built from a seed.

:func:`build_corpus` draws N models (with about N/10 enums and N/10 embedded types)
from a seeded random generator. The result is written out twice by
:mod:`bench.corpus`: as a farmgen project and as the equivalent JSON Schema. The
same seed and N always give the same corpus, whatever ``PYTHONHASHSEED`` is.
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field
from typing import Any

NOUNS = (
    "Account", "Address", "Asset", "Booking", "Budget", "Campaign", "Carrier", "Catalog",
    "Channel", "Claim", "Contract", "Coupon", "Customer", "Delivery", "Device", "Dossier",
    "Employee", "Event", "Expense", "Farm", "Paddock", "Harvest", "Invoice", "Ledger", "Lesson",
    "License", "Machine", "Meeting", "Message", "Order", "Parcel", "Payment", "Plot", "Policy",
    "Product", "Project", "Quote", "Receipt", "Report", "Route", "Sensor", "Shipment",
    "Supplier", "Survey", "Task", "Team", "Ticket", "Vehicle", "Warehouse", "Workshop",
)
QUALIFIERS = (
    "", "Archive", "Batch", "Draft", "Entry", "Group", "History", "Item", "Line", "Link",
    "Log", "Note", "Plan", "Rate", "Record", "Request", "Review", "Rule", "Schedule",
    "Setting", "Snapshot", "Summary", "Template", "Transfer", "Version",
)
ENUM_SUFFIXES = ("Status", "Kind", "Priority", "Stage", "Channel", "Level")
ENUM_WORDS = (
    "active", "inactive", "pending", "archived", "draft", "approved", "rejected", "open",
    "closed", "low", "medium", "high", "urgent", "email", "sms", "push", "web", "mobile",
    "new", "in_progress", "done", "cancelled", "on_hold", "verified",
)
EMBEDDED_SUFFIXES = ("Info", "Details", "Settings", "Location", "Contact", "Dimensions")

# (name, type, extra keys): a pool of realistic fields to draw from.
FIELD_POOL: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("title", "string", {"max_length": 200}),
    ("name", "string", {"max_length": 120, "index": True}),
    ("summary", "text?", {}),
    ("body", "text", {"default": ""}),
    ("code", "string", {"pattern": "^[A-Z]{3}-[0-9]{4}$", "unique": True, "max_length": 8}),
    ("slug", "string", {"max_length": 80, "unique": True}),
    ("price", "decimal", {"min": 0}),
    ("amount", "decimal?", {}),
    ("quantity", "int", {"min": 0, "default": 0}),
    ("position", "int", {"default": 0}),
    ("rating", "float?", {"min": 0, "max": 5}),
    ("weight_kg", "float", {"min": 0, "default": 0.0}),
    ("is_active", "bool", {"default": True}),
    ("is_public", "bool", {"default": False}),
    ("starts_at", "datetime?", {}),
    ("ends_at", "datetime?", {}),
    ("published_at", "datetime?", {"index": True}),
    ("due_date", "date?", {}),
    ("opening_time", "time?", {}),
    ("external_id", "uuid", {"unique": True}),
    ("contact_email", "email?", {}),
    ("owner_email", "email", {"index": True}),
    ("homepage", "url?", {}),
    ("payload", "json?", {}),
    ("thumbnail", "bytes?", {}),
    ("legacy_id", "objectid?", {}),
    ("labels", "list[string]", {"default": []}),
    ("scores", "list[float]", {"default": []}),
    ("counters", "dict[string, int]", {"default": {}}),
    ("attributes", "dict[string, string]", {"default": {}}),
    ("notes", "string?", {"max_length": 250, "description": "Free-form notes shown to staff."}),
    ("priority", "int", {"min": 1, "max": 5, "default": 3}),
)
EMBEDDED_POOL = tuple(
    f for f in FIELD_POOL if "unique" not in f[2] and "index" not in f[2] and f[0] != "code"
)
STRING_TYPES = ("string", "text", "email")
UNINDEXABLE = ("json", "bytes", "text")
SCALAR_TYPES = ("string", "text", "int", "float", "decimal", "bool", "datetime", "date", "time",
                "uuid", "email", "url", "bytes", "json", "objectid")
MIXINS = ("timestamps", "soft_delete", "audit", "metadata", "searchable")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass
class FieldSpec:
    """One field in the spec language: its type expression and its extra keys."""

    name: str
    type: str
    """The type expression as written in a spec (``string?``, ``list[ref[Post]]`` ...)."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def optional(self) -> bool:
        return self.type.endswith("?")

    @property
    def base_type(self) -> str:
        return self.type.removesuffix("?")


@dataclass
class EnumSpec:
    name: str
    values: list[str]
    source: str


@dataclass
class EmbeddedSpec:
    name: str
    fields: list[FieldSpec]
    source: str
    description: str | None = None


@dataclass
class ModelSpec:
    name: str
    collection: str
    fields: list[FieldSpec]
    source: str
    mixins: list[str] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    indexes: list[Any] = field(default_factory=list)
    description: str | None = None


@dataclass
class Corpus:
    n: int
    seed: int
    files: list[str]
    enums: list[EnumSpec]
    embedded: list[EmbeddedSpec]
    models: list[ModelSpec]

    @property
    def classes(self) -> int:
        return len(self.enums) + len(self.embedded) + len(self.models)


def _unique_names(rng: random.Random, count: int, suffixes: tuple[str, ...]) -> list[str]:
    names = [n + q for n in NOUNS for q in suffixes]
    rng.shuffle(names)
    if count <= len(names):
        return names[:count]
    extra = [f"{names[i % len(names)]}{i // len(names) + 1}" for i in range(len(names), count)]
    return names + extra


def _pick_fields(rng: random.Random, pool: tuple[tuple[str, str, dict[str, Any]], ...],
                 count: int) -> list[FieldSpec]:
    chosen = sorted(rng.sample(range(len(pool)), count))
    return [FieldSpec(pool[i][0], pool[i][1], copy.deepcopy(pool[i][2])) for i in chosen]


def _build_enums(rng: random.Random, count: int, files: list[str]) -> list[EnumSpec]:
    names = _unique_names(rng, count, ENUM_SUFFIXES)
    enums = []
    for i, name in enumerate(names):
        values = sorted(rng.sample(ENUM_WORDS, rng.randint(3, 7)), key=ENUM_WORDS.index)
        enums.append(EnumSpec(name, values, files[i % len(files)]))
    return enums


def _build_embedded(rng: random.Random, count: int, files: list[str],
                    enums: list[EnumSpec]) -> list[EmbeddedSpec]:
    names = _unique_names(rng, count, EMBEDDED_SUFFIXES)
    result: list[EmbeddedSpec] = []
    for i, name in enumerate(names):
        fields = _pick_fields(rng, EMBEDDED_POOL, rng.randint(3, 6))
        if enums and rng.random() < 0.4:
            enum = rng.choice(enums)
            fields.append(FieldSpec(snake(enum.name), enum.name, {"default": enum.values[0]}))
        if result and rng.random() < 0.25:
            inner = rng.choice(result)
            fields.append(FieldSpec(snake(inner.name), f"{inner.name}?", {}))
        desc = f"{name} value object." if rng.random() < 0.3 else None
        result.append(EmbeddedSpec(name, fields, files[i % len(files)], desc))
    return result


def _add(fields: list[FieldSpec], spec: FieldSpec) -> None:
    if all(f.name != spec.name for f in fields):
        fields.append(spec)


def _relation_fields(rng: random.Random, index: int, models: list[ModelSpec],
                     fields: list[FieldSpec]) -> None:
    if not models:
        return
    for _ in range(rng.choice((0, 1, 1, 2))):
        target = models[rng.randrange(max(0, index - 200), index)]
        mode = rng.choice(("cascade", "set_null", "restrict"))
        extra: dict[str, Any] = {"on_delete": mode, "index": True}
        ftype = f"ref[{target.name}]" + ("?" if mode == "set_null" else "")
        if rng.random() < 0.05:
            extra = {"on_delete": mode, "unique": True}
        _add(fields, FieldSpec(snake(target.name), ftype, extra))
    if rng.random() < 0.15:
        target = models[rng.randrange(max(0, index - 200), index)]
        _add(fields, FieldSpec(f"{snake(target.name)}_links", f"list[ref[{target.name}]]",
                               {"default": []}))


def _typed_fields(rng: random.Random, enums: list[EnumSpec],
                  embedded: list[EmbeddedSpec], fields: list[FieldSpec]) -> None:
    for enum in rng.sample(enums, min(len(enums), rng.choice((0, 1, 1, 2)))):
        extra: dict[str, Any] = {"default": rng.choice(enum.values)}
        if rng.random() < 0.5:
            extra["index"] = True
        _add(fields, FieldSpec(snake(enum.name), enum.name, extra))
    for emb in rng.sample(embedded, min(len(embedded), rng.choice((0, 1, 1, 2)))):
        if rng.random() < 0.2:
            _add(fields, FieldSpec(f"{snake(emb.name)}_items", f"list[{emb.name}]",
                                   {"default": []}))
        else:
            _add(fields, FieldSpec(snake(emb.name), f"{emb.name}?"))


def _indexes(rng: random.Random, model: ModelSpec, indexable: set[str],
             embedded: dict[str, EmbeddedSpec]) -> list[Any]:
    plain = [f.name for f in model.fields
             if f.base_type in indexable or f.base_type.startswith("ref[")]
    indexes: list[Any] = []
    nested = [f for f in model.fields if f.base_type in embedded]
    if nested and rng.random() < 0.2:
        outer = rng.choice(nested)
        inner = [g.name for g in embedded[outer.base_type].fields if g.base_type in indexable]
        if inner:
            indexes.append([f"{outer.name}.{inner[0]}"])
    if len(plain) >= 2 and rng.random() < 0.5:
        indexes.append(sorted(rng.sample(plain, 2), key=plain.index))
    if len(plain) >= 2 and rng.random() < 0.3:
        first, *rest = rng.sample(plain, 2)
        keys: list[Any] = [{first: "desc"}, *rest]
        spec: dict[str, Any] = {"fields": keys}
        if rng.random() < 0.5 or [first, *rest] in indexes:
            spec["name"] = f"{model.collection}_{first}_recent"
        indexes.append(spec)
    return indexes


def _mixins_and_search(rng: random.Random, model: ModelSpec) -> None:
    model.mixins = [m for m in MIXINS if rng.random() < 0.45]
    if "searchable" in model.mixins:
        texts = [f.name for f in model.fields if f.base_type in STRING_TYPES]
        if texts:
            model.search = sorted(rng.sample(texts, min(len(texts), rng.randint(1, 3))),
                                  key=texts.index)
        else:
            model.mixins.remove("searchable")


def _build_models(rng: random.Random, count: int, files: list[str], enums: list[EnumSpec],
                  embedded: list[EmbeddedSpec]) -> list[ModelSpec]:
    names = _unique_names(rng, count, QUALIFIERS)
    indexable = {t for t in SCALAR_TYPES if t not in UNINDEXABLE} | {e.name for e in enums}
    by_name = {e.name: e for e in embedded}
    models: list[ModelSpec] = []
    for i, name in enumerate(names):
        fields = _pick_fields(rng, FIELD_POOL, rng.randint(5, 12))
        _typed_fields(rng, enums, embedded, fields)
        _relation_fields(rng, i, models, fields)
        source = files[min(len(files) - 1, i * len(files) // count)]
        desc = f"A {snake(name).replace('_', ' ')}." if rng.random() < 0.4 else None
        model = ModelSpec(name, plural(snake(name)), fields, source, description=desc)
        _mixins_and_search(rng, model)
        model.indexes = _indexes(rng, model, indexable, by_name)
        models.append(model)
    return models


def build_corpus(n: int, seed: int = 7, models_per_file: int = 50) -> Corpus:
    """N models, about N/10 enums and N/10 embedded types, over ceil(N/50) spec files."""
    if n < 1:
        raise ValueError("a corpus needs at least one model")
    rng = random.Random(f"farmgen-bench-{seed}-{n}")
    file_count = max(1, -(-n // models_per_file))
    files = [f"schemas/domain_{i:03d}.yaml" for i in range(file_count)]
    enums = _build_enums(rng, max(1, n // 10), files)
    embedded = _build_embedded(rng, max(1, n // 10), files, enums)
    models = _build_models(rng, n, files, enums, embedded)
    return Corpus(n, seed, files, enums, embedded, models)
