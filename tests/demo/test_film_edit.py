"""Editing a film through its form: permission, CSRF, validation and lost-update protection."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from webtest import Form, TestApp

from tests.conftest import BROWSER_ACCEPT

from .conftest import log_in, stored


def test_a_visitors_browser_is_sent_to_log_in_and_then_back_to_the_edit_form(films: TestApp) -> None:
    response = films.get("/films/1/edit", headers={"Accept": BROWSER_ACCEPT}, status=302)
    assert response.location == "http://localhost/login?next=%2Ffilms%2F1%2Fedit"
    back = log_in(films, next=parse_qs(urlsplit(response.location).query)["next"][0])
    assert back.location == "http://localhost/films/1/edit"
    assert back.follow().forms["edit"]["title"].value == "Seven Samurai"


def test_an_api_client_is_not_redirected_but_gets_a_403_in_json(films: TestApp) -> None:
    response = films.get("/films/1/edit", headers={"Accept": "application/json"}, status=403)
    assert response.json == {"status": 403, "title": "Forbidden", "detail": "You do not have permission to do this."}


def test_a_visitors_form_post_gets_a_403_page_in_the_sites_layout(films: TestApp) -> None:
    response = films.post("/films/1", {"title": "Mine"}, headers={"Accept": BROWSER_ACCEPT}, status=403)
    assert response.html.select_one("header.site a.brand").text == "Film catalogue"
    assert response.html.select_one("h1").text == "403 Forbidden"
    assert "Log in to do this." in response.text


def test_a_visitor_cannot_post_an_edit(films: TestApp) -> None:
    films.post("/films/1", {"title": "Mine"}, headers={"Accept": BROWSER_ACCEPT}, status=403)
    assert stored(films)["title"] == "Seven Samurai"


def test_the_edit_form_shows_the_stored_values_and_version(editor: TestApp) -> None:
    form = editor.get("/films/1/edit").forms["edit"]
    assert form["title"].value == "Seven Samurai"
    assert form["year"].value == "1954"
    assert form["genres"].value == "Action, Drama"
    assert form["version"].value == "1"


def test_an_edit_form_for_an_unknown_film_is_a_404(editor: TestApp) -> None:
    editor.get("/films/999/edit", status=404)


def test_saving_the_form_goes_back_to_the_film_showing_the_change(editor: TestApp) -> None:
    form = editor.get("/films/1/edit").forms["edit"]
    form["title"] = "Shichinin no Samurai"
    form["genres"] = "Action, Drama, Adventure"
    page = form.submit(status=303).follow()
    assert page.request.path == "/films/1"
    assert "Shichinin no Samurai" in page.html.h1.text
    assert "Action, Drama, Adventure" in page.text


def test_saving_the_form_raises_the_version_by_one(editor: TestApp) -> None:
    form = editor.get("/films/1/edit").forms["edit"]
    form["year"] = "1955"
    form.submit(status=303)
    assert stored(editor)["version"] == 2


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(editor: TestApp) -> None:
    form = editor.get("/films/1/edit").forms["edit"]
    form["title"] = "Forged"
    form["csrf_token"] = "not the token"
    response = form.submit(status=400)
    assert "CSRF token" in response.text
    assert stored(editor)["title"] == "Seven Samurai"


def test_invalid_values_show_the_form_again_with_a_message_per_field(editor: TestApp) -> None:
    form = editor.get("/films/1/edit").forms["edit"]
    form["title"] = "  "
    form["year"] = "nineteen"
    page = form.submit(status=400)
    assert page.forms["edit"]["year"].value == "nineteen"
    messages = [span.text for span in page.html.select("#edit .error")]
    assert messages == ["Title is required.", "Year must be a whole number from 1888 to 2100."]
    assert stored(editor)["title"] == "Seven Samurai"


def test_a_form_without_a_version_is_refused(editor: TestApp) -> None:
    form = editor.get("/films/1/edit").forms["edit"]
    form["version"] = ""
    page = form.submit(status=400)
    assert "Version must be a whole number" in page.text


@pytest.fixture
def stale_form(editor: TestApp) -> Form:
    """An edit form of film 1, left open while another one saved the title "Saved first"."""
    first = editor.get("/films/1/edit").forms["edit"]
    second = editor.get("/films/1/edit").forms["edit"]
    first["title"] = "Saved first"
    first.submit(status=303)
    second["title"] = "Saved second"
    return second


def test_an_edit_of_a_stale_version_is_a_409_showing_both_and_overwriting_nothing(
    editor: TestApp, stale_form: Form
) -> None:
    page = stale_form.submit(status=409)
    row = page.html.select_one("table.conflict tr.differs")
    assert [cell.text for cell in row.find_all(["th", "td"])] == ["Title", "Saved first", "Saved second"]
    assert stored(editor)["title"] == "Saved first"


def test_after_a_conflict_the_user_can_save_their_version_over_the_stored_one(
    editor: TestApp, stale_form: Form
) -> None:
    stale_form.submit(status=409).forms["save-mine"].submit(status=303)
    film = stored(editor)
    assert (film["title"], film["version"]) == ("Saved second", 3)


def test_a_year_of_5000_digits_in_the_form_is_a_400_naming_the_year(editor: TestApp) -> None:
    form = editor.get("/films/1/edit").forms["edit"]
    form["year"] = "1" * 5000
    page = form.submit(status=400)
    assert "Year must be a whole number from 1888 to 2100." in page.text
    assert stored(editor)["year"] == 1954
