"""Naming rules shared by the resolver and every target.

The alias rule: a stored name that is not usable as a Python attribute (a Python
hard keyword, or a name pydantic, Beanie or SQLAlchemy reserve on a
class) keeps its stored name in the database and in TypeScript, and gets the
Python attribute ``<name>_`` (pydantic ``alias`` / SQLAlchemy column name carry the
stored name). ``id`` is reserved for the primary key and is an error on a model.
"""

from __future__ import annotations

import hashlib
import re

PYTHON_KEYWORDS = frozenset(
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break",
        "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
        "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield",
    }
)
"""Python's hard keywords, fixed here so that output does not depend on the Python version.

Soft keywords are valid attribute names in every version and are not in this set.
"""

PYTHON_SOFT_KEYWORDS = frozenset({"_", "case", "match", "type"})
"""Soft keywords of any supported Python version; type names may not take them."""

PYTHON_RESERVED_ATTRIBUTES = frozenset(
    {
        # pydantic BaseModel
        "model_config", "model_fields", "model_computed_fields", "model_extra",
        "model_fields_set", "model_construct", "model_copy", "model_dump",
        "model_dump_json", "model_json_schema", "model_parametrized_name",
        "model_post_init", "model_rebuild", "model_validate", "model_validate_json",
        "model_validate_strings", "dict", "json", "copy", "parse_obj", "parse_raw",
        "parse_file", "from_orm", "construct", "schema", "schema_json", "validate",
        "update_forward_refs", "fields", "register",
        # Beanie Document
        "revision_id", "save", "insert", "create", "replace", "update", "delete",
        "find", "find_one", "find_all", "get", "set", "inc", "sync", "Settings",
        "get_settings", "get_motor_collection", "get_pymongo_collection",
        "insert_one", "insert_many", "delete_all", "update_all", "aggregate",
        "count", "distinct", "inspect_collection", "fetch_link", "fetch_all_links",
        "to_dict", "soft_delete", "restore",
        # SQLAlchemy declarative
        "metadata", "registry", "query", "awaitable_attrs",
    }
)

TYPESCRIPT_RESERVED = frozenset(
    {
        "break", "case", "catch", "class", "const", "continue", "debugger", "default",
        "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
        "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
        "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with",
        "as", "implements", "interface", "let", "package", "private", "protected",
        "public", "static", "yield", "any", "boolean", "number", "string", "symbol",
        "type", "unknown", "never", "object", "undefined", "Array", "Date", "Record",
        "Partial", "Omit", "Pick", "Readonly", "Promise",
    }
)

PRIMARY_KEY_NAMES = frozenset({"id", "_id"})

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"\W+")


def is_identifier(name: str) -> bool:
    return name.isidentifier()


def is_python_keyword(name: str) -> bool:
    """A hard keyword (the same answer on every Python version)."""
    return name in PYTHON_KEYWORDS


def python_attr(name: str) -> str:
    """The Python attribute for a stored field name (the alias rule)."""
    if is_python_keyword(name) or name in PYTHON_RESERVED_ATTRIBUTES:
        return f"{name}_"
    return name


def needs_alias(name: str) -> bool:
    return python_attr(name) != name


def snake_case(name: str) -> str:
    """``UserProfile`` → ``user_profile``; ``HTTPServer`` → ``http_server``."""
    return _CAMEL_BOUNDARY.sub("_", name).replace("-", "_").lower()


def collection_name(model_name: str) -> str:
    """The default collection/table name for a model: snake case, plural."""
    base = snake_case(model_name)
    if base.endswith(("s", "x", "z", "ch", "sh")):
        return base + "es"
    if base.endswith("y") and len(base) > 1 and base[-2] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def enum_member_name(value: str) -> str:
    """The code identifier of an enum value (``pending-verification`` → ``PENDING_VERIFICATION``).

    Non-word characters become underscores; a leading digit gets a ``V_`` prefix.
    """
    text = _NON_WORD.sub("_", snake_case(value)).strip("_").upper()
    if not text:
        return "EMPTY"
    if text[0].isdigit():
        text = "V_" + text
    if text in PYTHON_KEYWORDS or text in {"MRO", "NAME", "VALUE"}:
        text = text + "_"
    return text


def typescript_derived_names(name: str, kind: str) -> tuple[str, ...]:
    """Names the TypeScript target derives from a declared type, which no type may take.

    ``kind`` is ``enum`` (a ``<NAME>_VALUES`` const), ``embedded type`` (an
    ``<Name>Input`` interface) or ``model`` (``<Name>Create`` and ``<Name>Update``).
    """
    if kind == "enum":
        return (enum_member_name(snake_case(name)) + "_VALUES",)
    if kind == "embedded type":
        return (f"{name}Input",)
    if kind == "model":
        return (f"{name}Create", f"{name}Update")
    raise ValueError(f"unknown kind of declaration: {kind!r}")


MAX_IDENTIFIER_LENGTH = 60
"""Under PostgreSQL's 63 and MySQL's 64 byte limits."""


def short_identifier(text: str, limit: int = MAX_IDENTIFIER_LENGTH) -> str:
    """Shorten an identifier deterministically, keeping a hash of the full text."""
    if len(text.encode()) <= limit:
        return text
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    head = text.encode()[: limit - 9].decode("utf-8", "ignore")
    return f"{head}_{digest}"


def index_name(collection: str, paths: tuple[str, ...], unique: bool) -> str:
    """The name of an index declared without one: ``ix_users_status_email_verified``."""
    prefix = "uq" if unique else "ix"
    columns = "_".join(p.replace(".", "_") for p in paths)
    return short_identifier(f"{prefix}_{collection}_{columns}")
