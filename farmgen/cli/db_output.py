"""Aligned, optionally coloured text for ``farmgen db`` (click drops colour off a TTY)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

_GOOD = {"healthy", "connected", "ok", "applied"}
_BAD = {"unhealthy", "unreachable", "failed", "not_initialized"}


def status_word(word: str) -> str:
    colour = "green" if word in _GOOD else "red" if word in _BAD else None
    return click.style(word, fg=colour, bold=colour is not None)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def echo_pairs(pairs: Sequence[tuple[str, str]]) -> None:
    """``Key:   value`` lines with the values aligned."""
    width = max((len(key) for key, _ in pairs), default=0) + 1
    for key, value in pairs:
        click.echo(f"{click.style((key + ':').ljust(width), bold=True)} {value}")


def echo_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None
) -> None:
    """Columns padded to their widest cell; ``right`` holds the right-aligned columns."""
    right = right or set()
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    click.echo(click.style(line(headers), bold=True))
    for row in rows:
        click.echo(line(row))


def fmt_bytes(size: int | None) -> str:
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def describe_pool(pool: dict[str, Any]) -> str:
    """One line for people: ``0 checked out, 1 idle, capacity 50 (5 kept + 45 overflow)``.

    Reads the SQL figures of ``farmgen.runtime.providers.sql_pool`` and MongoDB's
    (``in_use``, ``open``, ``max_size``).
    """
    if not pool:
        return "-"
    if "in_use" in pool:  # MongoDB
        idle = int(pool.get("open", 0)) - int(pool["in_use"])
        return f"{pool['in_use']} in use, {idle} idle, capacity {pool.get('max_size', '?')}"
    name = str(pool.get("class", "pool"))
    if pool.get("kind") != "queue":
        capacity = pool.get("capacity")
        limit = "unlimited" if capacity is None else str(capacity)
        return f"{name}: {pool.get('note', '')}, capacity {limit}"
    if pool["capacity"] is None:
        capacity = f"unlimited ({pool['size']} kept)"
    else:
        capacity = f"{pool['capacity']} ({pool['size']} kept + {pool['max_overflow']} overflow)"
    text = (
        f"{name}: {pool['checked_out']} checked out, {pool['idle']} idle, "
        f"capacity {capacity}, timeout {pool['timeout_s']:g} s"
    )
    return f"{text}; {pool['note']}" if "note" in pool else text
