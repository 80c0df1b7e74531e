"""Shared state of one resolution: the diagnostics collected so far and small checkers."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from farmgen.diagnostics import DiagnosticBag, Location
from farmgen.spec.nodes import KeyNode, MapNode, Node, ScalarNode, SeqNode


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word`` (case-insensitively as a fallback), if any is close."""
    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        matches = [lowered[m] for m in matches]
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A ``did you mean 'x'?`` hint for the closest candidate, if any is close."""
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else None


def describe(node: Node) -> str:
    return node.kind


@dataclass
class Context:
    bag: DiagnosticBag = field(default_factory=DiagnosticBag)

    def error(self, location: Location, code: str, message: str, hint: str | None = None) -> None:
        self.bag.error(location, code, message, hint)

    def check_keys(self, node: MapNode, allowed: Iterable[str], where: str) -> None:
        """Report every key of ``node`` not in ``allowed``, with a suggestion."""
        allowed_keys = tuple(allowed)
        for key, _ in node.entries:
            if key.text not in allowed_keys:
                self.error(
                    key.location,
                    "unknown-key",
                    f"unknown key '{key.text}' {where}",
                    did_you_mean(key.text, allowed_keys),
                )

    def mapping(self, node: Node, what: str) -> MapNode | None:
        if isinstance(node, MapNode):
            return node
        self.error(
            node.location, "expected-mapping", f"{what} must be a mapping, found {describe(node)}"
        )
        return None

    def sequence(self, node: Node, what: str) -> SeqNode | None:
        if isinstance(node, SeqNode):
            return node
        self.error(node.location, "expected-list", f"{what} must be a list, found {describe(node)}")
        return None

    def string(self, node: Node, what: str) -> str | None:
        if isinstance(node, ScalarNode) and isinstance(node.value, str):
            return node.value
        self.error(
            node.location, "expected-string", f"{what} must be a string, found {describe(node)}"
        )
        return None

    def boolean(self, node: Node, what: str) -> bool | None:
        if isinstance(node, ScalarNode) and isinstance(node.value, bool):
            return node.value
        self.error(
            node.location, "expected-bool", f"{what} must be true or false, found {describe(node)}"
        )
        return None

    def number(self, node: Node, what: str) -> int | float | None:
        value = node.value if isinstance(node, ScalarNode) else None
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return value
        found = str(value) if isinstance(value, float) else describe(node)
        self.error(
            node.location, "expected-number", f"{what} must be a finite number, found {found}"
        )
        return None

    def count(self, node: Node, what: str) -> int | None:
        value = node.value if isinstance(node, ScalarNode) else None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        found = (
            f"{value}"
            if isinstance(value, int | float) and not isinstance(value, bool)
            else describe(node)
        )
        self.error(
            node.location, "expected-count", f"{what} must be a whole number >= 0, found {found}"
        )
        return None


@dataclass(frozen=True)
class Declared:
    """A named declaration (enum, embedded type or model) before it is resolved."""

    kind: str
    """``enum``, ``embedded type`` or ``model``."""
    name: str
    key: KeyNode
    node: Node
    source: str
