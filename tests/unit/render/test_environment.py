"""The Jinja environment: strict undefined, user templates tried first."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.diagnostics import FarmgenError
from farmgen.render import TemplateRenderer
from farmgen.render.environment import environment


def test_a_user_template_overrides_the_built_in_one_by_name(tmp_path: Path) -> None:
    (tmp_path / "index.ts.j2").write_text("// custom {{ modules | length }}\n")
    renderer = TemplateRenderer("typescript", tmp_path)
    assert renderer.render("index.ts.j2", modules=["a", "b"]) == "// custom 2\n"
    # templates the user did not override still come from farmgen
    builtin = TemplateRenderer("typescript")
    text = builtin.render(
        "index.ts.j2", comment="//", version="9", sources=["s.yaml"], modules=["./a"]
    )
    assert 'export * from "./a";' in text


def test_shared_templates_can_be_overridden_too(tmp_path: Path) -> None:
    (tmp_path / "_shared").mkdir()
    (tmp_path / "_shared" / "header.j2").write_text("{{ comment }} mine\n")
    renderer = TemplateRenderer("typescript", tmp_path)
    text = renderer.render("index.ts.j2", comment="//", version="9", sources=[], modules=[])
    assert text.startswith("// mine\n")


def test_an_undefined_variable_is_an_error_not_an_empty_string() -> None:
    renderer = TemplateRenderer("typescript")
    with pytest.raises(FarmgenError, match="template error: 'version' is undefined"):
        renderer.render("index.ts.j2", comment="//", sources=[], modules=[])


def test_a_missing_template_names_the_target() -> None:
    with pytest.raises(FarmgenError, match=r"template 'nope\.j2' of target 'beanie' not found"):
        TemplateRenderer("beanie").render("nope.j2")


def test_environments_are_cached_per_target_and_directory(tmp_path: Path) -> None:
    assert environment("beanie") is environment("beanie")
    assert environment("beanie", tmp_path) is not environment("beanie")


def test_renders_involving_a_user_template_name_it(tmp_path: Path) -> None:
    (tmp_path / "_shared").mkdir()
    (tmp_path / "_shared" / "header.j2").write_text("{{ comment }} mine\n")
    renderer = TemplateRenderer("typescript", tmp_path)
    text = renderer.render("index.ts.j2", comment="//", version="9", sources=[], modules=[])
    # the built-in index template includes the user's header
    assert renderer.origin(text) == str(tmp_path / "_shared" / "header.j2")
    builtin = TemplateRenderer("typescript")
    text = builtin.render("index.ts.j2", comment="//", version="9", sources=[], modules=[])
    assert builtin.origin(text) is None


def test_a_third_party_targets_output_is_attributed_to_its_templates(tmp_path: Path) -> None:
    (tmp_path / "out.py.j2").write_text("x = 1\n")
    renderer = TemplateRenderer("plugin", target_templates=tmp_path)
    assert renderer.origin(renderer.render("out.py.j2")) == str(tmp_path / "out.py.j2")
    assert renderer.origin("assembled elsewhere\n") == str(tmp_path)
