"""``request.param_values``: what ``request_param`` predicates read, the same as WebOb's ``params``.

A plain query string (ASCII, no escapes) is split by hand rather than through WebOb's parser;
these tests hold the two to the same answers, including on the strings that take the parser.
"""

from __future__ import annotations

import pytest
import webob
from hypothesis import given
from hypothesis import strategies as st

from viewpick.request import InvalidRequest, Request


def webob_values(query: str) -> dict[str, str]:
    return dict(webob.Request.blank("/", environ={"QUERY_STRING": query}).GET.items())


def viewpick_values(query: str) -> dict[str, str]:
    return Request.blank("/", environ={"QUERY_STRING": query}).param_values


@pytest.mark.parametrize(
    "query",
    [
        "",
        "variant=3",
        "a=1&b=2",
        "a=1&a=2",
        "flag",
        "flag&x=",
        "&&a=1&",
        "=v",
        "a==b",
        "a=1;b=2",
        "q=tom+jerry",
        "q=%C3%A9t%C3%A9",
        "q=caf\xc3\xa9",
    ],
)
def test_param_values_of_a_query_string_are_webobs_last_values(query):
    assert viewpick_values(query) == webob_values(query)


@given(st.text(alphabet="ab=&;+%2041C3é", max_size=30))
def test_param_values_agree_with_webob_on_any_query_string(query):
    raw = query.encode("utf-8").decode("latin-1")  # as a server puts bytes in the environ
    try:
        expected = webob_values(raw)
    except UnicodeDecodeError:
        with pytest.raises(InvalidRequest):
            viewpick_values(raw)
    else:
        assert viewpick_values(raw) == expected


def test_param_values_of_a_query_string_that_is_not_utf8_is_a_400():
    with pytest.raises(InvalidRequest):
        viewpick_values("q=caf\xe9")


def test_param_values_of_a_get_leave_the_body_unread():
    request = Request.blank("/?a=1", method="GET", body=b"a=2", content_type="application/x-www-form-urlencoded")
    request.method = "GET"
    assert request.param_values == {"a": "1"}
    assert "webob._parsed_post_vars" not in request.environ


def test_param_values_of_a_post_take_the_query_over_the_form():
    request = Request.blank("/?a=1", POST={"a": "2", "b": "3"})
    assert request.param_values == {"a": "1", "b": "3"}
