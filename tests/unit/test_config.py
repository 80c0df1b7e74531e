# ruff: noqa: E501  (expected messages stay on one line, as farmgen prints them)
"""farmgen.toml / [tool.farmgen]: discovery, values, and errors with positions."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farmgen.config import Config, find_config, load_config, parse_config
from farmgen.diagnostics import ConfigError, UsageError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def config_errors(tmp_path: Path, text: str, name: str = "farmgen.toml") -> list[str]:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as info:
        parse_config(path.read_text(), path)
    return info.value.lines()


def test_values_of_a_full_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLOG_DB", "sqlite+aiosqlite:///x.db")
    path = write(
        tmp_path / "farmgen.toml",
        """
        specs = ["schemas/*.yaml", {path = "api/openapi.json", format = "openapi"}]
        migrations = "db/migrations"

        [targets.beanie]
        out = "generated/beanie"
        template_dir = "templates/beanie"

        [targets.typescript]
        out = "web/src/types"
        enum_style = "enum"

        [lint]
        drop_collection = "error"
        add_required_field = "off"

        [database]
        type = "sqlite"
        url = "${BLOG_DB}"

        [database.pool]
        max_size = 7
        """,
    )
    (tmp_path / "templates" / "beanie").mkdir(parents=True)
    config = load_config(tmp_path)
    root = tmp_path.resolve()
    assert config.root == root and config.path == path.resolve()
    assert [(s.pattern, s.format) for s in config.specs] == [
        ("schemas/*.yaml", "farmgen"),
        ("api/openapi.json", "openapi"),
    ]
    assert config.migrations_dir == root / "db" / "migrations"
    beanie = config.targets["beanie"]
    assert beanie.out == root / "generated" / "beanie"
    assert beanie.template_dir == root / "templates" / "beanie"
    assert dict(beanie.options) == {}
    assert dict(config.targets["typescript"].options) == {"enum_style": "enum"}
    assert config.targets["typescript"].template_dir is None
    assert list(config.targets) == ["beanie", "typescript"]
    assert dict(config.lint) == {"drop_collection": "error", "add_required_field": "off"}
    assert config.database.url == "sqlite+aiosqlite:///x.db"
    assert config.database.pool.max_size == 7


def test_defaults(tmp_path: Path) -> None:
    write(tmp_path / "farmgen.toml", "")
    config = load_config(tmp_path)
    assert config.migrations_dir == tmp_path.resolve() / "migrations"
    assert dict(config.targets) == {} and dict(config.lint) == {}
    assert config.database.type == "sqlite"
    assert [s.pattern for s in config.specs] == [
        "schemas/**/*.yaml",
        "schemas/**/*.yml",
        "schemas/**/*.json",
    ]


def test_found_by_walking_up(tmp_path: Path) -> None:
    write(tmp_path / "farmgen.toml", "migrations = 'm'\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == (tmp_path / "farmgen.toml").resolve()
    assert load_config(deep).root == tmp_path.resolve()


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "app"

        [tool.farmgen]
        migrations = "mig"

        [tool.farmgen.targets.sqlalchemy]
        out = "gen"
        """,
    )
    config = load_config(tmp_path / ".")
    assert config.migrations_dir == tmp_path.resolve() / "mig"
    assert config.targets["sqlalchemy"].out == tmp_path.resolve() / "gen"


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "sub" / "farmgen.toml", "")
    assert find_config(tmp_path / "sub") == (tmp_path / "sub" / "farmgen.toml").resolve()
    assert find_config(tmp_path) != (tmp_path / "pyproject.toml").resolve()


def test_farmgen_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.farmgen]\nmigrations = 'a'\n")
    write(tmp_path / "farmgen.toml", "migrations = 'b'\n")
    assert load_config(tmp_path).migrations_dir.name == "b"


def test_explicit_config_path(tmp_path: Path) -> None:
    write(tmp_path / "conf" / "other.toml", "migrations = 'x'\n")
    config = load_config(tmp_path, Path("conf/other.toml"))
    assert config.root == (tmp_path / "conf").resolve()
    with pytest.raises(UsageError) as info:
        load_config(tmp_path, Path("missing.toml"))
    assert info.value.exit_code == 2


def test_no_config_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("farmgen.config.find_config", lambda start: None)
    with pytest.raises(ConfigError, match="run 'farmgen init'"):
        load_config(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'specs = ["a/*.yaml"]\nmigration = "m"\n',
            ["farmgen.toml:2:1: unknown key 'migration' (did you mean 'migrations'?)"],
        ),
        (
            '[targets.beanie]\nout = "x"\n\n[targets.typescript]\noutt = "y"\n',
            [
                "farmgen.toml:5:1: [targets.typescript] needs 'out' (the output directory) "
                "(did you mean 'out' instead of 'outt'?)"
            ],
        ),
        (
            'specs = [{path = "a.json", formatt = "openapi"}]\n',
            [
                "farmgen.toml:1:28: unknown key 'formatt' in a 'specs' table (did you mean 'format'?)"
            ],
        ),
        (
            'specs = [{path = "a.json", format = "openapy"}]\n',
            ["farmgen.toml:1:28: unknown spec format 'openapy' (did you mean 'openapi'?)"],
        ),
        (
            'specs = "schemas/*.yaml"\n',
            [
                "farmgen.toml:1:1: 'specs' must be a non-empty list of globs or {path, format} tables"
            ],
        ),
        (
            "[lint]\nrule_a = 'fatal'\n",
            [
                "farmgen.toml:2:1: lint level for 'rule_a' must be one of error, warn, "
                "warning, off, found 'fatal'"
            ],
        ),
        (
            "[database]\ntype = 'oracle'\nurll = 'x'\n\n[database.pool]\nmax_sizee = 3\n",
            [
                "farmgen.toml:2:1: 'database.type': Input should be 'mongodb', 'postgresql', "
                "'mysql' or 'sqlite'",
                "farmgen.toml:3:1: unknown key 'database.urll' (did you mean 'url'?)",
                "farmgen.toml:6:1: unknown key 'database.pool.max_sizee' (did you mean 'max_size'?)",
            ],
        ),
        (
            "[database]\nurl = '${FARMGEN_TEST_UNSET_VARIABLE}'\nurll = 'x'\n",
            [
                "farmgen.toml:2:1: 'database.url': environment variable "
                "'FARMGEN_TEST_UNSET_VARIABLE' is not set (use ${FARMGEN_TEST_UNSET_VARIABLE:-default})",
                "farmgen.toml:3:1: unknown key 'database.urll' (did you mean 'url'?)",
            ],
        ),
        (
            '[targets.beenie]\nout = "x"\n',
            ["farmgen.toml:1:2: unknown target 'beenie' (did you mean 'beanie'?)"],
        ),
        (
            '[targets.typescript]\nout = "x"\nenum_stlye = "enum"\n',
            [
                "farmgen.toml:3:1: unknown option 'enum_stlye' for target 'typescript' (did you mean 'enum_style'?)"
            ],
        ),
        (
            '[targets.sqlalchemy]\nout = "x"\ndecimal_scale = 99\n',
            [
                "farmgen.toml:3:1: 'targets.sqlalchemy.decimal_scale': Input should be less than or equal to 30"
            ],
        ),
        (
            '[targets.beanie]\nout = "../elsewhere"\n',
            [
                "farmgen.toml:2:1: output directory '../elsewhere' is outside the project root (farmgen writes only inside the folder of its config file)"
            ],
        ),
        (
            '[targets.beanie]\nout = "."\n',
            ["farmgen.toml:2:1: the project root itself cannot be an output directory"],
        ),
        (
            '[targets.beanie]\nout = "gen"\n\n[targets.sqlalchemy]\nout = "gen/"\n',
            [
                "farmgen.toml:5:1: [targets.sqlalchemy] has the output directory of [targets.beanie] (at farmgen.toml:2:1) (give each target its own 'out')"
            ],
        ),
        (
            '[targets.beanie]\nout = "gen"\ntemplate_dir = "templates/beanie"\n',
            [
                "farmgen.toml:3:1: template_dir 'templates/beanie' of [targets.beanie] does not exist"
            ],
        ),
        (
            "migrations = 3\n",
            ["farmgen.toml:1:1: 'migrations' must be a path (a non-empty string)"],
        ),
        ("targets = 1\n", ["farmgen.toml:1:1: 'targets' must be a table of [targets.NAME] tables"]),
        ("a = [\n", ["farmgen.toml:1:6: invalid TOML: Invalid value at the end of the file"]),
        ("a = 1\na = 2\n", ["farmgen.toml:2:6: invalid TOML: Cannot overwrite a value"]),
    ],
)
def test_errors_with_positions(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert config_errors(tmp_path, text) == expected


def test_an_unset_variable_in_the_database_url_is_reported_when_the_database_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FARMGEN_TEST_UNSET_VARIABLE", raising=False)
    path = write(
        tmp_path / "farmgen.toml",
        "[targets.beanie]\nout = 'o'\n\n[database]\nurl = '${FARMGEN_TEST_UNSET_VARIABLE}'\n",
    )
    config = parse_config(path.read_text(), path)
    assert config.targets["beanie"].out == (tmp_path / "o").resolve()
    with pytest.raises(ConfigError) as info:
        config.database  # noqa: B018
    assert info.value.lines() == [
        "farmgen.toml:5:1: 'database.url': environment variable "
        "'FARMGEN_TEST_UNSET_VARIABLE' is not set (use ${FARMGEN_TEST_UNSET_VARIABLE:-default})"
    ]


def test_errors_in_pyproject_point_into_the_tool_table(tmp_path: Path) -> None:
    text = "[project]\nname = 'x'\n\n[tool.farmgen]\nspecs = ['a']\nmigratons = 'm'\n"
    assert config_errors(tmp_path, text, "pyproject.toml") == [
        "pyproject.toml:6:1: unknown key 'migratons' (did you mean 'migrations'?)"
    ]


def test_all_config_errors_are_reported_together(tmp_path: Path) -> None:
    lines = config_errors(tmp_path, "a = 1\nb = 2\n[lint]\nx = 'no'\n")
    assert len(lines) == 3


def test_config_is_frozen(tmp_path: Path) -> None:
    write(tmp_path / "farmgen.toml", "[targets.beanie]\nout = 'o'\n")
    config: Config = load_config(tmp_path)
    with pytest.raises(TypeError):
        config.targets["y"] = config.targets["beanie"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        config.root = tmp_path  # type: ignore[misc]


def test_the_config_json_schema_is_up_to_date_and_fits_the_examples(repo_root: Path) -> None:
    import json
    import tomllib

    import jsonschema

    from farmgen.config_format import config_json_schema_text

    committed = (repo_root / "schemas" / "farmgen-config.schema.json").read_text()
    assert committed == config_json_schema_text(), "stale: run 'farmgen schema config -o ...'"
    validator = jsonschema.Draft202012Validator(json.loads(committed))
    for path in sorted((repo_root / "examples").glob("*/farmgen.toml")):
        assert list(validator.iter_errors(tomllib.loads(path.read_text()))) == [], path
    assert list(validator.iter_errors({"specz": []}))
    assert list(validator.iter_errors({"targets": {"x": {"template_dir": "t"}}}))


TOML_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
TOML_JUNK = st.recursive(
    TOML_SCALARS.filter(lambda v: v is not None),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(
        st.sampled_from(["out", "path", "format", "type", "url", "pool", "x"]), inner, max_size=3
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["specs", "migrations", "targets", "lint", "database", "other"]),
        TOML_JUNK,
        max_size=5,
    )
)
def test_junk_config_only_gives_config_errors(data: dict[str, Any]) -> None:
    from farmgen.config_check import ConfigChecker

    checker = ConfigChecker("farmgen.toml", "", (), Path("/project"))
    try:
        config = checker.check(data, Path("/project/farmgen.toml"))
    except ConfigError as exc:
        assert exc.lines()
    else:
        assert config.root == Path("/project")


def test_one_migrations_folder_for_generator_and_runtime(tmp_path: Path) -> None:
    (tmp_path / "farmgen.toml").write_text('migrations = "db/migrations"\n')
    config = load_config(tmp_path)
    assert config.migrations_dir == (tmp_path / "db" / "migrations").resolve()
    assert Path(config.database.migrations.directory) == config.migrations_dir

    (tmp_path / "farmgen.toml").write_text('[database.migrations]\ndirectory = "other"\n')
    config = load_config(tmp_path)
    assert config.migrations_dir == (tmp_path / "other").resolve()
    assert Path(config.database.migrations.directory) == config.migrations_dir


def test_two_different_migrations_folders_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "farmgen.toml").write_text(
        'migrations = "migrations"\n\n[database.migrations]\ndirectory = "elsewhere"\n'
    )
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.lines() == [
        "farmgen.toml:4:1: 'database.migrations.directory' names another folder than "
        "'migrations' (set only one of them)"
    ]
