"""The committed ``examples/*/generated`` trees are exactly what farmgen generates."""

from __future__ import annotations

import pytest

from farmgen.pipeline import generate
from farmgen.project import load_project
from tests.generated.support import EXAMPLES, EXAMPLES_DIR


@pytest.mark.parametrize("example", EXAMPLES)
def test_regenerating_the_example_is_a_no_op(example: str) -> None:
    result = generate(load_project(EXAMPLES_DIR / example), check=True)
    assert [c.display for c in result.changed] == []
    assert all(not c.changed for c in result.changes), "a manifest is out of date"
    assert result.unchanged > 0
