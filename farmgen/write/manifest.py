"""The manifest each output directory keeps of the files farmgen owns.

``<out>/.farmgen-manifest.json`` maps every owned file (relative to the directory) to
the target that renders it, the hash of its unformatted render plus the formatter
settings (``input``) and the hash of the bytes written (``output``). When both
still match, the file is up to date without formatting anything. ``inputs`` holds
each target's input fingerprint (``farmgen.write.fingerprint``): when it matches
and every owned file still has its ``output`` hash, nothing needs rendering.
``snapshots`` holds, per target, the migration snapshot checksum of the schema it
was generated from (``farmgen.migrations.quick``): with matching input fingerprints,
the spec's checksum is known without parsing it. ``config`` is a digest of the
configuration the files were last generated under (``farmgen.config_quick``): a
fresh clone whose config still has it skips checking the config again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = ".farmgen-manifest.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class ManifestEntry:
    target: str
    input: str
    output: str


@dataclass(frozen=True)
class Manifest:
    files: Mapping[str, ManifestEntry]
    inputs: Mapping[str, str] = field(default_factory=dict)
    """Target name → fingerprint of its inputs when it was last generated."""
    snapshots: Mapping[str, str] = field(default_factory=dict)
    """Target name → snapshot checksum of the schema it was last generated from."""
    config: str | None = None
    """Digest of the configuration, checked in full, the files were last generated under."""

    @classmethod
    def empty(cls) -> Manifest:
        return cls({})

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        """The directory's manifest; an absent or unreadable one owns nothing."""
        path = directory / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = data["files"]
            inputs = data.get("inputs", {})
            snapshots = data.get("snapshots", {})
            config = data.get("config")
            return cls(
                {
                    str(name): ManifestEntry(str(e["target"]), str(e["input"]), str(e["output"]))
                    for name, e in files.items()
                },
                {str(k): str(v) for k, v in inputs.items()},
                {str(k): str(v) for k, v in snapshots.items()},
                config if isinstance(config, str) else None,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls.empty()

    def dumps(self) -> str:
        files = {
            name: {"input": e.input, "output": e.output, "target": e.target}
            for name, e in sorted(self.files.items())
        }
        data: dict[str, object] = {
            "farmgen": MANIFEST_FORMAT,
            "files": files,
            "inputs": dict(self.inputs),
        }
        if self.snapshots:
            data["snapshots"] = dict(self.snapshots)
        if self.config:
            data["config"] = self.config
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
