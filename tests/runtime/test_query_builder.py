"""The QueryBuilder gives the same rows in the same order on every database."""

from __future__ import annotations

from typing import Any

import pytest

from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.providers import create_provider
from farmgen.runtime.providers.base import DatabaseProvider, parse_conditions
from tests.runtime.conftest import sql_config
from tests.runtime.models import Gadget, Item, Level, Ticket

ROWS: list[tuple[str | None, int]] = [
    ("b", 5),
    ("B", 1),
    (None, 3),
    ("a", 2),
    ("ab", 4),
    ("a", 7),
    (None, 6),
    ("Z", 0),
]

CASES: list[tuple[str, dict[str, Any], list[tuple[str, int]], int | None, int]] = [
    # (name, conditions, sort keys, limit, skip)
    ("all by name then n", {}, [("name", 1), ("n", 1)], None, 0),
    ("desc name", {}, [("name", -1), ("n", -1)], None, 0),
    ("by n, page 2", {}, [("n", 1)], 3, 3),
    ("ne a matches null", {"name": {"$ne": "a"}}, [("n", 1)], None, 0),
    ("eq null", {"name": None}, [("n", 1)], None, 0),
    ("in with null", {"name": {"$in": ["a", None]}}, [("n", 1)], None, 0),
    ("nin matches null", {"name": {"$nin": ["a", "b"]}}, [("n", 1)], None, 0),
    ("nin with null", {"name": {"$nin": ["a", None]}}, [("n", 1)], None, 0),
    ("range", {"n": {"$gte": 2, "$lt": 6}}, [("n", -1)], None, 0),
    ("string range is binary", {"name": {"$gt": "Z"}}, [("name", 1), ("n", 1)], None, 0),
    ("case-sensitive equality", {"name": "b"}, [("n", 1)], None, 0),
    ("limit zero", {}, [("n", 1)], 0, 0),
]

EXPECTED = {
    "all by name then n": [
        (None, 3),
        (None, 6),
        ("B", 1),
        ("Z", 0),
        ("a", 2),
        ("a", 7),
        ("ab", 4),
        ("b", 5),
    ],
    "desc name": [
        ("b", 5),
        ("ab", 4),
        ("a", 7),
        ("a", 2),
        ("Z", 0),
        ("B", 1),
        (None, 6),
        (None, 3),
    ],
    "by n, page 2": [(None, 3), ("ab", 4), ("b", 5)],
    "ne a matches null": [("Z", 0), ("B", 1), (None, 3), ("ab", 4), ("b", 5), (None, 6)],
    "eq null": [(None, 3), (None, 6)],
    "in with null": [("a", 2), (None, 3), (None, 6), ("a", 7)],
    "nin matches null": [("Z", 0), ("B", 1), (None, 3), ("ab", 4), (None, 6)],
    "nin with null": [("Z", 0), ("B", 1), ("ab", 4), ("b", 5)],
    "range": [("b", 5), ("ab", 4), (None, 3), ("a", 2)],
    "string range is binary": [("a", 2), ("a", 7), ("ab", 4), ("b", 5)],
    "case-sensitive equality": [("b", 5)],
    "limit zero": [],
}


async def _results(provider: DatabaseProvider, model: type[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, conditions, sort, limit, skip in CASES:
        query = provider.query(model).find(conditions)
        for field, direction in sort:
            query = query.sort(field, direction)
        if limit is not None:
            query = query.limit(limit)
        rows = await query.skip(skip).to_list()
        found[name] = [(row.name, row.n) for row in rows]
        found[name + " count"] = await provider.query(model).find(conditions).count()
    first = await provider.query(model).find(n={"$gt": 4}).sort("-n").first()
    found["first"] = (first.name, first.n) if first else None
    found["none"] = await provider.query(model).find(n=99).first()
    return found


def _check(found: dict[str, Any]) -> None:
    for name, conditions, *_ in CASES:
        assert found[name] == EXPECTED[name], name
        everything = [r for r in ROWS if _matches(r, conditions)]
        assert found[name + " count"] == len(everything), name
    assert found["first"] == ("a", 7)
    assert found["none"] is None


def _compare(op: str, value: Any, other: Any) -> bool:
    if op == "$eq":
        return bool(value == other)
    if op == "$ne":
        return bool(value != other)
    if op == "$in":
        return value in other
    if op == "$nin":
        return value not in other
    if value is None:
        return False
    return {
        "$gt": value > other,
        "$gte": value >= other,
        "$lt": value < other,
        "$lte": value <= other,
    }[op]


def _matches(row: tuple[str | None, int], conditions: dict[str, Any]) -> bool:
    values = {"name": row[0], "n": row[1]}
    return all(_compare(c.op, values[c.field], c.value) for c in parse_conditions(conditions))


async def test_sql_queries(sql_url: str) -> None:
    provider = create_provider(sql_config(sql_url))
    provider.register_model(Item)
    await provider.connect()
    try:
        await provider.create_tables()  # type: ignore[attr-defined]
        async with provider.transaction() as tx:
            for name, n in ROWS:
                tx.add(Item(name=name, n=n))  # type: ignore[attr-defined]
        _check(await _results(provider, Item))
    finally:
        await provider.disconnect()


@pytest.mark.mongodb
async def test_mongodb_queries(mongo_client: Any, mongo_database: Any) -> None:
    config = DatabaseConfig(type="mongodb", url="mongodb://localhost", database=mongo_database.name)
    provider = create_provider(config, client=mongo_client)
    provider.register_model(Gadget)
    await provider.connect()
    try:
        for name, n in ROWS:
            await Gadget(name=name, n=n).insert()
        _check(await _results(provider, Gadget))
    finally:
        await provider.disconnect()


async def test_ties_are_broken_by_primary_key(sqlite_url: str) -> None:
    provider = create_provider(sql_config(sqlite_url))
    provider.register_model(Item)
    await provider.connect()
    try:
        await provider.create_tables()  # type: ignore[attr-defined]
        async with provider.transaction() as tx:
            for _ in range(6):
                tx.add(Item(name="same", n=1))  # type: ignore[attr-defined]
        rows = await provider.query(Item).sort("name").to_list()
        assert [row.id for row in rows] == sorted(row.id for row in rows)
    finally:
        await provider.disconnect()


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({"n": {"$regex": "x"}}, "unsupported operator '\\$regex'"),
        ({"$or": []}, "unsupported top-level operator"),
        ({"n": {"$in": 3}}, "needs a list"),
    ],
)
def test_bad_conditions_are_refused(conditions: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_conditions(conditions)


async def test_unknown_column_and_null_range_are_refused(sqlite_url: str) -> None:
    provider = create_provider(sql_config(sqlite_url))
    provider.register_model(Item)
    await provider.connect()
    try:
        with pytest.raises(ValueError, match="items has no column 'nope'"):
            await provider.query(Item).find(nope=1).to_list()
        with pytest.raises(ValueError, match="cannot compare with null"):
            await provider.query(Item).find(n={"$gt": None}).to_list()
        with pytest.raises(ValueError, match="direction"):
            provider.query(Item).sort("n", 2)
    finally:
        await provider.disconnect()


async def test_enums_sort_and_compare_by_their_string_value(sql_url: str) -> None:
    provider = create_provider(sql_config(sql_url))
    provider.register_model(Ticket)
    await provider.connect()
    try:
        await provider.create_tables()  # type: ignore[attr-defined]
        async with provider.transaction() as tx:
            for level in (Level.MEDIUM, Level.LOW, Level.HIGH, Level.LOW):
                tx.add(Ticket(level=level))  # type: ignore[attr-defined]
        rows = await provider.query(Ticket).sort("level").to_list()
        assert [r.level for r in rows] == ["high", "low", "low", "medium"]
        above = await provider.query(Ticket).find(level={"$gt": "low"}).to_list()
        assert [r.level for r in above] == [Level.MEDIUM]
        assert await provider.query(Ticket).find(level=Level.LOW).count() == 2
    finally:
        await provider.disconnect()
