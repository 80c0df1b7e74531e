"""Profile one farmgen command in-process on the benchmark corpus, with cProfile.

    .venv/bin/python bench/hotspots.py validate             # N=1000 corpus
    .venv/bin/python bench/hotspots.py generate --cold      # outputs and caches removed first
    .venv/bin/python bench/hotspots.py check --n 200 --top 40 --sort cumulative

The corpus project is kept under ``bench/.corpus/nN-sSEED/project`` (spec files are
rewritten only when the generator's output changed);
``--cold`` removes its generated output and ``.farmgen-cache`` first. The command
runs in this process (``farmgen.cli.main``), so imports are part of the profile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus as corpus_mod


def prepare(n: int, seed: int, cold: bool) -> Path:
    root = corpus_mod.default_dir(n, seed)
    project = root / "project"
    corpus_mod.write_corpus(n, seed, root)
    if cold:
        for name in ("generated", ".farmgen-cache"):
            shutil.rmtree(project / name, ignore_errors=True)
    return project


def run_command(args: list[str]) -> int:
    from farmgen.cli import main as cli_main

    try:
        cli_main.main(args=args, prog_name="farmgen", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile a farmgen command on the corpus.")
    parser.add_argument("command", nargs="+", help="farmgen arguments, e.g. validate")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="remove outputs and caches first")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--out", type=Path, help="also dump the raw profile here")
    args = parser.parse_args(argv)
    project = prepare(args.n, args.seed, args.cold)
    os.chdir(project)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    code = run_command(list(args.command))
    profiler.disable()
    elapsed = time.perf_counter() - start
    if args.out:
        profiler.dump_stats(str(args.out))
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)
    print(f"farmgen {' '.join(args.command)} in {project}: exit {code}, "
          f"{elapsed:.2f} s under the profiler")
    print(buffer.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
