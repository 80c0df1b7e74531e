"""First pass: read each document's top level and collect every named declaration.

Names are global across files: an enum, embedded type or model name may be declared
once. Names must be identifiers that no target chokes on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from farmgen.diagnostics import Location
from farmgen.ir import names
from farmgen.ir.types import ScalarKind
from farmgen.resolve.context import Context, Declared
from farmgen.spec.keys import SPEC_FORMAT_VERSION, TOP_LEVEL_KEYS
from farmgen.spec.nodes import MapNode, RawDocument, ScalarNode

SCALAR_NAMES = tuple(k.value for k in ScalarKind)
TYPE_CONSTRUCTORS = ("list", "dict", "ref")

GENERATED_CODE_NAMES = frozenset(
    {
        "Any",
        "Annotated",
        "ClassVar",
        "Optional",
        "List",
        "Dict",
        "Literal",
        "BaseModel",
        "ConfigDict",
        "Field",
        "Enum",
        "StrEnum",
        "Link",
        "Document",
        "Indexed",
        "PydanticObjectId",
        "Base",
        "Mapped",
        "BaseDocument",
        "Decimal",
        "UUID",
        "EmailStr",
        "HttpUrl",
        "TimestampMixin",
        "SoftDeleteMixin",
        "AuditMixin",
        "MetadataMixin",
        "SearchableMixin",
        "EmbeddedJSON",
        "JSONValue",
        "UTCDateTime",
        "StrEnumType",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
        "set",
        "tuple",
        "object",
        "datetime",
        "date",
        "time",
        "uuid",
        "decimal",
        "typing",
        "enum",
        "pydantic",
    }
)
"""Names the generated Python and TypeScript code uses itself; a type may not take them."""

KINDS = (("enums", "enum"), ("embedded", "embedded type"), ("models", "model"))

ROOT_HINT = "a spec file is a mapping with the keys farmgen, enums, embedded and models"


def type_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an enum, embedded type or model (None if it can)."""
    checks = (
        (not names.is_identifier(name), "is not a valid identifier"),
        (name.startswith("_"), "must not start with '_'"),
        (names.is_python_keyword(name), "is a Python keyword"),
        (name in names.PYTHON_SOFT_KEYWORDS, "is a Python soft keyword"),
        (name in SCALAR_NAMES or name in TYPE_CONSTRUCTORS, "is a built-in type name"),
        (name in names.TYPESCRIPT_RESERVED, "is reserved in TypeScript"),
        (name in GENERATED_CODE_NAMES, "is used by the generated code"),
    )
    return next((problem for failed, problem in checks if failed), None)


def _check_version(ctx: Context, root: MapNode) -> None:
    node = root.value("farmgen")
    if node is None:
        return
    value = node.value if isinstance(node, ScalarNode) else None
    if isinstance(value, int) and not isinstance(value, bool) and value == SPEC_FORMAT_VERSION:
        return
    shown = repr(value) if isinstance(node, ScalarNode) else node.kind
    ctx.error(
        node.location,
        "spec-version",
        f"unsupported spec format version {shown}",
        f"this farmgen reads version {SPEC_FORMAT_VERSION}",
    )


def _document_root(ctx: Context, doc: RawDocument) -> MapNode | None:
    ctx.bag.extend(doc.diagnostics)
    if doc.root is None:
        if not doc.diagnostics:
            ctx.error(Location(doc.path, 1, 1), "empty-file", "the file is empty", ROOT_HINT)
        return None
    if not isinstance(doc.root, MapNode):
        ctx.error(
            doc.root.location,
            "not-a-mapping",
            f"a spec file must be a mapping, found {doc.root.kind}",
            ROOT_HINT,
        )
        return None
    ctx.check_keys(doc.root, TOP_LEVEL_KEYS, "at the top level")
    _check_version(ctx, doc.root)
    if doc.root.value("$schema") is not None:
        ctx.string(doc.root.value("$schema") or doc.root, "'$schema'")
    return doc.root


def _collect_section(
    ctx: Context, doc: RawDocument, root: MapNode, section: str, kind: str
) -> list[Declared]:
    node = root.value(section)
    if node is None or (isinstance(node, ScalarNode) and node.value is None):
        return []
    mapping = ctx.mapping(node, f"'{section}'")
    if mapping is None:
        return []
    found: list[Declared] = []
    for key, value in mapping.first_entries():
        problem = type_name_problem(key.text)
        if problem:
            ctx.error(key.location, "bad-name", f"{kind} name '{key.text}' {problem}")
            continue
        found.append(Declared(kind, key.text, key, value, doc.path))
    return found


def _check_unique(ctx: Context, declared: list[Declared]) -> list[Declared]:
    """Drop (and report) repeated names and names that collide in snake case."""
    by_name: dict[str, Declared] = {}
    by_snake: dict[str, Declared] = {}
    kept: list[Declared] = []
    for item in declared:
        first = by_name.get(item.name)
        if first is not None:
            ctx.error(
                item.key.location,
                "duplicate-name",
                f"{item.kind} '{item.name}' is already declared as {_article(first.kind)} "
                f"at {first.key.location}",
            )
            continue
        snake = names.snake_case(unicodedata.normalize("NFKC", item.name))
        other = by_snake.get(snake)
        if other is not None:
            ctx.error(
                item.key.location,
                "name-collision",
                f"{item.kind} '{item.name}' and {other.kind} '{other.name}' "
                f"(at {other.key.location}) both become '{snake}' in generated code",
            )
            continue
        by_name[item.name] = item
        by_snake[snake] = item
        kept.append(item)
    _check_derived(ctx, kept)
    return kept


def _check_derived(ctx: Context, declared: list[Declared]) -> None:
    """Report a declared name that a TypeScript name derived from another one takes."""
    derived: dict[str, tuple[Declared, str]] = {}
    for item in declared:
        for name in names.typescript_derived_names(item.name, item.kind):
            derived.setdefault(name, (item, name))
    for item in declared:
        if item.name not in derived:
            continue
        owner, name = derived[item.name]
        ctx.error(
            item.key.location,
            "name-collision",
            f"{item.kind} '{item.name}' clashes with the TypeScript name '{name}' "
            f"derived from {owner.kind} '{owner.name}' (at {owner.key.location})",
            f"{_DERIVED_HINT[owner.kind]}; rename one of them",
        )


_DERIVED_HINT = {
    "enum": "each enum also gets a <NAME>_VALUES const",
    "embedded type": "each embedded type also gets an <Name>Input interface",
    "model": "each model also gets <Name>Create and <Name>Update types",
}


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def collect(ctx: Context, documents: Sequence[RawDocument]) -> list[Declared]:
    """Every valid, uniquely named declaration, in file then declaration order."""
    declared: list[Declared] = []
    for doc in documents:
        root = _document_root(ctx, doc)
        if root is None:
            continue
        for section, kind in KINDS:
            declared.extend(_collect_section(ctx, doc, root, section, kind))
    return _check_unique(ctx, declared)
