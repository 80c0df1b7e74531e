"""The Jinja environment: strict undefined, user templates first, built-ins second.

For target ``T`` a template name is looked up in the target's ``template_dir`` (when
the config sets one), then in the built-in ``templates/T/``, then in the built-in
``templates/`` root (so ``_shared/header.j2`` can be overridden too). Templates are
compiled once per environment and environments are cached per (target, dir).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from farmgen.render.filters import FILTERS
from farmgen.resources import templates_dir


@cache
def environment(
    target: str, template_dir: Path | None = None, target_templates: Path | None = None
) -> jinja2.Environment:
    """``target_templates`` is a third-party target's own folder (default: the built-in one)."""
    builtin = templates_dir()
    search: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        search.append(jinja2.FileSystemLoader(str(template_dir)))
    search.append(jinja2.FileSystemLoader(str(target_templates or builtin / target)))
    search.append(jinja2.FileSystemLoader(str(builtin)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


class TemplateRenderer:
    """Renders one target's templates; what a target's ``render`` receives."""

    def __init__(
        self, target: str, template_dir: Path | None = None, target_templates: Path | None = None
    ) -> None:
        self.target = target
        self.template_dir = template_dir
        self._env = environment(target, template_dir, target_templates)

    def render(self, template: str, **context: Any) -> str:
        from farmgen.diagnostics import FarmgenError

        try:
            return self._env.get_template(template).render(**context)
        except jinja2.TemplateNotFound as exc:
            raise FarmgenError(
                f"template '{exc.name}' of target '{self.target}' not found"
            ) from exc
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or template
            line = getattr(exc, "lineno", None)
            place = f"{where}:{line}" if line else where
            raise FarmgenError(f"{place}: template error: {exc}") from exc
