"""Narrowing the views to try by the one value most of them require, with a dict look-up.

Look-alike views often differ only in the value one thing must have: ``request_param=
'variant=3'``, ``match_param='action=edit'``. Tried in turn, sixteen such views cost sixteen
checks. A predicate that requires exact values says so through ``required_values()``: pairs
of a *source* (a hashable callable reading one value from the request, such as
:class:`~viewpick.predicates.request.Param`) and the value it must give. For the source the
most views use, the views are split once, by that value, keeping their order: a request
then tries only the views that require the value it has, and the views that require
nothing of that source. Every view tried still runs all its checks, so the index only
skips views whose check would have failed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .request import Request
    from .views import View

Source = Callable[["Request"], Hashable]

# An index costs a look-up per request; below this many views keyed by one source, trying them is cheaper.
INDEXED_AT = 3


def required_values(view: View) -> dict[Source, set[Any]]:
    """Each source the view's checks read an exact value from, and the values they require."""
    required: dict[Source, set[Any]] = {}
    for check in view.checks:
        for source, value in getattr(check, "required_values", tuple)():
            required.setdefault(source, set()).add(value)
    return required


class Candidates:
    """Views in the order to try them, indexed by the value the most of them require."""

    __slots__ = ("by_value", "rest", "source", "views")

    def __init__(self, views: Iterable[View]) -> None:
        self.views = tuple(views)
        self.source: Source | None = None
        self.by_value: dict[Any, tuple[View, ...]] = {}
        self.rest = self.views
        required = [required_values(view) for view in self.views]
        counts = Counter(source for sources in required for source in sources)
        if not counts:
            return
        source, count = counts.most_common(1)[0]
        if count < INDEXED_AT:
            return
        values = {value for sources in required for value in sources.get(source, ())}
        self.source = source
        self.rest = tuple(view for view, sources in zip(self.views, required, strict=True) if source not in sources)
        # A view requiring two values of one source can never match, so it is in no list.
        self.by_value = {
            value: tuple(
                view
                for view, sources in zip(self.views, required, strict=True)
                if sources.get(source, {value}) == {value}
            )
            for value in values
        }

    def for_request(self, request: Request) -> tuple[View, ...]:
        """The views ``request`` could match, in order; only asked when there is an index
        (without one, they are ``views``, which the dispatcher reads itself)."""
        source = self.source
        assert source is not None
        try:
            value = source(request)
            return self.by_value.get(value, self.rest)
        except Exception:  # a form body that cannot be read, say: the views' own checks meet it where they would
            return self.views
