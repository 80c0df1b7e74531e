"""``migrate make`` as a library: determinism, destructive refusal, --empty, drift checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.diagnostics import SpecError
from farmgen.migrations.check import DRIFT, check_migrations
from farmgen.migrations.files import load_chain
from farmgen.migrations.make import DestructiveRefused, make_migration
from farmgen.resolve import load_schema
from tests.migrations.evolution import load_version, versions

BLOG = versions("blog")


def _make(directory: Path, version: int, name: str, **options: bool) -> object:
    return make_migration(
        directory, load_chain(directory), load_version(BLOG[version]), name, **options
    )


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec" / "schema.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("farmgen: 1\n" + text)
    return path


def test_make_twice_gives_byte_identical_files(tmp_path: Path) -> None:
    for run in ("a", "b"):
        for i in range(4):
            _make(tmp_path / run, i, f"step{i}")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_no_changes_writes_nothing(tmp_path: Path) -> None:
    _make(tmp_path, 0, "initial")
    result = _make(tmp_path, 0, "again")
    assert result.migration is None  # type: ignore[attr-defined]
    assert [p.name for p in tmp_path.iterdir()] == ["0001_initial.json"]


def test_destructive_operations_are_refused_and_listed(tmp_path: Path) -> None:
    for i in range(5):
        _make(tmp_path, i, f"v{i}")
    with pytest.raises(DestructiveRefused) as caught:
        _make(tmp_path, 5, "drop_banned")
    assert "alter_enum UserStatus (-banned)" in caught.value.message
    assert "--allow-destructive" in caught.value.message
    assert len(list(tmp_path.iterdir())) == 5
    result = _make(tmp_path, 5, "drop_banned", allow_destructive=True)
    assert result.migration.operations[0].to_json()["destructive"] is True  # type: ignore[attr-defined]


def test_empty_migration_is_hand_editable(tmp_path: Path) -> None:
    _make(tmp_path, 0, "initial")
    result = _make(tmp_path, 0, "data fix", empty=True)
    assert result.path.name == "0002_data_fix.json"  # type: ignore[attr-defined]
    chain = load_chain(tmp_path)
    assert chain.ok and chain.migrations[1].operations == []
    assert chain.migrations[1].snapshot is None
    follow = _make(tmp_path, 1, "next")
    assert follow.migration.parent == "0002_data_fix"  # type: ignore[attr-defined]


def test_required_field_without_default_is_an_error_saying_what_to_add(tmp_path: Path) -> None:
    _spec(tmp_path, "models:\n  User:\n    fields:\n      email: email\n")
    make_migration(
        tmp_path / "m",
        load_chain(tmp_path / "m"),
        load_schema([tmp_path / "spec/schema.yaml"], tmp_path),
        "a",
    )
    path = _spec(tmp_path, "models:\n  User:\n    fields:\n      email: email\n      age: int\n")
    with pytest.raises(SpecError) as caught:
        make_migration(
            tmp_path / "m", load_chain(tmp_path / "m"), load_schema([path], tmp_path), "b"
        )
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "FG201"
    assert "users.age is required and has no default" in diagnostic.message
    assert "add a default to 'age'" in (diagnostic.hint or "")
    assert str(diagnostic.location).startswith("spec/schema.yaml:")


def test_remove_plus_add_of_the_same_type_suggests_renamed_from(tmp_path: Path) -> None:
    _spec(tmp_path, "models:\n  User:\n    fields:\n      nick: string?\n")
    schema = load_schema([tmp_path / "spec/schema.yaml"], tmp_path)
    make_migration(tmp_path / "m", load_chain(tmp_path / "m"), schema, "a")
    path = _spec(tmp_path, "models:\n  User:\n    fields:\n      display: string?\n")
    result = make_migration(
        tmp_path / "m",
        load_chain(tmp_path / "m"),
        load_schema([path], tmp_path),
        "b",
        allow_destructive=True,
    )
    (warning,) = [w for w in result.warnings if w.code == "FG202"]
    assert "add `renamed_from: nick` to 'display'" in (warning.hint or "")


def test_check_reports_drift_then_passes_after_make(tmp_path: Path) -> None:
    _make(tmp_path, 0, "initial")
    schema = load_version(BLOG[1])
    (drift,) = check_migrations(tmp_path, schema)
    assert drift.code == DRIFT and "no migration captures" in drift.message
    assert "farmgen migrate make" in (drift.hint or "")
    _make(tmp_path, 1, "more")
    assert check_migrations(tmp_path, schema) == []
