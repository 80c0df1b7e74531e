"""farmgen.runtime.sqlschema: the one snapshot → SQLAlchemy mapping."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from farmgen.runtime.sqlschema import build_metadata

SNAPSHOT = {
    "enums": {"UserStatus": ["active", "banned"]},
    "models": {
        "users": {
            "fields": {
                "name": {"type": "string", "optional": False, "max_length": 40},
                "bio": {"type": "string", "optional": True},
                "handle": {"type": "string", "optional": False},
                "email": {"type": "email", "optional": False},
                "age": {"type": "int", "optional": True, "min": 0, "max": 150},
                "score": {"type": "float", "optional": False, "default": 0},
                "status": {"type": "UserStatus", "optional": False, "default": "active"},
                "profile": {"type": "Profile", "optional": False, "fields": {}},
                "seen": {"type": "datetime", "optional": True},
                "best": {"type": "ref[users]", "optional": True, "on_delete": "set_null"},
                "friends": {
                    "type": "list[ref[users]]",
                    "optional": False,
                    "default": [],
                    "through": ["users_friends", "user_id", "friends_id"],
                },
            },
            "indexes": {
                "ix_users_handle": {"fields": [["handle", 1]], "unique": True},
                "recent": {"fields": [["seen", -1]], "unique": False},
                "ix_users_profile_x": {"fields": [["profile.x", 1]], "unique": False},
            },
        }
    },
}


def _types(dialect: sa.Dialect) -> dict[str, str]:
    table = build_metadata(SNAPSHOT).tables["users"]
    return {c.name: str(c.type.compile(dialect=dialect)) for c in table.c}


def test_column_types_per_database() -> None:
    pg = _types(postgresql.dialect())
    assert pg["name"] == "VARCHAR(40)" and pg["bio"] == "TEXT" and pg["handle"] == "VARCHAR(255)"
    assert pg["email"] == "VARCHAR(320)" and pg["score"] == "DOUBLE PRECISION"
    assert pg["status"] == "user_status" and pg["profile"] == "JSONB"
    assert pg["seen"] == "TIMESTAMP WITH TIME ZONE" and pg["best_id"] == "UUID"
    assert pg["age"] == "BIGINT" and _types(sqlite.dialect())["age"] == "BIGINT"
    my = _types(mysql.dialect())
    assert my["status"] == "ENUM('active','banned')" and my["seen"] == "DATETIME(6)"
    assert _types(sqlite.dialect())["status"] == "VARCHAR(6)"


def test_keys_constraints_and_indexes() -> None:
    md = build_metadata(SNAPSHOT)
    users = md.tables["users"]
    assert [c.name for c in users.primary_key] == ["id"]
    (fk,) = users.c.best_id.foreign_keys
    assert (fk.target_fullname, fk.ondelete) == ("users.id", "SET NULL")
    checks = sorted(str(c.name) for c in users.constraints if isinstance(c, sa.CheckConstraint))
    assert checks == ["ck_users_age_max", "ck_users_age_min", "ck_users_status_enum"]
    assert {i.name for i in users.indexes} == {"ix_users_handle", "recent"}
    friends = md.tables["users_friends"]
    assert [c.name for c in friends.primary_key] == ["user_id", "friends_id"]
    assert {fk.ondelete for fk in friends.foreign_keys} == {"CASCADE"}
