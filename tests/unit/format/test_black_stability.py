"""The formatter's fast path gives exactly black's output, for random schemas.

Templates lay Python out the way black would and the formatter skips black for
files whose lines all fit; this checks that shortcut never changes a byte.
"""

from __future__ import annotations

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farmgen.format import PythonFormatter
from farmgen.ir import (
    Constraints,
    Default,
    EmbeddedType,
    Field,
    Index,
    IndexKey,
    ListOf,
    Model,
    ModelRef,
    OnDelete,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.ir.names import index_name
from farmgen.ir.types import DictOf, EmbeddedRef, EnumRef
from farmgen.render import TemplateRenderer
from farmgen.targets.base import RenderContext
from farmgen.targets.beanie import BeanieOptions, BeanieTarget
from farmgen.targets.sqlalchemy import SqlAlchemyOptions, SqlAlchemyTarget
from tests.unit.targets.sample import enum

SRC = "schemas/random.yaml"
identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=120
).filter(str.strip)
SCALARS = [k for k in ScalarKind if k not in (ScalarKind.JSON,)]


@st.composite
def fields(draw: st.DrawFn, models: list[str], embedded: list[str]) -> Field:
    choices: list[object] = [Scalar(k) for k in SCALARS]
    choices += [
        ListOf(Scalar(ScalarKind.STRING)),
        DictOf(Scalar(ScalarKind.INT)),
        EnumRef("Colour"),
    ]
    choices += [EmbeddedRef(e) for e in embedded] + [ModelRef(m) for m in models]
    field_type = draw(st.sampled_from(choices))
    optional = draw(st.booleans())
    default = None
    if field_type == Scalar(ScalarKind.STRING) and draw(st.booleans()):
        default = Default.of(draw(texts))
    elif field_type == Scalar(ScalarKind.INT) and draw(st.booleans()):
        default = Default.of(draw(st.integers(-(10**12), 10**12)))
    elif field_type == EnumRef("Colour") and draw(st.booleans()):
        default = Default.of("light-blue")
    elif isinstance(field_type, ListOf | DictOf):
        default = Default.of([] if isinstance(field_type, ListOf) else {})
    constraints = Constraints()
    if field_type == Scalar(ScalarKind.STRING):
        constraints = Constraints(
            max_length=draw(st.none() | st.integers(1, 10_000)), pattern=draw(st.none() | texts)
        )
    if field_type == Scalar(ScalarKind.INT):
        constraints = Constraints(
            min=draw(st.none() | st.integers(-5, 0)), max=draw(st.none() | st.integers(1, 10**9))
        )
    return Field(
        draw(identifiers),
        field_type,  # type: ignore[arg-type]
        optional=optional or (isinstance(field_type, ModelRef) and draw(st.booleans())),
        default=default,
        constraints=constraints,
        description=draw(st.none() | texts),
        on_delete=OnDelete.CASCADE if isinstance(field_type, ModelRef) else None,
        index=draw(st.booleans()),
    )


def _unique(items: list[Field]) -> tuple[Field, ...]:
    seen: dict[str, Field] = {}
    for f in items:
        seen.setdefault(f.name, f)
    return tuple(seen.values())


@st.composite
def schemas(draw: st.DrawFn) -> Schema:
    names = draw(
        st.lists(
            st.from_regex(r"[A-Z][a-zA-Z]{2,40}", fullmatch=True),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    emb = EmbeddedType(
        "Nested", _unique(draw(st.lists(fields([], []), max_size=4))), draw(st.none() | texts), SRC
    )
    models = []
    for name in names:
        own = _unique(draw(st.lists(fields(names, ["Nested"]), min_size=1, max_size=6)))
        collection = name.lower() + "s"
        indexes = tuple(
            Index(index_name(collection, (f.name,), False), (IndexKey(f.name),), from_field=True)
            for f in own
            if f.index
        )
        models.append(
            Model(
                name,
                collection,
                own,
                indexes=indexes,
                description=draw(st.none() | texts),
                source=SRC,
            )
        )
    colours = enum("Colour", ["red", "light-blue"], SRC)
    return Schema((colours,), (emb,), tuple(models), (SRC,))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas(), st.sampled_from([60, 88, 100, 120]))
def test_fast_path_equals_black(schema: Schema, line_length: int) -> None:
    fast = PythonFormatter(line_length)
    mode = black.Mode(line_length=line_length)
    for target, options in (
        (BeanieTarget(), BeanieOptions()),
        (SqlAlchemyTarget(), SqlAlchemyOptions()),
    ):
        context = RenderContext(TemplateRenderer(target.name), "0.0.0", line_length)
        for file in target.render(schema, options, context):
            assert fast.format(file.content) == black.format_str(file.content, mode=mode)


def test_a_file_from_a_user_template_is_formatted_in_full_and_must_parse() -> None:
    from farmgen.diagnostics import FarmgenError
    from farmgen.format import format_file
    from farmgen.targets.base import Language, RenderedFile

    source = "x = {'a':1}\n"  # no over-long line: the fast path would keep it
    formatter = PythonFormatter()
    ours = RenderedFile("m.py", source, Language.PYTHON, "beanie")
    assert format_file(ours, formatter).content == source
    theirs = RenderedFile("m.py", source, Language.PYTHON, "beanie", "tpl/m.py.j2")
    assert format_file(theirs, formatter).content == 'x = {"a": 1}\n'
    broken = RenderedFile("m.py", "x = (\n", Language.PYTHON, "beanie", "tpl/m.py.j2")
    with pytest.raises(FarmgenError, match=r"m\.py of target beanie: .*tpl/m\.py\.j2.*1:5"):
        format_file(broken, formatter)
