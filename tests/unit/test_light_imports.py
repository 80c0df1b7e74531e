"""The hash-only path of ``farmgen check`` stays light: what it needs, without the targets."""

from __future__ import annotations

import subprocess
import sys


def test_the_pipeline_knows_the_builtin_target_names() -> None:
    from farmgen.pipeline import BUILTIN_TARGET_NAMES
    from farmgen.targets.registry import BUILTIN_TARGETS

    assert set(BUILTIN_TARGETS) == BUILTIN_TARGET_NAMES


def test_pipeline_and_quick_check_import_no_targets_resolver_or_yaml() -> None:
    code = (
        "import sys, farmgen.pipeline, farmgen.migrations.quick, farmgen.project, "
        "farmgen.cli.common, farmgen.write.manifest\n"
        "heavy = ('farmgen.targets.base', 'farmgen.resolve', 'yaml', 'jinja2', 'black')\n"
        "print(sorted(m for m in sys.modules if m in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
