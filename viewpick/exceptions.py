"""Errors viewpick raises at the developer, as opposed to HTTP errors sent to clients."""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass


class ConfigurationError(Exception):
    """A mistake in the application's configuration, found when it is declared or compiled.

    The message names the declaration at fault (file and line) and says how to fix it.
    """


@dataclass(frozen=True)
class Source:
    """Where something was declared: a file and a line, shown relative to the working directory."""

    filename: str
    lineno: int

    def __str__(self) -> str:
        name = self.filename
        try:
            relative = os.path.relpath(name)
        except ValueError:  # another drive on Windows
            relative = name
        if not relative.startswith(".."):
            name = relative
        return f"{name}:{self.lineno}"


def caller_source(skip_package: str = "viewpick") -> tuple[Source, str]:
    """The file, line and module name of the first frame outside viewpick itself."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").split(".")[0] == skip_package:
        frame = frame.f_back
    return Source(frame.f_code.co_filename, frame.f_lineno), frame.f_globals.get("__name__", "__main__")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean ...?" suffix for an unknown name, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class Later:
    """Text for an error message, formatted only if an error is raised (a ``Source`` computes a
    relative path to print itself; building an app of 1000 views should not do that 1000 times)."""

    def __init__(self, make: Callable[[], str]) -> None:
        self.make = make

    def __str__(self) -> str:
        return self.make()
