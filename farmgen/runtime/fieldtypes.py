"""Field types that name a farmgen spec type where Python has only one type for several.

``Text`` is a ``str`` that holds long text (the spec's ``text``, as opposed to
``string``). To pydantic and type checkers it is exactly ``str``; the
:class:`SpecType` marker inside the ``Annotated`` is inert metadata, there for readers
(people, and ``farmgen import models``) to tell ``text`` from ``string``::

    from farmgen.runtime.fieldtypes import Text

    class Post(BaseModel):
        body: Text
        summary: Text | None = None

``Private`` and ``OnDelete`` are markers of the same kind for what a field says in the
spec beyond its type: a private field (kept out of TypeScript and read models) and a
reference's ``on_delete`` rule. pydantic ignores them, so they stay out of JSON
Schema and OpenAPI documents::

    password_hash: Annotated[str | None, Private()] = None
    author: Annotated[Link["User"], OnDelete("cascade")]

This module depends on nothing beyond the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, TypeAlias

__all__ = ["ON_DELETE_ACTIONS", "OnDelete", "Private", "SpecType", "Text"]


@dataclass(frozen=True)
class SpecType:
    """The farmgen spec type an ``Annotated`` alias stands for (ignored by pydantic)."""

    name: str


ON_DELETE_ACTIONS = frozenset({"cascade", "set_null", "restrict", "no_action"})
"""The spec's ``on_delete`` rules."""


@dataclass(frozen=True)
class Private:
    """The field is private in the spec (ignored by pydantic)."""


@dataclass(frozen=True)
class OnDelete:
    """What deleting the referenced document does, as the spec says (ignored by pydantic)."""

    action: str

    def __post_init__(self) -> None:
        if self.action not in ON_DELETE_ACTIONS:
            known = ", ".join(sorted(ON_DELETE_ACTIONS))
            raise ValueError(f"unknown on_delete rule {self.action!r} (known: {known})")


Text: TypeAlias = Annotated[str, SpecType("text")]
"""Long text: the spec's ``text``."""
