"""The catalogue's error pages: chosen by viewpick's dispatcher like any other view.

A browser gets a page in the site's layout and an API client JSON of the shape viewpick's
own errors have; the Accept header decides, as it does for the films themselves. A visitor
who is not logged in and opens a page they may not see is sent to the login page, which
sends them back afterwards (``next``).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from viewpick import HTTPFound, Request, exception_view_config, forbidden_view_config, notfound_view_config

PAGE = "templates/error.mako"


def problem(request: Request, detail: str | None = None) -> dict[str, Any]:
    """The error as the API shows every error: status, title and detail."""
    status = request.response.status_int
    error = request.exception
    text = detail or getattr(error, "detail", None) or getattr(error, "explanation", "")
    return {"status": status, "title": HTTPStatus(status).phrase, "detail": text}


def page(request: Request, detail: str | None = None) -> dict[str, Any]:
    """The error for the page template (whose ``title`` block takes that name)."""
    document = problem(request, detail)
    return {"heading": f"{document['status']} {document['title']}", "detail": document["detail"]}


@notfound_view_config(renderer=PAGE)
def not_found_page(request: Request) -> dict[str, Any]:
    return page(request)


@notfound_view_config(accept="application/json", renderer="json")
def not_found_json(request: Request) -> dict[str, Any]:
    return problem(request)


@forbidden_view_config(renderer=PAGE)
def forbidden_page(request: Request) -> dict[str, Any]:
    """A visitor who could log in is sent to the login page and back; anyone else is told no."""
    if request.identity is None and request.method in ("GET", "HEAD"):
        raise HTTPFound(request.route_path("login", _query={"next": request.path_qs}))
    return page(request, "Log in to do this." if request.identity is None else None)


@forbidden_view_config(accept="application/json", renderer="json")
def forbidden_json(request: Request) -> dict[str, Any]:
    return problem(request)


SORRY = "Something went wrong on our side. It has been logged; please try again later."


@exception_view_config(Exception, renderer=PAGE)
def server_error_page(request: Request) -> dict[str, Any]:
    """An unexpected exception: the page says nothing of it (viewpick logs it)."""
    return page(request, SORRY)


@exception_view_config(Exception, accept="application/json", renderer="json")
def server_error_json(request: Request) -> dict[str, Any]:
    return problem(request, SORRY)
