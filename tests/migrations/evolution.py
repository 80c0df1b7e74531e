"""Evolution fixtures: spec versions as directories (``evolutions/<name>/vNN/``).

``build_chain`` turns consecutive versions into a migration chain with
``plan_migration`` (what ``farmgen migrate make`` writes), one migration per step.
"""

from __future__ import annotations

from pathlib import Path

from farmgen.ir import Schema
from farmgen.migrations.files import Chain, load_chain, write_migration
from farmgen.migrations.make import plan_migration
from farmgen.resolve import load_schema
from farmgen.runtime import schema_state as st

EVOLUTIONS = Path(__file__).parent / "evolutions"


def versions(name: str) -> list[Path]:
    return sorted(p for p in (EVOLUTIONS / name).iterdir() if p.is_dir())


def load_version(directory: Path) -> Schema:
    return load_schema(sorted(directory.glob("*.yaml")), directory)


def build_chain(directory: Path, name: str) -> Chain:
    """One migration per version of evolution ``name``, written into ``directory``."""
    for version in versions(name):
        chain = load_chain(directory)
        result = plan_migration(chain, load_version(version), version.name, allow_destructive=True)
        assert result.migration is not None, f"{version.name} changes nothing"
        write_migration(directory, result.migration)
    return load_chain(directory)


def snapshots(chain: Chain) -> list[st.Snapshot]:
    return [after for _before, after in chain.snapshots()]
