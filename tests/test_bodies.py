"""Dispatch on the request body's media type (``content_type``, 415), and bodies that never
crash a view: undecodable JSON or forms answer 400, oversized bodies 413."""

from __future__ import annotations

import io
import json

import pytest
from webtest import TestApp

from viewpick import ConfigurationError, Configurator, Request, Response
from viewpick.predicates import ContentTypePredicate

from .conftest import HeaderPolicy
from .test_dispatch import answering

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def json_or_form(config, make_app) -> TestApp:
    """One route: a JSON document goes to one view, a form post to another."""
    config.add_route("films", "/films")
    config.add_view(
        lambda request: f"json {request.json_body['title']}",
        route_name="films",
        request_method="POST",
        content_type="application/json",
        renderer="string",
    )
    config.add_view(
        lambda request: f"form {request.POST['title']}",
        route_name="films",
        request_method="POST",
        content_type=(FORM, "multipart/form-data"),
        renderer="string",
    )
    config.add_view(answering("list"), route_name="films", request_method="GET", renderer="string")
    return make_app(config)


def test_a_json_body_and_a_form_body_reach_different_views_of_one_route(json_or_form):
    assert json_or_form.post_json("/films", {"title": "Ran"}).text == "json Ran"
    assert json_or_form.post("/films", {"title": "Ran"}).text == "form Ran"


def test_the_content_type_parameters_and_case_are_ignored(json_or_form):
    response = json_or_form.post("/films", b'{"title": "Ikiru"}', content_type="Application/JSON; charset=utf-8")
    assert response.text == "json Ikiru"


def test_a_multipart_upload_reaches_its_view(json_or_form):
    response = json_or_form.post("/films", {"title": "Ran"}, upload_files=[("poster", "ran.png", b"\x89PNG")])
    assert response.text == "form Ran"


def test_a_body_type_no_view_takes_is_415_listing_the_accepted_types_in_accept_post(json_or_form):
    response = json_or_form.post("/films", b"<film/>", content_type="application/xml", status=415)
    expected = f"application/json, {FORM}, multipart/form-data"
    assert response.headers["Accept-Post"] == expected
    assert expected in response.text


def test_a_request_without_a_body_type_is_415_when_every_view_names_one(json_or_form):
    json_or_form.post("/films", b"", status=415)


def test_a_patch_with_the_wrong_body_type_lists_the_accepted_types_in_accept_patch(config, make_app):
    config.add_route("film", "/films/1")
    config.add_view(
        answering("patch"),
        route_name="film",
        request_method="PATCH",
        content_type="application/merge-patch+json",
        renderer="string",
    )
    response = make_app(config).patch("/films/1", b"{}", content_type="application/json", status=415)
    assert response.headers["Accept-Patch"] == "application/merge-patch+json"
    assert "Accept-Post" not in response.headers


def test_a_put_with_the_wrong_body_type_is_415_without_an_accept_header(config, make_app):
    config.add_route("film", "/films/1")
    config.add_view(
        answering("put"), route_name="film", request_method="PUT", content_type="application/json", renderer="string"
    )
    response = make_app(config).put("/films/1", b"x", content_type="text/plain", status=415)
    assert "Accept-Post" not in response.headers and "Accept-Patch" not in response.headers


def test_a_wildcard_subtype_takes_any_subtype_of_its_type(config, make_app):
    config.add_route("notes", "/notes")
    config.add_view(answering("text"), route_name="notes", content_type="text/*", renderer="string")
    app = make_app(config)
    assert app.post("/notes", b"hi", content_type="text/markdown").text == "text"
    app.post("/notes", b"hi", content_type="application/json", status=415)


def test_a_view_without_content_type_takes_any_body_when_the_specific_one_does_not_match(config, make_app):
    config.add_route("films", "/films")
    config.add_view(answering("json"), route_name="films", content_type="application/json", renderer="string")
    config.add_view(answering("anything"), route_name="films", renderer="string")
    app = make_app(config)
    assert app.post("/films", b"{}", content_type="application/json").text == "json"
    assert app.post("/films", b"x", content_type="text/csv").text == "anything"


def test_a_wrong_method_is_405_even_when_the_body_type_is_also_wrong(json_or_form):
    response = json_or_form.put("/films", b"x", content_type="text/csv", status=405)
    assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_a_denied_permission_is_403_even_when_the_body_type_is_also_wrong(config, make_app):
    config.set_security_policy(HeaderPolicy())
    config.add_route("films", "/films")
    config.add_view(
        answering("save"), route_name="films", content_type="application/json", permission="edit", renderer="string"
    )
    app = make_app(config)
    app.post("/films", b"x", content_type="text/csv", status=403)
    app.post("/films", b"x", content_type="text/csv", headers={"X-Permissions": "edit"}, status=415)


def test_a_wrong_body_type_is_415_even_when_the_accept_header_is_also_unmet(config, make_app):
    config.add_route("films", "/films")
    config.add_view(
        answering("save"),
        route_name="films",
        content_type="application/json",
        accept="application/json",
        renderer="string",
    )
    app = make_app(config)
    app.post("/films", b"x", content_type="text/csv", headers={"Accept": "text/html"}, status=415)
    app.post("/films", b"{}", content_type="application/json", headers={"Accept": "text/html"}, status=406)


def test_a_view_failing_other_predicates_besides_content_type_gives_404_not_415(config, make_app):
    config.add_route("films", "/films")
    config.add_view(answering("save"), route_name="films", content_type="application/json", xhr=True, renderer="string")
    make_app(config).post("/films", b"x", content_type="text/csv", status=404)


def test_content_type_counts_as_one_predicate_in_best_match(config, make_app):
    config.add_route("films", "/films")
    config.add_view(answering("xhr"), route_name="films", xhr=True, renderer="string")
    config.add_view(
        answering("xhr json"), route_name="films", xhr=True, content_type="application/json", renderer="string"
    )
    app = make_app(config)
    xhr = {"X-Requested-With": "XMLHttpRequest"}
    assert app.post("/films", b"{}", content_type="application/json", headers=xhr).text == "xhr json"
    assert app.post("/films", b"a=1", content_type=FORM, headers=xhr).text == "xhr"


def test_content_type_ranks_above_xhr_between_views_with_as_many_predicates(config, make_app):
    config.add_route("films", "/films")
    config.add_view(answering("xhr"), route_name="films", xhr=True, renderer="string")
    config.add_view(answering("json"), route_name="films", content_type="application/json", renderer="string")
    headers = {"X-Requested-With": "XMLHttpRequest"}
    assert make_app(config).post("/films", b"{}", content_type="application/json", headers=headers).text == "json"


def test_two_views_with_the_same_content_types_in_another_order_conflict(config, make_app):
    config.add_route("films", "/films")
    config.add_view(answering("a"), route_name="films", content_type=("application/json", FORM))
    config.add_view(answering("b"), route_name="films", content_type=(FORM, "application/json"))
    with pytest.raises(ConfigurationError, match="conflict"):
        config.make_wsgi_app()


@pytest.mark.parametrize("value", ["json", "*/*", "*/json", "text/html; charset=utf-8", 3, "text/x*"])
def test_content_type_refuses_what_is_not_a_media_type(config, value):
    config.add_route("films", "/films")
    config.add_view(answering("a"), route_name="films", content_type=value)
    with pytest.raises(ConfigurationError, match=r"content_type takes media types.*|test_bodies.py:\d+"):
        config.make_wsgi_app()


def test_the_content_type_predicate_describes_itself():
    predicate = ContentTypePredicate(["Text/*", "application/json"])
    assert predicate.text() == "content_type = text/*,application/json"
    assert predicate.phash() == ContentTypePredicate(["application/json", "text/*"]).phash()


# Bodies that cannot be decoded.


@pytest.fixture
def echo_app(config, make_app) -> TestApp:
    config.add_route("json", "/json")
    config.add_route("form", "/form")
    config.add_view(lambda request: request.json_body, route_name="json", renderer="json")
    config.add_view(lambda request: dict(request.POST), route_name="form", renderer="json")
    return make_app(config)


def test_malformed_json_is_400_saying_where(echo_app):
    response = echo_app.post(
        "/json", b'{\n  "title": "Ran",\n  "year" 1985\n}', content_type="application/json", status=400
    )
    assert (
        response.json["detail"] == "The request body is not valid JSON: Expecting ':' delimiter at line 3, column 10."
    )


def test_json_that_is_not_utf8_is_400_naming_the_byte(echo_app):
    response = echo_app.post("/json", b'{"title": "\xff"}', content_type="application/json", status=400)
    assert "not valid UTF-8: byte 0xff at offset 11" in response.json["detail"]


def test_json_nested_too_deeply_is_400(echo_app):
    echo_app.post("/json", b"[" * 100_000, content_type="application/json", status=400)


def test_json_in_an_unknown_charset_is_400(echo_app):
    echo_app.post("/json", b"{}", content_type="application/json; charset=klingon", status=400)


def test_an_empty_json_body_is_400(echo_app):
    echo_app.post("/json", b"", content_type="application/json", status=400)


def test_a_view_that_catches_value_error_still_handles_bad_json_itself(config, make_app):
    def lenient(request):
        try:
            return request.json_body
        except ValueError:
            return {"fallback": True}

    config.add_route("json", "/json")
    config.add_view(lenient, route_name="json", renderer="json")
    assert make_app(config).post("/json", b"nope", content_type="application/json").json == {"fallback": True}


def test_a_urlencoded_form_that_is_not_utf8_is_400_naming_the_field(echo_app):
    response = echo_app.post("/form", b"title=Ran&year=%ff1985", content_type=FORM, status=400)
    assert response.json["detail"] == "The form field 'year' is not valid UTF-8."


def test_a_urlencoded_form_in_utf8_reaches_the_view(echo_app):
    assert echo_app.post("/form", b"title=Ningen+no+j%C5%8Dken&x=%EF%BF%BD", content_type=FORM).json == {
        "title": "Ningen no jōken",
        "x": "\ufffd",
    }


def test_a_multipart_text_field_that_is_not_utf8_is_400(echo_app):
    body = b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nR\xe9n\r\n--b--\r\n'
    response = echo_app.request(
        "/form", method="POST", body=body, content_type="multipart/form-data; boundary=b", status=400
    )
    assert response.json["detail"] == "The form field 'title' is not valid UTF-8."


def test_a_multipart_field_with_a_replacement_character_the_client_sent_is_kept(echo_app):
    body = '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nR\ufffdn\r\n--b--\r\n'.encode()
    response = echo_app.request("/form", method="POST", body=body, content_type="multipart/form-data; boundary=b")
    assert response.json == {"title": "R\ufffdn"}


# Bodies too large.


@pytest.fixture
def small_limit_app(make_app) -> TestApp:
    config = Configurator({"max_body_bytes": "10"})
    config.add_route("json", "/json")
    config.add_view(lambda request: request.json_body, route_name="json", renderer="json")
    return make_app(config)


def post_of_unknown_length(app: TestApp, stream: io.BytesIO, path: str = "/json", method: str = "POST") -> Response:
    """POST ``stream`` as a JSON body without Content-Length, as gunicorn passes on a chunked body."""
    request = Request.blank(path, method=method, content_type="application/json")
    request.environ.pop("CONTENT_LENGTH", None)
    request.environ.update({"wsgi.input": stream, "wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"})
    response = request.get_response(app.app)
    response.body
    close = getattr(response.app_iter, "close", None)
    if close is not None:
        close()
    return response


def test_a_body_over_max_body_bytes_is_413_before_any_view_runs(small_limit_app):
    response = small_limit_app.post("/json", b'{"a": "12345678"}', content_type="application/json", status=413)
    assert "larger than this server accepts (10 bytes)" in response.text


def test_a_body_at_max_body_bytes_is_taken(small_limit_app):
    assert small_limit_app.post("/json", b'{"a": "1"}', content_type="application/json").json == {"a": "1"}


def test_a_body_of_unknown_length_is_cut_off_at_max_body_bytes_unread(small_limit_app):
    stream = io.BytesIO(json.dumps({"a": "x" * 10_000}).encode())
    assert post_of_unknown_length(small_limit_app, stream).status_code == 413
    assert stream.tell() <= 11


def test_a_chunked_body_under_max_body_bytes_is_read_whole(small_limit_app):
    assert post_of_unknown_length(small_limit_app, io.BytesIO(b'{"a": 1}')).json == {"a": 1}


@pytest.mark.no_wsgi_validate
def test_a_content_length_that_is_not_a_number_is_400(small_limit_app):
    small_limit_app.post("/json", extra_environ={"CONTENT_LENGTH": "ten"}, status=400)


def test_max_body_bytes_defaults_to_ten_mebibytes(config):
    assert config.make_wsgi_app().max_body_bytes == 10 * 1024 * 1024


@pytest.mark.parametrize("value", ["ten", "-1", None, "1.5"])
def test_max_body_bytes_must_be_a_whole_number(value):
    with pytest.raises(ConfigurationError, match="max_body_bytes must be a whole number"):
        Configurator({"max_body_bytes": value}).make_wsgi_app()


# Copies of the body are released when the response is done.


def test_the_temporary_copy_of_a_large_body_is_closed_when_the_response_is_closed(config, make_app):
    copies = []

    def view(request):
        document = request.json_body
        copies.append(request.body_file_raw)
        return {"length": len(document)}

    config.add_route("json", "/json")
    config.add_view(view, route_name="json", renderer="json")
    make_app(config).post_json("/json", ["x" * 100] * 1000)
    assert copies[0].closed


def test_uploaded_files_are_closed_when_the_response_is_closed(config, make_app):
    uploads = []

    def view(request):
        uploads.append(request.POST["poster"].file)
        return "stored"

    config.add_route("upload", "/upload")
    config.add_view(view, route_name="upload", renderer="string")
    make_app(config).post("/upload", upload_files=[("poster", "ran.png", b"\x89PNG" * 1000)])
    assert uploads[0].closed


def test_a_form_in_a_charset_other_than_utf8_is_415_not_a_crash(echo_app):
    response = echo_app.post("/form", b"title=R%E9n", content_type=f"{FORM}; charset=latin-1", status=415)
    assert response.json["detail"] == "Form bodies must be UTF-8; this one is latin-1."


def test_a_form_declaring_utf8_in_any_spelling_is_taken(echo_app):
    assert echo_app.post("/form", b"title=Ran", content_type=f"{FORM}; charset=utf8").json == {"title": "Ran"}


@pytest.fixture
def line_reader_app(make_app) -> TestApp:
    """A view that reads the raw body line by line, as a streaming upload handler would."""
    config = Configurator({"max_body_bytes": "10"})
    config.add_route("lines", "/lines")
    config.add_view(
        lambda request: [line.decode() for line in request.body_file_raw], route_name="lines", renderer="json"
    )
    return make_app(config)


def test_a_body_of_unknown_length_read_line_by_line_is_taken_under_the_limit(line_reader_app):
    assert post_of_unknown_length(line_reader_app, io.BytesIO(b"a\nbc\n"), "/lines").json == ["a\n", "bc\n"]


def test_a_body_of_unknown_length_read_line_by_line_is_cut_off_at_the_limit(line_reader_app):
    stream = io.BytesIO(b"line\n" * 1000)
    assert post_of_unknown_length(line_reader_app, stream, "/lines").status_code == 413
    assert stream.tell() <= 11


def test_a_body_of_unknown_length_read_whole_by_the_view_is_cut_off_at_the_limit(make_app):
    config = Configurator({"max_body_bytes": "10"})
    config.add_route("raw", "/raw")
    config.add_view(lambda request: str(len(request.body_file_raw.read())), route_name="raw", renderer="string")
    app = make_app(config)
    assert post_of_unknown_length(app, io.BytesIO(b"0123456789"), "/raw").text == "10"
    stream = io.BytesIO(b"x" * 10_000)
    assert post_of_unknown_length(app, stream, "/raw").status_code == 413
    assert stream.tell() <= 11


def test_a_get_with_a_body_of_unknown_length_is_cut_off_at_the_limit(make_app):
    config = Configurator({"max_body_bytes": "10"})
    config.add_route("raw", "/raw")
    config.add_view(lambda request: str(len(request.body_file_raw.read())), route_name="raw", renderer="string")
    stream = io.BytesIO(b"x" * 10_000)
    assert post_of_unknown_length(make_app(config), stream, "/raw", method="GET").status_code == 413
    assert stream.tell() <= 11


def test_a_request_without_length_or_transfer_encoding_reads_the_servers_input_as_it_is(make_app):
    """With neither header a request has no body (RFC 9112 6.3): nothing to cap, so no wrapper."""
    config = Configurator({"max_body_bytes": "10"})
    config.add_route("raw", "/raw")
    config.add_view(lambda request: type(request.body_file_raw).__name__, route_name="raw", renderer="string")
    request = Request.blank("/raw")
    request.environ.pop("CONTENT_LENGTH", None)
    request.environ.update({"wsgi.input": io.BytesIO(b""), "wsgi.input_terminated": True})
    # The input the server gave (here the WSGI validator's wrapper of it), not viewpick's cap.
    assert request.get_response(make_app(config).app).text != "CappedInput"


# --- setting the JSON body (tests, clients built on Request) --------------------------


def test_setting_json_body_writes_compact_json_that_reads_back():
    request = Request.blank("/", method="POST", content_type="application/json")
    request.json_body = {"title": "Amélie", "year": 2001}
    assert request.body == b'{"title":"Am\\u00e9lie","year":2001}'
    assert request.json == {"title": "Amélie", "year": 2001}


def test_deleting_json_body_empties_the_body():
    request = Request.blank("/", method="POST", body=b'{"a": 1}')
    del request.json_body
    assert request.body == b""
