"""farmgen.spec.keys (what the resolver checks) and the pydantic format models agree."""

from __future__ import annotations

import subprocess
import sys

import pytest

from farmgen.spec import format as spec_format
from farmgen.spec import keys


def test_every_key_tuple_matches_its_format_model() -> None:
    assert spec_format.check_keys_agree() == []


def test_a_key_missing_from_the_tuples_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "FIELD_KEYS", keys.FIELD_KEYS[:-1])
    monkeypatch.setattr(keys, "SPEC_FORMAT_VERSION", 2)
    assert spec_format.check_keys_agree() == ["FIELD_KEYS", "SPEC_FORMAT_VERSION"]


def test_the_format_module_reexports_the_same_tuples() -> None:
    assert spec_format.MODEL_KEYS is keys.MODEL_KEYS
    assert spec_format.SPEC_FORMAT_VERSION == keys.SPEC_FORMAT_VERSION


def test_the_loader_and_resolver_import_neither_pydantic_nor_the_format_models() -> None:
    code = (
        "import sys, farmgen.resolve, farmgen.spec.parse_cache, farmgen.spec.source\n"
        "heavy = ('pydantic', 'pydantic_core', 'farmgen.spec.format')\n"
        "print(sorted(m for m in sys.modules if m in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["FIELD_KEYS", "MODEL_KEYS", "EMBEDDED_KEYS", "INDEX_KEYS"])
def test_the_importers_write_the_keys_the_resolver_accepts(name: str) -> None:
    """The importers keep their own order (how a written spec reads), over the same keys."""
    from farmgen.importers import specdata

    assert sorted(getattr(specdata, name)) == sorted(getattr(keys, name))
