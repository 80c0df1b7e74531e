"""The TypeScript target on the hand-built sample schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from farmgen.render import TemplateRenderer
from farmgen.targets.base import RenderContext
from farmgen.targets.typescript import TypeScriptOptions, TypeScriptTarget, module_names
from tests.generated.test_typescript_output import require_tsc, tsc
from tests.unit.targets.sample import sample_schema


def render(**options: str) -> dict[str, str]:
    context = RenderContext(TemplateRenderer("typescript"), "0.0.0")
    files = TypeScriptTarget().render(sample_schema(), TypeScriptOptions(**options), context)
    return {f.path: f.content for f in files}


def test_one_module_per_spec_file_and_an_index() -> None:
    files = render()
    assert sorted(files) == ["blog.ts", "index.ts", "users.ts"]
    assert 'export * from "./users";\nexport * from "./blog";\n' in files["index.ts"]
    assert 'import type { UserStatus } from "./users";' in files["blog.ts"]
    assert "export type UserStatus" not in files["blog.ts"]  # declared once, imported


def test_read_create_and_update_shapes() -> None:
    users = render()["users.ts"]
    read = users.split("export interface User {")[1].split("\n}\n")[0]
    create = users.split("export interface UserCreate {")[1].split("\n}\n")[0]
    assert "password_hash" not in users  # private
    assert '"first-login"?: string | null;' in read  # quoted, optional, nullable
    assert "created_at: string;" in read and "created_at" not in create
    assert "  status: UserStatus;" in read and "  status?: UserStatus;" in create
    assert "  email: string;" in create
    assert "export type UserUpdate = Partial<UserCreate>;" in users
    assert "profile: UserProfileInput;" in create


def test_enum_style_enum() -> None:
    users = render(enum_style="enum")["users.ts"]
    assert 'export enum UserStatus {\n  ACTIVE = "active",' in users
    assert '  PENDING_VERIFICATION = "pending-verification",' in users
    assert "  UserStatus.ACTIVE," in users


def test_module_names_are_unique_and_never_index() -> None:
    names = module_names(("a/users.yaml", "b/users.yaml", "schemas/index.yaml", "blog.yaml"))
    assert names == {
        "a/users.yaml": "a__users",
        "b/users.yaml": "b__users",
        "schemas/index.yaml": "schemas__index",
        "blog.yaml": "blog",
    }


@pytest.mark.parametrize(("style", "extension"), [("union", ""), ("enum", ".js")])
def test_every_option_combination_type_checks(tmp_path: Path, style: str, extension: str) -> None:
    require_tsc()
    files = render(enum_style=style, import_extension=extension)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = tsc(tmp_path, sorted(files))
    assert result.returncode == 0, result.stdout
