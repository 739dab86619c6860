"""Renderers turn what a view returns into a response body; this docstring is the contract
every renderer, built in or plugged in, follows.

**Factory.** A renderer factory is a callable ``factory(info) -> render`` taking a
:class:`RendererInfo` (the renderer's name, the module that declared the view, the settings)
and returning ``render(value, system) -> str | bytes``. It is called once per view
declaration, when ``make_wsgi_app()`` compiles the application; ``render`` runs per request
and should do no more than render. A factory may say, as attributes: ``media_type``, the type
it produces (``'text/html'``), which becomes the response's Content-Type when the view set
none and ranks the view against the client's Accept header; and ``engine``, the name
``viewpick explain`` shows for it (``'Jinja2'``).

**Lookup.** A factory is found by the renderer's whole name (``'json'``), else by its file
extension (``'.jinja2'``). In order: the application's ``config.add_renderer(name, factory)``;
the built-in ``json``, ``string`` and ``.mako``; then factories installed packages announce
in the ``viewpick.renderers`` entry-point group (:mod:`viewpick.renderers.plugins`), so
installing a package never changes how a name viewpick already knows renders.

**Template names.** ``templates/page.ext`` is relative to the directory of the module that
declared the view (``info.package``); ``package:path`` names a file of another package; a
name not found there, or starting with ``/``, is looked up in the engine's search-path setting
(``mako.directories``, ``jinja2.directories``). ``page.ext#part`` renders only the part
``part`` of the template (a Mako ``<%def>``, a Jinja2 ``{% block %}``) with the view's values,
so a full page and its XHR partial come from one file (:func:`~.names.split_part`). Text
is HTML-escaped by default.

**System values.** ``system`` is what :func:`system_values` builds, the same for every engine:
``request``, ``view`` (what was declared as the view; for a view class, the instance that
handled the request), ``renderer_name``, ``context``
(``request.context``; ``_context`` in Mako, which reserves the name), plus ``response`` when rendering through :func:`render` or
:func:`render_to_response`, and ``get_csrf_token()`` (:mod:`viewpick.csrf`) when the
application configured sessions or CSRF options. A template sees them beside the view's values, which win on a
clash. Add values for every template there, in one place; an application adds its own with
a BeforeRender subscriber (:mod:`viewpick.events`), which :func:`system_values` calls.
viewpick's own ``json`` and ``string`` renderers read nothing but ``request``, so without
BeforeRender subscribers they are given only that (:meth:`Renderers.reads_request_only`).

**Reloading.** With ``settings['reload_templates']`` true a changed template file is
recompiled on its next render; otherwise a template is compiled once, at ``make_wsgi_app()``,
and kept. An engine that can be lenient about undefined names (Jinja2) makes them errors when
``reload_templates`` is on (the development setting) or ``<engine>.strict_undefined`` is true,
and renders them empty otherwise; Mako's are always errors.

**Errors.** Whatever can be known without a request is checked in the factory, so it is a
:class:`~viewpick.ConfigurationError` from ``make_wsgi_app()`` naming the view's file and line:
an unknown renderer, a missing template, a template that does not compile, a ``#part`` the
template does not have, a broken plugin. What depends on the view's values (a template part
named like one of them, which would hide it; an error inside the template) fails that request
with a 500 and a log entry naming the template, its line and the view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import webob

from ..events import BeforeRender
from ..exceptions import ConfigurationError, caller_source, did_you_mean
from ..response import Response
from ..upstream import put_body, ready_response
from . import plugins
from .json import JSON
from .mako import MakoRendererFactory
from .names import renderer_key
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


def builtin_factories() -> dict[str, RendererFactory]:
    """Fresh built-in factories (each application's Mako factory keeps its own template caches)."""
    return {"json": JSON(), "string": string_renderer_factory, ".mako": MakoRendererFactory()}


def engine_name(factory: Any) -> str:
    """What ``viewpick explain`` calls a factory: its ``engine`` attribute, else its name."""
    engine = getattr(factory, "engine", None)
    if isinstance(engine, str):
        return engine
    named = factory if hasattr(factory, "__qualname__") else type(factory)
    return f"{named.__module__}.{named.__qualname__}"


class Renderers:
    """An application's renderer factories, by name or extension: its own (``add_renderer``)
    and the built-in ones; names neither knows are looked up among installed plugins."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings
        self.factories: dict[str, RendererFactory] = builtin_factories()
        self.added: set[str] = set()

    def add(self, name: str, factory: RendererFactory) -> None:
        self.factories[name] = factory
        self.added.add(name)

    def frozen(self, settings: Mapping[str, Any]) -> Renderers:
        """A copy, with ``settings``, that later changes to this one do not reach."""
        copy = Renderers.__new__(Renderers)
        copy.settings = settings
        copy.factories = dict(self.factories)
        copy.added = set(self.added)
        return copy

    def _key(self, name: str) -> str:
        """The name or extension ``name``'s factory is registered under."""
        if name in self.factories:
            return name
        key = renderer_key(name)
        return key if key in self.factories or name not in plugins.installed() else name

    def factory_for(self, name: str) -> RendererFactory:
        factory = self.factories.get(name) or self.factories.get(renderer_key(name))
        if factory is not None:
            return factory
        factory = plugins.find(name) or plugins.find(renderer_key(name))
        if factory is not None:
            return factory
        known = sorted({*self.factories, *plugins.installed()})
        raise ConfigurationError(
            f"no renderer is registered for {name!r}{did_you_mean(name, known)} "
            f"(known: {', '.join(known)}; add one with config.add_renderer(name, factory), or install a package "
            f"that provides it through the {plugins.GROUP!r} entry points)"
        )

    def engine_for(self, name: str) -> str:
        """The engine that renders ``name`` and where it comes from: ``'Mako'``,
        ``'Jinja2 (plugin: viewpick 0.1.0)'``, ``'csv.CSV (config.add_renderer)'``."""
        factory = self.factory_for(name)
        key = self._key(name)
        if key in self.added:
            return f"{engine_name(factory)} (config.add_renderer)"
        if key in self.factories:
            return engine_name(factory)
        return f"{engine_name(factory)} (plugin: {plugins.origin(key)})"

    def reads_request_only(self, name: str) -> bool:
        """Whether ``name`` renders through viewpick's own ``json`` or ``string`` renderer, which
        read nothing of the system values but ``request``: views using them are given only that
        (unless BeforeRender subscribers want them all), so they do not pay for the rest."""
        factory = self.factory_for(name)
        return factory is string_renderer_factory or type(factory) is JSON

    def make(self, name: str, package: str) -> tuple[Render, str | None]:
        """The render function for ``name`` declared in ``package``, and its media type.

        A factory's own ConfigurationError passes as it is (the caller adds the declaration's
        file and line); any other exception from a factory is one, naming the engine."""
        factory = self.factory_for(name)
        try:
            render = factory(RendererInfo(name, package, self.settings))
        except ConfigurationError:
            raise
        except Exception as exc:
            raise ConfigurationError(
                f"renderer {name!r} could not be made by {self.engine_for(name)}: {type(exc).__name__}: {exc}"
            ) from exc
        return render, getattr(factory, "media_type", None)


def system_values(
    request: Request | None,
    view: Any,
    renderer_name: str | None,
    response: Response | None = None,
    value: Any = None,
) -> dict[str, Any]:
    """The system values every renderer receives with the view's ``value``, whatever its engine:
    the one place they are made, for views and for :func:`render` alike. ``view`` is the
    instance of the view class that handled the request, if any; the application's
    BeforeRender subscribers may add to them (and see ``value`` as ``rendering_val``)."""
    instance = request.__dict__.get("view_instance") if request is not None else None
    if instance is not None and type(instance) is view:  # not an earlier view's, for an error view
        view = instance
    system = {
        "request": request,
        "view": view,
        "renderer_name": renderer_name,
        "context": request.context if request is not None else None,
    }
    if response is not None:
        system["response"] = response
    app = request.app if request is not None else None
    if request is not None and app is not None and app.template_csrf:
        system["get_csrf_token"] = request.get_csrf_token
    if app is not None and app.before_render:
        event = BeforeRender(system, value)
        for subscriber in app.before_render:
            subscriber(event)
        return event
    return system


def apply(render: Render, value: Any, system: dict[str, Any], response: Response, media_type: str | None) -> Response:
    """Render ``value`` into ``response``; see :func:`fill`."""
    return fill(response, render(value, system), media_type)


def fill(response: Response, body: str | bytes, media_type: str | None) -> Response:
    """Put a rendered body into ``response``.

    The Content-Type is the one the view or the renderer set; failing that, the renderer's
    declared ``media_type``; failing that, text/plain for text and application/octet-stream
    for bytes.
    """
    headerlist = response.headerlist
    if any(name.lower() == "content-type" and value for name, value in headerlist):
        charset = response.charset or "utf-8"
    else:
        default = "text/plain" if isinstance(body, str) else "application/octet-stream"
        content_type, charset = content_type_for(media_type or default)
        headerlist[:] = [header for header in headerlist if header[0].lower() != "content-type"]
        headerlist.append(("Content-Type", content_type))
    put_body(response, body.encode(charset) if isinstance(body, str) else body)
    return response


@cache
def content_type_for(media_type: str) -> tuple[str, str]:
    """The Content-Type header :func:`apply` would send for ``media_type`` (WebOb adds a
    charset to text types), and the charset to encode text with."""
    response = Response.unset()
    response.content_type = media_type
    return response.headers["Content-Type"], response.charset or "utf-8"


#: A rendered body the view left alone, with the headers it goes out with (Content-Type,
#: Content-Length, the route's Vary): a 200 the application sends as it is, without making a
#: Response, unless something asks for one (:func:`as_response`).
Rendered = tuple[list[tuple[str, str]], bytes]


def fresh(body: str | bytes, media_type: str, vary: str = "") -> Rendered:
    """The answer for a rendered body when the view left ``request.response`` alone: the
    headers :func:`apply` and the finishing step (:mod:`viewpick.finish`) would give, in one
    step (this is the path most requests take). ``vary`` is the route's compiled Vary, if any."""
    content_type, charset = content_type_for(media_type)
    data = body.encode(charset) if isinstance(body, str) else body
    if vary:
        return [("Content-Type", content_type), ("Content-Length", str(len(data))), ("Vary", vary)], data
    return [("Content-Type", content_type), ("Content-Length", str(len(data)))], data


def as_response(answer: webob.Response | Rendered) -> webob.Response:
    """The Response ``answer`` is, or the one a :data:`Rendered` stands for: what a tween, a
    response callback or a NewResponse subscriber is given."""
    return ready_response(Response, *answer) if isinstance(answer, tuple) else answer


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
    system = system_values(request, None, renderer_name, Response.unset(), value)
    body = render_fn(value, system)
    return body.decode("utf-8") if isinstance(body, bytes) else body


def render_to_response(
    renderer_name: str, value: Any, request: Request | None = None, response: Response | None = None
) -> Response:
    """Render ``value`` into a response (``request.response`` when there is a request)."""
    package = caller_source()[1]
    if response is None:
        response = request.response if request is not None else Response.unset()
    render_fn, media_type = _renderers_for(request).make(renderer_name, package)
    system = system_values(request, None, renderer_name, response, value)
    return apply(render_fn, value, system, response, media_type)


__all__ = [
    "JSON",
    "RendererFactory",
    "RendererInfo",
    "Renderers",
    "render",
    "render_to_response",
    "renderer_key",
    "system_values",
]
