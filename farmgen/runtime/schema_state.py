"""The schema snapshot as plain JSON data: the shape migration files store.

Standard library only, so that both the migration differ and the runtime applier
use it. A snapshot describes what the database holds, nothing else (no
descriptions, no privacy flags, no model class names)::

    {
      "enums": {"UserStatus": ["active", "inactive"]},
      "models": {
        "users": {                       # keyed by collection / table name
          "fields": {                    # keyed by stored name
            "email": {"type": "email", "optional": false, "max_length": 320},
            "profile": {"type": "UserProfile", "optional": false,
                        "fields": {"first_name": {"type": "string", "optional": true}}},
            "author": {"type": "ref[users]", "optional": true, "on_delete": "set_null"},
            "groups": {"type": "list[ref[groups]]", "optional": false,
                       "through": ["users_groups", "user_id", "group_id"]}
          },
          "indexes": {"uq_users_email": {"fields": [["email", 1]], "unique": true}}
        }
      }
    }

Field types use the spec language's spelling, except that ``ref[...]`` names the
referenced *collection*. A bare name is an enum when ``enums`` has it, otherwise an
embedded type whose fields are inlined under ``fields`` (absent where the type
recurses into itself). Keys are optional where their value would be the default:
``default`` is present only when the field has one (its value may be ``null``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from typing import Any

SNAPSHOT_FORMAT = 1
SCALAR_TYPES = frozenset(
    {
        "string",
        "text",
        "int",
        "float",
        "decimal",
        "bool",
        "datetime",
        "date",
        "time",
        "uuid",
        "email",
        "url",
        "bytes",
        "json",
        "objectid",
    }
)
CONSTRAINT_KEYS = ("min", "max", "min_length", "max_length", "pattern")

Snapshot = dict[str, Any]
FieldSpec = dict[str, Any]


class SnapshotError(ValueError):
    """A snapshot or an operation does not fit the schema it is applied to."""


def empty_snapshot() -> Snapshot:
    return {"enums": {}, "models": {}}


def canonical_json(value: Any) -> str:
    """Sorted keys, two-space indent, non-ASCII kept, a trailing newline."""
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def checksum(value: Any) -> str:
    """``sha256:<hex>`` of the compact canonical JSON of ``value``."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


_ATOMS = (str, int, float, bool, type(None))


def clone(snapshot: Any) -> Any:
    """A deep copy of JSON-like data: dicts, lists and scalars are copied structurally
    (much faster than ``copy.deepcopy``); anything else goes through ``deepcopy``."""
    kind = type(snapshot)
    if kind is dict:
        return {k: v if type(v) in _ATOMS else clone(v) for k, v in snapshot.items()}
    if kind is list:
        return [v if type(v) in _ATOMS else clone(v) for v in snapshot]
    if kind in _ATOMS:
        return snapshot
    return copy.deepcopy(snapshot)


# --- field types -----------------------------------------------------------------


@dataclass(frozen=True)
class TypeInfo:
    """A parsed snapshot type string."""

    kind: str
    """``scalar``, ``list``, ``dict``, ``ref``, ``enum`` or ``embedded``."""
    name: str = ""
    """The scalar kind, enum name, embedded type name or referenced collection."""
    item: TypeInfo | None = None
    """The element type of ``list``/``dict``."""

    @property
    def is_many_to_many(self) -> bool:
        return self.kind == "list" and self.item is not None and self.item.kind == "ref"

    @property
    def stored_as_json(self) -> bool:
        """Kept as one JSON value in SQL (embedded, lists, dicts, json)."""
        if self.kind in ("embedded", "dict") or (self.kind == "list" and not self.is_many_to_many):
            return True
        return self.kind == "scalar" and self.name == "json"

    def enum_names(self) -> Iterator[str]:
        if self.kind == "enum":
            yield self.name
        if self.item is not None:
            yield from self.item.enum_names()


def parse_type(text: str, enums: Any = ()) -> TypeInfo:
    """Parse ``list[ref[users]]``, ``dict[string, int]``, ``UserStatus`` ..."""
    text = text.strip()
    if text.startswith("list[") and text.endswith("]"):
        return TypeInfo("list", item=parse_type(text[5:-1], enums))
    if text.startswith("dict[") and text.endswith("]"):
        inner = text[5:-1]
        key, sep, value = inner.partition(",")
        if not sep or key.strip() != "string":
            raise SnapshotError(f"bad dict type '{text}'")
        return TypeInfo("dict", item=parse_type(value, enums))
    if text.startswith("ref[") and text.endswith("]"):
        return TypeInfo("ref", name=text[4:-1])
    if text in SCALAR_TYPES:
        return TypeInfo("scalar", name=text)
    if not text.isidentifier():
        raise SnapshotError(f"bad type '{text}'")
    return TypeInfo("enum" if text in enums else "embedded", name=text)


def field_type(snapshot: Snapshot, field: FieldSpec) -> TypeInfo:
    return parse_type(field["type"], snapshot.get("enums", {}))


# --- naming shared with the SQLAlchemy target -------------------------------------

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(name: str) -> str:
    return _CAMEL.sub("_", name).replace("-", "_").lower()


def association_names(
    model: str, collection: str, field: str, target_model: str
) -> tuple[str, str, str]:
    """(table, column to the owner, column to the target) of a ``list[ref[...]]`` field.

    ``Post.tags: list[ref[Tag]]`` on ``posts`` → ``("posts_tags", "post_id", "tag_id")``;
    a self reference names its second column after the field.
    """
    left, right = f"{snake_case(model)}_id", f"{snake_case(target_model)}_id"
    if left == right:
        right = f"{field}_id"
    return f"{collection}_{field}", left, right


def through(spec: FieldSpec, collection: str, field: str) -> tuple[str, str, str]:
    """The association table and columns stored in a many-to-many field's ``through``."""
    stored = spec.get("through")
    if stored:
        return stored[0], stored[1], stored[2]
    target = spec["type"][len("list[ref[") : -2]
    return f"{collection}_{field}", f"{collection}_id", f"{field}_{target}_id"


# --- navigation ------------------------------------------------------------------


def model(snapshot: Snapshot, collection: str) -> dict[str, Any]:
    try:
        found: dict[str, Any] = snapshot["models"][collection]
    except KeyError:
        raise SnapshotError(f"no collection '{collection}' in the schema") from None
    return found


def field_slot(snapshot: Snapshot, collection: str, path: str) -> tuple[dict[str, FieldSpec], str]:
    """The field mapping that holds the last segment of a dotted ``path``, and that segment."""
    fields: dict[str, FieldSpec] = model(snapshot, collection)["fields"]
    parts = path.split(".")
    for part in parts[:-1]:
        parent = fields.get(part)
        if parent is None or "fields" not in parent:
            raise SnapshotError(f"'{collection}.{path}': '{part}' is not an embedded field")
        fields = parent["fields"]
    return fields, parts[-1]


def get_field(snapshot: Snapshot, collection: str, path: str) -> FieldSpec:
    container, name = field_slot(snapshot, collection, path)
    found = container.get(name)
    if found is None:
        raise SnapshotError(f"no field '{path}' in '{collection}'")
    return found


def references_to(snapshot: Snapshot, collection: str) -> list[tuple[str, str]]:
    """(collection, field) of every top-level ``ref``/``list[ref]`` field to ``collection``."""
    found: list[tuple[str, str]] = []
    for name in sorted(snapshot["models"]):
        for field_name, field in sorted(snapshot["models"][name]["fields"].items()):
            info = field_type(snapshot, field)
            target = info.item if info.is_many_to_many else info
            if target is not None and target.kind == "ref" and target.name == collection:
                found.append((name, field_name))
    return found


def enum_users(snapshot: Snapshot, enum: str) -> list[tuple[str, str]]:
    """Top-level fields (collection, field) whose type is the enum itself."""
    found: list[tuple[str, str]] = []
    for name in sorted(snapshot["models"]):
        for field_name, field in sorted(snapshot["models"][name]["fields"].items()):
            info = field_type(snapshot, field)
            if info.kind == "enum" and info.name == enum:
                found.append((name, field_name))
    return found


def edges_on_cycles(edges: Mapping[str, Set[str]]) -> set[tuple[str, str]]:
    """The edges ``(a, b)`` of a directed graph that lie on a cycle (b reaches a back).

    The SQL schema and the SQLAlchemy target both use it to find the foreign keys that
    must be created after their tables (``use_alter``), so the two always agree.
    """

    def reaches(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    return {(a, b) for a, targets in edges.items() for b in targets if reaches(b, a)}
