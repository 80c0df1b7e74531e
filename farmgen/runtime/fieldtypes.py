"""Field types that name a farmgen spec type where Python has only one type for several.

``Text`` is a ``str`` that holds long text (the spec's ``text``, as opposed to
``string``). To pydantic and type checkers it is exactly ``str``; the
:class:`SpecType` marker inside the ``Annotated`` is inert metadata, there for readers
(people, and ``farmgen import models``) to tell ``text`` from ``string``::

    from farmgen.runtime.fieldtypes import Text

    class Post(BaseModel):
        body: Text
        summary: Text | None = None

This module depends on nothing beyond the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, TypeAlias

__all__ = ["SpecType", "Text"]


@dataclass(frozen=True)
class SpecType:
    """The farmgen spec type an ``Annotated`` alias stands for (ignored by pydantic)."""

    name: str


Text: TypeAlias = Annotated[str, SpecType("text")]
"""Long text: the spec's ``text``."""
