"""The checksum-only drift check agrees with the full check whenever it answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from farmgen.migrations import quick
from farmgen.migrations.check import check_migrations
from farmgen.migrations.files import is_migration_file, load_chain
from farmgen.migrations.make import make_migration
from farmgen.resolve import load_schema
from tests.migrations.evolution import load_version, versions

BLOG = versions("blog")


def _chain(directory: Path, upto: int) -> None:
    for i in range(upto + 1):
        make_migration(directory, load_chain(directory), load_version(BLOG[i]), f"step{i}")


def test_an_intact_chain_ends_at_the_specs_checksum(tmp_path: Path) -> None:
    _chain(tmp_path, 3)
    schema = load_version(BLOG[3])
    checksum = quick.schema_checksum(schema)
    assert checksum is not None
    assert quick.head_checksum(tmp_path) == checksum
    assert quick.up_to_date(tmp_path, checksum)
    assert check_migrations(tmp_path, schema) == []


def test_a_newer_spec_is_not_up_to_date(tmp_path: Path) -> None:
    _chain(tmp_path, 2)
    schema = load_version(BLOG[3])
    assert not quick.up_to_date(tmp_path, quick.schema_checksum(schema))
    assert check_migrations(tmp_path, schema) != []


def test_every_file_carries_a_stamp_of_its_own_bytes(tmp_path: Path) -> None:
    _chain(tmp_path, 2)
    for path in sorted(tmp_path.iterdir()):
        data = json.loads(path.read_text())
        assert data[quick.FILE_CHECKSUM_KEY].startswith("sha256:")
        assert quick.stamped_text(data, None if path.name.startswith("0001") else "x") != ""
    assert load_chain(tmp_path).ok


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace('"unique": false', '"unique": true', 1),
        lambda text: text.replace("\n  ", "\n   ", 1),
        lambda text: "\n".join(
            line for line in text.splitlines() if '"file_checksum"' not in line
        )
        + "\n",
    ],
    ids=["edited-operation", "reformatted", "no-stamp"],
)
def test_an_edited_or_unstamped_file_falls_back(tmp_path: Path, edit: object) -> None:
    _chain(tmp_path, 1)
    first = sorted(tmp_path.iterdir())[0]
    first.write_text(edit(first.read_text()))  # type: ignore[operator]
    assert quick.head_checksum(tmp_path) is None


def test_a_replaced_parent_breaks_the_stamp_of_its_child(tmp_path: Path) -> None:
    _chain(tmp_path, 2)
    other = tmp_path / "other"
    make_migration(other, load_chain(other), load_version(BLOG[1]), "step0")
    first = sorted(p for p in tmp_path.iterdir() if p.is_file())[0]
    replacement = json.loads((other / "0001_step0.json").read_text())
    replacement["id"] = first.stem
    data_text = quick.stamped_text(replacement, None)
    first.write_text(data_text)
    (other / "0001_step0.json").unlink()
    other.rmdir()
    assert quick.head_checksum(tmp_path) is None


def test_migration_file_names_are_recognised_alike() -> None:
    names = ["0001_initial.json", "20241201_120000_Add.json", "1_x.json", "0002_a.txt", "abc.json"]
    for name in names:
        assert quick._is_migration_file(Path(name)) == is_migration_file(Path(name))


def test_a_rename_hint_naming_a_present_field_has_no_checksum(tmp_path: Path) -> None:
    spec = tmp_path / "schema.yaml"
    spec.write_text(
        "farmgen: 1\nmodels:\n  User:\n    fields:\n      name: string\n"
        "      title: {type: string, renamed_from: name}\n"
    )
    schema = load_schema([spec], tmp_path)
    assert quick.schema_checksum(schema) is None



def test_load_chain_still_replays_a_file_whose_operations_were_edited(tmp_path: Path) -> None:
    _chain(tmp_path, 2)
    second = sorted(tmp_path.iterdir())[1]
    data = json.loads(second.read_text())
    assert data["operations"], "step 1 of the blog evolution changes something"
    data["operations"] = data["operations"][1:]
    second.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    problems = load_chain(tmp_path).diagnostics
    assert [d.code for d in problems][:1] == ["FG305"]
    assert second.stem in problems[0].message


def test_load_chain_trusts_stamped_files(tmp_path: Path) -> None:
    _chain(tmp_path, 3)
    chain = load_chain(tmp_path)
    assert chain.ok
    assert all(m.stamp is not None for m in chain.migrations)
    assert chain.migrations[0].stamp.matches(None)
    assert not chain.migrations[1].stamp.matches(None)
