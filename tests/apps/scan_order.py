"""Two views on route 'tie' that tie on everything but the order they are declared in.

Both test one request parameter, so for a request carrying both parameters only the
declaration order can pick. The first one declared has the name that sorts *last*,
because venusian finds a module's functions in alphabetical order.
"""

from viewpick import view_config


@view_config(route_name="tie", request_param="a", renderer="string")
def zzz_first(request):
    return "zzz_first"


@view_config(route_name="tie", request_param="b", renderer="string")
def aaa_second(request):
    return "aaa_second"
