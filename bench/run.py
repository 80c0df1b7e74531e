"""Run every benchmark of issue 7 and print one table.

    .venv/bin/python bench/run.py            # N=1000, 5 runs (3 for datamodel-codegen)
    .venv/bin/python bench/run.py --quick    # N=200, 3 runs, 1 peer run: a smoke run
    .venv/bin/python bench/run.py --n 2000 --runs 7 --keep

Figures go to stdout (a Markdown table) and to ``bench/results/`` (git-ignored):
``latest.md`` and ``latest.json`` with every sample. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report
from bench.harness import Measurement, Sample, run_once, unavailable
from bench.suite import REPO_ROOT, Options, Suite

RESULTS_DIR = REPO_ROOT / "bench" / "results"
README = REPO_ROOT / "README.md"
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def with_results(readme: str, text: str) -> str:
    """``readme`` with the text between the benchmark markers replaced by ``text``."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {README_START} ... {README_END} section")
    return readme[: start + len(README_START)] + "\n" + text.strip() + "\n" + readme[end:]
MONITOR_SCRIPT = REPO_ROOT / "bench" / "monitor_overhead.py"
_DB = r"(sqlite|postgres(?:ql)?|mysql|mariadb|mongo(?:db)?)\b"
_PERCENT = re.compile(_DB + r".*?(-?\d+(?:\.\d+)?)\s*%", re.IGNORECASE)
_TABLE_ROW = re.compile(r"^\s*" + _DB + r".*?(-?\d+(?:\.\d+)?)\s*%\s*$", re.IGNORECASE)


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse_monitor_output(text: str) -> dict[str, float]:
    """Overhead percentages per database from ``monitor_overhead.py``'s output.

    Understands a JSON object line (``{"sqlite": 3.2, "postgresql": 4.1}`` or
    ``{"overhead_pct": {...}}``), table rows that start with the database and end
    with the percentage (``sqlite  10000  85.3 us  87.1 us  2.1%``), and lines such
    as ``sqlite ... overhead 3.2%``.
    """
    found: dict[str, float] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                data = None
            if isinstance(data, dict):
                found.update(_json_percentages(data))
                continue
        match = _TABLE_ROW.match(line) or (
            _PERCENT.search(line) if "overhead" in line.lower() else None)
        if match:
            db = match.group(1).lower()
            db = {"postgres": "postgresql", "mongo": "mongodb"}.get(db, db)
            found[db] = float(match.group(2))
    return found


def _json_percentages(data: dict[str, Any]) -> dict[str, float]:
    inner = next((v for k, v in data.items() if "overhead" in k and isinstance(v, dict)), data)
    return {str(k): float(v) for k, v in inner.items()
            if isinstance(v, int | float) and not isinstance(v, bool)}


def run_monitor(suite: Suite) -> dict[str, Measurement]:
    if not MONITOR_SCRIPT.exists():
        return {"monitor_sqlite": unavailable("monitor_sqlite",
                                              "not available (no bench/monitor_overhead.py)")}
    progress("runtime monitor overhead (bench/monitor_overhead.py)")
    sample = run_once([sys.executable, str(MONITOR_SCRIPT)], REPO_ROOT, suite.env, 1800)
    values = parse_monitor_output(sample.stdout)
    if not values:
        tail = (sample.stderr.strip() or sample.stdout.strip()).splitlines()[-1:]
        why = f"exit {sample.exit_code}: {tail[0][:80]}" if tail else f"exit {sample.exit_code}"
        return {"monitor_sqlite": unavailable("monitor_sqlite", why)}
    return {
        f"monitor_{db}": Measurement(f"monitor_{db}", [Sample(pct, sample.rss_mb, 0, "", "")],
                                     unit="%")
        for db, pct in sorted(values.items())
    }


def run_generate(suite: Suite, results: dict[str, Measurement]) -> bool:
    progress("cold farmgen generate")
    cold = suite.farmgen("generate_cold", suite.project, ("generate",),
                         before=lambda _i: suite.clean_outputs(), env=suite.fresh_env)
    results["generate_cold"] = results["generate_rss"] = cold
    if not cold.ok or cold.exit_codes != [0]:
        why = cold.note if not cold.ok else f"not run (cold generate failed: {cold.note})"
        results["generate_edit"] = unavailable("generate_edit", why)
        return False
    progress("one-model edit, then farmgen generate")
    results["generate_edit"] = suite.farmgen("generate_edit", suite.project, ("generate",),
                                             before=suite.edit)
    suite.restore()
    suite.step(suite.project, "generate")
    return True


def run_corpus(suite: Suite, results: dict[str, Measurement]) -> None:
    progress("farmgen validate")
    results["validate"] = suite.farmgen("validate", suite.project, ("validate",))
    generated = run_generate(suite, results)
    if not suite.missing("migrate", "make"):
        suite.step(suite.project, "migrate", "make", "initial")
        progress("farmgen migrate make, no change")
        keep = suite.migrations_snapshot()
        results["migrate_noop"] = suite.farmgen(
            "migrate_noop", suite.project, ("migrate", "make", "bench_noop"),
            before=suite.drop_new_migrations(keep))
        suite.drop_new_migrations(keep)(0)
    else:
        results["migrate_noop"] = unavailable("migrate_noop", suite.missing("migrate", "make")
                                              or "")
    if not generated:
        why = "not available (generate did not run)"
        results["check"] = unavailable("check", suite.missing("check") or why)
        results["check_fresh"] = unavailable("check_fresh", suite.missing("check") or why)
        return
    check_project(suite, results, suite.project, "check")


def check_project(suite: Suite, results: dict[str, Measurement], root: Path, key: str) -> None:
    suite.commit(root)
    suite.step(root, "check")
    progress(f"farmgen check ({root.name}, up to date)")
    results[key] = suite.farmgen(key, root, ("check",))
    progress(f"farmgen check ({root.name}, fresh clone)")
    clone = suite.work / f"{root.name}-clone"

    def reclone(_: int) -> None:
        suite.fresh_clone(root)

    results[f"{key}_fresh"] = suite.farmgen(f"{key}_fresh", clone, ("check",),
                                            env=suite.fresh_env, before=reclone)


def run_all(suite: Suite, opts: Options) -> dict[str, Measurement]:
    results: dict[str, Measurement] = {}
    if not opts.editable:
        progress("installing a wheel of the working tree")
        suite.install_wheel()
    corpus = suite.write_corpus()
    progress(f"corpus: {len(corpus.models)} models, {corpus.classes} classes, "
             f"{len(corpus.files)} spec files in {suite.project}")
    results["floor"] = suite.floor()
    results["startup"] = suite.farmgen("startup", suite.work, ("--version",))
    progress(f"datamodel-codegen on the same models ({opts.peer_runs} runs)")
    results["dmcg"] = suite.peer("dmcg")
    if not opts.quick:
        results["dmcg_plain"] = suite.peer("dmcg_plain", "--no-formatters")
    run_corpus(suite, results)
    if suite.copy_blog():
        check_project(suite, results, suite.blog, "blog_check")
    else:
        for key in ("blog_check", "blog_check_fresh"):
            results[key] = unavailable(key, "not available (no examples/blog yet)")
    results.update(run_monitor(suite))
    return results


def machine() -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                  if ln.startswith("model name")]
        cpu = models[0] if models else ""
    return {"cores": os.cpu_count(), "cpu": cpu, "platform": platform.platform(),
            "python": platform.python_version(), "load": _load()}


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def parse_args(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = argparse.ArgumentParser(description="Run farmgen's benchmarks (issue 7).")
    parser.add_argument("--n", type=int, help="models in the corpus (default 1000; quick 200)")
    parser.add_argument("--runs", type=int, help="runs per benchmark (default 5; quick 3)")
    parser.add_argument("--peer-runs", type=int,
                        help="runs of datamodel-codegen (default 3; quick 1)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--quick", action="store_true", help="a small, fast smoke run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--editable", action="store_true",
                        help="run the venv's farmgen (default: a wheel built from the tree)")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    parser.add_argument("--readme", action="store_true",
                        help="also put the table into README.md (between the bench markers)")
    args = parser.parse_args(argv)
    q = args.quick
    opts = Options(n=args.n or (200 if q else 1000), seed=args.seed,
                   runs=args.runs or (3 if q else 5),
                   peer_runs=args.peer_runs or (1 if q else 3), quick=q,
                   editable=args.editable)
    return opts, args


def header(opts: Options, meta: dict[str, Any]) -> str:
    return (f"farmgen benchmarks, {meta['date']}: N={opts.n} models (seed {opts.seed}), "
            f"{opts.runs} runs ({opts.peer_runs} for datamodel-codegen); "
            f"farmgen from {meta['farmgen']}; "
            f"{meta['cores']} cores, {meta['cpu'] or meta['platform']}, Python {meta['python']}; "
            f"load average {meta['load_before']} before, {meta['load']} after")


def main(argv: list[str] | None = None) -> int:
    opts, args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="farmgen-bench-"))
    suite = Suite(opts, work)
    load_before = _load()
    try:
        results = run_all(suite, opts)
    finally:
        if args.keep:
            progress(f"scratch directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = {**machine(), "load_before": load_before, "date": now,
            "farmgen": suite.installed_from, "setup": suite.log}
    text = header(opts, meta) + "\n\n" + report.table(opts.n, results) + "\n"
    print(text)
    for line in suite.log:
        progress(f"set-up: {line}")
    if not args.no_save:
        RESULTS_DIR.mkdir(exist_ok=True)
        (RESULTS_DIR / "latest.md").write_text(text)
        (RESULTS_DIR / "latest.json").write_text(report.as_json(opts.n, results, meta))
    if args.readme:
        README.write_text(with_results(README.read_text(), text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
