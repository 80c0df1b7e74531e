"""Apply planned changes: all new contents are written to temporary files first, then
renamed into place, so a failure while writing leaves every output as it was."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from farmgen.diagnostics import FarmgenError
from farmgen.write.plan import Action, FileChange


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.farmgen-{os.getpid()}.tmp")


def apply_changes(changes: Sequence[FileChange]) -> None:
    writes = [c for c in changes if c.action in (Action.CREATE, Action.UPDATE)]
    staged: list[tuple[Path, Path]] = []
    try:
        for change in writes:
            assert change.new is not None
            change.path.parent.mkdir(parents=True, exist_ok=True)
            temp = _temp_path(change.path)
            temp.write_bytes(change.new.encode("utf-8", errors="surrogateescape"))
            staged.append((temp, change.path))
    except OSError as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise FarmgenError(f"could not write generated files: {exc}") from exc
    for temp, path in staged:
        os.replace(temp, path)
    for change in changes:
        if change.action is Action.REMOVE:
            change.path.unlink(missing_ok=True)
