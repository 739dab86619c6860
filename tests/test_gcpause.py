"""The cyclic garbage collector is paused while ``make_wsgi_app()`` and ``config.scan()`` run
(so a large build is not walked again and again by full collections) and handed back as it
was found: enabled again after the build, also when the build raises; left disabled if the
application disabled it; and with the build's own cyclic garbage collected."""

import gc
import weakref
from typing import ClassVar

import pytest

import tests.apps.scan_basic
from viewpick import ConfigurationError, Configurator


@pytest.fixture(autouse=True)
def collector_restored():
    """Whatever a test (or a broken pause) does, the rest of the suite runs with the collector on."""
    yield
    gc.enable()


def hello(request):
    return "hello"


class SeenByPredicate:
    """A custom predicate whose factory, called while the app is built, records whether the
    collector was running then."""

    enabled_while_built: ClassVar[list[bool]] = []

    def __init__(self, val, config):
        self.enabled_while_built.append(gc.isenabled())

    def text(self):
        return "seen"

    def phash(self):
        return "seen"

    def __call__(self, context, request):
        return True


class LeavesACycle:
    """A custom predicate whose factory drops a reference cycle: garbage only the collector frees."""

    dropped: ClassVar[list[weakref.ref]] = []

    def __init__(self, val, config):
        node = Node()
        node.me = node
        self.dropped.append(weakref.ref(node))

    def text(self):
        return "cycle"

    def phash(self):
        return "cycle"

    def __call__(self, context, request):
        return True


class Node:
    me: object


def hello_config(predicate=None):
    config = Configurator()
    config.add_route("hello", "/hello")
    if predicate is None:
        config.add_view(hello, route_name="hello", renderer="string")
    else:
        config.add_view_predicate("custom", predicate)
        config.add_view(hello, route_name="hello", renderer="string", custom=True)
    return config


def test_collector_is_paused_while_make_wsgi_app_builds():
    SeenByPredicate.enabled_while_built.clear()
    hello_config(SeenByPredicate).make_wsgi_app()
    assert SeenByPredicate.enabled_while_built == [False]


def test_collector_is_enabled_again_after_make_wsgi_app():
    hello_config().make_wsgi_app()
    assert gc.isenabled()


def test_collector_is_enabled_again_after_make_wsgi_app_raises():
    config = Configurator()
    config.add_view(hello, route_name="missing", renderer="string")
    with pytest.raises(ConfigurationError, match="never added"):
        config.make_wsgi_app()
    assert gc.isenabled()


def test_a_collector_the_application_disabled_stays_disabled_after_make_wsgi_app():
    gc.disable()
    hello_config().make_wsgi_app()
    assert not gc.isenabled()


def test_a_collector_the_application_disabled_stays_disabled_after_make_wsgi_app_raises():
    gc.disable()
    config = Configurator()
    config.add_view(hello, route_name="missing", renderer="string")
    with pytest.raises(ConfigurationError):
        config.make_wsgi_app()
    assert not gc.isenabled()


def test_cyclic_garbage_the_build_drops_is_freed_before_make_wsgi_app_returns():
    LeavesACycle.dropped.clear()
    hello_config(LeavesACycle).make_wsgi_app()
    (dropped,) = LeavesACycle.dropped
    assert dropped() is None


def test_a_gc_collect_in_the_applications_code_during_the_build_leaves_the_collector_enabled():
    class Collects(SeenByPredicate):
        def __init__(self, val, config):
            gc.collect()

    hello_config(Collects).make_wsgi_app()
    assert gc.isenabled()


def test_collector_is_paused_while_scan_runs():
    seen = []

    def ignore(name):  # venusian calls it for each object of the module it scans
        seen.append(gc.isenabled())
        return False

    Configurator().scan(tests.apps.scan_basic, ignore=ignore)
    assert seen and not any(seen)


def test_collector_is_enabled_again_after_scan():
    Configurator().scan(tests.apps.scan_basic)
    assert gc.isenabled()


def test_collector_is_enabled_again_after_scan_raises():
    def ignore(name):
        raise LookupError(f"refusing {name}")

    with pytest.raises(LookupError):
        Configurator().scan(tests.apps.scan_basic, ignore=ignore)
    assert gc.isenabled()


def test_a_collector_the_application_disabled_stays_disabled_after_scan():
    gc.disable()
    Configurator().scan(tests.apps.scan_basic)
    assert not gc.isenabled()
