"""Stacked decorators apply bottom-up; the top one is still the one declared first.

Both views have the media type text/plain and one request_param each, so for a request
carrying both parameters only the declaration order can pick.
"""

from viewpick import view_config


@view_config(route_name="stacked_tie", request_param="a", renderer="string")
@view_config(route_name="stacked_tie", request_param="b", renderer="loud")
def stacked(request):
    return {"from": "stacked"}
