"""A spec whose names and texts try to break every target.

Names that are keywords in Python or TypeScript (``class``, ``from``, ``default``,
``delete``, ``function``, ``with``, ``yield``, ``lambda``), non-ASCII names, names
that pydantic, Beanie and SQLAlchemy reserve (``schema``, ``model_config``,
``metadata``, ``registry``, ``save``, ``model_fields``) and descriptions and defaults
holding ``\"\"\"``, ``*/``, ``{{ }}``, ``{% %}``, backslashes, quotes and newlines.
Every target's output must compile, run, and keep the data under the spec's names.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import black
import pytest
from beanie import init_beanie
from sqlalchemy import event, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from farmgen.pipeline import generate
from farmgen.project import load_project
from tests.generated.support import import_generated, unload, unload_sqlalchemy
from tests.generated.test_python_quality import _run, _tool
from tests.generated.test_sql_schema_agreement import compare_with_migrations
from tests.generated.test_typescript_output import require_tsc, tsc

SPEC_DIR = Path(__file__).parent / "adversarial"
TRICKY = '""" */ {{ x }} {% y %} \\ \''
MULTILINE = 'line one\nline two """ end'


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("adversarial")
    shutil.copytree(SPEC_DIR, root, dirs_exist_ok=True)
    result = generate(load_project(root))
    assert result.written == 10
    return root


@pytest.fixture(scope="module")
def beanie_pkg(project_dir: Path) -> Iterator[ModuleType]:
    module = import_generated("adversarial", "beanie", project_dir / "generated" / "beanie")
    yield module
    unload(module.__name__)


@pytest.fixture(scope="module")
def sql_pkg(project_dir: Path) -> Iterator[ModuleType]:
    module = import_generated("adversarial", "sqlalchemy", project_dir / "generated" / "sqlalchemy")
    yield module
    unload_sqlalchemy(module)


def test_python_output_is_black_formatted(project_dir: Path) -> None:
    for path in sorted((project_dir / "generated").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=black.Mode(line_length=88)) == text, path


def test_texts_survive_into_python_exactly(beanie_pkg: ModuleType, sql_pkg: ModuleType) -> None:
    details = beanie_pkg.Détails()
    assert details.from_ == TRICKY
    assert beanie_pkg.Kind.__doc__ == (
        'Ends a docstring early? """ and a comment */ and {{ jinja }} {% raw %}'
    )
    assert "\n" in (beanie_pkg.Détails.__doc__ or "")
    assert beanie_pkg.Class.model_fields["default"].description == (
        '*/ closes a comment; """ a docstring'
    )
    assert sql_pkg.Détails().from_ == TRICKY
    assert [k.value for k in beanie_pkg.Kind] == [
        "class",
        "from",
        "default",
        "delete",
        "function",
        "with space",
        "ünï",
        "1st",
        "a-b",
    ]


async def test_beanie_keeps_the_spec_names(beanie_pkg: ModuleType, mongo_database: Any) -> None:
    await init_beanie(database=mongo_database, document_models=beanie_pkg.DOCUMENT_MODELS)
    target = await beanie_pkg.Class(default="d", import_="i", registry_="r").insert()
    fn = await beanie_pkg.Function(class_=target, with_=[target], lambda_="1.5").insert()
    raw_class = await mongo_database["classes"].find_one({"_id": target.id})
    raw_fn = await mongo_database["functions"].find_one({"_id": fn.id})
    assert {
        "default",
        "delete",
        "function",
        "metadata",
        "registry",
        "save",
        "model_fields",
        "détails",
        "import",
    } <= set(raw_class)
    assert raw_class["détails"]["from"] == TRICKY
    assert raw_class["function"] == "with space"
    assert raw_class["model_fields"] == ["a", '"b"', "c\\d"]
    assert {"class", "with", "yield", "lambda", "async"} <= set(raw_fn)
    assert raw_fn["async"] == MULTILINE
    assert raw_class["détails"]["self"] is True
    found = await beanie_pkg.Function.get(fn.id)
    assert found is not None and found.async_ == MULTILINE and str(found.lambda_) == "1.5"


@pytest.fixture
async def sql_session(sql_url: str, sql_pkg: ModuleType) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(sql_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    async with engine.begin() as conn:
        await conn.run_sync(sql_pkg.Base.metadata.create_all)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
    await engine.dispose()


async def test_sqlalchemy_keeps_the_spec_names(
    sql_session: AsyncSession, sql_pkg: ModuleType
) -> None:
    target = sql_pkg.Class(default="d", import_="i")
    fn = sql_pkg.Function(class_=target, with_=[target], async_="x")
    sql_session.add_all([target, fn])
    await sql_session.commit()

    def columns(conn: Any) -> dict[str, set[str]]:
        inspector = inspect(conn)
        return {t: {c["name"] for c in inspector.get_columns(t)} for t in ("classes", "functions")}

    found = await (await sql_session.connection()).run_sync(columns)
    assert {
        "default",
        "delete",
        "function",
        "metadata",
        "registry",
        "save",
        "model_fields",
        "détails",
        "import",
        "order",
        "type",
    } <= found["classes"]
    assert {"class_id", "yield_id", "lambda", "async"} <= found["functions"]
    row = (await sql_session.scalars(select(sql_pkg.Class))).one()
    assert row.détails.from_ == TRICKY
    assert row.détails.self_ is True
    assert row.model_fields_ == ["a", '"b"', "c\\d"]
    assert row.function is sql_pkg.Kind.WITH_SPACE


async def test_sqlalchemy_models_match_the_migration_schema(
    project_dir: Path, sql_pkg: ModuleType, sql_url: str
) -> None:
    assert await compare_with_migrations(project_dir, sql_pkg, sql_url) == []


def test_typescript_output_type_checks(project_dir: Path, tmp_path: Path) -> None:
    require_tsc()
    for path in (project_dir / "generated" / "ts").glob("*.ts"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "usage.ts").write_text(
        'import type { ClassCreate, Function } from "./index";\n'
        'const c: ClassCreate = { default: "d", "détails": { from: "x" } };\n'
        "const f = (fn: Function): string => fn.class + fn.async + String(fn.with.length);\n"
        "export { c, f };\n",
        encoding="utf-8",
    )
    result = tsc(tmp_path, ["adversarial.ts", "index.ts", "usage.ts"])
    assert result.returncode == 0, result.stdout


def test_mypy_accepts_the_python_output(project_dir: Path, tmp_path: Path) -> None:
    for target in ("beanie", "sqlalchemy"):
        shutil.copytree(project_dir / "generated" / target, tmp_path / f"adv_{target}")
    checked = _run(
        [
            _tool("mypy"),
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".m"),
            "-p",
            "adv_beanie",
            "-p",
            "adv_sqlalchemy",
        ],
        tmp_path,
    )
    assert checked.returncode == 0, checked.stdout
