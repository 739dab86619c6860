"""Choosing the view for a request, and the truthful status when no view takes it.

Every "why did this request get a 405/403/406/404" is answered here, in this order:

1. No route that fits the path has a view for the request's method: **405** with ``Allow``
   (a route that lacks it passes the request on to a later route that fits and has one:
   :mod:`viewpick.overlap`). OPTIONS that no view takes (there is none for it, or its
   predicates do not match) gets **200** with ``Allow``. A view without ``request_method`` serves GET, HEAD, POST, PUT, PATCH and
   DELETE; GET also serves HEAD.
2. The views that serve the method are filtered by their other predicates, then ranked:
   media type first (how much the client's Accept header wants the view's type; at equal
   q a named type beats a wildcard; then the server's order of types; views with no type
   between the accepted and the unaccepted), then the static rank fixed at compile time
   (more predicates first, then the rank of predicate kinds, then declaration order).
   Permissions are asked last and lazily, in that order: the first permitted view wins.
3. No view was chosen. Take the views that serve the method and pass every predicate but
   ``permission``, ``content_type`` and ``accept``. If one of them is denied its permission:
   **403** (whatever else it failed: who may not act need not learn more). Else if one
   fails ``content_type``: **415**, listing the body types the method's views take, also in
   ``Accept-Post`` (POST) or ``Accept-Patch`` (PATCH). Else they all failed ``accept``:
   **406**, listing the types on offer. No such view at all: **404**.

So the precedence is 405, 403, 415, 406, 404.

Error views are chosen by the same :class:`MethodDispatch`, one per exception class
(:class:`ErrorDispatch`), walked in the order of the error's MRO. With a :class:`Trace`,
``select`` records what it tried, which ``viewpick explain`` reads instead of re-deriving it.

All of it is resolved in :func:`compile_routes`, once: a request costs one dict look-up
per route and method, and then only the predicate checks of its own route; of those, views
told apart by the exact value of one parameter or match are looked up by that value
(:mod:`viewpick.narrowing`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import TYPE_CHECKING

from .exceptions import ConfigurationError
from .finish import Finisher
from .methods import METHOD_ORDER
from .narrowing import Candidates
from .negotiation import ANY, CACHED_HEADER_CHARS, client_preference
from .static import ROUTE_PREFIX as STATIC_ROUTE_PREFIX

if TYPE_CHECKING:
    from .request import Request
    from .routes import Route
    from .views import View

MediaKey = tuple[int, float, int, int]
NO_MEDIA_TYPE: MediaKey = (1, 0.0, 0, 0)
UNWANTED_TYPE: MediaKey = (0, 0.0, 0, 0)


@dataclass(frozen=True)
class Answer:
    """What the dispatcher answers itself when no view is called: a status and why."""

    status: int
    detail: str
    headers: tuple[tuple[str, str], ...] = ()


NOT_FOUND = Answer(404, "The resource could not be found.")

# How many Accept headers each method of a route remembers its ranking for.
RANKINGS_KEPT = 256

# The header that lists the body types a 415 would have accepted, per method.
ACCEPT_BODY_HEADERS = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}


class MethodDispatch:
    """The views of one route that serve one method, in static rank order."""

    def __init__(self, views: tuple[View, ...], server_rank: Mapping[str, int], unmatched: Answer = NOT_FOUND) -> None:
        self.views = views
        self.server_rank = server_rank
        slots = {view.media_types for view in views}
        self.negotiates = len(slots) > 1 or any(view.accept is not None for view in views)
        headers = [header for view in views for header in view.vary]
        if self.negotiates:
            headers.append("Accept")
        # What the choice among these views depends on; the route's Vary includes it (see finisher).
        self.vary: tuple[str, ...] = tuple(dict.fromkeys(headers))
        # What to answer when no view takes the request (404; for OPTIONS, 200 with Allow).
        self.unmatched = unmatched
        self.candidates = Candidates(views)
        self._rankings: dict[str, Candidates] = {}
        self.forbidden = Answer(403, "You do not have permission to do this.")
        #: The finishing step of the route these views belong to (None for error views, which
        #: answer for whichever route the request matched).
        self.finisher: Finisher | None = None
        self.body_types = ", ".join(
            dict.fromkeys(t for v in views if v.content_type for t in v.content_type.media_types)
        )

    def media_key(self, view: View, accept: str) -> MediaKey | None:
        """How the client ranks the view's media type; None when its ``accept`` predicate fails."""
        if not view.media_types:
            return NO_MEDIA_TYPE
        best = UNWANTED_TYPE
        for media_type in view.media_types:
            q, specificity = client_preference(accept, media_type)
            if q > 0:
                key = (2, q, specificity, -self.server_rank[media_type])
                best = max(best, key)
        if best is UNWANTED_TYPE and view.accept is not None:
            return None
        return best

    def select(self, request: Request, trace: Trace | None = None) -> View | Answer:
        """The first view in rank order whose predicates all hold, or why there is none.

        With a ``trace`` (``viewpick explain``, the debugging pages) the views tried, in the
        order tried, and the outcome are recorded in it; without one this costs nothing.
        """
        if self.negotiates:
            accept = request.environ.get("HTTP_ACCEPT") or ANY
            candidates = self._rankings.get(accept) or self.ranking(accept)
        else:
            candidates = self.candidates
        tried = candidates.views if candidates.reader is None else candidates.for_request(request)
        for view in tried:
            for check in view.checks:  # inlined: this loop is the cost of each view tried
                if not check(None, request):
                    break
            else:
                if (view.content_type is None or view.content_type(None, request)) and (
                    view.permission is None or view.permission(None, request)
                ):
                    if trace is not None:
                        trace.append(Step(self, tried, view))
                    return view
        refusal = self.refusal(request)
        if trace is not None:
            trace.append(Step(self, tried, refusal))
        return refusal

    def ranking(self, accept: str) -> Candidates:
        """The views an Accept header lets through, best first; remembered per header, since
        clients send the same few headers over and over (but not a header longer than any
        client sends, so what is remembered stays small)."""
        ranked = self._rankings.get(accept)
        if ranked is None:
            keyed = [(key, view) for view in self.views if (key := self.media_key(view, accept)) is not None]
            keyed.sort(key=itemgetter(0), reverse=True)  # stable: ties keep the static order
            ranked = Candidates(view for _, view in keyed)
            if len(accept) <= CACHED_HEADER_CHARS:
                if len(self._rankings) >= RANKINGS_KEPT:
                    self._rankings.clear()
                self._rankings[accept] = ranked
        return ranked

    def refusal(self, request: Request) -> Answer:
        """Why no view took the request: 403, then 415, then 406, else 404 (see the module docstring)."""
        near = [view for view in self.views if all(check(None, request) for check in view.checks)]
        if any(view.permission is not None and not view.permission(None, request) for view in near):
            return self.forbidden
        if any(view.content_type is not None and not view.content_type(None, request) for view in near):
            listed = ACCEPT_BODY_HEADERS.get(request.method)
            return Answer(
                415,
                f"This resource does not accept a request body of that media type. It accepts: {self.body_types}.",
                ((listed, self.body_types),) if listed else (),
            )
        if near:  # each one passed all but ``accept``
            offered = sorted({t for view in near for t in view.media_types}, key=self.server_rank.__getitem__)
            return Answer(
                406,
                "This resource is not available in a media type your client accepts. "
                f"It is available as: {', '.join(offered)}.",
            )
        return self.unmatched


@dataclass(frozen=True)
class Step:
    """One :meth:`MethodDispatch.select` as it happened: the views it tried, in that order (an
    Accept header ranks them, a parameter index narrows them), and what it decided. For an
    error view, ``context`` is the exception class whose views these were."""

    dispatch: MethodDispatch
    tried: tuple[View, ...]
    outcome: View | Answer
    context: type[BaseException] | None = None


class Trace(list[Step]):
    """The steps of one decision, in order: the route's views, then the error views tried for
    each class of the error's MRO. Only ``viewpick explain`` and the debugging pages ask for it."""


class RouteDispatch:
    """A route and its views, arranged per method.

    :attr:`by_method` holds the methods the route serves (has a view for); a request for
    another method falls through to a later route that fits its path and serves it
    (:mod:`viewpick.overlap`), else gets :attr:`not_allowed` (OPTIONS: :attr:`options`).
    """

    def __init__(
        self,
        route: Route,
        views: Iterable[View],
        server_rank: Mapping[str, int],
        also_vary: tuple[str, ...] = ("Accept",),
        identity_vary: tuple[str, ...] = (),
    ) -> None:
        self.route = route
        self.views = tuple(sorted(views, key=lambda view: view.rank))
        _check_conflicts(route, self.views)
        # Every answer of the route names the same headers (viewpick.finish): what any of its
        # views is chosen by, what error bodies and error views are chosen by (``also_vary``),
        # and the security policy's and session's headers (``identity_vary``): any answer may depend on who
        # asks (a permission, a page naming the user), and one that does not would disagree.
        self.finisher = Finisher([*(header for view in self.views for header in view.vary), *also_vary, *identity_vary])
        self.methods: frozenset[str] = frozenset().union(*(view.methods for view in self.views))
        self.allow = allow_header(self.methods)
        # Methods served by the same views share one MethodDispatch (and its rankings).
        shared: dict[tuple[tuple[View, ...], bool], MethodDispatch] = {}
        by_method: dict[str, MethodDispatch] = {}
        for method in self.methods:
            serving = tuple(view for view in self.views if method in view.methods)
            options = method == "OPTIONS"
            if (serving, options) not in shared:
                unmatched = Answer(200, "", (("Allow", self.allow),)) if options else NOT_FOUND
                shared[serving, options] = MethodDispatch(serving, server_rank, unmatched)
                shared[serving, options].finisher = self.finisher
            by_method[method] = shared[serving, options]
        self.by_method: Mapping[str, MethodDispatch] = by_method
        self.not_allowed = not_allowed(self.methods)
        self.options = options_answer(self.methods)


def allow_header(methods: Iterable[str]) -> str:
    """The Allow header for a set of served methods: with OPTIONS, in :data:`METHOD_ORDER`."""
    listed = set(methods)
    if listed:
        listed.add("OPTIONS")
    return ", ".join(sorted(listed, key=lambda m: (METHOD_ORDER.index(m) if m in METHOD_ORDER else 99, m)))


def not_allowed(methods: Iterable[str]) -> Answer:
    """405 with Allow for a path whose routes serve ``methods``; 404 when they serve none."""
    allow = allow_header(methods)
    if not allow:
        return NOT_FOUND
    return Answer(405, f"This method is not allowed for this URL. Allowed: {allow}.", (("Allow", allow),))


def options_answer(methods: Iterable[str]) -> Answer:
    """OPTIONS that no view takes: 200 with Allow for a path whose routes serve ``methods``."""
    allow = allow_header(methods)
    return Answer(200, "", (("Allow", allow),)) if allow else NOT_FOUND


def _check_conflicts(route: Route | str, views: tuple[View, ...]) -> None:
    where = f"on route {route.name!r}" if not isinstance(route, str) else route
    seen: dict[frozenset[tuple[str, str]], View] = {}
    for view in sorted(views, key=lambda v: v.order):
        other = seen.setdefault(view.conflict_key, view)
        if other is not view:
            tests = ", ".join(sorted(p.text() for _, p in view.predicates)) or "no predicates"
            raise ConfigurationError(
                f"views {other.describe()} and {view.describe()} conflict {where}: "
                f"both test the same things ({tests}), so neither could ever be chosen over the other. "
                "Give one a predicate the other lacks (request_method, accept, xhr, ...) or remove one."
            )


def server_media_order(preferred: Iterable[str], views: Iterable[View]) -> dict[str, int]:
    """Rank of each media type when the client has no preference: the configured order
    (text/html, application/json by default), then other types in declaration order."""
    order = list(dict.fromkeys(preferred))
    for view in sorted(views, key=lambda v: v.order):
        for media_type in view.media_types:
            if media_type not in order:
                order.append(media_type)
    return {media_type: index for index, media_type in enumerate(order)}


def compile_routes(
    routes: Iterable[Route],
    views: Iterable[View],
    server_rank: Mapping[str, int],
    also_vary: tuple[str, ...] = ("Accept",),
    identity_vary: tuple[str, ...] = (),
) -> dict[str, RouteDispatch]:
    """One :class:`RouteDispatch` per route name; ``server_rank`` is :func:`server_media_order`'s,
    ``also_vary`` what every answer's Vary names (Accept, error views' headers), ``identity_vary``
    the security policy's headers (for every route but those of static views)."""
    by_route: dict[str, list[View]] = {}
    for view in views:
        by_route.setdefault(view.route_name, []).append(view)
    return {
        route.name: RouteDispatch(
            route,
            by_route.get(route.name, ()),
            server_rank,
            also_vary,
            () if route.name.startswith(STATIC_ROUTE_PREFIX) else identity_vary,  # files are the same for all
        )
        for route in routes
    }


class ErrorDispatch:
    """The error views, one :class:`MethodDispatch` per exception class they answer.

    An error is matched against its class's MRO, most specific first (as in Pyramid): the first
    class whose error views take the request wins; when all of that class's views refuse it,
    the next class's views are tried. Among one class's views, :meth:`MethodDispatch.select`
    chooses exactly as for a route's views: media type, then predicates, then declaration order.
    An application without error views has no ``ErrorDispatch`` at all.
    """

    def __init__(self, views: Iterable[View], server_rank: Mapping[str, int]) -> None:
        by_context: dict[type[BaseException], list[View]] = {}
        for view in views:
            assert view.context is not None
            by_context.setdefault(view.context, []).append(view)
        self.by_context: Mapping[type[BaseException], MethodDispatch] = {}
        for context, serving in by_context.items():
            ranked = tuple(sorted(serving, key=lambda view: view.rank))
            _check_conflicts(f"as error views for {context.__module__}.{context.__qualname__}", ranked)
            self.by_context[context] = MethodDispatch(ranked, server_rank)
        #: What choosing among the error views may depend on, for every answer's Vary.
        self.vary: tuple[str, ...] = tuple(
            dict.fromkeys(header for dispatch in self.by_context.values() for header in dispatch.vary)
        )

    def select(
        self, request: Request, error: BaseException, skip: frozenset[type] = frozenset(), trace: Trace | None = None
    ) -> tuple[View | None, MethodDispatch | None, tuple[str, ...]]:
        """The error view for ``error``, the views it was chosen among, and the headers every
        choice on the way depended on (for Vary); no view when none takes the request.
        Classes in ``skip`` are passed over."""
        vary: list[str] = []
        for cls in type(error).__mro__:
            dispatch = self.by_context.get(cls)
            if dispatch is None or cls in skip:
                continue
            try:
                chosen = dispatch.select(request, trace)
            except Exception as exc:  # a predicate failed: the caller answers 500; a trace shows where
                if trace is not None:
                    failed = Answer(500, f"Choosing an error view raised {type(exc).__name__}: {exc}")
                    trace.append(Step(dispatch, dispatch.views, failed, cls))
                raise
            if trace is not None:
                trace[-1] = replace(trace[-1], context=cls)
            vary.extend(dispatch.vary)
            if not isinstance(chosen, Answer):
                return chosen, dispatch, tuple(dict.fromkeys(vary))
        return None, None, tuple(dict.fromkeys(vary))
