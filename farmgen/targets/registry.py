"""The target registry: the built-in targets plus the ``farmgen.targets`` entry points.

A registry fails loudly: registering a name twice raises, and so does asking for a
name nobody registered (the message lists the known ones). Targets are imported only
when asked for, so ``farmgen check`` never imports a target it does not run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points

from farmgen.diagnostics import ConfigError, UsageError
from farmgen.targets.base import Target

ENTRY_POINT_GROUP = "farmgen.targets"

BUILTIN_TARGETS: dict[str, str] = {
    "beanie": "farmgen.targets.beanie:BeanieTarget",
    "sqlalchemy": "farmgen.targets.sqlalchemy:SqlAlchemyTarget",
    "typescript": "farmgen.targets.typescript:TypeScriptTarget",
}

TargetFactory = Callable[[], Target]


class DuplicateTargetError(ConfigError):
    """Two registrations share a target name."""


def _import_object(spec: str) -> object:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


class TargetRegistry:
    """Maps target names to factories; instances are created on first use."""

    def __init__(self) -> None:
        self._factories: dict[str, TargetFactory] = {}
        self._instances: dict[str, Target] = {}

    def register(self, name: str, factory: TargetFactory) -> None:
        if name in self._factories:
            raise DuplicateTargetError(f"target '{name}' is registered twice")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def get(self, name: str) -> Target:
        if name not in self._instances:
            factory = self._factories.get(name)
            if factory is None:
                known = ", ".join(self.names()) or "none"
                raise UsageError(f"unknown target '{name}' (known targets: {known})")
            target = factory()
            if not isinstance(target, Target) or target.name != name:
                raise ConfigError(f"target '{name}' does not implement farmgen's Target protocol")
            self._instances[name] = target
        return self._instances[name]


def _lazy_factory(spec: str) -> TargetFactory:
    def factory() -> Target:
        cls = _import_object(spec)
        assert callable(cls)
        target = cls()
        assert isinstance(target, Target)
        return target

    return factory


def build_registry(extra: Iterable[tuple[str, str]] | None = None) -> TargetRegistry:
    """The built-ins, then every ``farmgen.targets`` entry point (``name = "module:Class"``)."""
    registry = TargetRegistry()
    for name, spec in BUILTIN_TARGETS.items():
        registry.register(name, _lazy_factory(spec))
    plugins = extra if extra is not None else _entry_point_specs()
    for name, spec in plugins:
        registry.register(name, _lazy_factory(spec))
    return registry


def _entry_point_specs() -> list[tuple[str, str]]:
    return sorted((ep.name, ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP))


_default: TargetRegistry | None = None


def default_registry() -> TargetRegistry:
    global _default  # noqa: PLW0603 - one process-wide registry, built on first use
    if _default is None:
        _default = build_registry()
    return _default
