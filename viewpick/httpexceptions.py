"""The HTTP errors and redirects views raise or return, with Pyramid's constructor signatures.

They are WebOb's own classes (``webob.exc``), with one difference: a redirect takes the URL
first, so ``HTTPFound(url)`` sends ``Location: url``. WebOb's ``HTTPFound(url)`` takes the
URL as the detail text and sends a redirect with no Location at all, which a ported
Pyramid application does not notice until a browser is stuck on an empty 302.

Every other class *is* WebOb's (``viewpick.httpexceptions.HTTPNotFound is
webob.exc.HTTPNotFound``), so an error view for either catches both. The redirects are
subclasses of WebOb's, so an error view for ``webob.exc.HTTPFound`` also catches
``viewpick.httpexceptions.HTTPFound``. ``HTTPException`` is the base of them all, as in
Pyramid (WebOb calls it ``WSGIHTTPException``).

    >>> HTTPFound("/films").location
    '/films'
    >>> exception_response(404).status
    '404 Not Found'
"""

from __future__ import annotations

from typing import Any

from webob import exc
from webob.exc import (
    HTTPAccepted,
    HTTPBadGateway,
    HTTPBadRequest,
    HTTPClientError,
    HTTPConflict,
    HTTPCreated,
    HTTPError,
    HTTPExpectationFailed,
    HTTPFailedDependency,
    HTTPForbidden,
    HTTPGatewayTimeout,
    HTTPGone,
    HTTPInsufficientStorage,
    HTTPInternalServerError,
    HTTPLengthRequired,
    HTTPLocked,
    HTTPMethodNotAllowed,
    HTTPNetworkAuthenticationRequired,
    HTTPNoContent,
    HTTPNonAuthoritativeInformation,
    HTTPNotAcceptable,
    HTTPNotFound,
    HTTPNotImplemented,
    HTTPNotModified,
    HTTPOk,
    HTTPPartialContent,
    HTTPPaymentRequired,
    HTTPPreconditionFailed,
    HTTPPreconditionRequired,
    HTTPProxyAuthenticationRequired,
    HTTPRedirection,
    HTTPRequestEntityTooLarge,
    HTTPRequestHeaderFieldsTooLarge,
    HTTPRequestRangeNotSatisfiable,
    HTTPRequestTimeout,
    HTTPRequestURITooLong,
    HTTPResetContent,
    HTTPServerError,
    HTTPServiceUnavailable,
    HTTPTooManyRequests,
    HTTPUnauthorized,
    HTTPUnavailableForLegalReasons,
    HTTPUnprocessableEntity,
    HTTPUnsupportedMediaType,
    HTTPVersionNotSupported,
)
from webob.exc import WSGIHTTPException as HTTPException


class _RedirectFirst:
    """Mixed into WebOb's redirects: ``Class(location, detail=None, headers=None, comment=None,
    body_template=None)``, Pyramid's order, so the URL given first is the Location."""

    def __init__(
        self,
        location: str,
        detail: str | None = None,
        headers: Any = None,
        comment: str | None = None,
        body_template: str | None = None,
    ) -> None:
        super().__init__(  # type: ignore[call-arg]
            detail=detail, headers=headers, comment=comment, body_template=body_template, location=location
        )


class HTTPMultipleChoices(_RedirectFirst, exc.HTTPMultipleChoices):
    """300 Multiple Choices, to ``location``."""


class HTTPMovedPermanently(_RedirectFirst, exc.HTTPMovedPermanently):
    """301 Moved Permanently, to ``location``."""


class HTTPFound(_RedirectFirst, exc.HTTPFound):
    """302 Found: ``HTTPFound(request.route_path('login'))``."""


class HTTPSeeOther(_RedirectFirst, exc.HTTPSeeOther):
    """303 See Other: where to go after a form was posted."""


class HTTPUseProxy(_RedirectFirst, exc.HTTPUseProxy):
    """305 Use Proxy, at ``location``."""


class HTTPTemporaryRedirect(_RedirectFirst, exc.HTTPTemporaryRedirect):
    """307 Temporary Redirect: the same method and body, sent to ``location``."""


class HTTPPermanentRedirect(_RedirectFirst, exc.HTTPPermanentRedirect):
    """308 Permanent Redirect: the same method and body, sent to ``location`` from now on."""


_REDIRECTS: tuple[type[HTTPException], ...] = (
    HTTPMultipleChoices,
    HTTPMovedPermanently,
    HTTPFound,
    HTTPSeeOther,
    HTTPUseProxy,
    HTTPTemporaryRedirect,
    HTTPPermanentRedirect,
)

#: Each status code's class: WebOb's, with the redirects above in place of its own.
status_map: dict[int, type[HTTPException]] = {**exc.status_map, **{cls.code: cls for cls in _REDIRECTS}}


def exception_response(status_code: int, **kw: Any) -> HTTPException:
    """An instance of the class for ``status_code`` (``exception_response(404)``), as in Pyramid;
    the keywords go to its constructor (a redirect needs ``location=``)."""
    return status_map[status_code](**kw)


__all__ = [
    "HTTPAccepted",
    "HTTPBadGateway",
    "HTTPBadRequest",
    "HTTPClientError",
    "HTTPConflict",
    "HTTPCreated",
    "HTTPError",
    "HTTPException",
    "HTTPExpectationFailed",
    "HTTPFailedDependency",
    "HTTPForbidden",
    "HTTPFound",
    "HTTPGatewayTimeout",
    "HTTPGone",
    "HTTPInsufficientStorage",
    "HTTPInternalServerError",
    "HTTPLengthRequired",
    "HTTPLocked",
    "HTTPMethodNotAllowed",
    "HTTPMovedPermanently",
    "HTTPMultipleChoices",
    "HTTPNetworkAuthenticationRequired",
    "HTTPNoContent",
    "HTTPNonAuthoritativeInformation",
    "HTTPNotAcceptable",
    "HTTPNotFound",
    "HTTPNotImplemented",
    "HTTPNotModified",
    "HTTPOk",
    "HTTPPartialContent",
    "HTTPPaymentRequired",
    "HTTPPermanentRedirect",
    "HTTPPreconditionFailed",
    "HTTPPreconditionRequired",
    "HTTPProxyAuthenticationRequired",
    "HTTPRedirection",
    "HTTPRequestEntityTooLarge",
    "HTTPRequestHeaderFieldsTooLarge",
    "HTTPRequestRangeNotSatisfiable",
    "HTTPRequestTimeout",
    "HTTPRequestURITooLong",
    "HTTPResetContent",
    "HTTPSeeOther",
    "HTTPServerError",
    "HTTPServiceUnavailable",
    "HTTPTemporaryRedirect",
    "HTTPTooManyRequests",
    "HTTPUnauthorized",
    "HTTPUnavailableForLegalReasons",
    "HTTPUnprocessableEntity",
    "HTTPUnsupportedMediaType",
    "HTTPUseProxy",
    "HTTPVersionNotSupported",
    "exception_response",
    "status_map",
]
