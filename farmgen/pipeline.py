"""load → render → format → write.

``render`` is pure: the IR in, every target's files (unformatted) out. ``generate``
and ``check`` plan against the disk and the manifests, formatting only what might
have changed, and write only when asked and only if everything succeeded.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from farmgen._version import __version__
from farmgen.diagnostics import UsageError
from farmgen.targets.base import RenderContext, RenderedFile, validate_options
from farmgen.write.plan import Action, FileChange

if TYPE_CHECKING:
    from farmgen.format import PythonFormatter
    from farmgen.project import Project


def selected_targets(project: Project, names: Sequence[str] | None = None) -> list[str]:
    """The configured targets to run, in config order, or ``names`` after checking them."""
    configured = list(project.config.targets)
    if not names:
        return configured
    unknown = [n for n in names if n not in project.config.targets]
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
    from farmgen.format import black_line_length
    from farmgen.render import TemplateRenderer
    from farmgen.targets.registry import default_registry

    registry = default_registry()
    line_length = black_line_length(project.config.root)
    files: list[RenderedFile] = []
    for name in selected_targets(project, targets):
        target = registry.get(name)
        config = project.config.targets[name]
        options = validate_options(target, config.options)
        renderer = TemplateRenderer(name, _resolve(project.config.root, config.template_dir))
        context = RenderContext(renderer, __version__, line_length)
        files.extend(target.render(project.schema, options, context))
    return files


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

    def summary(self) -> str:
        verb = ("written", "removed") if self.applied else ("to write", "to remove")
        return (
            f"{self.written} files {verb[0]}, {self.unchanged} unchanged, "
            f"{self.removed} {verb[1]} ({self.seconds:.2f}s)"
        )


def plan_changes(project: Project, files: Sequence[RenderedFile]) -> list[FileChange]:
    from farmgen.format import format_file
    from farmgen.write.plan import OutputGroup, plan

    root = project.config.root
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
    groups = [
        OutputGroup(d, tuple(t for t in names if t in present), tuple(by_dir.get(d, ())))
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
    from farmgen.write.apply import apply_changes

    start = time.perf_counter()
    names = selected_targets(project, targets)
    changes = plan_changes(project, render(project, names))
    apply = not (check or dry_run)
    if apply:
        apply_changes(changes)
    return GenerateResult(tuple(changes), apply, time.perf_counter() - start, tuple(names))


def _project(cwd: Path | str | None, config_path: Path | str | None) -> Project:
    from farmgen.project import load_project

    return load_project(
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
    return generate(_project(cwd, config_path), targets, dry_run=dry_run)


def check_project(
    cwd: Path | str | None = None,
    *,
    config_path: Path | str | None = None,
    targets: Sequence[str] | None = None,
) -> GenerateResult:
    """``farmgen.check``: what ``generate`` would change; ``result.up_to_date`` says if nothing."""
    return generate(_project(cwd, config_path), targets, check=True)
