"""Spec sources that are not native specs: JSON Schema, OpenAPI, Python models.

The spec loader calls :func:`load_external` for a source whose config names a
``format`` (or whose suffix is ``.py``), then resolves the returned data exactly like
the data of a native YAML spec (``farmgen.spec.document_from_data(data, path)``).
The parsers are imported here, on first use, never at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from farmgen.diagnostics import Diagnostic, UsageError
from farmgen.importers import IMPORT_FORMATS

FORMATS: tuple[str, ...] = ("auto", *IMPORT_FORMATS)


def detect(path: Path) -> str:
    """The format of an external source, from its suffix and (for JSON/YAML) its content."""
    if path.suffix == ".py":
        return "python"
    from farmgen.importers._jsonschema_source import detect_format, read_document

    return detect_format(read_document(path, str(path))[1])


def load_external(
    path: Path, format: str = "auto", display: str | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Spec data and warnings for one external source.

    ``format`` is ``jsonschema``, ``openapi``, ``python`` or ``auto`` (detect);
    ``display`` is the path used in diagnostics (default: ``path`` as given).
    Raises :class:`~farmgen.diagnostics.SpecError` when the source cannot be read.
    """
    if format not in FORMATS:
        raise UsageError(f"unknown import format '{format}' (expected one of {', '.join(FORMATS)})")
    fmt = detect(path) if format == "auto" else format
    if fmt == "python":
        return load_models([path], [display] if display else None)
    from farmgen.importers.jsonschema import import_schema

    return import_schema(path, fmt, display)


def load_models(
    paths: Sequence[Path], displays: Sequence[str] | None = None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Spec data and warnings for Python model files read statically (never imported)."""
    from farmgen.importers.python_models import import_models

    return import_models(paths, displays)
