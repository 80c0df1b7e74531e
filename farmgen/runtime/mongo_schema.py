"""MongoDB ``$jsonSchema`` validators and index keys, derived from a schema snapshot.

The validator checks what Beanie stores: types (``int``/``long`` for int, any number
for float and decimal, ``date`` for datetimes and dates, ``binData`` for uuid and
bytes, ``objectId``), enum values, string lengths and patterns, number ranges,
required fields (not optional: optional fields may also be ``null``) and embedded
objects. Extra keys are allowed (Beanie's ``revision_id``, fields of later code).
"""

from __future__ import annotations

from typing import Any

from farmgen.runtime import schema_state as st

_SCALARS: dict[str, list[str] | None] = {
    "string": ["string"],
    "text": ["string"],
    "email": ["string"],
    "url": ["string"],
    "int": ["int", "long"],
    "float": ["double", "int", "long", "decimal"],
    "decimal": ["decimal", "double", "int", "long"],
    "bool": ["bool"],
    "datetime": ["date"],
    "date": ["date"],
    "time": None,
    "uuid": ["binData", "string"],
    "bytes": ["binData"],
    "json": None,
    "objectid": ["objectId"],
}


def _constraints(spec: st.FieldSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = {
        "min": "minimum",
        "max": "maximum",
        "min_length": "minLength",
        "max_length": "maxLength",
        "pattern": "pattern",
    }
    for key, target in names.items():
        if spec.get(key) is not None:
            out[target] = spec[key]
    return out


def _schema(snapshot: st.Snapshot, info: st.TypeInfo, spec: st.FieldSpec) -> dict[str, Any]:
    if info.kind == "scalar":
        types = _SCALARS[info.name]
        found: dict[str, Any] = {"bsonType": types} if types else {}
        return found | _constraints(spec)
    if info.kind == "enum":
        return {"enum": list(snapshot["enums"][info.name])}
    if info.kind == "ref":
        return {}
    if info.kind == "list" and info.item is not None:
        item = {} if info.is_many_to_many else _schema(snapshot, info.item, spec)
        return {"bsonType": ["array"], "items": item}
    if info.kind == "dict" and info.item is not None:
        return {"bsonType": ["object"], "additionalProperties": _schema(snapshot, info.item, spec)}
    return _object(snapshot, spec.get("fields"))


def _object(snapshot: st.Snapshot, fields: dict[str, st.FieldSpec] | None) -> dict[str, Any]:
    found: dict[str, Any] = {"bsonType": ["object"]}
    if fields is None:
        return found
    properties: dict[str, Any] = {}
    for name, spec in sorted(fields.items()):
        schema = _schema(snapshot, st.field_type(snapshot, spec), spec)
        if spec.get("optional"):
            schema = _nullable(schema)
        properties[name] = schema
    required = sorted(n for n, s in fields.items() if not s.get("optional"))
    found["properties"] = properties
    if required:
        found["required"] = required
    return found


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    out = dict(schema)
    if "bsonType" in out:
        out["bsonType"] = [*out["bsonType"], "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def validator_for(snapshot: st.Snapshot, collection: str) -> dict[str, Any]:
    """``{"$jsonSchema": ...}`` for one collection of ``snapshot``."""
    fields = st.model(snapshot, collection)["fields"]
    return {"$jsonSchema": _object(snapshot, fields)}


PARTIAL_FILTER_TYPES: dict[str, str] = {
    "string": "string",
    "text": "string",
    "email": "string",
    "url": "string",
    "int": "number",
    "float": "number",
    "decimal": "decimal",
    "bool": "bool",
    "datetime": "date",
    "date": "date",
    "time": "string",
    "uuid": "binData",
    "bytes": "binData",
    "objectid": "objectId",
}
"""The BSON ``$type`` a stored scalar has, for partial unique indexes on optional fields.

A unique index on an optional field only covers documents that hold a value, as a
unique constraint on a nullable SQL column allows many NULLs. Beanie documents and
the migration applier both build the filter from this table.
"""


def _partial_type(info: st.TypeInfo) -> str | None:
    if info.kind == "scalar":
        return PARTIAL_FILTER_TYPES.get(info.name)
    if info.kind == "enum":
        return "string"
    if info.kind == "list":
        return "array"
    return "object"


def partial_filter(
    snapshot: st.Snapshot, collection: str, index: dict[str, Any]
) -> dict[str, Any] | None:
    """``{field: {"$type": T}}`` for a unique single-field index on an optional field."""
    if not index.get("unique") or len(index["fields"]) != 1:
        return None
    path = str(index["fields"][0][0])
    spec = st.get_field(snapshot, collection, path)
    if not spec.get("optional"):
        return None
    bson = _partial_type(st.field_type(snapshot, spec))
    return {path: {"$type": bson}} if bson else None


def index_keys(index: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(str(path), direction) for path, direction in index["fields"]]
