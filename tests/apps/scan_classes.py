"""A view class for route 'film': defaults from @view_defaults, views on its methods."""

from viewpick import view_config, view_defaults


@view_defaults(route_name="film", renderer="json")
class FilmViews:
    def __init__(self, request):
        self.request = request
        self.film_id = request.matchdict["id"]

    @view_config(request_method="GET")
    def show(self):
        return {"film": self.film_id, "action": "show"}

    @view_config(request_method="POST", renderer="string")
    def update(self):
        return f"updated film {self.film_id}"

    def helper(self):  # not decorated: not a view
        return {"film": self.film_id, "action": "helper"}
