"""The benchmark harness, report and runner: measured facts and verdicts, not speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import report
from bench.harness import Measurement, Sample, measure, run_once, unavailable
from bench.run import parse_monitor_output

REPO_ROOT = Path(__file__).resolve().parents[2]


def _m(name: str, *walls: float, rss: float = 50.0, code: int = 0) -> Measurement:
    return Measurement(name, [Sample(w, rss, code, "", "") for w in walls])


def test_run_once_keeps_exit_code_output_and_peak_rss(tmp_path: Path) -> None:
    script = "import sys; b = bytearray(64 * 1024 * 1024); print('out'); sys.exit(3)"
    sample = run_once([sys.executable, "-c", script], tmp_path)
    assert sample.exit_code == 3
    assert sample.stdout.strip() == "out"
    assert sample.rss_mb >= 64
    assert sample.wall > 0


def test_measure_prepares_every_run_and_reports_failures(tmp_path: Path) -> None:
    calls: list[int] = []
    marker = tmp_path / "marker"

    def before(i: int) -> None:
        calls.append(i)
        marker.write_text(str(i))

    script = "import pathlib, sys; sys.exit(int(pathlib.Path('marker').read_text()) % 2)"
    result = measure("x", [sys.executable, "-c", script], tmp_path, 3, before=before)
    assert calls == [0, 1, 2]
    assert [s.exit_code for s in result.samples] == [0, 1, 0]
    assert result.note.startswith("exit 0,1")


def test_statistics() -> None:
    m = _m("x", 3.0, 1.0, 2.0, 10.0, 4.0)
    assert (m.median, m.minimum, m.maximum) == (3.0, 1.0, 10.0)
    assert m.peak_rss_mb == 50.0


def test_table_judges_targets_and_ratios() -> None:
    results = {
        "floor": _m("floor", 0.02),
        "dmcg": _m("dmcg", 20.0),
        "generate_cold": _m("generate_cold", 4.0, rss=200.0),
        "check": _m("check", 0.4),
        "validate": _m("validate", 1.6),
        "migrate_noop": unavailable("migrate_noop", "not available (no `farmgen migrate`)"),
    }
    results["generate_rss"] = results["generate_cold"]
    lines = {line.split(" | ")[0].lstrip("| "): line for line in
             report.table(1000, results).splitlines()}
    assert lines["`farmgen check`, up to date, N=1000"].endswith("| yes |")
    assert lines["`farmgen validate`, N=1000"].endswith("| **no** |")
    cold = lines["`farmgen generate`, 3 targets, cold, N=1000"]
    assert "| 0.20x |" in cold
    assert "| 200x |" in cold
    assert cold.endswith("| yes |")
    assert lines["peak RSS of cold `farmgen generate`, N=1000"].endswith("| **no** |")
    assert "not available (no `farmgen migrate`)" in lines[
        "`farmgen migrate make`, no change, N=1000"]


def test_a_failed_command_never_meets_its_target() -> None:
    results = {"check": _m("check", 0.1, code=1)}
    row = next(line for line in report.table(10, results).splitlines() if "check" in line)
    assert row.endswith("| no (failed) |")


def test_monitor_output_in_json_or_plain_text() -> None:
    assert parse_monitor_output('{"overhead_pct": {"sqlite": 3.5, "postgresql": 4}}') == {
        "sqlite": 3.5, "postgresql": 4.0}
    text = "SQLite: 10000 queries, overhead 2.5%\npostgres overhead: 7.25 %\nother line"
    assert parse_monitor_output(text) == {"sqlite": 2.5, "postgresql": 7.25}
    assert parse_monitor_output("nothing here") == {}
    table = ("database     queries      without         with  overhead\n"
             "sqlite         10000      85.3 us      87.1 us      2.1%\n"
             "postgresql     10000     210.0 us     215.5 us     12.6%\n"
             "limit: 10% (exceeded)\n")
    assert parse_monitor_output(table) == {"sqlite": 2.1, "postgresql": 12.6}


def test_monitor_rows_are_percentages() -> None:
    results = {"monitor_sqlite": Measurement("monitor_sqlite", [Sample(12.0, 1, 0, "", "")],
                                             unit="%")}
    row = next(line for line in report.table(10, results).splitlines() if "sqlite" in line)
    assert "| 12.0% |" in row
    assert row.endswith("| **no** |")


def test_runner_help_lists_its_options() -> None:
    proc = subprocess.run([sys.executable, "bench/run.py", "--help"], cwd=REPO_ROOT,
                          capture_output=True, text=True, check=True)
    for option in ("--n", "--runs", "--quick"):
        assert option in proc.stdout


def test_peak_rss_is_the_child_s_own_not_the_harness_s(tmp_path: Path) -> None:
    import pytest

    from bench.harness import GNU_TIME

    if not GNU_TIME.exists():
        pytest.skip("needs GNU time at /usr/bin/time")
    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    sample = run_once([sys.executable, "-c", "pass"], tmp_path)
    assert sample.rss_mb < 100
    assert len(ballast) > 0


def test_the_readme_table_is_replaced_between_the_markers() -> None:
    from bench.run import README_END, README_START, with_results

    readme = f"intro\n{README_START}\nold table\n{README_END}\nrest\n"
    assert with_results(readme, "new\n| table |\n") == (
        f"intro\n{README_START}\nnew\n| table |\n{README_END}\nrest\n"
    )
    with pytest.raises(ValueError, match="bench:start"):
        with_results("no markers", "x")
