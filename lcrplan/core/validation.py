"""pydantic for the models: each model's validator and serializer, built on first use.

The models (`core/models.py`) are plain dataclasses; only a command that validates data (a file
not in the cache, an edit) or dumps a model imports pydantic, here.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def adapter(model: type) -> TypeAdapter[Any]:
    """The validator and serializer of one model class (its nested models included)."""
    found = _ADAPTERS.get(model)
    if found is None:
        found = _ADAPTERS[model] = TypeAdapter(model)
    return found
