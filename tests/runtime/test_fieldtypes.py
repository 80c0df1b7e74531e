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


def test_private_and_on_delete_markers_are_kept_as_metadata_but_not_in_json_schema() -> None:
    import json
    from typing import Annotated

    from farmgen.runtime.fieldtypes import OnDelete, Private

    class Account(BaseModel):
        secret: Annotated[str | None, Private()] = None
        owner: Annotated[str, OnDelete("cascade")]

    assert Private() in Account.model_fields["secret"].metadata
    assert OnDelete("cascade") in Account.model_fields["owner"].metadata
    text = json.dumps(Account.model_json_schema())
    assert "cascade" not in text and "Private" not in text
    assert Account(owner="x").secret is None


def test_an_unknown_on_delete_rule_is_refused() -> None:
    from farmgen.runtime.fieldtypes import OnDelete

    with pytest.raises(ValueError, match="unknown on_delete rule 'explode'"):
        OnDelete("explode")
