"""A submodule of scan_pkg: found when the package is scanned."""

from viewpick import view_config


@view_config(route_name="pkg_page", renderer="string")
def page(request):
    return "page view from scan_pkg/views.py"
