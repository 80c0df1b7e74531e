"""Diff-based migrations: snapshots, the differ, ordering, files, lint and checks."""
