"""`farmgen db` on MongoDB through the MongoDB fixture (the in-memory fake unless
FARMGEN_TEST_MONGODB_URL is set): the provider is handed the fixture's client.

The fake ignores index options and validators: nothing here relies on them.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from farmgen.cli import main
from farmgen.runtime import manager as manager_module
from farmgen.runtime.providers import create_provider

pytestmark = pytest.mark.mongodb


@pytest.fixture
def project(
    tmp_path: Path, mongo_client: Any, mongo_database: Any, monkeypatch: pytest.MonkeyPatch
) -> Path:
    def provider_on_fixture(config: Any, *, monitor: Any = None, client: Any = None) -> Any:
        return create_provider(config, monitor=monitor, client=mongo_client)

    monkeypatch.setattr(manager_module, "create_provider", provider_on_fixture)
    config = tmp_path / "farmgen.toml"
    config.write_text(
        '[database]\ntype = "mongodb"\n'
        f'url = "mongodb://app:Sup3rSecret@localhost/{mongo_database.name}"\n'
        'models = "tests.runtime.models:MONGO_MODELS"\n'
        '[database.development]\nenvironment = "development"\n'
    )
    return config


async def _run(config: Path, *args: str) -> Result:
    runner = CliRunner()
    result = await asyncio.to_thread(runner.invoke, main, ["--config", str(config), "db", *args])
    assert "Sup3rSecret" not in result.output
    return result


async def test_status_seed_indexes_backup_reset_restore(project: Path, tmp_path: Path) -> None:
    status = await _run(project, "status", "--json")
    assert status.exit_code == 0, status.output
    assert json.loads(status.output)["url"].startswith("mongodb://app:***@localhost/")
    seed = tmp_path / "members.yaml"
    seed.write_text(
        "- model: Member\n  key: email\n  records:\n"
        "    - {email: a@example.com, balance: '1.10', tags: [x]}\n"
        "    - {email: b@example.com}\n"
    )
    first = await _run(project, "seed", "--file", str(seed))
    assert first.output.splitlines()[1].split() == ["Member", "2", "0", "0"]
    second = await _run(project, "seed", "--file", str(seed))
    assert second.output.splitlines()[1].split() == ["Member", "0", "0", "2"]
    created = await _run(project, "indexes", "create")
    assert sorted(created.output.split()) == ["created", "created", "email_1", "n_1_name_1"]
    listed = json.loads((await _run(project, "indexes", "list", "--json")).output)
    assert [(ix["collection"], ix["name"]) for ix in listed] == [
        ("gadgets", "n_1_name_1"),
        ("members", "email_1"),
    ]
    assert (await _run(project, "indexes", "create")).output.startswith("every declared index")
    out = tmp_path / "mongo.jsonl"
    backup = await _run(project, "backup", "--out", str(out))
    assert backup.output.startswith("wrote 2 records from 2 collections")
    reset = await _run(project, "reset", "--yes")
    assert reset.output.strip() == "dropped 2: gadgets, members"
    restored = await _run(project, "restore", str(out))
    assert restored.output.strip() == "restored 2 records into 2 collections"
    stats = json.loads((await _run(project, "stats", "--json")).output)
    assert stats["collections"] == [
        {"name": "gadgets", "objects": 0},
        {"name": "members", "objects": 2},
    ]
