"""Find where a key is written in a TOML file, for error positions.

``tomllib`` gives values without positions; a line scan that follows table headers
is enough to point at ``key = ...`` lines (inline tables fall back to the first
``key =`` anywhere after the table's header).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|=)""")


def _split_dotted(text: str) -> tuple[str, ...]:
    parts = re.findall(r"""\s*("[^"]*"|'[^']*'|[^.\s]+)\s*(?:\.|$)""", text)
    return tuple(p.strip("\"'") for p in parts)


class KeyLocator:
    def __init__(self, text: str, prefix: Sequence[str] = ()) -> None:
        self.lines = text.splitlines()
        self.prefix = tuple(prefix)
        self.tables: list[tuple[str, ...]] = []
        current: tuple[str, ...] = ()
        for line in self.lines:
            header = _HEADER.match(line)
            if header:
                current = _split_dotted(header.group(1))
            self.tables.append(current)

    def find(self, path: Sequence[str]) -> tuple[int, int]:
        """(line, column), 1-based, of the key ``path`` (0, 0 when not found)."""
        full = (*self.prefix, *path)
        table, key = full[:-1], full[-1]
        header_line = 0
        for number, line in enumerate(self.lines):
            header = _HEADER.match(line)
            if header and _split_dotted(header.group(1)) == full:
                return number + 1, line.index("[") + 2
            if header and _split_dotted(header.group(1)) == table:
                header_line = header_line or number + 1
            match = _KEY.match(line)
            if match and self.tables[number] == table and match.group(1).strip("\"'") == key:
                return number + 1, match.start(1) + 1
        return self._fallback(key, header_line)

    def _fallback(self, key: str, after: int) -> tuple[int, int]:
        pattern = re.compile(rf"""(?<![\w-])["']?{re.escape(key)}["']?\s*=""")
        for number in range(max(after - 1, 0), len(self.lines)):
            match = pattern.search(self.lines[number])
            if match:
                return number + 1, match.start() + 1
        return (after, 1) if after else (0, 0)
