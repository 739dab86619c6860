"""The tutorial's views: a function view, a view class, and views that use the route context,
the security policy and settings."""

from webob.exc import HTTPSeeOther

from viewpick import Response, view_config, view_defaults


@view_config(route_name="home")
def home(request):
    url = request.route_url("hello", first="a", last="b")
    return Response(f'<body>Visit <a href="{url}">hello</a></body>')


@view_defaults(renderer="json")
class TutorialViews:
    def __init__(self, request):
        self.request = request
        self.view_name = "TutorialViews"

    @property
    def full_name(self):
        first = self.request.matchdict["first"]
        last = self.request.matchdict["last"]
        return first + " " + last

    @view_config(route_name="hello")
    def hello(self):
        return {"page_title": "Hello View", "full_name": self.full_name, "q": self.request.params.get("q")}


@view_config(route_name="page", renderer="json", permission="view")
def page(request):
    return {
        "name": request.context.name,
        "edit_url": request.route_url("edit", name=request.context.name),
        "can_edit": bool(request.permits("edit", request.context)),
        "css": request.static_url("tests.apps.static_pkg:static/app.css"),
        "site": request.app.settings.get("site.name"),
    }


@view_config(route_name="edit", renderer="json", permission="edit")
def edit(request):
    return {"editing": request.context.name}


@view_config(route_name="login", request_method="POST")
def login(request):
    if request.POST.get("password") != "secret":
        return Response("<p>Wrong password</p>", status=400)
    headers = request.app.security_policy.remember(request, request.POST["login"])
    return HTTPSeeOther(location=request.route_url("home"), headers=headers)
