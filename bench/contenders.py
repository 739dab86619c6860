"""The contenders: which module implements each, and which packages it needs.

A contender module provides ``article_app()``, ``routes_app(n)`` and ``views_app(k)``, each
returning a WSGI application, and, if it can build an app from a module of decorated
views, ``startup_source(n)`` (that module's source) and ``startup_app(module, n)``.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Contender:
    name: str
    module: str
    requires: tuple[str, ...] = ()

    def installed(self) -> bool:
        """Whether the packages it needs can be imported (the ``bench`` extra installs them)."""
        return all(importlib.util.find_spec(package) is not None for package in self.requires)

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)

    def build(self, module: ModuleType, kind: str, size: int) -> Any | None:
        """The WSGI app for ``('article', 0)``, ``('routes', n)`` or ``('views', k)``; None if it has none."""
        factory = getattr(module, f"{kind}_app", None)
        if factory is None:
            return None
        return factory() if kind == "article" else factory(size)


FLOOR = "webob-floor"

CONTENDERS = (
    Contender("viewpick", "bench.viewpick_app"),
    Contender("pyramid", "bench.pyramid_app", ("pyramid", "pyramid_mako")),
    Contender("flask", "bench.flask_app", ("flask",)),
    Contender("bottle", "bench.bottle_app", ("bottle",)),
    Contender("falcon", "bench.falcon_app", ("falcon",)),
    Contender(FLOOR, "bench.webob_floor"),
    Contender("raw-wsgi", "bench.raw_wsgi"),
)


def by_name(names: str | None) -> list[Contender]:
    """The contenders named in a comma-separated list (all of them for None), in table order."""
    if names is None:
        return list(CONTENDERS)
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    known = {contender.name for contender in CONTENDERS}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise ValueError(f"unknown contender {', '.join(unknown)}; choose from {', '.join(sorted(known))}")
    return [contender for contender in CONTENDERS if contender.name in wanted]
