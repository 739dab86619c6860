"""/films: one view, three representations, chosen by predicates."""

from __future__ import annotations

import pytest
from webtest import TestApp

from demo.films.seed import FILMS
from tests.conftest import AXIOS_ACCEPT, BROWSER_ACCEPT, XHR

from .conftest import SEVEN_SAMURAI


def titles(films_json: list[dict]) -> list[str]:
    return [film["title"] for film in films_json]


def test_the_home_page_sends_the_browser_to_the_film_list(films: TestApp) -> None:
    response = films.get("/", status=303)
    assert response.location.endswith("/films")


def test_a_browser_gets_the_whole_page_with_the_search_form_and_the_results(films: TestApp) -> None:
    page = films.get("/films", headers={"Accept": BROWSER_ACCEPT})
    assert page.content_type == "text/html"
    assert page.text.startswith("<!DOCTYPE html>")
    assert page.forms["search"].method.upper() == "GET"
    assert len(page.html.select("#results table.films tbody tr")) == len(FILMS)


def test_the_search_form_without_javascript_narrows_the_list(films: TestApp) -> None:
    form = films.get("/films").forms["search"]
    form["q"] = "samurai"
    page = form.submit()
    assert [a.text for a in page.html.select("#results td a")] == ["Seven Samurai"]
    assert page.html.select_one("#q")["value"] == "samurai"


def test_an_xhr_request_gets_only_the_results(films: TestApp) -> None:
    partial = films.get("/films", params={"q": "samurai"}, headers={**XHR, "Accept": "*/*"})
    assert partial.content_type == "text/html"
    assert "<html" not in partial.text and "<form" not in partial.text
    assert [a.text for a in partial.html.select("td a")] == ["Seven Samurai"]


def test_a_json_client_gets_the_matching_films_as_json(films: TestApp) -> None:
    data = films.get("/films", params={"q": "samurai"}, headers={"Accept": "application/json"}).json
    assert data["q"] == "samurai"
    assert data["films"] == [{"id": 1, **SEVEN_SAMURAI}]


def test_an_xhr_client_that_asks_for_json_gets_json(films: TestApp) -> None:
    data = films.get("/films", params={"q": "samurai"}, headers={**XHR, "Accept": AXIOS_ACCEPT}).json
    assert titles(data["films"]) == ["Seven Samurai"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SAMURAI", ["Seven Samurai"]),
        ("fellini", ["8½", "La Dolce Vita"]),
        ("swedish", ["The Seventh Seal", "Wild Strawberries"]),
        ("science fiction", ["Metropolis", "Stalker"]),
        ("samouraï", ["Le Samouraï"]),
    ],
)
def test_the_search_ignores_case_and_looks_at_title_director_language_and_genres(
    films: TestApp, query: str, expected: list[str]
) -> None:
    data = films.get("/films", params={"q": query}, headers={"Accept": "application/json"}).json
    assert titles(data["films"]) == expected


def test_a_search_treats_like_wildcards_as_plain_characters(films: TestApp) -> None:
    data = films.get("/films", params={"q": "%"}, headers={"Accept": "application/json"}).json
    assert data["films"] == []


def test_a_search_without_matches_says_so(films: TestApp) -> None:
    partial = films.get("/films", params={"q": "zzz"}, headers=XHR)
    assert "No film matches “zzz”." in partial.text


def test_the_list_names_what_its_representation_depends_on_in_vary(films: TestApp) -> None:
    page = films.get("/films")
    assert set(page.headers["Vary"].split(", ")) == {"X-Requested-With", "Accept", "Cookie"}  # Cookie: the login state


def test_a_search_that_is_not_utf8_is_a_client_error(films: TestApp) -> None:
    films.get("/films?q=%ff", status=400)


def test_deleting_the_list_is_not_allowed_and_says_what_is(films: TestApp) -> None:
    response = films.delete("/films", status=405)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
