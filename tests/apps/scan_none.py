"""A view on route 'home' whose view_config gives keywords the value None ("not given")."""

from viewpick import view_config


@view_config(route_name="home", accept=None, xhr=None, request_method=None, renderer="string")
def home(request):
    return "home"
