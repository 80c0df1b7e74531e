"""Keeps ``.farmgen-cache`` from growing without bound.

The parse, render and formatting caches store one file per entry under
``<cache>/<kind>/<2 hex>/<key>``. An entry's mtime says when it was last used: a
hit touches it (:func:`touch`). At most once a day, a command that loads the specs
removes the entries nobody used for a week (:func:`sweep_if_due`), so the cache
holds what the recent versions of the project need and no history.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

ENTRY_KINDS = ("parse", "render", "black")
"""The cache subdirectories that hold entries (the rest are single small records)."""
MAX_AGE = 7 * 24 * 3600.0
"""Entries unused for this long (seconds) are removed."""
SWEEP_EVERY = 24 * 3600.0
MARKER = "swept"
"""A file whose mtime records the last sweep."""


def touch(path: Path) -> None:
    """Mark a cache entry as used now; a failure only shortens its life."""
    try:
        os.utime(path)
    except OSError:
        return


def sweep_if_due(cache_dir: Path, now: float | None = None) -> int | None:
    """Sweep ``cache_dir`` unless it was swept within a day; the number of entries removed.

    None when no sweep was due (or the cache does not exist).
    """
    current = time.time() if now is None else now
    marker = cache_dir / MARKER
    try:
        last = marker.stat().st_mtime
    except OSError:
        last = None
    if last is not None and current - last < SWEEP_EVERY:
        return None
    if not cache_dir.is_dir():
        return None
    try:
        marker.write_bytes(b"")
        os.utime(marker, (current, current))
    except OSError:
        return None
    return sweep(cache_dir, current - MAX_AGE)


def sweep(cache_dir: Path, older_than: float) -> int:
    """Remove every entry last used before ``older_than`` (a timestamp), and empty folders."""
    removed = 0
    for kind in ENTRY_KINDS:
        base = cache_dir / kind
        try:
            shards = list(os.scandir(base))
        except OSError:
            continue
        for shard in shards:
            if not shard.is_dir(follow_symlinks=False):
                continue
            removed += _sweep_shard(Path(shard.path), older_than)
    return removed


def _sweep_shard(shard: Path, older_than: float) -> int:
    removed = 0
    try:
        entries = list(os.scandir(shard))
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < older_than:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    with contextlib.suppress(OSError):
        shard.rmdir()  # only succeeds when the shard is now empty
    return removed
