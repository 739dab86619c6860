"""A module for test_config's scan tests: one decorated view on the route 'hello'."""

from viewpick import view_config


@view_config(route_name="hello", renderer="string")
def hello(request):
    return "hello from a scanned view"
