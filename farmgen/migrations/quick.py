"""The drift check from checksums alone, when the files are as ``migrate make`` wrote them.

``migrate make`` stamps each migration with a ``file_checksum``: the hash of its own
canonical bytes (that line left out) and of the snapshot checksum of the migration
before it, written only after checking that its operations, applied to that
snapshot, produce its own snapshot. A chain whose every file still matches its
stamp, whose parents follow file-name order and whose last snapshot checksum
equals the spec's needs no replay and no diff: ``farmgen check`` would find
nothing. Anything else (an edited or reformatted file, an old file without a
stamp, a migration without a snapshot, a different checksum) means "cannot tell":
the full check runs.

The spec's snapshot checksum comes from the generator's manifests
(:func:`schema_checksum`, recorded next to the input fingerprint of the spec bytes).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from farmgen.runtime import schema_state as st

if TYPE_CHECKING:
    from farmgen.ir import Schema

FILE_CHECKSUM_KEY = "file_checksum"
_LINE_START = b'\n  "' + FILE_CHECKSUM_KEY.encode() + b'": "'


def file_checksum(
    text_without_stamp: bytes | Sequence[memoryview], parent_snapshot_checksum: str | None
) -> str:
    """The stamp of a migration file whose canonical bytes (without it) are given."""
    digest = hashlib.sha256()
    for part in (
        [text_without_stamp] if isinstance(text_without_stamp, bytes) else text_without_stamp
    ):
        digest.update(part)
    _add_parent(digest, parent_snapshot_checksum)
    return "sha256:" + digest.hexdigest()


def _add_parent(digest: hashlib._Hash, parent_snapshot_checksum: str | None) -> None:
    digest.update(b"\0parent-snapshot\0" + (parent_snapshot_checksum or "").encode("utf-8"))


def stamped_text(data: dict[str, Any], parent_snapshot_checksum: str | None) -> str:
    """Canonical JSON of ``data`` with its ``file_checksum`` added."""
    plain = {k: v for k, v in data.items() if k != FILE_CHECKSUM_KEY}
    stamp = file_checksum(st.canonical_json(plain).encode("utf-8"), parent_snapshot_checksum)
    return st.canonical_json({**plain, FILE_CHECKSUM_KEY: stamp})


def _unstamped(raw: bytes) -> tuple[list[memoryview], str] | None:
    """The bytes without the top-level stamp line, and the stamp; None without one."""
    start = raw.find(_LINE_START)
    if start < 0:
        return None
    value_start = start + len(_LINE_START)
    end = raw.find(b"\n", value_start)
    line = raw[value_start:end]
    if end < 0 or not line.endswith(b'",'):
        return None
    view = memoryview(raw)
    return [view[: start + 1], view[end + 1 :]], line[:-2].decode("utf-8", errors="replace")


class Stamp:
    """A file's ``file_checksum`` and the hash of its bytes without it, kept at reading."""

    def __init__(self, recorded: str, body: hashlib._Hash) -> None:
        self.recorded = recorded
        self._body = body

    @classmethod
    def read(cls, raw: bytes) -> Stamp | None:
        found = _unstamped(raw)
        if found is None:
            return None
        parts, recorded = found
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part)
        return cls(recorded, digest)

    def matches(self, parent_snapshot_checksum: str | None) -> bool:
        digest = self._body.copy()
        _add_parent(digest, parent_snapshot_checksum)
        return "sha256:" + digest.hexdigest() == self.recorded


def _top_level(raw: bytes, names: tuple[str, ...]) -> dict[str, Any]:
    """Scalar top-level values of a canonical JSON object, read from their lines."""
    found: dict[str, Any] = {}
    for name in names:
        key = b'\n  "' + name.encode() + b'": '
        start = raw.rfind(key) if name == "snapshot_checksum" else raw.find(key)
        if start < 0:
            continue
        end = raw.find(b"\n", start + 1)
        value = raw[start + len(name) + 7 : end if end >= 0 else len(raw)].rstrip(b",")
        try:
            found[name] = json.loads(value)
        except ValueError:
            continue
    return found


_SEQUENCE_ID = re.compile(r"^(\d{4,})_([a-z0-9_]+)$")
_TIMESTAMP_ID = re.compile(r"^(\d{8}_\d{6})_([A-Za-z0-9_]+)$")


def _is_migration_file(path: Path) -> bool:
    """``farmgen.migrations.files.is_migration_file`` without importing the operations."""
    stem = path.stem
    return path.suffix == ".json" and bool(_SEQUENCE_ID.match(stem) or _TIMESTAMP_ID.match(stem))


def head_checksum(directory: Path) -> str | None:
    """The last snapshot checksum of an intact, stamped, linear chain; None otherwise."""
    try:
        paths = sorted(p for p in directory.iterdir() if _is_migration_file(p))
    except OSError:
        return None
    previous_id: str | None = None
    previous_snapshot: str | None = None
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        found = _unstamped(raw)
        if found is None:
            return None
        body, stamp = found
        if stamp != file_checksum(body, previous_snapshot):
            return None
        # The stamp proves the bytes canonical: top-level keys are the 2-space lines.
        keys = _top_level(raw, ("id", "parent", "snapshot_checksum"))
        recorded = keys.get("snapshot_checksum")
        if (
            keys.get("id") != path.stem
            or keys.get("parent", ...) != previous_id
            or b'\n  "snapshot": {' not in raw
            or not isinstance(recorded, str)
        ):
            return None
        previous_id, previous_snapshot = path.stem, recorded
    return previous_snapshot


def chain_length(directory: Path) -> int:
    """How many migration files ``directory`` holds."""
    try:
        return sum(1 for p in directory.iterdir() if _is_migration_file(p))
    except OSError:
        return 0


def up_to_date(directory: Path, spec_checksum: str | None) -> bool:
    """True when the full check is known to report nothing (see the module docstring)."""
    if spec_checksum is None:
        return False
    head = head_checksum(directory)
    return head is not None and head == spec_checksum


def schema_checksum(schema: Schema) -> str | None:
    """The snapshot checksum of ``schema``, when comparing it with itself finds nothing.

    None when a field's ``renamed_from`` names a field that still exists beside it:
    then even an identical snapshot yields a rename, so the checksum cannot stand in
    for the diff.
    """
    from farmgen.migrations.snapshot import snapshot_and_renames

    snapshot, renames = snapshot_and_renames(schema)
    for (collection, path), old in renames.fields.items():
        if old != path and _has_path(snapshot["models"].get(collection), old):
            return None
    return st.checksum(snapshot)


def _has_path(model: dict[str, Any] | None, path: str) -> bool:
    fields = model.get("fields") if model else None
    *parents, name = path.split(".")
    for part in parents:
        if not isinstance(fields, dict) or part not in fields:
            return False
        fields = fields[part].get("fields")
    return isinstance(fields, dict) and name in fields
