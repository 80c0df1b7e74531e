"""The hand-written User behaviour of examples/farm-users, over its generated Beanie document."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from beanie import init_beanie

from farmgen.runtime.documents import utcnow

pytestmark = pytest.mark.mongodb

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "farm-users"
_PACKAGES = ("app", "generated")


def _forget_example_modules() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in _PACKAGES:
            del sys.modules[name]


@pytest.fixture(scope="module")
def users_module() -> Iterator[ModuleType]:
    """``app.users`` imported the way the example app runs: its folder on ``sys.path``."""
    _forget_example_modules()
    sys.path.insert(0, str(EXAMPLE))
    try:
        yield importlib.import_module("app.users")
    finally:
        sys.path.remove(str(EXAMPLE))
        _forget_example_modules()


@pytest.fixture
async def User(users_module: ModuleType, mongo_database: Any) -> AsyncIterator[Any]:
    await init_beanie(database=mongo_database, document_models=users_module.DOCUMENT_MODELS)
    yield users_module.User


async def active_user(User: Any, **fields: Any) -> Any:
    """An active, verified user. Each has a username: the fake ignores the partial filter
    that lets a real server keep many users without one under the unique index."""
    values: dict[str, Any] = {
        "email": "ann@example.com",
        "status": "active",
        "email_verified": True,
    }
    values["username"] = fields.get("email", values["email"]).split("@")[0]
    return await User(**{**values, **fields}).insert()


def test_the_app_module_subclasses_the_generated_document(users_module: ModuleType) -> None:
    generated = importlib.import_module("generated.beanie")
    assert issubclass(users_module.User, generated.User)
    assert [users_module.User] == users_module.DOCUMENT_MODELS


async def test_roles_and_permissions(User: Any) -> None:
    user = await active_user(User)
    user.add_role("editor")
    user.add_role("editor")
    user.add_permission("posts:write")
    await user.save()
    stored = await User.get(user.id)
    assert stored.roles == ["editor"]
    assert stored.has_role("editor") and not stored.has_role("admin")
    assert stored.has_any_role(["admin", "editor"]) and not stored.has_any_role(["admin"])
    assert stored.has_permission("posts:write")
    assert stored.has_any_permission(("x", "posts:write"))
    stored.remove_role("editor")
    stored.remove_role("absent")
    stored.remove_permission("posts:write")
    assert stored.roles == [] and stored.permissions == []


async def test_can_login_needs_active_verified_undeleted_unlocked(User: Any) -> None:
    user = await active_user(User)
    assert user.can_login()
    assert not User(email="p@example.com").can_login()  # pending verification
    assert not (await active_user(User, email="u@example.com", email_verified=False)).can_login()
    await user.soft_delete()
    assert not user.can_login()


async def test_five_failed_logins_lock_the_account_for_thirty_minutes(User: Any) -> None:
    user = await active_user(User)
    for _ in range(4):
        await user.record_failed_login()
    assert user.auth.failed_login_attempts == 4
    assert not user.is_locked() and user.can_login()

    await user.record_failed_login()
    stored = await User.get(user.id)
    assert stored.auth.failed_login_attempts == 5
    assert stored.is_locked() and not stored.can_login()
    locked_until = stored.auth.account_locked_until
    assert timedelta(minutes=29) < locked_until - utcnow() <= timedelta(minutes=30)
    assert not stored.is_locked(now=locked_until + timedelta(seconds=1))


async def test_counting_starts_again_after_a_lock_runs_out(User: Any) -> None:
    user = await active_user(User)
    await user.set({"auth.failed_login_attempts": 5, "auth.account_locked_until": utcnow()})
    await user.record_failed_login()
    assert user.auth.failed_login_attempts == 1
    assert user.auth.account_locked_until is None and user.can_login()


async def test_a_successful_login_resets_failures_and_keeps_ten_sessions(User: Any) -> None:
    user = await active_user(User)
    await user.record_failed_login()
    for number in range(12):
        await user.update_login_info({"ip_address": f"10.0.0.{number}", "user_agent": "test"})
    await user.update_login_info()  # no session info: counted, nothing appended

    stored = await User.get(user.id)
    assert stored.auth.failed_login_attempts == 0
    assert stored.auth.login_count == 13
    assert stored.auth.last_login_at is not None and stored.last_active_at is not None
    assert [s["ip_address"] for s in stored.login_sessions] == [f"10.0.0.{n}" for n in range(2, 12)]
    assert isinstance(stored.login_sessions[0]["login_at"], str)


async def test_ai_access_level_follows_roles(User: Any) -> None:
    user = User(email="a@example.com")
    assert user.get_ai_access_level() == "basic"
    user.add_role("pro")
    assert user.get_ai_access_level() == "advanced"
    user.add_role("admin")
    assert user.get_ai_access_level() == "admin"


async def test_ai_usage_is_recorded_per_day_provider_model_and_total(User: Any) -> None:
    user = await active_user(User)
    assert user.get_ai_usage_today() == {
        "requests": 0,
        "tokens": 0,
        "cost": 0.0,
        "by_provider": {},
        "by_model": {},
    }
    await user.record_ai_usage("ollama", "llama3.1", 100)
    await user.record_ai_usage("openai", "gpt-4.1", 50, cost=0.25)

    stored = await User.get(user.id)
    today = stored.get_ai_usage_today()
    assert (today["requests"], today["tokens"], today["cost"]) == (2, 150, 0.25)
    assert today["by_provider"]["ollama"] == {"requests": 1, "tokens": 100, "cost": 0.0}
    assert today["by_model"]["gpt-4_1"]["tokens"] == 50  # dots cannot be path segments
    assert stored.ai_usage_stats["total_usage"]["requests"] == 2


async def test_concurrent_usage_records_lose_nothing(User: Any) -> None:
    user = await active_user(User)
    copies = [await User.get(user.id) for _ in range(20)]  # twenty stale copies
    await asyncio.gather(*(copy.record_ai_usage("ollama", "m", 1) for copy in copies))
    stored = await User.get(user.id)
    assert stored.ai_usage_stats["total_usage"]["requests"] == 20


async def test_display_name_falls_back_in_order(User: Any) -> None:
    user = User(email="Zed@Example.com", username="Zed")
    assert user.display_name == "zed"  # usernames and emails are kept lower-case
    user.profile.first_name, user.profile.last_name = "Ann", "Lee"
    assert user.display_name == "Ann Lee"
    user.profile.display_name = "Annie"
    assert user.display_name == "Annie"
    assert User(email="only@example.com").display_name == "only@example.com"


async def test_lookups_and_counts(User: Any) -> None:
    ann = await active_user(User, email="Ann@Example.com", username="Ann")
    await active_user(User, email="bob@example.com", status="inactive")
    await active_user(
        User,
        email="carl@example.com",
        status="suspended",
        auth={"provider": "github", "provider_id": "42"},
    )
    found = await User.find_by_email("ANN@example.com")
    assert found is not None and found.id == ann.id
    assert (await User.find_by_username("ANN")).id == ann.id
    assert (await User.find_by_oauth("github", "42")).email == "carl@example.com"
    assert await User.get_active_users_count() == 1
    assert {u.email for u in await User.get_recent_users(days=1)} == {
        "ann@example.com",
        "bob@example.com",
        "carl@example.com",
    }
    assert [u.id for u in await User.search("ann")] == [ann.id]
