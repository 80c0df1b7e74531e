"""Import the committed generated packages of the examples, and clean up after them.

Each package is imported under a private module name from its file location, so
the generated code is exercised exactly as committed. A SQLAlchemy package is
imported while ``farmgen.runtime.tables.Base`` is a fresh base made by
``new_base()`` (same naming convention and type map): each package gets its own
registry and metadata, so two examples may both declare ``users``, and the
process-wide ``Base`` that other tests use is never touched.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = REPO_ROOT / "examples"
EXAMPLES = ("blog", "farm-users")


def module_name(example: str, target: str) -> str:
    return f"farmgen_generated_{example.replace('-', '_')}_{target}"


def import_generated(example: str, target: str, directory: Path | None = None) -> ModuleType:
    path = directory or EXAMPLES_DIR / example / "generated" / target
    if target == "sqlalchemy":
        with private_base():
            return _import(module_name(example, target), path)
    return _import(module_name(example, target), path)


@contextmanager
def private_base() -> Iterator[None]:
    from farmgen.runtime import tables

    shared = tables.Base
    tables.Base = tables.new_base("Base")  # type: ignore[misc]
    try:
        yield
    finally:
        tables.Base = shared  # type: ignore[misc]


def _import(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, path / "__init__.py", submodule_search_locations=[str(path)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        unload(name)
        raise
    return module


def unload(name: str) -> None:
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]


def unload_sqlalchemy(module: ModuleType) -> None:
    module.Base.registry.dispose()
    unload(module.__name__)
