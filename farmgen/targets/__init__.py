"""Code generation targets: the protocol, the registry and the built-in targets."""

from farmgen.targets.base import Language, RenderContext, RenderedFile, Target, TargetOptions
from farmgen.targets.registry import TargetRegistry, build_registry, default_registry

__all__ = [
    "Language",
    "RenderContext",
    "RenderedFile",
    "Target",
    "TargetOptions",
    "TargetRegistry",
    "build_registry",
    "default_registry",
]
