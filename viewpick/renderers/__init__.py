"""Renderers turn what a view returns into a response body.

A renderer factory takes a :class:`RendererInfo` and returns ``render(value, system)``,
which returns ``str`` or ``bytes``. Factories are looked up by the renderer's name
(``'json'``) or, failing that, by its file extension (``'.mako'``). A factory may declare
the media type it produces in a ``media_type`` attribute; the dispatcher uses it to rank
views against the client's Accept header.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from ..exceptions import ConfigurationError, caller_source, did_you_mean
from ..response import Response
from ..upstream import ready_response
from .json import JSON
from .mako import MakoRendererFactory
from .string import string_renderer_factory

if TYPE_CHECKING:
    from ..request import Request
Render = Callable[[Any, dict[str, Any]], "str | bytes"]


@dataclass(frozen=True)
class RendererInfo:
    """What a renderer factory knows about the renderer it makes.

    ``package`` is the name of the module that declared the view; relative template paths
    are resolved from its directory.
    """

    name: str
    package: str
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        """The extension the factory was found by (``'.mako'``), or the name itself."""
        return renderer_key(self.name)


class RendererFactory(Protocol):
    def __call__(self, info: RendererInfo) -> Render: ...


def renderer_key(name: str) -> str:
    """The registry key for a renderer name: ``'json'`` stays, ``'a/b.mako#part'`` is ``'.mako'``."""
    path = name.split("#", 1)[0]
    if "#" in name and "." not in posixpath.basename(path):  # pyramid_mako's 'page#part.mako'
        path = name
    extension = os.path.splitext(path)[1]
    return extension or name


class Renderers:
    """An application's renderer factories, by name or extension."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings
        self.factories: dict[str, RendererFactory] = {
            "json": JSON(),
            "string": string_renderer_factory,
            ".mako": MakoRendererFactory(),
        }

    def add(self, name: str, factory: RendererFactory) -> None:
        self.factories[name] = factory

    def frozen(self, settings: Mapping[str, Any]) -> Renderers:
        """A copy, with ``settings``, that later changes to this one do not reach."""
        copy = Renderers.__new__(Renderers)
        copy.settings = settings
        copy.factories = dict(self.factories)
        return copy

    def factory_for(self, name: str) -> RendererFactory:
        factory = self.factories.get(name) or self.factories.get(renderer_key(name))
        if factory is None:
            known = sorted(self.factories)
            raise ConfigurationError(
                f"no renderer is registered for {name!r}{did_you_mean(name, known)} "
                f"(known: {', '.join(known)}; add one with config.add_renderer(name, factory))"
            )
        return factory

    def make(self, name: str, package: str) -> tuple[Render, str | None]:
        """The render function for ``name`` declared in ``package``, and its media type."""
        factory = self.factory_for(name)
        render = factory(RendererInfo(name, package, self.settings))
        return render, getattr(factory, "media_type", None)


def apply(render: Render, value: Any, system: dict[str, Any], response: Response, media_type: str | None) -> Response:
    """Render ``value`` into ``response``; see :func:`fill`."""
    return fill(response, render(value, system), media_type)


def fill(response: Response, body: str | bytes, media_type: str | None) -> Response:
    """Put a rendered body into ``response``.

    The Content-Type is the one the view or the renderer set; failing that, the renderer's
    declared ``media_type``; failing that, text/plain for text and application/octet-stream
    for bytes.
    """
    if response.content_type is None:
        response.content_type = media_type or ("text/plain" if isinstance(body, str) else "application/octet-stream")
    response.body = body.encode(response.charset or "utf-8") if isinstance(body, str) else body
    return response


@cache
def content_type_for(media_type: str) -> tuple[str, str]:
    """The Content-Type header :func:`apply` would send for ``media_type`` (WebOb adds a
    charset to text types), and the charset to encode text with."""
    response = Response()
    response.content_type = media_type
    return response.headers["Content-Type"], response.charset or "utf-8"


def fresh_response(body: str | bytes, media_type: str, vary: str = "") -> Response:
    """The response for a rendered body when the view left ``request.response`` alone: the
    headers :func:`apply` and :func:`~viewpick.response.add_vary` would give, in one step
    (this is the path most requests take). ``vary`` is the Vary header's value, if any."""
    content_type, charset = content_type_for(media_type)
    data = body.encode(charset) if isinstance(body, str) else body
    headerlist = [("Content-Type", content_type), ("Content-Length", str(len(data)))]
    if vary:
        headerlist.append(("Vary", vary))
    return ready_response(Response, headerlist, data)


@cache
def _builtin_renderers() -> Renderers:
    """The built-in renderers with no settings, for rendering without an application;
    kept, so their templates are compiled once."""
    return Renderers({})


def _renderers_for(request: Request | None) -> Renderers:
    return request.app.renderers if request is not None and request.app is not None else _builtin_renderers()


def render(renderer_name: str, value: Any, request: Request | None = None, package: str | None = None) -> str:
    """Render ``value`` with a renderer outside a view, e.g. an e-mail body from a template.

    Relative template names are resolved from the caller's package. With a request, the
    application's renderers and settings are used (and ``request.response`` is left alone);
    without one, the built-in renderers.
    """
    package = package or caller_source()[1]
    render_fn, _ = _renderers_for(request).make(renderer_name, package)
    system = {"request": request, "renderer_name": renderer_name, "view": None, "response": Response()}
    body = render_fn(value, system)
    return body.decode("utf-8") if isinstance(body, bytes) else body


def render_to_response(
    renderer_name: str, value: Any, request: Request | None = None, response: Response | None = None
) -> Response:
    """Render ``value`` into a response (``request.response`` when there is a request)."""
    package = caller_source()[1]
    if response is None:
        response = request.response if request is not None else Response()
    render_fn, media_type = _renderers_for(request).make(renderer_name, package)
    system = {"request": request, "renderer_name": renderer_name, "view": None, "response": response}
    return apply(render_fn, value, system, response, media_type)


__all__ = ["JSON", "RendererFactory", "RendererInfo", "Renderers", "render", "render_to_response"]
