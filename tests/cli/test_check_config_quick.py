"""``farmgen check`` reuses the last full config check while the config is unchanged.

The up-to-date check of the blog example imports neither pydantic, jinja2 nor yaml;
any edit of the config (or of a ``${VAR}`` it names) is checked in full as before.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from farmgen.cli import main
from farmgen.config import load_config
from farmgen.config_quick import RECORD_NAME, TARGET_KEYS, config_key, load_config_quick
from farmgen.diagnostics import ConfigError

PROBE = (
    "import sys\n"
    "from farmgen.cli import main\n"
    "try:\n    main(['check'])\n"
    "except SystemExit as exc:\n    code = exc.code\n"
    "heavy = ('pydantic', 'jinja2', 'yaml', 'farmgen.config_check', 'farmgen.resolve')\n"
    "print(code, sorted(m for m in heavy if m in sys.modules))\n"
)


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(root / "farmgen.toml"), *args])
    return result.exit_code, result.stdout + result.stderr


def probe(root: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, check=False
    )
    return out.stdout.splitlines()[-1]


def edit(root: Path, extra: str) -> None:
    path = root / "farmgen.toml"
    path.write_text(path.read_text() + extra)


def test_an_up_to_date_check_imports_no_pydantic_jinja_or_yaml(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    assert (blog / ".farmgen-cache" / RECORD_NAME).is_file()
    assert probe(blog) == "0 []"


def test_the_first_check_of_a_config_validates_it(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    (blog / ".farmgen-cache" / RECORD_NAME).unlink()
    assert probe(blog) == "0 ['farmgen.config_check', 'pydantic']"
    assert probe(blog) == "0 []"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("\n[targets.beanie.bogus]\n", "unknown option 'bogus' for target 'beanie'"),
        ("\n[bogus_table]\nx = 1\n", "unknown key 'bogus_table'"),
        ("\n[lint]\ndrop_collection = 'loud'\n", "lint level for 'drop_collection'"),
    ],
)
def test_an_edited_config_is_checked_in_full(blog: Path, extra: str, message: str) -> None:
    assert run(blog, "generate")[0] == 0
    assert probe(blog) == "0 []"
    edit(blog, extra)
    code, out = run(blog, "check")
    assert code != 0 and message in out


def test_a_bad_option_value_is_reported_after_a_quick_check(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    assert probe(blog) == "0 []"
    path = blog / "farmgen.toml"
    text = path.read_text().replace(
        'out = "generated/ts"', 'out = "generated/ts"\nenum_style = "classes"'
    )
    path.write_text(text)
    code, out = run(blog, "check")
    assert code != 0 and "targets.typescript.enum_style" in out


def test_a_bad_database_table_is_reported_after_a_quick_check(blog: Path) -> None:
    assert run(blog, "generate")[0] == 0
    assert probe(blog) == "0 []"
    path = blog / "farmgen.toml"
    path.write_text(path.read_text().replace("[database]", "[database]\nbogus = 1"))
    code, out = run(blog, "check")
    assert code != 0 and "unknown key 'database.bogus'" in out


def test_the_quick_config_equals_the_checked_one(blog: Path) -> None:
    checked = load_config(blog)
    assert load_config_quick(blog) == checked  # records the key
    quick = load_config_quick(blog)
    assert quick.database_config is None
    for item in fields(checked):
        if item.name not in ("database_config", "database_loader"):
            assert getattr(quick, item.name) == getattr(checked, item.name), item.name
    assert [s.location for s in quick.specs] == [s.location for s in checked.specs]
    assert quick.database == checked.database


def test_the_key_follows_the_variables_the_config_names(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = blog / "farmgen.toml"
    data = path.read_bytes()
    monkeypatch.delenv("DATABASE_URL", raising=False)
    unset = config_key(path, data)
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///other.db")
    assert config_key(path, data) != unset
    monkeypatch.setenv("UNRELATED_VARIABLE", "x")
    assert config_key(path, data) == config_key(path, data)
    assert config_key(path, data + b"\n") != config_key(path, data)


def test_the_target_keys_are_the_config_formats() -> None:
    from farmgen.config_format import TARGET_KEYS as CHECKED

    assert TARGET_KEYS == CHECKED


def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as a farmgen installed in site-packages (not run from its source tree)."""
    import farmgen.config_quick

    monkeypatch.setattr(farmgen.config_quick, "running_from_source", lambda: False)


def refuse_full_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    import farmgen.config_quick

    checked: list[Path] = []

    def parse(text: str, path: Path) -> object:
        checked.append(path)
        return load_config(path.parent)

    monkeypatch.setattr(farmgen.config_quick, "parse_config", parse)
    return checked


def test_manifests_record_the_config_they_were_generated_under(blog: Path) -> None:
    from farmgen.config_quick import config_digest
    from farmgen.write.manifest import Manifest

    assert run(blog, "generate")[0] == 0
    digest = config_digest(blog / "farmgen.toml")
    assert digest is not None and digest.startswith("sha256:")
    outs = ["generated/beanie", "generated/sqlalchemy", "generated/ts"]
    assert [Manifest.load(blog / out).config for out in outs] == [digest] * 3
    edit(blog, "\n# a comment does not count\n")
    path = blog / "farmgen.toml"
    assert config_digest(path) == digest
    edit(blog, "\n[lint]\ndrop_collection = 'warn'\n")
    assert config_digest(path) != digest
    code, out = run(blog, "generate")
    assert code == 0 and "3 manifests refreshed" in out
    assert Manifest.load(blog / outs[0]).config == config_digest(path)


def test_a_fresh_clone_trusts_the_config_its_manifests_name(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(blog, "generate")[0] == 0
    shutil.rmtree(blog / ".farmgen-cache")
    installed(monkeypatch)
    checked = refuse_full_checks(monkeypatch)
    config = load_config_quick(blog)
    assert checked == []
    assert config.database_config is None  # [database] is still checked when used
    assert (blog / ".farmgen-cache" / RECORD_NAME).is_file()
    assert load_config_quick(blog) == config
    assert checked == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("[database]", "[lint]\ndrop_collection = 'warn'\n\n[database]"),
        ("blog.db", "other.db"),
        (
            'migrations = "migrations"',
            'migrations = "migrations"\n[database.migrations]\ndirectory = "elsewhere"',
        ),
    ],
)
def test_a_config_the_manifests_do_not_name_is_checked_in_full(
    blog: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    assert run(blog, "generate")[0] == 0
    shutil.rmtree(blog / ".farmgen-cache")
    path = blog / "farmgen.toml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    installed(monkeypatch)
    checked = refuse_full_checks(monkeypatch)
    with contextlib.suppress(ConfigError):  # two migrations folders fail the full check
        load_config_quick(blog)
    assert checked == [path]


def test_from_a_source_tree_the_manifests_are_not_trusted(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(blog, "generate")[0] == 0
    shutil.rmtree(blog / ".farmgen-cache")
    checked = refuse_full_checks(monkeypatch)
    load_config_quick(blog)
    assert checked == [blog / "farmgen.toml"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("[database]", "[database"),  # invalid TOML
        ('out = "generated/beanie"', 'output = "generated/beanie"'),
        ("[targets.beanie]", "[targets.beanie.x]"),
    ],
)
def test_a_bad_config_in_a_fresh_clone_is_reported(
    blog: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    assert run(blog, "generate")[0] == 0
    shutil.rmtree(blog / ".farmgen-cache")
    path = blog / "farmgen.toml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    installed(monkeypatch)
    with pytest.raises(ConfigError):
        load_config_quick(blog)


def test_a_pyproject_without_a_farmgen_table_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n")
    installed(monkeypatch)
    with pytest.raises(ConfigError):
        load_config_quick(tmp_path, path)


def test_a_date_is_not_the_string_spelling_it(tmp_path: Path) -> None:
    from farmgen.config_quick import config_digest

    path = tmp_path / "farmgen.toml"
    digests = []
    for value in ('"2024-01-01"', "2024-01-01", '"07:32:00"', "07:32:00"):
        path.write_text(f"[targets.typescript]\nout = {value}\n")
        digests.append(config_digest(path))
    assert len(set(digests)) == 4


def test_an_output_folder_linked_out_of_the_project_is_checked_in_full(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(blog, "generate")[0] == 0
    shutil.rmtree(blog / ".farmgen-cache")
    elsewhere = blog.parent / "elsewhere"
    shutil.move(blog / "generated" / "ts", elsewhere)
    (blog / "generated" / "ts").symlink_to(elsewhere, target_is_directory=True)
    installed(monkeypatch)
    with pytest.raises(ConfigError) as raised:
        load_config_quick(blog)
    assert "outside the project root" in str([d.message for d in raised.value.diagnostics])
