"""docs/database.md covers every `farmgen db` command and every [database] key."""

from __future__ import annotations

import re
from pathlib import Path

import click
from pydantic import BaseModel

from farmgen.cli import main
from farmgen.runtime.config import DatabaseConfig


def _commands(group: click.Group, prefix: str) -> list[str]:
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix} {name}")
        else:
            found.append(f"{prefix} {name}")
    return found


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    found = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += _keys(annotation, f"{prefix}{name}.")
        else:
            found.append(f"{prefix}{name}")
    return found


def _db_group() -> click.Group:
    group = main.get_command(click.Context(main), "db")
    assert isinstance(group, click.Group)
    return group


def test_every_db_command_is_documented(repo_root: Path) -> None:
    text = (repo_root / "docs" / "database.md").read_text(encoding="utf-8")
    commands = _commands(_db_group(), "farmgen db")
    assert "farmgen db backup" in commands and "farmgen db indexes list" in commands
    missing = [command for command in commands if command not in text]
    assert missing == []


def test_every_database_key_is_documented_with_its_section(repo_root: Path) -> None:
    text = (repo_root / "docs" / "database.md").read_text(encoding="utf-8")
    missing = []
    for key in _keys(DatabaseConfig):
        *sections, name = key.split(".")
        table = "[" + ".".join(["database", *sections]) + "]"
        if table not in text or not re.search(rf"`{re.escape(name)}\b", text):
            missing.append(key)
    assert missing == []


def test_the_readme_links_the_database_guide(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert "## Database" in readme
    assert "(docs/database.md)" in readme
