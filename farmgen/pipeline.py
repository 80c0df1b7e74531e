"""load → render → format → write.

``render`` is pure: the IR in, every target's files (unformatted) out. ``generate``
and ``check`` plan against the disk and the manifests, formatting only what might
have changed, and write only when asked and only if everything succeeded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from farmgen._version import __version__
from farmgen.diagnostics import UsageError
from farmgen.write.plan import Action, FileChange

if TYPE_CHECKING:
    from farmgen.config import Config
    from farmgen.format import PythonFormatter
    from farmgen.project import Project
    from farmgen.targets.base import RenderedFile
    from farmgen.write.manifest import Manifest


BUILTIN_TARGET_NAMES = frozenset({"beanie", "sqlalchemy", "typescript"})
"""The keys of ``farmgen.targets.registry.BUILTIN_TARGETS``, without importing the targets."""


def selected_targets(config: Config, names: Sequence[str] | None = None) -> list[str]:
    """The configured targets to run, in config order, or ``names`` after checking them."""
    configured = list(config.targets)
    if not names:
        return configured
    unknown = [n for n in names if n not in config.targets]
    if unknown:
        known = ", ".join(configured) or "none"
        raise UsageError(
            f"target '{unknown[0]}' is not configured in this project (configured: {known})"
        )
    return [n for n in configured if n in set(names)]


def _resolve(root: Path, path: Path | None) -> Path | None:
    if path is None:
        return None
    return path if path.is_absolute() else root / path


def render(project: Project, targets: Sequence[str] | None = None) -> list[RenderedFile]:
    """Every selected target's files, unformatted; paths relative to the target's ``out``."""
    from farmgen.format import CACHE_DIR_NAME, black_line_length
    from farmgen.render import TemplateRenderer
    from farmgen.targets.base import RenderContext, target_templates, validate_options
    from farmgen.targets.registry import default_registry

    registry = default_registry()
    line_length = black_line_length(project.config.root)
    files: list[RenderedFile] = []
    for name in selected_targets(project.config, targets):
        target = registry.get(name)
        config = project.config.targets[name]
        options = validate_options(target, config.options)
        renderer = TemplateRenderer(
            name,
            _resolve(project.config.root, config.template_dir),
            target_templates(target),
            cache_dir=project.config.root / CACHE_DIR_NAME,
        )
        context = RenderContext(renderer, __version__, line_length)
        rendered = target.render(project.schema, options, context)
        files.extend(_with_origin(f, renderer.origin(f.content)) for f in rendered)
    return files


def _with_origin(file: RenderedFile, template: str | None) -> RenderedFile:
    if template is None or file.template is not None:
        return file
    return replace(file, template=template)


def make_formatter(root: Path, *, always: bool = False, cache: bool = True) -> PythonFormatter:
    from farmgen.format import CACHE_DIR_NAME, PythonFormatter, black_line_length

    return PythonFormatter(
        black_line_length(root), root / CACHE_DIR_NAME if cache else None, always=always
    )


def render_formatted(project: Project, targets: Sequence[str] | None = None) -> list[RenderedFile]:
    """``render`` followed by formatting: the exact bytes ``generate`` writes."""
    from farmgen.format import format_file

    formatter = make_formatter(project.config.root)
    return [format_file(f, formatter) for f in render(project, targets)]


@dataclass(frozen=True)
class GenerateResult:
    """What ``generate`` or ``check`` did (or, for check and dry runs, would do)."""

    changes: tuple[FileChange, ...]
    applied: bool
    seconds: float
    targets: tuple[str, ...] = field(default=())
    schema_checksum: str | None = None
    """The schema's migration snapshot checksum, when known (``farmgen.migrations.quick``)."""

    @property
    def files(self) -> tuple[FileChange, ...]:
        """The generated files (manifests left out: they only record what was written)."""
        return tuple(c for c in self.changes if not c.is_manifest)

    def _count(self, *actions: Action) -> int:
        return sum(1 for c in self.files if c.action in actions)

    @property
    def written(self) -> int:
        return self._count(Action.CREATE, Action.UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(Action.UNCHANGED)

    @property
    def removed(self) -> int:
        return self._count(Action.REMOVE)

    @property
    def changed(self) -> tuple[FileChange, ...]:
        """Generated files that are (or were) created, updated or removed."""
        return tuple(c for c in self.files if c.changed)

    @property
    def up_to_date(self) -> bool:
        return not self.changed

    @property
    def refreshed_manifests(self) -> int:
        """Manifests rewritten although no file of their directory changed (an upgrade)."""
        dirs = {c.path.parent for c in self.changed}
        return sum(
            1 for c in self.changes if c.is_manifest and c.changed and c.path.parent not in dirs
        )

    def summary(self) -> str:
        verb = ("written", "removed") if self.applied else ("to write", "to remove")
        refreshed = self.refreshed_manifests
        noun = "manifest" if refreshed == 1 else "manifests"
        extra = f", {refreshed} {noun} {'refreshed' if self.applied else 'to refresh'}"
        files = "file" if self.written == 1 else "files"
        return (
            f"{self.written} {files} {verb[0]}, {self.unchanged} unchanged, "
            f"{self.removed} {verb[1]}{extra if refreshed else ''} ({self.seconds:.2f}s)"
        )


def plan_changes(
    project: Project,
    files: Sequence[RenderedFile],
    fingerprints: Mapping[str, str] | None = None,
    schema_checksum: str | None = None,
) -> list[FileChange]:
    from farmgen.config_quick import config_digest
    from farmgen.format import format_file
    from farmgen.write.plan import OutputGroup, plan

    root = project.config.root
    prints = fingerprints or {}
    by_dir: dict[Path, list[RenderedFile]] = {}
    targets_by_dir: dict[Path, list[str]] = {}
    for name, config in project.config.targets.items():
        out = _resolve(root, config.out)
        assert out is not None
        targets_by_dir.setdefault(out, []).append(name)
    present = {f.target for f in files}
    for f in files:
        out = _resolve(root, project.config.targets[f.target].out)
        assert out is not None
        by_dir.setdefault(out, []).append(f)
    config_print = config_digest(project.config.path) if project.config.path else None
    groups = [
        OutputGroup(
            d,
            tuple(t for t in names if t in present),
            tuple(by_dir.get(d, ())),
            {t: prints[t] for t in names if t in present and t in prints},
            {t: schema_checksum for t in names if t in present and schema_checksum},
            config_print,
        )
        for d, names in targets_by_dir.items()
        if any(t in present for t in names)
    ]
    formatter = make_formatter(root)
    salt = f"line-length={formatter.line_length}"
    return plan(root, groups, lambda f: format_file(f, formatter), salt)


def generate(
    project: Project,
    targets: Sequence[str] | None = None,
    *,
    check: bool = False,
    dry_run: bool = False,
) -> GenerateResult:
    """Render every selected target and bring the output directories up to date.

    With ``check`` or ``dry_run`` nothing is written; the result says what would change.
    """
    from farmgen.migrations.quick import schema_checksum
    from farmgen.write.apply import apply_changes

    start = time.perf_counter()
    names = selected_targets(project.config, targets)
    spec_files = [(project.config.display(f.path), f.path) for f in project.files]
    prints = input_fingerprints(project.config, names, spec_files)
    checksum = schema_checksum(project.schema)
    changes = plan_changes(project, render(project, names), prints, checksum)
    apply = not (check or dry_run)
    if apply:
        apply_changes(changes)
    elapsed = time.perf_counter() - start
    return GenerateResult(tuple(changes), apply, elapsed, tuple(names), checksum)


def input_fingerprints(
    config: Config, names: Sequence[str], spec_files: Sequence[tuple[str, Path]]
) -> dict[str, str]:
    """Each target's input fingerprint (see ``farmgen.write.fingerprint``)."""
    from farmgen.format import black_line_length
    from farmgen.resources import templates_dir
    from farmgen.write.fingerprint import target_fingerprint

    line_length = black_line_length(config.root)
    prints = {}
    for name in names:
        target = config.targets[name]
        dirs = [_target_templates(name), templates_dir() / "_shared"]
        user = _resolve(config.root, target.template_dir)
        if user is not None:
            dirs.append(user)
        prints[name] = target_fingerprint(
            version=__version__,
            target=name,
            options=target.options,
            line_length=line_length,
            template_dirs=dirs,
            spec_files=spec_files,
        )
    return prints


def _target_templates(name: str) -> Path:
    from farmgen.resources import templates_dir

    if name in BUILTIN_TARGET_NAMES:
        return templates_dir() / name
    from farmgen.targets.base import target_templates
    from farmgen.targets.registry import default_registry

    return target_templates(default_registry().get(name)) or templates_dir() / name


def verify_by_hash(config: Config, targets: Sequence[str] | None = None) -> GenerateResult | None:
    """The result of ``check`` when the inputs are unchanged and every owned file is intact.

    Reads only the config, the spec files' bytes, the templates and the manifests;
    None means "cannot tell from hashes": load, render and compare as usual.
    """
    from farmgen.config_quick import config_digest
    from farmgen.format import CACHE_DIR_NAME
    from farmgen.project import find_spec_files
    from farmgen.write.fingerprint import generator_matches
    from farmgen.write.manifest import MANIFEST_NAME, Manifest

    start = time.perf_counter()
    if not generator_matches(config.root / CACHE_DIR_NAME):
        return None
    names = selected_targets(config, targets)
    spec_files = [(config.display(f.path), f.path) for f in find_spec_files(config)]
    prints = input_fingerprints(config, names, spec_files)
    config_print = config_digest(config.path) if config.path else None
    changes: list[FileChange] = []
    checksums: set[str | None] = set()
    for name in names:
        out = _resolve(config.root, config.targets[name].out)
        assert out is not None
        manifest = Manifest.load(out)
        if (
            manifest.inputs.get(name) != prints[name]
            or manifest.config != config_print
            or not _current_manifest(out, manifest, name)
        ):
            return None
        checksums.add(manifest.snapshots.get(name))
        owned = [(n, e) for n, e in sorted(manifest.files.items()) if e.target == name]
        for file_name, entry in owned:
            path = out / file_name
            if not path.is_file() or sha256_bytes(path.read_bytes()) != entry.output:
                return None
            changes.append(FileChange(path, config.display(path), Action.UNCHANGED))
        manifest_path = out / MANIFEST_NAME
        changes.append(
            FileChange(
                manifest_path, config.display(manifest_path), Action.UNCHANGED, is_manifest=True
            )
        )
    if _refers_to_other_files(path for _, path in spec_files):
        return None
    checksum = checksums.pop() if len(checksums) == 1 else None
    elapsed = time.perf_counter() - start
    return GenerateResult(tuple(changes), False, elapsed, tuple(names), checksum)


_OTHER_DOCUMENT = re.compile(rb"""\$ref["']?\s*:\s*["']?[^\s"'#]""")
"""A ``$ref`` whose target is not in the same document (``other.json#/...``, a URL)."""


def _refers_to_other_files(paths: Iterable[Path]) -> bool:
    """Whether a spec reads another document (a JSON Schema or OpenAPI ``$ref``).

    The input fingerprints hash the spec files the globs name, not the documents they
    refer to: when one may be read, only loading the specs tells whether it changed.
    """
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            return True
        if b"$ref" in data and _OTHER_DOCUMENT.search(data):
            return True
    return False


def _current_manifest(out: Path, manifest: Manifest, target: str) -> bool:
    """Whether the manifest on disk is byte for byte what this version writes.

    A manifest from an older farmgen (missing keys, another layout) is refreshed by
    the full path, so the hash check must not accept it.
    """
    from farmgen.write.manifest import MANIFEST_NAME

    try:
        text = (out / MANIFEST_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return target in manifest.snapshots and text == manifest.dumps()


def sha256_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def run(
    config: Config,
    targets: Sequence[str] | None = None,
    *,
    check: bool = False,
    dry_run: bool = False,
    on_project: Callable[[Project], None] | None = None,
) -> GenerateResult:
    """``generate`` for a loaded config: from hashes alone when nothing changed.

    ``on_project`` sees the project when the specs had to be loaded (the CLI prints
    its warnings).
    """
    from farmgen.project import load_project_from_config

    quick = verify_by_hash(config, targets)
    if quick is not None:
        return replace(quick, applied=not (check or dry_run))
    from farmgen.format import CACHE_DIR_NAME
    from farmgen.write.fingerprint import record_generator

    project = load_project_from_config(config)
    if on_project is not None:
        on_project(project)
    result = generate(project, targets, check=check, dry_run=dry_run)
    if result.applied or result.up_to_date:
        record_generator(config.root / CACHE_DIR_NAME)
    return result


def _config(cwd: Path | str | None, config_path: Path | str | None) -> Config:
    from farmgen.config import load_config

    return load_config(
        Path(cwd) if cwd is not None else None,
        Path(config_path) if config_path is not None else None,
    )


def generate_project(
    cwd: Path | str | None = None,
    *,
    config_path: Path | str | None = None,
    targets: Sequence[str] | None = None,
    dry_run: bool = False,
) -> GenerateResult:
    """``farmgen.generate``: load the project found from ``cwd`` and generate its targets.

    Raises :class:`farmgen.diagnostics.FarmgenError` subclasses (``SpecError`` with
    every diagnostic, ``ConfigError``, ``UsageError``); never prompts, never prints.
    """
    return run(_config(cwd, config_path), targets, dry_run=dry_run)


def check_project(
    cwd: Path | str | None = None,
    *,
    config_path: Path | str | None = None,
    targets: Sequence[str] | None = None,
) -> GenerateResult:
    """``farmgen.check``: what ``generate`` would change; ``result.up_to_date`` says if nothing."""
    return run(_config(cwd, config_path), targets, check=True)
