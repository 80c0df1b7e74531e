"""The example projects load into the IR the targets and the migration differ expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.ir import (
    MIXIN_NAMES,
    Default,
    DictOf,
    EmbeddedRef,
    EnumRef,
    ListOf,
    ModelRef,
    OnDelete,
    Scalar,
    ScalarKind,
)
from farmgen.project import Project, load_project


@pytest.fixture(scope="module")
def blog(repo_root: Path) -> Project:
    return load_project(repo_root / "examples" / "blog")


@pytest.fixture(scope="module")
def farm_users(repo_root: Path) -> Project:
    return load_project(repo_root / "examples" / "farm-users")


def test_blog_declarations_span_two_files(blog: Project) -> None:
    schema = blog.schema
    assert schema.sources == ("schemas/content.yaml", "schemas/users.yaml")
    assert [m.name for m in schema.models] == ["Tag", "Post", "Comment", "User", "AuthorPage"]
    assert [e.name for e in schema.enums] == ["PostStatus", "UserRole", "UserStatus"]
    assert [e.name for e in schema.embedded] == ["SeoMeta", "SocialLinks", "UserProfile"]
    assert schema.model("Post").source == "schemas/content.yaml"
    assert schema.model("User").source == "schemas/users.yaml"
    assert blog.warnings == ()


def test_blog_user_has_every_mixin_in_canonical_order(blog: Project) -> None:
    user = blog.schema.model("User")
    assert user.mixins == MIXIN_NAMES
    mixin_fields = [(f.name, f.mixin) for f in user.fields if f.mixin]
    assert mixin_fields == [
        ("created_at", "timestamps"),
        ("updated_at", "timestamps"),
        ("deleted_at", "soft_delete"),
        ("is_deleted", "soft_delete"),
        ("created_by", "audit"),
        ("updated_by", "audit"),
        ("version", "audit"),
        ("metadata", "metadata"),
        ("tags", "metadata"),
        ("search_vector", "searchable"),
    ]
    fields = user.field_map
    assert fields["created_at"].default is None and fields["created_at"].server_managed
    assert fields["deleted_at"].optional and fields["deleted_at"].default == Default.of(None)
    assert fields["is_deleted"].default == Default.of(False)
    assert fields["version"].default == Default.of(1)
    assert fields["metadata"].default == Default.of({})
    assert fields["tags"].default == Default.of([])
    assert user.search == ("username", "email", "profile.display_name")


def test_blog_relations(blog: Project) -> None:
    schema = blog.schema
    author = schema.model("Post").field_map["author"]
    assert author.type == ModelRef("User") and author.on_delete is OnDelete.CASCADE
    tags = schema.model("Post").field_map["tags"]
    assert tags.type == ListOf(ModelRef("Tag")) and tags.is_many_to_many
    assert tags.on_delete is None
    page_user = schema.model("AuthorPage").field_map["user"]
    assert page_user.unique and page_user.ref_target == "User"
    comment = schema.model("Comment").field_map
    assert comment["author"].optional and comment["author"].on_delete is OnDelete.SET_NULL
    assert comment["post"].on_delete is OnDelete.CASCADE


def test_blog_indexes(blog: Project) -> None:
    post = blog.schema.model("Post")
    assert [(i.name, i.paths, i.unique, i.from_field, i.text) for i in post.indexes] == [
        ("ix_posts_author", ("author",), False, True, False),
        ("uq_posts_slug", ("slug",), True, True, False),
        ("ix_posts_status", ("status",), False, True, False),
        ("ix_posts_search_vector", ("search_vector",), False, False, True),
        ("ix_posts_status_published_at", ("status", "published_at"), False, False, False),
        ("posts_by_author_recent", ("author", "published_at"), False, False, False),
    ]
    recent = post.indexes[-1]
    assert [k.descending for k in recent.keys] == [False, True]
    user = blog.schema.model("User")
    named = [i for i in user.indexes if i.name == "users_recent_first"]
    assert named and named[0].keys[0].descending


def test_blog_types_defaults_and_constraints(blog: Project) -> None:
    user = blog.schema.model("User").field_map
    assert user["role"].type == EnumRef("UserRole")
    assert user["role"].default == Default.of("reader")
    assert user["profile"].type == EmbeddedRef("UserProfile")
    assert user["profile"].default == Default.of({})
    assert user["password_hash"].private and user["password_hash"].optional
    assert user["username"].constraints.max_length == 40
    assert user["username"].constraints.pattern == "^[a-z0-9_]+$"
    post = blog.schema.model("Post").field_map
    assert post["rating"].constraints.max == 5
    assert post["body"].type == Scalar(ScalarKind.TEXT) and post["body"].required
    assert blog.schema.model("Tag").collection == "tags"
    assert blog.schema.enum("UserStatus").description == "Lifecycle of an account."


def test_locations_point_into_the_spec_files(blog: Project) -> None:
    user = blog.schema.model("User")
    assert (user.location.path, user.location.line, user.location.col) == (
        "schemas/users.yaml",
        25,
        3,
    )
    email = user.field_map["email"]
    assert (email.location.line, email.location.col) == (31, 7)
    assert user.field_map["created_at"].location.path == "schemas/users.yaml"


def test_farm_users_is_the_seed_user_model(farm_users: Project) -> None:
    schema = farm_users.schema
    assert [e.name for e in schema.enums] == ["UserStatus", "AuthProvider"]
    assert schema.enum("AuthProvider").value_strings == (
        "local",
        "google",
        "github",
        "microsoft",
        "apple",
        "saml",
    )
    assert [e.name for e in schema.embedded] == ["UserProfile", "AuthMetadata", "AIPreferences"]
    ai = schema.embedded_type("AIPreferences").field_map
    assert ai["temperature"].default == Default.of(0.7)
    assert ai["preferred_model"].default == Default.of("llama3.1")
    auth = schema.embedded_type("AuthMetadata").field_map
    assert auth["provider"].default == Default.of("local")
    user = schema.model("User")
    assert user.collection == "users" and user.mixins == MIXIN_NAMES
    assert len(user.own_fields) == 16
    assert user.field_map["login_sessions"].type == ListOf(DictOf(Scalar(ScalarKind.JSON)))


def test_farm_users_has_every_index_of_the_seed_settings(farm_users: Project) -> None:
    user = farm_users.schema.model("User")
    paths = {i.paths for i in user.indexes}
    seed = [
        ("email",),
        ("username",),
        ("status",),
        ("roles",),
        ("auth.provider",),
        ("email_verified",),
        ("last_active_at",),
        ("status", "email_verified"),
        ("auth.provider", "auth.provider_id"),
        ("roles", "status"),
        ("search_vector",),
    ]
    base_document = [("created_at",), ("updated_at",), ("is_deleted",), ("tags",)]
    assert set(seed + base_document) <= paths
    by_path = {i.paths: i for i in user.indexes}
    assert by_path[("email",)].unique and by_path[("username",)].unique
    assert by_path[("search_vector",)].text
    assert len({i.name for i in user.indexes}) == len(user.indexes)


def test_the_docs_examples_load(repo_root: Path, tmp_path: Path) -> None:
    """Every ``yaml`` block of docs/spec.md that is a whole spec (starts with farmgen: 1) loads."""
    from farmgen.resolve import load_schema

    text = (repo_root / "docs" / "spec.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    specs = [b for b in blocks if b.startswith("farmgen: 1")]
    assert specs
    for number, spec in enumerate(specs):
        path = tmp_path / f"doc{number}.yaml"
        path.write_text(spec, encoding="utf-8")
        assert load_schema([path], tmp_path).models
