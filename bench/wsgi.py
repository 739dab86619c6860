"""Calling a WSGI application directly, the way a server would, minus the socket.

Every call gets a fresh copy of a prepared environ (applications store things in it) and
its own ``wsgi.input``; the body iterable is consumed and closed, as PEP 3333 asks.

The environ is what real servers give: gunicorn, waitress and bjoern all set
``wsgi.input_terminated`` (the input ends at the end of the body, so a body of unknown length
can be read to its end), and ``wsgi.input`` is a buffered reader over a raw stream, as
``socket.makefile("rb")`` is, not a ``BytesIO``. A framework that pays for either pays for
it here as it would under a server.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable
from io import BufferedReader, BytesIO
from time import perf_counter_ns
from typing import Any

from .scenarios import Reply, Scenario

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def environ_for(scenario: Scenario) -> dict[str, Any]:
    """The CGI-style environ a server would build for the scenario's request (without wsgi.input)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scenario.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": scenario.path,
        "QUERY_STRING": scenario.query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
    }
    if scenario.method in ("POST", "PUT", "PATCH"):
        environ["CONTENT_LENGTH"] = "0"
    for name, value in scenario.headers:
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def server_input() -> BufferedReader:
    """A fresh ``wsgi.input`` for a request without a body, shaped like a socket's reader."""
    return BufferedReader(BytesIO(b""))


def call(app: WSGIApp, environ: dict[str, Any]) -> Reply:
    """One request; the status, headers and body the application answered."""
    started: list[Any] = []
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        started[:] = [status, headers]
        return chunks.append

    env = dict(environ)
    env["wsgi.input"] = server_input()
    result = app(env, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    return Reply(int(status.split(" ", 1)[0]), tuple(headers), b"".join(chunks))


def _ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
    return _ignore_write


def _ignore_write(data: bytes) -> None:
    pass


def time_calls(app: WSGIApp, environ: dict[str, Any], number: int, clock: Callable[[], int] = perf_counter_ns) -> int:
    """Nanoseconds ``number`` requests take by ``clock`` (wall time; ``process_time_ns`` for the
    process's CPU time), with the same per-call work as :func:`call`."""
    start = clock()
    for _ in range(number):
        env = dict(environ)
        env["wsgi.input"] = server_input()
        result = app(env, _ignore_start)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return clock() - start


def time_batch(
    app: WSGIApp, environ: dict[str, Any], batch_ns: float, clock: Callable[[], int] = perf_counter_ns
) -> float:
    """Microseconds per request over one batch of about ``batch_ns`` by ``clock`` (2 calls when
    it is 0), after a full collection, so no batch inherits another's garbage."""
    number = 2
    gc.collect()
    elapsed = time_calls(app, environ, number, clock)
    while elapsed < batch_ns:
        # Aim a little past the target, so a second try is rare.
        number = max(number * 2, int(number * batch_ns * 1.1 / max(elapsed, 1)))
        gc.collect()
        elapsed = time_calls(app, environ, number, clock)
    return elapsed / number / 1000
