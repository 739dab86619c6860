"""The README's per-request transaction recipe (``tm.py``), pasted into a module as a reader
would, against a real SQLite file: committed on success, rolled back on an exception or an
error status."""

from __future__ import annotations

import logging
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest
from webob.exc import HTTPConflict, HTTPSeeOther
from webtest import TestApp

from tests.test_readme import code_block_after
from viewpick import Configurator


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    path = str(tmp_path / "ledger.sqlite3")
    with closing(sqlite3.connect(path)) as connection, connection:  # closed, not only committed
        connection.execute("CREATE TABLE entries (text TEXT NOT NULL)")
    return path


@pytest.fixture
def app(db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestApp:
    (tmp_path / "tm.py").write_text(code_block_after("`tm.py`:"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "tm", raising=False)
    config = Configurator({"db.path": db_path})
    config.include("tm")
    config.add_route("write", "/write/{how}")
    config.add_route("read", "/read")

    def write(request):
        request.db.execute("INSERT INTO entries VALUES (?)", (request.matchdict["how"],))
        if request.matchdict["how"] == "crash":
            raise RuntimeError("disk on fire")
        if request.matchdict["how"] == "conflict":
            raise HTTPConflict()
        if request.matchdict["how"] == "invalid":
            request.response.status = 400
        if request.matchdict["how"] == "redirect":
            return HTTPSeeOther(location="/read")
        return "written"

    config.add_view(write, route_name="write", renderer="string")
    config.add_view(lambda request: "nothing to do", route_name="read", renderer="string")
    return TestApp(config.make_wsgi_app())


def stored(db_path: str) -> list[str]:
    with closing(sqlite3.connect(db_path)) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM entries")]


def test_a_request_that_succeeds_is_committed(app, db_path):
    app.get("/write/fine")
    assert stored(db_path) == ["fine"]


def test_a_returned_redirect_is_committed(app, db_path):
    app.get("/write/redirect", status=303)
    assert stored(db_path) == ["redirect"]


def test_a_view_that_crashes_is_rolled_back(app, db_path, caplog):
    with caplog.at_level(logging.CRITICAL, logger="viewpick"):
        app.get("/write/crash", status=500)
    assert stored(db_path) == []


def test_a_view_that_raises_an_http_error_is_rolled_back(app, db_path):
    app.get("/write/conflict", status=409)
    assert stored(db_path) == []


def test_a_view_that_answers_an_error_status_is_rolled_back(app, db_path):
    app.get("/write/invalid", status=400)
    assert stored(db_path) == []


def test_the_connection_is_closed_after_each_request(app, db_path):
    app.get("/write/fine")
    with closing(sqlite3.connect(db_path, timeout=0)) as connection, connection:  # would wait on a lock left open
        connection.execute("INSERT INTO entries VALUES ('after')")
    assert stored(db_path) == ["fine", "after"]


def test_a_request_that_never_uses_the_database_opens_no_connection(app, db_path, monkeypatch):
    opened = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **kw: opened.append(a) or real_connect(*a, **kw))
    app.get("/read")
    assert opened == []
