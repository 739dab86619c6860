"""Renderer factories announced by installed packages through the ``viewpick.renderers``
entry-point group.

A package declares, in its ``pyproject.toml``::

    [project.entry-points."viewpick.renderers"]
    ".pt" = "viewpick_chameleon:renderer_factory"

and every application can then use ``renderer="templates/page.pt"`` with no registration
code. The group is read once per process, the first time an application needs a renderer
name it was not given (importing ``importlib.metadata`` and reading every installed
distribution's entry points costs milliseconds, which an application using only ``json``
and ``.mako`` never pays). Each plugin's module is imported the first time a view names it,
and kept. A plugin that fails to import, or two plugins claiming one name, are reported as a
:class:`~viewpick.ConfigurationError` naming the distributions and entry points, only when
a view uses that name: a broken package nobody uses does not stop every application.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from . import RendererFactory

GROUP = "viewpick.renderers"


@dataclass(frozen=True)
class Plugin:
    """One entry point of the ``viewpick.renderers`` group."""

    name: str
    value: str
    distribution: str
    entry_point: EntryPoint

    def __str__(self) -> str:
        """``entry point '.jinja2 = viewpick.renderers.jinja2:renderer_factory' of viewpick 0.1.0``."""
        return f"entry point '{self.name} = {self.value}' of {self.distribution}"


def _distribution(entry_point: EntryPoint) -> str:
    dist = entry_point.dist
    return f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"


@cache
def installed() -> Mapping[str, tuple[Plugin, ...]]:
    """Every installed plugin by the name it registers, read once per process."""
    from importlib.metadata import entry_points

    found: dict[str, dict[str, Plugin]] = {}
    for entry_point in entry_points(group=GROUP):
        plugin = Plugin(entry_point.name, entry_point.value, _distribution(entry_point), entry_point)
        # Two distributions pointing one name at the same object do not conflict.
        found.setdefault(plugin.name, {}).setdefault(plugin.value, plugin)
    return {name: tuple(by_value.values()) for name, by_value in found.items()}


def find(name: str) -> RendererFactory | None:
    """The factory an installed plugin registers for ``name``, imported on first use; None if
    no plugin registers it. Raises ConfigurationError for a broken or contested name."""
    plugins = installed().get(name)
    if not plugins:
        return None
    if len(plugins) > 1:
        claims = " and ".join(str(plugin) for plugin in plugins)
        raise ConfigurationError(
            f"renderer {name!r} is registered by more than one installed plugin: {claims}; "
            f"choose one with config.add_renderer({name!r}, factory), or uninstall the other"
        )
    return load(plugins[0])


@cache
def load(plugin: Plugin) -> RendererFactory:
    """Import ``plugin``'s factory (once per process); ConfigurationError naming it if that fails."""
    try:
        factory: Any = plugin.entry_point.load()
    except Exception as exc:
        raise ConfigurationError(
            f"renderer plugin {plugin} could not be loaded: {type(exc).__name__}: {exc} "
            f"(fix or reinstall {plugin.distribution.split()[0]}, uninstall it, or register another "
            f"factory with config.add_renderer({plugin.name!r}, factory))"
        ) from exc
    if not callable(factory):
        raise ConfigurationError(
            f"renderer plugin {plugin} names {factory!r}, which is not a renderer factory: it must be "
            "callable as factory(info) and return render(value, system)"
        )
    factory_: RendererFactory = factory
    return factory_


def origin(name: str) -> str | None:
    """Which installed distribution registers ``name`` (``'viewpick 0.1.0'``), if one does."""
    plugins = installed().get(name)
    return plugins[0].distribution if plugins and len(plugins) == 1 else None
