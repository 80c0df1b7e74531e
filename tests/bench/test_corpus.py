"""The benchmark corpus is deterministic, and both of its forms are valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from bench.corpus import edited_spec_file, json_schema, spec_documents, write_corpus
from bench.corpus_model import build_corpus

REPO_ROOT = Path(__file__).resolve().parents[2]


def _tree(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_same_seed_gives_same_bytes_under_any_hash_seed(tmp_path: Path) -> None:
    outs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"h{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-m", "bench.corpus", "--n", "60", "--out", str(out)],
                       cwd=REPO_ROOT, env=env, check=True, capture_output=True)
        outs.append(_tree(out))
    assert outs[0] == outs[1]
    assert "project/farmgen.toml" in outs[0]
    assert "jsonschema/corpus.schema.json" in outs[0]


def test_other_seed_gives_other_corpus() -> None:
    assert json_schema(build_corpus(40, seed=1)) != json_schema(build_corpus(40, seed=2))


def test_shape_of_a_large_corpus() -> None:
    corpus = build_corpus(1000)
    assert len(corpus.models) == 1000
    assert corpus.classes == 1200
    assert len(corpus.files) == 20
    types = [f.base_type for m in corpus.models for f in m.fields]
    assert any(t.startswith("ref[") for t in types)
    assert any(t.startswith("list[ref[") for t in types)
    assert any(t in {e.name for e in corpus.embedded} for t in types)
    assert any(t in {e.name for e in corpus.enums} for t in types)
    assert any(m.indexes for m in corpus.models)
    assert any("searchable" in m.mixins and m.search for m in corpus.models)
    names = [m.name for m in corpus.models] + [e.name for e in corpus.enums]
    names += [e.name for e in corpus.embedded]
    assert len(set(names)) == len(names)
    collections = [m.collection for m in corpus.models]
    assert len(set(collections)) == len(collections)


def test_json_schema_is_a_valid_schema_with_resolvable_refs() -> None:
    doc = json_schema(build_corpus(200))
    jsonschema.Draft202012Validator.check_schema(doc)
    refs = set(_refs(doc))
    assert refs
    assert {r.removeprefix("#/$defs/") for r in refs} <= set(doc["$defs"])
    assert len(doc["$defs"]) == 240


def test_json_schema_requires_exactly_the_required_fields() -> None:
    corpus = build_corpus(50)
    doc = json_schema(corpus)
    model = next(m for m in corpus.models if any(f.type == "string" for f in m.fields))
    required = doc["$defs"][model.name]["required"]
    validator = jsonschema.Draft202012Validator({**doc, "$ref": f"#/$defs/{model.name}"})
    messages = sorted(e.message for e in validator.iter_errors({}))
    assert messages == sorted(f"'{name}' is a required property" for name in required)
    optional = next(f for f in model.fields if f.optional)
    assert optional.name not in required


def test_spec_files_parse_and_hold_every_name() -> None:
    corpus = build_corpus(120)
    docs = spec_documents(corpus)
    assert sorted(docs) == corpus.files
    models: dict[str, Any] = {}
    for doc in docs.values():
        assert doc["farmgen"] == 1
        models.update(doc.get("models", {}))
    assert list(models) == [m.name for m in corpus.models]


def test_edit_changes_one_model_in_one_file() -> None:
    corpus = build_corpus(100)
    path, original = edited_spec_file(corpus, 0)
    same_path, edited = edited_spec_file(corpus, 1)
    assert path == same_path
    assert original == yaml.dump(spec_documents(corpus)[path], Dumper=yaml.SafeDumper,
                                 sort_keys=False, default_flow_style=None, width=100,
                                 allow_unicode=True)
    assert original != edited
    before, after = yaml.safe_load(original), yaml.safe_load(edited)
    changed = [name for name in before["models"]
               if before["models"][name] != after["models"][name]]
    assert len(changed) == 1
    assert "edit_note_1" in after["models"][changed[0]]["fields"]
    _, second = edited_spec_file(corpus, 2)
    assert second not in (original, edited)
    assert "edit_note_2" in yaml.safe_load(second)["models"][changed[0]]["fields"]


def test_spec_validates_against_the_published_spec_schema() -> None:
    schema_path = REPO_ROOT / "schemas" / "farmgen-spec.schema.json"
    if not schema_path.exists():
        pytest.skip("schemas/farmgen-spec.schema.json is not in the tree yet")
    validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text()))
    for rel, doc in spec_documents(build_corpus(200)).items():
        errors = [e.message for e in validator.iter_errors(doc)]
        assert errors == [], rel


def test_project_loads_into_the_ir(tmp_path: Path) -> None:
    project_mod = pytest.importorskip("farmgen.project")
    corpus = write_corpus(150, 7, tmp_path)
    project = project_mod.load_project(cwd=tmp_path / "project")
    schema = project.schema
    assert [m.name for m in schema.models] == [m.name for m in corpus.models]
    assert len(schema.enums) == len(corpus.enums)
    assert len(schema.embedded) == len(corpus.embedded)
    assert set(project.config.targets) == {"beanie", "sqlalchemy", "typescript"}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [7, 11])
def test_the_benchmark_size_corpus_is_a_valid_project(tmp_path: Path, seed: int) -> None:
    """N=1000 is what bench/run.py measures: every check (index lengths included) passes."""
    project_mod = pytest.importorskip("farmgen.project")
    write_corpus(1000, seed, tmp_path)
    project = project_mod.load_project(cwd=tmp_path / "project")
    assert len(project.schema.models) == 1000
    assert not [w for w in project.warnings if w.severity == "error"]


def test_spec_files_load_with_load_schema(tmp_path: Path) -> None:
    resolve = pytest.importorskip("farmgen.resolve")
    if not hasattr(resolve, "load_schema"):
        pytest.skip("farmgen.resolve.load_schema is not there yet")
    corpus = write_corpus(80, 3, tmp_path)
    root = tmp_path / "project"
    schema = resolve.load_schema([root / f for f in corpus.files], root)
    assert len(schema.models) == 80


def test_every_target_generates_the_corpus_and_then_checks_clean(tmp_path: Path) -> None:
    farmgen = pytest.importorskip("farmgen")
    write_corpus(40, 11, tmp_path)
    root = tmp_path / "project"
    result = farmgen.generate(root)
    assert result.written > 0
    assert set(result.targets) == {"beanie", "sqlalchemy", "typescript"}
    outputs = {p.relative_to(root).parts[1] for p in (root / "generated").rglob("*.*")}
    assert outputs == {"beanie", "sqlalchemy", "typescript"}
    for module in (root / "generated").rglob("*.py"):
        compile(module.read_text(), str(module), "exec")
    assert farmgen.check(root).up_to_date
