"""Import the committed generated packages of the examples, and clean up after them.

Each package is imported under a private module name from its file location, so
the generated code is exercised exactly as committed. The SQLAlchemy packages all
declare their tables on the runtime's shared ``Base``; :func:`unload_sqlalchemy`
removes them again so the next example can declare a ``users`` table of its own.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = REPO_ROOT / "examples"
EXAMPLES = ("blog", "farm-users")


def module_name(example: str, target: str) -> str:
    return f"farmgen_generated_{example.replace('-', '_')}_{target}"


def import_generated(example: str, target: str, directory: Path | None = None) -> ModuleType:
    path = directory or EXAMPLES_DIR / example / "generated" / target
    name = module_name(example, target)
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
    from farmgen.runtime.tables import Base

    Base.registry.dispose()
    for table in list(Base.metadata.tables.values()):
        Base.metadata.remove(table)
    unload(module.__name__)
