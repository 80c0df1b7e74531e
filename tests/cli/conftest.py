"""Copies of the blog example for the CLI tests (never its local cache or generated files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.generated.support import EXAMPLES_DIR


def copy_blog(destination: Path, *leave_out: str) -> Path:
    """examples/blog under ``destination``, without ``generated``, its cache and ``leave_out``."""
    root = destination / "blog"
    ignore = shutil.ignore_patterns("generated", ".farmgen-cache", *leave_out)
    shutil.copytree(EXAMPLES_DIR / "blog", root, ignore=ignore)
    return root


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """The blog example with its migrations."""
    return copy_blog(tmp_path)


@pytest.fixture
def blog_specs(tmp_path: Path) -> Path:
    """The blog example's config and specs only (no migrations)."""
    return copy_blog(tmp_path, "migrations")
