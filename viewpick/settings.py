"""Reading settings that may come from code (typed values) or from a file (strings)."""

from __future__ import annotations

from typing import Any

_TRUE = {"1", "true", "yes", "on", "y", "t"}


def as_bool(value: Any) -> bool:
    """``True`` for true values and for strings like ``'true'``, ``'yes'``, ``'on'``, ``'1'``."""
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def as_list(value: Any) -> list[str]:
    """A list from a list, or from a string of lines or comma-separated items."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for line in value.splitlines() for item in line.split(",") if item.strip()]
    return [str(item) for item in value]
