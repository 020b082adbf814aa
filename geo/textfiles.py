"""Reading the atlas's YAML text files (ledger, catalogs, stories, lives, scenes)."""

from __future__ import annotations

from typing import Any

import yaml

#: libyaml's C parser when PyYAML was built with it (several times faster), else the pure-Python one; both safe
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The data of one YAML document, read safely (plain data only, never Python objects)."""
    return yaml.load(text, Loader=_SAFE_LOADER)
