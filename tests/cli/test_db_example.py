"""The blog example end to end in a subprocess, as users run it: migrate, seed (twice),
indexes, backup, reset, migrate again, restore: on SQLite, PostgreSQL and MariaDB.

Models come from the project's sqlalchemy target (no ``[database] models``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEED = """\
- model: User
  key: email
  records:
    - email: ada@example.com
      username: ada
      role: admin
      status: active
      profile: {display_name: Ada}
    - {email: alan@example.com, username: alan}
- model: tags
  key: slug
  records:
    - {name: Python, slug: python, description: "snake ✓"}
"""


@pytest.fixture
def blog(repo_root: Path, tmp_path: Path) -> Path:
    source = repo_root / "examples" / "blog"
    project = tmp_path / "blog"
    project.mkdir()
    for part in ("schemas", "generated"):
        shutil.copytree(source / part, project / part)
    config = (source / "farmgen.toml").read_text()
    (project / "farmgen.toml").write_text(
        config + "\n[database.development]\n" 'environment = "development"\n'
    )
    (project / "seeds").mkdir()
    (project / "seeds" / "10_blog.yaml").write_text(SEED)
    return project


def _farmgen(project: Path, url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "farmgen", *args],
        cwd=project,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _counts(project: Path, url: str) -> dict[str, int]:
    stats = json.loads(_farmgen(project, url, "db", "stats", "--json"))
    return {c["name"]: c["objects"] for c in stats["collections"]}


@pytest.mark.slow
def test_blog_round_trip(blog: Path, sql_url: str) -> None:
    config = blog / "farmgen.toml"
    db_type = sql_url.split("+", 1)[0]
    config.write_text(config.read_text().replace('type = "sqlite"', f'type = "{db_type}"'))
    _farmgen(blog, sql_url, "migrate", "make", "initial")
    assert "applied 1 migration" in _farmgen(blog, sql_url, "db", "migrate")
    first = _farmgen(blog, sql_url, "db", "seed").splitlines()
    assert first[1].split() == ["User", "2", "0", "0"]
    second = _farmgen(blog, sql_url, "db", "seed").splitlines()
    assert second[1].split() == ["User", "0", "0", "2"]
    assert second[2].split() == ["Tag", "0", "0", "1"]
    indexes = json.loads(_farmgen(blog, sql_url, "db", "indexes", "list", "--json"))
    assert {
        "collection": "posts",
        "name": "uq_posts_slug",
        "keys": [["slug", 1]],
        "unique": True,
    } in indexes
    assert _farmgen(blog, sql_url, "db", "indexes", "create").startswith("every declared index")
    _farmgen(blog, sql_url, "db", "backup", "--out", "backup.jsonl")
    before = (blog / "backup.jsonl").read_text().splitlines()[1:]
    _farmgen(blog, sql_url, "db", "reset", "--yes")
    assert _counts(blog, sql_url) == {}
    _farmgen(blog, sql_url, "db", "migrate")
    assert _farmgen(blog, sql_url, "db", "restore", "backup.jsonl").startswith("restored 3 records")
    counts = _counts(blog, sql_url)
    assert (counts["users"], counts["tags"]) == (2, 1)
    _farmgen(blog, sql_url, "db", "backup", "--out", "again.jsonl")
    assert (blog / "again.jsonl").read_text().splitlines()[1:] == before
    third = _farmgen(blog, sql_url, "db", "seed").splitlines()
    assert third[1].split() == ["User", "0", "0", "2"]
