"""The committed TypeScript output of every example, checked by ``tsc --strict``.

Each example has a hand-written ``usage.ts`` that must type-check against the
generated interfaces, and a ``usage_fails.ts`` that must not (and fails for the
reasons it states).
"""

from __future__ import annotations

import json
import os
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

MISSING_TSC = f"{TSC} is missing: `npm ci` installs the TypeScript compiler"


def tsc_required(environ: dict[str, str] | None = None) -> bool:
    """In CI (``CI`` set) or with ``FARMGEN_REQUIRE_TSC=1`` a missing tsc is a failure."""
    env = os.environ if environ is None else environ
    return bool(env.get("CI")) or env.get("FARMGEN_REQUIRE_TSC") == "1"


def tsc_available(compiler: Path = TSC) -> bool:
    """Whether tsc can run; fails the test where tsc is required but missing."""
    if compiler.exists():
        return True
    if tsc_required():
        pytest.fail(MISSING_TSC.replace(str(TSC), str(compiler)), pytrace=False)
    return False


def require_tsc() -> None:
    """Skip the test without tsc, or fail it where tsc is required."""
    if not tsc_available():
        pytest.skip(MISSING_TSC)


@pytest.fixture
def needs_tsc() -> None:
    require_tsc()


@pytest.mark.parametrize(
    ("environ", "required"),
    [
        ({}, False),
        ({"CI": "true"}, True),
        ({"FARMGEN_REQUIRE_TSC": "1"}, True),
        ({"CI": ""}, False),
    ],
)
def test_tsc_is_required_in_ci_or_when_asked(environ: dict[str, str], required: bool) -> None:
    assert tsc_required(environ) is required


def test_a_missing_tsc_fails_instead_of_skipping_when_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FARMGEN_REQUIRE_TSC", "1")
    with pytest.raises(pytest.fail.Exception, match="TypeScript compiler"):
        tsc_available(tmp_path / "tsc")
    monkeypatch.delenv("FARMGEN_REQUIRE_TSC")
    monkeypatch.delenv("CI", raising=False)
    assert tsc_available(tmp_path / "tsc") is False


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


@pytest.mark.usefixtures("needs_tsc")
@pytest.mark.parametrize("example", EXAMPLES)
def test_output_and_usage_type_check(example: str, tmp_path: Path) -> None:
    files = prepare(example, tmp_path)
    shutil.copy(USAGE_DIR / example / "usage.ts", tmp_path / "usage.ts")
    result = tsc(tmp_path, [*files, "usage.ts"])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("needs_tsc")
@pytest.mark.parametrize("example", EXAMPLES)
def test_wrong_usage_does_not_type_check(example: str, tmp_path: Path) -> None:
    files = prepare(example, tmp_path)
    shutil.copy(USAGE_DIR / example / "usage_fails.ts", tmp_path / "usage_fails.ts")
    result = tsc(tmp_path, [*files, "usage_fails.ts"])
    assert result.returncode != 0
    for expected in EXPECTED_FAILURES[example]:
        assert expected in result.stdout, result.stdout
    assert all(line.startswith("usage_fails.ts") for line in result.stdout.splitlines() if line)
