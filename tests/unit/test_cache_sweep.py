"""``.farmgen-cache`` entries unused for a week are removed, at most once a day."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from farmgen.cache_sweep import MARKER, MAX_AGE, SWEEP_EVERY, sweep, sweep_if_due
from farmgen.cli import main
from tests.generated.support import EXAMPLES_DIR

NOW = 2_000_000_000.0


def entry(cache: Path, kind: str, key: str, used: float) -> Path:
    path = cache / kind / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key)
    os.utime(path, (used, used))
    return path


def test_old_entries_go_and_recent_ones_stay(tmp_path: Path) -> None:
    old = [entry(tmp_path, kind, f"a{kind}", NOW - MAX_AGE - 60) for kind in ("parse", "black")]
    recent = entry(tmp_path, "render", "bc01", NOW - MAX_AGE + 60)
    neighbour = entry(tmp_path, "parse", "ab02", NOW - 10)
    record = tmp_path / "config"
    record.write_text("kept")
    os.utime(record, (NOW - 10 * MAX_AGE, NOW - 10 * MAX_AGE))
    assert sweep(tmp_path, NOW - MAX_AGE) == 2
    assert not any(p.exists() for p in old)
    assert not (tmp_path / "black" / "ab").exists()  # emptied shard removed
    assert recent.exists() and neighbour.exists() and record.exists()


def test_a_sweep_runs_at_most_once_a_day(tmp_path: Path) -> None:
    stale = entry(tmp_path, "parse", "cd01", NOW - 2 * MAX_AGE)
    assert sweep_if_due(tmp_path, NOW) == 1
    assert not stale.exists()
    stale = entry(tmp_path, "parse", "cd02", NOW - 2 * MAX_AGE)
    assert sweep_if_due(tmp_path, NOW + SWEEP_EVERY / 2) is None
    assert stale.exists()
    assert sweep_if_due(tmp_path, NOW + SWEEP_EVERY + 1) == 1
    assert not stale.exists()
    assert (tmp_path / MARKER).stat().st_mtime == NOW + SWEEP_EVERY + 1


def test_no_cache_no_sweep(tmp_path: Path) -> None:
    assert sweep_if_due(tmp_path / "missing", NOW) is None
    assert not (tmp_path / "missing").exists()


def test_loading_the_specs_sweeps_and_keeps_what_it_used(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    shutil.copytree(
        EXAMPLES_DIR / "blog", root, ignore=shutil.ignore_patterns("generated", ".farmgen-cache")
    )
    args = ["--config", str(root / "farmgen.toml"), "validate"]
    assert CliRunner().invoke(main, args).exit_code == 0
    cache = root / ".farmgen-cache"
    used = sorted((cache / "parse").rglob("*"))
    used = [p for p in used if p.is_file()]
    assert used, "validate stores parsed specs"
    stale = entry(cache, "parse", "ff" + "0" * 62, 1_000_000.0)
    for path in used:  # as old as the stale entry: only a hit keeps them
        os.utime(path, (1_000_000.0, 1_000_000.0))
    (cache / MARKER).unlink(missing_ok=True)
    assert CliRunner().invoke(main, args).exit_code == 0
    assert not stale.exists()
    assert all(p.exists() for p in used)
