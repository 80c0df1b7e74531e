"""Migration files: canonical bytes, ids, the seed's timestamp ids, chain checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from farmgen.migrations import files
from farmgen.migrations.files import Migration, build_chain, load_chain, write_migration
from farmgen.ops import AddField, CreateCollection, reverse_all
from farmgen.runtime import schema_state as st

FIELD = {"type": "string", "optional": True}


def _migration(mig_id: str, parent: str | None, operations: list, before: st.Snapshot) -> Migration:
    from farmgen.ops import apply_all

    return Migration(
        mig_id, parent, mig_id, operations, reverse_all(operations), apply_all(before, operations)
    )


def _two(directory: Path) -> tuple[Migration, Migration]:
    first = _migration(
        "0001_initial", None, [CreateCollection("t", {"a": FIELD})], st.empty_snapshot()
    )
    assert first.snapshot is not None
    second = _migration("0002_more", "0001_initial", [AddField("t", "b", FIELD)], first.snapshot)
    write_migration(directory, first)
    write_migration(directory, second)
    return first, second


def test_files_are_canonical(tmp_path: Path) -> None:
    first, _ = _two(tmp_path)
    text = (tmp_path / "0001_initial.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["parent"] is None and data["farmgen"] == 1
    assert data["snapshot_checksum"] == st.checksum(data["snapshot"])
    assert text == first.text()


def test_chain_is_read_in_parent_order(tmp_path: Path) -> None:
    _two(tmp_path)
    chain = load_chain(tmp_path)
    assert chain.ok
    assert [m.id for m in chain.migrations] == ["0001_initial", "0002_more"]
    assert set(chain.snapshot()["models"]["t"]["fields"]) == {"a", "b"}


def test_next_id_counts_on_from_the_highest_number() -> None:
    assert files.next_id([], "Initial schema!") == "0001_initial_schema"
    assert files.next_id(["0001_a", "0007_b"], "c") == "0008_c"
    assert files.next_id(["20241201_120000_seed"], "c") == "0002_c"


def test_seed_timestamp_ids_follow_each_other(tmp_path: Path) -> None:
    op = CreateCollection("t", {"a": FIELD}).to_json()
    (tmp_path / "20241201_120000_create.json").write_text(
        json.dumps({"id": "20241201_120000_create", "name": "create", "operations": [op]})
    )
    add = AddField("t", "b", FIELD).to_json()
    (tmp_path / "20241202_090000_more.json").write_text(
        json.dumps({"id": "20241202_090000_more", "operations": [add]})
    )
    chain = load_chain(tmp_path)
    assert chain.ok, chain.diagnostics
    assert chain.migrations[1].parent == "20241201_120000_create"
    assert chain.migrations[1].reverse[0].type == "remove_field"
    assert set(chain.snapshot()["models"]["t"]["fields"]) == {"a", "b"}


def test_missing_parent_is_reported(tmp_path: Path) -> None:
    _two(tmp_path)
    (tmp_path / "0001_initial.json").unlink()
    chain = load_chain(tmp_path)
    assert [d.code for d in chain.diagnostics] == [files.CHAIN_MISSING_PARENT]
    assert "0001_initial, which does not exist" in chain.diagnostics[0].message
    assert chain.diagnostics[0].hint


def test_two_children_of_one_parent_are_a_branch(tmp_path: Path) -> None:
    first, _second = _two(tmp_path)
    assert first.snapshot is not None
    other = _migration("0002_other", "0001_initial", [AddField("t", "c", FIELD)], first.snapshot)
    write_migration(tmp_path, other)
    chain = build_chain(files.read_directory(tmp_path))
    codes = [d.code for d in chain.diagnostics]
    assert files.CHAIN_BRANCH in codes
    message = next(d for d in chain.diagnostics if d.code == files.CHAIN_BRANCH)
    assert "0002_more, 0002_other all follow 0001_initial" in message.message
    assert "farmgen migrate make" in (message.hint or "")


def test_an_edited_snapshot_is_detected(tmp_path: Path) -> None:
    _two(tmp_path)
    path = tmp_path / "0002_more.json"
    data = json.loads(path.read_text())
    data["snapshot"]["models"]["t"]["fields"]["zzz"] = FIELD
    path.write_text(json.dumps(data))
    chain = load_chain(tmp_path)
    assert [d.code for d in chain.diagnostics] == [files.CHAIN_EDITED_SNAPSHOT]
    assert "was edited" in chain.diagnostics[0].message


def test_operations_that_do_not_produce_the_snapshot_are_detected(tmp_path: Path) -> None:
    _two(tmp_path)
    path = tmp_path / "0002_more.json"
    data = json.loads(path.read_text())
    data["operations"] = []
    path.write_text(json.dumps(data))
    chain = load_chain(tmp_path)
    assert [d.code for d in chain.diagnostics] == [files.CHAIN_REPLAY]


def test_a_bad_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "0001_bad.json").write_text('{"id": "0001_bad", "operations": [{"type": "nope"}]}')
    with pytest.raises(
        files.MigrationFileError, match=r"0001_bad.json: unknown migration operation"
    ):
        load_chain(tmp_path)


def test_checksum_covers_operations_not_description(tmp_path: Path) -> None:
    first, _ = _two(tmp_path)
    same = Migration(first.id, None, "other words", first.operations, first.reverse, first.snapshot)
    assert same.checksum == first.checksum
    changed = Migration(first.id, None, first.description, [], [], first.snapshot)
    assert changed.checksum != first.checksum
