"""What a target is: a name, an options model, and a pure ``render``.

A target turns the IR into :class:`RenderedFile` values. It prepares one view
model per output file in Python (names, imports and type expressions already
resolved) and hands it to a template that only lays text out. Targets do no I/O:
the writer decides what reaches the disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from farmgen.ir import Schema
    from farmgen.render import TemplateRenderer


class Language(StrEnum):
    """How a file is post-processed: Python goes through black, the rest is kept as is."""

    PYTHON = "python"
    TYPESCRIPT = "typescript"
    TEXT = "text"


@dataclass(frozen=True)
class RenderedFile:
    """One output file, in memory.

    ``path`` is relative to the target's output directory, with ``/`` separators.
    """

    path: str
    content: str
    language: Language = Language.TEXT
    target: str = ""
    template: str | None = None
    """The user's or a third-party target's template this file was rendered from.

    Such output is not known to be black-stable: Python is formatted in full and
    must parse. None for farmgen's own templates.
    """


class TargetOptions(BaseModel):
    """Options of a target's config table; unknown keys are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class RenderContext:
    """What every target gets besides the schema."""

    renderer: TemplateRenderer
    """Renders this target's templates (user ``template_dir`` first, then built-in)."""
    version: str
    """farmgen's version, for the file header."""
    line_length: int = 88
    """The project's black line length: Python output is laid out to it."""


@runtime_checkable
class Target(Protocol):
    """A code generation target. Third-party targets implement the same protocol.

    A third-party target ships its templates in a folder of its own and names it in
    an optional class attribute ``templates_path: ClassVar[Path]`` (see
    :func:`target_templates`); the built-in targets use ``templates/<name>/``.
    """

    name: ClassVar[str]
    """The key of the target's config table, e.g. ``beanie``."""
    options_model: ClassVar[type[TargetOptions]]

    def render(
        self, schema: Schema, options: TargetOptions, context: RenderContext
    ) -> list[RenderedFile]:
        """Every file of this target for ``schema``; pure, deterministic."""
        ...


def target_templates(target: Target) -> Path | None:
    """The folder of a third-party target's own templates, if it declares one."""
    path = getattr(target, "templates_path", None)
    return Path(path) if path is not None else None


def validate_options(target: Target, raw: Mapping[str, Any]) -> TargetOptions:
    """Validate a target's raw options table, raising ``ConfigError`` on a bad key or value."""
    from pydantic import ValidationError

    from farmgen.diagnostics import ConfigError

    try:
        return target.options_model.model_validate(dict(raw))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<options>'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid options for target '{target.name}': {problems}") from exc
