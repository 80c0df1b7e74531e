"""A cache of rendered template text under ``.farmgen-cache/render/``.

A render is a pure function of the template files, the filters and the values
passed in. :func:`render_key` hashes exactly those: farmgen's version, the
rendering code's source, the bytes of every file in the template search path and
the ``repr`` of the context (plain values and frozen dataclasses, whose ``repr``
shows every field). An unchanged spec file then costs a hash instead of a render.

An entry whose header does not name its own key (old, foreign or truncated) is
ignored and rewritten; the directory is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from farmgen._version import __version__
from farmgen.cache_sweep import touch

FORMAT = "farmgen-render-1"
SUBDIR = "render"
_CODE = ("cache.py", "environment.py", "filters.py")


def templates_digest(search: Iterable[Path]) -> bytes:
    """A hash of farmgen's version, the rendering code and every template file."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    here = Path(__file__).resolve().parent
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    for directory in search:
        digest.update(b"\0dir\0" + str(directory).encode())
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                relative = path.relative_to(directory).as_posix()
                digest.update(relative.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def render_key(templates: bytes, template: str, context: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(templates)
    digest.update(template.encode() + b"\0")
    digest.update(repr(sorted(context.items())).encode("utf-8"))
    return digest.hexdigest()


def entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / SUBDIR / key[:2] / key


def _header(key: str) -> bytes:
    return f"{FORMAT} {key}\n".encode()


def read_render(cache_dir: Path, key: str) -> str | None:
    """The cached text for ``key``, or None when absent, old or corrupted."""
    path = entry_path(cache_dir, key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = _header(key)
    if not data.startswith(header):
        return None
    try:
        text = data[len(header) :].decode("utf-8")
    except UnicodeDecodeError:
        return None
    touch(path)  # in use: ``farmgen.cache_sweep`` keeps it
    return text


def write_render(cache_dir: Path, key: str, text: str) -> None:
    """Store a render; a failure only costs the next run's speed."""
    target = entry_path(cache_dir, key)
    temporary = target.with_name(f"{key}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(_header(key) + text.encode("utf-8"))
        os.replace(temporary, target)
    except (OSError, UnicodeEncodeError):
        temporary.unlink(missing_ok=True)
