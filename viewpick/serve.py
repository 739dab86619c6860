"""``viewpick serve``: an app factory under waitress, in the foreground, with an access log.

It binds the socket first, so a taken port is a one-line error and exit status 1, then says
the URL it listens on (on stdout, once bound). Each request is logged on ``viewpick.access``;
SIGTERM or Ctrl-C stop it with exit status 0, so it runs as it is under systemd or any
process manager.

With ``--reload`` the command becomes hupper's monitor and serves from a worker process,
restarted when an imported project module or a template changes. The monitor binds the
socket and every worker inherits it, so ``--port 0`` keeps its port across restarts, and a
request made while a worker restarts waits instead of being refused. Templates watched:
``*.mako`` and the other template extensions its views render (``*.jinja2``) below the
factory's package directory (for a top-level module: beside it and under its ``templates/``),
and every file under the ``mako.directories`` and ``jinja2.directories`` settings. Static files and
templates are read from disk on each request anyway (``--reload`` turns on template reloading),
so the restart for a template is only a safety net; static files cause none. While the factory
cannot be loaded (a syntax error, a failed import, a factory that raises), the worker answers
every request at once with a 500 page stating the error, until a file it passed through changes.

waitress is given its limits deliberately (:class:`Limits`): many connections, since a
client sending its headers a byte at a time holds one for as long as it likes; idle
connections closed after 30 s; headers up to 64 KiB; and bodies no larger than the app's
``max_body_bytes``, refused by waitress before they are sent rather than spooled to disk
first. Behind a buffering reverse proxy (see the README's deployment section) the proxy
absorbs slow clients instead.
"""

from __future__ import annotations

import html
import logging
import os
import select
import signal
import socket
import string
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from types import FrameType
from typing import Any

import hupper
from waitress.server import create_server

from .body import DEFAULT_MAX_BODY_BYTES
from .cli import CommandError, WSGIApp, make_app
from .packages import package_directory
from .renderers import renderer_key
from .settings import as_list

log = logging.getLogger("viewpick.serve")
access_log = logging.getLogger("viewpick.access")

# Printable ASCII stays as it is in the access log; anything else is percent-encoded,
# so a request cannot write control characters or fake lines into the log.
_LOG_SAFE = frozenset((string.ascii_letters + string.digits + string.punctuation).encode())


def configure_logging() -> None:
    """INFO and above to stderr, with a timestamp: access lines, and the app's own errors."""
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s [%(name)s] %(message)s"
    )


class AccessLog:
    """WSGI middleware logging ``GET /films?q=x 200 1234B 3.1ms`` per request, once the server
    closes the response body, so streamed bodies are counted whole and timed to the end."""

    def __init__(self, app: WSGIApp, logger: logging.Logger = access_log) -> None:
        self.app = app
        self.logger = logger

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        entry = _Entry(self.logger, environ)

        def logging_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            entry.status = status.split(" ", 1)[0]
            write = start_response(status, headers, exc_info)

            def counting_write(data: bytes) -> None:
                entry.sent += len(data)
                write(data)

            return counting_write

        try:
            body = self.app(environ, logging_start_response)
        except BaseException:
            entry.status = "500"  # what the server answers for an app that raises
            entry.done()
            raise
        return _LoggedBody(body, entry)


class _Entry:
    """One request's access line: what the request says, then what the response sent."""

    def __init__(self, logger: logging.Logger, environ: Mapping[str, Any]) -> None:
        self.logger = logger
        self.started = time.perf_counter()
        self.method = environ.get("REQUEST_METHOD", "-")
        path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("latin-1")
        query = environ.get("QUERY_STRING", "")
        self.target = _quote(path) + ("?" + _quote(query.encode("latin-1")) if query else "")
        self.status = "-"
        self.sent = 0

    def done(self) -> None:
        ms = (time.perf_counter() - self.started) * 1000
        self.logger.info("%s %s %s %dB %.1fms", self.method, self.target, self.status, self.sent, ms)


def _quote(raw: bytes) -> str:
    return "".join(chr(b) if b in _LOG_SAFE else f"%{b:02X}" for b in raw)


class _LoggedBody:
    """The app's response body, counted as the server sends it; closing it writes the line."""

    def __init__(self, body: Iterable[bytes], entry: _Entry) -> None:
        self.body = body
        self.entry = entry

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.entry.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.entry.done()


@dataclass(frozen=True)
class Limits:
    """What ``viewpick serve`` tells waitress; the first three are command-line options.

    - ``threads``: requests handled at once (waitress's default, 4); more requests wait.
    - ``connection_limit``: open connections (waitress's default is 100). Reading a request
      costs no thread, only a socket and a small buffer, so the limit is high: 100 clients
      trickling headers would otherwise lock everyone else out.
    - ``channel_timeout``: seconds a connection may sit idle (waitress's default is 120).
    - ``max_request_header_size``: 64 KiB of request line and headers (waitress: 256 KiB;
      browsers send a few KiB, nginx's default limit is 32 KiB).
    """

    threads: int = 4
    connection_limit: int = 1000
    channel_timeout: int = 30
    max_request_header_size: int = 64 * 1024

    def waitress_options(self, app: WSGIApp, settings: Mapping[str, str]) -> dict[str, Any]:
        """The keyword arguments for ``waitress.create_server``, the body limit the app's own."""
        return {
            **asdict(self),
            # waitress looks for timed-out connections this often (by default every 30 s).
            "cleanup_interval": max(1, min(30, self.channel_timeout // 2)),
            # select() takes no file descriptor past 1024; poll() has no such limit.
            "asyncore_use_poll": hasattr(select, "poll"),
            "max_request_body_size": body_limit(app, settings),
        }


def allow_open_files(limits: Limits) -> None:
    """Raise the soft limit on open files, if it is lower, to what ``connection_limit`` needs
    (often 1024 by default): past it, waitress could accept no connection at all."""
    try:
        import resource
    except ImportError:  # pragma: no cover (Windows has no such limit)
        return
    needed = limits.connection_limit + 100  # the listening socket, log files, the app's own
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        raised = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
        if raised < needed:
            log.warning(
                "only %d files may be open (ulimit -n): fewer connections than --connection-limit %d",
                raised,
                limits.connection_limit,
            )


def body_limit(app: WSGIApp, settings: Mapping[str, str]) -> int:
    """The largest request body the app takes: a viewpick app's ``max_body_bytes``; for other
    apps the setting of that name, else viewpick's default."""
    limit = getattr(app, "max_body_bytes", None)
    if isinstance(limit, int):
        return limit
    value = str(settings.get("max_body_bytes", "")).strip()
    return int(value) if value.isdigit() else DEFAULT_MAX_BODY_BYTES


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` and listening; CommandError saying why it cannot be."""
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        return socket.create_server(address, family=family)
    except socket.gaierror as exc:
        raise CommandError(f"cannot listen on {shown}: {str(exc.strerror or exc).lower()}") from None
    except OSError as exc:  # not exc.strerror: create_server() adds "(while attempting to bind ...)"
        raise CommandError(
            f"cannot listen on {shown}: {(os.strerror(exc.errno) if exc.errno else str(exc)).lower()}"
        ) from None


def url_of(sock: socket.socket) -> str:
    """``http://127.0.0.1:8080/``: where a listening socket can be reached."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(
    spec: str,
    settings: Mapping[str, str],
    host: str = "127.0.0.1",
    port: int = 8080,
    reload: bool = False,
    limits: Limits = Limits(),  # frozen, so one shared default is safe
) -> int:
    """Serve the app factory ``spec`` until SIGTERM or SIGINT; the exit status.

    ``reload`` runs it under hupper (this call then exits the process when the monitor
    stops) and defaults ``reload_templates``, ``debug`` and ``mako.strict_undefined`` to true.
    """
    configure_logging()
    sock = listen(host, port)
    if not reload:
        with sock:
            return run_app(spec, make_app(spec, settings), sock, limits, settings)
    settings = {"reload_templates": "true", "debug": "true", "mako.strict_undefined": "true", **settings}
    os.set_inheritable(sock.fileno(), True)
    hupper.start_reloader(
        "viewpick.serve.reload_worker",
        worker_kwargs={"spec": spec, "settings": settings, "fd": sock.fileno(), "limits": asdict(limits)},
        shutdown_interval=5,  # as long as waitress waits for requests in progress
        logger=logging.getLogger("viewpick.reload"),
    )  # runs the monitor until it stops, then exits the process
    return 0  # pragma: no cover (not reached)


def reload_worker(spec: str, settings: Mapping[str, str], fd: int, limits: Mapping[str, int]) -> None:
    """What a hupper worker process runs: serve on the monitor's socket, and tell the monitor
    which files to watch besides the imported modules."""
    configure_logging()
    sock = socket.socket(fileno=fd)
    reloader = hupper.get_reloader()
    try:
        app = make_app(spec, settings)
    except CommandError as exc:
        print(f"viewpick: {exc}", file=sys.stderr, flush=True)
        # A module that failed to import is not in sys.modules, where hupper looks: watch the
        # files the error passed through, so fixing it starts a new worker.
        reloader.watch_files(files_of(exc.__context__))
        # Templates are compiled when the app is built: a template that does not compile (or a
        # missing one) stops the factory too, and fixing it must start a new worker.
        if spec.partition(":")[0] in sys.modules:
            reloader.watch_files(watched_templates(spec, None, settings))
        # Answer at once, saying why, rather than leave requests waiting on the socket for a fix.
        sys.exit(run_app(spec, FailedApp(exc), sock, Limits(**limits), settings, failed=True))
    reloader.watch_files(watched_templates(spec, app, settings))
    sys.exit(run_app(spec, app, sock, Limits(**limits), settings))


class FailedApp:
    """The WSGI app a reloading worker serves while the factory cannot be loaded: a 500 page with
    the error and its traceback, HTML-escaped, to every request."""

    def __init__(self, error: CommandError) -> None:
        cause = error.__context__
        trace = "".join(traceback.format_exception(type(cause), cause, cause.__traceback__)) if cause else ""
        self.body = (
            "<!DOCTYPE html>\n<html><head><title>500 The application failed to load</title></head><body>\n"
            f"<h1>The application failed to load</h1>\n<p>{html.escape(str(error))}</p>\n"
            f"<pre>{html.escape(trace)}</pre>\n"
            "<p>The server restarts when you change the file at fault.</p>\n</body></html>\n"
        ).encode()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(
            "500 Internal Server Error",
            [
                ("Content-Type", "text/html; charset=UTF-8"),
                ("Content-Length", str(len(self.body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [self.body]


def files_of(exc: BaseException | None) -> list[str]:
    """The source files an exception's traceback passes through (and a SyntaxError's file)."""
    if exc is None:
        return []
    names = [frame.filename for frame in traceback.extract_tb(exc.__traceback__)]
    if isinstance(exc, SyntaxError) and exc.filename:
        names.append(exc.filename)
    return [name for name in dict.fromkeys(names) if os.path.isfile(name)]


def run_app(
    spec: str,
    app: WSGIApp,
    sock: socket.socket,
    limits: Limits = Limits(),  # frozen, so one shared default is safe
    settings: Mapping[str, str] | None = None,
    failed: bool = False,
) -> int:
    """Serve ``app`` on ``sock`` with waitress until SIGTERM or SIGINT; 0 once stopped.
    ``failed``: ``app`` is the error page of a factory that could not be loaded."""
    options = limits.waitress_options(app, settings or {})
    allow_open_files(limits)
    server = create_server(AccessLog(app), sockets=[sock], **options)
    if failed:
        print(
            f"viewpick: {spec} failed to load; {url_of(sock)} answers with the error until a file changes", flush=True
        )
    else:
        print(f"viewpick: serving {spec} on {url_of(sock)}", flush=True)
    stopped_by: list[str] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped_by.append(signal.Signals(signum).name)
        for name in (signal.SIGTERM, signal.SIGINT):  # a second signal stops at once
            signal.signal(name, signal.SIG_DFL)
        raise SystemExit  # waitress's run() stops its loop and its threads on SystemExit

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.run()
    server.close()
    log.info("stopped (%s)", stopped_by[0] if stopped_by else "the server loop ended")
    return 0


# What is watched when there is no app to ask (its factory failed).
TEMPLATE_EXTENSIONS = (".mako", ".jinja2", ".j2")


def template_extensions(app: Any) -> list[str]:
    """``.mako``, and the other template extensions the app's views render (``.jinja2``, ...);
    without an app, the extensions of the template engines viewpick comes with."""
    if app is None:
        return list(TEMPLATE_EXTENSIONS)
    found = {
        renderer_key(view.renderer_name)
        for route_dispatch in getattr(app, "dispatch", {}).values()
        for view in route_dispatch.views
        if view.renderer_name is not None
    }
    return [".mako", *sorted(key for key in found if key.startswith(".") and key != ".mako")]


def watched_templates(spec: str, app: Any, settings: Mapping[str, str]) -> list[str]:
    """Glob patterns for the templates a worker restart should follow."""
    module = spec.partition(":")[0]
    directory = package_directory(module)
    is_package = "." in module or os.path.basename(sys.modules[module].__file__ or "") == "__init__.py"
    patterns = []
    for extension in template_extensions(app):
        if is_package:
            patterns.append(os.path.join(directory, "**", f"*{extension}"))
        else:  # a top-level module beside other things (a virtualenv, say): not its whole directory
            patterns += [
                os.path.join(directory, f"*{extension}"),
                os.path.join(directory, "templates", "**", f"*{extension}"),
            ]
    app_settings = getattr(app, "settings", settings)
    for setting in ("mako.directories", "jinja2.directories"):
        patterns += [os.path.join(os.path.abspath(d), "**", "*") for d in as_list(app_settings.get(setting))]
    return patterns
