"""The snapshot builder reuses what repeats (embedded types, common fields) without sharing.

Specs that are alike are built once and copied: no two places of a snapshot may share
a dict or a list (the differ and the operations edit snapshots in place), renames and
locations still name every path, and ``clone`` copies JSON data structurally.
"""

from __future__ import annotations

from typing import Any

from farmgen.diagnostics import Location
from farmgen.ir import (
    Default,
    EmbeddedRef,
    EmbeddedType,
    Field,
    ListOf,
    Model,
    ModelRef,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.migrations.snapshot import locations_of, snapshot_and_renames
from farmgen.runtime import schema_state as st

STRING = Scalar(ScalarKind.STRING)
TAGS = ListOf(STRING)


def _at(line: int) -> Location:
    return Location("schema.yaml", line, 1)


def _schema() -> Schema:
    address = EmbeddedType(
        "Address",
        (
            Field("street", STRING, location=_at(2)),
            Field("labels", TAGS, default=Default.of(["home"]), location=_at(3)),
            Field("city", STRING, renamed_from="town", location=_at(4)),
            Field("previous", EmbeddedRef("Address"), optional=True, location=_at(5)),
        ),
    )

    def model(name: str, collection: str, line: int) -> Model:
        return Model(
            name,
            collection,
            (
                Field("home", EmbeddedRef("Address"), location=_at(line + 1)),
                Field("work", ListOf(EmbeddedRef("Address")), location=_at(line + 2)),
                Field("tags", TAGS, default=Default.of(["a", "b"]), location=_at(line + 3)),
                Field("friends", ListOf(ModelRef(name)), location=_at(line + 4)),
            ),
            location=_at(line),
        )

    return Schema(
        embedded=(address,),
        models=(model("User", "users", 10), model("Team", "teams", 20)),
        sources=("schema.yaml",),
    )


def _containers(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every dict and list inside ``value`` with where it is."""
    found: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        found.append((path, value))
        for key, item in value.items():
            found.extend(_containers(item, f"{path}/{key}"))
    elif isinstance(value, list):
        found.append((path, value))
        for i, item in enumerate(value):
            found.extend(_containers(item, f"{path}/{i}"))
    return found


def test_alike_specs_are_equal_but_never_the_same_object() -> None:
    snapshot, _ = snapshot_and_renames(_schema())
    users = snapshot["models"]["users"]["fields"]
    teams = snapshot["models"]["teams"]["fields"]
    assert users["home"]["fields"] == users["work"]["fields"] == teams["home"]["fields"]
    assert users["home"]["fields"]["previous"] == {"type": "Address", "optional": True}
    containers = _containers(snapshot)
    ids = [id(c) for _, c in containers]
    shared = [path for (path, c) in containers if ids.count(id(c)) > 1]
    assert shared == []


def test_a_change_to_one_place_stays_there() -> None:
    snapshot, _ = snapshot_and_renames(_schema())
    users = snapshot["models"]["users"]["fields"]
    teams = snapshot["models"]["teams"]["fields"]
    users["home"]["fields"]["labels"]["default"].append("office")
    users["home"]["fields"]["street"]["max_length"] = 10
    users["tags"]["default"].clear()
    assert users["work"]["fields"]["labels"]["default"] == ["home"]
    assert teams["home"]["fields"]["street"] == {"type": "string", "optional": False}
    assert teams["tags"]["default"] == ["a", "b"]


def test_many_to_many_tables_belong_to_their_own_model() -> None:
    snapshot, _ = snapshot_and_renames(_schema())
    models = snapshot["models"]
    assert models["users"]["fields"]["friends"]["through"] == [
        "users_friends",
        "user_id",
        "friends_id",
    ]
    assert models["teams"]["fields"]["friends"]["through"] == [
        "teams_friends",
        "team_id",
        "friends_id",
    ]


def test_renames_inside_reused_embedded_types_name_every_path() -> None:
    _, renames = snapshot_and_renames(_schema())
    expected = {
        (collection, f"{field}.city"): f"{field}.town"
        for collection in ("users", "teams")
        for field in ("home", "work")
    }
    assert renames.fields == expected


def test_locations_are_found_when_first_asked_for() -> None:
    schema = _schema()
    _, renames = snapshot_and_renames(schema)
    assert renames.location("users", "work.city") == _at(4)
    assert renames.location("teams", "tags") == _at(23)
    assert renames.location("teams", "home.previous.street") == _at(20)  # not expanded: the model
    assert renames.location("teams") == _at(20)
    assert renames.location("nowhere") == Location("<schema>")
    assert renames.locations == locations_of(schema)


def test_clone_copies_json_data_structurally() -> None:
    data = {"a": [1, 2.5, {"b": None, "c": "x"}], "d": True, "t": (1, [2])}
    copied = st.clone(data)
    assert copied == data
    assert [id(c) for _, c in _containers(copied)] != [id(c) for _, c in _containers(data)]
    assert all(
        mine is not theirs
        for (_, mine), (_, theirs) in zip(_containers(copied), _containers(data), strict=True)
    )
    assert copied["t"] == (1, [2]) and copied["t"][1] is not data["t"][1]
