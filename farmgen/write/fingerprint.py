"""A fingerprint of everything a target's output depends on.

farmgen's version, the target's name and options, the formatter's line length,
the template files (built-in and the user's ``template_dir``) and the bytes of
every spec file. The manifest keeps it per target, so an unchanged project is
known to be up to date from hashes alone: no spec parsing, no rendering, no black.

A released farmgen changes its version whenever its code changes. Running from a
source tree (an editable install) it may not, so there the hash check also needs
a local record (``.farmgen-cache/generator``) that this very generator source last
produced or verified the outputs; the record stays out of the committed manifest.
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


GENERATOR_RECORD = "generator"


def running_from_source() -> bool:
    """True unless farmgen is installed in a site-packages directory."""
    package = Path(__file__).resolve().parents[1]
    return not any(part in ("site-packages", "dist-packages") for part in package.parts)


def generator_matches(cache_dir: Path) -> bool:
    """Whether the hash check may trust the manifests (see the module docstring)."""
    if not running_from_source():
        return True
    try:
        recorded = (cache_dir / GENERATOR_RECORD).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return recorded == generator_digest()


def record_generator(cache_dir: Path) -> None:
    """Note that this generator source produced or verified the current outputs."""
    if not running_from_source():
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / GENERATOR_RECORD).write_text(generator_digest() + "\n", encoding="utf-8")
    except OSError:
        return  # only the next run's speed depends on it


def generator_digest() -> str:
    """A hash of farmgen's own Python source, the runtime left out (about 4 ms).

    Not cached: a long-lived process must not record a digest of code that has
    changed on disk since it started.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] != "runtime":
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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
