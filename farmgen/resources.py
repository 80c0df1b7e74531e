"""Find the data files shipped with farmgen: Jinja templates and JSON Schemas.

In a wheel they live in ``farmgen/_data/``; in a source checkout (editable install)
they are the top-level ``templates/`` and ``schemas/`` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"farmgen's '{name}' folder is missing from the installation")


def templates_dir() -> Path:
    return data_dir("templates")


def schemas_dir() -> Path:
    return data_dir("schemas")
