"""Reason phrases: the same status line on every supported Python."""

from __future__ import annotations

import pytest
from webtest import TestApp

from viewpick import Configurator
from viewpick.errors import reason_phrase


@pytest.mark.parametrize(
    ("status", "phrase"),
    [
        (413, "Content Too Large"),
        (414, "URI Too Long"),
        (416, "Range Not Satisfiable"),
        (422, "Unprocessable Content"),
        (404, "Not Found"),
    ],
)
def test_reason_phrases_are_rfc_9110s_on_every_python(status: int, phrase: str) -> None:
    assert reason_phrase(status) == phrase


def test_a_body_over_the_limit_is_answered_content_too_large() -> None:
    config = Configurator({"max_body_bytes": "10"})
    config.add_route("r", "/")
    config.add_view(lambda request: "ok", route_name="r", renderer="string")
    res = TestApp(config.make_wsgi_app()).post("/", b"x" * 100, status=413)
    assert res.status == "413 Content Too Large"
