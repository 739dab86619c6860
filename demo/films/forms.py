"""Checking an edit of a film, from the HTML form or from JSON, before anything is saved.

Both sources go through one function, so the page and the API accept the same films: the
form sends text (``"1954"``, ``"Action, Drama"``), JSON may send numbers and lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

FIRST_YEAR, LAST_YEAR = 1888, 2100  # the oldest surviving film; a generous future
MAX_GENRES = 10


class Invalid(ValueError):
    """A field's value is wrong; the message says how, to the person who typed it."""


def _storable(text: str) -> str:
    """``text``, unless it holds what UTF-8 cannot encode (a lone surrogate, which JSON's
    ``\\ud800`` can send): SQLite would refuse it when saving."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("has characters that are not text (an unpaired UTF-16 surrogate).") from None
    return text


def _text(limit: int) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            raise Invalid("is required.")
        if len(text) > limit:
            raise Invalid(f"must be at most {limit} characters long.")
        return _storable(text)

    return convert


def _whole_number(low: int, high: int) -> Callable[[Any], int]:
    digits = len(str(high))

    def convert(value: Any) -> int:
        # The length first: int() of thousands of digits is slow, then refused (ValueError).
        if isinstance(value, str) and len(value.strip()) <= digits and value.strip().isdecimal():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"must be a whole number from {low} to {high}.")
        return value

    return convert


def _genres(value: Any) -> tuple[str, ...]:
    """A list of names, or the form's comma-separated text; may be empty."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and "," not in item for item in items):
        raise Invalid("must be a list of names without commas.")
    genres = tuple(dict.fromkeys(_storable(item.strip()) for item in items if item.strip()))
    if len(genres) > MAX_GENRES or any(len(genre) > 40 for genre in genres):
        raise Invalid(f"must be at most {MAX_GENRES} names of at most 40 characters each.")
    return genres


FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _text(200),
    "year": _whole_number(FIRST_YEAR, LAST_YEAR),
    "language": _text(60),
    "genres": _genres,
    "director": _text(200),
    "version": _whole_number(1, 2**62),
}


def parse_edit(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The edit's values, cleaned (``version`` included), and a message for each wrong field.

    Every field is required, as a PUT replaces the whole film; fields not listed are ignored.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, convert in FIELDS.items():
        try:
            values[field] = convert(data.get(field))
        except Invalid as exc:
            errors[field] = f"{field.capitalize()} {exc}"
    return values, errors
