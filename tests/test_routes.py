"""Routes: what a pattern matches, what the matchdict holds, which route wins, how URLs are
generated, and which mistakes in a pattern are reported when the route is added."""

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewpick import ConfigurationError
from viewpick.routes import Route


def next_line():
    """The line number after the caller's: where the declaration that follows is written."""
    return sys._getframe(1).f_lineno + 1


def show_matchdict(request):
    return repr(request.matchdict)


def show_route_name(request):
    return request.matched_route.name


def app_with_route(config, make_app, pattern):
    """An app with one route, ``pattern``, whose view answers with ``repr(request.matchdict)``."""
    config.add_route("only", pattern)
    config.add_view(show_matchdict, route_name="only", renderer="string")
    return make_app(config)


def request_seen_by_view(config, make_app, **app_kw):
    """Serve GET /here once and hand back the Request the view was given, to generate URLs with."""
    seen = []

    def here(request):
        seen.append(request)
        return "ok"

    config.add_route("here", "/here")
    config.add_view(here, route_name="here", renderer="string")
    make_app(config, **app_kw).get("/here", status=200)
    return seen[0]


# --- what a pattern matches -------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern, path, matchdict",
    [
        ("/films/{name}", "/films/heat", "{'name': 'heat'}"),
        ("/films/{id:\\d+}", "/films/42", "{'id': '42'}"),
        ("/archive/{year:\\d{4}}", "/archive/2024", "{'year': '2024'}"),
        ("/files/{name}.{ext}", "/files/report.pdf", "{'name': 'report', 'ext': 'pdf'}"),
        ("/{lang}/docs/{page}", "/en/docs/intro", "{'lang': 'en', 'page': 'intro'}"),
    ],
)
def test_placeholder_captures_its_segment_into_the_matchdict(config, make_app, pattern, path, matchdict):
    app = app_with_route(config, make_app, pattern)
    assert app.get(path, status=200).text == matchdict


def test_placeholder_followed_by_literal_takes_as_much_as_it_can(config, make_app):
    app = app_with_route(config, make_app, "/files/{name}.{ext}")
    assert app.get("/files/archive.tar.gz", status=200).text == "{'name': 'archive.tar', 'ext': 'gz'}"


@pytest.mark.parametrize("path", ["/films/heat/cast", "/films/", "/films"])
def test_placeholder_matches_exactly_one_non_empty_segment(config, make_app, path):
    app = app_with_route(config, make_app, "/films/{name}")
    assert app.get(path, status=404).json["status"] == 404


@pytest.mark.parametrize(
    "pattern, path",
    [
        ("/films/{id:\\d+}", "/films/abc"),
        ("/films/{id:\\d+}", "/films/42abc"),
        ("/archive/{year:\\d{4}}", "/archive/24"),
        ("/archive/{year:\\d{4}}", "/archive/20245"),
    ],
)
def test_placeholder_regex_must_match_the_whole_segment(config, make_app, pattern, path):
    app = app_with_route(config, make_app, pattern)
    app.get(path, status=404)


@pytest.mark.parametrize(
    "path, matchdict",
    [
        ("/static/css/site.css", "{'rest': ('css', 'site.css')}"),
        ("/static/logo.png", "{'rest': ('logo.png',)}"),
        ("/static/", "{'rest': ()}"),
        ("/static/a//b/", "{'rest': ('a', 'b')}"),
    ],
)
def test_trailing_star_captures_remaining_segments_as_tuple(config, make_app, path, matchdict):
    app = app_with_route(config, make_app, "/static/*rest")
    assert app.get(path, status=200).text == matchdict


def test_trailing_star_needs_the_slash_before_it(config, make_app):
    app = app_with_route(config, make_app, "/static/*rest")
    app.get("/static", status=404)


def test_star_inside_a_placeholder_regex_is_not_a_remainder(config, make_app):
    config.add_route("n", r"/n/{x:\d+/*}")
    config.add_view(lambda request: request.matchdict, route_name="n", renderer="json")
    assert make_app(config).get("/n/12//").json == {"x": "12//"}


def test_trailing_star_follows_other_placeholders(config, make_app):
    app = app_with_route(config, make_app, "/{lang}/docs/*page")
    assert app.get("/en/docs/api/routes", status=200).text == "{'lang': 'en', 'page': ('api', 'routes')}"


@pytest.mark.parametrize("pattern", ["films/{id}", "/films/{id}"])
def test_pattern_without_leading_slash_matches_like_one_with_it(config, make_app, pattern):
    app = app_with_route(config, make_app, pattern)
    assert app.get("/films/7", status=200).text == "{'id': '7'}"


def test_route_path_of_a_pattern_without_leading_slash_starts_with_one(config, make_app):
    config.add_route("film", "films/{id}", static=True)
    request = request_seen_by_view(config, make_app)
    assert request.route_path("film", id=7) == "/films/7"


def test_static_pattern_without_leading_slash_matches(config, make_app):
    app = app_with_route(config, make_app, "about")
    assert app.get("/about", status=200).text == "{}"


# --- percent-decoding -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, name",
    [
        ("/films/caf%C3%A9", "café"),
        ("/films/Seven%20Samurai", "Seven Samurai"),
        ("/films/100%25", "100%"),
        ("/films/%E4%B8%83", "七"),
    ],
)
def test_matchdict_holds_percent_decoded_text(config, make_app, path, name):
    app = app_with_route(config, make_app, "/films/{name}")
    assert app.get(path, status=200).text == repr({"name": name})


def test_unicode_static_route_is_reached_by_its_percent_encoded_path(config, make_app):
    config.add_route("cafe", "/café")
    config.add_view(show_route_name, route_name="cafe", renderer="string")
    app = make_app(config)
    assert app.get("/caf%C3%A9", status=200).text == "cafe"


def test_encoded_slash_separates_segments_because_wsgi_decodes_path_info(config, make_app):
    # PATH_INFO arrives percent-decoded, so %2F cannot be told apart from '/': it is
    # a segment separator like any other.
    app = app_with_route(config, make_app, "/films/{name}")
    app.get("/films/AC%2FDC", status=404)


def test_encoded_slash_splits_a_star_remainder(config, make_app):
    app = app_with_route(config, make_app, "/static/*rest")
    assert app.get("/static/AC%2FDC", status=200).text == "{'rest': ('AC', 'DC')}"


@pytest.mark.parametrize("path", ["/%FF", "/caf%E9", "/%C3"])
def test_path_that_is_not_utf8_once_decoded_is_a_400(config, make_app, path):
    app = app_with_route(config, make_app, "/{name}")
    response = app.get(path, headers={"Accept": "text/plain"}, status=400)
    assert response.content_type == "text/plain"
    assert response.text == "400 Bad Request\n\nThe URL path is not valid UTF-8 once percent-decoded.\n"


def test_stray_percent_sign_is_taken_literally(config, make_app):
    # WebOb's Request.blank (used by WebTest) unquotes the path; '%zz' is no escape, so
    # it stays as it is.
    app = app_with_route(config, make_app, "/{name}")
    assert app.get("/x%zz", status=200).text == "{'name': 'x%zz'}"


# --- which route wins ---------------------------------------------------------------------


def test_patterned_route_added_first_wins_over_a_later_static_route(config, make_app):
    config.add_route("page", "/{name}")
    config.add_route("about", "/about")
    config.add_view(show_route_name, route_name="page", renderer="string", request_method="GET")
    config.add_view(show_route_name, route_name="about", renderer="string")
    app = make_app(config)
    assert app.get("/about", status=200).text == "page"


def test_static_route_added_first_wins_over_a_later_patterned_route(config, make_app):
    config.add_route("about", "/about")
    config.add_route("page", "/{name}")
    config.add_view(show_route_name, route_name="page", renderer="string")
    config.add_view(show_route_name, route_name="about", renderer="string")
    app = make_app(config)
    assert app.get("/about", status=200).text == "about"
    assert app.get("/contact", status=200).text == "page"


def test_routes_that_do_not_fit_are_skipped_in_order(config, make_app):
    config.add_route("film_by_id", "/films/{id:\\d+}")
    config.add_route("new_film", "/films/new")
    config.add_route("film_by_slug", "/films/{slug}")
    for name in ("film_by_id", "new_film", "film_by_slug"):
        config.add_view(show_route_name, route_name=name, renderer="string")
    app = make_app(config)
    assert app.get("/films/42", status=200).text == "film_by_id"
    assert app.get("/films/new", status=200).text == "new_film"
    assert app.get("/films/heat", status=200).text == "film_by_slug"


def app_naming_the_route(config, make_app, *patterns):
    """An app with routes ``r0``, ``r1``, ... for ``patterns``, in order, each answering with its name."""
    for index, pattern in enumerate(patterns):
        config.add_route(f"r{index}", pattern)
        config.add_view(show_route_name, route_name=f"r{index}", renderer="string")
    return make_app(config)


@pytest.mark.parametrize(
    "patterns, path, winner",
    [
        # A regex placeholder that spans '/' beats a later route with a longer literal prefix.
        (("/files/{path:.+}", "/files/a/{name}"), "/files/a/b", "r0"),
        (("/{path:.+}/raw", "/docs/{page}/raw"), "/docs/intro/raw", "r0"),
        (("/archive/{date:\\d{4}/\\d{2}}", "/archive/2024/{slug}"), "/archive/2024/05", "r0"),
        # A route whose first segment is a placeholder beats a later literal one...
        (("/{section}/{page}", "/films/{id}"), "/films/7", "r0"),
        (("/{lang}/films/{id}", "/en/films/{id}"), "/en/films/7", "r0"),
        # ...and is still tried after the literal ones that come before it and do not fit.
        (("/films/{id:\\d+}", "/{section}/{page}"), "/films/heat", "r1"),
        (("/films/{id:\\d+}", "/films/{slug}/{part}", "/{a}/{b}"), "/films/heat", "r2"),
        # A literal prefix that ends inside a segment is not a segment of its own.
        (("/films-{id}", "/films/{id}"), "/films-3", "r0"),
        (("/films-{id}", "/films/{id}"), "/films/3", "r1"),
        # A remainder takes everything below its prefix, whatever is declared later.
        (("/*rest", "/films/{id}"), "/films/7", "r0"),
        (("/static/*rest", "/static/img/{name}"), "/static/img/logo.png", "r0"),
        (("/static/img/{name}", "/static/*rest"), "/static/img/logo.png", "r0"),
        (("/static/img/{name}", "/static/*rest"), "/static/css/site.css", "r1"),
        # Empty segments are segments: '//' in a pattern must be '//' in the path.
        (("/a//{x}", "/a/{x}"), "/a//b", "r0"),
        (("/a//{x}", "/a/{x}"), "/a/b", "r1"),
        # Non-ASCII literal segments are matched on the decoded path.
        (("/café/{x}", "/{a}/{x}"), "/caf%C3%A9/1", "r0"),
    ],
)
def test_first_route_added_that_fits_wins_whatever_its_literal_prefix(config, make_app, patterns, path, winner):
    app = app_naming_the_route(config, make_app, *patterns)
    assert app.get(path, status=200).text == winner


@pytest.mark.parametrize(
    "patterns, path, winner",
    [
        (("/films/{id}", "/films/new"), "/films/new", "r0"),
        (("/{a}/{b}", "/films/new"), "/films/new", "r0"),
        (("/films/{id:\\d+}", "/films/new"), "/films/new", "r1"),
        (("/films/{path:.+}", "/films/new/cast"), "/films/new/cast", "r0"),
        (("/films/new", "/films/new"), "/films/new", "r0"),
    ],
)
def test_static_route_is_shadowed_only_by_an_earlier_route_that_fits(config, make_app, patterns, path, winner):
    # r0 serves GET only, so r1 keeps the other methods (a route that keeps none is refused).
    config.add_route("r0", patterns[0])
    config.add_route("r1", patterns[1])
    config.add_view(show_route_name, route_name="r0", renderer="string", request_method="GET")
    config.add_view(show_route_name, route_name="r1", renderer="string")
    app = make_app(config)
    assert app.get(path, status=200).text == winner
    assert app.post(path, status=200).text == "r1"


@pytest.mark.parametrize("path", ["/a/b", "/a", "/", "/x/y/z", "/a/b/c/d"])
def test_path_shorter_or_longer_than_every_literal_prefix_is_a_404(config, make_app, path):
    app = app_naming_the_route(config, make_app, "/a/b/{c}")
    app.get(path, status=404)


def test_last_of_many_routes_sharing_a_prefix_is_found(config, make_app):
    app = app_naming_the_route(config, make_app, *(f"/api/r{i}/{{id}}" for i in range(500)), "/api/{name}/{id}")
    assert app.get("/api/r499/1", status=200).text == "r499"
    assert app.get("/api/other/1", status=200).text == "r500"


def test_path_no_route_fits_is_a_404(config, make_app):
    app = app_with_route(config, make_app, "/films/{name}")
    response = app.get("/shows/heat", headers={"Accept": "application/json"}, status=404)
    assert response.json == {"status": 404, "title": "Not Found", "detail": "The resource could not be found."}


# --- routes that fit the same path -------------------------------------------------------


def app_of_routes(config, make_app, *routes):
    """An app with routes ``(name, pattern, request_method)``, in order, each answering with its
    name and matchdict."""
    for name, pattern, methods in routes:
        config.add_route(name, pattern)
        config.add_view(
            lambda request: f"{request.matched_route.name} {request.matchdict}",
            route_name=name,
            renderer="string",
            request_method=methods,
        )
    return make_app(config)


def test_method_the_first_route_does_not_serve_goes_to_a_later_route_of_the_same_pattern(config, make_app):
    app = app_of_routes(config, make_app, ("show", "/x/{id}", "GET"), ("update", "/x/{name}", "POST"))
    assert app.post("/x/1", status=200).text == "update {'name': '1'}"
    assert app.get("/x/1", status=200).text == "show {'id': '1'}"


def test_head_follows_get_to_the_route_that_serves_get(config, make_app):
    app = app_of_routes(config, make_app, ("update", "/x/{id}", "POST"), ("show", "/x/{name}", "GET"))
    assert app.head("/x/1", status=200).headers["Content-Length"] == str(len("show {'name': '1'}"))


def test_first_later_route_that_serves_the_method_wins(config, make_app):
    app = app_of_routes(
        config,
        make_app,
        ("show", "/x/{id}", "GET"),
        ("update", "/x/{name}", "POST"),
        ("replace", "/x/{key}", ("POST", "PUT")),
    )
    assert app.post("/x/1", status=200).text == "update {'name': '1'}"
    assert app.put("/x/1", status=200).text == "replace {'key': '1'}"


def test_later_routes_that_do_not_fit_the_path_are_passed_over(config, make_app):
    app = app_of_routes(
        config,
        make_app,
        ("show", "/x/{id}", "GET"),
        ("by_number", "/x/{n:\\d+}", "POST"),
        ("by_name", "/x/{name}", "POST"),
    )
    assert app.post("/x/1", status=200).text == "by_number {'n': '1'}"
    assert app.post("/x/heat", status=200).text == "by_name {'name': 'heat'}"


@pytest.mark.parametrize(
    "first, second, path",
    [
        ("/x/{id}", "/{a}/{b}", "/x/1"),  # the later route's literal prefix is shorter
        ("/{a}/{b}", "/x/{id}", "/x/1"),  # longer
        ("/x/{rest:.+}", "/x/y/{id}", "/x/y/1"),  # longer by a segment the earlier route's regex fills
        ("/x-{id}", "/x-{name}", "/x-1"),  # a literal prefix that ends inside a segment
        ("/*rest", "/x/y/{id}", "/x/y/1"),
    ],
)
def test_method_falls_through_whatever_the_later_routes_literal_prefix(config, make_app, first, second, path):
    app = app_of_routes(config, make_app, ("show", first, "GET"), ("update", second, "POST"))
    assert app.post(path, status=200).text.startswith("update ")


def test_method_goes_from_a_static_route_to_a_later_patterned_one(config, make_app):
    app = app_of_routes(config, make_app, ("new_form", "/x/new", "GET"), ("create", "/x/{name}", "POST"))
    assert app.post("/x/new", status=200).text == "create {'name': 'new'}"
    assert app.get("/x/new", status=200).text == "new_form {}"


def test_route_that_serves_the_method_takes_the_request_even_when_its_views_refuse_it(config, make_app):
    config.add_route("json", "/x/{id}")
    config.add_route("any", "/x/{name}")
    config.add_view(
        show_route_name, route_name="json", renderer="json", accept="application/json", request_method="GET"
    )
    config.add_view(show_route_name, route_name="any", renderer="string", request_method=("GET", "DELETE"))
    app = make_app(config)
    assert "It is available as: application/json." in app.get("/x/1", headers={"Accept": "text/html"}, status=406)


def test_405_allow_lists_the_methods_of_every_route_that_fits_the_path(config, make_app):
    app = app_of_routes(
        config, make_app, ("show", "/x/{id}", "GET"), ("create", "/x/{n:\\d+}", "POST"), ("edit", "/x/{name}", "PUT")
    )
    assert app.delete("/x/1", status=405).headers["Allow"] == "GET, HEAD, POST, PUT, OPTIONS"
    assert app.delete("/x/heat", status=405).headers["Allow"] == "GET, HEAD, PUT, OPTIONS"


def test_405_of_a_route_no_other_route_fits_lists_its_own_methods(config, make_app):
    app = app_of_routes(config, make_app, ("show", "/x/{id}", "GET"), ("create", "/y/{id}", "POST"))
    response = app.delete("/x/1", status=405)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json["detail"] == "This method is not allowed for this URL. Allowed: GET, HEAD, OPTIONS."


def test_405_of_a_route_whose_look_alikes_do_not_fit_the_path_lists_its_own_methods(config, make_app):
    app = app_of_routes(config, make_app, ("show", "/x/{id}", "GET"), ("create", "/x/{n:\\d+}", "POST"))
    assert app.delete("/x/heat", status=405).headers["Allow"] == "GET, HEAD, OPTIONS"


def test_options_allow_lists_the_methods_of_every_route_that_fits_the_path(config, make_app):
    app = app_of_routes(config, make_app, ("show", "/x/{id}", "GET"), ("create", "/x/{name}", "POST"))
    response = app.options("/x/1", status=200)
    assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.body == b""


def test_options_goes_to_a_later_route_with_a_view_for_options(config, make_app):
    app = app_of_routes(config, make_app, ("show", "/x/{id}", "GET"), ("cors", "/x/{name}", "OPTIONS"))
    assert app.options("/x/1", status=200).text == "cors {'name': '1'}"


@pytest.mark.parametrize(
    "first, second",
    [
        ("/x/{id}", "/x/{name}"),
        ("x/{id}", "/x/{id}"),
        ("/x/{id}", "/x/{n:[^/]+}"),
        ("/x/{id:\\d+}", "/x/{n:\\d+}"),
        ("/files/*rest", "/files/*path"),
        ("/about", "/about"),
    ],
)
def test_route_an_earlier_route_of_the_same_pattern_serves_for_every_method_is_refused(config, first, second):
    line = next_line()
    config.add_route("show", first)
    config.add_route("show_too", second)
    config.add_view(show_route_name, route_name="show", renderer="string", request_method=("GET", "POST"))
    config.add_view(show_route_name, route_name="show_too", renderer="string", request_method="POST")
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert message.startswith(f"route 'show_too' (tests/test_routes.py:{line + 1}, {second!r}) can never be chosen: ")
    assert f"route 'show' (tests/test_routes.py:{line}, {first!r}) comes first" in message
    assert "(the same pattern, placeholder names aside) and serves every method it serves (POST)" in message
    assert "give their views different request_method values" in message


@pytest.mark.parametrize("first", ["/x/{id}", "/{a}/{b}", "/x/{rest:.+}", "/*rest"])
def test_static_route_whose_path_an_earlier_route_fits_for_every_method_is_refused(config, first):
    line = next_line()
    config.add_route("show", first)
    config.add_route("new", "/x/new")
    config.add_view(show_route_name, route_name="show", renderer="string")
    config.add_view(show_route_name, route_name="new", renderer="string", request_method="GET")
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert message.startswith(f"route 'new' (tests/test_routes.py:{line + 1}, '/x/new') can never be chosen: ")
    assert f"route 'show' (tests/test_routes.py:{line}, {first!r}) comes first" in message
    assert "(its pattern has no placeholders) and serves every method it serves (GET, HEAD)" in message


def test_route_whose_methods_several_earlier_routes_share_between_them_is_refused(config):
    line = next_line()
    config.add_route("show", "/x/{id}")
    config.add_route("create", "/x/{key}")
    config.add_route("both", "/x/{name}")
    config.add_view(show_route_name, route_name="show", renderer="string", request_method="GET")
    config.add_view(show_route_name, route_name="create", renderer="string", request_method="POST")
    config.add_view(show_route_name, route_name="both", renderer="string", request_method=("GET", "POST"))
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert message.startswith(f"route 'both' (tests/test_routes.py:{line + 2}, '/x/{{name}}') can never be chosen: ")
    assert (
        f"routes 'show' (tests/test_routes.py:{line}, '/x/{{id}}') for GET, HEAD and "
        f"'create' (tests/test_routes.py:{line + 1}, '/x/{{key}}') for POST come first" in message
    )


def test_routes_of_different_constraints_are_not_the_same_pattern(config, make_app):
    app = app_of_routes(config, make_app, ("by_number", "/x/{id:\\d+}", "GET"), ("by_name", "/x/{name}", "GET"))
    assert app.get("/x/1", status=200).text == "by_number {'id': '1'}"
    assert app.get("/x/heat", status=200).text == "by_name {'name': 'heat'}"


def test_route_without_views_is_refused_with_a_hint(config):
    line = next_line()
    config.add_route("films", "/films/{name}")
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert message.startswith(f"route 'films' (tests/test_routes.py:{line}) has no views")
    assert "did you forget config.scan()?" in message
    assert "config.add_route('films', '/films/{name}', static=True) if it only generates URLs" in message


def test_route_added_with_static_true_is_never_matched(config, make_app):
    config.add_route("film", "/films/{name}", static=True)
    config.add_route("fallback", "/{a}/{b}")
    config.add_view(lambda request: request.route_path("film", name="heat"), route_name="fallback", renderer="string")
    app = make_app(config)
    assert app.get("/films/heat", status=200).text == "/films/heat"


def test_route_added_with_static_true_and_given_a_view_is_refused(config):
    line = next_line()
    config.add_route("film", "/films/{name}", static=True)
    config.add_view(show_route_name, route_name="film", renderer="string")
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert message.startswith(f"route 'film' (tests/test_routes.py:{line}) was added with static=True")
    assert "remove static=True to serve the view, or remove the view" in message


def test_static_view_is_the_view_its_route_needs(config, make_app, tmp_path):
    (tmp_path / "a.txt").write_text("hello")
    config.add_static_view("static", str(tmp_path))
    assert make_app(config).get("/static/a.txt", status=200).text == "hello"


# --- generating URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, path",
    [
        ("heat", "/films/heat"),
        ("Seven Samurai", "/films/Seven%20Samurai"),
        ("AC/DC", "/films/AC%2FDC"),
        ("café", "/films/caf%C3%A9"),
        ("100%", "/films/100%25"),
        ("a?b#c", "/films/a%3Fb%23c"),
        (42, "/films/42"),
    ],
)
def test_route_path_quotes_each_placeholder_as_one_segment(config, make_app, value, path):
    config.add_route("film", "/films/{title}", static=True)
    request = request_seen_by_view(config, make_app)
    assert request.route_path("film", title=value) == path


def test_route_path_generated_for_a_placeholder_routes_back_to_the_same_value(config, make_app):
    config.add_route("film", "/films/{title}")
    config.add_view(lambda request: request.matchdict["title"], route_name="film", renderer="string")
    request = request_seen_by_view(config, make_app)
    path = request.route_path("film", title="Café Society: 2016 (Allen)")
    assert make_app(config).get(path, status=200).text == "Café Society: 2016 (Allen)"


def test_route_path_of_a_unicode_static_route_is_percent_encoded(config, make_app):
    config.add_route("cafe", "/café", static=True)
    request = request_seen_by_view(config, make_app)
    assert request.route_path("cafe") == "/caf%C3%A9"


@pytest.mark.parametrize(
    "rest, path",
    [
        (("css", "site.css"), "/static/css/site.css"),
        (("my files", "a/b"), "/static/my%20files/a%2Fb"),
        ((), "/static/"),
        ("css/site.css", "/static/css/site.css"),
    ],
)
def test_route_path_fills_a_star_remainder_from_a_tuple_or_a_string(config, make_app, rest, path):
    config.add_route("static", "/static/*rest", static=True)
    request = request_seen_by_view(config, make_app)
    assert request.route_path("static", rest=rest) == path


@pytest.mark.parametrize(
    "query, path",
    [
        ({"q": "seven samurai", "page": 2}, "/search?q=seven+samurai&page=2"),
        ([("tag", "drama"), ("tag", "war")], "/search?tag=drama&tag=war"),
        ({"tag": ["drama", "war"]}, "/search?tag=drama&tag=war"),
        ({"q": "café"}, "/search?q=caf%C3%A9"),
        ({}, "/search"),
    ],
)
def test_route_path_adds_query_from_a_mapping_or_pairs(config, make_app, query, path):
    config.add_route("search", "/search", static=True)
    request = request_seen_by_view(config, make_app)
    assert request.route_path("search", _query=query) == path


def test_route_path_adds_a_quoted_anchor(config, make_app):
    config.add_route("film", "/films/{title}", static=True)
    request = request_seen_by_view(config, make_app)
    assert request.route_path("film", title="heat", _query={"tab": "cast"}, _anchor="main cast") == (
        "/films/heat?tab=cast#main%20cast"
    )


def test_route_path_appends_elements_as_quoted_segments(config, make_app):
    config.add_route("film", "/films/{title}", static=True)
    request = request_seen_by_view(config, make_app)
    assert request.route_path("film", "edit", "v 2", "a/b", title="heat") == "/films/heat/edit/v%202/a%2Fb"


def test_route_path_appends_elements_without_doubling_a_trailing_slash(config, make_app):
    config.add_route("films", "/films/", static=True)
    request = request_seen_by_view(config, make_app)
    assert request.route_path("films", "heat") == "/films/heat"


def test_route_path_and_route_url_inside_a_view_include_script_name(config, make_app):
    config.add_route("film", "/films/{title}")
    config.add_view(
        lambda request: f"{request.route_path('film', title='heat')} {request.route_url('film', title='heat')}",
        route_name="film",
        renderer="string",
    )
    app = make_app(config, extra_environ={"SCRIPT_NAME": "/app"})
    assert app.get("/films/x", status=200).text == "/app/films/heat http://localhost/app/films/heat"


def test_route_url_is_absolute_with_the_requests_host(config, make_app):
    config.add_route("film", "/films/{title}", static=True)
    request = request_seen_by_view(config, make_app, extra_environ={"HTTP_HOST": "films.example:8080"})
    assert request.route_url("film", title="heat", _anchor="top") == "http://films.example:8080/films/heat#top"


def test_route_path_of_an_unknown_route_is_a_key_error_with_a_suggestion(config, make_app):
    config.add_route("film", "/films/{title}", static=True)
    request = request_seen_by_view(config, make_app)
    with pytest.raises(KeyError, match="no route named 'flim'; did you mean 'film'\\?"):
        request.route_path("flim", title="heat")


def test_route_path_without_a_placeholder_value_is_a_key_error_naming_it(config, make_app):
    config.add_route("film", "/films/{year}/{title}", static=True)
    request = request_seen_by_view(config, make_app)
    with pytest.raises(KeyError, match="route 'film' needs a value for 'title'"):
        request.route_path("film", year=1954)


# --- mistakes in route declarations -----------------------------------------------------


def test_duplicate_route_name_names_both_declarations(config):
    first = next_line()
    config.add_route("film", "/films/{id}")
    with pytest.raises(ConfigurationError) as raised:
        second = next_line()
        config.add_route("film", "/movies/{id}")
    message = str(raised.value)
    assert message.startswith("route 'film' (")
    assert f"test_routes.py:{second}) is already added (" in message
    assert f"test_routes.py:{first})" in message


@pytest.mark.parametrize(
    "pattern, problem",
    [
        ("/films/{id", "the '{' at position 7 is never closed"),
        ("/archive/{year:\\d{4}", "the '{' at position 9 is never closed"),
        ("/films/{1id}", "placeholder '1id' is not a valid name"),
        ("/films/{film-id}", "placeholder 'film-id' is not a valid name"),
        ("/films/{}", "placeholder '' is not a valid name"),
        ("/static/*", "placeholder '' is not a valid name"),
        ("/{id}/{id}", "placeholder 'id' is used twice"),
        ("/{path}/*path", "placeholder 'path' is used twice"),
        ("/films/{id:(\\d+}", "bad regular expression"),
        ("/films/{id:[0-9}", "bad regular expression"),
    ],
)
def test_bad_route_pattern_is_reported_with_the_routes_file_and_line(config, pattern, problem):
    with pytest.raises(ConfigurationError) as raised:
        line = next_line()
        config.add_route("film", pattern)
    message = str(raised.value)
    assert message.startswith(f"route pattern {pattern!r}: ")
    assert problem in message
    assert message.endswith(f"(route 'film', tests/test_routes.py:{line})")


@pytest.mark.parametrize("pattern", ["/films/{id}", "/films-{id}", "{id}", "/a/b/{id}"])
@given(path=st.text(alphabet="/afilmsb-1é\n.", max_size=14))
def test_a_route_ending_in_one_placeholder_matches_what_its_regex_matches(pattern, path):
    route = Route("r", pattern)
    assert route.last_segment == "id"
    found = route.regex.match(path, len(route.prefix)) if path.startswith(route.prefix) else None
    assert route.match(path) == (None if found is None else found.groupdict())


@pytest.mark.parametrize("pattern", ["/films/{id:\\d+}", "/films/{id}/edit", "/films/*rest", "/films", "/{a}/{b}"])
def test_only_a_single_unconstrained_last_placeholder_skips_the_regex(pattern):
    assert Route("r", pattern).last_segment is None
