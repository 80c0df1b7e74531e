"""The snapshot files are generated Python and TypeScript, not test modules."""

collect_ignore_glob = ["__snapshots__/*"]
