"""``viewpick.testing.call_view``: the value a view returned before rendering, chosen by the
real dispatcher; and a clear failure, with the explanation, when no view is chosen."""

from __future__ import annotations

import pytest
from webtest import TestApp

from viewpick.testing import NoViewChosen, call_view

from .apps import explained


@pytest.fixture(scope="module")
def app():
    return explained.main()


def test_call_view_returns_what_the_view_returned_before_rendering(app):
    called = call_view(app, "GET", "/films/3", headers={"Accept": "application/json"})
    assert called.value == {"view": "as_json"}
    assert called.view_name == "tests.apps.explained.as_json"
    assert called.renderer == "json"


def test_call_view_chooses_as_the_live_app_does(app):
    assert call_view(app, "GET", "/films/3", xhr=True).view_name.endswith(".partial")
    assert call_view(app, "GET", "/films/3", params={"print": "1"}).view_name.endswith(".printable")


def test_call_view_sends_a_json_body_and_an_identity(app):
    called = call_view(app, "PUT", "/films/3", json={"title": "Ran"}, user="ann")
    assert called.value == {"view": "save_json"}
    assert called.request.json_body == {"title": "Ran"}


def test_call_view_accepts_a_webtest_app(app):
    assert call_view(TestApp(app), "GET", "/films/3").value == "page"


def test_no_view_chosen_fails_with_the_status_and_the_explanation(app):
    with pytest.raises(NoViewChosen) as failure:
        call_view(app, "PUT", "/films/3", json={"title": "Ran"})
    assert failure.value.status == 403
    assert "FAIL permission = edit" in str(failure.value)


def test_call_view_gives_the_request_its_route_and_matchdict(app):
    called = call_view(app, "GET", "/films/42")
    assert called.request.matchdict == {"id": "42"}
    assert called.request.matched_route.name == "film"
