"""Default values decoded once per distinct JSON text, for every target.

``Default.value`` parses the default's canonical JSON on each access; the targets
ask for it several times per field. Scalars are kept by their text (a bounded
table); containers are decoded afresh, so no caller can share a mutable value.
"""

from __future__ import annotations

import json
from typing import Any

from farmgen.ir import Default

_SCALARS: dict[str, Any] = {}
_MAX_SCALARS = 10_000
_SCALAR_TYPES = (str, int, float)  # bool is an int


def default_value(default: Default) -> Any:
    """``default.value``, without parsing the same scalar twice."""
    text = default.json
    try:
        return _SCALARS[text]
    except KeyError:
        pass
    value = json.loads(text)
    if (value is None or isinstance(value, _SCALAR_TYPES)) and len(_SCALARS) < _MAX_SCALARS:
        _SCALARS[text] = value
    return value

