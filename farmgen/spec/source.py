"""Read spec files (or plain data from an importer) into :class:`RawDocument` values."""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from farmgen.diagnostics import Diagnostic, Location
from farmgen.spec.nodes import KeyNode, MapNode, Node, RawDocument, ScalarNode, SeqNode


def display_path(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` when it is inside it, else as given (POSIX slashes)."""
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    return path.as_posix()


def duplicate_keys(node: Node) -> list[Diagnostic]:
    """Every key written twice in one mapping, anywhere in the tree."""
    found: list[Diagnostic] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MapNode):
            first: dict[str, KeyNode] = {}
            for key, value in current.entries:
                if key.text in first:
                    where = first[key.text].location
                    found.append(
                        Diagnostic(
                            key.location,
                            "duplicate-key",
                            f"duplicate key '{key.text}' (first at line {where.line}, "
                            f"column {where.col})",
                        )
                    )
                else:
                    first[key.text] = key
                if not isinstance(value, ScalarNode):  # scalars hold no keys
                    stack.append(value)
        elif isinstance(current, SeqNode):
            stack.extend(item for item in current.items if not isinstance(item, ScalarNode))
    return found


def parse_text(text: str, display: str, suffix: str) -> RawDocument:
    """Parse spec text; ``suffix`` (``.json`` or a YAML one) picks the parser.

    The parsers (and PyYAML) are imported here: when every file comes from the parse
    cache, loading a project needs neither.
    """
    if suffix == ".json":
        from farmgen.spec.json_source import parse_json

        root, diagnostics = parse_json(text, display)
    else:
        from farmgen.spec.yaml_source import parse_yaml

        root, diagnostics = parse_yaml(text, display)
    if root is not None:
        diagnostics.extend(duplicate_keys(root))
    return RawDocument(display, root, tuple(diagnostics))


def load_document(path: Path, root: Path | None = None) -> RawDocument:
    """Read and parse one spec file. Problems are in ``diagnostics``; nothing is raised."""
    display = display_path(path, root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"the file is not UTF-8 text (byte 0x{exc.object[exc.start]:02X})"
        where = _decode_error_location(display, exc)
        return RawDocument(display, None, (Diagnostic(where, "encoding", message),))
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        return RawDocument(display, None, (Diagnostic(Location(display), "io", message),))
    return parse_text(text, display, path.suffix.lower())


def _decode_error_location(display: str, exc: UnicodeDecodeError) -> Location:
    """The line and column (in characters) of the first byte that is not UTF-8."""
    before = bytes(exc.object[: exc.start])
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return Location(display, before.count(b"\n") + 1, column)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a spec tree is built.

    Loading allocates many small objects and no reference cycles; without the pause,
    collections of the growing heap take about half of a large project's load time.
    On the way out, what the pause allocated moves straight to the oldest generation
    (``freeze`` then ``unfreeze``): otherwise the first young collection after it would
    scan every one of those objects at once. They stay collectable: full collections
    still see them. Objects the caller froze itself stay frozen: then nothing moves.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # ``unfreeze`` would thaw the caller's too
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


class DataError(ValueError):
    """Plain data handed to :func:`document_from_data` holds a value no spec can hold."""


def _node(value: object, location: Location) -> Node:
    if isinstance(value, dict):
        entries = tuple((KeyNode(str(k), location), _node(v, location)) for k, v in value.items())
        return MapNode(entries, location)
    if isinstance(value, list | tuple):
        return SeqNode(tuple(_node(v, location) for v in value), location)
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(f"{value!r} is not a finite number")
    if value is None or isinstance(value, str | int | float | bool):
        return ScalarNode(value, location)
    raise DataError(f"a {type(value).__name__} cannot appear in a spec")


def document_from_data(data: object, path: Path | str) -> RawDocument:
    """A spec document from plain data (as an importer produces), located at ``path``.

    Nodes carry the file's location without a line: importers know no positions.
    """
    display = path.as_posix() if isinstance(path, Path) else path
    location = Location(display)
    try:
        return RawDocument(display, _node(data, location))
    except DataError as exc:
        return RawDocument(display, None, (Diagnostic(location, "data", str(exc)),))


def load_documents(paths: Iterable[Path], root: Path | None = None) -> list[RawDocument]:
    return [load_document(p, root) for p in paths]
