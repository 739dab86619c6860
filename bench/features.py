"""What viewpick's request-path features cost: each on a small app against the same app
without it, and each configured but not used against the same app without it.

The app has one route, ``/things/{id}``: a GET answering ``text/plain`` ``thing {id}`` and a
POST answering ``saved {id}``. The features, each added to that app alone:

- ``error-view``: a not-found view answering ``GET /nothing`` (against the built-in 404);
- ``tween``, ``subscriber``: a tween that passes the request on, a ``NewRequest`` subscriber;
  each counts its calls, and the count is checked;
- ``session-read``: a signed-cookie session factory and a view reading a value from the
  session cookie the request carries (against the view answering without it);
- ``csrf-post``: ``require_csrf=True`` and a POST carrying its token in ``X-CSRF-Token``
  and the token's cookie (the same request, cookie and header included, to the app without CSRF);
- the ``unused`` rows: an error view for ``ValueError``, a session factory that is never
  read, CSRF options on a GET, each serving ``GET /things/1`` against the plain app; and
  ``nothing (noise)``, a second plain app against the first: what these rows read as when
  nothing differs.

Every answer is checked before anything is timed (status, body, and for CSRF that the same
POST without its token is refused with a 400). Timing is process CPU time
(``time.process_time_ns``: what a busy machine's other work does not add), in batches of
about ``batch_ns``, the two variants of a row interleaved round by round in alternating order;
the table shows the medians of the rounds, the median of the per-round differences and of
the per-round ratios to the app without the feature.
"""

from __future__ import annotations

import gc
import statistics
from collections import Counter
from dataclasses import dataclass
from time import process_time_ns
from typing import Any

from viewpick import Configurator, Request
from viewpick.events import NewRequest
from viewpick.sessions import SignedCookieSessionFactory

from .scenarios import Scenario
from .wsgi import WSGIApp, call, environ_for, time_batch

SECRET = "viewpick bench: a secret for the session and CSRF cookies only"
CALLS: Counter[str] = Counter()  # how often the tween and the subscriber ran


def thing(request: Request) -> str:
    return f"thing {request.matchdict['id']}"


def save(request: Request) -> str:
    return f"saved {request.matchdict['id']}"


def thing_from_session(request: Request) -> str:
    return f"thing {request.matchdict['id']} for {request.session['user']}"


def not_found(request: Request) -> str:
    return f"no thing at {request.path_info}"


def bad_value(request: Request) -> str:
    request.response.status = 400
    return "bad value"


def counting_tween_factory(handler: Any, app: Any) -> Any:
    def counting_tween(request: Request) -> Any:
        CALLS["tween"] += 1
        return handler(request)

    return counting_tween


def count_new_request(event: NewRequest) -> None:
    CALLS["subscriber"] += 1


def session_factory() -> Any:
    return SignedCookieSessionFactory(SECRET)


def app_with(feature: str = "") -> WSGIApp:
    """The plain app, or the plain app with one ``feature`` added."""
    config = Configurator()
    config.add_route("thing", "/things/{id}")
    view = thing_from_session if feature == "session-read" else thing
    config.add_view(view, route_name="thing", request_method="GET", renderer="string")
    config.add_view(save, route_name="thing", request_method="POST", renderer="string")
    if feature == "error-view":
        config.add_notfound_view(not_found, renderer="string")
    elif feature == "error-view-unused":
        config.add_exception_view(bad_value, context=ValueError, renderer="string")
    elif feature == "tween":
        config.add_tween(counting_tween_factory)
    elif feature == "subscriber":
        config.add_subscriber(count_new_request, NewRequest)
    elif feature in ("session-read", "session-unused"):
        config.set_session_factory(session_factory())
    elif feature in ("csrf-post", "csrf-unused"):
        config.set_default_csrf_options(require_csrf=True)
    return config.make_wsgi_app()


def _seeded_cookie_and_token(with_session: bool) -> tuple[str, str]:
    """A ``Cookie`` header as a browser would send it (the session holding ``user``, or the
    CSRF token's own cookie), and the CSRF token."""

    def seed(request: Request) -> str:
        if with_session:
            request.session["user"] = "ann"
        return request.csrf_token

    config = Configurator()
    if with_session:
        config.set_session_factory(session_factory())
    config.add_route("seed", "/seed")
    config.add_view(seed, route_name="seed", renderer="string")
    reply = call(config.make_wsgi_app(), environ_for(_request("GET", "/seed")))
    cookies = [value.split(";", 1)[0] for name, value in reply.headers if name.lower() == "set-cookie"]
    return "; ".join(cookies), reply.body.decode("utf-8")


def _request(method: str, path: str, headers: tuple[tuple[str, str], ...] = ()) -> Scenario:
    return Scenario(f"{method} {path}", ("features", 0), method, path, headers)


@dataclass(frozen=True)
class Row:
    """One feature: its app and request, and what the app without it is asked."""

    name: str
    off: tuple[WSGIApp, dict[str, Any], int, str]  # app, environ, expected status, expected body
    on: tuple[WSGIApp, dict[str, Any], int, str]
    counter: str | None = None  # a CALLS key that must count every call of ``on``
    vary: str | None = None  # a request header the Vary of ``on``'s answer must name


def rows() -> list[Row]:
    plain = app_with()
    get = environ_for(_request("GET", "/things/1"))
    session_cookie, _ = _seeded_cookie_and_token(with_session=True)
    with_session = environ_for(_request("GET", "/things/1", (("Cookie", session_cookie),)))
    csrf_cookie, token = _seeded_cookie_and_token(with_session=False)
    post = environ_for(_request("POST", "/things/1", (("Cookie", csrf_cookie), ("X-CSRF-Token", token))))
    missing = environ_for(_request("GET", "/nothing"))
    return [
        Row("error-view", (plain, missing, 404, ""), (app_with("error-view"), missing, 404, "no thing at /nothing")),
        Row("tween", (plain, get, 200, "thing 1"), (app_with("tween"), get, 200, "thing 1"), "tween"),
        Row("subscriber", (plain, get, 200, "thing 1"), (app_with("subscriber"), get, 200, "thing 1"), "subscriber"),
        Row(
            "session-read",
            (plain, with_session, 200, "thing 1"),
            (app_with("session-read"), with_session, 200, "thing 1 for ann"),
        ),
        Row("csrf-post", (plain, post, 200, "saved 1"), (app_with("csrf-post"), post, 200, "saved 1")),
        Row("error-view-unused", (plain, get, 200, "thing 1"), (app_with("error-view-unused"), get, 200, "thing 1")),
        # A second plain app against the first: what the method reads when nothing differs.
        Row("nothing (noise)", (plain, get, 200, "thing 1"), (app_with(), get, 200, "thing 1")),
        Row(
            "session-unused",
            (plain, get, 200, "thing 1"),
            (app_with("session-unused"), get, 200, "thing 1"),
            vary="Cookie",  # a session factory's promise: the answers of one URL may differ by cookie
        ),
        Row("csrf-unused", (plain, get, 200, "thing 1"), (app_with("csrf-unused"), get, 200, "thing 1")),
    ]


def problems(row: Row) -> list[str]:
    """What is wrong with the row's answers; empty when both are right."""
    found = []
    for side, (app, environ, status, body) in (("off", row.off), ("on", row.on)):
        before = CALLS[row.counter] if row.counter else 0
        reply = call(app, environ)
        expected_body = body.encode("utf-8")
        if reply.status != status or (body and reply.body != expected_body):
            found.append(f"features {row.name} {side}: {reply.status} {reply.body[:80]!r}, expected {status} {body!r}")
        if reply.header("Set-Cookie") is not None:
            found.append(f"features {row.name} {side}: an unexpected Set-Cookie {reply.header('Set-Cookie')!r}")
        named = [name.strip() for name in (reply.header("Vary") or "").split(",")]
        if row.vary and side == "on" and row.vary not in named:
            found.append(f"features {row.name}: Vary {reply.header('Vary')!r} does not name {row.vary}")
        if row.counter and side == "on" and CALLS[row.counter] != before + 1:
            found.append(f"features {row.name}: the {row.counter} did not run")
    if row.name == "csrf-post":
        without_token = dict(row.on[1])
        del without_token["HTTP_X_CSRF_TOKEN"]
        refused = call(row.on[0], without_token)
        if refused.status != 400:
            found.append(f"features csrf-post: a POST without its token got {refused.status}, expected 400")
    return found


def run(repeats: int, batch_ns: float) -> tuple[list[str], list[str]]:
    """The report's lines, and what was wrong (empty when every answer was right)."""
    found = rows()
    wrong = [problem for row in found for problem in problems(row)]
    lines = [
        "viewpick's features, process CPU us per request: median of interleaved rounds"
        + ("  [--quick: 2 calls each, not a measurement]" if not batch_ns else ""),
        "(cost: median per-round difference; ratio: median per-round ratio to the app without the feature)",
        f"{'feature':<18} {'without':>8} {'with':>8} {'cost':>7} {'ratio':>7}",
    ]
    gc.collect()
    gc.freeze()
    try:
        for row in found:
            if any(problem.startswith(f"features {row.name}") for problem in wrong):
                continue
            off: list[float] = []
            on: list[float] = []
            for repeat in range(repeats):
                order = [(row.off, off), (row.on, on)]
                for (app, environ, _, _), into in order if repeat % 2 == 0 else reversed(order):
                    into.append(time_batch(app, environ, batch_ns, process_time_ns))
            cost = statistics.median(b - a for a, b in zip(off, on, strict=True))
            ratio = statistics.median(b / a for a, b in zip(off, on, strict=True))
            lines.append(
                f"{row.name:<18} {statistics.median(off):>8.2f} {statistics.median(on):>8.2f} "
                f"{cost:>+7.2f} {ratio:>6.2f}x"
            )
    finally:
        gc.unfreeze()
    return lines, wrong
