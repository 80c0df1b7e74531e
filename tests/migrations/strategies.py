"""Hypothesis strategies: random schema snapshots and random evolutions of them.

An evolution is v1, a v2 made from it by a few random changes of every kind the
differ knows (fields added, removed, renamed with a hint, retyped within a family,
made optional or required with a default, lengths and constraints changed, indexes
added, dropped or made unique, enum values added or removed, collections added,
dropped or renamed with a hint), and the rename hints.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as hs

from farmgen.migrations.snapshot import Renames
from farmgen.runtime import schema_state as st

NAMES = ("a", "b", "c", "d", "e", "f", "g")
COLLECTIONS = ("alpha", "beta", "gamma", "delta")
ENUM_VALUES = ("red", "green", "blue", "cyan", "amber")
FAMILIES: dict[str, tuple[str, ...]] = {
    "text": ("string", "text", "email"),
    "number": ("int", "float", "decimal"),
    "json": ("json", "list[string]", "dict[string, int]", "Pair"),
    "choice": ("E1", "E2"),
    "plain": ("bool",),
    "moment": ("datetime",),
    "id": ("uuid",),
}
DEFAULTS: dict[str, Any] = {
    "string": "x",
    "text": "t",
    "email": "a@b.c",
    "int": 1,
    "float": 1.5,
    "decimal": 2,
    "json": {},
    "list[string]": [],
    "dict[string, int]": {},
    "Pair": {},
    "bool": False,
}


def _family(type_: str) -> str:
    return next(name for name, types in FAMILIES.items() if type_ in types)


def field_spec(draw: Any, type_: str, enums: dict[str, list[str]]) -> st.FieldSpec:
    spec: st.FieldSpec = {"type": type_, "optional": draw(hs.booleans())}
    if type_ == "Pair":
        spec["fields"] = {
            "left": {"type": "string", "optional": True},
            "right": {"type": "int", "optional": True},
        }
    if type_ == "string":
        spec["max_length"] = draw(hs.sampled_from([20, 40, 80]))
    if type_ == "int" and draw(hs.booleans()):
        spec["min"] = 0
    if not spec["optional"]:
        if type_ in enums:
            spec["default"] = enums[type_][0]
        elif type_ in DEFAULTS:
            spec["default"] = DEFAULTS[type_]
        else:
            spec["optional"] = True
    return spec


def _types() -> list[str]:
    return [t for types in FAMILIES.values() for t in types]


@hs.composite
def snapshots(draw: Any) -> st.Snapshot:
    enums = {
        name: list(
            draw(hs.lists(hs.sampled_from(ENUM_VALUES), min_size=1, max_size=3, unique=True))
        )
        for name in ("E1", "E2")
    }
    snap: st.Snapshot = {"enums": enums, "models": {}}
    for coll in draw(hs.lists(hs.sampled_from(COLLECTIONS), min_size=1, max_size=3, unique=True)):
        _add_collection(draw, snap, coll)
    return snap


def _add_collection(draw: Any, snap: st.Snapshot, coll: str) -> None:
    names = draw(hs.lists(hs.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    fields = {n: field_spec(draw, draw(hs.sampled_from(_types())), snap["enums"]) for n in names}
    others = sorted(snap["models"])
    if others and draw(hs.booleans()):
        target = draw(hs.sampled_from(others))
        fields["r"] = {"type": f"ref[{target}]", "optional": True, "on_delete": "cascade"}
    if others and draw(hs.booleans()):
        target = draw(hs.sampled_from(others))
        fields["m"] = {"type": f"list[ref[{target}]]", "optional": False, "default": []}
    snap["models"][coll] = {"fields": fields, "indexes": {}}
    for name in names:
        if _indexable(fields[name]) and draw(hs.booleans()):
            unique = draw(hs.booleans())
            snap["models"][coll]["indexes"][f"ix_{coll}_{name}"] = {
                "fields": [[name, 1]],
                "unique": unique,
            }
    _fix_through(snap)


def _indexable(spec: st.FieldSpec) -> bool:
    return _family(spec["type"]) in ("number", "choice", "moment", "id") or spec["type"] == "string"


def _fix_through(snap: st.Snapshot) -> None:
    for coll, model in snap["models"].items():
        for name, spec in model["fields"].items():
            if spec["type"].startswith("list[ref["):
                target = spec["type"][len("list[ref[") : -2]
                spec["through"] = [f"{coll}_{name}", f"{coll}_id", f"{name}_{target}_id"]


def _drop_indexes_on(model: dict[str, Any], name: str) -> None:
    for ix in [k for k, v in model["indexes"].items() if v["fields"][0][0] == name]:
        del model["indexes"][ix]


def _add_field(draw: Any, snap: st.Snapshot, coll: str, renames: Renames) -> None:
    model = snap["models"][coll]
    free = [n for n in NAMES if n not in model["fields"]]
    if free:
        name = draw(hs.sampled_from(free))
        model["fields"][name] = field_spec(draw, draw(hs.sampled_from(_types())), snap["enums"])


def _remove_field(draw: Any, snap: st.Snapshot, coll: str, name: str, renames: Renames) -> None:
    _drop_indexes_on(snap["models"][coll], name)
    del snap["models"][coll]["fields"][name]


def _rename_field(draw: Any, snap: st.Snapshot, coll: str, name: str, renames: Renames) -> None:
    model = snap["models"][coll]
    free = [n for n in NAMES if n not in model["fields"]]
    if not free:
        return
    new = draw(hs.sampled_from(free))
    model["fields"][new] = model["fields"].pop(name)
    for index in model["indexes"].values():
        index["fields"] = [[new if p == name else p, d] for p, d in index["fields"]]
    renames.fields[(coll, new)] = name


def _retype_field(draw: Any, snap: st.Snapshot, coll: str, name: str, renames: Renames) -> None:
    model = snap["models"][coll]
    new_type = draw(hs.sampled_from(FAMILIES[_family(model["fields"][name]["type"])]))
    model["fields"][name] = field_spec(draw, new_type, snap["enums"])
    if not _indexable(model["fields"][name]):
        _drop_indexes_on(model, name)


def _toggle_optional(draw: Any, snap: st.Snapshot, coll: str, name: str, renames: Renames) -> None:
    spec = snap["models"][coll]["fields"][name]
    type_ = spec["type"]
    if spec["optional"] and (type_ in DEFAULTS or type_ in snap["enums"]):
        spec["optional"] = False
        spec["default"] = snap["enums"][type_][0] if type_ in snap["enums"] else DEFAULTS[type_]
    else:
        spec["optional"] = True


def _change_index(draw: Any, snap: st.Snapshot, coll: str, name: str, renames: Renames) -> None:
    model = snap["models"][coll]
    if not _indexable(model["fields"][name]):
        return
    key = f"ix_{coll}_{name}"
    if key not in model["indexes"]:
        model["indexes"][key] = {"fields": [[name, 1]], "unique": draw(hs.booleans())}
    elif draw(hs.booleans()):
        del model["indexes"][key]
    else:
        model["indexes"][key]["unique"] = not model["indexes"][key]["unique"]


FIELD_CHANGES = (_remove_field, _rename_field, _retype_field, _toggle_optional, _change_index)


def _mutate_field(draw: Any, snap: st.Snapshot, coll: str, renames: Renames) -> None:
    fields = snap["models"][coll]["fields"]
    plain = sorted(n for n, s in fields.items() if not s["type"].startswith(("ref[", "list[ref[")))
    if not plain or draw(hs.integers(0, 5)) == 0:
        _add_field(draw, snap, coll, renames)
        return
    change = draw(hs.sampled_from(FIELD_CHANGES))
    change(draw, snap, coll, draw(hs.sampled_from(plain)), renames)


def _mutate_enum(draw: Any, snap: st.Snapshot) -> None:
    name = draw(hs.sampled_from(["E1", "E2"]))
    values = list(draw(hs.lists(hs.sampled_from(ENUM_VALUES), min_size=1, max_size=4, unique=True)))
    snap["enums"][name] = values
    for model in snap["models"].values():
        for spec in model["fields"].values():
            if spec["type"] == name and "default" in spec and spec["default"] not in values:
                spec["default"] = values[0]


def _mutate_collection(draw: Any, snap: st.Snapshot, renames: Renames) -> None:
    kind = draw(hs.sampled_from(["add", "drop", "rename"]))
    present = sorted(snap["models"])
    free = [c for c in COLLECTIONS if c not in snap["models"]]
    if kind == "add" and free:
        _add_collection(draw, snap, draw(hs.sampled_from(free)))
    elif kind == "drop" and len(present) > 1:
        gone = draw(hs.sampled_from(present))
        del snap["models"][gone]
        for model in snap["models"].values():
            for name in [n for n, s in model["fields"].items() if f"ref[{gone}]" in s["type"]]:
                del model["fields"][name]
    elif kind == "rename" and free:
        old, new = draw(hs.sampled_from(present)), draw(hs.sampled_from(free))
        model = snap["models"].pop(old)
        model["indexes"] = {
            k.replace(f"ix_{old}_", f"ix_{new}_"): v for k, v in model["indexes"].items()
        }
        snap["models"][new] = model
        for other in snap["models"].values():
            for spec in other["fields"].values():
                spec["type"] = spec["type"].replace(f"ref[{old}]", f"ref[{new}]")
        renames.collections[new] = old
    _fix_through(snap)


@hs.composite
def evolutions(draw: Any) -> tuple[st.Snapshot, st.Snapshot, Renames]:
    v1 = draw(snapshots())
    v2 = copy.deepcopy(v1)
    renames = Renames()
    for _ in range(draw(hs.integers(1, 4))):
        area = draw(hs.sampled_from(["field", "field", "enum", "collection"]))
        if area == "field":
            _mutate_field(draw, v2, draw(hs.sampled_from(sorted(v2["models"]))), renames)
        elif area == "enum":
            _mutate_enum(draw, v2)
        else:
            _mutate_collection(draw, v2, renames)
    _fix_through(v2)
    return v1, v2, renames
