"""Generated hostile requests, through the demo and a test app each wrapped in
``wsgiref.validate``: whatever the method, path, headers and body, the answer is never a 5xx
(but 501 for an unknown method), no exception escapes, and the validator finds nothing wrong.

The examples are derandomised and bounded, so every run tries the same few hundred requests in
a few seconds; set ``VIEWPICK_FUZZ_EXAMPLES`` (and ``VIEWPICK_FUZZ_RANDOM=1``) to try more.
"""

from __future__ import annotations

import io
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes
from wsgiref.validate import validator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.films import main as demo_main

from .demo.conftest import FAST
from .test_hostile_input import hostile_app

EXAMPLES = int(os.environ.get("VIEWPICK_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("VIEWPICK_FUZZ_RANDOM"),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Any]

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW", "get", "M-SEARCH"]
DEMO_PATHS = ["/", "/films", "/films/1", "/films/1/edit", "/films/999999999999999999", "/login", "/logout"]
DEMO_PATHS += ["/static/app.css", "/static/app.js", "/static/", "/static/../__init__.py"]
TEST_PATHS = ["/me", "/json", "/form", "/params", "/static/letters.txt", "/static/nothing"]
MEDIA_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
    "text/html",
    "*/*",
    "",
    "application/merge-patch+json",
]
CHARSETS = ["utf-8", "UTF8", "latin-1", "utf-16", "utf-32-be", "punycode", "idna", "rot13", "hex", "utf-7", "x" * 300]

# Header values are latin-1 text in WSGI: any byte may come over the wire.
latin1 = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)
token = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz*/+-.;=,\"' \\0123456789"), max_size=40)


@st.composite
def media_type(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(MEDIA_TYPES) | token)
    params = draw(
        st.lists(
            st.sampled_from([f"charset={c}" for c in CHARSETS])
            | st.sampled_from(["boundary=", 'boundary=""', "boundary=x", "q=0", "q=1.5", "q=-1", "v=b3"])
            | token,
            max_size=3,
        )
    )
    return "; ".join([kind, *params])


accept = st.lists(media_type(), max_size=4).map(", ".join) | latin1
cookie = st.lists(
    st.tuples(
        st.sampled_from(["films_auth", "films_csrf", "user", "tracking", "x y", ""]),
        st.sampled_from(['"\\377"', '"\\303\\251"', "abc", '"a\\"b"', "\\xff", ""]) | latin1,
    ).map("=".join),
    max_size=3,
).map("; ".join)
byte_range = st.sampled_from(["bytes=-", "bytes=--1", "bytes=0-0", "bytes=-3", "bytes=5-2", "bytes=0-,1-2", "bits=1-2"])
byte_range |= st.builds("bytes={}-{}".format, st.integers(-5, 10**30) | st.just(""), st.integers(-5, 50) | st.just(""))
http_date = st.sampled_from(["Sun, 06 Nov 1994 08:49:37 GMT", "yesterday", "Mon, 99 Foo 99999 99:99:99 GMT", ""])
etag = st.sampled_from(['"x"', "*", 'W/"x"', '"', "x, y", ""]) | latin1
HEADERS: dict[str, st.SearchStrategy[str]] = {
    "HTTP_ACCEPT": accept,
    "CONTENT_TYPE": media_type() | latin1,
    "HTTP_COOKIE": cookie | latin1,
    "HTTP_RANGE": byte_range | latin1,
    "HTTP_IF_RANGE": http_date | etag,
    "HTTP_IF_NONE_MATCH": etag,
    "HTTP_IF_MATCH": etag,
    "HTTP_IF_MODIFIED_SINCE": http_date | latin1,
    "HTTP_IF_UNMODIFIED_SINCE": http_date,
    "HTTP_X_REQUESTED_WITH": st.sampled_from(["XMLHttpRequest", "", "\xff"]),
    "HTTP_ACCEPT_CHARSET": latin1,
    "HTTP_ACCEPT_LANGUAGE": latin1,
    "HTTP_X_FORWARDED_FOR": latin1,
}
bodies = (
    st.binary(max_size=200)
    | st.sampled_from(
        [
            b'{"title": "Ran"}',
            b"1" * 5000,
            b'"\\ud800"',
            b"[" * 5000,
            b"a=1&b=%ff",
            b"\xff=1",
            b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\r\n--x--\r\n',
            b"--x\r\n\r\n",
            b"--x\r\n\r\n\xff\r\n--x--\r\n",
            b'--x\r\nContent-Disposition: form-data; name="a"\r\nContent-Type: multipart/mixed\r\n\r\n1\r\n--x--\r\n',
            b"name=demo&password=demo&csrf_token=x",
        ]
    )
    | st.text(max_size=100).map(lambda text: text.encode("utf-8", "surrogatepass"))
)
path_bytes = st.binary(max_size=20).map(lambda raw: quote_from_bytes(raw, safe="/"))


@st.composite
def hostile_environ(draw: st.DrawFn, paths: list[str]) -> dict[str, Any]:
    path = draw(st.sampled_from(paths) | st.builds("{}{}".format, st.sampled_from(paths), path_bytes))
    method = draw(st.sampled_from(METHODS))
    body = draw(bodies)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": draw(st.just(path) | st.just(path.encode("utf-8").decode("latin-1"))),
        "QUERY_STRING": draw(st.sampled_from(["", "q=samurai", "q=%ff", "q", "came_from=//evil"]) | path_bytes),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if draw(st.booleans()):
        environ["CONTENT_LENGTH"] = str(len(body))
    for key in draw(st.sets(st.sampled_from(sorted(HEADERS)), max_size=6)):
        environ[key] = draw(HEADERS[key])
    return environ


def answer(app: WSGIApp, environ: dict[str, Any]) -> int:
    """The status ``app`` answers ``environ`` with, under ``wsgiref.validate``; the body read whole."""
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        statuses.append(status)
        return lambda data: None

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unknown REQUEST_METHOD", category=Warning)  # the point of the test
        body = validator(app)(environ, start_response)
        try:
            for _ in body:
                pass
        finally:
            body.close()
    return int(statuses[-1].split(" ", 1)[0])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> WSGIApp:
    path = tmp_path_factory.mktemp("fuzz") / "films.sqlite3"
    return demo_main({"films.db": str(path), "films.secret": "fuzz", **FAST})


@pytest.fixture(scope="module")
def test_app(tmp_path_factory: pytest.TempPathFactory) -> WSGIApp:
    return hostile_app(Path(tmp_path_factory.mktemp("fuzz-static")))


@FUZZ
@given(data=st.data())
def test_hostile_requests_to_the_demo_get_no_5xx(demo: WSGIApp, data: st.DataObject) -> None:
    status = answer(demo, data.draw(hostile_environ(DEMO_PATHS)))
    assert status < 500 or status == 501


@FUZZ
@given(data=st.data())
def test_hostile_requests_to_a_test_app_get_no_5xx(test_app: WSGIApp, data: st.DataObject) -> None:
    status = answer(test_app, data.draw(hostile_environ(TEST_PATHS)))
    assert status < 500 or status == 501
