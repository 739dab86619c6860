"""The catalogue's error pages: in the site's layout for browsers, JSON for API clients."""

from __future__ import annotations

import pytest
from webtest import TestApp

from demo.films import make_config
from demo.films.errors import SORRY
from tests.conftest import BROWSER_ACCEPT

from .conftest import SECRET

JSON = {"Accept": "application/json"}


def test_a_path_no_route_matches_is_a_404_page_in_the_sites_layout(films: TestApp) -> None:
    response = films.get("/no/such/page", headers={"Accept": BROWSER_ACCEPT}, status=404)
    assert response.html.select_one("header.site a.brand").text == "Film catalogue"
    assert response.html.select_one("h1").text == "404 Not Found"
    assert response.html.find("a", string="Log in")["href"] == "/login?next=%2Fno%2Fsuch%2Fpage"


def test_an_unknown_film_is_a_404_page_in_the_layout_saying_which_film(films: TestApp) -> None:
    response = films.get("/films/999", headers={"Accept": BROWSER_ACCEPT}, status=404)
    assert response.html.select_one(".error-detail").text == "There is no film 999 in the catalogue."
    assert response.html.select_one("header.site") is not None


def test_a_missing_static_file_is_the_same_404_page(films: TestApp) -> None:
    response = films.get("/static/missing.css", headers={"Accept": BROWSER_ACCEPT}, status=404)
    assert response.html.select_one("h1").text == "404 Not Found"


def test_an_api_client_gets_a_404_in_json(films: TestApp) -> None:
    response = films.get("/no/such/page", headers=JSON, status=404)
    assert response.json == {"status": 404, "title": "Not Found", "detail": "The resource could not be found."}


def test_the_404_page_names_accept_in_vary(films: TestApp) -> None:
    assert "Accept" in films.get("/no/such/page", status=404).headers["Vary"]


@pytest.fixture
def crashing(db_path: str) -> TestApp:
    config = make_config({"films.db": db_path, "films.secret": SECRET})
    config.add_route("crash", "/crash")

    def crash(request):
        raise RuntimeError("secret <internals>")

    config.add_view(crash, route_name="crash")
    return TestApp(config.make_wsgi_app())


def test_an_unexpected_error_is_a_500_page_in_the_layout_that_says_nothing_of_it(crashing: TestApp) -> None:
    response = crashing.get("/crash", headers={"Accept": BROWSER_ACCEPT}, status=500)
    assert response.html.select_one("h1").text == "500 Internal Server Error"
    assert response.html.select_one(".error-detail").text == SORRY
    assert "internals" not in response.text


def test_an_unexpected_error_is_a_500_in_json_for_an_api_client(crashing: TestApp) -> None:
    response = crashing.get("/crash", headers=JSON, status=500)
    assert response.json == {"status": 500, "title": "Internal Server Error", "detail": SORRY}
