"""A parse cache for spec files: positioned trees kept under ``.farmgen-cache/parse/``.

Parsing YAML with positions is the largest part of loading a big project. A file
whose bytes have not changed parses to the same tree, so the tree is stored in
``marshal`` format (a flat tuple of plain records, see :func:`encode`: far faster to
read back than to parse, or than a pickle of the node objects) under a key that
hashes the file's bytes, its display path, farmgen's version and the parser's own
source.

Only files that parsed without any diagnostic are stored. An entry that cannot be
read, is of another format or does not decode is ignored (and rewritten); the
directory is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from farmgen._version import __version__
from farmgen.cache_sweep import touch
from farmgen.diagnostics import Location
from farmgen.spec.nodes import KeyNode, MapNode, Node, RawDocument, ScalarNode, SeqNode

FORMAT = "farmgen-parse-2"
SUBDIR = "parse"
_PARSER_SOURCES = (
    "nodes.py",
    "fastnew.py",
    "source.py",
    "yaml_source.py",
    "json_source.py",
    "parse_cache.py",
)

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


def encode(node: Node) -> tuple[tuple[Any, ...], ...]:
    """A node as a flat tuple of records that ``marshal`` can store, in post-order.

    ``(0, line, col, value, raw)`` is a scalar, ``(1, line, col, count)`` a list of the
    ``count`` nodes before it, ``(2, line, col, keys)`` a mapping whose values are the
    ``len(keys)`` nodes before it and whose keys are ``(text, line, col)`` triples.
    """
    records: list[tuple[Any, ...]] = []
    _encode_into(node, records.append)
    return tuple(records)


def _encode_into(node: Node, append: Callable[[tuple[Any, ...]], None]) -> None:
    """Append the records of ``node``'s subtree (its scalar children inline: most are)."""
    loc = node.location
    if isinstance(node, ScalarNode):
        append((_SCALAR, loc.line, loc.col, node.value, node.raw))
    elif isinstance(node, SeqNode):
        for item in node.items:
            if isinstance(item, ScalarNode):
                where = item.location
                append((_SCALAR, where.line, where.col, item.value, item.raw))
            else:
                _encode_into(item, append)
        append((_SEQ, loc.line, loc.col, len(node.items)))
    else:
        keys: list[tuple[str, int, int]] = []
        for key, value in node.entries:
            where = key.location
            keys.append((key.text, where.line, where.col))
            if isinstance(value, ScalarNode):
                where = value.location
                append((_SCALAR, where.line, where.col, value.value, value.raw))
            else:
                _encode_into(value, append)
        append((_MAP, loc.line, loc.col, tuple(keys)))


def decode(records: tuple[tuple[Any, ...], ...], path: str) -> Node:
    """The node :func:`encode` stored, located in ``path``; raises on a malformed entry.

    Tens of thousands of nodes are decoded on each load of a large project, so the
    frozen node and location objects are filled in directly rather than through their
    ``__init__`` (which sets each attribute through ``object.__setattr__``): the
    attributes are the same, the objects equal to the parser's.
    """
    new = object.__new__
    stack: list[Node] = []
    push = stack.append
    for record in records:
        kind = record[0]
        where = new(Location)
        attrs = where.__dict__
        attrs["path"] = path
        attrs["line"] = record[1]
        attrs["col"] = record[2]
        node: Node
        if kind == _SCALAR:
            node = new(ScalarNode)
            attrs = node.__dict__
            attrs["value"] = record[3]
            attrs["location"] = where
            attrs["raw"] = record[4]
        elif kind == _SEQ:
            count = record[3]
            start = len(stack) - count
            if count < 0 or start < 0:
                raise ValueError("a list of more nodes than stored")
            node = new(SeqNode)
            attrs = node.__dict__
            attrs["items"] = tuple(stack[start:])
            attrs["location"] = where
            del stack[start:]
        elif kind == _MAP:
            keys = record[3]
            start = len(stack) - len(keys)
            if start < 0:
                raise ValueError("a mapping of more nodes than stored")
            node = new(MapNode)
            attrs = node.__dict__
            attrs["entries"] = tuple(zip(_key_nodes(keys, path), stack[start:], strict=True))
            attrs["location"] = where
            del stack[start:]
        else:
            raise ValueError(f"unknown node kind {kind!r}")
        push(node)
    if len(stack) != 1:
        raise ValueError(f"{len(stack)} root nodes stored")
    return stack[0]


def _key_nodes(keys: tuple[tuple[str, int, int], ...], path: str) -> list[KeyNode]:
    """The key nodes of a mapping record (built like :func:`decode` builds nodes)."""
    new = object.__new__
    found: list[KeyNode] = []
    for text, line, col in keys:
        where = new(Location)
        attrs = where.__dict__
        attrs["path"] = path
        attrs["line"] = line
        attrs["col"] = col
        key = new(KeyNode)
        attrs = key.__dict__
        attrs["text"] = text
        attrs["location"] = where
        found.append(key)
    return found


def read_entry(cache_dir: Path, key: str, display: str) -> RawDocument | None:
    """The cached document for ``key``, or None when absent, old or corrupted."""
    path = entry_path(cache_dir, key)
    try:
        payload = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(payload, tuple) and len(payload) == 3 and payload[:2] == (FORMAT, key)):
        return None
    try:
        document = RawDocument(display, decode(payload[2], display))
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        return None
    touch(path)
    return document


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
    except (OSError, ValueError, RecursionError):
        temporary.unlink(missing_ok=True)


def load_document_cached(path: Path, root: Path | None, cache_dir: Path | None) -> RawDocument:
    """Like :func:`~farmgen.spec.source.load_document`, through the cache in ``cache_dir``."""
    from farmgen.spec.source import display_path, load_document, parse_text

    if cache_dir is None:
        return load_document(path, root)
    try:
        data = path.read_bytes()
    except OSError:
        return load_document(path, root)  # reports the problem
    display = display_path(path, root)
    suffix = path.suffix.lower()
    key = cache_key(data, display, suffix)
    cached = read_entry(cache_dir, key, display)
    if cached is not None:  # only clean UTF-8 text is stored: these bytes decoded before
        return cached
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return load_document(path, root)  # reports the problem with its position
    document = parse_text(text, display, suffix)
    write_entry(cache_dir, key, document)
    return document
