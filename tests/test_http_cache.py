"""The ``http_cache`` view option (Pyramid's forms), the ``prevent_http_cache`` setting, and
conditional GET for rendered views (``conditional=True``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from webtest import TestApp

from viewpick import ConfigurationError, Configurator

MakeApp = Callable[..., TestApp]


def cached_app(config: Configurator, make_app: MakeApp, **options: Any) -> TestApp:
    config.add_route("r", "/")
    config.add_view(lambda request: {"n": request.params.get("n", "1")}, route_name="r", renderer="json", **options)
    return make_app(config)


@pytest.mark.parametrize(
    ("http_cache", "cache_control"),
    [
        (3600, "max-age=3600"),
        (timedelta(minutes=5), "max-age=300"),
        ((60, {"public": True}), "max-age=60, public"),
        ((None, {"private": True}), "private"),
        (
            {"public": True, "max_age": 120, "stale_while_revalidate": 30},
            "public, max-age=120, stale-while-revalidate=30",
        ),
        (0, "max-age=0, no-cache, no-store, must-revalidate"),
        (-5, "max-age=0, no-cache, no-store, must-revalidate"),
    ],
)
def test_http_cache_forms_give_their_cache_control(config, make_app, http_cache, cache_control):
    response = cached_app(config, make_app, http_cache=http_cache).get("/")
    assert response.headers["Cache-Control"] == cache_control


def test_http_cache_seconds_also_set_expires_that_far_ahead(config, make_app):
    response = cached_app(config, make_app, http_cache=3600).get("/")
    ahead = parsedate_to_datetime(response.headers["Expires"]).timestamp() - time.time()
    assert 3590 < ahead <= 3600
    assert "Expires" not in cached_app(Configurator(), make_app, http_cache={"public": True}).get("/").headers


def test_a_view_without_http_cache_sends_no_caching_headers(config, make_app):
    response = cached_app(config, make_app).get("/")
    assert "Cache-Control" not in response.headers
    assert "ETag" not in response.headers


def test_the_prevent_http_cache_setting_turns_http_cache_off(make_app):
    config = Configurator({"prevent_http_cache": "true"})
    assert "Cache-Control" not in cached_app(config, make_app, http_cache=3600).get("/").headers


def test_http_cache_applies_to_a_response_the_view_returns(config, make_app):
    from viewpick import Response

    config.add_route("r", "/")
    config.add_view(lambda request: Response(body=b"x", content_type="text/plain"), route_name="r", http_cache=60)
    assert make_app(config).get("/").headers["Cache-Control"] == "max-age=60"


def test_prevent_auto_on_the_response_keeps_the_views_own_cache_control(config, make_app):
    def view(request):
        request.response.cache_control = "no-store"
        request.response.cache_control.prevent_auto = True
        return "mine"

    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string", http_cache=3600)
    assert make_app(config).get("/").headers["Cache-Control"] == "no-store"


def test_http_cache_does_not_apply_to_an_error_the_view_raises(config, make_app):
    from webob.exc import HTTPNotFound

    def view(request):
        raise HTTPNotFound()

    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string", http_cache=3600)
    assert "Cache-Control" not in make_app(config).get("/", status=404).headers


@pytest.mark.parametrize("value", ["3600", 1.5, (60, 60), {"pubic": True}])
def test_a_bad_http_cache_is_a_configuration_error_naming_the_view(config, make_app, value):
    config.add_route("r", "/")
    config.add_view(lambda request: "x", route_name="r", renderer="string", http_cache=value)
    with pytest.raises(ConfigurationError, match=r"test_http_cache\.py:\d+.*http_cache"):
        config.make_wsgi_app()


def test_a_misspelt_directive_gets_a_suggestion(config):
    config.add_route("r", "/")
    config.add_view(lambda request: "x", route_name="r", renderer="string", http_cache={"pubic": True})
    with pytest.raises(ConfigurationError, match="did you mean 'public'"):
        config.make_wsgi_app()


# Conditional GET for rendered views.


def test_a_conditional_view_sends_a_strong_etag_of_its_body(config, make_app):
    response = cached_app(config, make_app, conditional=True).get("/")
    assert response.headers["ETag"].startswith('"')


def test_the_etag_changes_with_the_body(config, make_app):
    app = cached_app(config, make_app, conditional=True)
    assert app.get("/?n=1").headers["ETag"] != app.get("/?n=2").headers["ETag"]
    assert app.get("/?n=1").headers["ETag"] == app.get("/?n=1").headers["ETag"]


def test_a_matching_if_none_match_gets_304_with_no_body(config, make_app):
    app = cached_app(config, make_app, conditional=True, http_cache=60)
    etag = app.get("/").headers["ETag"]
    response = app.get("/", headers={"If-None-Match": etag}, status=304)
    assert response.body == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "max-age=60"
    assert response.headers["Vary"] == "Accept"
    assert "Content-Type" not in response.headers


def test_if_none_match_star_gets_304(config, make_app):
    cached_app(config, make_app, conditional=True).get("/", headers={"If-None-Match": "*"}, status=304)


def test_a_weak_form_of_the_etag_also_matches_if_none_match(config, make_app):
    app = cached_app(config, make_app, conditional=True)
    etag = app.get("/").headers["ETag"]
    app.get("/", headers={"If-None-Match": f'"other", W/{etag}'}, status=304)


def test_an_etag_of_another_body_gets_the_whole_answer(config, make_app):
    app = cached_app(config, make_app, conditional=True)
    etag = app.get("/?n=1").headers["ETag"]
    assert app.get("/?n=2", headers={"If-None-Match": etag}, status=200).json == {"n": "2"}


def test_head_answers_the_same_headers_as_get(config, make_app):
    app = cached_app(config, make_app, conditional=True, http_cache=60)
    get, head = app.get("/"), app.head("/")
    assert head.body == b""
    for name in ("ETag", "Content-Length", "Content-Type", "Cache-Control", "Vary"):
        assert head.headers[name] == get.headers[name]


def test_a_last_modified_the_view_sets_answers_if_modified_since(config, make_app):
    def view(request):
        request.response.last_modified = 1_700_000_000
        return "dated"

    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string", conditional=True)
    app = make_app(config)
    last_modified = app.get("/").headers["Last-Modified"]
    response = app.get("/", headers={"If-Modified-Since": last_modified}, status=304)
    assert response.headers["Last-Modified"] == last_modified
    app.get("/", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, status=200)


def test_if_none_match_wins_over_if_modified_since(config, make_app):
    def view(request):
        request.response.last_modified = 1_700_000_000
        return "dated"

    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string", conditional=True)
    app = make_app(config)
    last_modified = app.get("/").headers["Last-Modified"]
    headers = {"If-None-Match": '"other"', "If-Modified-Since": last_modified}
    app.get("/", headers=headers, status=200)


def test_the_etag_the_view_sets_is_kept(config, make_app):
    def view(request):
        request.response.etag = "v7"
        return "seventh"

    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string", conditional=True)
    app = make_app(config)
    assert app.get("/").headers["ETag"] == '"v7"'
    app.get("/", headers={"If-None-Match": '"v7"'}, status=304)


def test_a_post_to_a_conditional_view_with_a_matching_if_none_match_is_412(config, make_app):
    config.add_route("r", "/")
    config.add_view(lambda request: "same", route_name="r", renderer="string", conditional=True)
    app = make_app(config)
    etag = app.get("/").headers["ETag"]
    app.post("/", headers={"If-None-Match": etag}, status=412)


def test_the_conditional_setting_turns_it_on_for_every_rendered_view(make_app):
    config = Configurator({"conditional": "true"})
    assert "ETag" in cached_app(config, make_app).get("/").headers


def test_a_view_can_opt_out_of_the_conditional_setting(make_app):
    config = Configurator({"conditional": "true"})
    assert "ETag" not in cached_app(config, make_app, conditional=False).get("/").headers


def test_an_error_answer_gets_no_etag(config, make_app):
    from webob.exc import HTTPNotFound

    def view(request):
        raise HTTPNotFound()

    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string", conditional=True)
    assert "ETag" not in make_app(config).get("/", status=404).headers


def test_conditional_takes_only_true_or_false(config):
    config.add_route("r", "/")
    config.add_view(lambda request: "x", route_name="r", renderer="string", conditional="yes")
    with pytest.raises(ConfigurationError, match="conditional takes True or False"):
        config.make_wsgi_app()


def test_a_directive_set_to_false_is_left_out(config, make_app):
    response = cached_app(config, make_app, http_cache={"public": False, "private": True}).get("/")
    assert response.headers["Cache-Control"] == "private"


def test_a_streamed_body_gets_no_etag(config, make_app):
    from viewpick import Response

    def view(request):
        return Response(app_iter=iter([b"a", b"b"]), content_type="text/plain", content_length=2)

    config.add_route("r", "/")
    config.add_view(view, route_name="r", conditional=True)
    response = make_app(config).get("/")
    assert (response.body, "ETag" in response.headers) == (b"ab", False)


def test_if_match_never_matches_a_weak_etag_the_view_set(config, make_app):
    def view(request):
        request.response.etag = ("v1", False)
        return "weakly tagged"

    config.add_route("r", "/")
    config.add_view(view, route_name="r", renderer="string", conditional=True)
    app = make_app(config)
    assert app.get("/").headers["ETag"] == 'W/"v1"'
    app.get("/", headers={"If-Match": 'W/"v1"'}, status=412)
    app.get("/", headers={"If-None-Match": '"v1"'}, status=304)


def test_a_views_caching_and_its_routes_finisher_say_what_they_do_in_their_repr(config, make_app):
    app = cached_app(config, make_app, http_cache=60, conditional=True).app
    view = app.dispatch["r"].views[0]
    assert repr(view.caching) == "<Caching 'max-age=60' conditional=True>"
    assert repr(app.dispatch["r"].finisher) == "<Finisher Vary: Accept>"
