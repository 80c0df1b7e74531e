"""Beanie base document and mixins that generated documents inherit.

A generated document lists the mixins its spec asks for before :class:`BaseDocument`::

    class User(TimestampMixin, SoftDeleteMixin, AuditMixin, MetadataMixin,
               SearchableMixin, BaseDocument):
        search_fields: ClassVar[tuple[str, ...]] = ("email", "profile.first_name")

Any subset, in any order, works: each mixin is a plain pydantic model that adds its
fields and registers its own Beanie event hooks.

Write hooks and what they cover:

* ``insert()`` runs ``Insert`` hooks; ``save()`` runs ``Save`` hooks and then, because
  Beanie saves through ``update()``, ``Update`` hooks; ``replace()`` runs ``Replace``
  hooks; ``set()``, ``inc()``, ``update()`` and ``save_changes()`` run ``Update`` hooks.
* Timestamps: ``created_at``/``updated_at`` are set on insert (an explicitly given
  ``created_at`` is kept) and ``updated_at`` moves on every save, replace and update.
* Audit: ``version`` goes up by exactly one per write of an existing document (one
  that has an ``id``), however many hooks that write runs.
* Searchable: ``search_vector`` is rebuilt from the in-memory document before every
  write. A partial ``set()``/``update()`` is applied by the server after the hook
  ran, so change search fields on the object and ``save()`` it to keep the vector
  exact.

Query-level writes (``User.find(...).update(...)``, ``update_all``) run no document
hooks, as in Beanie itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, ClassVar, Self

from beanie import (
    Document,
    Insert,
    Replace,
    Save,
    Update,
    after_event,
    before_event,
)
from beanie.odm.fields import ExpressionField
from beanie.odm.queries.find import FindMany
from bson import ObjectId
from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
)

__all__ = [
    "AuditMixin",
    "BaseDocument",
    "MetadataMixin",
    "SearchableMixin",
    "SoftDeleteMixin",
    "TimestampMixin",
    "UTCDatetime",
    "active_filter",
    "build_search_text",
    "utcnow",
]


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC, truncated to milliseconds (BSON precision)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def ensure_utc(value: datetime) -> datetime:
    """A naive datetime is taken as UTC (as BSON stores it); an aware one is converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UTCDatetime = Annotated[datetime, AfterValidator(ensure_utc)]
"""A datetime that is always timezone-aware UTC after validation, also when read back."""


def _stringify_ids(value: Any) -> Any:
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, Mapping):
        return {key: _stringify_ids(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_stringify_ids(item) for item in value]
    return value


class BaseDocument(Document):
    """A Beanie document with ``to_dict`` (string ids) and ``get_collection_name``.

    Subclasses that declare settings inherit these:
    ``class Settings(BaseDocument.Settings): name = "users"``.
    """

    class Settings:
        validate_on_save = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # ``init_beanie`` initialises every parent of a document, BaseDocument too, and
        # leaves query expressions (``BaseDocument.id``) on it as class attributes.
        # pydantic would take those as the defaults of a document class defined after
        # that (a second schema, a test): drop them, nobody queries BaseDocument itself.
        for name in BaseDocument.model_fields:
            if isinstance(BaseDocument.__dict__.get(name), ExpressionField):
                delattr(BaseDocument, name)
        super().__init_subclass__(**kwargs)

    def to_dict(self, exclude_none: bool = True, exclude_unset: bool = False) -> dict[str, Any]:
        """The document as a dict of Python values, every ``ObjectId`` as a string."""
        data = self.model_dump(exclude_none=exclude_none, exclude_unset=exclude_unset)
        result: dict[str, Any] = _stringify_ids(data)
        return result

    @classmethod
    def get_collection_name(cls) -> str:
        """The collection name: Beanie's settings once initialised, else ``Settings.name``."""
        own_settings = cls.__dict__.get("_document_settings")
        if own_settings is not None and own_settings.name:
            return str(own_settings.name)
        settings = cls.__dict__.get("Settings")
        name = getattr(settings, "name", None)
        return name if isinstance(name, str) and name else cls.__name__


class TimestampMixin(BaseModel):
    """``created_at`` and ``updated_at``, timezone-aware UTC, maintained by write hooks."""

    created_at: UTCDatetime = Field(default_factory=utcnow)
    updated_at: UTCDatetime = Field(default_factory=utcnow)

    _created_at_given: bool = PrivateAttr(default=False)

    # A mixin with private attributes defines model_post_init and calls super(), so that
    # pydantic runs every mixin's post-init whatever the order of the bases.
    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        self._created_at_given = "created_at" in self.model_fields_set

    @before_event(Insert)
    def _timestamps_on_insert(self) -> None:
        now = utcnow()
        if not self._created_at_given:
            self.created_at = now
        self.updated_at = now

    @before_event(Save, Replace, Update)
    def _timestamps_on_write(self) -> None:
        if getattr(self, "id", None) is None:
            self._timestamps_on_insert()
        else:
            self.updated_at = utcnow()


def active_filter() -> dict[str, Any]:
    """The MongoDB filter for documents that are not soft-deleted (a missing flag counts)."""
    return {"is_deleted": {"$ne": True}}


class SoftDeleteMixin(BaseModel):
    """``deleted_at``/``is_deleted`` with ``soft_delete``, ``restore`` and active queries."""

    deleted_at: UTCDatetime | None = None
    is_deleted: bool = False

    async def soft_delete(self, **save_kwargs: Any) -> Self:
        """Mark the document deleted and save it (``save_kwargs`` go to ``save``)."""
        self.deleted_at = utcnow()
        self.is_deleted = True
        return await self._save_self(save_kwargs)

    async def restore(self, **save_kwargs: Any) -> Self:
        """Clear the deleted mark and save the document."""
        self.deleted_at = None
        self.is_deleted = False
        return await self._save_self(save_kwargs)

    async def _save_self(self, save_kwargs: dict[str, Any]) -> Self:
        if not isinstance(self, Document):
            raise TypeError(f"{type(self).__name__} is not a Beanie Document")
        await self.save(**save_kwargs)
        return self

    @classmethod
    def find_active(cls, *filters: Any, **kwargs: Any) -> FindMany[Any]:
        """``find`` restricted to documents that are not soft-deleted (a query, not a list)."""
        document = _document_class(cls)
        return document.find(active_filter(), *filters, **kwargs)

    @classmethod
    async def count_active(cls, *filters: Any) -> int:
        """How many documents match ``filters`` and are not soft-deleted."""
        return await cls.find_active(*filters).count()

    @classmethod
    async def find_by_id_active(cls, document_id: Any) -> Self | None:
        """The active document with this id; None when the id is malformed or unknown."""
        document = _document_class(cls)
        id_type = document.model_fields["id"].annotation
        try:
            parsed = TypeAdapter(id_type).validate_python(document_id)
        except ValidationError:
            return None
        if parsed is None:
            return None
        found: Self | None = await document.find_one({"_id": parsed}, active_filter())
        return found


def _document_class(cls: type[Any]) -> type[Document]:
    if not issubclass(cls, Document):
        raise TypeError(f"{cls.__name__} is not a Beanie Document")
    return cls


class AuditMixin(BaseModel):
    """``created_by``, ``updated_by`` and a ``version`` that counts writes.

    ``version`` starts at 1 and goes up by one on each save, replace or update of a
    document that already has an id. ``increment_version(user_id)`` bumps it by
    hand and records the author; the next write then does not bump it again.
    """

    created_by: str | None = None
    updated_by: str | None = None
    version: int = 1

    _version_bumped: bool = PrivateAttr(default=False)

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)

    def increment_version(self, user_id: str | None = None) -> None:
        """Bump ``version`` once for the coming write and record who made the change."""
        if not self._version_bumped:
            self.version += 1
            self._version_bumped = True
        if user_id is not None:
            self.updated_by = user_id

    @before_event(Insert)
    def _audit_on_insert(self) -> None:
        if self.updated_by is None:
            self.updated_by = self.created_by

    @before_event(Save, Replace, Update)
    def _audit_on_write(self) -> None:
        if getattr(self, "id", None) is None:
            self._audit_on_insert()
        elif not self._version_bumped:
            self.increment_version()

    @after_event(Insert, Save, Replace, Update)
    def _audit_after_write(self) -> None:
        self._version_bumped = False


class MetadataMixin(BaseModel):
    """A free-form ``metadata`` dict and a ``tags`` list with small helpers."""

    metadata: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)

    def add_tag(self, tag: str) -> None:
        if tag not in self.tags:
            self.tags.append(tag)

    def remove_tag(self, tag: str) -> None:
        if tag in self.tags:
            self.tags.remove(tag)

    def has_tag(self, tag: str) -> bool:
        return tag in self.tags

    def set_metadata(self, key: str, value: Any) -> None:
        self.metadata[key] = value

    def get_metadata(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(key, default)


def _leaf_texts(value: Any) -> Iterable[str]:
    if value is None:
        return
    if isinstance(value, Enum):
        yield str(value.value)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for item in value.model_dump(mode="json").values():
            yield from _leaf_texts(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _leaf_texts(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _leaf_texts(item)
    else:
        yield str(value)


def _resolve_path(value: Any, parts: list[str]) -> Iterable[Any]:
    if not parts:
        yield value
        return
    if isinstance(value, list | tuple):
        for item in value:
            yield from _resolve_path(item, parts)
        return
    head, rest = parts[0], parts[1:]
    child = value.get(head) if isinstance(value, Mapping) else getattr(value, head, None)
    if child is not None:
        yield from _resolve_path(child, rest)


def build_search_text(obj: Any, fields: Iterable[str]) -> str | None:
    """Lower-cased text of ``fields`` (dotted paths; lists are flattened), or None if empty."""
    texts: list[str] = []
    for path in fields:
        for value in _resolve_path(obj, path.split(".")):
            texts.extend(text.strip() for text in _leaf_texts(value) if text.strip())
    return " ".join(texts).lower() or None


class SearchableMixin(BaseModel):
    """A ``search_vector`` built from ``search_fields`` and a literal substring ``search``."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    search_vector: str | None = None

    def update_search_vector(self) -> None:
        self.search_vector = build_search_text(self, self.search_fields)

    @before_event(Insert, Save, Replace, Update)
    def _search_on_write(self) -> None:
        self.update_search_vector()

    @classmethod
    async def search(cls, query: str, limit: int = 20) -> list[Self]:
        """Documents whose search text contains ``query`` (case-insensitive, taken literally).

        Regex metacharacters in ``query`` are escaped, so ``.*`` or ``(`` match
        themselves. Soft-deleted documents are left out when the model has
        :class:`SoftDeleteMixin`.
        """
        text = " ".join(query.split()).lower()
        if not text:
            return []
        document = _document_class(cls)
        filters: list[dict[str, Any]] = [
            {"search_vector": {"$regex": re.escape(text), "$options": "i"}}
        ]
        if issubclass(cls, SoftDeleteMixin):
            filters.append(active_filter())
        found: list[Any] = await document.find(*filters).limit(limit).to_list()
        return found
