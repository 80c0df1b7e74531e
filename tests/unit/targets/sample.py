"""A hand-built IR schema exercising every field type, used by the target unit tests."""

from __future__ import annotations

from farmgen.ir import (
    Constraints,
    Default,
    DictOf,
    EmbeddedRef,
    EmbeddedType,
    EnumRef,
    EnumType,
    EnumValue,
    Field,
    Index,
    IndexKey,
    ListOf,
    Model,
    ModelRef,
    OnDelete,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.ir.names import enum_member_name

S = ScalarKind
USERS = "schemas/users.yaml"
BLOG = "schemas/blog.yaml"


def scalar(kind: ScalarKind) -> Scalar:
    return Scalar(kind)


def enum(name: str, values: list[str], source: str, description: str | None = None) -> EnumType:
    return EnumType(
        name, tuple(EnumValue(v, enum_member_name(v)) for v in values), description, source
    )


def mixin_fields() -> tuple[Field, ...]:
    dt = scalar(S.DATETIME)
    return (
        Field("created_at", dt, default=None, mixin="timestamps"),
        Field("updated_at", dt, default=None, mixin="timestamps"),
        Field("deleted_at", dt, optional=True, mixin="soft_delete"),
        Field("is_deleted", scalar(S.BOOL), default=Default.of(False), mixin="soft_delete"),
    )


def sample_schema() -> Schema:
    status = enum(
        "UserStatus", ["active", "inactive", "pending-verification"], USERS, "Account state."
    )
    profile = EmbeddedType(
        "UserProfile",
        (
            Field("first_name", scalar(S.STRING), optional=True),
            Field("timezone", scalar(S.STRING), default=Default.of("UTC")),
            Field("links", ListOf(scalar(S.URL)), default=Default.of([])),
        ),
        "Public profile.",
        USERS,
    )
    user = Model(
        "User",
        "users",
        (
            Field("email", scalar(S.EMAIL), unique=True, description="Login e-mail."),
            Field(
                "username",
                scalar(S.STRING),
                optional=True,
                unique=True,
                constraints=Constraints(max_length=50),
            ),
            Field("password_hash", scalar(S.STRING), optional=True, private=True),
            Field(
                "status",
                EnumRef("UserStatus"),
                default=Default.of("pending-verification"),
                index=True,
            ),
            Field("age", scalar(S.INT), optional=True, constraints=Constraints(min=0, max=150)),
            Field("balance", scalar(S.DECIMAL), default=Default.of("0")),
            Field("profile", EmbeddedRef("UserProfile")),
            Field("roles", ListOf(scalar(S.STRING)), default=Default.of([])),
            Field("settings", DictOf(scalar(S.JSON)), default=Default.of({})),
            Field("first-login", scalar(S.DATE), optional=True),
            *mixin_fields(),
        ),
        mixins=("timestamps", "soft_delete"),
        indexes=(
            Index("uq_users_email", (IndexKey("email"),), unique=True, from_field=True),
            Index("uq_users_username", (IndexKey("username"),), unique=True, from_field=True),
            Index("ix_users_status", (IndexKey("status"),), from_field=True),
            Index("recent_first", (IndexKey("created_at", descending=True),)),
        ),
        description="A person who can sign in.",
        source=USERS,
    )
    tag = Model(
        "Tag",
        "tags",
        (Field("label", scalar(S.STRING), unique=True, constraints=Constraints(max_length=40)),),
        indexes=(Index("uq_tags_label", (IndexKey("label"),), unique=True, from_field=True),),
        source=BLOG,
    )
    post = Model(
        "Post",
        "posts",
        (
            Field("author", ModelRef("User"), on_delete=OnDelete.CASCADE, index=True),
            Field("title", scalar(S.STRING), constraints=Constraints(min_length=1, max_length=200)),
            Field("body", scalar(S.TEXT), description='Markdown; may hold """ and */.'),
            Field("status", EnumRef("UserStatus"), default=Default.of("active")),
            Field("tags", ListOf(ModelRef("Tag")), default=Default.of([])),
            Field("published_at", scalar(S.DATETIME), optional=True),
            Field("score", scalar(S.FLOAT), default=Default.of(0.0)),
        ),
        indexes=(
            Index("ix_posts_author", (IndexKey("author"),), from_field=True),
            Index("ix_posts_title_published", (IndexKey("title"), IndexKey("published_at", True))),
        ),
        source=BLOG,
    )
    return Schema(
        enums=(status,), embedded=(profile,), models=(user, tag, post), sources=(USERS, BLOG)
    )
