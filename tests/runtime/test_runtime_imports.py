"""The runtime imports with only the runtime extras: never the generator's dependencies."""

from __future__ import annotations

import subprocess
import sys
import textwrap

GENERATOR_ONLY = ("jinja2", "black", "libcst", "datamodel_code_generator")

CHECK = textwrap.dedent(
    """
    import importlib.abc
    import sys

    BLOCKED = {blocked!r}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"the runtime imported {{name}}")
            return None

    sys.meta_path.insert(0, Block())
    import importlib
    import pkgutil

    import farmgen.runtime

    modules = [info.name for info in pkgutil.walk_packages(
        farmgen.runtime.__path__, "farmgen.runtime.")]
    assert "farmgen.runtime.tables" in modules and "farmgen.runtime.documents" in modules
    for module in modules:
        importlib.import_module(module)

    loaded = sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED)
    print("loaded:", loaded)
    """
)


def test_every_runtime_module_imports_without_generator_dependencies() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(blocked=GENERATOR_ONLY)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loaded: []"


def test_the_check_would_notice_a_generator_import() -> None:
    script = CHECK.format(blocked=GENERATOR_ONLY) + "\nimport jinja2\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "the runtime imported jinja2" in result.stderr
