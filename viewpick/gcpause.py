"""The cyclic garbage collector, paused while ``make_wsgi_app()`` and ``config.scan()`` build.

A build allocates many long-lived objects and frees almost none, which is the collector's worst
case: each full collection walks every object in the process, and one starts whenever the
objects that survived since the last reach a quarter of the heap, so a build of 50,000 routes
pays for several walks over an ever larger heap (about 40% of ``make_wsgi_app()``'s time on
CPython 3.11-3.13) and finds nothing to free.

:func:`collector_paused` switches the collector off for the build and, if it was the one to
switch it off, on again afterwards (also when the build raises), then collects the young
generations once: the build's cyclic garbage is freed before it returns, and the first request
does not pay for a first look at the build's objects. What the build keeps is examined by the
next full collection, when the collector's own rule calls for one. An application that disabled
the collector finds it disabled still, and nothing collected. The collector is the process's:
code the build calls (a predicate factory, a module ``scan`` imports) and other threads run
without it meanwhile, and a ``gc.disable()`` in such code is undone with the pause.

``gc.freeze()`` is left to the application: it would hide the application's own objects (and any
garbage among them) from the collector for good, which is for whoever forks the workers to
decide (in a prefork server's hook, after ``make_wsgi_app()``), not for a library.
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
