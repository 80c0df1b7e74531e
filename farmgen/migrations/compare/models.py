"""Models (collections): which old collection each new one continues, if any."""

from __future__ import annotations

from dataclasses import dataclass, field

from farmgen.migrations.snapshot import MODEL_NAMES_KEY, Renames
from farmgen.runtime import schema_state as st


@dataclass
class CollectionMatch:
    pairs: dict[str, str] = field(default_factory=dict)
    """new collection → old collection (the same name, or a rename)."""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def renamed(self) -> list[tuple[str, str]]:
        """(old, new) for every renamed collection, by new name."""
        return [(old, new) for new, old in sorted(self.pairs.items()) if old != new]


def match_collections(old: st.Snapshot, new: st.Snapshot, renames: Renames) -> CollectionMatch:
    old_models, new_models = old["models"], new["models"]
    old_by_model = {m: c for c, m in old.get(MODEL_NAMES_KEY, {}).items()}
    new_names = new.get(MODEL_NAMES_KEY, {})
    match = CollectionMatch()
    taken: set[str] = set()
    for coll in sorted(new_models):
        if coll in old_models:
            match.pairs[coll] = coll
            taken.add(coll)
    for coll in sorted(new_models):
        if coll in match.pairs:
            continue
        hint = renames.collections.get(coll)
        candidates = [hint, old_by_model.get(hint or ""), old_by_model.get(new_names.get(coll, ""))]
        source = next(
            (
                c
                for c in candidates
                if c and c in old_models and c not in new_models and c not in taken
            ),
            None,
        )
        if source is None:
            match.added.append(coll)
        else:
            match.pairs[coll] = source
            taken.add(source)
    match.removed = sorted(c for c in old_models if c not in taken)
    return match
