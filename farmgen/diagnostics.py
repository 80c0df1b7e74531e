"""Locations, diagnostics and the error tree.

Every stage reports problems as :class:`Diagnostic` values collected in a
:class:`DiagnosticBag`; the core never prints. The CLI prints them once and
exits with the code carried on the exception::

    FarmgenError                 exit_code 1   base of everything farmgen raises on purpose
    ├── SpecError                exit_code 1   one or more diagnostics with severity "error"
    ├── ConfigError              exit_code 1   a bad farmgen.toml / [tool.farmgen]
    ├── CheckFailed              exit_code 1   `check` found outputs or migrations out of date
    └── UsageError               exit_code 2   a bad command line (unknown target, bad flags)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Location:
    """A position in a source file; ``line`` and ``col`` are 1-based, 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.col <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.col}"


UNKNOWN_LOCATION = Location("<unknown>")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input, with a stable code and an optional fix-it hint."""

    location: Location
    code: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def render(self) -> str:
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        text = f"{self.location}: {prefix}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.col, self.message)


@dataclass
class DiagnosticBag:
    """Collects diagnostics across a run; ``raise_if_errors`` turns them into a SpecError."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(
        self, location: Location, code: str, message: str, hint: str | None = None
    ) -> None:
        self.items.append(Diagnostic(location, code, message, Severity.ERROR, hint))

    def warning(
        self, location: Location, code: str, message: str, hint: str | None = None
    ) -> None:
        self.items.append(Diagnostic(location, code, message, Severity.WARNING, hint))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=Diagnostic.sort_key)

    def raise_if_errors(self) -> None:
        if self.has_errors():
            raise SpecError(self.sorted())

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class FarmgenError(Exception):
    """Base of every error farmgen raises on purpose; carries the process exit code."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = tuple(diagnostics)

    def lines(self) -> list[str]:
        """The lines the CLI prints for this error."""
        if self.diagnostics:
            return [d.render() for d in self.diagnostics]
        return [self.message]


class SpecError(FarmgenError):
    """The spec files have errors; ``diagnostics`` holds all of them, sorted."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        items = tuple(diagnostics)
        count = sum(1 for d in items if d.severity is Severity.ERROR)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the spec", items)


class ConfigError(FarmgenError):
    """The project configuration is invalid."""


class CheckFailed(FarmgenError):
    """`check` found generated files or migrations that are out of date."""


class UsageError(FarmgenError):
    """The command line is wrong."""

    exit_code = 2
