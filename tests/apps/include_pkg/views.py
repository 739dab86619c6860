"""The included package's views, found by ``config.scan('.views')`` in its ``includeme``."""

from viewpick import view_config


@view_config(route_name="shelf", renderer="string")
def shelf(request):
    return f"shelf at {request.route_path('shelf_item', item='x')}"


@view_config(route_name="shelf_root", renderer="string")
def shelf_root(request):
    return "shelf root"


@view_config(route_name="review", renderer="string")
def review(request):
    return f"review {request.matchdict['id']}"
