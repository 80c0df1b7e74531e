"""The spec parse cache: a hit gives the same document; bad entries are ignored."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from farmgen.spec.parse_cache import (
    FORMAT,
    cache_key,
    entry_path,
    load_document_cached,
)
from farmgen.spec.source import load_document

SPEC = """\
farmgen: 1
enums:
  Color: [red, green]
models:
  Post:
    fields:
      title: string
      flag: {type: bool, default: yes}
      score: {type: float, default: 1.5}
      count: {type: int, default: 3}
      note: {type: "string?", default: null}
      tags: {type: "list[string]", default: ['a', "b"]}
"""


def _spec(tmp_path: Path, text: str = SPEC, name: str = "blog.yaml") -> Path:
    path = tmp_path / "schemas" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "parse").rglob("*") if p.is_file())


def test_miss_then_hit_give_the_parsed_document(tmp_path: Path) -> None:
    path = _spec(tmp_path)
    cache_dir = tmp_path / ".farmgen-cache"
    expected = load_document(path, tmp_path)
    first = load_document_cached(path, tmp_path, cache_dir)
    assert len(_entries(cache_dir)) == 1
    second = load_document_cached(path, tmp_path, cache_dir)
    assert first == expected
    assert second == expected
    assert repr(second) == repr(expected)  # raw scalar text and locations included


def test_a_hit_reads_no_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _spec(tmp_path)
    cache_dir = tmp_path / ".farmgen-cache"
    expected = load_document_cached(path, tmp_path, cache_dir)

    def no_parse(*args: object) -> None:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr("farmgen.spec.source.parse_text", no_parse)
    assert load_document_cached(path, tmp_path, cache_dir) == expected


@pytest.mark.parametrize(
    "payload",
    [
        b"not marshal at all",
        b"",
        marshal.dumps(("farmgen-parse-0", "x", ())),
        marshal.dumps((FORMAT, "another key", (0, 1, 1, "x", None))),
        None,  # the right header with a malformed tree
    ],
)
def test_a_corrupted_or_old_entry_is_ignored(tmp_path: Path, payload: bytes | None) -> None:
    path = _spec(tmp_path)
    cache_dir = tmp_path / ".farmgen-cache"
    expected = load_document(path, tmp_path)
    key = cache_key(path.read_bytes(), "schemas/blog.yaml", ".yaml")
    entry = entry_path(cache_dir, key)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(marshal.dumps((FORMAT, key, (9, 1, 1))) if payload is None else payload)
    assert load_document_cached(path, tmp_path, cache_dir) == expected
    assert load_document_cached(path, tmp_path, cache_dir) == expected  # rewritten


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    path = _spec(tmp_path)
    cache_dir = tmp_path / ".farmgen-cache"
    load_document_cached(path, tmp_path, cache_dir)
    path.write_text(SPEC.replace("title: string", "title: text"), encoding="utf-8")
    assert load_document_cached(path, tmp_path, cache_dir) == load_document(path, tmp_path)


def test_documents_with_problems_are_not_stored(tmp_path: Path) -> None:
    path = _spec(tmp_path, "models:\n  A: {}\n  A: {}\n")
    cache_dir = tmp_path / ".farmgen-cache"
    document = load_document_cached(path, tmp_path, cache_dir)
    assert document.diagnostics == load_document(path, tmp_path).diagnostics
    assert document.diagnostics
    assert _entries(cache_dir) == []


def test_unreadable_and_non_utf8_files_report_as_without_cache(tmp_path: Path) -> None:
    cache_dir = tmp_path / ".farmgen-cache"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: \xff\n")
    missing = tmp_path / "missing.yaml"
    for path in (bad, missing):
        assert load_document_cached(path, tmp_path, cache_dir) == load_document(path, tmp_path)


def test_json_and_crlf_files(tmp_path: Path) -> None:
    cache_dir = tmp_path / ".farmgen-cache"
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(SPEC.replace("\n", "\r\n").encode())
    js = tmp_path / "spec.json"
    js.write_text('{"farmgen": 1, "models": {"A": {"fields": {"x": "int"}}}}')
    for path in (crlf, js):
        expected = load_document(path, tmp_path)
        assert load_document_cached(path, tmp_path, cache_dir) == expected
        assert load_document_cached(path, tmp_path, cache_dir) == expected


def test_without_a_cache_directory_nothing_is_written(tmp_path: Path) -> None:
    path = _spec(tmp_path)
    assert load_document_cached(path, tmp_path, None) == load_document(path, tmp_path)
    assert not (tmp_path / ".farmgen-cache").exists()
