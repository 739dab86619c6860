"""Narrowing the views to try by the one value most of them require, with a dict look-up.

Look-alike views often differ only in the value one thing must have: ``request_param=
'variant=3'``, ``match_param='action=edit'``. Tried in turn, sixteen such views cost sixteen
checks. A predicate that requires exact values says so through ``required_values()``: pairs
of a *reader* (a hashable callable reading one value from the request, such as
:class:`~viewpick.predicates.request.Param`) and the value it must give. For the reader the
most views use, the views are split once, by that value, keeping their order: a request
then tries only the views that require the value it has, and the views that require
nothing of that reader. Every view tried still runs all its checks, so the index only
skips views whose check would have failed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .request import Request
    from .views import View

Reader = Callable[["Request"], Hashable]

# An index costs a look-up per request; below this many views keyed by one reader, trying them is cheaper.
INDEXED_AT = 3


def required_values(view: View) -> dict[Reader, set[Any]]:
    """Each reader the view's checks read an exact value from, and the values they require."""
    required: dict[Reader, set[Any]] = {}
    for check in view.checks:
        for reader, value in getattr(check, "required_values", tuple)():
            required.setdefault(reader, set()).add(value)
    return required


class Candidates:
    """Views in the order to try them, indexed by the value the most of them require."""

    __slots__ = ("by_value", "reader", "rest", "views")

    def __init__(self, views: Iterable[View]) -> None:
        self.views = tuple(views)
        self.reader: Reader | None = None
        self.by_value: dict[Any, tuple[View, ...]] = {}
        self.rest = self.views
        required = [required_values(view) for view in self.views]
        counts = Counter(reader for readers in required for reader in readers)
        if not counts:
            return
        reader, count = counts.most_common(1)[0]
        if count < INDEXED_AT:
            return
        values = {value for readers in required for value in readers.get(reader, ())}
        self.reader = reader
        self.rest = tuple(view for view, readers in zip(self.views, required, strict=True) if reader not in readers)
        # A view requiring two values of one reader can never match, so it is in no list.
        self.by_value = {
            value: tuple(
                view
                for view, readers in zip(self.views, required, strict=True)
                if readers.get(reader, {value}) == {value}
            )
            for value in values
        }

    def for_request(self, request: Request) -> tuple[View, ...]:
        """The views ``request`` could match, in order; only asked when there is an index
        (without one, they are ``views``, which the dispatcher reads itself)."""
        reader = self.reader
        assert reader is not None
        try:
            value = reader(request)
            return self.by_value.get(value, self.rest)
        except Exception:  # a form body that cannot be read, say: the views' own checks meet it where they would
            return self.views
