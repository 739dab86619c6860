"""Protection of the catalogue's forms against cross-site request forgery.

Each browser gets a random token in a cookie, and every form the app renders repeats it in
a hidden field; a form post whose field does not match the cookie is refused. Another site
can make a browser post to us, cookies and all, but it can read neither the cookie nor our
pages, so it cannot fill in the field. The JSON API needs no token: a browser sends a
cross-site PUT only after a CORS preflight, which this app never grants.
"""

from __future__ import annotations

import hmac
import secrets
from typing import TYPE_CHECKING

from webob.exc import HTTPBadRequest

if TYPE_CHECKING:
    from viewpick import Configurator, Request

COOKIE = "films_csrf"
FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """``request.csrf_token``: this browser's token; a new one is made and set as a cookie when
    the browser has none yet."""
    token = request.cookies.get(COOKIE)
    if not token:
        token = secrets.token_urlsafe(32)
        request.add_response_callback(
            lambda request, response: response.set_cookie(COOKIE, token, path="/", httponly=True, samesite="Lax")
        )
    return token


def check_csrf(request: Request) -> None:
    """Refuse (400) a form post that does not carry this browser's token."""
    expected = request.cookies.get(COOKIE, "")
    sent = request.POST.get(FIELD, "")
    if not expected or not hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8")):
        raise HTTPBadRequest(
            "The form's CSRF token is missing or does not match this browser's: "
            "reload the page that shows the form and submit it again."
        )


def includeme(config: Configurator) -> None:
    """``config.include('demo.films.csrf')``: ``request.csrf_token``."""
    config.add_request_method(csrf_token, "csrf_token", reify=True)
