"""Check the parsed TOML of a farmgen configuration, collecting every problem with its position."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, get_args

from farmgen import config_targets as targets
from farmgen.config import DEFAULT_SPECS, Config, SpecSource, TargetConfig
from farmgen.config_format import (
    CONFIG_KEYS,
    SPEC_ENTRY_KEYS,
    TARGET_KEYS,
    LintLevel,
    SpecFormat,
)
from farmgen.config_locate import KeyLocator
from farmgen.diagnostics import ConfigError, Diagnostic, DiagnosticBag, Location
from farmgen.runtime.config import DatabaseConfig, UnsetVariableError

SPEC_FORMATS: tuple[str, ...] = get_args(SpecFormat)
LINT_LEVELS: tuple[str, ...] = get_args(LintLevel)


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    """``farmgen.resolve.context.did_you_mean``, imported only when a key is wrong."""
    from farmgen.resolve.context import did_you_mean as suggest

    return suggest(word, options)


class ConfigChecker:
    def __init__(self, display: str, text: str, prefix: Sequence[str], root: Path) -> None:
        self.display = display
        self.locator = KeyLocator(text, prefix)
        self.root = root
        self.bag = DiagnosticBag()

    def at(self, path: Sequence[str]) -> Location:
        line, col = self.locator.find(path)
        return Location(self.display, line, col)

    def error(self, path: Sequence[str], message: str, hint: str | None = None) -> None:
        self.bag.error(self.at(path), "config", message, hint)

    def at_text(self, path: Sequence[str]) -> str:
        return str(self.at(path))

    def unknown_keys(
        self, table: dict[str, Any], allowed: Sequence[str], path: Sequence[str]
    ) -> None:
        for key in table:
            if key not in allowed:
                dotted = ".".join((*path, key))
                self.error((*path, key), f"unknown key '{dotted}'", did_you_mean(key, allowed))

    def check(self, data: dict[str, Any], path: Path) -> Config:
        self.unknown_keys(data, CONFIG_KEYS, ())
        database, deferred = self.database(data.get("database", {}))
        migrations_dir, database = self.migrations(data, database)
        config = Config(
            root=self.root,
            path=path,
            specs=self.specs(data.get("specs")),
            migrations_dir=migrations_dir,
            targets=MappingProxyType(self.targets(data.get("targets", {}))),
            database_config=database,
            lint=MappingProxyType(self.lint(data.get("lint", {}))),
            database_problems=deferred,
        )
        if self.bag.has_errors():
            count = len(self.bag.errors)
            raise ConfigError(
                f"{count} error{'s' * (count != 1)} in {self.display}", self.bag.sorted()
            )
        return config

    def directory(self, value: Any, path: Sequence[str]) -> Path:
        if not isinstance(value, str) or not value or "\0" in value:
            self.error(path, f"'{'.'.join(path)}' must be a path (a non-empty string)")
            return self.root
        return (self.root / value).resolve()

    def migrations(
        self, data: dict[str, Any], database: DatabaseConfig
    ) -> tuple[Path, DatabaseConfig]:
        """One migrations folder: top-level ``migrations`` and ``[database.migrations]
        directory`` name the same one; either may be given, the other follows it."""
        table = data.get("database")
        nested = table.get("migrations") if isinstance(table, dict) else None
        runtime_dir = nested.get("directory") if isinstance(nested, dict) else None
        if runtime_dir is not None and "migrations" not in data:
            directory = self.directory(runtime_dir, ("database", "migrations", "directory"))
        else:
            directory = self.directory(data.get("migrations", "migrations"), ("migrations",))
            if isinstance(runtime_dir, str) and (self.root / runtime_dir).resolve() != directory:
                self.error(
                    ("database", "migrations", "directory"),
                    "'database.migrations.directory' names another folder than 'migrations'",
                    "set only one of them",
                )
        runtime = database.migrations.model_copy(update={"directory": str(directory)})
        return directory, database.model_copy(update={"migrations": runtime})

    def specs(self, value: Any) -> tuple[SpecSource, ...]:
        if value is None:
            return tuple(SpecSource(p, "farmgen", Location(self.display)) for p in DEFAULT_SPECS)
        if not isinstance(value, list) or not value:
            self.error(
                ("specs",), "'specs' must be a non-empty list of globs or {path, format} tables"
            )
            return ()
        sources = [self.spec_entry(item) for item in value]
        return tuple(s for s in sources if s is not None)

    def spec_entry(self, item: Any) -> SpecSource | None:
        location = self.at(("specs",))
        if isinstance(item, str) and item:
            return SpecSource(item, "farmgen", location)
        if not isinstance(item, dict):
            self.error(("specs",), "each 'specs' entry must be a glob or a {path, format} table")
            return None
        for key in item:
            if key not in SPEC_ENTRY_KEYS:
                self.error(
                    ("specs", key),
                    f"unknown key '{key}' in a 'specs' table",
                    did_you_mean(key, SPEC_ENTRY_KEYS),
                )
        pattern, fmt = item.get("path"), item.get("format", "farmgen")
        if not isinstance(pattern, str) or not pattern:
            self.error(("specs",), "a 'specs' table needs 'path' (a glob)")
            return None
        if fmt not in SPEC_FORMATS:
            self.error(
                ("specs", "format"),
                f"unknown spec format {fmt!r}",
                did_you_mean(str(fmt), SPEC_FORMATS) or f"use one of {', '.join(SPEC_FORMATS)}",
            )
            return None
        return SpecSource(pattern, fmt, location)

    def targets(self, value: Any) -> dict[str, TargetConfig]:
        if not isinstance(value, dict):
            self.error(("targets",), "'targets' must be a table of [targets.NAME] tables")
            return {}
        found: dict[str, TargetConfig] = {}
        outs: dict[Path, str] = {}
        for name, table in value.items():
            if not isinstance(table, dict):
                self.error(("targets", name), f"'targets.{name}' must be a table")
                continue
            if not targets.known_target(self, name):
                continue
            target = self.target(name, table, outs)
            if target is not None:
                found[name] = target
        return found

    def target(
        self, name: str, table: dict[str, Any], outs: dict[Path, str]
    ) -> TargetConfig | None:
        if "out" not in table:
            close = [k for k in table if did_you_mean(k, ("out",))]
            self.error(
                ("targets", name, *close[:1]),
                f"[targets.{name}] needs 'out' (the output directory)",
                f"did you mean 'out' instead of '{close[0]}'?" if close else None,
            )
            return None
        out = self.directory(table["out"], ("targets", name, "out"))
        if isinstance(table["out"], str) and table["out"] and "\0" not in table["out"]:
            targets.check_out(self, name, table["out"], out, outs)
        template_dir = None
        if "template_dir" in table:
            template_dir = self.directory(table["template_dir"], ("targets", name, "template_dir"))
            targets.check_template_dir(self, name, template_dir)
        options = {k: v for k, v in table.items() if k not in TARGET_KEYS}
        if options:
            targets.check_options(self, name, options)
        return TargetConfig(name, out, template_dir, MappingProxyType(options))

    def lint(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            self.error(("lint",), "'lint' must be a table of rule = level")
            return {}
        levels: dict[str, str] = {}
        for rule, level in value.items():
            if level not in LINT_LEVELS:
                self.error(
                    ("lint", rule),
                    f"lint level for '{rule}' must be one of "
                    f"{', '.join(LINT_LEVELS)}, found {level!r}",
                )
                continue
            levels[rule] = level
        return levels

    def database(self, value: Any) -> tuple[DatabaseConfig, tuple[Diagnostic, ...]]:
        """The checked ``[database]`` table, and the problems deferred until it is used.

        An unset ``${VAR}`` in ``url`` is deferred when it is the table's only kind of
        problem: validate, generate and check do not need the database.
        """
        from pydantic import ValidationError

        if not isinstance(value, dict):
            self.error(("database",), "'database' must be a table")
            return DatabaseConfig(), ()
        try:
            return DatabaseConfig.model_validate(value), ()
        except ValidationError as exc:
            errors = exc.errors()
        if all(_unset_variable(err) for err in errors):
            deferred = tuple(self.diagnostic(("database", *map(str, e["loc"])), e) for e in errors)
            return DatabaseConfig(), deferred
        for err in errors:
            self.database_error(err)
        return DatabaseConfig(), ()

    def diagnostic(self, path: Sequence[str], err: Any) -> Diagnostic:
        message = str(err["msg"]).removeprefix("Value error, ")
        return Diagnostic(self.at(path), "config", f"'{'.'.join(path)}': {message}")

    def database_error(self, err: Any) -> None:
        from pydantic import BaseModel

        parts = tuple(str(p) for p in err["loc"])
        path = ("database", *parts)
        dotted = ".".join(path)
        if err["type"] == "extra_forbidden":
            model: type[BaseModel] = DatabaseConfig
            for part in parts[:-1]:
                annotation = model.model_fields[part].annotation
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    model = annotation
            self.error(path, f"unknown key '{dotted}'", did_you_mean(parts[-1], model.model_fields))
            return
        message = str(err["msg"]).removeprefix("Value error, ")
        self.error(path, f"'{dotted}': {message}")


def _unset_variable(err: Any) -> bool:
    return isinstance(err.get("ctx", {}).get("error"), UnsetVariableError)
