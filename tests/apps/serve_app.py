"""An app factory for `viewpick serve` and gunicorn tests: the settings it got, a failing
view, a body streamed in parts, and the length of the request's body as read by a view."""

from viewpick import Configurator, Response


def settings_view(request):
    return dict(request.app.settings)


def failing_view(request):
    raise RuntimeError("this view always fails")


def streaming_view(request):
    return Response(app_iter=[b"part one, ", b"part two"], content_type="text/plain")


def length_view(request):
    return str(len(request.body_file_raw.read()))


def main(settings=None):
    config = Configurator(settings)
    config.add_route("settings", "/")
    config.add_view(settings_view, route_name="settings", renderer="json")
    config.add_route("fail", "/fail")
    config.add_view(failing_view, route_name="fail")
    config.add_route("stream", "/stream")
    config.add_view(streaming_view, route_name="stream")
    config.add_route("length", "/length")
    config.add_view(length_view, route_name="length", renderer="string")
    return config.make_wsgi_app()
