"""Third-party schema files, imported as spec sources, generate code that compiles in
every target: the Python packages import, the TypeScript passes ``tsc --strict``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from farmgen.config import load_config
from farmgen.pipeline import render_formatted
from farmgen.project import load_project_from_config
from tests.generated.support import import_generated, unload, unload_sqlalchemy
from tests.generated.test_typescript_output import TSC, tsc_available

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"

SOURCES = [
    ("third_party/person.json", "jsonschema"),
    ("third_party/pattern_properties.json", "jsonschema"),
    ("third_party/discriminator.yaml", "openapi"),
    ("third_party/api_constrained.yaml", "openapi"),
    ("third_party/petstore-expanded.yaml", "openapi"),
    ("jsonschema/shop.schema.json", "jsonschema"),
    ("jsonschema/unsupported.schema.json", "jsonschema"),
    ("jsonschema/petshop.openapi.yaml", "openapi"),
]

CONFIG = """\
specs = [{{path = "{source}", format = "{format}"}}]
migrations = "migrations"

[targets.beanie]
out = "gen/beanie"

[targets.sqlalchemy]
out = "gen/sqlalchemy"

[targets.typescript]
out = "gen/ts"
"""


def _generate(tmp_path: Path, source: str, fmt: str) -> Path:
    src = FIXTURES / source
    for sibling in src.parent.iterdir():  # cross-file $refs resolve next to the source
        if sibling.is_file():
            shutil.copy(sibling, tmp_path / sibling.name)
    (tmp_path / "farmgen.toml").write_text(CONFIG.format(source=src.name, format=fmt))
    project = load_project_from_config(load_config(tmp_path))
    assert project.schema.models or project.schema.embedded
    out = tmp_path / "gen"
    targets = {"beanie": "beanie", "sqlalchemy": "sqlalchemy", "typescript": "ts"}
    for rendered in render_formatted(project):
        path = out / targets[rendered.target] / rendered.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered.content, encoding="utf-8")
    return out


@pytest.mark.parametrize(("source", "fmt"), SOURCES, ids=[s for s, _ in SOURCES])
def test_imported_schema_generates_code_that_compiles(
    tmp_path: Path, source: str, fmt: str
) -> None:
    out = _generate(tmp_path, source, fmt)
    name = Path(source).stem.replace("-", "_").replace(".", "_")
    beanie = import_generated(f"third_party_{name}", "beanie", out / "beanie")
    try:
        assert beanie.DOCUMENT_MODELS or beanie.__all__
    finally:
        unload(beanie.__name__)
    tables = import_generated(f"third_party_{name}", "sqlalchemy", out / "sqlalchemy")
    unload_sqlalchemy(tables)
    if tsc_available():
        files = sorted(p.name for p in (out / "ts").glob("*.ts"))
        config = {"compilerOptions": {"strict": True, "noEmit": True, "target": "es2022",
                                      "module": "esnext", "moduleResolution": "bundler"},
                  "files": files}
        (out / "ts" / "tsconfig.json").write_text(json.dumps(config))
        result = subprocess.run([str(TSC), "-p", ".", "--pretty", "false"], cwd=out / "ts",
                                capture_output=True, text=True, check=False, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
