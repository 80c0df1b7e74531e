"""Relationships of the SQLAlchemy target, worked out from the IR's references.

``ref[M]`` is a foreign-key column ``<field>_id`` plus a many-to-one relationship;
``list[ref[M]]`` is an association table with a composite primary key and a
relationship through it. The reverse side is declared (with ``back_populates``)
when it is unambiguous: not self-referencing, the only reference between the two
models, and its name (the referencing model's table name, or its snake-case name
for a one-to-one) is free on the other model.

When more than one foreign key joins two tables (in either direction, e.g.
``Org.owner: ref[User]`` and ``User.org: ref[Org]``) both sides of each
relationship name their column with ``foreign_keys``. A self-referencing
many-to-many relationship spells out its ``primaryjoin`` and ``secondaryjoin``
(both columns of its association table point at the same table). An optional
reference inside a cycle of references between models is written after the
rows exist (``post_update``), so rows that point at each other can be inserted.
Every foreign key on such a cycle is created after the tables (``use_alter``, as
``farmgen.runtime.sqlschema`` does), so the tables can be sorted for create and drop.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from farmgen.ir import Field, ListOf, Model, ModelRef, Schema
from farmgen.ir.names import snake_case
from farmgen.runtime.schema_state import edges_on_cycles
from farmgen.targets.python import attr_name


@dataclass(frozen=True)
class Relation:
    model: Model
    field: Field
    target: Model
    many_to_many: bool
    one_to_one: bool
    reverse: str | None
    """The attribute on ``target`` that points back, or None when there is none."""
    shared: bool = False
    """Another foreign key joins the same two tables: ``foreign_keys`` must say which."""
    post_update: bool = False
    """An optional reference in a cycle of references: set by a second statement."""
    use_alter: bool = False
    """A reference on a cycle of references: its foreign key is added after the tables."""

    @property
    def attr(self) -> str:
        return attr_name(self.field.name)

    @property
    def column(self) -> str:
        return fk_column(self.field)

    @property
    def self_referencing(self) -> bool:
        return self.model.name == self.target.name

    @property
    def secondary(self) -> str:
        return association_table(self.model, self.field)


def fk_column(field: Field) -> str:
    return f"{field.name}_id"


def association_table(model: Model, field: Field) -> str:
    return f"{model.collection}_{field.name}"


def association_columns(model: Model, field: Field, target: Model) -> tuple[str, str]:
    left = f"{snake_case(model.name)}_id"
    right = f"{snake_case(target.name)}_id"
    if left == right:
        right = f"{field.name}_id"
    return left, right


def _taken(model: Model) -> set[str]:
    names = {"id", "metadata", "registry"}
    for f in model.fields:
        names.add(attr_name(f.name))
        if isinstance(f.type, ModelRef) and f.type.name:  # a foreign-key column
            names.add(attr_name(fk_column(f)))
    return names


def _references(schema: Schema) -> list[tuple[Model, Field, str]]:
    """(model, field, referenced model) of every reference, in model and field order."""
    found: list[tuple[Model, Field, str]] = []
    for m in schema.models:
        for f in m.fields:
            t = f.type
            if isinstance(t, ListOf):
                t = t.item
            if isinstance(t, ModelRef) and t.name:  # ``Field.ref_target``, without a match
                found.append((m, f, t.name))
    return found


def _foreign_key_paths(refs: list[tuple[Model, Field, str]]) -> Counter[frozenset[str]]:
    """How many foreign-key columns join each pair of models, in either direction."""
    return Counter(frozenset((m.name, t)) for m, f, t in refs if not f.is_many_to_many)


def _cyclic(schema: Schema, refs: list[tuple[Model, Field, str]]) -> set[tuple[str, str]]:
    """(model, target) of foreign-key references that lie on a cycle between models."""
    edges: dict[str, set[str]] = {m.name: set() for m in schema.models}
    for m, f, target in refs:
        if not f.is_many_to_many and target != m.name:
            edges[m.name].add(target)

    return edges_on_cycles(edges)


def relations(schema: Schema) -> list[Relation]:
    """Every reference in the schema, in model and field order, with its reverse name."""
    refs = _references(schema)
    paths = _foreign_key_paths(refs)
    cyclic = _cyclic(schema, refs)
    pairs = Counter((m.name, t) for m, _, t in refs)
    found: list[tuple[Model, Field, Model, str | None]] = []
    for model, field, target_name in refs:
        target = schema.model(target_name)
        one_to_one = field.unique and not field.is_many_to_many
        reverse: str | None = snake_case(model.name) if one_to_one else model.collection
        if model.name == target.name or pairs[(model.name, target.name)] > 1:
            reverse = None
        found.append((model, field, target, reverse))
    reverse_counts = Counter((t.name, r) for _, _, t, r in found if r)
    taken: dict[str, set[str]] = {}
    result = []
    for model, field, target, wanted in found:
        clash = False
        if wanted:
            if target.name not in taken:
                taken[target.name] = _taken(target)
            clash = reverse_counts[(target.name, wanted)] > 1 or wanted in taken[target.name]
        reverse = None if clash else wanted
        one_to_one = field.unique and not field.is_many_to_many
        shared = not field.is_many_to_many and paths[frozenset((model.name, target.name))] > 1
        on_cycle = (model.name, target.name) in cyclic and not field.is_many_to_many
        result.append(
            Relation(
                model,
                field,
                target,
                field.is_many_to_many,
                one_to_one,
                reverse,
                shared,
                on_cycle and field.optional,
                on_cycle,
            )
        )
    return result
