"""A farmgen project: its configuration and the IR of its specs, loaded together."""

from __future__ import annotations

import glob
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from farmgen.config import SPEC_SUFFIXES, Config, SpecSource, load_config
from farmgen.diagnostics import ConfigError, Diagnostic, Severity, SpecError

if TYPE_CHECKING:
    from farmgen.ir.model import Schema
    from farmgen.spec.nodes import RawDocument

__all__ = ["Project", "SpecFile", "find_spec_files", "load_project", "load_project_from_config"]


@dataclass(frozen=True)
class SpecFile:
    path: Path
    format: str


@dataclass(frozen=True)
class Project:
    config: Config
    schema: Schema
    warnings: tuple[Diagnostic, ...]
    files: tuple[SpecFile, ...]

    @property
    def root(self) -> Path:
        return self.config.root


def _has_magic(pattern: str) -> bool:
    return glob.has_magic(pattern)


def find_spec_files(config: Config) -> list[SpecFile]:
    """Every spec file the ``specs`` globs name, in sorted order per glob, without repeats."""
    found: dict[Path, SpecFile] = {}
    problems: list[Diagnostic] = []
    explicit = any(s.location.line > 0 for s in config.specs)
    for source in config.specs:
        matches = _matches(config.root, source)
        if not matches and (explicit or source.format != "farmgen"):
            problems.append(_no_match(source))
        for path in matches:
            found.setdefault(path, SpecFile(path, source.format))
    if problems:
        raise ConfigError("spec files are missing", problems)
    if not found:
        raise ConfigError(
            f"no spec files found under {config.root} "
            f"(set 'specs' in {config.path.name if config.path else 'farmgen.toml'})"
        )
    return list(found.values())


def _matches(root: Path, source: SpecSource) -> list[Path]:
    names = sorted(glob.glob(source.pattern, root_dir=root, recursive=True))
    paths = [(root / name).resolve() for name in names]
    if source.format == "farmgen" and _has_magic(source.pattern):
        paths = [p for p in paths if p.suffix.lower() in SPEC_SUFFIXES]
    return [p for p in paths if p.is_file()]


def _no_match(source: SpecSource) -> Diagnostic:
    what = "no files match" if _has_magic(source.pattern) else "no such file:"
    return Diagnostic(source.location, "specs", f"{what} '{source.pattern}' in 'specs'")


def _external(file: SpecFile, config: Config) -> tuple[RawDocument, list[Diagnostic]]:
    display = config.display(file.path)
    what = (
        "a JSON Schema or OpenAPI source"
        if file.format == "auto"
        else f"the '{file.format}' spec format"
    )
    try:
        module: Any = importlib.import_module("farmgen.importers.external")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("farmgen"):
            raise ConfigError(
                f"{display}: {what} needs farmgen's importers, "
                "which this installation does not have"
            ) from exc
        raise ConfigError(
            f"{display}: {what} needs the package '{exc.name}' (install farmgen[importers])"
        ) from exc
    data, diagnostics = module.load_external(file.path, file.format, display=display)
    from farmgen.spec.source import document_from_data

    return document_from_data(data, display), list(diagnostics)


_EXTERNAL_KEYS = frozenset({"openapi", "swagger", "$defs", "definitions"})


def is_external_document(document: RawDocument) -> bool:
    """Whether a file read as a native spec is a JSON Schema or OpenAPI document.

    It is when its top level has no ``farmgen`` key and has ``openapi``, ``swagger``,
    ``$defs`` or ``definitions``, or a ``$schema`` naming a json-schema.org draft (a
    native spec may carry ``$schema`` too, naming farmgen's own schema).
    """
    from farmgen.spec.nodes import MapNode, ScalarNode

    if not isinstance(document.root, MapNode) or document.root.get("farmgen") is not None:
        return False
    if any(key.text in _EXTERNAL_KEYS for key, _ in document.root.entries):
        return True
    meta = document.root.get("$schema")
    return isinstance(meta, ScalarNode) and "json-schema.org" in str(meta.value)


def load_documents(
    config: Config, files: Sequence[SpecFile]
) -> tuple[list[RawDocument], list[Diagnostic]]:
    from farmgen.cache_sweep import sweep_if_due
    from farmgen.format import CACHE_DIR_NAME
    from farmgen.spec.parse_cache import load_document_cached

    cache_dir = config.root / CACHE_DIR_NAME
    documents: list[RawDocument] = []
    extra: list[Diagnostic] = []
    for file in files:
        native = (
            load_document_cached(file.path, config.root, cache_dir)
            if file.format == "farmgen"
            else None
        )
        if native is not None and not is_external_document(native):
            documents.append(native)
        else:
            source = file if native is None else SpecFile(file.path, "auto")
            document, diagnostics = _external(source, config)
            documents.append(document)
            extra.extend(diagnostics)
    sweep_if_due(cache_dir)
    return documents, extra


def load_project_from_config(config: Config) -> Project:
    """Load and resolve the specs ``config`` names; raises :class:`SpecError` with every problem."""
    from farmgen.resolve import resolve_with_diagnostics
    from farmgen.spec.source import paused_gc

    files = find_spec_files(config)
    with paused_gc():
        documents, extra = load_documents(config, files)
        schema, diagnostics = resolve_with_diagnostics(documents)
    if schema is None or any(d.severity is Severity.ERROR for d in extra):
        raise SpecError(sorted(dict.fromkeys([*extra, *diagnostics]), key=Diagnostic.sort_key))
    warnings = tuple(sorted(dict.fromkeys([*extra, *diagnostics]), key=Diagnostic.sort_key))
    return Project(config, schema, warnings, tuple(files))


def load_project(cwd: Path | None = None, config_path: Path | None = None) -> Project:
    """Find the configuration (walking up from ``cwd``), then load and resolve its specs."""
    return load_project_from_config(load_config(cwd, config_path))
