"""Everything viewpick takes from WebOb and Mako beyond their documented interfaces, in one place.

Each use here is a private attribute or an undocumented behaviour, chosen for speed or because no
public way exists. ``tests/test_upstream.py`` checks each assumption on its own, so an upgrade of
either library that breaks one fails there, by name, rather than somewhere downstream or silently.
pyproject.toml caps both below their next major version.

Assumptions used elsewhere without calling anything private (tested there too):

- A ``webob.Request`` keeps attributes that its class declares in the instance ``__dict__``, as
  ``object.__setattr__`` would: ``app.py`` and ``overlap.py`` write ``request.__dict__`` directly
  on the request path, skipping ``BaseRequest.__setattr__``'s class look-up, and reads it to see whether a
  reified ``request.response`` was made.
- A ``webob.Response`` made with a header list gets no Content-Type (``Response.unset``), so
  renderers can tell "not chosen yet" (``renderers.fill``).
- Setting a text media type on a ``webob.Response`` adds ``charset=UTF-8`` (``renderers.content_type_for``).
- WebOb's multipart parser replaces bytes that are not UTF-8 in text fields with U+FFFD, which
  is how ``body.check_multipart`` spots them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import webob
from mako import compat as mako_compat
from mako import runtime as mako_runtime
from mako import util as mako_util
from webob.response import EmptyResponse

if TYPE_CHECKING:
    from mako.lookup import TemplateLookup
    from mako.template import Template

R = TypeVar("R", bound="webob.Response")
Q = TypeVar("Q", bound="webob.Request")

# --- WebOb --------------------------------------------------------------------------------

#: The environ key where ``webob.Request.POST`` caches the parsed form: ``(fields, body file)``.
PARSED_POST_VARS = "webob._parsed_post_vars"


def ready_response(cls: type[R], headerlist: list[tuple[str, str]], data: bytes, status: str = "200 OK") -> R:
    """A response with these headers and body (200 unless ``status`` says otherwise): the state
    ``cls(status=status, headerlist=headerlist, app_iter=[data])`` gives, set straight into WebOb's
    private attributes without the constructor's checks for every other kind of response (most
    requests are answered this way)."""
    response = cls.__new__(cls)
    state = response.__dict__
    state["_status"] = status
    state["_headers"] = None
    state["_headerlist"] = headerlist
    state["conditional_response"] = cls.default_conditional_response
    state["_app_iter"] = [data]
    return response


def put_body(response: webob.Response, data: bytes) -> None:
    """``response.body = data``, in one pass over the headers: the body, its Content-Length
    (last, as WebOb puts it), no Content-MD5, as WebOb's setter leaves them. The header list is
    changed in place, since ``response.headers`` may be a view of it."""
    state = response.__dict__
    headerlist = state["_headerlist"]
    headerlist[:] = [header for header in headerlist if header[0].lower() not in ("content-length", "content-md5")]
    headerlist.append(("Content-Length", str(len(data))))
    state["_app_iter"] = [data]


def send_response(response: webob.Response, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Send ``response`` as WSGI: what ``webob.Response.__call__`` does, without its copy of
    every header through a comprehension that lower-cases each name. WebOb itself still sends a
    conditional response and one with a Location header (which it makes absolute)."""
    if response.conditional_response:
        return webob.Response.__call__(response, environ, start_response)
    state = response.__dict__
    headerlist = state["_headerlist"]
    for name, _ in headerlist:
        if len(name) == 8 and name.lower() == "location":
            return webob.Response.__call__(response, environ, start_response)
    start_response(state["_status"], headerlist[:])  # a copy: servers may add to the list they get
    if environ["REQUEST_METHOD"] == "HEAD":
        return EmptyResponse(state["_app_iter"])
    return state["_app_iter"]


def bare_request(cls: type[Q], environ: dict[str, Any]) -> Q:
    """``cls(environ)`` for a server's environ: the state WebOb's constructor leaves (the environ
    in the instance dict), without its checks of arguments a server never passes."""
    request = cls.__new__(cls)
    request.__dict__["environ"] = environ
    return request


#: WebOb's getter of ``request.GET`` (a plain property), called directly: cheaper than ``super().GET``
#: on the request path, for a subclass that wraps it.
webob_query_params: Callable[[webob.Request], Any] = webob.Request.GET.fget  # type: ignore[attr-defined]


#: WebOb's setter of ``request.content_type`` (which keeps the header's parameters when given a
#: type without any), for a subclass that reads the type its own way.
webob_content_type_setter: Callable[[webob.Request, str | None], None] = webob.Request.content_type.fset  # type: ignore[assignment]  # a property: fset is set


def parsed_form_fields(environ: Mapping[str, Any]) -> Mapping[str, Any]:
    """The form fields ``request.POST`` parsed for this environ, or an empty mapping if it was not read."""
    fields: Mapping[str, Any] = environ.get(PARSED_POST_VARS, ({}, None))[0]
    return fields


# --- Mako ---------------------------------------------------------------------------------


def cached_template(lookup: TemplateLookup, uri: str) -> Template | None:
    """The compiled template ``lookup`` holds for ``uri``, without checking its file; None if none."""
    template: Template | None = lookup._collection.get(uri)
    return template


def load_template(lookup: TemplateLookup, filename: str, uri: str) -> Template:
    """Compile ``filename`` as ``uri`` in ``lookup`` and keep it there, as ``get_template`` would
    for a file it found itself (what lets ``package:path`` URIs live in one lookup)."""
    template: Template = lookup._load(filename, uri)
    return template


def template_renderer(template: Template) -> Callable[[dict[str, Any]], str]:
    """``template.render_unicode(**values)`` as a function of ``values``, with the steps Mako
    takes on every render that depend only on the template taken once: Mako reads the
    signature of the template's render function (to learn which values it takes as keyword
    arguments) and copies the values through three more keyword calls, per render."""
    render_function = template.callable_
    signature = mako_compat.inspect_getargspec(render_function)
    named = [arg for arg in [*signature[0], *(v for v in signature[1:3] if v is not None)] if arg != "context"]
    takes_all = bool(signature[2])  # a page's render_body(context, **pageargs)

    def render(values: dict[str, Any]) -> str:
        buffer = mako_util.FastEncodingBuffer()
        context = mako_runtime.Context(buffer, **values)
        context._outputting_as_unicode = True
        context._set_with_template(template)
        arguments = values if takes_all else {arg: values[arg] for arg in named if arg in values}
        mako_runtime._render_context(template, render_function, context, **arguments)
        text: str = context._pop_buffer().getvalue()
        return text

    return render


def fresh_template(lookup: TemplateLookup, uri: str, template: Template) -> Template:
    """``template``, or its recompiled successor if its file changed since it was compiled."""
    checked: Template = lookup._check(uri, template)
    return checked
