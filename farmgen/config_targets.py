"""Check ``[targets.NAME]`` tables at config load: names, options, output and template folders.

Every problem gets the position of its key and, for a misspelt name, a suggestion.
Target modules are imported only to validate a table that has options, so loading a
config with plain ``out`` tables stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from farmgen.config_format import TARGET_KEYS

if TYPE_CHECKING:
    from pydantic import BaseModel


class Checker(Protocol):
    root: Path

    def error(self, path: Sequence[str], message: str, hint: str | None = None) -> None: ...

    def at_text(self, path: Sequence[str]) -> str: ...


def suggest(word: str, options: Sequence[str]) -> str | None:
    from farmgen.resolve.context import did_you_mean

    return did_you_mean(word, options)


def known_target(checker: Checker, name: str) -> bool:
    """Whether ``name`` is a built-in or installed target; reports it when it is not."""
    from farmgen.pipeline import BUILTIN_TARGET_NAMES

    if name in BUILTIN_TARGET_NAMES:
        return True
    from farmgen.targets.registry import default_registry

    known = default_registry().names()
    if name in known:
        return True
    checker.error(
        ("targets", name),
        f"unknown target '{name}'",
        suggest(name, known) or f"known targets: {', '.join(known)}",
    )
    return False


def check_options(checker: Checker, name: str, options: dict[str, Any]) -> None:
    """Validate a target's options with its options model (imported only when there are any)."""
    from pydantic import ValidationError

    from farmgen.targets.registry import default_registry

    model = default_registry().get(name).options_model
    try:
        model.model_validate(options)
    except ValidationError as exc:
        for err in exc.errors():
            _option_error(checker, name, model, err)


def _option_error(checker: Checker, name: str, model: type[BaseModel], err: Any) -> None:
    parts = tuple(str(p) for p in err["loc"])
    path = ("targets", name, *parts)
    if err["type"] == "extra_forbidden" and len(parts) == 1:
        allowed = (*TARGET_KEYS, *model.model_fields)
        hint = suggest(parts[0], allowed) or f"options of '{name}': {', '.join(model.model_fields)}"
        checker.error(path, f"unknown option '{parts[0]}' for target '{name}'", hint)
        return
    message = str(err["msg"]).removeprefix("Value error, ")
    checker.error(path, f"'targets.{'.'.join((name, *parts))}': {message}")


def check_out(checker: Checker, name: str, raw: str, out: Path, seen: dict[Path, str]) -> None:
    """``out`` inside the project root, not the root itself, and not another target's."""
    path = ("targets", name, "out")
    root = checker.root.resolve()
    if out == root:
        checker.error(path, "the project root itself cannot be an output directory")
    elif root not in out.parents:
        checker.error(
            path,
            f"output directory '{raw}' is outside the project root",
            "farmgen writes only inside the folder of its config file",
        )
    other = seen.setdefault(out, name)
    if other != name:
        checker.error(
            path,
            f"[targets.{name}] has the output directory of [targets.{other}] "
            f"(at {checker.at_text(('targets', other, 'out'))})",
            "give each target its own 'out'",
        )


def check_template_dir(checker: Checker, name: str, directory: Path) -> None:
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        checker.error(
            ("targets", name, "template_dir"),
            f"template_dir '{_shown(checker.root, directory)}' of [targets.{name}] {what}",
        )


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
