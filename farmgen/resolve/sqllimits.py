"""Limits of the SQL databases that a spec can run into: index key length and 64-bit ints.

Index key length: MySQL/MariaDB (InnoDB, ``utf8mb4``) refuse an index whose columns
add up to more than :data:`MAX_INDEX_KEY_BYTES` (3072) bytes (error 1071), counting
4 bytes per character of a ``VARCHAR``. A string's length is its ``max_length``;
without one an e-mail is 320 characters and an indexed string 255 (the lengths of
``farmgen.runtime.sqlschema``). An index over longer columns is reported here,
naming the index and its byte total; the fix is a ``max_length`` on its strings.

Integers are 64-bit everywhere (``BIGINT`` in SQL), so an ``int`` default, ``min``
or ``max`` outside :data:`INT64_MIN`..:data:`INT64_MAX` is an error.

A cycle of required references between models (``Team.captain: ref[Player]``,
``Player.team: ref[Team]``) is a warning: SQL foreign keys are NOT NULL there, so no
row of the cycle can be inserted first (an optional one is written after the rows, see
``farmgen.targets.sql_relations``).
"""

from __future__ import annotations

from collections.abc import Sequence

from farmgen.ir.model import Field, Index, Model
from farmgen.ir.types import EnumRef, ModelRef, Scalar, ScalarKind
from farmgen.resolve.context import Context

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_INDEX_KEY_BYTES = 3072
"""InnoDB's largest index key (``DYNAMIC`` rows, 16 KiB pages)."""
BYTES_PER_CHAR = 4
"""``utf8mb4``: up to 4 bytes per character."""
DEFAULT_STRING_LENGTH = 255
EMAIL_LENGTH = 320
_NATURAL_LENGTH = {ScalarKind.EMAIL: EMAIL_LENGTH, ScalarKind.OBJECTID: 24}
_FIXED_BYTES = {
    ScalarKind.INT: 8,
    ScalarKind.FLOAT: 8,
    ScalarKind.DECIMAL: 18,
    ScalarKind.BOOL: 1,
    ScalarKind.DATE: 3,
    ScalarKind.DATETIME: 8,
    ScalarKind.TIME: 6,
    ScalarKind.UUID: 32 * BYTES_PER_CHAR,  # CHAR(32) where there is no UUID type
}
_STRINGS = frozenset({ScalarKind.STRING, ScalarKind.EMAIL, ScalarKind.URL, ScalarKind.OBJECTID})


def in_int64(value: float) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def key_bytes(field: Field) -> int:
    """The most bytes ``field``'s column takes in an index key on MySQL/MariaDB."""
    t = field.type
    if isinstance(t, Scalar) and t.kind in _STRINGS:
        length = field.constraints.max_length or _NATURAL_LENGTH.get(t.kind)
        return (length or DEFAULT_STRING_LENGTH) * BYTES_PER_CHAR
    if isinstance(t, Scalar):
        return _FIXED_BYTES.get(t.kind, 0)
    if isinstance(t, ModelRef):
        return _FIXED_BYTES[ScalarKind.UUID]
    if isinstance(t, EnumRef):
        return 2
    return 0


def index_key_bytes(model: Model, index: Index) -> int | None:
    """The key length of ``index`` in bytes; None when SQL does not create it."""
    if index.text:
        return None
    total = 0
    for key in index.keys:
        field = model.field_map.get(key.path)
        if field is None or field.is_many_to_many:
            return None
        if isinstance(field.type, Scalar) and field.type.kind in (
            ScalarKind.TEXT,
            ScalarKind.BYTES,
            ScalarKind.JSON,
        ):
            return None
        if not isinstance(field.type, Scalar | ModelRef | EnumRef):
            return None  # JSON columns: MongoDB-only indexes
        total += key_bytes(field)
    return total


def check_index_key_lengths(ctx: Context, models: Sequence[Model]) -> None:
    """An error for each index longer than MySQL/MariaDB accept."""
    for model in models:
        for index in model.indexes:
            total = index_key_bytes(model, index)
            if total is None or total <= MAX_INDEX_KEY_BYTES:
                continue
            ctx.error(
                index.location if index.location.line else model.location,
                "index-too-long",
                f"index '{index.name}' of model {model.name} is {total} bytes long on "
                f"MySQL/MariaDB (utf8mb4: {BYTES_PER_CHAR} bytes per character), more "
                f"than the {MAX_INDEX_KEY_BYTES} bytes an index key may have",
                "set max_length on its string fields (an e-mail defaults to 320 characters, "
                "an indexed string without max_length to 255)",
            )


def _required_refs(models: Sequence[Model]) -> dict[str, list[Field]]:
    """Each model's required single references to another model."""
    edges: dict[str, list[Field]] = {}
    for m in models:
        refs: list[Field] = []
        for f in m.fields:
            if f.optional:
                continue
            target = f.ref_target
            if target and target != m.name and not f.is_many_to_many:
                refs.append(f)
        edges[m.name] = refs
    return edges


def _cycle_from(start: str, edges: dict[str, list[Field]]) -> list[tuple[str, Field]] | None:
    """A cycle of required references back to ``start`` (depth first), or None."""
    stack: list[tuple[str, list[tuple[str, Field]]]] = [(start, [])]
    seen: set[str] = set()
    while stack:
        name, path = stack.pop()
        for field in edges.get(name, []):
            step = [*path, (name, field)]
            if field.ref_target == start:
                return step
            if field.ref_target and field.ref_target not in seen:
                seen.add(field.ref_target)
                stack.append((field.ref_target, step))
    return None


def check_required_cycles(ctx: Context, models: Sequence[Model]) -> None:
    """A warning for each cycle of required references between models: SQL foreign keys
    are NOT NULL there, so no row of the cycle can be inserted first."""
    edges = _required_refs(models)
    reported: set[frozenset[str]] = set()
    for model in models:
        cycle = _cycle_from(model.name, edges)
        if cycle is None or frozenset(n for n, _ in cycle) in reported:
            continue
        reported.add(frozenset(n for n, _ in cycle))
        refs = ", ".join(f"{n}.{f.name}" for n, f in cycle)
        ctx.bag.warning(
            cycle[0][1].location,
            "required-ref-cycle",
            f"required references form a cycle ({refs}): in SQL no row of it can be inserted first",
            "make one of them optional (ref[...]?)",
        )
