"""The cyclic garbage collector, paused while ``make_wsgi_app()`` and ``config.scan()`` build.

A build allocates many long-lived objects and frees almost none, which is the collector's worst
case: each full collection walks every object in the process, and one starts whenever the objects
that survived since the last reach a quarter of the heap, so a build of 50,000 routes pays for
several walks over an ever larger heap (a third of ``make_wsgi_app()``'s time on CPython 3.11-3.13)
and finds nothing to free. :func:`collector_paused` switches the collector off for the build and,
if it was the one to switch it off, on again afterwards (also when the build raises), then
collects the young generations once: the build's cyclic garbage is freed before it returns and
the next request does not pay for examining the build's objects. The objects the build keeps are
examined by the next full collection, on the collector's own schedule. An application that
disabled the collector finds it disabled still, and nothing collected.

``gc.freeze()`` is left to the application: it would also hide the application's own objects
(and any garbage among them) from the collector for good, which is a choice for whoever forks the
workers (a prefork server's hook, after ``make_wsgi_app()``), not for a library.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the ``with`` block with the collector off, then restore it as it was found."""
    if not gc.isenabled():  # the application's choice (or an outer pause): leave it alone
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)  # the young generations: what the block made, not the whole heap
