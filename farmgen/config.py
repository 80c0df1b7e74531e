"""The project configuration: ``farmgen.toml`` or ``[tool.farmgen]`` in ``pyproject.toml``.

Found by walking up from the current directory (``farmgen.toml`` wins over
``pyproject.toml`` in the same directory), or named explicitly. Unknown keys are
errors with their position, like spec errors::

    specs = ["schemas/*.yaml", {path = "api/openapi.json", format = "openapi"}]
    migrations = "migrations"

    [targets.beanie]
    out = "generated/beanie"
    template_dir = "templates/beanie"   # optional: templates tried before the built-in ones
    # any other key is a target option, validated by the target

    [lint]
    drop_collection = "error"          # "error", "warning" or "off"

    [database]                         # farmgen.runtime.config.DatabaseConfig
    type = "sqlite"
    url = "${DATABASE_URL:-sqlite+aiosqlite:///app.db}"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from farmgen.diagnostics import ConfigError, Diagnostic, Location, UsageError

if TYPE_CHECKING:
    from farmgen.runtime.config import DatabaseConfig

CONFIG_FILE = "farmgen.toml"
PYPROJECT = "pyproject.toml"
DEFAULT_SPECS = ("schemas/**/*.yaml", "schemas/**/*.yml", "schemas/**/*.json")
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
"""The suffixes a ``specs`` glob picks up for native specs."""


@dataclass(frozen=True)
class SpecSource:
    """One ``specs`` entry: a glob relative to the project root, and its format."""

    pattern: str
    format: str = "farmgen"
    location: Location = field(default=Location("<config>"), compare=False)


@dataclass(frozen=True)
class TargetConfig:
    name: str
    out: Path
    """Absolute output directory."""
    template_dir: Path | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Every other key of ``[targets.NAME]``, raw, for the target to validate."""


@dataclass(frozen=True)
class Config:
    root: Path
    """The directory holding the config file; relative paths start here."""
    path: Path | None
    """The config file (None for the defaults of a directory without one)."""
    specs: tuple[SpecSource, ...]
    migrations_dir: Path
    targets: Mapping[str, TargetConfig]
    database_config: DatabaseConfig | None
    """The ``[database]`` table as checked (None until :attr:`database` loads it with
    ``database_loader``); read it through :attr:`database`."""
    lint: Mapping[str, str]
    database_problems: tuple[Diagnostic, ...] = field(default=(), compare=False)
    """Errors in ``[database]`` that only matter when the database is used (an unset
    ``${VAR}`` in ``url``): commands that do not connect never see them."""
    database_loader: Callable[[], Config] | None = field(default=None, compare=False, repr=False)
    """A full check of the same file, run on first use of :attr:`database` when the
    config was rebuilt without one (``farmgen.config_quick``)."""

    @property
    def database(self) -> DatabaseConfig:
        """The database settings; raises :class:`ConfigError` with the deferred problems."""
        if self.database_config is None and self.database_loader is not None:
            full = self.database_loader()
            object.__setattr__(self, "database_problems", full.database_problems)
            object.__setattr__(self, "database_config", full.database_config)
        if self.database_problems:
            count = len(self.database_problems)
            where = self.path.name if self.path is not None else "the configuration"
            raise ConfigError(
                f"{count} error{'s' * (count != 1)} in [database] of {where}",
                list(self.database_problems),
            )
        if self.database_config is None:
            from farmgen.runtime.config import DatabaseConfig

            object.__setattr__(self, "database_config", DatabaseConfig())
        assert self.database_config is not None
        return self.database_config

    def display(self, path: Path) -> str:
        """``path`` relative to the root when inside it (for messages)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def find_config(start: Path) -> Path | None:
    """The nearest ``farmgen.toml``, or ``pyproject.toml`` with ``[tool.farmgen]``."""
    for directory in (start.resolve(), *start.resolve().parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and re.search(r"^\s*\[tool\.farmgen[.\]]", _read(pyproject), re.M):
            return pyproject
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc


def load_config(cwd: Path | None = None, config_path: Path | None = None) -> Config:
    """Load and check the project configuration; raises :class:`ConfigError` with every problem."""
    start = Path.cwd() if cwd is None else cwd
    if config_path is not None:
        path = config_path if config_path.is_absolute() else start / config_path
        if not path.is_file():
            raise UsageError(f"--config: no such file: {config_path}")
    else:
        found = find_config(start)
        if found is None:
            raise ConfigError(
                f"no {CONFIG_FILE} (or pyproject.toml with [tool.farmgen]) in {start.resolve()} "
                "or any parent directory; run 'farmgen init' to create one"
            )
        path = found
    return parse_config(_read(path), path)


def parse_config(text: str, path: Path) -> Config:
    """A :class:`Config` from the text of ``path`` (``farmgen.toml`` or ``pyproject.toml``)."""
    from farmgen.config_check import ConfigChecker

    display = path.name
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("invalid TOML", [_toml_error(display, text, exc)]) from exc
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "farmgen" not in tool:
            raise ConfigError(f"{display}: no [tool.farmgen] table")
        data, prefix = tool["farmgen"], ("tool", "farmgen")
    checker = ConfigChecker(display, text, prefix, path.parent.resolve())
    return checker.check(data, path.resolve())


def _toml_error(display: str, text: str, exc: tomllib.TOMLDecodeError) -> Diagnostic:
    message = str(exc)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    end = re.search(r"\s*\(at end of document\)$", message)
    if match:
        location = Location(display, int(match.group(1)), int(match.group(2)))
        message = message[: match.start()]
    elif end:
        lines = text.splitlines() or [""]
        location = Location(display, len(lines), len(lines[-1]) + 1)
        message = message[: end.start()] + " at the end of the file"
    else:
        location = Location(display)
    return Diagnostic(location, "toml-syntax", f"invalid TOML: {message}")
