"""Run a command in its own process and measure it: wall time and peak RSS.

Each run is one isolated child process, reaped with :func:`os.wait4`, so the
resource usage is that child's own, not a sum over the whole benchmark. The peak
RSS comes from GNU ``/usr/bin/time -f %M`` when it is there: Linux starts a child's
``ru_maxrss`` at its parent's RSS when the child is forked from a large process
(this harness), so a small command would otherwise show the harness's size.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TIMEOUT = 900.0
GNU_TIME = Path("/usr/bin/time")


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall: float
    """Seconds, from just before the process starts to just after it is reaped."""
    rss_mb: float
    """Peak resident set size in MiB (``ru_maxrss``)."""
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class Measurement:
    """Every run of one benchmark, and what it is compared with."""

    name: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    available: bool = True
    unit: str = "s"
    """``s`` for timed commands; ``%`` when each sample's ``wall`` holds a percentage
    reported by a benchmark script (the runtime monitor's overhead)."""

    @property
    def ok(self) -> bool:
        return self.available and bool(self.samples)

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def minimum(self) -> float:
        return min(self.walls)

    @property
    def maximum(self) -> float:
        return max(self.walls)

    @property
    def peak_rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)

    @property
    def exit_codes(self) -> list[int]:
        return sorted({s.exit_code for s in self.samples})


def run_once(cmd: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None,
             timeout: float = DEFAULT_TIMEOUT) -> Sample:
    """Run ``cmd`` once; its output is kept (not timed through a pipe) for messages."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        full = list(cmd)
        if GNU_TIME.exists():
            full = [str(GNU_TIME), "-f", "%M", "-o", rss_file.name, *full]
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, env=dict(env) if env else None,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        timer = threading.Timer(timeout, _kill, (proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(
            wall=wall,
            rss_mb=_reported_kb(rss_file.read(), usage.ru_maxrss) / 1024.0,
            exit_code=proc.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def _reported_kb(time_output: str, fallback_kb: int) -> int:
    """The ``%M`` figure GNU time wrote (its last line), else ``ru_maxrss``."""
    lines = time_output.strip().splitlines()
    if lines and lines[-1].strip().isdigit():
        return int(lines[-1].strip())
    return fallback_kb


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return


def measure(name: str, cmd: Sequence[str], cwd: Path, runs: int, *,
            env: Mapping[str, str] | None = None,
            before: Callable[[int], None] | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> Measurement:
    """Run ``cmd`` ``runs`` times; ``before(i)`` prepares run ``i`` and is not timed."""
    result = Measurement(name)
    for i in range(runs):
        if before is not None:
            before(i)
        result.samples.append(run_once(cmd, cwd, env, timeout))
    codes = result.exit_codes
    if codes != [0]:
        last = next(s for s in reversed(result.samples) if s.exit_code != 0)
        detail = (last.stderr.strip() or last.stdout.strip()).splitlines()
        result.note = f"exit {','.join(map(str, codes))}" + (f": {detail[-1][:80]}"
                                                             if detail else "")
    return result


def unavailable(name: str, why: str) -> Measurement:
    return Measurement(name, note=why, available=False)
