"""The film catalogue: viewpick's running example, a small but complete application.

``main(settings)`` builds the WSGI application; every server calls it the same way
(``viewpick serve demo.films:main``, ``gunicorn 'demo.films:main()'``). Settings, all
optional strings:

- ``films.db``: the SQLite file, created and filled on first start
  (default: ``films.sqlite3`` beside this package).
- ``films.secret``: the key that signs login cookies. Without it a random one is made
  once and kept in the database, so every server process shares it.
"""

from __future__ import annotations

from collections.abc import Mapping

from viewpick import Configurator
from viewpick.app import Application

from . import db
from .auth import CookiePolicy
from .csrf import csrf_token

FILM_ID = "{id:[0-9]{1,18}}"  # at most 18 digits: always a valid SQLite integer


def make_config(settings: Mapping[str, str] | None = None) -> Configurator:
    """The catalogue's configuration, ready to compile (tests extend it with views of their own)."""
    settings = dict(settings or {})
    path = settings.setdefault("films.db", db.DEFAULT_PATH)
    db.initialise(path)
    config = Configurator(settings)
    config.set_security_policy(CookiePolicy(settings.get("films.secret") or db.stored_secret(path)))
    config.add_request_method(db.open_for_request, "db", reify=True)
    config.add_request_method(csrf_token, "csrf_token", reify=True)
    config.add_static_view("static", "demo.films:static")
    config.add_route("home", "/")
    config.add_route("films", "/films")
    config.add_route("film", f"/films/{FILM_ID}")
    config.add_route("film_edit", f"/films/{FILM_ID}/edit")
    config.add_route("login", "/login")
    config.add_route("logout", "/logout")
    config.scan("demo.films.views")
    config.scan("demo.films.errors")
    return config


def main(settings: Mapping[str, str] | None = None) -> Application:
    """The WSGI application, for ``viewpick serve demo.films:main`` and other servers."""
    return make_config(settings).make_wsgi_app()
