"""Risk rules for migration operations: stable codes, a one-line fix each, offline.

=======  ====================  =======  ==============================================
code     name                  default  what it finds
=======  ====================  =======  ==============================================
FG101    data-loss             warn     drop_collection, remove_field, narrowing alter
FG102    rename-breaks-code    warn     renamed collections and fields (running code
                                        still uses the old name until it is deployed)
FG103    required-no-default   error    a required field added to, or made required
                                        on, an existing collection without a value
FG104    enum-value-removed    warn     enum values removed (rows holding them fail)
FG105    unique-on-existing    warn     a unique index on an existing collection
                                        (fails when the data has duplicates)
=======  ====================  =======  ==============================================

A project sets levels in its config: ``[lint] FG102 = "off"`` (the rule's name works
too: ``rename-breaks-code = "error"``). Levels: ``error``, ``warn`` (or ``warning``),
``off``: the ones the config file accepts (:data:`farmgen.config_format.LintLevel`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import get_args

from farmgen.config_format import LintLevel
from farmgen.diagnostics import ConfigError, Diagnostic, Location, Severity
from farmgen.ops import (
    AddField,
    AlterEnum,
    AlterField,
    CreateIndex,
    Operation,
    RenameCollection,
    RenameField,
)
from farmgen.runtime import schema_state as st

LEVELS: tuple[str, ...] = get_args(LintLevel)
ALIASES = {"warning": "warn"}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    default: str
    fix: str
    applies: Callable[[Operation, st.Snapshot], bool]


def _new_collection(snapshot: st.Snapshot, collection: str) -> bool:
    return collection not in snapshot["models"]


def _required_without_value(op: Operation, before: st.Snapshot) -> bool:
    if isinstance(op, AddField):
        # mixin columns (timestamps) are filled by their server defaults
        required = not op.spec.get("optional") and "mixin" not in op.spec
        return required and op.default_value is None and not _new_collection(before, op.collection)
    if isinstance(op, AlterField):
        tightened = op.old.get("optional") and not op.new.get("optional")
        return bool(tightened) and op.fill_value is None
    return False


def _unique_on_existing(op: Operation, before: st.Snapshot) -> bool:
    if not isinstance(op, CreateIndex) or not op.index.get("unique"):
        return False
    return op.collection in before["models"]


RULES: tuple[Rule, ...] = (
    Rule(
        "FG101",
        "data-loss",
        "warn",
        "copy the data elsewhere first, or keep the field until nothing reads it",
        lambda op, _s: op.destructive,
    ),
    Rule(
        "FG102",
        "rename-breaks-code",
        "warn",
        "deploy code that reads both names first, or add the new name, backfill, "
        "and remove the old one in a later migration",
        lambda op, _s: isinstance(op, RenameField | RenameCollection),
    ),
    Rule(
        "FG103",
        "required-no-default",
        "error",
        "give the field a default, or make it optional (`type?`)",
        _required_without_value,
    ),
    Rule(
        "FG104",
        "enum-value-removed",
        "warn",
        "update the rows that hold the removed values first (a data migration)",
        lambda op, _s: isinstance(op, AlterEnum) and bool(op.removed),
    ),
    Rule(
        "FG105",
        "unique-on-existing",
        "warn",
        "look for duplicates first (group by the indexed fields) and resolve them",
        _unique_on_existing,
    ),
)
RULE_BY_KEY = {r.code: r for r in RULES} | {r.name: r for r in RULES}


def resolve_levels(config: Mapping[str, str]) -> dict[str, str]:
    """Rule code → level, from the defaults and a ``[lint]`` table (codes or names)."""
    levels = {r.code: r.default for r in RULES}
    for key, level in config.items():
        rule = RULE_BY_KEY.get(key)
        if rule is None:
            known = ", ".join(f"{r.code} ({r.name})" for r in RULES)
            raise ConfigError(f"[lint]: unknown rule '{key}' (rules: {known})")
        if level not in LEVELS:
            raise ConfigError(f"[lint] {key}: level must be one of {', '.join(LEVELS)}")
        levels[rule.code] = ALIASES.get(level, level)
    return levels


def lint_operations(
    operations: Iterable[Operation],
    before: st.Snapshot,
    location: Location,
    config: Mapping[str, str],
) -> list[Diagnostic]:
    """Diagnostics for every rule an operation breaks, at the configured level.

    ``before`` is the schema before the migration: what "existing" means.
    """
    levels = resolve_levels(config)
    found: list[Diagnostic] = []
    for op in operations:
        for rule in RULES:
            level = levels[rule.code]
            if level == "off" or not rule.applies(op, before):
                continue
            severity = Severity.ERROR if level == "error" else Severity.WARNING
            found.append(
                Diagnostic(location, rule.code, f"{rule.name}: {op.describe()}", severity, rule.fix)
            )
    return found
