"""Small hand-written models for the provider tests: one per storage kind.

They cover the value types a backup must keep exactly: dates, datetimes, decimals,
UUIDs, bytes, JSON and nullable strings.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any, ClassVar

from beanie import DecimalAnnotation, Document, Indexed
from pydantic import Field
from sqlalchemy import JSON, DateTime, ForeignKey, Index, LargeBinary, Numeric, String, Uuid
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (Index("ix_items_n_name", "n", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str | None] = mapped_column(String(50), index=True)
    n: Mapped[int] = mapped_column(default=0)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(120), unique=True)
    balance: Mapped[Decimal] = mapped_column(Numeric(12, 4), default=Decimal("0"))
    born: Mapped[dt.date | None]
    seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    avatar: Mapped[bytes | None] = mapped_column(LargeBinary)
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Entry(Base):
    __tablename__ = "entries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 4))


class Level(enum.StrEnum):
    """Declared in an order that is not alphabetical."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    level: Mapped[Level] = mapped_column(
        SAEnum(Level, name="ticket_level", values_callable=lambda e: [m.value for m in e])
    )


SQL_MODELS = [Item, Account, Entry]


class Gadget(Document):
    name: str | None = None
    n: int = 0

    class Settings:
        name = "gadgets"
        indexes: ClassVar[list[Any]] = [[("n", 1), ("name", 1)]]


class Member(Document):
    email: Indexed(str, unique=True)  # type: ignore[valid-type]
    balance: DecimalAnnotation = Decimal("0")
    tags: list[str] = Field(default_factory=list)

    class Settings:
        name = "members"


MONGO_MODELS = [Gadget, Member]
