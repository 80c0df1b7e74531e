"""`farmgen db` end to end through the CLI root, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
import types
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from farmgen.cli import main
from farmgen.cli.db_data import shell_invocation
from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.providers import create_provider
from tests.runtime.models import SQL_MODELS

MODELS = "tests.runtime.models:SQL_MODELS"


def _project(
    tmp_path: Path,
    db_type: str,
    url: str,
    *,
    environment: str = "development",
    models: str | None = MODELS,
) -> Path:
    lines = ["[database]", f'type = "{db_type}"', f'url = "{url}"', "connect_timeout = 2"]
    if models:
        lines.append(f'models = "{models}"')
    lines += ["", "[database.development]", f'environment = "{environment}"', ""]
    config = tmp_path / "farmgen.toml"
    config.write_text("\n".join(lines))
    return config


def _db_type(url: str) -> str:
    return url.split("+", maxsplit=1)[0]


def _run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), "db", *args])


def _create_tables(url: str) -> None:
    async def create() -> None:
        provider = create_provider(DatabaseConfig(type=_db_type(url), url=url))  # type: ignore[arg-type]
        for model in SQL_MODELS:
            provider.register_model(model)
        async with provider:
            await provider.create_tables()  # type: ignore[attr-defined]

    asyncio.run(create())


@pytest.fixture
def sqlite_project(tmp_path: Path) -> tuple[Path, str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    _create_tables(url)
    return _project(tmp_path, "sqlite", url), url


def test_connect_status_and_stats(sql_url: str, tmp_path: Path) -> None:
    _create_tables(sql_url)
    config = _project(tmp_path, _db_type(sql_url), sql_url)
    result = _run(config, "connect")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"connected to {_db_type(sql_url)} at ")
    status = _run(config, "status", "--json")
    assert status.exit_code == 0
    data = json.loads(status.output)
    assert data["status"] == "healthy" and data["version"]
    text = _run(config, "status")
    assert "Status:" in text.output and "healthy" in text.output
    stats = json.loads(_run(config, "stats", "--json").output)
    assert {c["name"] for c in stats["collections"]} == {"accounts", "entries", "items"}
    table = _run(config, "stats").output
    assert "collection" in table and "accounts" in table


@pytest.mark.parametrize("db_type", ["postgresql", "mysql", "mongodb"])
def test_an_unreachable_server_is_one_line_and_exit_1(
    db_type: str, tmp_path: Path, unused_tcp_port: int
) -> None:
    scheme = {"postgresql": "postgresql", "mysql": "mysql", "mongodb": "mongodb"}[db_type]
    url = f"{scheme}://app:Sup3rSecret@127.0.0.1:{unused_tcp_port}/shop"
    config = _project(tmp_path, db_type, url)
    for command in (["connect"], ["stats"], ["backup", "--out", str(tmp_path / "b.jsonl")]):
        result = _run(config, *command)
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert lines[0].startswith(f"cannot connect to {db_type} at {scheme}://app:***@127.0.0.1")
        assert "Sup3rSecret" not in result.output
    status = _run(config, "status", "--json")
    assert status.exit_code == 1
    assert json.loads(status.output)["status"] == "unreachable"
    assert "Sup3rSecret" not in status.output


@pytest.mark.mysql
def test_wrong_credentials_are_masked(mysql_url: str, tmp_path: Path) -> None:
    config = _project(tmp_path, "mysql", mysql_url.replace("root@", "root:Wr0ngPass@"))
    result = _run(config, "connect")
    assert result.exit_code == 1
    assert "Access denied" in result.output and "root:***@" in result.output
    assert "Wr0ngPass" not in result.output


def test_reset_needs_a_development_database_and_yes(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    _create_tables(url)
    production = _project(tmp_path, "sqlite", url, environment="production")
    refused = _run(production, "reset", "--yes")
    assert refused.exit_code == 1
    assert "environment is 'production'" in refused.output
    development = _project(tmp_path, "sqlite", url)
    unconfirmed = _run(development, "reset")
    assert unconfirmed.exit_code == 2 and "--yes" in unconfirmed.output
    done = _run(development, "reset", "--yes")
    assert done.exit_code == 0
    assert done.output.strip() == "dropped 3: accounts, entries, items"
    assert json.loads(_run(development, "stats", "--json").output)["collections"] == []


def test_indexes_create_and_list(sqlite_project: tuple[Path, str]) -> None:
    config, _ = sqlite_project
    listed = json.loads(_run(config, "indexes", "list", "--json").output)
    assert {ix["name"] for ix in listed} >= {"ix_items_name", "ix_items_n_name"}
    created = _run(config, "indexes", "create")
    assert created.exit_code == 0
    assert created.output.startswith("every declared index")
    text = _run(config, "indexes", "list").output
    assert "ix_items_n_name" in text and "n, name" in text


def test_indexes_create_without_models_says_how_to_configure(tmp_path: Path) -> None:
    config = _project(tmp_path, "sqlite", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", models=None)
    result = _run(config, "indexes", "create")
    assert result.exit_code == 1
    assert "no models: set [database] models" in result.output


def test_seed_from_the_seeds_directory_and_a_file(sqlite_project: tuple[Path, str]) -> None:
    config, _ = sqlite_project
    assert "no seed files in seeds/" in _run(config, "seed").output
    seeds = config.parent / "seeds"
    seeds.mkdir()
    (seeds / "accounts.yaml").write_text(
        "- model: Account\n  key: email\n  records:\n    - {email: a@example.com, balance: '1.5'}\n"
    )
    first = _run(config, "seed")
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[1].split() == ["Account", "1", "0", "0"]
    second = _run(config, "seed")
    assert second.output.splitlines()[1].split() == ["Account", "0", "0", "1"]
    extra = config.parent / "more.json"
    extra.write_text(
        json.dumps([{"model": "items", "key": "name", "records": [{"name": "x", "n": 1}]}])
    )
    assert _run(config, "seed", "--file", str(extra)).output.splitlines()[1].split() == [
        "Item",
        "1",
        "0",
        "0",
    ]
    bad = config.parent / "bad.json"
    bad.write_text(json.dumps([{"model": "items", "key": "name", "records": [{"name": 5}]}]))
    failed = _run(config, "seed", "--file", str(bad))
    assert failed.exit_code == 1
    assert "record 1: name: expected str" in failed.output


def test_backup_and_restore(sql_url: str, tmp_path: Path) -> None:
    _create_tables(sql_url)
    config = _project(tmp_path, _db_type(sql_url), sql_url)
    (tmp_path / "s.json").write_text(
        json.dumps(
            [
                {
                    "model": "Account",
                    "key": "email",
                    "records": [
                        {"email": "a@example.com", "balance": "2.25", "born": "2000-01-02"}
                    ],
                }
            ]
        )
    )
    assert _run(config, "seed", "--file", str(tmp_path / "s.json")).exit_code == 0
    default = _run(config, "backup")
    assert default.exit_code == 0, default.output
    written = list((tmp_path / "backups").glob(f"{_db_type(sql_url)}-*.jsonl"))
    assert len(written) == 1
    assert default.output.startswith("wrote 1 record from 3 collections to ")
    refused = _run(config, "restore", str(written[0]))
    assert refused.exit_code == 1 and "--replace" in refused.output
    assert _run(config, "reset", "--yes").exit_code == 0
    _create_tables(sql_url)
    restored = _run(config, "restore", str(written[0]))
    assert restored.exit_code == 0, restored.output
    assert restored.output.strip() == "restored 1 record into 3 collections"
    stats = json.loads(_run(config, "stats", "--json").output)
    assert {"name": "accounts", "objects": 1} in stats["collections"]


def test_shell_needs_the_client_on_path(
    sqlite_project: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config, _ = sqlite_project
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = _run(config, "shell")
    assert result.exit_code == 1
    assert result.output.startswith("sqlite3 is not on PATH: install the sqlite client")


def test_shell_runs_the_client_without_the_password_in_argv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "record.txt"
    fake = bin_dir / "psql"
    fake.write_text(f'#!/bin/sh\necho "$@" > {record}\necho "$PGPASSWORD" >> {record}\nexit 3\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + os.environ["PATH"])
    config = _project(
        tmp_path, "postgresql", "postgresql+asyncpg://app:pw%40x@db.example:6543/shop"
    )
    result = _run(config, "shell")
    assert result.exit_code == 3
    argv, password = record.read_text().splitlines()
    assert argv == "postgresql://app@db.example:6543/shop"
    assert password == "pw@x"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            DatabaseConfig(type="mysql", url="mysql+aiomysql://root:pw@h:3307/app?charset=utf8mb4"),
            ("mysql", ["-h", "h", "-P", "3307", "-u", "root", "app"], {"MYSQL_PWD": "pw"}),
        ),
        (
            DatabaseConfig(type="sqlite", url="sqlite+aiosqlite:////abs/app.db"),
            ("sqlite3", ["/abs/app.db"], {}),
        ),
        (
            DatabaseConfig(type="sqlite", url="sqlite+aiosqlite:///rel.db"),
            ("sqlite3", ["rel.db"], {}),
        ),
        (
            DatabaseConfig(type="mongodb", url="mongodb://u:pw@m1:27017,m2/app?replicaSet=rs"),
            ("mongosh", ["mongodb://u@m1:27017,m2/app?replicaSet=rs"], {}),
        ),
    ],
)
def test_shell_invocations(config: DatabaseConfig, expected: tuple[object, ...]) -> None:
    assert shell_invocation(config) == expected


def test_migration_commands_are_loaded_lazily(
    sqlite_project: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _ = sqlite_project
    module = types.ModuleType("farmgen.cli.db_migrations")

    @click.command("migrate")
    def migrate_command() -> None:
        click.echo("migrating")

    module.migrate_command = migrate_command  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "farmgen.cli.db_migrations", module)
    result = _run(config, "migrate")
    assert result.exit_code == 0 and result.output == "migrating\n"
    assert _run(config, "rollback").exit_code == 2  # not in this module: unknown command


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["db", "--help"])
    assert result.exit_code == 0
    for name in (
        "connect",
        "status",
        "stats",
        "reset",
        "indexes",
        "seed",
        "backup",
        "restore",
        "shell",
    ):
        assert f"  {name}" in result.output
