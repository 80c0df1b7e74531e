"""Resolve one field (short form ``name: type`` or a mapping) into an IR :class:`Field`.

Defaults are checked later (:mod:`farmgen.resolve.defaults`), once every embedded
type and enum is known; a field leaves here as a :class:`PendingField`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from typing import NamedTuple

from farmgen.ir import names
from farmgen.ir.model import Constraints, Default, Field, OnDelete
from farmgen.ir.types import (
    NUMERIC,
    STRING_LIKE,
    DictOf,
    EmbeddedRef,
    FieldType,
    ListOf,
    ModelRef,
    Scalar,
    ScalarKind,
    render_type,
)
from farmgen.resolve.context import Context, did_you_mean
from farmgen.resolve.fastfield import new_field, renamed
from farmgen.resolve.patterns import PATTERN_HINT, pydantic_pattern_problem
from farmgen.resolve.sqllimits import in_int64
from farmgen.resolve.types import TypeScope, resolve_type
from farmgen.spec.keys import FIELD_KEYS
from farmgen.spec.nodes import KeyNode, MapNode, Node, ScalarNode, SeqNode

ON_DELETE_VALUES = tuple(o.value for o in OnDelete)
_UNINDEXABLE = frozenset({ScalarKind.JSON, ScalarKind.BYTES, ScalarKind.TEXT})


MODEL_CONSTRUCTOR_NAMES = frozenset({"self"})
"""Stored names ``beanie.Document.__init__(self, *args, **kwargs)`` cannot receive."""

NULL_DEFAULT = Default.of(None)
"""The default of an optional field that declares none."""

_FIELD_KEY_SET = frozenset(FIELD_KEYS)
_NO_CONSTRAINTS = Constraints()
_CONSTRAINT_KEYS = frozenset({"min", "max", "min_length", "max_length", "pattern"})
_FLAG_KEYS = frozenset({"unique", "index", "private", "description", "renamed_from"})


class PendingField(NamedTuple):
    """A resolved field whose ``default`` (if it has one) is not checked yet.

    A named tuple rather than a dataclass: one is built per field, and this is cheaper.
    """

    field: Field
    default_node: Node | None


@lru_cache(maxsize=4096)
def field_name_problem(name: str, in_model: bool) -> str | None:
    if not names.is_identifier(name):
        return "is not a valid identifier"
    if in_model and name in names.PRIMARY_KEY_NAMES:
        return "is reserved for the primary key"
    if in_model and name in MODEL_CONSTRUCTOR_NAMES:
        return "is reserved: a Beanie document's constructor takes it as a parameter"
    if name.startswith("_"):
        return "must not start with '_'"
    return None


@dataclass
class FieldResolver:
    ctx: Context
    scope: TypeScope
    in_model: bool
    _types: dict[str, tuple[FieldType, bool]] = dataclass_field(
        default_factory=dict, init=False, repr=False
    )
    """Type expressions resolved without error so far (specs repeat them a lot)."""
    _short: dict[str, Field] = dataclass_field(default_factory=dict, init=False, repr=False)
    """Fields written as a type expression, by their text (their name and place aside)."""
    _mappings: dict[tuple[object, ...], Field] = dataclass_field(
        default_factory=dict, init=False, repr=False
    )
    """Fields resolved from a mapping without any diagnostic, by :func:`_signature`."""

    def type_of(self, node: ScalarNode, label: str) -> tuple[FieldType, bool] | None:
        """:func:`resolve_type` of ``node``, reusing an earlier success for the same text.

        Only successes are kept: they depend on the text alone (the scope is fixed),
        while a failure is reported, with its position, each time it occurs.
        """
        text = str(node.value)
        found = self._types.get(text)
        if found is None:
            found = resolve_type(self.ctx, self.scope, node, owner=label, in_model=self.in_model)
            if found is not None:
                self._types[text] = found
        return found

    def resolve(self, owner: str, key: KeyNode, node: Node) -> PendingField | None:
        label = f"{owner}.{key.text}"
        problem = field_name_problem(key.text, self.in_model)
        if problem:
            self.ctx.error(
                key.location, "bad-field-name", f"field name '{key.text}' {problem} ({owner})"
            )
            return None
        if isinstance(node, ScalarNode) and isinstance(node.value, str):
            known = self._short.get(node.value)
            if known is not None:
                return PendingField(renamed(known, key.text, key.location), None)
            resolved = self.type_of(node, label)
            if resolved is None:
                return None
            ftype, optional = resolved
            field = self.base_field(key, ftype, optional, _NO_CONSTRAINTS)
            self._short[node.value] = field
            return PendingField(field, None)
        if not isinstance(node, MapNode):
            self.ctx.error(
                node.location,
                "bad-field",
                f"field {label} must be a type string or a mapping, found {node.kind}",
                _list_hint(node),
            )
            return None
        return self.from_mapping(label, key, node)

    def base_field(
        self, key: KeyNode, ftype: FieldType, optional: bool, constraints: Constraints
    ) -> Field:
        return new_field(
            name=key.text,
            type=ftype,
            optional=optional,
            default=NULL_DEFAULT if optional else None,
            constraints=constraints,
            on_delete=default_on_delete(ftype, optional),
            location=key.location,
        )

    def from_mapping(self, label: str, key: KeyNode, node: MapNode) -> PendingField | None:
        """The field a mapping declares; a mapping written before reuses its result.

        Specs repeat the same field mappings (``{type: string, max_length: 100}``) many
        times. Resolving one depends only on its keys and scalar values (a default's
        value is checked later) and on the field's name and place, so a mapping whose
        resolution reported nothing is resolved once per distinct content.
        """
        signature, default_node = _signature(node)
        if signature is not None:
            known = self._mappings.get(signature)
            if known is not None:
                return PendingField(renamed(known, key.text, key.location), default_node)
        reported = len(self.ctx.bag)
        pending = self.resolve_mapping(label, key, node)
        if signature is not None and pending is not None and len(self.ctx.bag) == reported:
            self._mappings[signature] = pending.field
        return pending

    def resolve_mapping(self, label: str, key: KeyNode, node: MapNode) -> PendingField | None:
        first = node.first_values()
        if not _FIELD_KEY_SET.issuperset(first):
            self.ctx.check_keys(node, FIELD_KEYS, f"in field {label}")
        present = node.present(first) if _has_null(first) else first
        type_node = present.get("type")
        if type_node is None:
            self.ctx.error(node.location, "missing-type", f"field {label} has no 'type'")
            return None
        if isinstance(type_node, SeqNode):
            self.ctx.error(
                type_node.location,
                "expected-string",
                f"the type of {label} must be a string, found a list",
                _list_hint(type_node),
            )
            return None
        if not (isinstance(type_node, ScalarNode) and isinstance(type_node.value, str)):
            self.ctx.string(type_node, f"the type of {label}")  # reports it
            return None
        resolved = self.type_of(type_node, label)
        if resolved is None:
            return None
        ftype, optional = resolved
        default_node = first.get("default")
        field = new_field(
            name=key.text,
            type=ftype,
            optional=optional,
            default=NULL_DEFAULT if optional and default_node is None else None,
            constraints=self.constraints(label, node, present, ftype),
            on_delete=(
                self.on_delete(label, present, ftype, optional)
                if "on_delete" in present
                else default_on_delete(ftype, optional)
            ),
            location=key.location,
            **(self.flags(label, present) if not _FLAG_KEYS.isdisjoint(present) else {}),
        )
        if field.unique or field.index:
            self.check_indexable(label, node, present, field)
        return PendingField(field, default_node)

    def constraints(
        self, label: str, node: MapNode, present: dict[str, Node], ftype: FieldType
    ) -> Constraints:
        """The field's constraints; ``present`` is ``node.present()``."""
        if _CONSTRAINT_KEYS.isdisjoint(present):
            return _NO_CONSTRAINTS
        values: dict[str, object] = {}
        for name in ("min", "max"):
            sub = present.get(name)
            if sub is not None and self.fits(
                node, name, label, ftype, ok=_is_numeric(ftype), kinds="numbers"
            ):
                values[name] = self.ctx.number(sub, f"'{name}' of {label}")
                self.check_int64(sub, values[name], name, label, ftype)
        for name in ("min_length", "max_length"):
            sub = present.get(name)
            if sub is not None and self.fits(
                node, name, label, ftype, ok=_has_length(ftype), kinds="strings and lists"
            ):
                values[name] = self.ctx.count(sub, f"'{name}' of {label}")
        sub = present.get("pattern")
        if sub is not None and self.fits(
            node, "pattern", label, ftype, ok=_is_string(ftype), kinds="strings"
        ):
            values["pattern"] = self.pattern(sub, label)
        constraints = Constraints(**values)  # type: ignore[arg-type]
        self.check_ranges(label, node, constraints)
        return constraints

    def fits(
        self, node: MapNode, key: str, label: str, ftype: FieldType, *, ok: bool, kinds: str
    ) -> bool:
        if not ok:
            key_node = node.key_node(key)
            self.ctx.error(
                key_node.location if key_node else node.location,
                "constraint-type",
                f"'{key}' does not apply to {label} of type {render_type(ftype)} (only to {kinds})",
            )
        return ok

    def pattern(self, node: Node, label: str) -> str | None:
        text = self.ctx.string(node, f"'pattern' of {label}")
        if text is None:
            return None
        try:
            re.compile(text)
        except re.error as exc:
            self.ctx.error(node.location, "bad-pattern", f"invalid pattern for {label}: {exc}")
            return None
        problem = pydantic_pattern_problem(text)
        if problem is not None:
            message = f"pattern for {label} {problem}"
            self.ctx.error(node.location, "bad-pattern", message, PATTERN_HINT)
            return None
        return text

    def check_int64(
        self, node: Node, value: object, key: str, label: str, ftype: FieldType
    ) -> None:
        is_int = ftype == Scalar(ScalarKind.INT) and isinstance(value, int | float)
        if is_int and not in_int64(value):  # type: ignore[arg-type]
            message = f"'{key}' of {label} is outside the 64-bit integer range"
            self.ctx.error(node.location, "int-range", message)

    def check_ranges(self, label: str, node: MapNode, c: Constraints) -> None:
        for low, high in (("min", "max"), ("min_length", "max_length")):
            lo, hi = getattr(c, low), getattr(c, high)
            if lo is not None and hi is not None and lo > hi:
                where = node.key_node(low)
                self.ctx.error(
                    where.location if where else node.location,
                    "empty-range",
                    f"{low} {lo} is greater than {high} {hi} for {label}",
                )

    def flags(self, label: str, present: dict[str, Node]) -> dict[str, object]:
        flags: dict[str, object] = {}
        for name in ("unique", "index", "private"):
            sub = present.get(name)
            if sub is not None:
                flags[name] = bool(self.ctx.boolean(sub, f"'{name}' of {label}"))
        for name in ("description", "renamed_from"):
            sub = present.get(name)
            if sub is not None:
                flags[name] = self.ctx.string(sub, f"'{name}' of {label}")
        return flags

    def on_delete(
        self, label: str, present: dict[str, Node], ftype: FieldType, optional: bool
    ) -> OnDelete | None:
        default = default_on_delete(ftype, optional)
        sub = present.get("on_delete")
        if sub is None:
            return default
        if not isinstance(ftype, ModelRef):
            self.ctx.error(
                sub.location,
                "on-delete-type",
                f"'on_delete' applies only to ref[...] fields ({label})",
            )
            return default
        text = self.ctx.string(sub, f"'on_delete' of {label}")
        if text not in ON_DELETE_VALUES:
            if text is not None:
                self.ctx.error(
                    sub.location,
                    "on-delete-value",
                    f"unknown on_delete '{text}' for {label}",
                    did_you_mean(text, ON_DELETE_VALUES),
                )
            return default
        value = OnDelete(text)
        if value is OnDelete.SET_NULL and not optional:
            self.ctx.error(
                sub.location,
                "set-null-required",
                f"on_delete set_null needs an optional ref: make {label} 'ref[{ftype.name}]?'",
            )
        return value

    def check_indexable(
        self, label: str, node: MapNode, present: dict[str, Node], field: Field
    ) -> None:
        for name in ("unique", "index"):
            if not getattr(field, name):
                continue
            where = (present.get(name) or node).location
            if not self.in_model:
                self.ctx.error(
                    where,
                    "index-in-embedded",
                    f"'{name}' is not allowed on embedded type fields ({label}); "
                    "index it from the model's 'indexes' with a dotted path",
                )
            elif not is_indexable(field.type):
                self.ctx.error(
                    where,
                    "not-indexable",
                    f"{label} of type {render_type(field.type)} cannot be indexed",
                )
            elif name == "unique" and isinstance(field.type, ListOf):
                self.ctx.error(where, "unique-list", f"a list field cannot be unique ({label})")


def _signature(node: MapNode) -> tuple[tuple[object, ...] | None, Node | None]:
    """What resolving a field mapping depends on, and its ``default`` node (if any).

    The signature is None when a value other than the default is not a scalar. A
    default's value is not looked at here (only whether there is one). Types are part
    of each value (``1``, ``1.0`` and ``true`` are equal in Python); floats are taken by
    their ``repr`` (``-0.0`` equals ``0.0``).
    """
    parts: list[object] = []
    default: Node | None = None
    cacheable = True
    for key, value in node.entries:
        text = key.text
        if text == "default":
            parts.append(text)
            if default is None:
                default = value
        elif isinstance(value, ScalarNode):
            scalar = value.value
            kind = type(scalar)
            parts.append((text, kind, repr(scalar) if kind is float else scalar))
        else:
            cacheable = False
    return (tuple(parts) if cacheable else None), default


def _has_null(values: dict[str, Node]) -> bool:
    """Whether a value is an explicit null (a plain loop: cheaper than ``any`` here)."""
    for value in values.values():  # noqa: SIM110
        if isinstance(value, ScalarNode) and value.value is None:
            return True
    return False


def _list_hint(node: Node) -> str | None:
    """``[string]`` looks like a list type: say how to write one."""
    if isinstance(node, SeqNode) and len(node.items) == 1:
        item = node.items[0]
        if isinstance(item, ScalarNode) and isinstance(item.value, str):
            return f'a list type is written "list[{item.value}]"'
    return None


def default_on_delete(ftype: FieldType, optional: bool) -> OnDelete | None:
    """``restrict`` for a required ``ref[M]``, ``set_null`` for an optional one."""
    if isinstance(ftype, ModelRef):
        return OnDelete.SET_NULL if optional else OnDelete.RESTRICT
    return None


def is_indexable(ftype: FieldType) -> bool:
    """Can a plain index hold this type on every target (MongoDB and SQL)?"""
    if isinstance(ftype, Scalar):
        return ftype.kind not in _UNINDEXABLE
    if isinstance(ftype, ListOf):
        return not isinstance(ftype.item, ListOf | DictOf | EmbeddedRef) and is_indexable(
            ftype.item
        )
    return not isinstance(ftype, DictOf | EmbeddedRef)


def _is_numeric(ftype: FieldType) -> bool:
    return isinstance(ftype, Scalar) and ftype.kind in NUMERIC


def _is_string(ftype: FieldType) -> bool:
    return isinstance(ftype, Scalar) and ftype.kind in STRING_LIKE


def _has_length(ftype: FieldType) -> bool:
    return _is_string(ftype) or isinstance(ftype, ListOf)
