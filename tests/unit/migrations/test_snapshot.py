"""farmgen.migrations.snapshot: IR → canonical snapshot, and the rename hints."""

from __future__ import annotations

from farmgen.migrations.snapshot import renames_of, snapshot_of
from tests.migrations.evolution import load_version, versions


def test_snapshot_keeps_what_the_database_holds() -> None:
    snap = snapshot_of(load_version(versions("blog")[7]))
    users = snap["models"]["users"]
    assert users["fields"]["email"] == {"type": "email", "optional": False}
    nickname = users["fields"]["profile"]["fields"]["nickname"]
    assert nickname == {"type": "string", "optional": True, "default": None}
    assert users["fields"]["status"]["default"] == "active"
    posts = snap["models"]["posts"]["fields"]
    assert posts["author"] == {"type": "ref[users]", "optional": False, "on_delete": "cascade"}
    assert posts["tags"]["through"] == ["posts_tags", "post_id", "tag_id"]
    assert snap["models"]["posts"]["indexes"]["ix_posts_author_views"]["fields"] == [
        ["author", 1],
        ["views", 1],
    ]
    assert snap["model_names"]["posts"] == "Post"


def test_rename_hints_include_dotted_embedded_paths() -> None:
    renames = renames_of(load_version(versions("blog")[2]))
    assert renames.fields[("users", "handle")] == "username"
    assert renames.fields[("users", "profile.nickname")] == "profile.nick"
    assert str(renames.location("users", "handle")).startswith("schema.yaml:")
