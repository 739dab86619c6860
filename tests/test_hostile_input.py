"""Hostile input: whatever a client sends gets a 4xx saying what was wrong, never a 500 or an
exception escaping the application, and never costs memory that stays once it is answered."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.validate import validator

import pytest
from webob import Request as WebObRequest
from webob.exc import HTTPBadRequest
from webtest import TestApp

from viewpick import Configurator, Request, Response
from viewpick.app import Application

from .conftest import AllowAll


class CookieUser(AllowAll):
    """A policy whose identity is a cookie's value, as signed-cookie policies read it."""

    def identity(self, request: Any) -> str | None:
        return request.cookies.get("user")

    def permits(self, request: Any, context: Any, permission: str) -> bool:
        return request.identity is not None or permission == "edit"


def hostile_app(directory: Path) -> Application:
    """An app with a view for each kind of input a client can get wrong."""
    (directory / "letters.txt").write_text("abcdefghij")
    config = Configurator()
    config.set_security_policy(CookieUser())
    config.add_static_view("static", str(directory))
    config.add_route("me", "/me")
    config.add_route("json", "/json")
    config.add_route("form", "/form")
    config.add_route("params", "/params")
    config.add_view(lambda request: f"hello {request.identity}", route_name="me", renderer="string")
    config.add_view(lambda request: {"got": repr(request.json_body)[:20]}, route_name="json", renderer="json")
    config.add_view(lambda request: dict(request.POST), route_name="form", renderer="json")
    config.add_view(lambda request: dict(request.params), route_name="params", permission="edit", renderer="json")
    return config.make_wsgi_app()


@pytest.fixture
def hostile(tmp_path: Path) -> TestApp:
    return TestApp(hostile_app(tmp_path))


def problem(response: Any) -> str:
    """The detail of a JSON error body."""
    assert response.content_type == "application/json"
    return str(response.json["detail"])


JSON = {"Accept": "application/json"}
# How much of an error detail may be shown: a sentence, and the start of what the client sent.
DETAIL_LIMIT = 300


# Cookies.


def test_a_cookie_that_is_not_utf8_is_400_on_a_page_that_reads_the_identity(hostile):
    response = hostile.get("/me", headers={**JSON, "Cookie": 'tracking="\\377"'}, status=400)
    assert problem(response) == "The cookie 'tracking' is not valid UTF-8."


def test_a_cookie_that_is_not_utf8_read_by_a_template_is_400(tmp_path, make_app):
    (tmp_path / "page.mako").write_text("<p>${request.cookies.get('user')}</p>")
    config = Configurator({"mako.directories": str(tmp_path)})
    config.add_route("page", "/")
    config.add_view(lambda request: {}, route_name="page", renderer="page.mako")
    response = make_app(config).get("/", headers={**JSON, "Cookie": 'tracking="\\377"'}, status=400)
    assert problem(response) == "The cookie 'tracking' is not valid UTF-8."


def test_an_options_answer_has_a_content_type_as_wsgiref_validate_requires(config):
    config.add_route("r", "/r")
    config.add_view(lambda request: "x", route_name="r", renderer="string")
    response = TestApp(validator(config.make_wsgi_app())).options("/r")
    assert response.headers["Allow"] == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
    assert response.content_type == "text/plain"


def test_an_error_view_for_bad_requests_answers_a_cookie_that_is_not_utf8(config, make_app):
    config.set_security_policy(CookieUser())
    config.add_route("me", "/me")
    config.add_view(lambda request: f"hello {request.identity}", route_name="me", renderer="string")
    config.add_exception_view(
        lambda request: f"custom: {request.exception.detail}", context=HTTPBadRequest, renderer="string"
    )
    response = make_app(config).get("/me", headers={"Cookie": 'tracking="\\377"'}, status=400)
    assert response.text == "custom: The cookie 'tracking' is not valid UTF-8."


def test_good_cookies_still_reach_the_identity(hostile):
    assert hostile.get("/me", headers={"Cookie": "user=ana"}).text == "hello ana"


def test_a_bad_cookie_with_a_form_in_another_charset_is_a_400_not_an_escaped_exception(hostile):
    response = hostile.post(
        "/params",
        b"a=1",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        headers={**JSON, "Cookie": 'x="\\377"'},
        status=400,
    )
    assert problem(response) == "The cookie 'x' is not valid UTF-8."  # the permission check reads it first


def test_a_query_string_that_is_not_utf8_is_400_even_with_a_form_in_another_charset(hostile):
    response = hostile.post(
        "/params?q=%ff",
        b"a=1",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        headers=JSON,
        status=400,
    )
    assert problem(response) == "The query string is not valid UTF-8 once percent-decoded."


def test_a_decoding_error_in_a_view_given_a_form_in_another_charset_is_the_forms_415(config, make_app):
    def view(request):
        b"\xff".decode("utf-8")  # the view's own mistake; but the client's form is wrong too

    config.add_route("r", "/r")
    config.add_view(view, route_name="r")
    response = make_app(config).post(
        "/r", b"a=1", content_type="application/x-www-form-urlencoded; charset=latin-1", headers=JSON, status=415
    )
    assert problem(response) == "Form bodies must be UTF-8; this one is latin-1."


def test_a_decoding_error_of_the_apps_own_with_good_input_is_a_500(config, make_app, caplog):
    def view(request):
        b"\xff".decode("utf-8")

    config.add_route("r", "/r")
    config.add_view(view, route_name="r")
    make_app(config).get("/r?q=fine", headers={"Cookie": "a=b"}, status=500)
    assert "UnicodeDecodeError" in caplog.text


def test_cookies_set_on_a_request_are_read_back(hostile):
    request = Request.blank("/me")
    request.cookies = {"user": "ana"}
    assert request.environ["HTTP_COOKIE"] == "user=ana"
    assert request.cookies["user"] == "ana"


# Bodies.


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; boundary=", 'multipart/form-data; boundary=""']
)
def test_a_multipart_form_without_a_boundary_is_400(hostile, content_type):
    body = b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'
    # Built by hand: WebTest would add a boundary.
    request = WebObRequest.blank("/form", method="POST", body=body, content_type=content_type, headers=JSON)
    response = request.get_response(hostile.app)
    assert response.status_int == 400
    assert problem(response) == "The multipart form's Content-Type has no valid boundary parameter."


def multipart(body: bytes) -> WebObRequest:
    return WebObRequest.blank(
        "/form", method="POST", body=body, content_type="multipart/form-data; boundary=x", headers=JSON
    )


def test_a_multipart_part_without_a_name_that_is_not_utf8_is_400(hostile):
    response = multipart(b"--x\r\n\r\n\xff\r\n--x--\r\n").get_response(hostile.app)
    assert response.status_int == 400
    assert problem(response) == "The form field without a name is not valid UTF-8."


def test_a_multipart_part_that_is_itself_multipart_without_a_boundary_is_400(hostile):
    body = b'--x\r\nContent-Disposition: form-data; name="a"\r\nContent-Type: multipart/mixed\r\n\r\n1\r\n--x--\r\n'
    response = multipart(body).get_response(hostile.app)
    assert response.status_int == 400
    assert problem(response) == "The request body cannot be read as multipart/form-data."


def test_a_json_integer_of_more_than_4300_digits_is_400(hostile):
    response = hostile.post("/json", b"1" * 5000, content_type="application/json", headers=JSON, status=400)
    assert problem(response) == "The request body is not usable JSON: it has a number too long to read."


@pytest.mark.parametrize("charset", ["punycode", "rot13", "hex", "base64"])
def test_a_json_body_in_a_charset_that_is_no_text_encoding_is_400(hostile, charset):
    response = hostile.post(
        "/json", b'{"a": 1}', content_type=f"application/json; charset={charset}", headers=JSON, status=400
    )
    assert problem(response).startswith("The request body")


# Range headers on static files.


@pytest.mark.parametrize("header", ["bytes=-", "bytes=--1", "bytes= - "])
def test_a_range_with_no_numbers_on_a_static_file_is_400(hostile, header):
    response = hostile.get("/static/letters.txt", headers={**JSON, "Range": header}, status=400)
    assert problem(response) == "The Range header is not a byte range like bytes=0-99 or bytes=-100."


def test_a_good_range_on_a_static_file_is_still_206(hostile):
    assert hostile.get("/static/letters.txt", headers={"Range": "bytes=-3"}, status=206).text == "hij"


def test_a_range_with_an_if_range_date_that_cannot_be_read_gets_the_whole_file(hostile):
    headers = {"Range": "bytes=0-0", "If-Range": "Mon, 99 Foo 99999 99:99:99 GMT"}
    assert hostile.get("/static/letters.txt", headers=headers, status=200).text == "abcdefghij"


def test_an_error_while_the_response_is_sent_is_a_500_not_an_escaped_exception(config, make_app, caplog):
    class Broken(Response):
        def __call__(self, environ, start_response):
            raise RuntimeError("cannot send")

    config.add_route("broken", "/broken")
    config.add_view(lambda request: Broken(), route_name="broken")
    response = make_app(config).get("/broken", status=500)
    assert "could not complete" in response.text
    assert "RuntimeError: cannot send" in caplog.text


# Error details never echo unbounded client input.


def test_an_error_naming_a_form_field_shows_only_the_start_of_a_long_name(hostile):
    name = "n" * 1_000_000
    response = hostile.post(
        "/form", name.encode() + b"=%ff", content_type="application/x-www-form-urlencoded", headers=JSON, status=400
    )
    detail = problem(response)
    assert detail.startswith("The form field 'nnnn") and detail.endswith("...' is not valid UTF-8.")
    assert len(detail) <= DETAIL_LIMIT


def test_an_unknown_method_is_shown_only_by_its_start(hostile):
    response = WebObRequest.blank("/me", method="X" * 100_000, headers=JSON).get_response(hostile.app)
    assert response.status_int == 501
    assert len(problem(response)) <= DETAIL_LIMIT


def test_a_charset_is_shown_only_by_its_start(hostile):
    charset = "c" * 100_000
    response = hostile.post(
        "/form", b"a=1", content_type=f"application/x-www-form-urlencoded; charset={charset}", headers=JSON, status=415
    )
    assert len(problem(response)) <= DETAIL_LIMIT


# Memory stays flat under a stream of distinct hostile requests.


def hostile_requests(first: int, count: int, size: int) -> Iterator[WebObRequest]:
    """``count`` requests, each carrying ``size`` bytes of client text no other request repeats,
    in the places an application might keep it: Accept, methods, form field names, charsets."""
    for i in range(first, first + count):
        tag = f"{i:08d}".encode()
        filler = (tag * (size // len(tag) + 1))[:size].decode()
        kind = i % 5
        if kind == 0:
            accept = ",".join(f"text/x-{filler[j : j + 40]}" for j in range(0, size, 40))
            yield WebObRequest.blank("/me", headers={"Accept": accept})
        elif kind == 1:
            yield WebObRequest.blank("/json", headers={"Accept": f"application/json;q=0.5, text/{filler}"})
        elif kind == 2:
            yield WebObRequest.blank("/me", method=f"X{filler}".upper())
        elif kind == 3:
            body = filler.encode() + b"=%ff"
            yield WebObRequest.blank(
                "/form", method="POST", body=body, content_type="application/x-www-form-urlencoded"
            )
        else:
            yield WebObRequest.blank(
                "/form",
                method="POST",
                body=b"a=1",
                content_type=f"application/x-www-form-urlencoded; charset={filler}",
                headers={"Accept": f"text/html;v={tag.decode()}"},  # short: kept by the caches, but few
            )


def retained_after(app: Any, requests: Iterator[WebObRequest]) -> int:
    """Bytes still allocated (as tracemalloc counts them) once ``requests`` are all answered."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for request in requests:
        response = request.get_response(app)
        assert response.status_int < 500 or response.status_int == 501, response.status
        del request, response
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - before


# The app is called directly (get_response leaves body iterators to the collector, which the
# validator counts as a fault) and its memory measured, which the validator's wrappers would blur.
@pytest.mark.no_wsgi_validate
def test_memory_stays_flat_under_distinct_hostile_headers_and_bodies(hostile):
    app = hostile.app
    tracemalloc.start()
    try:
        retained_after(app, hostile_requests(0, 1500, 1000))  # fills the bounded caches to their limits
        size = 20_000
        growth = retained_after(app, hostile_requests(1500, 300, size))
    finally:
        tracemalloc.stop()
    sent = 300 * size
    # Before the caches were bounded, more than all of it was kept; now a few kB at most.
    assert growth < sent / 50, f"{growth} bytes kept after {sent} bytes of distinct hostile input"
