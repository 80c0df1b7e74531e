"""Writing generated files: compare with disk and manifests, then write atomically."""

from farmgen.write.apply import apply_changes
from farmgen.write.manifest import MANIFEST_NAME, Manifest, ManifestEntry
from farmgen.write.plan import (
    GENERATED_MARKER,
    Action,
    FileChange,
    OutputGroup,
    check_inside_root,
    plan,
)

__all__ = [
    "GENERATED_MARKER",
    "MANIFEST_NAME",
    "Action",
    "FileChange",
    "Manifest",
    "ManifestEntry",
    "OutputGroup",
    "apply_changes",
    "check_inside_root",
    "plan",
]
