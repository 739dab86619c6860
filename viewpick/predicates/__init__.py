"""View predicates: small objects that each answer one yes/no question about a request.

A predicate is built once, when the application is compiled, from the value given to
``view_config``; it normalises and validates that value there (a bad regex is a
configuration error, not a runtime one). At request time only ``__call__`` runs.

The interface is Pyramid's, so a predicate written for Pyramid ports unchanged:
``factory(value, config)`` returns an object with ``text()``, ``phash()`` and
``__call__(context, request)``. A predicate that reads request headers may list them
in a ``vary`` attribute; every answer of its route then names them in Vary (:mod:`viewpick.finish`).
It may also have ``seen(request)``, saying what it read from the request
(``the client sent Accept: text/html``), which ``viewpick explain`` shows beside its verdict.
A predicate that holds only for exact values of something it reads may list them in
``required_values()``, as pairs of a hashable callable reading the value from the request
and the value required: views told apart that way are then looked up by the value instead
of tried in turn (:mod:`viewpick.narrowing`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .accept import AcceptPredicate
from .content_type import ContentTypePredicate
from .permission import PermissionPredicate
from .request import (
    HeaderPredicate,
    HtmxPredicate,
    MatchParamPredicate,
    RequestMethodPredicate,
    RequestParamPredicate,
    XhrPredicate,
)

if TYPE_CHECKING:
    from ..request import Request


@runtime_checkable
class ViewPredicate(Protocol):
    """What the dispatcher needs of a predicate."""

    def text(self) -> str:
        """A short description for people, e.g. ``xhr = True``."""

    def phash(self) -> str:
        """An identity: two predicates of one kind with equal ``phash()`` test the same thing."""

    def __call__(self, context: Any, request: Request) -> bool:
        """Whether the request satisfies the predicate."""


PredicateFactory = Callable[[Any, Any], ViewPredicate]

# The built-in predicate keywords, in the rank that breaks ties between views with the same
# number of predicates: a view whose most decisive predicate ranks higher is tried first.
# Predicates that name a request's own data (its match, its parameters, its headers, its
# body's type) are
# taken as more specific than ones that describe a class of client; custom predicates rank
# after all of these, in the order they were added; permission ranks last.
BUILTIN_PREDICATES: dict[str, PredicateFactory] = {
    "match_param": MatchParamPredicate,
    "request_param": RequestParamPredicate,
    "header": HeaderPredicate,
    "content_type": ContentTypePredicate,
    "xhr": XhrPredicate,
    "htmx": HtmxPredicate,
    "accept": AcceptPredicate,
    "request_method": RequestMethodPredicate,
    "permission": PermissionPredicate,
}

__all__ = [
    "BUILTIN_PREDICATES",
    "AcceptPredicate",
    "ContentTypePredicate",
    "HeaderPredicate",
    "HtmxPredicate",
    "MatchParamPredicate",
    "PermissionPredicate",
    "PredicateFactory",
    "RequestMethodPredicate",
    "RequestParamPredicate",
    "ViewPredicate",
    "XhrPredicate",
]
