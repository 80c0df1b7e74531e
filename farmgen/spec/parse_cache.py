"""A parse cache for spec files: positioned trees kept under ``.farmgen-cache/parse/``.

Parsing YAML with positions is the largest part of loading a big project. A file
whose bytes have not changed parses to the same tree, so the tree is stored in
``marshal`` format (plain tuples, strings and numbers: far faster to read back than
to parse, or than a pickle of the node objects) under a key that hashes the file's
bytes, its display path, farmgen's version and the parser's own source.

Only files that parsed without any diagnostic are stored. An entry that cannot be
read, is of another format or does not decode is ignored (and rewritten); the
directory is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from functools import cache
from pathlib import Path
from typing import Any

from farmgen._version import __version__
from farmgen.diagnostics import Location
from farmgen.spec.nodes import KeyNode, MapNode, Node, RawDocument, ScalarNode, SeqNode

FORMAT = "farmgen-parse-1"
SUBDIR = "parse"
_PARSER_SOURCES = ("nodes.py", "source.py", "yaml_source.py", "json_source.py", "parse_cache.py")

_SCALAR, _SEQ, _MAP = 0, 1, 2


@cache
def parser_digest() -> bytes:
    """A hash of farmgen's version and the parser's source (a source tree may change)."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    here = Path(__file__).resolve().parent
    for name in _PARSER_SOURCES:
        try:
            digest.update(name.encode() + b"\0" + (here / name).read_bytes())
        except OSError:
            digest.update(name.encode() + b"\0missing")
    return digest.digest()


def cache_key(data: bytes, display: str, suffix: str) -> str:
    digest = hashlib.sha256(parser_digest())
    digest.update(f"{display}\0{suffix}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / SUBDIR / key[:2] / key


def encode(node: Node) -> tuple[Any, ...]:
    """A node as nested tuples that ``marshal`` can store."""
    loc = node.location
    if isinstance(node, ScalarNode):
        return (_SCALAR, loc.line, loc.col, node.value, node.raw)
    if isinstance(node, SeqNode):
        return (_SEQ, loc.line, loc.col, tuple(encode(item) for item in node.items))
    entries = tuple(
        (key.text, key.location.line, key.location.col, encode(value))
        for key, value in node.entries
    )
    return (_MAP, loc.line, loc.col, entries)


def decode(data: tuple[Any, ...], path: str) -> Node:
    """The node :func:`encode` stored, located in ``path``; raises on a malformed entry."""
    kind, line, col = data[0], data[1], data[2]
    where = Location(path, line, col)
    if kind == _SCALAR:
        return ScalarNode(data[3], where, data[4])
    if kind == _SEQ:
        return SeqNode(tuple(decode(item, path) for item in data[3]), where)
    if kind == _MAP:
        entries = tuple(
            (KeyNode(text, Location(path, k_line, k_col)), decode(value, path))
            for text, k_line, k_col, value in data[3]
        )
        return MapNode(entries, where)
    raise ValueError(f"unknown node kind {kind!r}")


def read_entry(cache_dir: Path, key: str, display: str) -> RawDocument | None:
    """The cached document for ``key``, or None when absent, old or corrupted."""
    try:
        payload = marshal.loads(entry_path(cache_dir, key).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(payload, tuple) and len(payload) == 3 and payload[:2] == (FORMAT, key)):
        return None
    try:
        return RawDocument(display, decode(payload[2], display))
    except (ValueError, TypeError, IndexError, KeyError):
        return None


def write_entry(cache_dir: Path, key: str, document: RawDocument) -> None:
    """Store a document that parsed cleanly; a failure only costs the next run's speed."""
    if document.root is None or document.diagnostics:
        return
    target = entry_path(cache_dir, key)
    temporary = target.with_name(f"{key}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        payload: Any = (FORMAT, key, encode(document.root))
        temporary.write_bytes(marshal.dumps(payload))
        os.replace(temporary, target)
    except (OSError, ValueError):
        temporary.unlink(missing_ok=True)


def load_document_cached(path: Path, root: Path | None, cache_dir: Path | None) -> RawDocument:
    """Like :func:`~farmgen.spec.source.load_document`, through the cache in ``cache_dir``."""
    from farmgen.spec.source import display_path, load_document, parse_text

    if cache_dir is None:
        return load_document(path, root)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError):
        return load_document(path, root)  # reports the problem with its position
    display = display_path(path, root)
    suffix = path.suffix.lower()
    key = cache_key(data, display, suffix)
    cached = read_entry(cache_dir, key, display)
    if cached is not None:
        return cached
    document = parse_text(text, display, suffix)
    write_entry(cache_dir, key, document)
    return document
