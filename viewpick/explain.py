"""Why a request reached the view it did, or got the status it got.

The decision itself is never recomputed here: :meth:`Application.decide` makes it, exactly
as for a live request, and leaves a :class:`~viewpick.dispatch.Trace` of the views the
dispatcher tried, in the order it tried them; for a refused request, the error views are
chosen by the same code the application answers with, into the same trace. This module
only describes the trace, asking each predicate of each candidate view for its verdict and
for what it read from the request. ``viewpick explain``, ``viewpick views`` and the
``debug_dispatch`` error pages all print this.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .dispatch import Answer, Trace
from .errors import reason_phrase
from .negotiation import ANY
from .overlap import method_list, shadowings
from .request import Request

if TYPE_CHECKING:
    from .app import Application
    from .dispatch import MethodDispatch, Step
    from .views import View


@dataclass(frozen=True)
class Verdict:
    """One predicate of one view, asked about the request."""

    kind: str
    test: str
    passed: bool
    seen: str


@dataclass(frozen=True)
class Candidate:
    """A view of the matched route and what became of it."""

    view: str
    source: str
    renderer: str | None
    outcome: str
    verdicts: tuple[Verdict, ...]
    media: str | None = None
    #: The engine of the view's renderer and where it came from (``'Jinja2 (plugin: viewpick 0.1.0)'``).
    engine: str | None = None
    #: For an error view, the exception class it answers.
    context: str | None = None


@dataclass(frozen=True)
class SkippedRoute:
    """A route that fits the path but serves no view for the request's method, so the
    dispatcher passed it over (recorded by :func:`viewpick.overlap.not_served`)."""

    route: str
    pattern: str
    source: str | None
    serves: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """The request, the route it matched, every candidate view, and the decision."""

    method: str
    path: str
    route: str | None
    pattern: str | None
    matchdict: Mapping[str, Any]
    view: str | None
    status: int
    reason: str
    vary: str | None
    candidates: tuple[Candidate, ...]
    skipped: tuple[SkippedRoute, ...] = ()
    #: For a refused request, the error view that answers it (None: the built-in answer).
    error_view: str | None = None
    #: The error views tried, in the order the dispatcher tried them.
    error_candidates: tuple[Candidate, ...] = ()
    #: The chosen view's CSRF check: ``'pass (why)'`` or ``'FAIL (why)'``; None when it has none.
    csrf: str | None = None

    @property
    def chosen(self) -> bool:
        return self.view is not None

    def as_dict(self) -> dict[str, Any]:
        document = asdict(self)
        document["matchdict"] = {
            key: list(value) if isinstance(value, tuple) else value for key, value in self.matchdict.items()
        }
        return document

    def as_text(self) -> str:
        lines = [f"{self.method} {self.path}"]
        if self.skipped:
            lines.append(f"routes that fit the path but serve no view for {self.method}, passed over:")
            for skipped in self.skipped:
                where = f", {skipped.source}" if skipped.source else ""
                lines.append(f"  {skipped.route} ({skipped.pattern}{where}): serves {', '.join(skipped.serves)}")
        if self.route is None:
            lines.append("route: none matched")
        else:
            found = f"  matchdict {dict(self.matchdict)}" if self.matchdict else ""
            lines.append(f"route: {self.route} ({self.pattern}){found}")
            lines.append("views, in the order the dispatcher tried them:" if self.candidates else "views: none")
        lines.extend(_candidate_lines(self.candidates))
        if self.view is not None:
            lines.append(f"decision: view {self.view}")
            if self.csrf:
                lines.append(f"csrf: {self.csrf}")
            if self.status != 200:
                lines.append(f"status: {self.status} {reason_phrase(self.status)}: {self.reason}")
        else:
            lines.append(f"decision: {self.status} {reason_phrase(self.status)}: {self.reason}")
        if self.error_candidates:
            lines.append("error views, in the order the dispatcher tried them:")
            lines.extend(_candidate_lines(self.error_candidates))
            lines.append(f"error view: {self.error_view or f'none takes it; the built-in {self.status} answers'}")
        lines.append(f"Vary: {self.vary}" if self.vary else "Vary: (none)")
        return "\n".join(lines) + "\n"


def _candidate_lines(candidates: Iterable[Candidate]) -> list[str]:
    lines = []
    for number, candidate in enumerate(candidates, 1):
        renderer = f"  renderer={candidate.renderer} [{candidate.engine}]" if candidate.renderer else ""
        context = f" for {candidate.context}" if candidate.context else ""
        lines.append(f"  {number}. {candidate.view}{context} ({candidate.source}){renderer}: {candidate.outcome}")
        width = max((len(v.test) for v in candidate.verdicts), default=0)
        for verdict in candidate.verdicts:
            mark = "pass" if verdict.passed else "FAIL"
            lines.append(f"       {mark} {verdict.test:<{width}}  ({verdict.seen})")
        if candidate.media:
            lines.append(f"            {candidate.media}")
    return lines


def explain(app: Application, request: Request) -> Explanation:
    """Decide ``request`` as the application would, and say why."""
    return describe(app, request, *decide(app, request))


def decide(app: Application, request: Request) -> tuple[View | Answer, Trace]:
    """The application's decision for ``request`` and the trace of what it tried: the route's
    views, then, for a refusal, the error views (without calling any view)."""
    request.app = app
    trace = Trace()
    try:
        decided = app.decide(request, trace)
    except Exception as exc:  # the app logs this and answers 500
        decided = Answer(500, f"Choosing a view raised {type(exc).__name__}: {exc}")
    error: BaseException | None = None
    if app.error_dispatch is not None:
        if isinstance(decided, Answer):
            error = app.refusal_error(decided)
        elif decided.csrf is not None:  # the view's CSRF check may refuse it before it runs
            error = decided.csrf.verdict(request)[0]
    if error is not None:
        # If a predicate raises, the app logs it and answers 500; the trace and verdicts show where.
        with contextlib.suppress(Exception):
            app.choose_error_view(request, error, trace)
    return decided, trace


def describe(app: Application, request: Request, decided: View | Answer, trace: Trace) -> Explanation:
    """Describe a decision :meth:`Application.decide` already made for ``request``, from the
    ``trace`` it left."""
    route = request.matched_route
    candidates: list[Candidate] = []
    # What the finishing step names on every answer of the route (viewpick.finish).
    vary = app.finisher_for(request).vary_header or None
    route_steps = [step for step in trace if step.context is None]
    error_steps = [step for step in trace if step.context is not None]
    if route is not None:
        route_dispatch = app.dispatch[route.name]
        method_dispatch = route_dispatch.by_method.get(request.method)
        # The views the dispatcher tried, in its order; then the method's views it skipped (the
        # Accept header or a parameter ruled them out); then the views of other methods.
        tried = route_steps[0].tried if route_steps else ()
        skipped = [view for view in (method_dispatch.views if method_dispatch else ()) if view not in tried]
        shown = [*tried, *skipped]
        others = [view for view in route_dispatch.views if view not in shown]
        for view in (*shown, *others):
            candidates.append(_candidate(app, view, request, decided, method_dispatch))
    if isinstance(decided, Answer):
        status, reason, chosen = decided.status, decided.detail, None
    else:
        status, reason, chosen = 200, "", decided.describe()
    csrf = None
    if not isinstance(decided, Answer) and decided.csrf is not None:
        refusal, why = decided.csrf.verdict(request)
        csrf = f"{'FAIL' if refusal else 'pass'} ({why})"
        if refusal is not None:
            status = getattr(refusal, "code", 500)
            reason = "the view's CSRF check refuses the request before the view runs"
    error_candidates: list[Candidate] = []
    error_view = None
    for step in error_steps:
        skipped = [view for view in step.dispatch.views if view not in step.tried]  # Accept ruled them out
        for view in (*step.tried, *skipped):
            error_candidates.append(_error_candidate(app, view, request, step))
        if not isinstance(step.outcome, Answer):
            error_view = step.outcome.describe()
    return Explanation(
        method=request.method,
        path=request.path_info,
        route=route.name if route is not None else None,
        pattern=route.pattern if route is not None else None,
        matchdict=dict(request.matchdict) if route is not None else {},
        view=chosen,
        status=status,
        reason=reason,
        vary=vary,
        candidates=tuple(candidates),
        skipped=tuple(
            SkippedRoute(
                skipped.name,
                skipped.pattern,
                str(skipped.source) if skipped.source else None,
                method_list(app.dispatch[skipped.name].methods),
            )
            for skipped in request.skipped_routes
        ),
        error_view=error_view,
        error_candidates=tuple(error_candidates),
        csrf=csrf,
    )


def _error_candidate(app: Application, view: View, request: Request, step: Step) -> Candidate:
    verdicts = tuple(_verdict(kind, predicate, request) for kind, predicate in view.predicates)
    if view is step.outcome:
        outcome = "chosen"
    elif all(verdict.passed for verdict in verdicts):
        outcome = "passed, but another view came first"
    else:
        outcome = "failed"
    context = step.context
    name = f"{context.__module__}.{context.__qualname__}" if context is not None else None
    engine = app.renderers.engine_for(view.renderer_name) if view.renderer_name is not None else None
    return Candidate(view.name, str(view.source), view.renderer_name, outcome, verdicts, None, engine, name)


def _candidate(
    app: Application, view: View, request: Request, decided: View | Answer, method_dispatch: MethodDispatch | None
) -> Candidate:
    verdicts = [_verdict(kind, predicate, request) for kind, predicate in view.predicates]
    if request.method not in view.methods and not any(kind == "request_method" for kind, _ in view.predicates):
        methods = ",".join(sorted(view.methods))
        verdicts.insert(
            0,
            Verdict(
                "request_method", f"request_method = {methods} (the default)", False, f"the request is {request.method}"
            ),
        )
    media = None
    if (
        method_dispatch is not None
        and method_dispatch.negotiates
        and view in method_dispatch.views
        and view.media_types
    ):
        key = method_dispatch.media_key(view, request.environ.get("HTTP_ACCEPT") or ANY)
        types = ", ".join(view.media_types)
        if key is not None and key[0] == 2:
            media = f"ranked by {types}: the client gives it q={key[1]:g}"
        elif key is not None:
            media = f"ranked by {types}, which the client does not ask for: tried after the types it does"
    if view is decided:
        outcome = "chosen"
    elif request.method not in view.methods:
        outcome = f"does not serve {request.method}"
    elif all(verdict.passed for verdict in verdicts):
        outcome = "passed, but another view came first"
    else:
        outcome = "failed"
    engine = app.renderers.engine_for(view.renderer_name) if view.renderer_name is not None else None
    return Candidate(view.name, str(view.source), view.renderer_name, outcome, tuple(verdicts), media, engine)


def _verdict(kind: str, predicate: Any, request: Request) -> Verdict:
    try:
        passed = bool(predicate(None, request))
        seen = predicate.seen(request) if hasattr(predicate, "seen") else ""
    except Exception as exc:  # a predicate that fails on this request fails the view, as in dispatch
        passed, seen = False, f"raised {type(exc).__name__}: {exc}"
    return Verdict(kind, predicate.text(), passed, seen)


def build_request(
    method: str,
    path: str,
    headers: Iterable[tuple[str, str]] = (),
    params: Iterable[tuple[str, str]] = (),
    xhr: bool = False,
    user: Any = None,
    body: bytes | None = None,
    request_class: type[Request] = Request,
) -> Request:
    """A request as a client would send it, for :func:`explain` and :mod:`viewpick.testing`.

    ``params`` go in the query string; ``user`` becomes ``request.identity``, which a
    security policy's ``permits`` sees when it reads ``request.identity``.
    """
    params = list(params)
    query = urlencode(params) if params else ""
    request = request_class.blank(path + ("?" + query if query else ""), method=method.upper())
    for name, value in headers:
        request.headers[name] = value
    if xhr:
        request.headers["X-Requested-With"] = "XMLHttpRequest"
    if body is not None:
        request.body = body
    if user is not None:
        request.identity = user
    return request


def view_summary(view: View) -> dict[str, Any]:
    """A view as ``viewpick routes`` and ``viewpick views`` list it."""
    return {
        "view": view.name,
        "source": str(view.source),
        "renderer": view.renderer_name,
        "methods": sorted(view.methods),
        "predicates": [predicate.text() for _, predicate in view.predicates],
    }


def routes_summary(app: Application) -> list[dict[str, Any]]:
    """Every route in match order, with its views in the order the dispatcher ranks them, and
    the routes that fit all its paths (``shadowed_by``) or only paths it fits (``shadows``),
    with the methods the earlier of the two takes from the later; then the error views of each
    exception class (``route`` None, ``context`` the class)."""
    shadowed_by: dict[str, list[dict[str, Any]]] = {}
    shadows: dict[str, list[dict[str, Any]]] = {}
    for shadowing in shadowings(app.routes, app.dispatch):
        earlier, later, methods = shadowing.earlier, shadowing.later, list(shadowing.methods)
        shadowed_by.setdefault(later.name, []).append(
            {"route": earlier.name, "source": str(earlier.source) if earlier.source else None, "methods": methods}
        )
        shadows.setdefault(earlier.name, []).append(
            {"route": later.name, "source": str(later.source) if later.source else None, "methods": methods}
        )
    routes = [
        {
            "route": route.name,
            "pattern": route.pattern,
            "source": str(route.source) if route.source else None,
            "url_only": route.url_only,
            "methods": list(method_list(app.dispatch[route.name].methods)),
            "shadowed_by": shadowed_by.get(route.name, []),
            "shadows": shadows.get(route.name, []),
            "views": [view_summary(view) for view in app.dispatch[route.name].views],
        }
        for route in app.routes.routes
    ]
    by_context = app.error_dispatch.by_context if app.error_dispatch is not None else {}
    errors = [
        {
            "route": None,
            "pattern": None,
            "source": None,
            "context": f"{context.__module__}.{context.__qualname__}",
            "views": [view_summary(view) for view in dispatch.views],
        }
        for context, dispatch in by_context.items()
    ]
    return routes + errors


def path_summary(app: Application, path: str) -> dict[str, Any] | None:
    """The route ``path`` matches, its matchdict and its views; None when no route matches."""
    found = app.routes.match(path)
    if found is None:
        return None
    route, matchdict = found
    summary = next(entry for entry in routes_summary(app) if entry["route"] == route.name)
    summary["matchdict"] = {key: list(value) if isinstance(value, tuple) else value for key, value in matchdict.items()}
    return summary


def format_route(entry: Mapping[str, Any]) -> str:
    """A route (or an exception class) and its views as plain text."""
    where = f"  ({entry['source']})" if entry.get("source") else ""
    lines = [
        f"error views for {entry['context']}"
        if entry.get("context")
        else f"{entry['route']}  {entry['pattern']}{where}"
    ]
    if entry.get("matchdict"):
        lines[0] += f"  matchdict {entry['matchdict']}"
    if entry.get("url_only"):
        lines[0] += "  static=True: for generating URLs only, never matched"
    for other in entry.get("shadowed_by", ()):
        if other["methods"]:
            lines.append(f"    shadowed by {_route_at(other)} for {', '.join(other['methods'])}")
        else:
            lines.append(f"    after {_route_at(other)}, which fits all its paths but serves none of its methods")
    for other in entry.get("shadows", ()):
        if other["methods"]:
            lines.append(f"    shadows {_route_at(other)} for {', '.join(other['methods'])}")
        else:
            lines.append(
                f"    before {_route_at(other)}, which fits only paths this route fits and serves other methods"
            )
    if not entry["views"] and not entry.get("url_only"):
        lines.append("    (no views)")
    for number, view in enumerate(entry["views"], 1):
        renderer = f"  renderer={view['renderer']}" if view["renderer"] else ""
        lines.append(f"  {number}. {view['view']}  ({view['source']}){renderer}")
        lines.append(f"       {'; '.join(view['predicates']) if view['predicates'] else '(no predicates)'}")
    return "\n".join(lines) + "\n"


def _route_at(entry: Mapping[str, Any]) -> str:
    return f"{entry['route']} ({entry['source']})" if entry.get("source") else entry["route"]
