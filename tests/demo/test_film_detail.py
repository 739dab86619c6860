"""/films/{id}: one film as a page or as JSON."""

from __future__ import annotations

import pytest
from webtest import TestApp

from tests.conftest import BROWSER_ACCEPT


def test_a_browser_gets_the_film_as_a_page(films: TestApp) -> None:
    page = films.get("/films/1", headers={"Accept": BROWSER_ACCEPT})
    assert page.html.h1.get_text(" ", strip=True) == "Seven Samurai (1954)"
    assert "Akira Kurosawa" in page.text


def test_a_json_client_gets_the_film_as_json(films: TestApp) -> None:
    data = films.get("/films/2", headers={"Accept": "application/json"}).json
    assert data["film"]["title"] == "Rashomon"
    assert data["film"]["version"] == 1


def test_the_film_page_names_accept_and_cookie_in_vary(films: TestApp) -> None:
    # Accept chose the page over JSON; the page shows who is logged in (the login cookie).
    assert films.get("/films/1").headers["Vary"] == "Accept, Cookie"


def test_an_unknown_film_is_a_404_page_for_a_browser(films: TestApp) -> None:
    response = films.get("/films/999", headers={"Accept": BROWSER_ACCEPT}, status=404)
    assert response.content_type == "text/html"
    assert "There is no film 999 in the catalogue." in response.text


def test_an_unknown_film_is_a_404_in_json_for_an_api_client(films: TestApp) -> None:
    response = films.get("/films/999", headers={"Accept": "application/json"}, status=404)
    assert response.json["detail"] == "There is no film 999 in the catalogue."


@pytest.mark.parametrize("film_id", ["abc", "1.5", "-1", "%D9%A1", "9" * 19])
def test_an_id_that_cannot_name_a_film_is_a_404(films: TestApp, film_id: str) -> None:
    films.get(f"/films/{film_id}", status=404)


def test_a_visitor_is_offered_a_login_that_leads_back_to_the_edit_form(films: TestApp) -> None:
    link = films.get("/films/1").html.find("a", string="Log in to edit this film")
    assert link["href"] == "/login?next=%2Ffilms%2F1%2Fedit"


def test_a_logged_in_user_is_offered_the_edit_form(editor: TestApp) -> None:
    assert editor.get("/films/1").html.find("a", string="Edit")["href"] == "/films/1/edit"
