"""Reading JSON Schema and OpenAPI documents: the raw value (for positions and the
constructs farmgen cannot express) and datamodel-code-generator's parse (imported here,
on first use)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from farmgen.diagnostics import Diagnostic, DiagnosticBag, Location, SpecError
from farmgen.importers._pointers import join

EXTENSION = "x-farmgen"


def read_document(path: Path, display: str) -> tuple[str, Any]:
    """The text and parsed value of a JSON or YAML file; a SpecError if it is invalid."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([Diagnostic(Location(display), "import-read", str(exc))]) from exc
    try:
        if path.suffix == ".json":
            return text, json.loads(text)
        return text, yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        where = Location(display, exc.lineno, exc.colno)
        raise SpecError([Diagnostic(where, "import-syntax", f"invalid JSON: {exc.msg}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        raise SpecError([Diagnostic(where, "import-syntax", f"invalid YAML: {exc}")]) from exc


def detect_format(document: Any) -> str:
    """``openapi`` for an OpenAPI (or Swagger) document, else ``jsonschema``."""
    if isinstance(document, Mapping) and ("openapi" in document or "swagger" in document):
        return "openapi"
    return "jsonschema"


def schemas(document: Mapping[str, Any], fmt: str) -> Iterator[tuple[str, Any]]:
    if fmt == "openapi":
        schemas = document.get("components", {}).get("schemas", {})
        for name, schema in schemas.items():
            yield join("/components/schemas", name), schema
    else:
        yield "", document


def parse(path: Path, fmt: str, bag: DiagnosticBag, where: Location) -> list[Any]:
    from datamodel_code_generator.parser.jsonschema import JsonSchemaParser
    from datamodel_code_generator.parser.openapi import OpenAPIParser

    cls = OpenAPIParser if fmt == "openapi" else JsonSchemaParser
    options: dict[str, Any] = {
        "field_constraints": True,
        "field_extra_keys": {EXTENSION},
        "model_extra_keys": {EXTENSION},
        "strict_nullable": True,
        "use_schema_description": True,
        "use_field_description": True,
        "allow_remote_refs": False,
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parser = cls(path.resolve(), **options)
            parser.parse_raw()
        except Exception as exc:  # the parser's errors are not a public hierarchy
            bag.error(where, "import-parse", f"cannot read this {fmt} document: {exc}")
            raise SpecError(bag.sorted()) from exc
    for item in caught:
        bag.warning(where, "import-parser", str(item.message).splitlines()[0])
    return list(parser.results)
