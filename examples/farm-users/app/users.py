"""Hand-written behaviour of the User document, beside the generated one.

``generated/beanie`` is rewritten by ``farmgen generate`` after every spec edit, so
nothing hand-written lives there. This module subclasses the generated document
(the "generation gap" pattern): fields, indexes and mixins come from the spec, the
methods below are ours, and regenerating never touches them.

Register the subclass with Beanie instead of the generated class::

    await init_beanie(database=db, document_models=DOCUMENT_MODELS)

Counters are updated with MongoDB's atomic operators (``$inc``, ``$push`` with
``$slice``), so two requests for the same user at once lose nothing.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from beanie import Document
from generated.beanie import User as GeneratedUser
from generated.beanie import UserStatus
from pydantic import field_validator

from farmgen.runtime.documents import utcnow

__all__ = [
    "DOCUMENT_MODELS",
    "LOCKOUT_DURATION",
    "MAX_FAILED_LOGINS",
    "MAX_LOGIN_SESSIONS",
    "User",
]

MAX_FAILED_LOGINS = 5
"""Failed logins in a row that lock the account."""
LOCKOUT_DURATION = timedelta(minutes=30)
MAX_LOGIN_SESSIONS = 10
"""How many recent login sessions are kept."""

ADVANCED_ROLES: tuple[str, ...] = ("premium", "pro", "advanced")

_UNSAFE_KEY = re.compile(r"[.$]")


def _empty_usage() -> dict[str, Any]:
    return {"requests": 0, "tokens": 0, "cost": 0.0}


def _key(name: str) -> str:
    """A provider name usable as one MongoDB path segment (no dots, no leading ``$``)."""
    return _UNSAFE_KEY.sub("_", name) or "_"


class User(GeneratedUser):
    """The application's user: the generated fields plus roles, login and AI usage rules."""

    @field_validator("email", "username", mode="after")
    @classmethod
    def _lower_case(cls, value: str | None) -> str | None:
        return value.lower() if value is not None else None

    # Roles and permissions

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def has_any_role(self, roles: list[str] | tuple[str, ...]) -> bool:
        return any(role in self.roles for role in roles)

    def add_role(self, role: str) -> None:
        if role not in self.roles:
            self.roles.append(role)

    def remove_role(self, role: str) -> None:
        if role in self.roles:
            self.roles.remove(role)

    def has_permission(self, permission: str) -> bool:
        return permission in self.permissions

    def has_any_permission(self, permissions: list[str] | tuple[str, ...]) -> bool:
        return any(permission in self.permissions for permission in permissions)

    def add_permission(self, permission: str) -> None:
        if permission not in self.permissions:
            self.permissions.append(permission)

    def remove_permission(self, permission: str) -> None:
        if permission in self.permissions:
            self.permissions.remove(permission)

    # Login rules

    def is_locked(self, now: datetime | None = None) -> bool:
        locked_until = self.auth.account_locked_until
        return locked_until is not None and (now or utcnow()) < locked_until

    def can_login(self, now: datetime | None = None) -> bool:
        return (
            self.status == UserStatus.ACTIVE
            and self.email_verified
            and not self.is_deleted
            and not self.is_locked(now)
        )

    async def record_failed_login(self) -> None:
        """Count a failed login; the fifth in a row locks the account for 30 minutes.

        Once a lock has run out, counting starts again from zero.
        """
        now = utcnow()
        locked_until = self.auth.account_locked_until
        if locked_until is not None and locked_until <= now:
            await self.set({"auth.failed_login_attempts": 1, "auth.account_locked_until": None})
        else:
            await self.update({"$inc": {"auth.failed_login_attempts": 1}})
        if self.auth.failed_login_attempts >= MAX_FAILED_LOGINS and not self.is_locked(now):
            await self.set({"auth.account_locked_until": now + LOCKOUT_DURATION})

    async def update_login_info(self, session_info: dict[str, Any] | None = None) -> None:
        """Record a successful login: reset failures, count it, keep the last 10 sessions."""
        now = utcnow()
        operations: dict[str, Any] = {
            "$set": {
                "auth.last_login_at": now,
                "auth.failed_login_attempts": 0,
                "auth.account_locked_until": None,
                "last_active_at": now,
            },
            "$inc": {"auth.login_count": 1},
        }
        if session_info is not None:
            session = {
                "login_at": now.isoformat(),
                "ip_address": session_info.get("ip_address"),
                "user_agent": session_info.get("user_agent"),
                "device": session_info.get("device"),
            }
            operations["$push"] = {
                "login_sessions": {"$each": [session], "$slice": -MAX_LOGIN_SESSIONS}
            }
        await self.update(operations)

    # AI integration

    def get_ai_access_level(self) -> str:
        if self.has_role("admin"):
            return "admin"
        if self.has_any_role(ADVANCED_ROLES):
            return "advanced"
        return "basic"

    async def record_ai_usage(
        self, provider: str, model: str, tokens_used: int, cost: float = 0.0
    ) -> None:
        """Add one request to today's, the provider's, the model's and the total usage."""
        day = f"ai_usage_stats.daily_usage.{utcnow().date().isoformat()}"
        increments: dict[str, int | float] = {}
        for prefix in (
            day,
            f"{day}.by_provider.{_key(provider)}",
            f"{day}.by_model.{_key(model)}",
            "ai_usage_stats.total_usage",
        ):
            increments[f"{prefix}.requests"] = 1
            increments[f"{prefix}.tokens"] = tokens_used
            increments[f"{prefix}.cost"] = cost
        await self.update({"$inc": increments})

    def get_ai_usage_today(self) -> dict[str, Any]:
        daily = self.ai_usage_stats.get("daily_usage")
        today = daily.get(utcnow().date().isoformat()) if isinstance(daily, dict) else None
        if isinstance(today, dict):
            return today
        return {**_empty_usage(), "by_provider": {}, "by_model": {}}

    # Display

    @property
    def display_name(self) -> str:
        profile = self.profile
        if profile.display_name:
            return profile.display_name
        full_name = " ".join(part for part in (profile.first_name, profile.last_name) if part)
        return full_name or self.username or str(self.email)

    # Queries

    @classmethod
    async def find_by_email(cls, email: str) -> User | None:
        return await cls.find_one({"email": email.lower()}, {"is_deleted": {"$ne": True}})

    @classmethod
    async def find_by_username(cls, username: str) -> User | None:
        return await cls.find_one({"username": username.lower()}, {"is_deleted": {"$ne": True}})

    @classmethod
    async def find_by_oauth(cls, provider: str, provider_id: str) -> User | None:
        return await cls.find_one({"auth.provider": provider, "auth.provider_id": provider_id})

    @classmethod
    async def get_active_users_count(cls) -> int:
        return await cls.count_active({"status": UserStatus.ACTIVE.value})

    @classmethod
    async def get_recent_users(cls, days: int = 7, limit: int = 50) -> list[User]:
        since = utcnow() - timedelta(days=days)
        query = cls.find_active({"created_at": {"$gte": since}})
        return await query.sort("-created_at").limit(limit).to_list()


DOCUMENT_MODELS: list[type[Document]] = [User]
"""The documents to register with ``init_beanie`` in place of the generated list."""
