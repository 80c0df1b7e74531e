"""``farmgen validate`` with a warm parse cache imports neither PyYAML nor the format models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from farmgen.cli.spec_commands import INIT_FILES

_PROBE = """
import sys
from farmgen.cli import main
try:
    main(prog_name="farmgen", args=["validate"])
except SystemExit as exc:
    code = exc.code
light = ("yaml", "farmgen.spec.format", "farmgen.spec.yaml_source")
print("EXIT", code, "LOADED", ",".join(m for m in light if m in sys.modules) or "-")
"""


def _validate(cwd: Path) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.splitlines()


def test_a_second_validate_reads_every_spec_from_the_parse_cache(tmp_path: Path) -> None:
    for name, text in INIT_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    first = _validate(tmp_path)
    second = _validate(tmp_path)
    assert first[-1] == "EXIT 0 LOADED yaml,farmgen.spec.yaml_source"
    assert second[-1] == "EXIT 0 LOADED -"
    assert first[0] == second[0] == "2 models, 1 enum, 1 embedded type in 1 file"
