"""A user's own code type-checks against the installed viewpick: ``mypy --strict`` sees its types.

mypy runs as a user runs it, in a directory of their own, so it finds viewpick where it is
installed (an editable install included), not beside the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy", reason="mypy comes with the check extra (make test installs it)")

USER_APP = """
from __future__ import annotations

from typing import Any

from webob.exc import HTTPNotFound

from viewpick import JSON, Configurator, Request, Response, SecurityPolicy, view_config, view_defaults
from viewpick.app import Application
from viewpick.testing import call_view


class Policy(SecurityPolicy):
    def identity(self, request: Request) -> str | None:
        return request.headers.get("X-User")

    def permits(self, request: Request, context: Any, permission: str) -> bool:
        user: str | None = request.identity  # whatever the policy's identity() returns: Any
        return user == "ann"


@view_config(route_name="film", renderer="json", accept="application/json")
@view_config(route_name="film", renderer="string", xhr=True)
def film(request: Request) -> dict[str, Any]:
    if request.matchdict["id"] == "0":
        raise HTTPNotFound()
    return {"id": int(request.matchdict["id"]), "url": request.route_path("film", id=1)}


@view_defaults(route_name="film")
class FilmViews:
    def __init__(self, request: Request) -> None:
        self.request = request

    @view_config(request_method="DELETE", permission="edit")
    def delete(self) -> Response:
        response: Response = self.request.response
        response.status_int = 204
        return response


def main(settings: dict[str, str] | None = None) -> Application:
    config = Configurator(settings)
    config.add_route("film", "/films/{id}")
    renderer = JSON()
    renderer.add_adapter(complex, lambda value, request: str(value))
    config.add_renderer("json", renderer)
    config.set_security_policy(Policy())
    config.scan()
    return config.make_wsgi_app()


def check() -> None:
    assert call_view(main(), "GET", "/films/1", xhr=True).value == {"id": 1, "url": "/films/1"}
"""

MISTAKE = """
from viewpick import Configurator

Configurator().add_route("film", 1)
"""


def test_a_users_app_passes_mypy_strict_and_its_mistakes_are_caught(tmp_path: Path) -> None:
    (tmp_path / "user_app.py").write_text(USER_APP, encoding="utf-8")
    (tmp_path / "user_mistake.py").write_text(MISTAKE, encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "user_app.py", "user_mistake.py"],
        cwd=tmp_path,
        check=False,  # the output says what failed
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    # The one mistake is found, so viewpick's types were read, not taken as Any; nothing else is.
    assert len(errors) == 1, checked.stdout + checked.stderr
    assert errors[0].startswith('user_mistake.py:4: error: Argument 2 to "add_route" of "Configurator"')
