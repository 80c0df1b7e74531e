"""``farmgen.runtime.fieldtypes``: aliases that are plain types to pydantic."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import BaseModel, Field, ValidationError

from farmgen.runtime.fieldtypes import SpecType, Text
from tests.runtime.test_runtime_imports import _loaded_after


class Note(BaseModel):
    body: Text
    summary: Text | None = Field(default=None, max_length=5)


def test_text_is_a_str_that_names_the_spec_type() -> None:
    assert get_args(Text) == (str, SpecType("text"))
    note = Note(body="long text", summary="short")
    assert note.model_dump() == {"body": "long text", "summary": "short"}
    assert Note.model_json_schema()["properties"]["body"] == {"title": "Body", "type": "string"}


def test_constraints_still_apply() -> None:
    with pytest.raises(ValidationError):
        Note(body="x", summary="too long")


def test_importing_it_loads_no_library() -> None:
    assert _loaded_after("import farmgen.runtime.fieldtypes") == set()
