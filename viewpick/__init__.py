"""viewpick: Pyramid-style predicate dispatch and pluggable rendering on WebOb, Mako and venusian.

Decorate plain view functions with ``@view_config``; a scan collects them, and the
compiled application picks the best-matching view per request by route, method, XHR,
Accept, permission and other predicates, and renders what the view returns.
"""

from typing import Any

from .config import Configurator
from .decorators import (
    exception_view_config,
    forbidden_view_config,
    notfound_view_config,
    subscriber,
    view_config,
    view_defaults,
)
from .exceptions import ConfigurationError
from .httpexceptions import (
    HTTPBadRequest,
    HTTPException,
    HTTPForbidden,
    HTTPFound,
    HTTPNotFound,
    HTTPSeeOther,
    HTTPTemporaryRedirect,
)
from .renderers import JSON, RendererInfo, render, render_to_response
from .request import Request
from .response import Response
from .security import SecurityPolicy

__version__: str  # set on first access, by __getattr__ below

__all__ = [
    "JSON",
    "ConfigurationError",
    "Configurator",
    "HTTPBadRequest",
    "HTTPException",
    "HTTPForbidden",
    "HTTPFound",
    "HTTPNotFound",
    "HTTPSeeOther",
    "HTTPTemporaryRedirect",
    "RendererInfo",
    "Request",
    "Response",
    "SecurityPolicy",
    "exception_view_config",
    "forbidden_view_config",
    "notfound_view_config",
    "render",
    "render_to_response",
    "subscriber",
    "view_config",
    "view_defaults",
]


def __getattr__(name: str) -> Any:
    """``viewpick.__version__``: the installed distribution's version, read from its metadata
    when first asked for (importing importlib.metadata costs milliseconds every app would pay)."""
    if name == "__version__":
        from importlib.metadata import version

        value = globals()["__version__"] = version("viewpick")
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
