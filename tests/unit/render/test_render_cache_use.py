"""A render-cache hit marks its entry as used, so the cache sweep keeps it."""

from __future__ import annotations

import os
from pathlib import Path

from farmgen.render import TemplateRenderer


def test_a_hit_refreshes_the_entry(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "hello.j2").write_text("Hello {{ name }}\n", encoding="utf-8")
    cache_dir = tmp_path / ".farmgen-cache"
    TemplateRenderer("typescript", folder, cache_dir=cache_dir).render_cached("hello.j2", name="x")
    (entry,) = [p for p in (cache_dir / "render").rglob("*") if p.is_file()]
    os.utime(entry, (1_000_000, 1_000_000))
    again = TemplateRenderer("typescript", folder, cache_dir=cache_dir)
    assert again.render_cached("hello.j2", name="x") == "Hello x\n"
    assert entry.stat().st_mtime > 1_000_000
