"""The Jinja environment: strict undefined, user templates first, built-ins second.

For target ``T`` a template name is looked up in the target's ``template_dir`` (when
the config sets one), then in the built-in ``templates/T/``, then in the built-in
``templates/`` root (so ``_shared/header.j2`` can be overridden too). Templates are
compiled once per environment and environments are cached per (target, dir).
"""

from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

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


def _custom_origin(
    env: jinja2.Environment, custom: tuple[Path, ...], name: str, seen: set[str]
) -> str | None:
    """The first file of ``name`` or a template it references that lies in ``custom``."""
    if name in seen or env.loader is None:
        return None
    seen.add(name)
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return None
    if filename and any(Path(filename).resolve().is_relative_to(d) for d in custom):
        return filename
    for ref in jinja2.meta.find_referenced_templates(env.parse(source)):
        found = _custom_origin(env, custom, ref, seen) if ref is not None else None
        if found is not None:
            return found
    return None


class TemplateRenderer:
    """Renders one target's templates; what a target's ``render`` receives.

    It remembers which renders involved a user's or a third-party target's template
    (``origin``): their output is not known to be black-stable, so it is formatted
    in full and must parse.
    """

    def __init__(
        self,
        target: str,
        template_dir: Path | None = None,
        target_templates: Path | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.target = target
        self.cache_dir = cache_dir
        """Where :meth:`render_cached` keeps renders (``.farmgen-cache``); None: no cache."""
        self.template_dir = template_dir
        self.target_templates = target_templates
        self._env = environment(target, template_dir, target_templates)
        self._custom = tuple(
            d.resolve() for d in (template_dir, target_templates) if d is not None
        )
        self._origins: dict[str, str | None] = {}
        self._rendered: dict[str, str] = {}

    def template_origin(self, template: str) -> str | None:
        """The user or third-party template file ``template`` renders from, if any."""
        if not self._custom:
            return None
        if template not in self._origins:
            self._origins[template] = _custom_origin(self._env, self._custom, template, set())
        return self._origins[template]

    def origin(self, text: str) -> str | None:
        """The user or third-party template behind a text this renderer produced.

        Output of a third-party target that did not come verbatim from one render
        is attributed to the target's template folder.
        """
        found = self._rendered.get(text)
        if found is None and self.target_templates is not None:
            return str(self.target_templates)
        return found

    def render(self, template: str, **context: Any) -> str:
        text = self._render(template, context)
        origin = self.template_origin(template)
        if origin is not None:
            self._rendered[text] = origin
        return text

    def render_cached(self, template: str, **context: Any) -> str:
        """Like :meth:`render`, reusing the text of an identical earlier render.

        Every value in ``context`` must show all it holds in its ``repr`` (plain
        values, frozen dataclasses of them): the cache key is made of it.
        """
        from farmgen.render import cache as render_cache

        if self.cache_dir is None:
            return self.render(template, **context)
        key = render_cache.render_key(self._templates_digest, template, context)
        text = render_cache.read_render(self.cache_dir, key)
        if text is None:
            text = self._render(template, context)
            render_cache.write_render(self.cache_dir, key, text)
        origin = self.template_origin(template)
        if origin is not None:
            self._rendered[text] = origin
        return text

    @cached_property
    def _templates_digest(self) -> bytes:
        from farmgen.render.cache import templates_digest

        builtin = templates_dir()
        search = [self.template_dir, self.target_templates or builtin / self.target, builtin]
        return templates_digest(d for d in search if d is not None)

    def _render(self, template: str, context: dict[str, Any]) -> str:
        from farmgen.diagnostics import FarmgenError

        try:
            return self._env.get_template(template).render(**context)
        except jinja2.TemplateNotFound as exc:
            raise FarmgenError(
                f"template '{exc.name}' of target '{self.target}' not found"
            ) from exc
        except jinja2.TemplateError as exc:
            raise FarmgenError(f"{_template_place(exc, template)}: template error: {exc}") from exc


def _template_place(exc: jinja2.TemplateError, template: str) -> str:
    """``folder/name.j2:LINE`` of the template line that failed, as far as it is known.

    A syntax error carries its file and line; an error while rendering (an undefined
    variable) is found in the traceback, which Jinja rewrites to point at template lines.
    """
    filename: str | None = getattr(exc, "filename", None)
    line: int | None = getattr(exc, "lineno", None)
    if filename is None:
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(".j2") or name == template:
                filename, line = name, tb.tb_lineno
            tb = tb.tb_next
    where = _shown_path(filename) if filename else template
    return f"{where}:{line}" if line else where


def _shown_path(filename: str) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
