"""The catalogue's views.

Which view answers a request is declared, not coded: the route, the method, ``xhr``, the
Accept header and the permission choose, and each view does one job. ``film_list`` is one
function with three renderers: a page for browsers, only the results for XHR, and JSON for
clients that ask for it.
"""

from __future__ import annotations

import math
from typing import Any

from webob import Response

from viewpick import HTTPBadRequest, HTTPNotFound, HTTPSeeOther, Request, render_to_response, view_config
from viewpick.security import forget, remember

from . import db, forms, seed, throttle


@view_config(route_name="home", request_method="GET")
def home(request: Request) -> Response:
    return HTTPSeeOther(location=request.route_path("films"))


@view_config(route_name="films", request_method="GET", renderer="templates/films.mako")
@view_config(route_name="films", request_method="GET", xhr=True, renderer="templates/films.mako#results")
@view_config(route_name="films", request_method="GET", accept="application/json", renderer="json")
def film_list(request: Request) -> dict[str, Any]:
    """The films matching ``?q=`` (all of them without it)."""
    q = request.GET.get("q", "").strip()
    return {"q": q, "films": db.search(request.db, q)}


@view_config(route_name="film", request_method="GET", renderer="templates/film.mako")
@view_config(route_name="film", request_method="GET", accept="application/json", renderer="json")
def film_detail(request: Request) -> dict[str, Any]:
    return {"film": film_or_404(request)}


@view_config(route_name="film_edit", request_method="GET", permission="edit", renderer="templates/edit.mako")
def edit_form(request: Request) -> dict[str, Any]:
    film = film_or_404(request)
    return {"film": film, "values": form_values(film), "errors": {}}


@view_config(route_name="film", request_method="POST", permission="edit", renderer="templates/edit.mako")
def save_from_form(request: Request) -> Any:
    """Save the edit form and go back to the film; the form again with the problems (400), or
    both versions side by side when someone else saved the film first (409). viewpick has
    checked the form's CSRF token before calling this."""
    film = film_or_404(request)
    values, errors = forms.parse_edit(request.POST)
    if errors:
        request.response.status = 400
        return {"film": film, "values": request.POST, "errors": errors}
    saved = db.update_film(request.db, film.id, values)
    if saved is None:
        request.response.status = 409
        return render_to_response("templates/conflict.mako", {"stored": film, "submitted": values}, request)
    request.session.flash("Saved.")
    return HTTPSeeOther(location=request.route_path("film", id=film.id))


@view_config(
    route_name="film",
    request_method="PUT",
    content_type="application/json",
    accept="application/json",
    permission="edit",
    renderer="json",
    require_csrf=False,
)
def save_from_json(request: Request) -> dict[str, Any]:
    """Replace the film with the JSON object sent, which names the ``version`` it was edited
    from; 409 with both versions when that is no longer the stored one.

    No CSRF token: only a JSON body is taken, which another site's page can send only after a
    CORS preflight this application never grants (a form cannot send one)."""
    film = film_or_404(request)
    values, errors = forms.parse_edit(json_object(request))
    if errors:
        request.response.status = 400
        return {"status": 400, "title": "Bad Request", "detail": "Some fields are not valid.", "errors": errors}
    saved = db.update_film(request.db, film.id, values)
    if saved is None:
        request.response.status = 409
        detail = f"The film was changed since version {values['version']}; nothing was saved."
        return {"status": 409, "title": "Conflict", "detail": detail, "stored": film, "submitted": values}
    return {"film": saved}


@view_config(route_name="login", request_method="GET", renderer="templates/login.mako")
def login_form(request: Request) -> dict[str, Any]:
    came_from = safe_return_path(request, request.GET.get("next"))
    return {"came_from": came_from, "name": "", "error": None, "demo_user": seed.DEMO_USER}


@view_config(route_name="login", request_method="POST", renderer="templates/login.mako")
def login(request: Request) -> Any:
    """Log in and go back where the user came from; the form again (400) for a wrong password,
    or (429, with Retry-After) while the account or the address must wait after wrong ones
    (:mod:`demo.films.throttle`). It does not use ``request.db``, whose write lock a POST
    would hold while the password is hashed (:func:`demo.films.db.check_login`)."""
    name, password = request.POST.get("name", "").strip(), request.POST.get("password", "")
    came_from = safe_return_path(request, request.POST.get("next"))
    logins = request.logins
    keys = throttle.keys_for(name, throttle.client_address(request.environ, logins.trusted_proxies))
    wait = logins.throttle.attempt(keys)  # counted as a failure until the password is found right
    if wait > 0:
        request.response.status = 429
        request.response.headers["Retry-After"] = str(math.ceil(wait))
        error = f"Too many failed logins for this account or from this address: try again in {math.ceil(wait)} s."
    elif not db.check_login(logins.path, name, password, logins.iterations):
        request.response.status = 400
        error = "That user name and password do not match an account."
    else:
        logins.throttle.succeeded(keys)
        return HTTPSeeOther(location=came_from, headers=remember(request, name))
    return {"came_from": came_from, "name": name, "error": error, "demo_user": seed.DEMO_USER}


@view_config(route_name="logout", request_method="POST")
def logout(request: Request) -> Response:
    headers = forget(request)
    request.session.flash("You are logged out.")
    return HTTPSeeOther(location=request.route_path("films"), headers=headers)


def film_or_404(request: Request) -> db.Film:
    """The film the URL names; a 404 when there is none."""
    film = db.get_film(request.db, int(request.matchdict["id"]))
    if film is None:
        raise HTTPNotFound(f"There is no film {request.matchdict['id']} in the catalogue.")
    return film


def form_values(film: db.Film) -> dict[str, Any]:
    """The film as the edit form's fields show it."""
    return {
        "title": film.title,
        "year": film.year,
        "language": film.language,
        "genres": ", ".join(film.genres),
        "director": film.director,
        "version": film.version,
    }


def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON body, which must be an object (viewpick answers 400 for broken JSON)."""
    data = request.json_body
    if not isinstance(data, dict):
        raise HTTPBadRequest("The body must be a JSON object with the film's fields.")
    return data


def safe_return_path(request: Request, path: str | None) -> str:
    """``path`` when it is a path on this site, else the film list: a link to the login page
    must not be able to send the user to another site afterwards."""
    if path and path.startswith("/") and not path.startswith(("//", "/\\")) and path.isascii() and path.isprintable():
        return path
    return request.route_path("films")
