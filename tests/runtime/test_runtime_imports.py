"""``farmgen.runtime`` stays light: drivers load only with the provider that needs them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "sqlalchemy",
    "beanie",
    "pymongo",
    "asyncpg",
    "aiomysql",
    "aiosqlite",
    "jinja2",
    "black",
    "libcst",
    "datamodel_code_generator",
)


def _loaded_after(statement: str) -> set[str]:
    code = (
        f"import sys, json\n{statement}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(output)) & set(HEAVY)


def test_manager_monitor_pool_and_config_import_no_driver() -> None:
    assert (
        _loaded_after(
            "import farmgen.runtime.manager, farmgen.runtime.monitor, farmgen.runtime.pool, "
            "farmgen.runtime.backup, farmgen.runtime.seed, farmgen.runtime.errors"
        )
        == set()
    )


def test_a_sql_provider_does_not_import_mongodb_libraries() -> None:
    loaded = _loaded_after(
        "from farmgen.runtime.config import DatabaseConfig\n"
        "from farmgen.runtime.providers import create_provider\n"
        "create_provider(DatabaseConfig(type='sqlite', url='sqlite+aiosqlite:///x.db'))"
    )
    assert "sqlalchemy" in loaded
    assert loaded.isdisjoint({"beanie", "pymongo", "jinja2", "black", "libcst"})


def test_a_mongodb_provider_does_not_import_sqlalchemy() -> None:
    loaded = _loaded_after(
        "from farmgen.runtime.config import DatabaseConfig\n"
        "from farmgen.runtime.providers import create_provider\n"
        "create_provider(DatabaseConfig(type='mongodb', url='mongodb://h/db'))"
    )
    assert {"beanie", "pymongo"} <= loaded
    assert loaded.isdisjoint({"sqlalchemy", "asyncpg", "aiomysql", "jinja2", "black", "libcst"})
