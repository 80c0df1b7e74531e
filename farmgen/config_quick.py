"""Load an unchanged configuration without validating it again.

``parse_config`` checks every table, the target options and ``[database]`` with
pydantic models; that import alone costs more than a no-op ``farmgen check``. After
a full check succeeds, :func:`load_config_quick` records a key of everything the
check depended on (the config's bytes and path, the values of the ``${VAR}`` names
it mentions, farmgen's version and, from a source tree, the digest of its code) in
``.farmgen-cache/config``. While the key matches, the config is rebuilt from a plain
``tomllib`` read, and ``[database]`` is checked in full only when it is used
(:attr:`farmgen.config.Config.database`). Any difference, a target that is not
built in, or a missing ``template_dir`` takes the full path, so a config that
changed is reported exactly as before.

A fresh clone has no such record, but its committed manifests name the config the
generated files were made under (:func:`config_digest`: farmgen's version, the file
name and the parsed table, so comments and layout do not count; ``${VAR}`` values
are not part of it, as they only reach ``[database] url``, checked when used). An installed
farmgen trusts a config whose digest one of its targets' manifests records, as a
full check of the same table by the same version succeeded then.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from pathlib import Path
from types import MappingProxyType
from typing import Any

from farmgen._version import __version__
from farmgen.config import (
    DEFAULT_SPECS,
    PYPROJECT,
    Config,
    SpecSource,
    TargetConfig,
    find_config,
    load_config,
    parse_config,
)
from farmgen.diagnostics import Location

RECORD_NAME = "config"
TARGET_KEYS = ("out", "template_dir")
"""``farmgen.config_format.TARGET_KEYS``, without importing pydantic."""

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")


def load_config_quick(cwd: Path | None = None, config_path: Path | None = None) -> Config:
    """``load_config``, from the last full check's record when the config is unchanged."""
    path = _config_file(cwd, config_path)
    if path is None:
        return load_config(cwd, config_path)
    try:
        data = path.read_bytes()
    except OSError:
        return load_config(cwd, config_path)
    from farmgen.format import CACHE_DIR_NAME

    resolved = path.resolve()
    record = resolved.parent / CACHE_DIR_NAME / RECORD_NAME
    key = config_key(resolved, data)
    if key is None:
        return load_config(cwd, config_path)
    recorded = _recorded(record) == key
    if recorded or not running_from_source():
        quick = _rebuild_unchecked(resolved, data) if not recorded else _rebuild(resolved, data)
        if quick is not None and (recorded or _named_by_a_manifest(quick, data)):
            if not recorded:
                _record(record, key)
            return quick
    config = parse_config(data.decode("utf-8"), path)  # the very bytes the key names
    _record(record, key)
    return config


def config_digest(path: Path) -> str | None:
    """The digest manifests record of the config in ``path`` (None: unreadable)."""
    try:
        data = path.read_bytes()
        table = _farmgen_table(path, tomllib.loads(data.decode("utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return None
    return _digest(path, table)


def _digest(path: Path, table: Any) -> str:
    text = json.dumps(table, sort_keys=True, separators=(",", ":"), default=_tagged)
    digest = hashlib.sha256(f"{__version__}\0{path.name}\0{text}".encode())
    return "sha256:" + digest.hexdigest()


def _tagged(value: Any) -> dict[str, str]:
    """A TOML date or time, told apart from a string spelling the same value."""
    return {"\0" + type(value).__name__: value.isoformat()}


def _farmgen_table(path: Path, table: Any) -> Any:
    return table["tool"]["farmgen"] if path.name == PYPROJECT else table


def _named_by_a_manifest(config: Config, data: bytes) -> bool:
    """Whether a manifest of ``config``'s targets records this config's digest."""
    from farmgen.write.manifest import Manifest

    assert config.path is not None
    try:
        table = _farmgen_table(config.path, tomllib.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return False
    digest = _digest(config.path, table)
    return any(Manifest.load(t.out).config == digest for t in config.targets.values())


def _config_file(cwd: Path | None, config_path: Path | None) -> Path | None:
    start = Path.cwd() if cwd is None else cwd
    if config_path is None:
        return find_config(start)
    path = config_path if config_path.is_absolute() else start / config_path
    return path if path.is_file() else None


def config_key(path: Path, data: bytes) -> str | None:
    """What a full check of ``data`` depends on besides the file system (None: unknown)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    digest = hashlib.sha256()
    for part in (__version__, _generator(), str(path)):
        digest.update(part.encode("utf-8") + b"\0")
    for name in sorted(set(_VARIABLE.findall(text))):
        value = os.environ.get(name)
        digest.update(f"{name}={'<unset>' if value is None else repr(value)}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def _generator() -> str:
    from farmgen.write.fingerprint import generator_digest

    return generator_digest() if running_from_source() else "installed"


def running_from_source() -> bool:
    """``farmgen.write.fingerprint.running_from_source`` (patchable here in tests)."""
    from farmgen.write.fingerprint import running_from_source as from_source

    return from_source()


def _recorded(record: Path) -> str | None:
    try:
        return record.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _record(record: Path, key: str) -> None:
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(key + "\n", encoding="utf-8")
    except OSError:
        return  # only the next run's speed depends on it


def _rebuild_unchecked(path: Path, data: bytes) -> Config | None:
    """:func:`_rebuild` of a config no full check has seen: None when it cannot be read."""
    try:
        return _rebuild(path, data)
    except (ValueError, LookupError, TypeError, AttributeError):  # TOMLDecodeError too
        return None  # the full check reports what is wrong


def _rebuild(path: Path, data: bytes) -> Config | None:
    """The config a full check of ``data`` returned, or None when it cannot be rebuilt."""
    from farmgen.config_locate import KeyLocator

    text = data.decode("utf-8")
    table: Any = tomllib.loads(text)
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT:
        table, prefix = table["tool"]["farmgen"], ("tool", "farmgen")
    root = path.parent
    targets = _targets(root, table.get("targets", {}))
    if targets is None:
        return None
    at = KeyLocator(text, prefix).find(("specs",))
    return Config(
        root=root,
        path=path,
        specs=_specs(table.get("specs"), Location(path.name, *at), Location(path.name)),
        migrations_dir=_migrations(root, table),
        targets=MappingProxyType(targets),
        database_config=None,
        lint=MappingProxyType(dict(table.get("lint", {}))),
        database_loader=lambda: parse_config(text, path),
    )


def _specs(value: Any, at: Location, default: Location) -> tuple[SpecSource, ...]:
    if value is None:
        return tuple(SpecSource(p, "farmgen", default) for p in DEFAULT_SPECS)
    return tuple(
        SpecSource(item, "farmgen", at)
        if isinstance(item, str)
        else SpecSource(item["path"], item.get("format", "farmgen"), at)
        for item in value
    )


def _migrations(root: Path, table: dict[str, Any]) -> Path:
    nested = table.get("database", {}).get("migrations", {})
    if "migrations" not in table and "directory" in nested:
        return (root / str(nested["directory"])).resolve()
    return (root / str(table.get("migrations", "migrations"))).resolve()


def _targets(root: Path, tables: dict[str, Any]) -> dict[str, TargetConfig] | None:
    from farmgen.pipeline import BUILTIN_TARGET_NAMES

    found: dict[str, TargetConfig] = {}
    for name, table in tables.items():
        if name not in BUILTIN_TARGET_NAMES:
            return None  # installed targets can change without the config changing
        template_dir = None
        if "template_dir" in table:
            template_dir = (root / table["template_dir"]).resolve()
            if not template_dir.is_dir():
                return None
        out = (root / table["out"]).resolve()
        if root not in out.parents:
            return None  # linked out of the project since: the full check reports it
        options = {k: v for k, v in table.items() if k not in TARGET_KEYS}
        found[name] = TargetConfig(name, out, template_dir, MappingProxyType(options))
    return found
