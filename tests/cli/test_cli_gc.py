"""Commands run with rare cyclic garbage collection, and the thresholds come back."""

from __future__ import annotations

import gc

import click
from click.testing import CliRunner

from farmgen.cli import GC_GEN0_THRESHOLD, main
from farmgen.diagnostics import FarmgenError


def _invoke_probe(fail: bool) -> tuple[int, list[tuple[int, int, int]]]:
    seen: list[tuple[int, int, int]] = []

    @click.command("gc-probe")
    def probe() -> None:
        seen.append(gc.get_threshold())
        if fail:
            raise FarmgenError("probe failed")

    main.add_command(probe)
    try:
        result = CliRunner().invoke(main, ["gc-probe"])
    finally:
        main.commands.pop("gc-probe")
    return result.exit_code, seen


def test_a_command_runs_with_a_raised_threshold_then_restores_it() -> None:
    before = gc.get_threshold()
    code, seen = _invoke_probe(fail=False)
    assert code == 0
    assert seen[0][0] == GC_GEN0_THRESHOLD
    assert seen[0][0] > before[0]
    assert gc.get_threshold() == before


def test_thresholds_come_back_after_a_farmgen_error() -> None:
    before = gc.get_threshold()
    code, seen = _invoke_probe(fail=True)
    assert code == 1
    assert seen[0][0] == GC_GEN0_THRESHOLD
    assert gc.get_threshold() == before
