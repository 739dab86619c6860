"""Subscribers declared with ``@subscriber``, registered by ``config.scan``."""

from viewpick import subscriber
from viewpick.events import BeforeRender, NewRequest, NewResponse


@subscriber(BeforeRender)
def add_site_name(event):
    event["site"] = "Film catalogue"


@subscriber(NewRequest, NewResponse)
def note_event(event):
    event.request.environ.setdefault("test.events", []).append(type(event).__name__)
