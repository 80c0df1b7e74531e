"""farmgen: generate the data layer of a FARM-stack app from schema specs.

The public API is :data:`__all__`; names are imported on first use so that
``import farmgen`` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from farmgen._version import __version__

if TYPE_CHECKING:
    from farmgen.pipeline import check_project as check
    from farmgen.pipeline import generate_project as generate
    from farmgen.project import load_project

__all__ = ["__version__", "check", "generate", "load_project"]

_LAZY = {
    "load_project": ("farmgen.project", "load_project"),
    "generate": ("farmgen.pipeline", "generate_project"),
    "check": ("farmgen.pipeline", "check_project"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module_name, attr = _LAZY[name]
        return getattr(importlib.import_module(module_name), attr)
    raise AttributeError(f"module 'farmgen' has no attribute {name!r}")
