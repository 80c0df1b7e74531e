"""``farmgen generate`` and ``farmgen check`` end to end, and their determinism."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from farmgen.cli import main
from tests.generated.support import EXAMPLES_DIR


@pytest.fixture
def blog(blog_specs: Path) -> Path:
    return blog_specs


def run(root: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, ["--config", str(root / "farmgen.toml"), *args])
    return result.exit_code, result.stdout, result.stderr


def tree(root: Path) -> dict[str, bytes]:
    out = root / "generated"
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def test_generate_writes_every_file_and_prints_one_summary_line(blog: Path) -> None:
    code, out, err = run(blog, "generate")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("11 files written, 0 unchanged, 0 removed (")
    assert sorted(tree(blog)) == sorted(
        [
            "beanie/.farmgen-manifest.json",
            "beanie/__init__.py",
            "beanie/documents.py",
            "beanie/embedded.py",
            "beanie/enums.py",
            "sqlalchemy/.farmgen-manifest.json",
            "sqlalchemy/__init__.py",
            "sqlalchemy/embedded.py",
            "sqlalchemy/enums.py",
            "sqlalchemy/models.py",
            "ts/.farmgen-manifest.json",
            "ts/content.ts",
            "ts/index.ts",
            "ts/users.ts",
        ]
    )


def test_output_matches_the_committed_example(blog: Path) -> None:
    run(blog, "generate")
    assert tree(blog) == tree(EXAMPLES_DIR / "blog")


def test_a_second_generate_writes_nothing_and_keeps_mtimes(blog: Path) -> None:
    run(blog, "generate")
    files = [p for p in (blog / "generated").rglob("*") if p.is_file()]
    for path in files:
        os.utime(path, (1_000_000, 1_000_000))
    code, out, _ = run(blog, "generate")
    assert code == 0
    assert out.startswith("0 files written, 11 unchanged, 0 removed (")
    assert all(p.stat().st_mtime == 1_000_000 for p in files)


def test_check_passes_when_up_to_date_and_fails_after_a_spec_edit(blog: Path) -> None:
    run(blog, "generate")
    code, out, _ = run(blog, "check")
    assert code == 0 and out.startswith("generated files are up to date")
    spec = blog / "schemas" / "content.yaml"
    spec.write_text(spec.read_text().replace("max_length: 200}", "max_length: 250}"))
    before = tree(blog)
    code, out, err = run(blog, "check")
    assert code == 1
    assert out.splitlines() == [
        "update: generated/beanie/documents.py",
        "update: generated/sqlalchemy/models.py",
        "update: generated/ts/content.ts",
    ]
    assert "3 generated files out of date: run `farmgen generate`" in err
    assert tree(blog) == before  # check writes nothing


def test_check_diff_shows_a_unified_diff(blog: Path) -> None:
    run(blog, "generate")
    spec = blog / "schemas" / "content.yaml"
    spec.write_text(spec.read_text().replace("max_length: 200}", "max_length: 250}"))
    code, out, _ = run(blog, "generate", "--check", "--diff", "--target", "sqlalchemy")
    assert code == 1
    assert "--- a/generated/sqlalchemy/models.py" in out
    assert '-        String(200), info={"x-farmgen": {"min_length": 1}}' in out
    assert '+        String(250), info={"x-farmgen": {"min_length": 1}}' in out
    assert "beanie" not in out


def test_dry_run_lists_changes_and_writes_nothing(blog: Path) -> None:
    code, out, _ = run(blog, "generate", "--dry-run", "--target", "typescript")
    assert code == 0
    assert out.splitlines()[:3] == [
        "create: generated/ts/content.ts",
        "create: generated/ts/index.ts",
        "create: generated/ts/users.ts",
    ]
    assert "3 files to write" in out.splitlines()[-1]
    assert not (blog / "generated").exists()


def test_an_unknown_target_is_a_usage_error(blog: Path) -> None:
    code, _, err = run(blog, "generate", "--target", "beanies")
    assert code == 2
    assert "target 'beanies' is not configured" in err


def test_a_spec_error_writes_nothing_and_says_where(blog: Path) -> None:
    spec = blog / "schemas" / "content.yaml"
    spec.write_text(spec.read_text().replace("body: text\n", "body: txet\n"))
    code, _, err = run(blog, "generate")
    assert code == 1
    assert "schemas/content.yaml:" in err and "txet" in err
    assert "Traceback" not in err
    assert not (blog / "generated").exists()


def test_a_removed_spec_file_removes_its_owned_outputs_only(blog: Path) -> None:
    run(blog, "generate")
    mine = blog / "generated" / "ts" / "notes.md"
    mine.write_text("hand written\n")
    (blog / "schemas" / "content.yaml").unlink()
    users = blog / "schemas" / "users.yaml"
    assert "ref[" in users.read_text()
    code, out, err = run(blog, "generate", "--target", "typescript")
    assert code == 0, err
    assert "1 removed" in out
    assert not (blog / "generated" / "ts" / "content.ts").exists()
    assert mine.read_text() == "hand written\n"


def test_an_output_dir_outside_the_project_is_refused(blog: Path) -> None:
    config = blog / "farmgen.toml"
    config.write_text(config.read_text().replace('"generated/ts"', '"../elsewhere"'))
    code, _, err = run(blog, "generate")
    assert code == 1
    assert "outside the project root" in err
    assert not (blog.parent / "elsewhere").exists()
    assert not (blog / "generated").exists()


def _generate_in_subprocess(root: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "farmgen", "--config", str(root / "farmgen.toml"), "generate"],
        check=True,
        env=env,
        capture_output=True,
        timeout=300,
    )


def test_two_runs_in_different_places_and_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "blog", tmp_path / "elsewhere" / "deeper" / "blog"
    for root in (first, second):
        shutil.copytree(
            EXAMPLES_DIR / "blog", root, ignore=shutil.ignore_patterns("generated", "migrations")
        )
    _generate_in_subprocess(first, "0")
    _generate_in_subprocess(second, "4242")
    assert tree(first) == tree(second)
    for content in tree(first).values():
        text = content.decode()
        assert str(tmp_path) not in text and "/work/" not in text


def test_an_unchanged_project_is_verified_from_hashes_alone(blog: Path) -> None:
    from farmgen.config import load_config
    from farmgen.pipeline import verify_by_hash

    run(blog, "generate")
    config = load_config(blog)
    quick = verify_by_hash(config)
    assert quick is not None and quick.up_to_date and quick.unchanged == 11
    script = (
        "import sys\n"
        "from farmgen.cli import main\n"
        "try:\n    main(['check'])\n"
        "except SystemExit as exc:\n    code = exc.code\n"
        "heavy = {'jinja2', 'black', 'beanie', 'sqlalchemy', 'libcst'} & set(sys.modules)\n"
        "print(code, sorted(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=blog,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stdout + result.stderr


@pytest.mark.parametrize("change", ["spec", "output", "deleted", "template_dir", "generator"])
def test_any_change_to_inputs_or_outputs_defeats_the_hash_check(blog: Path, change: str) -> None:
    from farmgen.config import load_config
    from farmgen.pipeline import verify_by_hash

    run(blog, "generate")
    if change == "spec":
        spec = blog / "schemas" / "users.yaml"
        spec.write_text(spec.read_text() + "\n# a comment changes the bytes\n")
    elif change == "output":
        path = blog / "generated" / "ts" / "users.ts"
        path.write_text(path.read_text() + "// edited\n")
    elif change == "deleted":
        (blog / "generated" / "beanie" / "enums.py").unlink()
    elif change == "generator":
        # farmgen runs from a source tree here: other generator code than the one that
        # last generated must not trust the manifests.
        (blog / ".farmgen-cache" / "generator").write_text("another generator\n")
    else:
        (blog / "tpl").mkdir()
        (blog / "tpl" / "index.ts.j2").write_text("// custom index\n")
        config = blog / "farmgen.toml"
        config.write_text(
            config.read_text().replace(
                'out = "generated/ts"', 'out = "generated/ts"\ntemplate_dir = "tpl"'
            )
        )
    assert verify_by_hash(load_config(blog)) is None
    code, _, _ = run(blog, "check")
    assert code == (0 if change in ("spec", "generator") else 1)


def test_check_also_reports_migrations_the_spec_has_outgrown(blog: Path) -> None:
    run(blog, "generate")
    (blog / "migrations").mkdir()
    code, _, err = run(blog, "check")
    assert code == 1
    assert "no migration captures" in err
    assert "migrations are out of date with the spec" in err
    code, _, err = run(blog, "migrate", "make", "initial")
    assert code == 0, err
    code, out, err = run(blog, "check")
    assert code == 0, err
    assert out.startswith("generated files are up to date")


@pytest.mark.parametrize("old", ["no_snapshots", "other_layout"])
def test_a_manifest_from_an_older_farmgen_is_refreshed(blog: Path, old: str) -> None:
    import json

    run(blog, "generate")
    path = blog / "generated" / "beanie" / ".farmgen-manifest.json"
    current = path.read_text()
    data = json.loads(current)
    if old == "no_snapshots":
        del data["snapshots"]
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    else:
        path.write_text(json.dumps(data))
    code, out, err = run(blog, "generate")
    assert code == 0, err
    assert out.startswith("0 files written, 11 unchanged, 0 removed, 1 manifest refreshed ("), out
    assert path.read_text() == current
    code, out, _ = run(blog, "generate")
    assert code == 0 and ", 0 removed (" in out


def _beanie_template(root: Path, name: str, text: str) -> Path:
    tpl = root / "tpl" / "beanie"
    tpl.mkdir(parents=True)
    (tpl / name).write_text(text)
    config = root / "farmgen.toml"
    config.write_text(
        config.read_text().replace(
            'out = "generated/beanie"', 'out = "generated/beanie"\ntemplate_dir = "tpl/beanie"'
        )
    )
    return tpl / name


def test_python_from_a_user_template_is_formatted_by_black(blog: Path) -> None:
    import black

    _beanie_template(
        blog,
        "enums.py.j2",
        "# generated by farmgen\nfrom enum import StrEnum\nclass Colour( StrEnum ):\n"
        "    RED='red'\n    GREEN = 'green'\n",
    )
    code, _, err = run(blog, "generate")
    assert code == 0, err
    text = (blog / "generated" / "beanie" / "enums.py").read_text()
    assert text == black.format_str(text, mode=black.Mode())
    assert "class Colour(StrEnum):" in text and 'RED = "red"' in text
    # a later run keeps the formatted file
    code, out, _ = run(blog, "check")
    assert code == 0, out


def test_a_user_template_rendering_invalid_python_is_an_error_and_writes_nothing(
    blog: Path,
) -> None:
    template = _beanie_template(blog, "enums.py.j2", "# generated by farmgen\nx = (\n")
    code, out, err = run(blog, "generate")
    assert code != 0, out
    assert "enums.py of target beanie" in err and str(template) in err, err
    assert "cannot parse: 2:5" in err.lower(), err
    assert not (blog / "generated").exists()
