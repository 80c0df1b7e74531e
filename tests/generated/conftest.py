"""Fixtures that import the committed generated code of every example."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.generated.support import EXAMPLES, import_generated, unload, unload_sqlalchemy


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def sqlalchemy_package(example: str) -> Iterator[ModuleType]:
    module = import_generated(example, "sqlalchemy")
    yield module
    unload_sqlalchemy(module)


@pytest.fixture(scope="module")
def beanie_package(example: str) -> Iterator[ModuleType]:
    module = import_generated(example, "beanie")
    yield module
    unload(module.__name__)
