"""One function serving route 'greeting' two ways through stacked decorators."""

from viewpick import view_config


@view_config(route_name="greeting", request_method="GET", renderer="string")
@view_config(route_name="greeting", request_method="POST", renderer="json")
def greeting(request):
    return {"method": request.method} if request.method == "POST" else f"hello via {request.method}"
