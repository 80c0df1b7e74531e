"""``farmgen migrate make NAME --from-models PATH...``: diff Python models, read statically,
against the latest migration snapshot (the seed's ``db migration generate <model>``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner, Result

from farmgen.cli import main

MODELS = '''
from beanie import Document, Indexed
from pydantic import EmailStr, Field
from farmgen.runtime.documents import TimestampMixin

class User(TimestampMixin, Document):
    email: Indexed(EmailStr, unique=True)
    name: str = Field(max_length=80)

    class Settings:
        name = "users"
'''

CONFIG = 'specs = ["schemas/*.yaml"]\nmigrations = "migrations"\n'


def run(args: list[str], cwd: Path) -> Result:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_make_from_models_writes_the_migration_of_the_models(tmp_path: Path) -> None:
    (tmp_path / "farmgen.toml").write_text(CONFIG)
    (tmp_path / "models.py").write_text(MODELS)
    first = run(["migrate", "make", "initial", "--from-models", "models.py"], tmp_path)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1] == "wrote migrations/0001_initial.json"
    initial = json.loads((tmp_path / "migrations" / "0001_initial.json").read_text())
    assert initial["operations"][0]["type"] == "create_collection"
    assert "users" in json.dumps(initial["operations"][0])

    (tmp_path / "models.py").write_text(
        MODELS.replace(
            "    name: str = Field(max_length=80)\n",
            "    name: str = Field(max_length=80)\n    avatar_url: str | None = None\n",
        )
    )
    second = run(["migrate", "make", "add_avatar", "--from-models", "models.py"], tmp_path)
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines()[-1] == "wrote migrations/0002_add_avatar.json"
    added = json.loads((tmp_path / "migrations" / "0002_add_avatar.json").read_text())
    assert [(op["type"], op.get("field")) for op in added["operations"]] == [
        ("add_field", "avatar_url")
    ]
    again = run(["migrate", "make", "nothing", "--from-models", "models.py"], tmp_path)
    assert again.stdout == "no changes\n"


def test_make_from_models_prints_what_could_not_be_mapped(tmp_path: Path) -> None:
    (tmp_path / "farmgen.toml").write_text(CONFIG)
    (tmp_path / "models.py").write_text(MODELS + "    score: int | str = 0\n")
    result = run(["migrate", "make", "initial", "--from-models", "models.py"], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "models.py:12:5: warning: User.score: a union of int | string cannot be expressed; "
        "imported as json\n"
    )
