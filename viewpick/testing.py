"""Helpers for testing viewpick applications.

:func:`call_view` sends a request through the application's real dispatcher and hands back
what the chosen view returned *before* rendering, so a test can check what goes into a
template without parsing HTML. When no view takes the request, :class:`NoViewChosen`
carries the dispatcher's explanation, so the failing test says why.

The pytest plugin (:mod:`viewpick.pytest_plugin`, installed with viewpick) gives the
``viewpick_app`` fixture, a WebTest ``TestApp`` built from a factory.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .dispatch import Answer
from .explain import Explanation, build_request, decide, describe

if TYPE_CHECKING:
    from .app import Application
    from .request import Request
    from .views import View


class NoViewChosen(AssertionError):
    """The dispatcher answered a status itself; ``explanation`` says why."""

    def __init__(self, explanation: Explanation) -> None:
        super().__init__(f"no view was chosen:\n{explanation.as_text()}")
        self.explanation = explanation
        self.status = explanation.status


@dataclass(frozen=True)
class ViewCall:
    """What a view returned for a request, and which view and renderer the dispatcher chose."""

    value: Any
    view: View
    request: Request

    @property
    def renderer(self) -> str | None:
        """The renderer name the view was declared with, e.g. ``'templates/films.mako#results'``."""
        return self.view.renderer_name

    @property
    def view_name(self) -> str:
        """The view's dotted name, e.g. ``'demo.films.views.film_list'``."""
        return self.view.name


def call_view(
    app: Any,
    method: str,
    path: str,
    *,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    params: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    xhr: bool = False,
    user: Any = None,
    json: Any = None,
    body: bytes | None = None,
) -> ViewCall:
    """Dispatch a request as the application would and call the view it chooses.

    ``app`` is the application ``make_wsgi_app()`` built (or a WebTest ``TestApp`` around
    it). ``user`` becomes ``request.identity``; ``json`` is sent as an
    ``application/json`` body. Raises :class:`NoViewChosen` when no view takes the request.
    """
    application: Application = getattr(app, "app", app)
    header_pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
    if json is not None:
        body = jsonlib.dumps(json).encode()
        header_pairs.append(("Content-Type", "application/json"))
    request = build_request(
        method,
        path,
        header_pairs,
        params.items() if isinstance(params, Mapping) else params,
        xhr=xhr,
        user=user,
        body=body,
        request_class=application.request_class,
    )
    decided, trace = decide(application, request)
    if isinstance(decided, Answer):
        raise NoViewChosen(describe(application, request, decided, trace))
    return ViewCall(decided.call(request), decided, request)
