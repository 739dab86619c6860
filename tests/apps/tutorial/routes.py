"""The tutorial's routes, included by ``main`` (and by its unit tests)."""

from viewpick.acl import Allow, Authenticated, Everyone


class PageResource:
    """The context of a page: anyone may view it; only its author may edit it."""

    def __init__(self, request):
        self.name = request.matchdict["name"]
        self.author = "editor"

    def __acl__(self):
        return [(Allow, Everyone, "view"), (Allow, f"u:{self.author}", "edit"), (Allow, Authenticated, "comment")]


def includeme(config):
    config.add_route("home", "/")
    config.add_route("hello", "/howdy/{first}/{last}")
    config.add_route("page", "/pages/{name}", factory=PageResource)
    config.add_route("edit", "/pages/{name}/edit", factory=PageResource)
    config.add_route("login", "/login")
    config.add_static_view("static", "tests.apps.static_pkg:static")
