"""Snapshots of every generated file of every example, one snapshot file per output file.

A template change shows up in review as an ordinary diff of
``__snapshots__/test_snapshots/*.py|.ts``. Update them with
``pytest tests/golden --snapshot-update`` and read the diff before committing.
"""

from __future__ import annotations

from functools import cache

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from farmgen.pipeline import render_formatted
from farmgen.project import load_project
from farmgen.targets.base import Language, RenderedFile
from tests.generated.support import EXAMPLES, EXAMPLES_DIR


class PythonSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "py"


class TypeScriptSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "ts"


@cache
def rendered(example: str) -> dict[str, RenderedFile]:
    project = load_project(EXAMPLES_DIR / example)
    return {f"{f.target}/{f.path}": f for f in render_formatted(project)}


CASES = [(example, key) for example in EXAMPLES for key in sorted(rendered(example))]


@pytest.mark.parametrize(
    ("example", "key"),
    CASES,
    ids=[f"{e}-{k.replace('/', '-').rsplit('.', 1)[0]}" for e, k in CASES],
)
def test_generated_file(example: str, key: str, snapshot: SnapshotAssertion) -> None:
    file = rendered(example)[key]
    extension = PythonSnapshot if file.language is Language.PYTHON else TypeScriptSnapshot
    assert file.content == snapshot.use_extension(extension)


def test_every_target_of_every_example_is_covered() -> None:
    for example in EXAMPLES:
        targets = {key.split("/")[0] for key in rendered(example)}
        assert targets == {"beanie", "sqlalchemy", "typescript"}
