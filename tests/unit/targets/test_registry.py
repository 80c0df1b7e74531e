"""The target registry fails loudly and loads third-party targets from entry points."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from farmgen.diagnostics import ConfigError, UsageError
from farmgen.ir import Schema
from farmgen.targets.base import (
    Language,
    RenderContext,
    RenderedFile,
    Target,
    TargetOptions,
    validate_options,
)
from farmgen.targets.beanie import BeanieTarget
from farmgen.targets.registry import (
    BUILTIN_TARGETS,
    DuplicateTargetError,
    TargetRegistry,
    build_registry,
)
from farmgen.targets.sqlalchemy import SqlAlchemyTarget
from farmgen.targets.typescript import TypeScriptTarget


class JsonOptions(TargetOptions):
    indent: int = 2


class JsonTarget:
    """A third-party target: the same protocol as the built-ins."""

    name: ClassVar[str] = "json"
    options_model: ClassVar[type[TargetOptions]] = JsonOptions

    def render(
        self, schema: Schema, options: TargetOptions, context: RenderContext
    ) -> list[RenderedFile]:
        names = [m.name for m in schema.models]
        return [RenderedFile("models.json", str(names), Language.TEXT, self.name)]


def test_builtins_are_registered_and_implement_the_protocol() -> None:
    registry = build_registry(extra=[])
    assert registry.names() == ["beanie", "sqlalchemy", "typescript"]
    for name, cls in (
        ("beanie", BeanieTarget),
        ("sqlalchemy", SqlAlchemyTarget),
        ("typescript", TypeScriptTarget),
    ):
        target = registry.get(name)
        assert isinstance(target, cls) and isinstance(target, Target)
    assert set(BUILTIN_TARGETS) == set(registry.names())


def test_an_entry_point_target_is_loaded_by_name() -> None:
    registry = build_registry(extra=[("json", f"{__name__}:JsonTarget")])
    target = registry.get("json")
    assert isinstance(target, JsonTarget)
    files = target.render(Schema(), JsonOptions(), None)  # type: ignore[arg-type]
    assert files[0].path == "models.json"


def test_a_duplicate_name_raises() -> None:
    with pytest.raises(DuplicateTargetError, match="'beanie' is registered twice"):
        build_registry(extra=[("beanie", f"{__name__}:JsonTarget")])


def test_an_unknown_name_raises_listing_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"unknown target 'beenie' \(known targets: beanie, "):
        build_registry(extra=[]).get("beenie")


def test_a_factory_returning_the_wrong_thing_is_refused() -> None:
    registry = TargetRegistry()
    registry.register("odd", JsonTarget)  # its name is "json", not "odd"
    with pytest.raises(ConfigError, match="does not implement"):
        registry.get("odd")


@pytest.mark.parametrize(
    ("target", "raw", "message"),
    [
        (TypeScriptTarget(), {"enum_style": "const"}, "enum_style"),
        (TypeScriptTarget(), {"colour": "blue"}, "colour: Extra inputs are not permitted"),
        (SqlAlchemyTarget(), {"decimal_scale": -1}, "decimal_scale"),
        (BeanieTarget(), {"anything": 1}, "anything"),
    ],
)
def test_options_are_validated_with_extra_keys_forbidden(
    target: Any, raw: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_options(target, raw)


def test_valid_options_are_typed() -> None:
    options = validate_options(TypeScriptTarget(), {"enum_style": "enum"})
    assert options.enum_style == "enum"  # type: ignore[attr-defined]


class ListTarget:
    """A third-party target with its own template folder."""

    name: ClassVar[str] = "listing"
    options_model: ClassVar[type[TargetOptions]] = TargetOptions
    templates_path: ClassVar[Path] = Path(__file__).parent / "plugin_templates"

    def render(
        self, schema: Schema, options: TargetOptions, context: RenderContext
    ) -> list[RenderedFile]:
        text = context.renderer.render(
            "models.txt.j2",
            comment="#",
            version=context.version,
            sources=list(schema.sources),
            names=[m.name for m in schema.models],
        )
        return [RenderedFile("models.txt", text, Language.TEXT, self.name)]


def test_a_plugin_target_renders_its_own_templates_through_the_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from farmgen.pipeline import generate_project
    from farmgen.targets import registry

    plugins = build_registry(extra=[("listing", f"{__name__}:ListTarget")])
    monkeypatch.setattr(registry, "_default", plugins)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "a.yaml").write_text(
        "farmgen: 1\nmodels:\n  Zebra:\n    fields:\n      name: string\n"
        "  Apple:\n    fields:\n      name: string\n"
    )
    (tmp_path / "farmgen.toml").write_text(
        'specs = ["schemas/*.yaml"]\n\n[targets.listing]\nout = "out"\n'
    )
    result = generate_project(tmp_path)
    assert result.written == 1
    text = (tmp_path / "out" / "models.txt").read_text()
    assert text.startswith("# This file was generated by farmgen ")
    assert text.endswith("- Zebra\n- Apple\n")
    assert generate_project(tmp_path).written == 0
