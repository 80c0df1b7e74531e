"""Write a deterministic benchmark corpus as a farmgen project and as JSON Schema.

    python -m bench.corpus --n 1000 [--seed 7] [--out bench/.corpus/n1000-s7]

writes ``OUT/project`` (``farmgen.toml`` with the beanie, sqlalchemy and typescript
targets, and the spec split over ``schemas/domain_NNN.yaml``) and
``OUT/jsonschema/corpus.schema.json`` (the same enums, embedded types and models as
one JSON Schema document with ``$defs``, for datamodel-code-generator). The same N
and seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

import yaml

from bench.corpus_model import (
    Corpus,
    EmbeddedSpec,
    FieldSpec,
    ModelSpec,
    build_corpus,
)

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_ROOT = BENCH_DIR / ".corpus"
TARGETS = ("beanie", "sqlalchemy", "typescript")

FARMGEN_TOML = """\
# A generated benchmark corpus ({n} models, seed {seed}).
specs = ["schemas/*.yaml"]
migrations = "migrations"

[targets.beanie]
out = "generated/beanie"

[targets.sqlalchemy]
out = "generated/sqlalchemy"

[targets.typescript]
out = "generated/typescript"
"""

MIXIN_FIELDS: dict[str, list[FieldSpec]] = {
    "timestamps": [FieldSpec("created_at", "datetime?"), FieldSpec("updated_at", "datetime?")],
    "soft_delete": [FieldSpec("deleted_at", "datetime?"),
                    FieldSpec("is_deleted", "bool", {"default": False})],
    "audit": [FieldSpec("created_by", "string?"), FieldSpec("updated_by", "string?"),
              FieldSpec("version", "int", {"default": 1})],
    "metadata": [FieldSpec("metadata", "dict[string, json]", {"default": {}}),
                 FieldSpec("tags", "list[string]", {"default": []})],
    "searchable": [FieldSpec("search_vector", "string?")],
}


def default_dir(n: int, seed: int) -> Path:
    return DEFAULT_ROOT / f"n{n}-s{seed}"


# -- farmgen spec ---------------------------------------------------------------------


def _spec_field(f: FieldSpec) -> Any:
    return {"type": f.type, **f.extra} if f.extra else f.type


def _spec_fields(fields: list[FieldSpec]) -> dict[str, Any]:
    return {f.name: _spec_field(f) for f in fields}


def _spec_model(m: ModelSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"collection": m.collection}
    if m.description:
        out["description"] = m.description
    if m.mixins:
        out["mixins"] = list(m.mixins)
    if m.search:
        out["search"] = list(m.search)
    out["fields"] = _spec_fields(m.fields)
    if m.indexes:
        out["indexes"] = copy.deepcopy(m.indexes)
    return out


def _spec_embedded(e: EmbeddedSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if e.description:
        out["description"] = e.description
    out["fields"] = _spec_fields(e.fields)
    return out


def spec_documents(corpus: Corpus) -> dict[str, dict[str, Any]]:
    """Each spec file's document, keyed by its path relative to the project root."""
    docs: dict[str, dict[str, Any]] = {name: {"farmgen": 1} for name in corpus.files}
    for enum in corpus.enums:
        docs[enum.source].setdefault("enums", {})[enum.name] = list(enum.values)
    for emb in corpus.embedded:
        docs[emb.source].setdefault("embedded", {})[emb.name] = _spec_embedded(emb)
    for model in corpus.models:
        docs[model.source].setdefault("models", {})[model.name] = _spec_model(model)
    return docs


class _Dumper(yaml.SafeDumper):
    """Never writes anchors and aliases: a spec author writes each default out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=100,
                     allow_unicode=True)


def edit_target(corpus: Corpus) -> ModelSpec:
    """The model that the one-model-edit benchmark changes (the middle one)."""
    return corpus.models[len(corpus.models) // 2]


def edited_spec_file(corpus: Corpus, variant: int) -> tuple[str, str]:
    """The spec file holding :func:`edit_target`: as generated for variant 0, else with
    one extra field ``edit_note_<variant>`` (so each variant is a new one-model edit)."""
    target = edit_target(corpus)
    if variant:
        corpus = copy.deepcopy(corpus)
        model = edit_target(corpus)
        model.fields.append(FieldSpec(f"edit_note_{variant}", "string?", {"max_length": 40}))
    return target.source, dump_yaml(spec_documents(corpus)[target.source])


def _write_if_changed(path: Path, text: str) -> None:
    if path.exists() and path.read_text() == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def write_project(corpus: Corpus, root: Path) -> None:
    """Write farmgen.toml and the spec files under ``root``; unchanged files keep mtimes."""
    _write_if_changed(root / "farmgen.toml", FARMGEN_TOML.format(n=corpus.n, seed=corpus.seed))
    for rel, doc in spec_documents(corpus).items():
        _write_if_changed(root / rel, dump_yaml(doc))


# -- JSON Schema ----------------------------------------------------------------------

_SCALARS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "text": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "decimal": {"type": "number", "format": "decimal"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "format": "time"},
    "uuid": {"type": "string", "format": "uuid"},
    "email": {"type": "string", "format": "email"},
    "url": {"type": "string", "format": "uri"},
    "bytes": {"type": "string", "format": "binary"},
    "json": {},
    "objectid": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
}
_CONSTRAINT_KEYS = {"min": "minimum", "max": "maximum", "min_length": "minLength",
                    "max_length": "maxLength", "pattern": "pattern"}


def _type_schema(expr: str) -> dict[str, Any]:
    if expr in _SCALARS:
        return dict(_SCALARS[expr])
    if expr.startswith("list[") and expr.endswith("]"):
        return {"type": "array", "items": _type_schema(expr[5:-1])}
    if expr.startswith("dict[string, ") and expr.endswith("]"):
        return {"type": "object", "additionalProperties": _type_schema(expr[13:-1])}
    if expr.startswith("ref[") and expr.endswith("]"):
        return {"type": "string", "format": "uuid", "x-farmgen": {"ref": expr[4:-1]}}
    return {"$ref": f"#/$defs/{expr}"}


def _property(f: FieldSpec) -> dict[str, Any]:
    schema = _type_schema(f.base_type)
    for key, json_key in _CONSTRAINT_KEYS.items():
        if key in f.extra:
            schema[json_key] = f.extra[key]
    if f.optional:
        schema = {"anyOf": [schema, {"type": "null"}], "default": None}
    elif "default" in f.extra:
        schema["default"] = f.extra["default"]
    if "description" in f.extra:
        schema["description"] = f.extra["description"]
    return schema


def _object_schema(name: str, fields: list[FieldSpec], description: str | None,
                   extension: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"title": name, "type": "object"}
    if description:
        out["description"] = description
    if extension:
        out["x-farmgen"] = extension
    out["properties"] = {f.name: _property(f) for f in fields}
    required = [f.name for f in fields if not f.optional and "default" not in f.extra]
    if required:
        out["required"] = required
    return out


def json_schema(corpus: Corpus) -> dict[str, Any]:
    """The corpus as one JSON Schema (draft 2020-12) document with ``$defs``."""
    defs: dict[str, Any] = {}
    for enum in corpus.enums:
        defs[enum.name] = {"title": enum.name, "type": "string", "enum": list(enum.values)}
    for emb in corpus.embedded:
        defs[emb.name] = _object_schema(emb.name, emb.fields, emb.description)
    for m in corpus.models:
        fields = m.fields + [f for mixin in m.mixins for f in MIXIN_FIELDS[mixin]]
        defs[m.name] = _object_schema(m.name, fields, m.description,
                                      {"collection": m.collection})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Benchmark corpus ({corpus.n} models, seed {corpus.seed})",
        "$defs": defs,
    }


def write_json_schema(corpus: Corpus, path: Path) -> None:
    _write_if_changed(path, json.dumps(json_schema(corpus), indent=2, ensure_ascii=False) + "\n")


# -- command line ---------------------------------------------------------------------


def write_corpus(n: int, seed: int, out: Path) -> Corpus:
    """Write ``out/project`` and ``out/jsonschema/corpus.schema.json``; return the corpus."""
    corpus = build_corpus(n, seed)
    write_project(corpus, out / "project")
    write_json_schema(corpus, out / "jsonschema" / "corpus.schema.json")
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of models (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None,
                        help="output directory (default bench/.corpus/nN-sSEED)")
    args = parser.parse_args(argv)
    out = args.out or default_dir(args.n, args.seed)
    corpus = write_corpus(args.n, args.seed, out)
    size = sum(p.stat().st_size for p in (out / "project" / "schemas").glob("*.yaml"))
    print(f"{out}: {len(corpus.models)} models, {len(corpus.enums)} enums, "
          f"{len(corpus.embedded)} embedded types in {len(corpus.files)} files "
          f"({size / 1e6:.2f} MB of YAML)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
