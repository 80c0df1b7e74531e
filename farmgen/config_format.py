"""The configuration file format as pydantic models, for its JSON Schema.

``schemas/farmgen-config.schema.json`` is generated from :class:`ConfigFile`
(``farmgen schema config``); editors that read JSON Schemas for TOML use it for
completion. :mod:`farmgen.config_check` checks real files with positions; the key
lists it accepts come from these models.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from farmgen.config import DEFAULT_SPECS
from farmgen.runtime.config import DatabaseConfig

CONFIG_SCHEMA_ID = "urn:farmgen:config:1"

SpecFormat = Literal["farmgen", "jsonschema", "openapi", "python"]
LintLevel = Literal["error", "warn", "warning", "off"]  # "warning" is another spelling of "warn"


class SpecEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="A glob, relative to the configuration file.")
    format: SpecFormat = "farmgen"


class TargetTable(BaseModel):
    """``[targets.NAME]``: other keys are options the target validates."""

    model_config = ConfigDict(extra="allow")

    out: str = Field(description="The output directory.")
    template_dir: str | None = Field(None, description="Templates tried before the built-in ones.")


class ConfigFile(BaseModel):
    """farmgen.toml, or the [tool.farmgen] table of pyproject.toml."""

    model_config = ConfigDict(extra="forbid", title="farmgen configuration")

    specs: list[str | SpecEntry] = Field(
        default_factory=lambda: list[str | SpecEntry](DEFAULT_SPECS),
        min_length=1,
    )
    migrations: str = Field("migrations", description="The migration files' directory.")
    targets: dict[str, TargetTable] = Field(default_factory=dict)
    lint: dict[str, LintLevel] = Field(default_factory=dict, description="Migration lint levels.")
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)


CONFIG_KEYS = tuple(ConfigFile.model_fields)
TARGET_KEYS = tuple(TargetTable.model_fields)
SPEC_ENTRY_KEYS = tuple(SpecEntry.model_fields)


def config_json_schema_text() -> str:
    """The exact text of ``schemas/farmgen-config.schema.json``."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": CONFIG_SCHEMA_ID,
        **ConfigFile.model_json_schema(),
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
