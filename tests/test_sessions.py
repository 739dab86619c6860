"""Sessions: request.session from a signed cookie, saved only when changed, flash queues,
invalidation, and what a cookie that is not ours gives."""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from webob.cookies import SignedSerializer
from webtest import TestApp

from viewpick import ConfigurationError, Configurator
from viewpick.sessions import Session, SignedCookieSessionFactory

SECRET = "a session secret"
SALT = "viewpick.session."


def signed(state: Any, secret: str = SECRET) -> str:
    """A session cookie's value as the factory signs it."""
    return SignedSerializer(secret, SALT, "sha512").dumps(state).decode("ascii")


def session_app(factory: Any = None, **factory_options: Any) -> TestApp:
    """Views that read, write, flash and invalidate the session."""
    config = Configurator()
    config.set_session_factory(factory or SignedCookieSessionFactory(SECRET, **factory_options))
    for name in ("get", "set", "touch", "flash", "peek", "pop", "invalidate", "invalidate_then_set", "nothing"):
        config.add_route(name, f"/{name}")

    def get(request: Any) -> dict[str, Any]:
        return {"state": dict(request.session), "new": request.session.new}

    def set_(request: Any) -> dict[str, Any]:
        request.session[request.GET["key"]] = request.GET["value"]
        return {}

    def touch(request: Any) -> dict[str, Any]:
        request.session.setdefault("list", []).append(1)  # the second time, a change in place
        request.session.changed()
        return {}

    def flash(request: Any) -> dict[str, Any]:
        request.session.flash(
            request.GET["msg"], request.GET.get("queue", ""), allow_duplicate="once" not in request.GET
        )
        return {}

    def peek(request: Any) -> dict[str, Any]:
        return {"messages": request.session.peek_flash(request.GET.get("queue", ""))}

    def pop(request: Any) -> dict[str, Any]:
        return {"messages": request.session.pop_flash(request.GET.get("queue", ""))}

    def invalidate(request: Any) -> dict[str, Any]:
        request.session.invalidate()
        return {}

    def invalidate_then_set(request: Any) -> dict[str, Any]:
        request.session.invalidate()
        request.session["fresh"] = "yes"
        return {}

    def nothing(request: Any) -> dict[str, Any]:
        return {}

    views = [get, set_, touch, flash, peek, pop, invalidate, invalidate_then_set, nothing]
    for name, view in zip(
        ("get", "set", "touch", "flash", "peek", "pop", "invalidate", "invalidate_then_set", "nothing"),
        views,
        strict=True,
    ):
        config.add_view(view, route_name=name, renderer="json")
    return TestApp(config.make_wsgi_app())


def test_a_value_set_in_one_request_is_there_in_the_next() -> None:
    app = session_app()
    app.get("/set", {"key": "colour", "value": "blue"})
    assert app.get("/get").json == {"state": {"colour": "blue"}, "new": False}


def test_a_session_only_read_sets_no_cookie() -> None:
    app = session_app()
    response = app.get("/get")
    assert response.json == {"state": {}, "new": True}
    assert "Set-Cookie" not in response.headers


def test_an_unchanged_session_is_not_saved_again() -> None:
    app = session_app()
    app.get("/set", {"key": "a", "value": "1"})
    assert "Set-Cookie" not in app.get("/get").headers


def test_changed_saves_a_value_changed_in_place() -> None:
    app = session_app()
    app.get("/touch")
    app.get("/touch")
    assert app.get("/get").json["state"] == {"list": [1, 1]}


def test_the_cookie_is_http_only_and_same_site_lax_by_default() -> None:
    cookie = session_app().get("/set", {"key": "a", "value": "1"}).headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "secure" not in cookie.lower()


def test_cookie_options_are_passed_on() -> None:
    app = session_app(cookie_name="s", secure=True, httponly=False, samesite="Strict", max_age=60, path="/app")
    cookie = app.get("/set", {"key": "a", "value": "1"}).headers["Set-Cookie"]
    assert cookie.startswith("s=")
    assert "secure" in cookie.lower() and "HttpOnly" not in cookie and "SameSite=Strict" in cookie
    assert "Max-Age=60" in cookie and "Path=/app" in cookie


def test_a_request_that_does_not_touch_the_session_costs_no_session() -> None:
    app = session_app()
    response = app.get("/nothing")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Vary"] == "Accept, Cookie"  # as every route of an app with sessions


def test_reading_the_session_adds_vary_cookie() -> None:
    assert session_app().get("/get").headers["Vary"] == "Accept, Cookie"


@pytest.mark.parametrize(
    "cookie",
    [
        signed([time.time(), time.time(), {"user": "x"}], secret="another secret"),  # not our signature
        signed([time.time(), time.time(), {"user": "x"}])[:-4] + "AAAA",  # tampered
        "garbage that is not base64 !",
        signed({"not": "a session"}),  # signed, but not a session's shape
        "",
    ],
    ids=["other-secret", "tampered", "garbage", "wrong-shape", "empty"],
)
def test_a_cookie_that_is_not_a_valid_session_gives_an_empty_new_one(cookie: str) -> None:
    app = session_app()
    app.set_cookie("session", cookie)
    assert app.get("/get").json == {"state": {}, "new": True}


def test_an_expired_session_is_empty_and_its_cookie_deleted() -> None:
    app = session_app(timeout=60)
    app.set_cookie("session", signed([time.time() - 61, time.time() - 100, {"user": "x"}]))
    response = app.get("/get")
    assert response.json == {"state": {}, "new": True}
    assert "Max-Age=0" in response.headers["Set-Cookie"]


def test_a_session_used_within_the_timeout_is_kept() -> None:
    app = session_app(timeout=60)
    app.set_cookie("session", signed([time.time() - 30, time.time() - 100, {"user": "x"}]))
    assert app.get("/get").json == {"state": {"user": "x"}, "new": False}


def test_a_session_read_after_the_reissue_time_gets_its_cookie_again() -> None:
    app = session_app(timeout=60, reissue_time=10)
    app.set_cookie("session", signed([time.time() - 30, time.time() - 100, {"user": "x"}]))
    response = app.get("/get")
    assert response.headers["Set-Cookie"].startswith("session=")
    assert app.get("/get").json["state"] == {"user": "x"}


def test_a_session_read_within_the_reissue_time_sets_no_cookie() -> None:
    app = session_app(timeout=60, reissue_time=10)
    app.set_cookie("session", signed([time.time() - 5, time.time() - 100, {"user": "x"}]))
    assert "Set-Cookie" not in app.get("/get").headers


def test_flash_messages_wait_for_the_next_request_and_are_popped_once() -> None:
    app = session_app()
    app.get("/flash", {"msg": "Saved."})
    assert app.get("/pop").json == {"messages": ["Saved."]}
    assert app.get("/pop").json == {"messages": []}


def test_flash_queues_are_separate() -> None:
    app = session_app()
    app.get("/flash", {"msg": "careful", "queue": "warning"})
    app.get("/flash", {"msg": "done"})
    assert app.get("/pop", {"queue": "warning"}).json == {"messages": ["careful"]}
    assert app.get("/pop").json == {"messages": ["done"]}


def test_peek_flash_leaves_the_messages() -> None:
    app = session_app()
    app.get("/flash", {"msg": "hello"})
    assert app.get("/peek").json == {"messages": ["hello"]}
    assert app.get("/pop").json == {"messages": ["hello"]}


def test_flash_without_duplicates_keeps_one_of_each() -> None:
    app = session_app()
    app.get("/flash", {"msg": "hi", "once": "1"})
    app.get("/flash", {"msg": "hi", "once": "1"})
    assert app.get("/pop").json == {"messages": ["hi"]}


def test_invalidate_empties_the_session_and_deletes_its_cookie() -> None:
    app = session_app()
    app.get("/set", {"key": "user", "value": "ann"})
    response = app.get("/invalidate")
    assert "Max-Age=0" in response.headers["Set-Cookie"]
    assert app.get("/get").json == {"state": {}, "new": True}


def test_what_is_set_after_invalidate_goes_into_a_new_session() -> None:
    app = session_app()
    app.get("/set", {"key": "user", "value": "ann"})
    app.get("/invalidate_then_set")
    assert app.get("/get").json == {"state": {"fresh": "yes"}, "new": False}


def test_a_session_too_big_for_a_cookie_fails_the_request_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    app = session_app()
    app.get("/set", {"key": "big", "value": "x" * 5000}, status=500)
    assert "too long" in caplog.text


def test_without_a_session_factory_request_session_says_how_to_set_one(caplog: pytest.LogCaptureFixture) -> None:
    config = Configurator()
    config.add_route("r", "/")
    config.add_view(lambda request: {"s": request.session}, route_name="r", renderer="json")
    TestApp(config.make_wsgi_app()).get("/", status=500)
    assert "config.set_session_factory" in caplog.text


def test_set_session_factory_refuses_what_is_not_callable() -> None:
    with pytest.raises(ConfigurationError, match=r"test_sessions\.py"):
        Configurator().set_session_factory("not callable")  # type: ignore[arg-type]


def test_a_session_tracks_every_way_of_changing_it() -> None:
    for change in (
        lambda s: s.__setitem__("a", 1),
        lambda s: s.__delitem__("k"),
        lambda s: s.pop("k"),
        lambda s: s.popitem(),
        lambda s: s.update(a=1),
        lambda s: s.setdefault("a", 1),
        lambda s: s.clear(),
        lambda s: s.__ior__({"a": 1}),
    ):
        session = Session({"k": "v"}, new=False)
        change(session)
        assert session.dirty


def test_reading_a_session_leaves_it_clean() -> None:
    session = Session({"k": "v"}, new=False)
    assert session.get("k") == "v" and session.pop("missing", None) is None and session.setdefault("k") == "v"
    assert not session.dirty


# --- the factory interface, implemented by a server-side store on a real SQLite file ------------


class SQLiteSessions:
    """A server-side store as the interface describes one: a random id in a cookie, the state in
    SQLite, written by a response callback when the session is dirty, deleted when invalidated."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with self.connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, state TEXT)")

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction, committed and closed at the end of the block."""
        db = sqlite3.connect(self.path)
        try:
            with db:
                yield db
        finally:
            db.close()

    def rows(self) -> list[tuple[str, str]]:
        with self.connect() as db:
            return db.execute("SELECT id, state FROM sessions").fetchall()

    def __call__(self, request: Any) -> Session:
        sid = request.cookies.get("sid")
        with self.connect() as db:
            row = db.execute("SELECT state FROM sessions WHERE id = ?", (sid,)).fetchone() if sid else None
        session = Session(json.loads(row[0]) if row else None, new=row is None)

        def save(request: Any, response: Any) -> None:
            with self.connect() as db:
                if session.invalidated and row:
                    db.execute("DELETE FROM sessions WHERE id = ?", (sid,))
                    response.delete_cookie("sid")
                if session.dirty and session:
                    new_id = sid if row and not session.invalidated else secrets.token_urlsafe(32)
                    db.execute("INSERT OR REPLACE INTO sessions VALUES (?, ?)", (new_id, json.dumps(dict(session))))
                    response.set_cookie("sid", new_id, httponly=True, samesite="Lax")

        request.add_response_callback(save)
        return session


def test_a_server_side_store_keeps_the_session_through_the_interface(tmp_path: Path) -> None:
    store = SQLiteSessions(tmp_path / "sessions.sqlite3")
    app = session_app(store)
    app.get("/set", {"key": "colour", "value": "blue"})
    app.get("/flash", {"msg": "Saved."})
    assert app.get("/get").json["state"] == {"colour": "blue", "_f_": ["Saved."]}
    assert app.get("/pop").json == {"messages": ["Saved."]}
    assert [json.loads(state) for _, state in store.rows()] == [{"colour": "blue"}]


def test_a_server_side_store_drops_an_invalidated_session(tmp_path: Path) -> None:
    store = SQLiteSessions(tmp_path / "sessions.sqlite3")
    app = session_app(store)
    app.get("/set", {"key": "user", "value": "ann"})
    app.get("/invalidate")
    assert store.rows() == []
    assert app.get("/get").json == {"state": {}, "new": True}


@pytest.mark.parametrize("set_on_exception", [True, False])
def test_a_failed_request_saves_its_session_unless_told_not_to(set_on_exception: bool) -> None:
    config = Configurator()
    config.set_session_factory(SignedCookieSessionFactory(SECRET, set_on_exception=set_on_exception))
    config.add_route("r", "/")

    def fails(request: Any) -> None:
        request.session["half"] = "done"
        raise ValueError("then it failed")

    config.add_view(fails, route_name="r")
    response = TestApp(config.make_wsgi_app()).get("/", status=500)
    assert ("Set-Cookie" in response.headers) is set_on_exception


def test_the_session_keeps_pyramids_legacy_csrf_methods() -> None:
    session = Session()
    token = session.get_csrf_token()
    assert session.get_csrf_token() == token and session.dirty
    assert session.new_csrf_token() != token


def test_a_session_factory_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="needs a secret"):
        SignedCookieSessionFactory("")


def test_a_session_shows_its_state_in_its_repr() -> None:
    assert repr(Session({"a": 1})) == "<Session new {'a': 1}>"
