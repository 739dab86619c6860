"""The film catalogue: viewpick's running example, a small but complete application.

``main(settings)`` builds the WSGI application; every server calls it the same way
(``viewpick serve demo.films:main``, ``gunicorn 'demo.films:main()'``). Settings, all
optional strings:

- ``films.db``: the SQLite file, created and filled on first start
  (default: ``films.sqlite3`` beside this package).
- ``films.secret``: the key that signs login and session cookies. Without it a random one is made
  once and kept in the database, so every server process shares it.
- ``films.password_iterations``: the cost of new password hashes (default 600,000, OWASP's
  figure for PBKDF2-SHA256); stored hashes of a lower cost are upgraded at login.
- ``films.login_delay`` and ``films.login_max_delay``: in seconds, how long an account or a
  client address waits after five wrong logins (default 1), doubling per further failure up
  to the maximum (default 900); see :mod:`demo.films.throttle`.
- ``films.trusted_proxies``: the addresses of reverse proxies whose X-Forwarded-For header
  names the client, comma-separated (default none).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from viewpick import Configurator
from viewpick.app import Application
from viewpick.sessions import SignedCookieSessionFactory
from viewpick.settings import as_list

from . import db, passwords, throttle
from .auth import MAX_AGE, CookiePolicy

FILM_ID = "{id:[0-9]{1,18}}"  # at most 18 digits: always a valid SQLite integer


@dataclass(frozen=True)
class Logins:
    """``request.logins``: how the login view checks passwords and slows guessing."""

    path: str
    iterations: int
    throttle: throttle.Throttle
    trusted_proxies: frozenset[str]


def make_config(settings: Mapping[str, str] | None = None) -> Configurator:
    """The catalogue's configuration, ready to compile (tests extend it with views of their own)."""
    settings = dict(settings or {})
    path = settings.setdefault("films.db", db.DEFAULT_PATH)
    logins = Logins(
        path,
        int(settings.get("films.password_iterations", passwords.ITERATIONS)),
        throttle.Throttle(
            path,
            float(settings.get("films.login_delay", throttle.FIRST_DELAY)),
            float(settings.get("films.login_max_delay", throttle.MAX_DELAY)),
        ),
        frozenset(as_list(settings.get("films.trusted_proxies"))),
    )
    db.initialise(path, logins.iterations)
    config = Configurator(settings)
    secret = settings.get("films.secret") or db.stored_secret(path)
    config.set_security_policy(CookiePolicy(secret))
    # Flash messages and the forms' CSRF token; a session lasts as long as a login.
    config.set_session_factory(SignedCookieSessionFactory(secret, cookie_name="films_session", timeout=MAX_AGE))
    config.set_default_csrf_options(require_csrf=True)  # every form post carries the session's token
    config.include(".db")  # request.db, in a transaction a tween ends with the request
    config.include(".layout")  # the logged-in user in every template
    config.add_request_method(lambda request: logins, "logins", reify=True)
    config.add_static_view("static", "demo.films:static")
    config.add_route("home", "/")
    config.add_route("films", "/films")
    config.add_route("film", f"/films/{FILM_ID}")
    config.add_route("film_edit", f"/films/{FILM_ID}/edit")
    config.add_route("login", "/login")
    config.add_route("logout", "/logout")
    config.scan(".views")
    config.scan(".errors")
    return config


def main(settings: Mapping[str, str] | None = None) -> Application:
    """The WSGI application, for ``viewpick serve demo.films:main`` and other servers."""
    return make_config(settings).make_wsgi_app()
