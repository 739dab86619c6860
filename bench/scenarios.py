"""The requests every contender answers, and what a correct answer is.

A scenario names the application it is sent to (``article``, ``routes`` with ``n`` routes,
``views`` with ``k`` views), the request, and the expected status, media type and body, and
for negotiated answers the request headers their ``Vary`` must name.
Bodies are compared exactly, except JSON, which is compared once parsed: frameworks
differ in the spacing and key order of the JSON they write, not in what it says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .common import ARTICLES, VARY_HEADERS, page_and_partial, route_body, variant_body

BROWSER_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
JQUERY_HTML_ACCEPT = "text/html, */*; q=0.01"  # what jQuery's .load() sends
ROUTE_COUNTS = (10, 100, 1000, 10000)
VIEW_COUNTS = (1, 4, 16)
ARTICLE_ID = "2"


@dataclass(frozen=True)
class Reply:
    """What a WSGI application answered."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    @property
    def media_type(self) -> str | None:
        value = self.header("Content-Type")
        return None if value is None else value.split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class Scenario:
    """One request, the application it goes to, and the answer expected."""

    name: str
    app: tuple[str, int]  # ('article', 0), ('routes', n) or ('views', k)
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    query: str = ""
    status: int = 200
    media_type: str | None = None
    text: str | None = None
    json: Any = None
    # Statuses that are wrong but are what a contender is known to answer: shown in the
    # table as findings, not counted as failures.
    tolerated: tuple[int, ...] = ()
    timed: bool = True
    # Request headers the answer depends on, which its Vary header must name.
    vary: tuple[str, ...] = ()

    def problems(self, reply: Reply) -> list[str]:
        """What is wrong with ``reply``; empty when it is right (or a tolerated status)."""
        if reply.status in self.tolerated:
            return []
        found = []
        if reply.status != self.status:
            found.append(f"status {reply.status}, expected {self.status}")
        if self.media_type is not None and reply.media_type != self.media_type:
            found.append(f"content type {reply.header('Content-Type')!r}, expected {self.media_type}")
        if self.text is not None and reply.body != self.text.encode("utf-8"):
            found.append(f"body {_preview(reply.body)}, expected {_preview(self.text.encode('utf-8'))}")
        named = {name.strip().lower() for name in (reply.header("Vary") or "").split(",")}
        missing = [name for name in self.vary if name.lower() not in named]
        if missing:
            found.append(f"Vary {reply.header('Vary')!r} does not name {', '.join(missing)}")
        if self.json is not None:
            try:
                parsed = json.loads(reply.body)
            except ValueError:
                parsed = "(not JSON)"
            if parsed != self.json:
                found.append(f"JSON body {_preview(reply.body)}, expected {json.dumps(self.json)[:80]}...")
        return found


def _preview(body: bytes) -> str:
    return repr(body[:80]) + ("..." if len(body) > 80 else "")


def all_scenarios() -> list[Scenario]:
    """Every scenario, grouped by the application it needs (so each is built once)."""
    page, partial = page_and_partial()
    values = {"article": ARTICLES[ARTICLE_ID]}
    path = f"/articles/{ARTICLE_ID}"
    article = ("article", 0)
    found = [
        Scenario(
            "json",
            article,
            "GET",
            path,
            (("Accept", "application/json"),),
            media_type="application/json",
            json=ARTICLES[ARTICLE_ID],
            vary=VARY_HEADERS,
        ),
        Scenario(
            "html",
            article,
            "GET",
            path,
            (("Accept", BROWSER_ACCEPT),),
            media_type="text/html",
            text=page.render_unicode(**values),
            vary=VARY_HEADERS,
        ),
        Scenario(
            "xhr",
            article,
            "GET",
            path,
            (("Accept", JQUERY_HTML_ACCEPT), ("X-Requested-With", "XMLHttpRequest")),
            media_type="text/html",
            text=partial.render_unicode(**values),
            vary=VARY_HEADERS,
        ),
        Scenario("miss405", article, "POST", path, (("Accept", "application/json"),), status=405, tolerated=(404,)),
        Scenario(
            "missing", article, "GET", "/articles/999", (("Accept", "application/json"),), status=404, timed=False
        ),
    ]
    for n in ROUTE_COUNTS:
        found += [route_scenario(n, "first"), route_scenario(n, "last")]
    for k in VIEW_COUNTS:
        found.append(
            Scenario(
                f"views-{k}",
                ("views", k),
                "GET",
                "/things",
                query=f"variant={k - 1}",
                media_type="text/plain",
                text=variant_body(k - 1),
            )
        )
    return found


def route_scenario(n: int, end: str) -> Scenario:
    """``GET /r0/42`` (``end="first"``) or ``GET /r{n-1}/42`` (``"last"``) on the app of ``n`` routes."""
    index = 0 if end == "first" else n - 1
    return Scenario(
        f"routes-{n}:{end}",
        ("routes", n),
        "GET",
        f"/r{index}/42",
        media_type="text/plain",
        text=route_body(index, "42"),
    )


STARTUP_VIEWS = 1000


def startup_scenario(n: int = STARTUP_VIEWS) -> Scenario:
    """The first request to the app of ``n`` decorated views: its last route."""
    return Scenario(
        "startup", ("startup", n), "GET", f"/r{n - 1}/1", media_type="text/plain", text=route_body(n - 1, "1")
    )
