"""The database: seeded once, one transaction per request, nothing a second process would miss."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from typing import Any
from urllib.parse import urlsplit

import pytest
from webob.exc import HTTPConflict
from webtest import TestApp

from demo.films import main, make_config
from demo.films.seed import FILMS
from viewpick import Request

from .conftest import FAST, SECRET, log_in


def rename_first_film(request: Request) -> None:
    request.db.execute("UPDATE films SET title = 'Half-written' WHERE id = 1")


def titles_in(path: str) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM films ORDER BY id")]


@pytest.fixture
def failing_views(db_path: str) -> TestApp:
    """The catalogue plus views that write and then fail in different ways."""

    def crash(request: Request) -> Any:
        rename_first_film(request)
        raise RuntimeError("the view failed after writing")

    def refuse(request: Request) -> Any:
        rename_first_film(request)
        raise HTTPConflict("refused after writing")

    def answer_400(request: Request) -> Any:
        rename_first_film(request)
        request.response.status = 400
        return "refused"

    config = make_config({"films.db": db_path, "films.secret": SECRET, **FAST})
    for name, view in [("crash", crash), ("refuse", refuse), ("answer_400", answer_400)]:
        config.add_route(name, f"/test/{name}")
        config.add_view(view, route_name=name, renderer="string")
    return TestApp(config.make_wsgi_app())


def test_a_new_database_is_filled_with_the_films(db_path: str) -> None:
    main({"films.db": db_path, **FAST})
    assert titles_in(db_path) == [film[0] for film in FILMS]


def test_starting_again_on_the_same_file_adds_nothing(db_path: str) -> None:
    main({"films.db": db_path, **FAST})
    main({"films.db": db_path, **FAST})
    assert len(titles_in(db_path)) == len(FILMS)


def test_a_view_that_crashes_after_writing_leaves_nothing_written(
    failing_views: TestApp, db_path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.CRITICAL, logger="viewpick"):
        failing_views.get("/test/crash", status=500)
    assert titles_in(db_path)[0] == "Seven Samurai"


def test_a_view_that_raises_an_http_error_after_writing_leaves_nothing_written(
    failing_views: TestApp, db_path: str
) -> None:
    failing_views.get("/test/refuse", status=409)
    assert titles_in(db_path)[0] == "Seven Samurai"


def test_a_view_that_answers_an_error_status_after_writing_leaves_nothing_written(
    failing_views: TestApp, db_path: str
) -> None:
    failing_views.get("/test/answer_400", status=400)
    assert titles_in(db_path)[0] == "Seven Samurai"


def test_two_processes_on_one_database_share_the_login_secret(db_path: str) -> None:
    first, second = TestApp(main({"films.db": db_path, **FAST})), TestApp(main({"films.db": db_path, **FAST}))
    log_in(first)
    second.set_cookie("films_auth", first.cookies["films_auth"])
    second.get("/films/1/edit", status=200)


def test_without_a_secret_setting_each_database_gets_its_own(db_path: str, tmp_path: Any) -> None:
    first, other = (
        TestApp(main({"films.db": db_path, **FAST})),
        TestApp(main({"films.db": str(tmp_path / "other.sqlite3"), **FAST})),
    )
    log_in(first)
    other.set_cookie("films_auth", first.cookies["films_auth"])
    assert urlsplit(other.get("/films/1/edit", status=302).location).path == "/login"  # not logged in there
