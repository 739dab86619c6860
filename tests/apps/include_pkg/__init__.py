"""A package included with ``config.include('tests.apps.include_pkg')``: its ``includeme`` adds
routes and scans its views by relative names, as a Pyramid add-on would."""

from viewpick import Configurator


def includeme(config: Configurator) -> None:
    config.add_route("shelf", "/shelf")
    config.add_route("shelf_item", "/shelf/{item}", static=True)
    config.add_route("shelf_root", "/")
    config.scan(".views")
    config.include(".reviews")
