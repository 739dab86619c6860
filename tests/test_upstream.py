"""Each assumption viewpick makes about WebOb's and Mako's private parts (viewpick/upstream.py), one
test each: an upgrade of either that breaks one fails here, by name."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest
import webob
from mako.lookup import TemplateLookup

from viewpick import Request, Response
from viewpick.upstream import (
    PARSED_POST_VARS,
    bare_request,
    cached_template,
    fresh_template,
    load_template,
    parsed_form_fields,
    put_body,
    ready_response,
    send_response,
    template_renderer,
    webob_content_type_setter,
    webob_query_params,
)

# --- WebOb --------------------------------------------------------------------------------


def test_a_ready_response_is_in_the_state_the_constructor_gives():
    headerlist = [("Content-Type", "text/plain; charset=UTF-8"), ("Content-Length", "2")]
    ready = ready_response(Response, list(headerlist), b"hi")
    assert vars(ready) == vars(Response(headerlist=list(headerlist), app_iter=[b"hi"]))
    assert (ready.status, ready.body, ready.content_type) == ("200 OK", b"hi", "text/plain")


def test_a_ready_response_with_a_status_is_in_the_state_the_constructor_gives():
    headerlist = [("ETag", '"abc"')]
    ready = ready_response(Response, list(headerlist), b"", "304 Not Modified")
    assert vars(ready) == vars(Response(status="304 Not Modified", headerlist=list(headerlist), app_iter=[b""]))


def _sent(app, environ):
    started = []
    body = app(environ, lambda status, headers, exc_info=None: started.append((status, list(headers))))
    return started, list(body)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "headers",
    [
        [("Content-Type", "text/plain"), ("Content-Length", "2"), ("Vary", "Accept")],
        [("Location", "/elsewhere"), ("Content-Length", "2")],
        [("LOCATION", "elsewhere"), ("Content-Length", "2")],
    ],
)
def test_sending_a_response_gives_what_webobs_own_call_gives(method, headers):
    environ = webob.Request.blank("/here/page", method=method).environ
    ours = ready_response(Response, list(headers), b"hi", "201 Created")
    theirs = webob.Response(status="201 Created", headerlist=list(headers), app_iter=[b"hi"])
    assert _sent(partial(send_response, ours), dict(environ)) == _sent(theirs, dict(environ))


def test_sending_a_conditional_response_gives_webobs_304():
    environ = webob.Request.blank("/", headers={"If-None-Match": '"v1"'}).environ
    response = ready_response(Response, [("ETag", '"v1"'), ("Content-Length", "2")], b"hi")
    response.conditional_response = True
    [(status, _)], body = _sent(partial(send_response, response), environ)
    assert (status, body) == ("304 Not Modified", [])


def test_sending_a_response_gives_the_server_a_copy_of_the_header_list():
    headers = [("Content-Length", "2")]
    response = ready_response(Response, headers, b"hi")
    send_response(response, webob.Request.blank("/").environ, lambda status, given: given.append(("Date", "now")))
    assert headers == [("Content-Length", "2")]


def test_a_bare_request_is_in_the_state_the_constructor_gives():
    environ = webob.Request.blank("/path?q=1").environ
    bare = bare_request(Request, environ)
    assert vars(bare) == vars(Request(environ))
    assert (bare.path, bare.GET["q"], bare.environ is environ) == ("/path", "1", True)


@pytest.mark.parametrize(
    "headers",
    [
        [],
        [("Content-Type", "text/html; charset=UTF-8"), ("Content-Length", "99"), ("Set-Cookie", "a=1")],
        [("content-length", "5"), ("Content-MD5", "xyz"), ("X-Kept", "yes"), ("Content-Length", "7")],
    ],
)
def test_putting_a_body_leaves_the_state_webobs_body_setter_leaves(headers):
    ours, theirs = Response(headerlist=list(headers)), Response(headerlist=list(headers))
    view = ours.headers  # a view over the header list WebOb may already hold: it must stay live
    put_body(ours, b"hello")
    theirs.body = b"hello"
    assert vars(ours) | {"_headers": None} == vars(theirs) | {"_headers": None}
    assert view["Content-Length"] == "5"


def test_an_unset_response_is_in_the_state_the_constructor_gives():
    assert vars(Response.unset()) == vars(Response(headerlist=[]))


def test_webobs_query_params_getter_reads_the_query_string():
    request = webob.Request.blank("/?q=samurai&q=ikiru&page=2")
    params = webob_query_params(request)
    assert params.getall("q") == ["samurai", "ikiru"]
    assert params["page"] == "2"
    assert params is request.GET  # cached in the environ, as the property's own result


def test_webobs_content_type_setter_keeps_the_headers_parameters():
    request = webob.Request.blank("/", content_type="text/plain; charset=latin-1")
    webob_content_type_setter(request, "application/json")
    assert request.environ["CONTENT_TYPE"] == "application/json; charset=latin-1"
    webob_content_type_setter(request, "text/csv; charset=utf-8")
    assert request.environ["CONTENT_TYPE"] == "text/csv; charset=utf-8"


def form_request() -> webob.Request:
    return Request.blank("/", method="POST", POST={"title": "Ikiru", "year": "1952"})


def test_webob_caches_the_parsed_form_in_the_environ_under_parsed_post_vars():
    request = form_request()
    assert PARSED_POST_VARS not in request.environ
    fields = request.POST
    assert request.environ[PARSED_POST_VARS][0] is fields


def test_parsed_form_fields_are_the_fields_request_post_gave():
    request = form_request()
    assert dict(parsed_form_fields(request.environ)) == {}
    request.POST  # reading it parses the form
    assert dict(parsed_form_fields(request.environ)) == {"title": "Ikiru", "year": "1952"}


def test_a_request_attribute_its_class_declares_lives_in_the_instance_dict():
    """app.py writes ``request.__dict__`` directly: the same as WebOb's ``__setattr__`` for such names."""
    request = Request.blank("/")
    request.matched_route = None  # through WebOb's __setattr__
    assert "matched_route" in vars(request)
    assert "webob.adhoc_attrs" not in request.environ
    marker = object()
    request.__dict__["app"] = marker
    assert request.app is marker


def test_a_response_given_a_header_list_gets_no_content_type():
    response = webob.Response(headerlist=[])
    assert response.content_type is None
    assert "Content-Type" not in response.headers


def test_a_text_media_type_gains_a_utf8_charset():
    response = Response()
    response.content_type = "text/html"
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    response.content_type = "application/json"
    assert response.headers["Content-Type"] == "application/json"


def test_the_multipart_parser_replaces_bytes_that_are_not_utf8_with_u_fffd():
    boundary = "XyZ"
    body = f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'.encode() + b"Am\xe9lie\r\n"
    body += f"--{boundary}--\r\n".encode()
    request = Request.blank("/", method="POST", body=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert webob.Request.POST.fget(request)["title"] == "Am\ufffdlie"  # WebOb's own, not viewpick's check


# --- Mako ---------------------------------------------------------------------------------


def write_template(tmp_path: Path, text: str) -> str:
    path = tmp_path / "page.mako"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_lookup_holds_no_template_for_a_uri_it_never_loaded(tmp_path):
    assert cached_template(TemplateLookup(directories=[str(tmp_path)]), "pkg:page.mako") is None


def test_a_loaded_template_is_compiled_and_kept_under_its_uri(tmp_path):
    lookup = TemplateLookup()
    template = load_template(lookup, write_template(tmp_path, "hello ${name}"), "pkg:page.mako")
    assert template.render(name="Ann") == "hello Ann"
    assert cached_template(lookup, "pkg:page.mako") is template


def test_a_template_is_kept_until_its_file_changes_then_recompiled(tmp_path):
    lookup = TemplateLookup(filesystem_checks=True)
    filename = write_template(tmp_path, "first")
    template = load_template(lookup, filename, "pkg:page.mako")
    assert fresh_template(lookup, "pkg:page.mako", template) is template
    write_template(tmp_path, "second")
    later = os.stat(filename).st_mtime + 10
    os.utime(filename, (later, later))
    changed = fresh_template(lookup, "pkg:page.mako", template)
    assert changed.render() == "second"
    assert cached_template(lookup, "pkg:page.mako") is changed


TEMPLATES = {
    "page": "<p>${title} ${n}</p>",
    "page_args": '<%page args="title, n=2"/>${title}:${n}:${pageargs.get("extra", "-")}',
    "pageargs": "${pageargs['title']}",
    "def_no_args": '<%def name="part()">[${title}]</%def>page ${title}',
    "def_args": '<%def name="part(title)">[${title} ${n}]</%def>page ${title}',
    "inherits": '<%inherit file="base.mako"/><%block name="main">${title}</%block>',
    "capture": '<%def name="b()">x${n}</%def>${capture(b)}|${title | n}',
}


@pytest.mark.parametrize(
    ("name", "part"), [*((name, None) for name in sorted(TEMPLATES)), ("def_no_args", "part"), ("def_args", "part")]
)
def test_a_template_renderer_renders_what_render_unicode_renders(tmp_path, name, part):
    (tmp_path / "base.mako").write_text("<main><%block name='main'/></main>${n}", encoding="utf-8")
    (tmp_path / f"{name}.mako").write_text(TEMPLATES[name], encoding="utf-8")
    page = TemplateLookup(directories=[str(tmp_path)], default_filters=["h"]).get_template(f"/{name}.mako")
    target = page if part is None else page.get_def(part)
    values = {"title": "<Tom & Jerry>", "n": 3, "extra": "e", "request": object()}
    rendered = template_renderer(target)(values)
    assert rendered == target.render_unicode(**values)
    assert "&lt;Tom &amp; Jerry&gt;" in rendered or "<Tom & Jerry>" in rendered  # the values reached it


def test_a_template_renderer_raises_what_the_template_raises(tmp_path):
    (tmp_path / "boom.mako").write_text("${1 // zero}", encoding="utf-8")
    template = TemplateLookup(directories=[str(tmp_path)]).get_template("/boom.mako")
    with pytest.raises(ZeroDivisionError):
        template_renderer(template)({"zero": 0})
