"""Dotted names: ``'myapp.views'``, ``'myapp.views:home'`` and, relative to a package,
``'.views'`` or ``'..shared:tween'``, resolved to the module or object they name.

Configuration may name what it adds instead of importing it (``config.scan('.views')``,
``config.include('.auth')``); a relative name is read from the package of the code that wrote
it, as Python's own relative imports are.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

from .exceptions import ConfigurationError


def caller_package(depth: int = 1) -> str:
    """The package of the code ``depth`` frames above the caller (``__main__``'s is ``''``)."""
    frame = sys._getframe(depth + 1)
    package = frame.f_globals.get("__package__")
    if package is None:  # a module run without its package set, as by exec
        name = frame.f_globals.get("__name__", "")
        package = name if hasattr(sys.modules.get(name), "__path__") else name.rpartition(".")[0]
    return str(package)


def resolve(name: str, package: str) -> Any:
    """The module or object ``name`` names; a relative name is read from ``package``.

    ``'a.b:c'`` is attribute ``c`` of module ``a.b``; ``'a.b.c'`` is module ``a.b.c`` if there
    is one, else attribute ``c`` of module ``a.b``.
    """
    module_name, colon, attribute = name.partition(":")
    if colon:
        module = _import(module_name, package, name)
        return _attribute(module, attribute, name)
    try:
        return _import(name, package, name)
    except ConfigurationError:
        parent, dot, attribute = name.rpartition(".")
        if not dot or not parent.strip("."):
            raise
        module = _import(parent, package, name)
        if not hasattr(module, attribute):
            raise ConfigurationError(
                f"{name!r} names no module, and module {module.__name__!r} has no attribute {attribute!r}"
            ) from None
        return getattr(module, attribute)


def maybe_resolve(value: Any, package: str) -> Any:
    """``value`` itself, or what it names when it is a dotted name."""
    return resolve(value, package) if isinstance(value, str) else value


def _import(module_name: str, package: str, name: str) -> Any:
    if module_name.startswith(".") and not package:
        raise ConfigurationError(f"cannot resolve the relative name {name!r} outside a package; give the full name")
    try:
        return importlib.import_module(module_name, package or None)
    except ModuleNotFoundError as exc:
        absolute = importlib.util.resolve_name(module_name, package) if module_name.startswith(".") else module_name
        if exc.name is not None and not absolute.startswith(exc.name) and exc.name != absolute:
            raise  # the module exists but imports something missing: that error is the useful one
        raise ConfigurationError(f"{name!r} names no module ({absolute!r} cannot be imported)") from None


def _attribute(module: Any, attribute: str, name: str) -> Any:
    try:
        return getattr(module, attribute) if attribute else module
    except AttributeError:
        raise ConfigurationError(f"{name!r}: module {module.__name__!r} has no attribute {attribute!r}") from None
