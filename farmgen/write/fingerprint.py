"""A fingerprint of everything a target's output depends on.

farmgen's version, the target's name and options, the formatter's line length,
the template files (built-in and the user's ``template_dir``) and the bytes of
every spec file. The manifest keeps it per target, so an unchanged project is
known to be up to date from hashes alone: no spec parsing, no rendering, no black.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any


def _file_hashes(directory: Path) -> Iterable[tuple[str, str]]:
    if not directory.is_dir():
        return []
    return [
        (path.relative_to(directory).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]


def target_fingerprint(
    *,
    version: str,
    target: str,
    options: Mapping[str, Any],
    line_length: int,
    template_dirs: Sequence[Path],
    spec_files: Sequence[tuple[str, Path]],
) -> str:
    """``spec_files`` are (display name, path) pairs in load order."""
    data = {
        "farmgen": version,
        "target": target,
        "options": json.loads(json.dumps(dict(options), sort_keys=True, default=str)),
        "line_length": line_length,
        "templates": [list(_file_hashes(d)) for d in template_dirs],
        "specs": [
            [name, hashlib.sha256(path.read_bytes()).hexdigest()] for name, path in spec_files
        ],
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
