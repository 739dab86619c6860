"""Two includes that declare the same route name: the error names both lines."""

from viewpick import Configurator


def first(config: Configurator) -> None:
    config.add_route("page", "/one")


def second(config: Configurator) -> None:
    config.add_route("page", "/two")


def view_one(request):
    return "one"


def view_two(request):
    return "two"


def first_views(config: Configurator) -> None:
    config.add_route("same", "/same")
    config.add_view(view_one, route_name="same", renderer="string")


def second_views(config: Configurator) -> None:
    config.add_view(view_two, route_name="same", renderer="string")
