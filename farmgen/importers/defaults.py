"""Defaults an importer read that the spec cannot hold, dropped with a warning each.

A default is checked by the resolver itself (the same rules as a native spec: an
embedded default needs every required field, an enum default is one of its values,
constraints hold). Each default's nodes carry a location of their own, so a
``bad-default`` error leads back to the field; the field then imports without it.
Dropping a default can make another one invalid (an embedded type's field loses its
default and becomes required), so the check repeats until every default resolves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from farmgen.diagnostics import Diagnostic, DiagnosticBag, Location
from farmgen.importers.specdata import FieldSpec, SpecData
from farmgen.spec.nodes import KeyNode, MapNode, Node, SeqNode

__all__ = ["drop_invalid_defaults", "warning_into"]

_TAG = "<import default>"
_SECTIONS = ("embedded", "models")

Report = Callable[[str, FieldSpec, Diagnostic], None]
"""Called with ``Type.field``, the field (its default already dropped) and the error."""


def drop_invalid_defaults(spec: SpecData, report: Report) -> None:
    """Remove from ``spec`` every default the resolver rejects, reporting each one."""
    while True:
        bad = _invalid_defaults(spec)
        if not bad:
            return
        for label, field, diagnostic in bad:
            field.attrs.pop("default", None)
            report(label, field, diagnostic)


def warning_into(bag: DiagnosticBag, code: str, display: str) -> Report:
    """A reporter adding a warning to ``bag`` at the field's source (else at ``display``)."""

    def report(label: str, field: FieldSpec, error: Diagnostic) -> None:
        where = field.source or Location(display)
        bag.warning(where, code, f"{error.message}; imported without a default")

    return report


def _defaults(spec: SpecData) -> list[tuple[str, str, str, FieldSpec]]:
    """(section, type name, field name, field) of every field with a default."""
    found: list[tuple[str, str, str, FieldSpec]] = []
    for section, owners in (("embedded", spec.embedded), ("models", spec.models)):
        for owner in owners.values():
            for name, field in owner.fields.items():
                if field.attrs.get("default") is not None:
                    found.append((section, owner.name, name, field))
    return found


def _invalid_defaults(spec: SpecData) -> list[tuple[str, FieldSpec, Diagnostic]]:
    from farmgen.resolve import resolve_with_diagnostics
    from farmgen.spec.nodes import RawDocument
    from farmgen.spec.source import document_from_data

    with_defaults = _defaults(spec)
    if not with_defaults:
        return []
    document = document_from_data(spec.to_data(), _TAG)
    if document.root is None:
        return []
    places = {(s, o, n): i for i, (s, o, n, _) in enumerate(with_defaults, start=1)}
    root = _relocate_defaults(document.root, places)
    _, diagnostics = resolve_with_diagnostics([RawDocument(_TAG, root)])
    bad: dict[int, Diagnostic] = {}
    for diagnostic in diagnostics:
        where = diagnostic.location
        if diagnostic.code == "bad-default" and where.path == _TAG and where.line > 0:
            bad.setdefault(where.line, diagnostic)
    return [
        (f"{owner}.{name}", field, bad[index])
        for index, (_, owner, name, field) in enumerate(with_defaults, start=1)
        if index in bad
    ]


def _relocate_defaults(root: Node, places: dict[tuple[str, str, str], int]) -> Node:
    """``root`` with the nodes of each default at ``<import default>:N`` (N from ``places``)."""

    def fields_of(section: str, owner: str, node: Node) -> Node:
        def field(name: str, value: Node) -> Node:
            line = places.get((section, owner, name))
            where = Location(_TAG, line or 0, 1)
            return _map_values(
                value, lambda k, v: _relocated(v, where) if k == "default" and line else v
            )

        return _map_values(node, lambda k, v: _map_values(v, field) if k == "fields" else v)

    def types_of(section: str, node: Node) -> Node:
        return _map_values(node, lambda owner, value: fields_of(section, owner, value))

    return _map_values(root, lambda k, v: types_of(k, v) if k in _SECTIONS else v)


def _map_values(node: Node, change: Callable[[str, Node], Node]) -> Node:
    if not isinstance(node, MapNode):
        return node
    return replace(node, entries=tuple((k, change(k.text, v)) for k, v in node.entries))


def _relocated(node: Node, where: Location) -> Node:
    if isinstance(node, MapNode):
        entries = tuple((KeyNode(k.text, where), _relocated(v, where)) for k, v in node.entries)
        return MapNode(entries, where)
    if isinstance(node, SeqNode):
        return SeqNode(tuple(_relocated(v, where) for v in node.items), where)
    return replace(node, location=where)
