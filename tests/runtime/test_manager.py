"""DatabaseManager, init_database/get_database_manager, model loading, migrate delegation."""

from __future__ import annotations

import sqlite3
import sys
import types
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from farmgen.cli import main
from farmgen.runtime import manager as manager_module
from farmgen.runtime.config import DatabaseConfig, MonitoringConfig
from farmgen.runtime.errors import DatabaseError, ModelError, NotConnectedError
from farmgen.runtime.manager import (
    DatabaseManager,
    close_database,
    get_database_manager,
    init_database,
    load_models,
)
from farmgen.runtime.migrate import MigrationError
from tests.runtime.conftest import sql_config
from tests.runtime.models import (
    SQL_MODELS,
    Account,
    Base,
    Entry,
    Gadget,
    Item,
    Member,
    Ticket,
)


async def test_init_get_and_close(sqlite_url: str) -> None:
    with pytest.raises(NotConnectedError, match="init_database"):
        get_database_manager()
    manager = await init_database({"type": "sqlite", "url": sqlite_url}, models=SQL_MODELS)
    try:
        assert get_database_manager() is manager
        assert manager.provider_type == "sqlite"
        assert (await manager.health_check())["status"] == "healthy"
        replacement = await init_database(sql_config(sqlite_url), models=[Item])
        assert get_database_manager() is replacement
        assert not manager.is_initialized
    finally:
        await close_database()
    with pytest.raises(NotConnectedError):
        get_database_manager()


async def test_operations_before_initialize_are_clear(sqlite_url: str) -> None:
    manager = DatabaseManager(sql_config(sqlite_url))
    assert (await manager.health_check())["status"] == "not_initialized"
    with pytest.raises(NotConnectedError, match="not initialised"):
        await manager.get_stats()
    with pytest.raises(NotConnectedError):
        async with manager.transaction():
            pass
    with pytest.raises(NotConnectedError):
        manager.query(Item)


async def test_models_registered_before_and_after_connect(sqlite_url: str) -> None:
    manager = DatabaseManager(sql_config(sqlite_url), models=[Item, Item])
    assert manager.models == [Item]
    async with manager:
        manager.register_model(Account)
        assert manager.provider is not None
        assert manager.provider.models == (Item, Account)
        with pytest.raises(ModelError):
            manager.register_model(Gadget)
        await manager.provider.create_tables()  # type: ignore[attr-defined]
        assert await manager.create_all_indexes() == []
        stats = await manager.get_stats()
        assert stats["database"]["collections"] == 2
    assert not manager.is_initialized


async def test_monitoring_config_starts_and_stops_background_tasks(sqlite_url: str) -> None:
    config = sql_config(
        sqlite_url, monitoring=MonitoringConfig(enabled=True, health_check_interval=3600)
    )
    async with DatabaseManager(config, models=[Item]) as manager:
        assert manager.monitor is not None and manager.monitor.monitoring_enabled
        assert manager.pool is not None and manager.pool.running
        await manager.provider.create_tables()  # type: ignore[union-attr]
        await manager.query(Item).count()
        assert (await manager.get_stats())["queries"]["total_queries"] >= 1
        pool = manager.pool
    assert not pool.running
    assert not manager.monitor.monitoring_enabled


async def test_migrate_delegates_to_the_applier(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []

    async def migrate(database: Any, source: Any, *, target: Any = None, **options: Any) -> str:
        calls.append(("migrate", database, source, target, options))
        return "applied"

    async def rollback(database: Any, source: Any, target: Any, **options: Any) -> str:
        calls.append(("rollback", database, source, target, options))
        return "rolled back"

    async def migration_status(database: Any, source: Any) -> list[Any]:
        calls.append(("status", database, source))
        return []

    applier = types.ModuleType("farmgen.runtime.migrate")
    applier.migrate = migrate  # type: ignore[attr-defined]
    applier.rollback = rollback  # type: ignore[attr-defined]
    applier.migration_status = migration_status  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "farmgen.runtime.migrate", applier)
    async with DatabaseManager(sql_config(sqlite_url)) as manager:
        engine = manager.provider.native  # type: ignore[union-attr]
        assert await manager.migrate(target="0002_x", directory="db/m", accept_checksum=["a"]) == (
            "applied"
        )
        assert calls[-1] == ("migrate", engine, Path("db/m"), "0002_x", {"accept_checksum": ["a"]})
        assert await manager.rollback("0001_x") == "rolled back"
        assert calls[-1] == ("rollback", engine, Path("migrations"), "0001_x", {})
        assert await manager.migration_status("db/m") == []
        assert calls[-1] == ("status", engine, Path("db/m"))
        await manager.provider.migrate_schema(Path("other"))  # type: ignore[union-attr]
        assert calls[-1] == ("migrate", engine, Path("other"), None, {})


def test_missing_applier_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "farmgen.runtime.migrate", None)  # type: ignore[arg-type]
    with pytest.raises((DatabaseError, ImportError)):
        manager_module.load_applier()


def test_load_models_from_a_list_a_base_or_a_class(tmp_path: Path) -> None:
    assert load_models("tests.runtime.models:SQL_MODELS") == SQL_MODELS
    mapped = [*SQL_MODELS, Ticket]
    assert load_models("tests.runtime.models:Base") == sorted(mapped, key=lambda c: c.__name__)
    assert load_models("tests.runtime.models:Item") == [Item]
    assert Base is not None
    package = tmp_path / "myapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "db.py").write_text(
        "from tests.runtime.models import Item\nMODELS = [Item]\n__all__ = ['Item']\n"
    )
    assert load_models("myapp.db:MODELS", root=tmp_path) == [Item]
    assert load_models("myapp.db") == [Item]
    assert load_models("tests.runtime.models") == [Item, Account, Entry, Ticket, Gadget, Member]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("module:", "expected 'package.module' or 'package.module:NAME'"),
        ("no_such_module", "cannot import no_such_module"),
        ("tests.runtime.nope:X", "cannot import tests.runtime.nope"),
        ("tests.runtime.models:NOPE", "has no attribute 'NOPE'"),
        ("tests.runtime.models:annotations", "expected a list of model classes"),
    ],
)
def test_load_models_errors(spec: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        load_models(spec)


def test_config_from_a_mapping_interpolates_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FARMGEN_TEST_DB", "sqlite+aiosqlite:///x.db")
    manager = DatabaseManager({"type": "sqlite", "url": "${FARMGEN_TEST_DB}"})
    assert manager.config == DatabaseConfig(type="sqlite", url="sqlite+aiosqlite:///x.db")


NOTES_SPEC = (
    "farmgen: 1\nmodels:\n  Note:\n    fields:\n      title: {type: string, max_length: 80}\n"
)
ITEMS_SPEC = (
    "farmgen: 1\nmodels:\n  Item:\n    collection: items\n    fields:\n"
    "      name: {type: string?, max_length: 50}\n      n: {type: int, default: 0}\n"
)


def _initial_migration(root: Path, spec: str = NOTES_SPEC) -> Path:
    """A migrations folder made by ``farmgen migrate make`` for ``spec``."""
    (root / "schemas").mkdir(parents=True)
    (root / "farmgen.toml").write_text('specs = ["schemas/*.yaml"]\n')
    (root / "schemas" / "s.yaml").write_text(spec)
    result = CliRunner().invoke(
        main, ["--config", str(root / "farmgen.toml"), "migrate", "make", "initial"]
    )
    assert result.exit_code == 0, result.output
    return root / "migrations"


async def _tables(manager: DatabaseManager) -> set[str]:
    engine = manager.provider.native  # type: ignore[union-attr]
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


@pytest.mark.parametrize("auto_run", [True, False])
async def test_init_database_applies_pending_migrations_when_auto_run(
    tmp_path: Path, sqlite_url: str, auto_run: bool
) -> None:
    directory = _initial_migration(tmp_path / "project")
    config = {
        "type": "sqlite",
        "url": sqlite_url,
        "migrations": {"directory": str(directory), "auto_run": auto_run},
    }
    manager = await init_database(config)
    try:
        assert ("notes" in await _tables(manager)) is auto_run
        status = await manager.migration_status()
        assert [(m.id, record is not None) for m, record in status] == [("0001_initial", auto_run)]
    finally:
        await close_database()
    manager = await init_database(config, migrate=True)
    try:
        assert "notes" in await _tables(manager)
    finally:
        await close_database()


async def test_a_failing_auto_run_installs_no_manager(tmp_path: Path, sqlite_url: str) -> None:
    directory = _initial_migration(tmp_path / "project")
    database = sqlite_url.split("///", 1)[1]
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")  # in the migration's way
    await close_database()
    config = {"type": "sqlite", "url": sqlite_url, "migrations": {"directory": str(directory)}}
    with pytest.raises(MigrationError, match=r"migration 0001_initial failed .* already exists"):
        await init_database(config, migrate=True)
    with pytest.raises(NotConnectedError):
        get_database_manager()
    with sqlite3.connect(database) as conn:
        history = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%migration%'"
        ).fetchall()
        rows = [conn.execute(f"SELECT * FROM {name}").fetchall() for (name,) in history]
    assert history and all(not r for r in rows)  # a history table, nothing recorded in it


def _items(database: str) -> list[tuple[str, int]]:
    with sqlite3.connect(database) as conn:
        return sorted(conn.execute("SELECT name, n FROM items").fetchall())


def _insert_item(database: str, name: str) -> None:
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO items (id, name, n) VALUES (?, ?, 5)", (uuid.uuid4().hex, name))


async def test_a_development_restart_drops_migrates_and_seeds(
    tmp_path: Path, sqlite_url: str
) -> None:
    directory = _initial_migration(tmp_path / "project", ITEMS_SPEC)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "items.yaml").write_text(
        "- {model: Item, key: name, records: [{name: seeded, n: 1}]}\n"
    )
    database = sqlite_url.split("///", 1)[1]
    config: dict[str, Any] = {
        "type": "sqlite",
        "url": sqlite_url,
        "seeds": str(seeds),
        "migrations": {"directory": str(directory), "auto_run": True},
        "development": {
            "environment": "development",
            "drop_on_restart": True,
            "seed_database": True,
        },
    }
    for _restart in range(2):
        await init_database(config, models=[Item])
        await close_database()
        assert _items(database) == [("seeded", 1)]
        _insert_item(database, "extra")  # gone after the next restart
    (seeds / "items.yaml").write_text("- {model: Item, key: name, records: [{name: other}]}\n")
    config["development"]["environment"] = "production"  # neither drops nor seeds
    await init_database(config, models=[Item])
    await close_database()
    assert _items(database) == [("extra", 5), ("seeded", 1)]
