"""farmgen's public names are pinned: adding or removing one is a deliberate change."""

from __future__ import annotations

import subprocess
import sys

import pytest

import farmgen


def test_all_is_pinned() -> None:
    assert sorted(farmgen.__all__) == ["__version__", "check", "generate", "load_project"]


@pytest.mark.parametrize("name", farmgen.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(farmgen, name) is not None


def test_unknown_attributes_raise() -> None:
    with pytest.raises(AttributeError):
        farmgen.no_such_name  # noqa: B018


def test_importing_farmgen_is_cheap() -> None:
    probe = (
        "import sys, farmgen; "
        "print(sorted(m for m in ('yaml', 'pydantic', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_project_is_the_project_loader() -> None:
    from farmgen.project import load_project

    assert farmgen.load_project is load_project
