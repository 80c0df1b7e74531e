"""Bring existing schemas into farmgen.

``external`` turns a JSON Schema, an OpenAPI document or existing Python models into
plain spec-shaped data (the structure of a native YAML spec), which the spec loader
resolves like any other spec file. ``spec_writer`` writes such data, or an IR
:class:`~farmgen.ir.Schema`, as a canonical native spec.

The heavy parsers (datamodel-code-generator, libcst) are imported only by the modules
that need them, so importing this package costs nothing.
"""

from __future__ import annotations

IMPORT_FORMATS: tuple[str, ...] = ("jsonschema", "openapi", "python")
"""The external source formats :func:`farmgen.importers.external.load_external` reads."""

__all__ = ["IMPORT_FORMATS"]
