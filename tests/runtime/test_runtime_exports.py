"""``farmgen.runtime`` exports the runtime API lazily: pinned names, no driver on import."""

from __future__ import annotations

import importlib

import pytest

import farmgen.runtime
from tests.runtime.test_runtime_imports import _loaded_after

PUBLIC = [
    "BackupError",
    "ConnectionPoolManager",
    "DatabaseConfig",
    "DatabaseConnectionError",
    "DatabaseError",
    "DatabaseManager",
    "DatabaseMonitor",
    "DatabaseProvider",
    "DatabaseTransaction",
    "ModelError",
    "NotConnectedError",
    "PerformanceSnapshot",
    "QueryBuilder",
    "QueryMetrics",
    "SeedError",
    "TransactionsUnsupportedError",
    "close_database",
    "create_provider",
    "get_database_manager",
    "init_database",
]


def test_public_names_are_pinned() -> None:
    assert farmgen.runtime.__all__ == PUBLIC
    assert set(PUBLIC) <= set(dir(farmgen.runtime))


@pytest.mark.parametrize("name", PUBLIC)
def test_each_name_is_the_object_of_its_module(name: str) -> None:
    value = getattr(farmgen.runtime, name)
    home = importlib.import_module(value.__module__)
    assert getattr(home, name) is value


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = farmgen.runtime.Nope  # type: ignore[attr-defined]


def test_importing_the_package_or_its_names_loads_no_driver() -> None:
    assert _loaded_after("import farmgen.runtime") == set()
    names = ", ".join(PUBLIC)
    assert _loaded_after(f"from farmgen.runtime import {names}") == set()
