"""Enums, embedded types and models: each declaration → IR, defaults still pending."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from farmgen.ir import names
from farmgen.ir.model import MIXIN_NAMES, EnumType, EnumValue, Field, Index, IndexKey, Model
from farmgen.resolve.context import Context, Declared, did_you_mean
from farmgen.resolve.fields import FieldResolver, PendingField
from farmgen.resolve.indexes import SQL_NAME, IndexResolver
from farmgen.resolve.mixins import SEARCH_FIELD, mixin_fields
from farmgen.resolve.paths import PathError, resolve_path
from farmgen.spec.keys import EMBEDDED_KEYS, ENUM_KEYS, MODEL_KEYS
from farmgen.spec.nodes import MapNode, Node, ScalarNode, SeqNode


@lru_cache(maxsize=4096)
def _python_attr(name: str) -> str:
    """The Python attribute a field name becomes (after NFKC, as Python reads names)."""
    return names.python_attr(unicodedata.normalize("NFKC", name))


def _optional_string(ctx: Context, node: MapNode, key: str, what: str) -> str | None:
    sub = node.value(key)
    return ctx.string(sub, f"'{key}' of {what}") if sub is not None else None


def resolve_enum(ctx: Context, decl: Declared) -> EnumType | None:
    node, description = decl.node, None
    if isinstance(node, MapNode):
        ctx.check_keys(node, ENUM_KEYS, f"in enum {decl.name}")
        description = _optional_string(ctx, node, "description", f"enum {decl.name}")
        values_node = node.value("values")
        if values_node is None:
            ctx.error(node.location, "enum-values", f"enum {decl.name} has no 'values'")
            return None
        node = values_node
    seq = ctx.sequence(node, f"enum {decl.name}")
    if seq is None:
        return None
    if not seq.items:
        ctx.error(seq.location, "enum-empty", f"enum {decl.name} has no values")
        return None
    values = _enum_values(ctx, decl.name, seq)
    if values is None:
        return None
    return EnumType(decl.name, values, description, decl.source, decl.key.location)


def _enum_values(ctx: Context, enum: str, seq: SeqNode) -> tuple[EnumValue, ...] | None:
    values: list[EnumValue] = []
    members: dict[str, EnumValue] = {}
    ok = True
    for item in seq.items:
        text = item.value if isinstance(item, ScalarNode) else None
        if not isinstance(text, str):
            _non_string_value(ctx, enum, item)
            ok = False
            continue
        member = names.enum_member_name(text)
        clash = members.get(member)
        if clash is not None:
            what = (
                f"value '{text}' is repeated"
                if clash.value == text
                else f"values '{clash.value}' and '{text}' both become the member {member}"
            )
            ctx.error(
                item.location, "enum-duplicate", f"enum {enum}: {what} (first at {clash.location})"
            )
            ok = False
            continue
        value = EnumValue(text, member, item.location)
        members[member] = value
        values.append(value)
    return tuple(values) if ok else None


def _non_string_value(ctx: Context, enum: str, item: Node) -> None:
    hint = None
    if isinstance(item, ScalarNode) and item.value is not None:
        hint = f"quote it: '{item.raw if item.raw is not None else item.value}'"
    shown = "null" if isinstance(item, ScalarNode) and item.value is None else item.kind
    ctx.error(
        item.location, "enum-value", f"values of enum {enum} must be strings, found {shown}", hint
    )


@dataclass(frozen=True)
class PendingEmbedded:
    decl: Declared
    fields: tuple[PendingField, ...]
    description: str | None


def resolve_embedded(ctx: Context, decl: Declared, fields: FieldResolver) -> PendingEmbedded | None:
    node = ctx.mapping(decl.node, f"embedded type {decl.name}")
    if node is None:
        return None
    ctx.check_keys(node, EMBEDDED_KEYS, f"in embedded type {decl.name}")
    fields_node = node.value("fields")
    if fields_node is None:
        ctx.error(node.location, "embedded-fields", f"embedded type {decl.name} has no 'fields'")
        return None
    pending = _resolve_fields(ctx, decl.name, fields_node, fields)
    description = _optional_string(ctx, node, "description", f"embedded type {decl.name}")
    return PendingEmbedded(decl, pending, description)


def _resolve_fields(
    ctx: Context, owner: str, node: Node, resolver: FieldResolver
) -> tuple[PendingField, ...]:
    if isinstance(node, ScalarNode) and node.value is None:
        return ()
    mapping = ctx.mapping(node, f"'fields' of {owner}")
    if mapping is None:
        return ()
    found = [resolver.resolve(owner, key, value) for key, value in mapping.first_entries()]
    return tuple(f for f in found if f is not None)


@dataclass(frozen=True)
class PendingModel:
    model: Model
    fields: tuple[PendingField, ...]
    """The model's own fields (mixin fields are complete in ``model.fields``)."""


@dataclass
class ModelResolver:
    ctx: Context
    fields: FieldResolver
    embedded_fields: Mapping[str, Mapping[str, Field]]

    def resolve(self, decl: Declared) -> PendingModel | None:
        node = self.ctx.mapping(decl.node, f"model {decl.name}")
        if node is None:
            return None
        self.ctx.check_keys(node, MODEL_KEYS, f"in model {decl.name}")
        collection = self.collection(decl, node)
        own = _resolve_fields(
            self.ctx, decl.name, node.value("fields") or MapNode((), node.location), self.fields
        )
        mixins, extra = self.mixins(decl.name, node.value("mixins"))
        all_fields = self.merge_fields(decl.name, [p.field for p in own], extra)
        field_map = {f.name: f for f in all_fields}
        search = self.search(decl.name, node.value("search"), mixins, field_map)
        if "searchable" in mixins and not search and node.value("search") is None:
            self.ctx.bag.warning(
                decl.key.location,
                "search-empty",
                f"model {decl.name} has the searchable mixin but no 'search' fields",
                "list the fields its search text covers in 'search'",
            )
        indexes = self.field_indexes(collection, all_fields, mixins)
        index_node = node.value("indexes")
        if index_node is not None:
            resolver = IndexResolver(
                self.ctx, decl.name, collection, field_map, self.embedded_fields
            )
            indexes.extend(resolver.resolve_all(index_node))
        model = Model(
            name=decl.name,
            collection=collection,
            fields=tuple(all_fields),
            mixins=mixins,
            search=search,
            indexes=tuple(indexes),
            renamed_from=self.renamed_from(decl, node),
            description=_optional_string(self.ctx, node, "description", f"model {decl.name}"),
            source=decl.source,
            location=decl.key.location,
        )
        return PendingModel(model, own)

    def collection(self, decl: Declared, node: MapNode) -> str:
        sub = node.value("collection")
        default = names.collection_name(decl.name)
        if sub is None:
            return default
        text = self.ctx.string(sub, f"'collection' of {decl.name}")
        if text is None:
            return default
        if not SQL_NAME.fullmatch(text) or len(text) > names.MAX_IDENTIFIER_LENGTH:
            self.ctx.error(
                sub.location,
                "collection-name",
                f"collection name '{text}' of {decl.name} must be letters, digits and '_' "
                f"(at most {names.MAX_IDENTIFIER_LENGTH} characters), not starting with a digit",
            )
        return text

    def renamed_from(self, decl: Declared, node: MapNode) -> str | None:
        text = _optional_string(self.ctx, node, "renamed_from", f"model {decl.name}")
        if text is not None and not names.is_identifier(text):
            sub = node.value("renamed_from") or node
            self.ctx.error(
                sub.location,
                "bad-name",
                f"renamed_from '{text}' of {decl.name} is not a valid identifier",
            )
        return text

    def mixins(self, model: str, node: Node | None) -> tuple[tuple[str, ...], list[Field]]:
        if node is None:
            return (), []
        seq = self.ctx.sequence(node, f"'mixins' of {model}")
        if seq is None:
            return (), []
        where: dict[str, Node] = {}
        for item in seq.items:
            name = item.value if isinstance(item, ScalarNode) else None
            if not isinstance(name, str):
                self.ctx.string(item, f"a mixin of {model}")  # reports it
                continue
            if name not in MIXIN_NAMES:
                self.ctx.error(
                    item.location,
                    "unknown-mixin",
                    f"unknown mixin '{name}' for {model}",
                    did_you_mean(name, MIXIN_NAMES),
                )
            elif name in where:
                self.ctx.error(
                    item.location, "duplicate-mixin", f"mixin '{name}' is listed twice for {model}"
                )
            else:
                where[name] = item
        ordered = tuple(m for m in MIXIN_NAMES if m in where)
        extra = [f for m in ordered for f in mixin_fields(m, where[m].location)]
        return ordered, extra

    def merge_fields(self, model: str, own: list[Field], extra: list[Field]) -> list[Field]:
        by_name = {f.name: f for f in own}
        kept = list(own)
        for field in extra:
            clash = by_name.get(field.name)
            if clash is not None:
                self.ctx.error(
                    clash.location,
                    "mixin-clash",
                    f"field {model}.{field.name} clashes with the {field.mixin} mixin's field "
                    "of that name",
                )
                continue
            kept.append(field)
        attrs: dict[str, Field] = {}
        for field in kept:
            attr = _python_attr(field.name)
            other = attrs.get(attr)
            if other is not None:
                self.ctx.error(
                    field.location,
                    "attr-clash",
                    f"fields {model}.{other.name} and {model}.{field.name} both become the Python "
                    f"attribute '{attr}'",
                )
            attrs[attr] = field
        return kept

    def search(
        self, model: str, node: Node | None, mixins: tuple[str, ...], fields: Mapping[str, Field]
    ) -> tuple[str, ...]:
        if node is None:
            return ()
        seq = self.ctx.sequence(node, f"'search' of {model}")
        if seq is None:
            return ()
        if "searchable" not in mixins:
            self.ctx.error(
                node.location, "search-mixin", f"'search' of {model} needs the searchable mixin"
            )
        paths: list[str] = []
        for item in seq.items:
            path = self.ctx.string(item, f"a search field of {model}")
            if path is None:
                continue
            try:
                resolve_path(path, model, fields, self.embedded_fields)
            except PathError as exc:
                self.ctx.error(
                    item.location, "search-path", f"unknown search field: {exc.message}", exc.hint
                )
                continue
            paths.append(path)
        return tuple(paths)

    def field_indexes(
        self, collection: str, fields: list[Field], mixins: tuple[str, ...]
    ) -> list[Index]:
        indexes = [
            Index(
                names.index_name(collection, (f.name,), f.unique),
                (IndexKey(f.name),),
                unique=f.unique,
                from_field=True,
                location=f.location,
            )
            for f in fields
            if f.unique or f.index
        ]
        if "searchable" in mixins:
            location = next(f.location for f in fields if f.mixin == "searchable")
            name = names.index_name(collection, (SEARCH_FIELD,), False)
            indexes.append(Index(name, (IndexKey(SEARCH_FIELD),), text=True, location=location))
        return indexes
