"""Where a package's files are on disk: templates and static directories are named relative to one."""

from __future__ import annotations

import importlib.util
import os
import sys

from .exceptions import ConfigurationError


def package_directory(package: str) -> str:
    """The directory holding module or package ``package``'s file."""
    module = sys.modules.get(package)
    filename = getattr(module, "__file__", None)
    if filename is None:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            raise ConfigurationError(f"package {package!r} cannot be imported, so its files cannot be found")
        if spec.origin and spec.has_location:
            filename = spec.origin
        elif spec.submodule_search_locations:
            return next(iter(spec.submodule_search_locations))
        else:
            return os.getcwd()
    return os.path.dirname(os.path.abspath(filename))
