"""The [database] settings: masking in messages and reprs, pool and model keys."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from farmgen.runtime.config import DatabaseConfig, PoolConfig, mask_secrets, url_password


def test_repr_and_str_mask_the_password() -> None:
    config = DatabaseConfig(type="postgresql", url="postgresql://u:s3cr%40t@h:5432/db")
    assert "s3cr" not in repr(config) and "s3cr" not in str(config)
    assert "postgresql://u:***@h:5432/db" in repr(config)
    assert config.url.endswith("s3cr%40t@h:5432/db")


def test_mask_secrets_replaces_the_url_and_the_password_as_whole_tokens() -> None:
    url = "mysql://root:p%40ss@h/db"
    assert url_password(url) == "p@ss"
    message = f"failed for {url}: password p@ss rejected; p%40ss too; bypass kept"
    assert mask_secrets(message, url) == (
        "failed for mysql://root:***@h/db: password *** rejected; *** too; bypass kept"
    )
    assert mask_secrets('role "nob" does not exist', "postgresql://nob:x@h/db") == (
        'role "nob" does not exist'
    )
    assert mask_secrets("no password here", "sqlite+aiosqlite:///x.db") == "no password here"


def test_new_keys_have_defaults_and_bounds() -> None:
    config = DatabaseConfig()
    assert (config.models, config.seeds, config.pool.pre_ping) == (None, "seeds", True)
    with pytest.raises(ValidationError):
        DatabaseConfig(connect_timeout=0)
    with pytest.raises(ValidationError):
        PoolConfig(max_size=0)
    with pytest.raises(ValidationError):
        DatabaseConfig(unknown_key=1)  # type: ignore[call-arg]
