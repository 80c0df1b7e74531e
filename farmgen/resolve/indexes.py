"""A model's ``indexes`` entries → IR :class:`Index` values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from farmgen.ir import names
from farmgen.ir.model import Field, Index, IndexKey
from farmgen.ir.types import render_type
from farmgen.resolve.context import Context, did_you_mean
from farmgen.resolve.fields import is_indexable
from farmgen.resolve.paths import PathError, resolve_path
from farmgen.spec.keys import INDEX_KEYS
from farmgen.spec.nodes import MapNode, Node, ScalarNode, SeqNode

SQL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DIRECTIONS = ("asc", "desc")


@dataclass
class IndexResolver:
    ctx: Context
    model: str
    collection: str
    fields: Mapping[str, Field]
    embedded: Mapping[str, Mapping[str, Field]]

    def resolve_all(self, node: Node) -> list[Index]:
        seq = self.ctx.sequence(node, f"'indexes' of {self.model}")
        if seq is None:
            return []
        found = [self.entry(item, n + 1) for n, item in enumerate(seq.items)]
        return [index for index in found if index is not None]

    def entry(self, node: Node, number: int) -> Index | None:
        where = f"index {number} of {self.model}"
        if isinstance(node, ScalarNode):
            key = self.key(node, where)
            return self.build([key] if key else None, False, None, node)
        if isinstance(node, SeqNode):
            return self.build(self.keys(node, where), False, None, node)
        if not isinstance(node, MapNode):  # pragma: no cover - the node union is closed
            return None
        self.ctx.check_keys(node, INDEX_KEYS, f"in {where}")
        fields_node = node.value("fields")
        if fields_node is None:
            self.ctx.error(node.location, "index-fields", f"{where} has no 'fields'")
            return None
        seq = self.ctx.sequence(fields_node, f"'fields' of {where}")
        unique_node = node.value("unique")
        unique = bool(
            unique_node is not None and self.ctx.boolean(unique_node, f"'unique' of {where}")
        )
        name_node = node.value("name")
        name = self.index_name(name_node, where) if name_node is not None else None
        return self.build(self.keys(seq, where) if seq else None, unique, name, node)

    def index_name(self, node: Node, where: str) -> str | None:
        text = self.ctx.string(node, f"'name' of {where}")
        if text is None:
            return None
        if not SQL_NAME.fullmatch(text) or len(text) > names.MAX_IDENTIFIER_LENGTH:
            self.ctx.error(
                node.location,
                "index-name",
                f"index name '{text}' must be letters, digits and '_' (at most "
                f"{names.MAX_IDENTIFIER_LENGTH} characters), not starting with a digit",
            )
            return None
        return text

    def keys(self, seq: SeqNode, where: str) -> list[IndexKey] | None:
        if not seq.items:
            self.ctx.error(seq.location, "index-empty", f"{where} has no fields")
            return None
        keys = [self.key(item, where) for item in seq.items]
        if any(k is None for k in keys):
            return None
        paths = [k.path for k in keys if k]
        for item, path in zip(seq.items, paths, strict=True):
            if paths.count(path) > 1:
                self.ctx.error(item.location, "index-repeat", f"'{path}' appears twice in {where}")
                return None
        return [k for k in keys if k]

    def key(self, node: Node, where: str) -> IndexKey | None:
        if isinstance(node, MapNode) and len(node.entries) == 1:
            key, value = node.entries[0]
            direction = value.value if isinstance(value, ScalarNode) else None
            if direction not in DIRECTIONS:
                self.ctx.error(
                    value.location,
                    "index-direction",
                    f"index direction for '{key.text}' in {where} must be asc or desc",
                    (
                        did_you_mean(str(direction), DIRECTIONS)
                        if isinstance(direction, str)
                        else None
                    ),
                )
                return None
            return self.checked(key.text, node, where, descending=direction == "desc")
        if isinstance(node, ScalarNode) and isinstance(node.value, str):
            return self.checked(node.value, node, where, descending=False)
        self.ctx.error(
            node.location,
            "index-key",
            f"a field in {where} must be a field name or {{field: asc|desc}}, found {node.kind}",
        )
        return None

    def checked(self, path: str, node: Node, where: str, descending: bool) -> IndexKey | None:
        try:
            field = resolve_path(path, self.model, self.fields, self.embedded)
        except PathError as exc:
            self.ctx.error(
                node.location, "index-path", f"unknown field in {where}: {exc.message}", exc.hint
            )
            return None
        if not is_indexable(field.type):
            self.ctx.error(
                node.location,
                "not-indexable",
                f"'{path}' of type {render_type(field.type)} cannot be indexed ({where})",
            )
            return None
        return IndexKey(path, descending)

    def build(
        self, keys: list[IndexKey] | None, unique: bool, name: str | None, node: Node
    ) -> Index | None:
        if not keys:
            return None
        paths = tuple(k.path for k in keys)
        final = name or names.index_name(self.collection, paths, unique)
        return Index(final, tuple(keys), unique=unique, location=node.location)
