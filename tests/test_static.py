"""Static files: add_static_view serves one directory with the right headers, answers
conditional and range requests, lets nothing escape the directory, and request.static_path
and static_url name its files."""

import os
import sys

import pytest
from webob.request import BaseRequest
from webtest import TestApp

from viewpick import ConfigurationError, Configurator, Request
from viewpick.static import BLOCK_SIZE, StaticView

PACKAGE_DIR = os.path.join(os.path.dirname(__file__), "apps", "static_pkg", "static")


def next_line():
    """The line number after the caller's: where the declaration that follows is written."""
    return sys._getframe(1).f_lineno + 1


@pytest.fixture
def public(tmp_path):
    """A directory to serve, next to a secret file that must never be served."""
    root = tmp_path / "public"
    (root / "css").mkdir(parents=True)
    (root / "css" / "site.css").write_text("h1 { color: red; }\n")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (root / "data.bin.unknownext").write_bytes(b"\x00\x01\x02")
    (root / "archive.tar.gz").write_bytes(b"\x1f\x8b" + bytes(10))
    (root / "letters.txt").write_text("abcdefghij")
    (tmp_path / "secret.txt").write_text("the secret")
    return root


@pytest.fixture
def app(public):
    config = Configurator()
    config.add_static_view("static", str(public))
    return TestApp(config.make_wsgi_app())


def etag_of(app, path):
    return app.get(path).headers["ETag"]


# --- serving ------------------------------------------------------------------------------


def test_serves_a_file_with_its_content_type_in_utf8(app):
    response = app.get("/static/css/site.css", status=200)
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    assert response.body == b"h1 { color: red; }\n"


def test_binary_types_get_no_charset(app):
    assert app.get("/static/logo.png").headers["Content-Type"] == "image/png"


def test_unknown_extensions_are_sent_as_octet_stream(app):
    assert app.get("/static/data.bin.unknownext").headers["Content-Type"] == "application/octet-stream"


def test_compressed_files_are_sent_as_themselves_without_content_encoding(app):
    response = app.get("/static/archive.tar.gz")
    assert response.headers["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in response.headers


def test_javascript_is_text_javascript_on_every_python(public):
    (public / "app.js").write_text("let x = 1;\n")
    config = Configurator()
    config.add_static_view("static", str(public))
    assert (
        TestApp(config.make_wsgi_app()).get("/static/app.js").headers["Content-Type"]
        == "text/javascript; charset=utf-8"
    )


def test_response_has_length_strong_etag_last_modified_and_cache_control(app, public):
    response = app.get("/static/css/site.css")
    assert response.headers["Content-Length"] == str(len("h1 { color: red; }\n"))
    assert response.headers["ETag"].startswith('"')  # strong: no W/ prefix
    assert response.last_modified.timestamp() == int((public / "css" / "site.css").stat().st_mtime)
    assert response.headers["Cache-Control"] == "max-age=3600"
    assert response.headers["Accept-Ranges"] == "bytes"


def test_cache_max_age_is_configurable(public):
    config = Configurator()
    config.add_static_view("static", str(public), cache_max_age=0)
    assert TestApp(config.make_wsgi_app()).get("/static/logo.png").headers["Cache-Control"] == "max-age=0"


def test_cache_max_age_none_sends_no_cache_control(public):
    config = Configurator()
    config.add_static_view("static", str(public), cache_max_age=None)
    assert "Cache-Control" not in TestApp(config.make_wsgi_app()).get("/static/logo.png").headers


def test_etag_changes_when_the_file_changes(app, public):
    before = etag_of(app, "/static/letters.txt")
    (public / "letters.txt").write_text("abcdefghijk")
    assert etag_of(app, "/static/letters.txt") != before


def test_large_files_are_streamed_in_blocks(public):
    (public / "big.bin").write_bytes(os.urandom(3 * BLOCK_SIZE + 10))
    config = Configurator()
    config.add_static_view("static", str(public))
    wsgi_app = config.make_wsgi_app()
    body = wsgi_app(BaseRequest.blank("/static/big.bin").environ, lambda status, headers: None)
    try:
        blocks = list(body)
    finally:
        body.close()
    assert [len(block) for block in blocks] == [BLOCK_SIZE, BLOCK_SIZE, BLOCK_SIZE, 10]
    assert b"".join(blocks) == (public / "big.bin").read_bytes()


def test_head_gives_the_headers_without_the_body(app):
    response = app.head("/static/letters.txt", status=200)
    assert response.headers["Content-Length"] == "10"
    assert response.headers["ETag"]
    assert response.body == b""


def test_range_request_gets_206_and_the_part(app):
    response = app.get("/static/letters.txt", headers={"Range": "bytes=2-4"}, status=206)
    assert response.body == b"cde"
    assert response.headers["Content-Range"] == "bytes 2-4/10"


def test_name_is_normalised_from_slashes(public):
    config = Configurator()
    config.add_static_view("/assets/", str(public))
    assert TestApp(config.make_wsgi_app()).get("/assets/letters.txt").body == b"abcdefghij"


def test_name_may_have_several_segments(public):
    config = Configurator()
    config.add_static_view("assets/v1", str(public))
    assert TestApp(config.make_wsgi_app()).get("/assets/v1/letters.txt").body == b"abcdefghij"


def test_package_asset_spec_is_resolved_from_the_package(make_app):
    config = Configurator()
    config.add_static_view("static", "tests.apps.static_pkg:static")
    assert make_app(config).get("/static/sub/readme.txt").text == "nested file\n"


def test_relative_path_is_resolved_from_the_calling_modules_package(make_app):
    config = Configurator()
    config.add_static_view("static", "apps/static_pkg/static")  # this module is in tests/
    assert make_app(config).get("/static/app.css").text == "body { color: #333; }\n"


def test_static_view_repr_names_prefix_and_directory(public):
    assert repr(StaticView("static", str(public), 3600)) == f"<StaticView /static/ -> {public}>"


def test_static_views_live_alongside_other_routes(public):
    config = Configurator()
    config.add_route("home", "/")
    config.add_view(lambda request: "home", route_name="home", renderer="string")
    config.add_static_view("static", str(public))
    app = TestApp(config.make_wsgi_app())
    assert app.get("/").text == "home"
    assert app.get("/static/letters.txt").text == "abcdefghij"


# --- conditional requests -------------------------------------------------------------------


def test_if_none_match_with_the_current_etag_gets_304_without_body(app):
    etag = etag_of(app, "/static/css/site.css")
    response = app.get("/static/css/site.css", headers={"If-None-Match": etag}, status=304)
    assert response.body == b""
    assert response.headers["ETag"] == etag


def test_if_none_match_with_an_old_etag_gets_the_file(app):
    assert app.get("/static/letters.txt", headers={"If-None-Match": '"old"'}, status=200).body == b"abcdefghij"


def test_if_modified_since_the_last_modification_gets_304(app):
    last_modified = app.get("/static/letters.txt").headers["Last-Modified"]
    app.get("/static/letters.txt", headers={"If-Modified-Since": last_modified}, status=304)


def test_if_modified_since_before_the_last_modification_gets_the_file(app, public):
    os.utime(public / "letters.txt", (2_000_000_000, 2_000_000_000))
    app.get("/static/letters.txt", headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}, status=200)


def test_if_none_match_takes_precedence_over_if_modified_since(app):
    last_modified = app.get("/static/letters.txt").headers["Last-Modified"]
    headers = {"If-None-Match": '"old"', "If-Modified-Since": last_modified}
    assert app.get("/static/letters.txt", headers=headers, status=200).body == b"abcdefghij"


# --- what is not served ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E/secret.txt",
        "/static/css/../../secret.txt",
        "/static/css%2F..%2F..%2Fsecret.txt",
        "/static/..%2Fsecret.txt",
        "/static/..%5Csecret.txt",
        "/static/css%5C..%5C..%5Csecret.txt",
        "/static/%00",
        "/static/letters.txt%00.png",
        "/static/./letters.txt",
    ],
)
def test_paths_that_try_to_leave_or_trick_the_directory_get_404(app, public, path):
    assert (public.parent / "secret.txt").exists()
    app.get(path, status=404)


def test_doubled_slashes_stay_inside_the_directory(app):
    assert os.path.exists("/etc/passwd")
    app.get("/static//etc/passwd", status=404)


def test_symlink_leading_outside_the_directory_gets_404(app, public):
    (public / "escape.txt").symlink_to(public.parent / "secret.txt")
    app.get("/static/escape.txt", status=404)


def test_symlink_to_a_directory_outside_gets_404(app, public, tmp_path):
    (public / "elsewhere").symlink_to(tmp_path)
    app.get("/static/elsewhere/secret.txt", status=404)


def test_symlink_staying_inside_the_directory_is_served(app, public):
    (public / "alias.txt").symlink_to(public / "letters.txt")
    assert app.get("/static/alias.txt", status=200).body == b"abcdefghij"


def test_missing_file_gets_404(app):
    app.get("/static/nope.css", status=404)


def test_directory_gets_404_not_a_listing(app):
    app.get("/static/css", status=404)
    app.get("/static/css/", status=404)


def test_a_files_name_with_a_trailing_slash_gets_404(app):
    app.get("/static/letters.txt/", status=404)


def test_the_prefix_itself_gets_404(app):
    app.get("/static/", status=404)


def test_unreadable_file_gets_404(app, public):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    (public / "locked.txt").write_text("locked")
    (public / "locked.txt").chmod(0)
    app.get("/static/locked.txt", status=404)


def test_fifo_gets_404_without_blocking(app, public):
    os.mkfifo(public / "pipe.txt")
    app.get("/static/pipe.txt", status=404)


def test_post_gets_405_with_allow(app):
    response = app.post("/static/letters.txt", status=405)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


# --- configuration errors ---------------------------------------------------------------------


def test_missing_directory_is_a_configuration_error_naming_file_and_line(tmp_path):
    config = Configurator()
    with pytest.raises(ConfigurationError) as info:
        line = next_line()
        config.add_static_view("static", str(tmp_path / "nowhere"))
    message = str(info.value)
    assert f"tests/test_static.py:{line}" in message
    assert str(tmp_path / "nowhere") in message
    assert "is not a directory; create it" in message


def test_a_file_is_not_a_directory(public):
    with pytest.raises(ConfigurationError, match="is not a directory"):
        Configurator().add_static_view("static", str(public / "letters.txt"))


def test_missing_package_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="package 'no_such_package' cannot be imported"):
        Configurator().add_static_view("static", "no_such_package:static")


@pytest.mark.parametrize("name", ["", "/", "{name}", "*rest", "a b", "a//b"])
def test_name_that_is_no_url_prefix_is_a_configuration_error(public, name):
    with pytest.raises(ConfigurationError, match="is not a URL prefix"):
        Configurator().add_static_view(name, str(public))


@pytest.mark.parametrize("max_age", [-1, 1.5, "3600", True])
def test_bad_cache_max_age_is_a_configuration_error(public, max_age):
    with pytest.raises(ConfigurationError, match="cache_max_age must be a number of seconds"):
        Configurator().add_static_view("static", str(public), cache_max_age=max_age)


def test_same_name_twice_is_a_configuration_error_naming_both_lines(public):
    config = Configurator()
    first = next_line()
    config.add_static_view("static", str(public))
    with pytest.raises(ConfigurationError) as info:
        config.add_static_view("/static", str(public))
    assert f"already added (tests/test_static.py:{first})" in str(info.value)


# --- static_path and static_url -------------------------------------------------------------------


def request_for(config, path="/", **environ):
    request = Request.blank(path, environ=environ)
    request.app = config.make_wsgi_app()
    return request


@pytest.fixture
def package_config():
    config = Configurator()
    config.add_static_view("static", "tests.apps.static_pkg:static")
    return config


def test_static_path_of_a_package_asset(package_config):
    assert (
        request_for(package_config).static_path("tests.apps.static_pkg:static/sub/readme.txt")
        == "/static/sub/readme.txt"
    )


def test_static_path_of_an_absolute_path_under_a_static_directory(package_config):
    path = os.path.join(PACKAGE_DIR, "app.css")
    assert request_for(package_config).static_path(path) == "/static/app.css"


def test_static_path_quotes_what_urls_cannot_hold(package_config):
    request = request_for(package_config)
    assert request.static_path("tests.apps.static_pkg:static/a file#1.css") == "/static/a%20file%231.css"


def test_static_path_includes_the_script_name(package_config):
    request = request_for(package_config, SCRIPT_NAME="/app")
    assert request.static_path("tests.apps.static_pkg:static/app.css") == "/app/static/app.css"


def test_static_url_is_absolute(package_config):
    request = request_for(package_config)
    assert request.static_url("tests.apps.static_pkg:static/app.css") == "http://localhost/static/app.css"


def test_static_path_uses_the_views_name(public):
    config = Configurator()
    config.add_static_view("assets/v1", str(public))
    assert request_for(config).static_path(str(public / "css" / "site.css")) == "/assets/v1/css/site.css"


def test_static_path_works_inside_a_view(package_config, make_app):
    package_config.add_route("home", "/")
    package_config.add_view(
        lambda request: request.static_path("tests.apps.static_pkg:static/app.css"),
        route_name="home",
        renderer="string",
    )
    app = make_app(package_config)
    assert app.get(app.get("/").text).text == "body { color: #333; }\n"


def test_static_path_outside_every_static_directory_names_the_registered_ones(package_config):
    with pytest.raises(ValueError) as info:
        request_for(package_config).static_path("tests.apps.static_pkg:elsewhere.css")
    message = str(info.value)
    assert "is in no static view's directory" in message
    assert f"'static' ({PACKAGE_DIR})" in message


def test_static_path_cannot_climb_out_with_dots(package_config):
    with pytest.raises(ValueError, match="in no static view's directory"):
        request_for(package_config).static_path("tests.apps.static_pkg:static/../__init__.py")


def test_static_path_without_static_views_says_none_is_registered():
    with pytest.raises(ValueError, match=r"\(none is registered\); add one with config.add_static_view"):
        request_for(Configurator()).static_path("tests.apps.static_pkg:static/app.css")


def test_static_path_of_a_relative_spec_asks_for_a_package(package_config):
    with pytest.raises(ValueError, match=r"'static/app.css' is neither 'package:path' nor an absolute path"):
        request_for(package_config).static_path("static/app.css")


def test_static_path_of_an_unknown_package_says_so(package_config):
    with pytest.raises(ValueError, match="package 'no_such_package' cannot be imported"):
        request_for(package_config).static_path("no_such_package:static/app.css")


def test_static_path_outside_an_application_is_a_lookup_error():
    with pytest.raises(LookupError, match="needs a request handled by a viewpick application"):
        Request.blank("/").static_path("tests.apps.static_pkg:static/app.css")
