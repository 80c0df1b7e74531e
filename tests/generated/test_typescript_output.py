"""The committed TypeScript output of every example, checked by ``tsc --strict``.

Each example has a hand-written ``usage.ts`` that must type-check against the
generated interfaces, and a ``usage_fails.ts`` that must not (and fails for the
reasons it states).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.generated.support import EXAMPLES, EXAMPLES_DIR, REPO_ROOT

TSC = REPO_ROOT / "node_modules" / ".bin" / "tsc"
USAGE_DIR = Path(__file__).parent / "typescript"

TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "es2022",
        "module": "esnext",
        "moduleResolution": "bundler",
        "noUnusedLocals": True,
        "exactOptionalPropertyTypes": True,
        "noUncheckedIndexedAccess": True,
        "isolatedModules": True,
        "verbatimModuleSyntax": True,
    }
}

EXPECTED_FAILURES = {
    "blog": ["TS2741", "'title' is missing", "TS2322", '"deleted"'],
    "farm-users": ["TS2339", "'password_hash' does not exist"],
}

needs_tsc = pytest.mark.skipif(not TSC.exists(), reason="npm ci installs the TypeScript compiler")


def tsc(directory: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    config = {**TSCONFIG, "files": files}
    (directory / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    return subprocess.run(
        [str(TSC), "-p", ".", "--pretty", "false"],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def prepare(example: str, tmp_path: Path) -> list[str]:
    generated = EXAMPLES_DIR / example / "generated" / "ts"
    for path in generated.glob("*.ts"):
        shutil.copy(path, tmp_path / path.name)
    return sorted(p.name for p in generated.glob("*.ts"))


@needs_tsc
@pytest.mark.parametrize("example", EXAMPLES)
def test_output_and_usage_type_check(example: str, tmp_path: Path) -> None:
    files = prepare(example, tmp_path)
    shutil.copy(USAGE_DIR / example / "usage.ts", tmp_path / "usage.ts")
    result = tsc(tmp_path, [*files, "usage.ts"])
    assert result.returncode == 0, result.stdout + result.stderr


@needs_tsc
@pytest.mark.parametrize("example", EXAMPLES)
def test_wrong_usage_does_not_type_check(example: str, tmp_path: Path) -> None:
    files = prepare(example, tmp_path)
    shutil.copy(USAGE_DIR / example / "usage_fails.ts", tmp_path / "usage_fails.ts")
    result = tsc(tmp_path, [*files, "usage_fails.ts"])
    assert result.returncode != 0
    for expected in EXPECTED_FAILURES[example]:
        assert expected in result.stdout, result.stdout
    assert all(line.startswith("usage_fails.ts") for line in result.stdout.splitlines() if line)
