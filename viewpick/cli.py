"""The ``viewpick`` command: one argparse subcommand per job, and loading the app factory they share.

An app factory is named ``MODULE:FACTORY`` (``demo.films:main``): a callable taking the
settings dict (str to str) as its one positional argument and returning a WSGI app. Each
subcommand is registered by a small ``_add_<name>(subparsers)`` function.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from .exceptions import ConfigurationError, Source, did_you_mean

if TYPE_CHECKING:
    from .app import Application

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


class CommandError(Exception):
    """A failure the command reports as one line on stderr (``viewpick: ...``), exiting with 1."""


def where(exc: BaseException) -> str:
    """`` (file:line)`` of the innermost frame an exception passed through, outside importlib."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f" ({Source(exc.filename, exc.lineno or 0)})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<frozen importlib")]
    return f" ({Source(frames[-1].filename, frames[-1].lineno or 0)})" if frames else ""


def describe(exc: BaseException) -> str:
    """``NameError: name 'x' is not defined`` on one line."""
    message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    return f"{type(exc).__name__}: {' '.join(message.split())}"


def load_factory(spec: str) -> Callable[..., Any]:
    """The callable ``MODULE:FACTORY`` names, imported with the working directory on sys.path
    (as gunicorn does), so a project runs from its root without being installed."""
    module_name, colon, attribute = spec.partition(":")
    if not colon or not module_name or not attribute:
        raise CommandError(f"{spec!r} is not MODULE:FACTORY; name the app factory like demo.films:main")
    if attribute.endswith(")"):
        name = attribute.partition("(")[0]
        raise CommandError(f"write {module_name}:{name} without parentheses; viewpick calls it with the settings")
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        missing = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
        if missing and (module_name == missing or module_name.startswith(missing + ".")):
            raise CommandError(
                f"no module named {missing!r} (looked in {cwd} and sys.path); run from the project's directory or install it"
            ) from None
        # The module's own error, or a module it imports that is missing.
        raise CommandError(f"importing {module_name} failed: {describe(exc)}{where(exc)}") from None
    target: Any = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            names = [name for name in dir(target) if not name.startswith("_")]
            suggestion = did_you_mean(part, names)
            raise CommandError(f"{module_name} ({module.__file__}) has no attribute {attribute!r}{suggestion}")
        target = getattr(target, part)
    if not callable(target):
        kind = type(target).__name__
        raise CommandError(f"{spec} is a {kind}, not a function that takes the settings and returns a WSGI app")
    factory: Callable[..., Any] = target
    return factory


def make_app(spec: str, settings: Mapping[str, str]) -> WSGIApp:
    """Load the factory ``spec`` names and call it with ``settings``; the WSGI app it returns."""
    factory = load_factory(spec)
    try:
        inspect.signature(factory).bind(dict(settings))
    except TypeError:
        raise CommandError(
            f"{spec} must take the settings dict as its one positional argument: def main(settings=None)"
        ) from None
    except ValueError:  # no signature to inspect (some builtins): just call it
        pass
    try:
        app = factory(dict(settings))
    except ConfigurationError as exc:  # its message already names the declaration's file and line
        raise CommandError(f"{spec} failed: {describe(exc)}") from None
    except Exception as exc:
        raise CommandError(f"{spec} failed: {describe(exc)}{where(exc)}") from None
    if not callable(app):
        raise CommandError(f"{spec} returned {type(app).__name__}, not a WSGI app; return config.make_wsgi_app()")
    wsgi_app: WSGIApp = app
    return wsgi_app


def setting(text: str) -> tuple[str, str]:
    """``('key', 'value')`` from ``key=value``; values stay strings."""
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not key=value")
    return key.strip(), value


def port(text: str) -> int:
    """A TCP port number, 0 (any free port) to 65535."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535; 0 picks a free one)")
    return number


def _add_serve(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve an app factory with waitress",
        description="Serve MODULE:FACTORY with waitress in the foreground until SIGTERM or Ctrl-C.",
    )
    parser.add_argument("factory", metavar="MODULE:FACTORY", help="the app factory, e.g. demo.films:main")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=port, default=8080, help="port to listen on (default 8080; 0 picks a free one)")
    parser.add_argument(
        "--reload",
        action="store_true",
        help="restart when a Python file or template changes; reload templates (sets reload_templates and debug)",
    )
    parser.add_argument(
        "--setting",
        metavar="KEY=VALUE",
        type=setting,
        action="append",
        default=[],
        help="a setting for the factory (repeatable; values are strings; max_body_bytes also limits waitress)",
    )
    parser.add_argument("--threads", type=positive, default=4, help="requests handled at once (default 4)")
    parser.add_argument(
        "--connection-limit",
        type=positive,
        default=1000,
        help="open connections at most, slow clients included (default 1000)",
    )
    parser.add_argument(
        "--channel-timeout", type=positive, default=30, help="seconds before an idle connection is closed (default 30)"
    )
    parser.set_defaults(run=_serve)


def positive(text: str) -> int:
    """A whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _serve(args: argparse.Namespace) -> int:
    from .serve import Limits, serve  # here, not at the top: serve.py imports this module

    limits = Limits(threads=args.threads, connection_limit=args.connection_limit, channel_timeout=args.channel_timeout)
    return serve(args.factory, dict(args.setting), host=args.host, port=args.port, reload=args.reload, limits=limits)


def header(text: str) -> tuple[str, str]:
    """``('Accept', 'text/html')`` from ``Accept: text/html``."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip() or " " in name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not a header like 'Accept: text/html'")
    return name.strip(), value.strip()


def _inspected_app(spec: str, settings: Mapping[str, str]) -> Application:
    """The viewpick application a factory builds, for the commands that look inside it."""
    from .app import Application

    app = make_app(spec, settings)
    if not isinstance(app, Application):
        raise CommandError(
            f"{spec} returned {type(app).__name__}, not a viewpick application; "
            "routes, views and explain need the app config.make_wsgi_app() returns, without middleware around it"
        )
    return app


def _add_inspection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("factory", metavar="MODULE:FACTORY", help="the app factory, e.g. demo.films:main")
    parser.add_argument(
        "--setting", metavar="KEY=VALUE", type=setting, action="append", default=[], help="a setting for the factory"
    )
    parser.add_argument("--json", action="store_true", help="print JSON for tools instead of text")


def _print(args: argparse.Namespace, document: Any, text: str) -> None:
    print(json.dumps(document, indent=2) if args.json else text, end="\n" if args.json else "")


def _add_routes(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "routes",
        help="list every route and its views",
        description="List every route in match order, and each route's views in the order the dispatcher ranks them.",
    )
    _add_inspection(parser)
    parser.set_defaults(run=_routes)


def _routes(args: argparse.Namespace) -> int:
    from .explain import format_route, routes_summary

    summary = routes_summary(_inspected_app(args.factory, dict(args.setting)))
    _print(args, summary, "\n".join(format_route(entry) for entry in summary))
    return 0


def _add_views(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "views",
        help="show the route a path matches and its candidate views",
        description="Show the route PATH matches and its views, in the order the dispatcher ranks them.",
    )
    _add_inspection(parser)
    parser.add_argument("path", metavar="PATH", help="a URL path, e.g. /films/3")
    parser.set_defaults(run=_views)


def _views(args: argparse.Namespace) -> int:
    from .explain import format_route, path_summary

    summary = path_summary(_inspected_app(args.factory, dict(args.setting)), args.path)
    if summary is None:
        _print(args, None, f"{args.path}: no route matches\n")
        return 1
    _print(args, summary, format_route(summary))
    return 0


def _add_tweens(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tweens",
        help="list the tweens around the application, outermost first",
        description="List the tweens every request passes through, from the server (INGRESS) to the "
        "application's own handling (MAIN), each with the add_tween call that added it.",
    )
    _add_inspection(parser)
    parser.set_defaults(run=_tweens)


def _tweens(args: argparse.Namespace) -> int:
    app = _inspected_app(args.factory, dict(args.setting))
    chain = [{"name": tween.name, "source": str(tween.source)} for tween in app.tweens]
    lines = ["INGRESS", *(f"  {tween['name']}  ({tween['source']})" for tween in chain), "MAIN"]
    _print(args, chain, "\n".join(lines) + "\n")
    return 0


def _add_explain(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="say which view a request reaches, or why it gets an error status",
        description=(
            "Build a request, run it through the app's own dispatcher, and print each candidate view with "
            "each predicate's verdict. Exit status 0 when a view is chosen, 1 when the answer is an error "
            "(a view's CSRF check refusing the request included)."
        ),
    )
    _add_inspection(parser)
    parser.add_argument("method", metavar="METHOD", help="GET, POST, ...")
    parser.add_argument("path", metavar="PATH", help="a URL path, e.g. /films/3")
    parser.add_argument(
        "-H", "--header", type=header, action="append", default=[], help="a request header, 'Name: value'"
    )
    parser.add_argument("--xhr", action="store_true", help="send X-Requested-With: XMLHttpRequest")
    parser.add_argument("--param", type=setting, action="append", default=[], metavar="K=V", help="a query parameter")
    parser.add_argument("--user", help="the identity the security policy sees as request.identity")
    parser.set_defaults(run=_explain)


def _explain(args: argparse.Namespace) -> int:
    from .explain import build_request, explain

    app = _inspected_app(args.factory, dict(args.setting))
    request = build_request(
        args.method, args.path, args.header, args.param, xhr=args.xhr, user=args.user, request_class=app.request_class
    )
    explanation = explain(app, request)
    _print(args, explanation.as_dict(), explanation.as_text())
    return 0 if explanation.chosen and explanation.status < 400 else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``viewpick`` command; the exit status (2 for usage errors, from argparse)."""
    parser = argparse.ArgumentParser(prog="viewpick", description="Run and inspect viewpick applications.")
    parser.add_argument("--version", action="version", version="viewpick " + version("viewpick"))
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    _add_serve(subparsers)
    _add_routes(subparsers)
    _add_views(subparsers)
    _add_tweens(subparsers)
    _add_explain(subparsers)
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except CommandError as exc:
        print(f"viewpick: {exc}", file=sys.stderr, flush=True)
        return 1
    except BrokenPipeError:  # the reader went away (``viewpick routes ... | head``)
        sys.stderr.close()
        return 1
    return status
