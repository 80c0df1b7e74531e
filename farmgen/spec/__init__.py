"""Spec files → positioned raw documents (YAML and JSON), before any resolution."""

from farmgen.config import SPEC_SUFFIXES
from farmgen.spec.nodes import (
    KeyNode,
    MapNode,
    Node,
    RawDocument,
    ScalarNode,
    ScalarValue,
    SeqNode,
    to_plain,
)
from farmgen.spec.source import (
    display_path,
    document_from_data,
    load_document,
    load_documents,
    parse_text,
)

__all__ = [
    "SPEC_SUFFIXES",
    "KeyNode",
    "MapNode",
    "Node",
    "RawDocument",
    "ScalarNode",
    "ScalarValue",
    "SeqNode",
    "display_path",
    "document_from_data",
    "load_document",
    "load_documents",
    "parse_text",
    "to_plain",
]
