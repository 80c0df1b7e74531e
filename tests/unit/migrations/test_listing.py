"""farmgen.migrations.listing: every file listed, branches marked."""

from __future__ import annotations

from farmgen.migrations.files import Migration
from farmgen.migrations.listing import list_migrations


def _m(mig_id: str, parent: str | None) -> Migration:
    return Migration(mig_id, parent, mig_id.split("_", 1)[-1], [], [], None)


def test_a_straight_chain_has_no_branch_notes() -> None:
    rows, chain = list_migrations([_m("0001_a", None), _m("0002_b", "0001_a")])
    assert chain.ok
    assert [(r.id, r.on_chain, r.followed_by, r.branch_from) for r in rows] == [
        ("0001_a", True, (), None),
        ("0002_b", True, (), None),
    ]
    assert rows[0].hand_written and rows[0].to_dict()["branch_point"] is False


def test_a_longer_branch_is_listed_after_the_chain_with_where_it_leaves() -> None:
    files = [
        _m("0001_a", None),
        _m("0002_b", "0001_a"),
        _m("0002_c", "0001_a"),
        _m("0003_d", "0002_c"),
    ]
    rows, chain = list_migrations(files)
    assert not chain.ok
    assert [r.id for r in rows] == ["0001_a", "0002_b", "0002_c", "0003_d"]
    assert rows[0].followed_by == ("0002_b", "0002_c")
    assert [(r.on_chain, r.branch_from) for r in rows[2:]] == [(False, "0001_a")] * 2


def test_two_first_migrations_branch_from_the_start() -> None:
    rows, _chain = list_migrations([_m("0001_a", None), _m("0001_b", None)])
    assert [(r.id, r.on_chain, r.branch_from) for r in rows] == [
        ("0001_a", True, None),
        ("0001_b", False, None),
    ]
