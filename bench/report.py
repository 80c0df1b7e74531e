"""The results table: figures, ratios against the peers, and issue 7's targets.

Every row compares its median with the target; the peers (``python -c pass`` and
datamodel-code-generator) were measured in the same run, side by side.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bench.harness import Measurement

Results = Mapping[str, Measurement]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    target: str = ""
    check: Callable[[Measurement, Results], bool | None] | None = None
    """True/False when the target is met/missed; None when it cannot be judged."""


def _under(seconds: float) -> Callable[[Measurement, Results], bool | None]:
    return lambda m, _r: m.median <= seconds


def _ratio_of(other: str, factor: float) -> Callable[[Measurement, Results], bool | None]:
    def check(m: Measurement, results: Results) -> bool | None:
        peer = results.get(other)
        if peer is None or not peer.ok:
            return None
        return m.median <= factor * peer.median
    return check


def _rss_under(mb: float) -> Callable[[Measurement, Results], bool | None]:
    return lambda m, _r: m.peak_rss_mb <= mb


def _overhead_under(pct: float) -> Callable[[Measurement, Results], bool | None]:
    return lambda m, _r: m.median <= pct


def rows(n: int) -> list[Row]:
    return [
        Row("floor", "`python -c pass` (floor)"),
        Row("startup", "`farmgen --version` (start-up)"),
        Row("dmcg", f"datamodel-codegen 0.89, black+isort, 1 target, N={n}"),
        Row("dmcg_plain", f"datamodel-codegen 0.89, no formatting, 1 target, N={n}"),
        Row("check", f"`farmgen check`, up to date, N={n}", "≤ 0.5 s", _under(0.5)),
        Row("check_fresh", f"`farmgen check`, fresh clone, N={n}", "≤ 0.5 s", _under(0.5)),
        Row("blog_check", "`farmgen check`, up to date, examples/blog", "≤ 0.15 s",
            _under(0.15)),
        Row("blog_check_fresh", "`farmgen check`, fresh clone, examples/blog", "≤ 0.15 s",
            _under(0.15)),
        Row("generate_cold", f"`farmgen generate`, 3 targets, cold, N={n}",
            "≤ 0.25 x datamodel-codegen", _ratio_of("dmcg", 0.25)),
        Row("generate_edit", f"one-model edit, then `farmgen generate`, N={n}",
            "≤ 10% of cold generate", _ratio_of("generate_cold", 0.10)),
        Row("migrate_noop", f"`farmgen migrate make`, no change, N={n}", "≤ 2 s", _under(2.0)),
        Row("validate", f"`farmgen validate`, N={n}", "≤ 1.5 s", _under(1.5)),
        Row("generate_rss", f"peak RSS of cold `farmgen generate`, N={n}", "≤ 150 MB",
            _rss_under(150.0)),
    ]


def monitor_rows(results: Results) -> list[Row]:
    return [Row(key, f"runtime monitor overhead, {key.removeprefix('monitor_')}, "
                     "10,000 queries", "≤ 10%", _overhead_under(10.0))
            for key in sorted(results) if key.startswith("monitor_")]


def _fmt_s(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _ratio(row: Row, m: Measurement, results: Results, key: str) -> str:
    peer = results.get(key)
    if peer is None or not peer.ok or row.key in (key, "floor"):
        return ""
    ratio = m.median / peer.median
    if ratio >= 10:
        return f"{ratio:.0f}x"
    return f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.3f}x"


def _verdict(row: Row, m: Measurement, results: Results) -> str:
    if row.check is None:
        return ""
    if not m.ok:
        return "—"
    met = row.check(m, results)
    if met is None:
        return "?"
    if met and m.exit_codes != [0]:
        return "no (failed)"
    return "yes" if met else "**no**"


def _cells(row: Row, m: Measurement, results: Results) -> list[str]:
    if not m.ok:
        return [row.label, m.note or "not available", "", "", "", "", row.target, "—"]
    if m.unit == "%":
        spread = f"{m.minimum:.1f}..{m.maximum:.1f}%" if len(m.samples) > 1 else ""
        return [row.label, f"{m.median:.1f}%", spread, "", "", "", row.target,
                _verdict(row, m, results)]
    rss = f"{m.peak_rss_mb:.0f} MB"
    if row.key == "generate_rss":
        return [row.label, rss, "", "", "", "", row.target, _verdict(row, m, results)]
    label = row.label + (f" ({m.note})" if m.note else "")
    return [label, _fmt_s(m.median), f"{_fmt_s(m.minimum)}..{_fmt_s(m.maximum)}", rss,
            _ratio(row, m, results, "floor"), _ratio(row, m, results, "dmcg"), row.target,
            _verdict(row, m, results)]


HEADER = ["benchmark", "median", "min..max", "peak RSS", "x floor", "x dmcg", "target", "met"]


def table(n: int, results: Results) -> str:
    """A Markdown table of every row that was measured or skipped, in a fixed order."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in rows(n) + monitor_rows(results):
        m = results.get(row.key)
        if m is None:
            continue
        lines.append("| " + " | ".join(_cells(row, m, results)) + " |")
    return "\n".join(lines)


def as_json(n: int, results: Results, meta: Mapping[str, Any]) -> str:
    data = {
        "meta": dict(meta),
        "n": n,
        "results": {
            key: {
                "available": m.available,
                "note": m.note,
                "wall_s": m.walls,
                "rss_mb": [s.rss_mb for s in m.samples],
                "exit_codes": [s.exit_code for s in m.samples],
            }
            for key, m in results.items()
        },
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
