"""A package whose own code calls ``config.scan()`` with no argument, as an app's
``main()`` would: that scans this package (this file and views.py)."""

from viewpick import Configurator, view_config


@view_config(route_name="pkg_root", renderer="string")
def root(request):
    return "root view from scan_pkg/__init__.py"


def make_config():
    config = Configurator()
    config.add_route("pkg_root", "/")
    config.add_route("pkg_page", "/page")
    config.scan()
    return config
