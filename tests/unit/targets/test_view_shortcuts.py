"""The shortcuts the targets take while building views keep their answers.

Decoded defaults are shared only when immutable, a ``time`` value nested in embedded
types is still found without walking them for every model, a call's one-line text
is the text of its arguments, and a TypeScript field reads and is sent alike only
when nothing differs on create.
"""

from __future__ import annotations

from farmgen.ir import (
    Default,
    DictOf,
    EmbeddedRef,
    EmbeddedType,
    Field,
    ListOf,
    Model,
    Scalar,
    ScalarKind,
    Schema,
)
from farmgen.render import TemplateRenderer
from farmgen.targets.base import RenderContext
from farmgen.targets.beanie import BeanieOptions, BeanieTarget
from farmgen.targets.python import Call, layout
from farmgen.targets.typescript import Namer, model_views
from farmgen.targets.values import default_value

TIME = Scalar(ScalarKind.TIME)
STRING = Scalar(ScalarKind.STRING)


def test_decoded_defaults_share_scalars_but_never_containers() -> None:
    assert default_value(Default.of("x")) == "x"
    assert default_value(Default.of(None)) is None
    assert isinstance(default_value(Default.of(1.0)), float)
    first, second = default_value(Default.of(["a"])), default_value(Default.of(["a"]))
    assert first == second == ["a"] and first is not second


def _documents(*models: Model, embedded: tuple[EmbeddedType, ...] = ()) -> str:
    schema = Schema(embedded=embedded, models=models, sources=("s.yaml",))
    context = RenderContext(TemplateRenderer("beanie"), "0")
    files = BeanieTarget().render(schema, BeanieOptions(), context)
    return next(f.content for f in files if f.path == "documents.py")


def test_time_values_are_found_through_nested_embedded_types() -> None:
    inner = EmbeddedType("Slot", (Field("at", ListOf(TIME)),))
    outer = EmbeddedType("Day", (Field("slots", ListOf(EmbeddedRef("Slot"))),))
    plain = EmbeddedType("Note", (Field("text", STRING),))
    embedded = (inner, outer, plain)
    nested = Model("Plan", "plans", (Field("days", DictOf(EmbeddedRef("Day"))),))
    direct = Model("Alarm", "alarms", (Field("ring", TIME),))
    without = Model("Memo", "memos", (Field("note", EmbeddedRef("Note")),))
    text = _documents(nested, direct, without, embedded=embedded)
    classes = {block.split("(")[0]: block for block in text.split("\n\n\nclass ")[1:]}
    assert "bson_encoders" in classes["Plan"]
    assert "bson_encoders" in classes["Alarm"]
    assert "bson_encoders" not in classes["Memo"]


def test_a_call_is_laid_out_from_its_arguments() -> None:
    inner = Call("f(", ("a", "b"), ")")
    outer = Call("[", (inner, "c"), "]", collection=True)
    assert outer.text == "[f(a, b), c]"
    assert layout(outer, "", 88, "x = ") == ["x = [f(a, b), c]"]
    assert layout(outer, "", 14, "x = ") == ["x = [", "    f(a, b),", "    c,", "]"]
    assert layout(Call("g(", (), ")"), "", 1) == ["g()"]


def test_typescript_properties_differ_on_create_only_where_they_must() -> None:
    fields = (
        Field("name", STRING),
        Field("count", Scalar(ScalarKind.INT), default=Default.of(0)),
        Field("slots", ListOf(EmbeddedRef("Slot"))),
        Field("created_at", Scalar(ScalarKind.DATETIME), mixin="timestamps"),
    )
    namer = Namer(frozenset({"Slot"}))
    read, create, _ = model_views(Model("Plan", "plans", fields), namer)
    by_key = {p.key: p for p in read.properties}
    sent = {p.key: p for p in create.properties}
    assert sent["name"] is by_key["name"]
    assert (by_key["count"].optional, sent["count"].optional) == (False, True)
    assert (by_key["slots"].type, sent["slots"].type) == ("Slot[]", "SlotInput[]")
    assert "created_at" not in sent and "created_at" in by_key
    assert namer.used == {("Slot", False), ("Slot", True)}
