"""Fixtures for the film catalogue: the real application on a fresh SQLite file per test,
driven through WebTest, logging in through its own login form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from webtest import TestApp

from demo.films import main

SECRET = "a test secret"
# Settings every test app gets: a password hash cheap enough for a test suite that logs in
# often (the default is the current recommendation, 600,000 iterations), and throttling of
# wrong logins short enough to wait out in a test.
FAST = {"films.password_iterations": "1000", "films.login_delay": "0.2", "films.login_max_delay": "0.4"}
# The first film of the seed, as the JSON API shows it (without its id).
SEVEN_SAMURAI = {
    "title": "Seven Samurai",
    "year": 1954,
    "language": "Japanese",
    "genres": ["Action", "Drama"],
    "director": "Akira Kurosawa",
    "version": 1,
}


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "films.sqlite3")


@pytest.fixture
def films(db_path: str) -> TestApp:
    """The catalogue, with nobody logged in."""
    return TestApp(main({"films.db": db_path, "films.secret": SECRET, **FAST}))


def stored(app: TestApp, film_id: int = 1) -> dict[str, Any]:
    """Film ``film_id`` as the JSON API shows it now."""
    return app.get(f"/films/{film_id}", headers={"Accept": "application/json"}).json["film"]


def log_in(app: TestApp, name: str = "demo", password: str = "demo", **params: Any) -> Any:
    """Fill in and submit the login form as a person would."""
    form = app.get("/login", params=params).forms["login"]
    form["name"] = name
    form["password"] = password
    return form.submit(status="*")


@pytest.fixture
def editor(films: TestApp) -> TestApp:
    """The catalogue with the demo account logged in."""
    assert log_in(films).status_int == 303
    return films
