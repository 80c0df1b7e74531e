"""Cached renders: a hit gives the same text; bad entries and changed inputs re-render."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.render import TemplateRenderer, environment
from farmgen.render.cache import FORMAT, entry_path, read_render, write_render


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "render").rglob("*") if p.is_file())


def _user_templates(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "hello.j2").write_text(body, encoding="utf-8")
    return folder


def test_a_hit_gives_the_same_text_without_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _user_templates(tmp_path, "Hello {{ name }} é {{ items | join(',') }}\n")
    cache_dir = tmp_path / ".farmgen-cache"
    plain = TemplateRenderer("typescript", folder).render("hello.j2", name="x", items=["a", "b"])
    first = TemplateRenderer("typescript", folder, cache_dir=cache_dir)
    assert first.render_cached("hello.j2", name="x", items=["a", "b"]) == plain
    assert len(_entries(cache_dir)) == 1

    second = TemplateRenderer("typescript", folder, cache_dir=cache_dir)

    def no_render(*args: object) -> str:
        raise AssertionError("rendered although cached")

    monkeypatch.setattr(second, "_render", no_render)
    assert second.render_cached("hello.j2", name="x", items=["a", "b"]) == plain
    assert second.origin(plain) == str(folder / "hello.j2")


def test_changed_context_or_template_renders_again(tmp_path: Path) -> None:
    folder = _user_templates(tmp_path, "Hello {{ name }}\n")
    cache_dir = tmp_path / ".farmgen-cache"
    renderer = TemplateRenderer("typescript", folder, cache_dir=cache_dir)
    assert renderer.render_cached("hello.j2", name="x") == "Hello x\n"
    assert renderer.render_cached("hello.j2", name="y") == "Hello y\n"
    _user_templates(tmp_path, "Bye {{ name }}\n")
    environment.cache_clear()  # compiled templates are kept per process
    fresh = TemplateRenderer("typescript", folder, cache_dir=cache_dir)
    assert fresh.render_cached("hello.j2", name="x") == "Bye x\n"


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", f"{FORMAT} otherkey\nstale".encode(), b"farmgen-render-0 K\nold"],
)
def test_a_corrupted_or_old_entry_is_ignored(tmp_path: Path, content: bytes) -> None:
    folder = _user_templates(tmp_path, "Hello {{ name }}\n")
    cache_dir = tmp_path / ".farmgen-cache"
    renderer = TemplateRenderer("typescript", folder, cache_dir=cache_dir)
    renderer.render_cached("hello.j2", name="x")
    (entry,) = _entries(cache_dir)
    entry.write_bytes(content.replace(b"K", entry.name.encode()))
    again = TemplateRenderer("typescript", folder, cache_dir=cache_dir)
    assert again.render_cached("hello.j2", name="x") == "Hello x\n"
    assert read_render(cache_dir, entry.name) == "Hello x\n"  # rewritten


def test_non_utf8_entry_is_ignored(tmp_path: Path) -> None:
    cache_dir = tmp_path / ".farmgen-cache"
    write_render(cache_dir, "ab" * 32, "text")
    path = entry_path(cache_dir, "ab" * 32)
    path.write_bytes(f"{FORMAT} {'ab' * 32}\n".encode() + b"\xff")
    assert read_render(cache_dir, "ab" * 32) is None


def test_without_a_cache_directory_nothing_is_written(tmp_path: Path) -> None:
    folder = _user_templates(tmp_path, "Hello {{ name }}\n")
    renderer = TemplateRenderer("typescript", folder)
    assert renderer.render_cached("hello.j2", name="x") == "Hello x\n"
    assert not (tmp_path / ".farmgen-cache").exists()
