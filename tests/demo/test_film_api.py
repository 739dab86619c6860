"""PUT /films/{id} with JSON: the same edit as the form, for API clients."""

from __future__ import annotations

import json
from typing import Any

import pytest
from webtest import TestApp

from .conftest import SEVEN_SAMURAI, stored

JSON = {"Accept": "application/json"}


def put(app: TestApp, body: dict[str, Any], status: int | str = 200, film_id: int = 1) -> Any:
    return app.put_json(f"/films/{film_id}", body, headers=JSON, status=status)


def test_a_visitor_gets_a_403_in_json(films: TestApp) -> None:
    response = put(films, {**SEVEN_SAMURAI, "title": "Mine"}, status=403)
    assert response.json["status"] == 403
    assert stored(films)["title"] == "Seven Samurai"


def test_a_put_saves_the_film_and_answers_with_the_new_version(editor: TestApp) -> None:
    film = put(editor, {**SEVEN_SAMURAI, "title": "Shichinin no Samurai"}).json["film"]
    assert (film["title"], film["version"]) == ("Shichinin no Samurai", 2)
    assert stored(editor) == film


def test_a_put_from_a_stale_version_is_a_409_with_both_and_overwrites_nothing(editor: TestApp) -> None:
    put(editor, {**SEVEN_SAMURAI, "title": "Saved first"})
    conflict = put(editor, {**SEVEN_SAMURAI, "title": "Saved second"}, status=409).json
    assert conflict["stored"]["title"] == "Saved first"
    assert conflict["stored"]["version"] == 2
    assert conflict["submitted"] == {**SEVEN_SAMURAI, "title": "Saved second"}
    assert stored(editor)["title"] == "Saved first"


def test_a_put_with_invalid_fields_is_a_400_naming_each(editor: TestApp) -> None:
    body = {**SEVEN_SAMURAI, "year": "soon", "genres": "Drama"}
    del body["title"]
    errors = put(editor, body, status=400).json["errors"]
    assert errors == {"title": "Title is required.", "year": "Year must be a whole number from 1888 to 2100."}


@pytest.mark.parametrize("year", [True, 1.5, 1887, 2101, None])
def test_a_year_must_be_a_whole_number_in_range(editor: TestApp, year: Any) -> None:
    assert "year" in put(editor, {**SEVEN_SAMURAI, "year": year}, status=400).json["errors"]


@pytest.mark.parametrize("title", ["", " ", "x" * 201, 12])
def test_a_title_must_be_some_text_of_at_most_200_characters(editor: TestApp, title: Any) -> None:
    assert "title" in put(editor, {**SEVEN_SAMURAI, "title": title}, status=400).json["errors"]


@pytest.mark.parametrize(
    "genres", [["Drama", 3], ["Sci, Fi"], {"Drama": 1}, [f"Genre {n}" for n in range(11)], ["x" * 41]]
)
def test_genres_must_be_a_list_of_names(editor: TestApp, genres: Any) -> None:
    assert "genres" in put(editor, {**SEVEN_SAMURAI, "genres": genres}, status=400).json["errors"]


def test_a_body_that_is_not_json_is_a_400_saying_why(editor: TestApp) -> None:
    response = editor.put("/films/1", b'{"title": ', headers={**JSON, "Content-Type": "application/json"}, status=400)
    assert "not valid JSON" in response.json["detail"]


def test_a_json_body_that_is_not_an_object_is_a_400(editor: TestApp) -> None:
    response = editor.put_json("/films/1", [SEVEN_SAMURAI], headers=JSON, status=400)
    assert response.json["detail"] == "The body must be a JSON object with the film's fields."


def test_a_put_of_a_form_is_a_415(editor: TestApp) -> None:
    editor.put("/films/1", {"title": "Form"}, headers=JSON, status=415)


def test_a_put_to_an_unknown_film_is_a_404(editor: TestApp) -> None:
    put(editor, SEVEN_SAMURAI, status=404, film_id=999)


def test_a_year_of_5000_digits_is_a_400_naming_the_year(editor: TestApp) -> None:
    errors = put(editor, {**SEVEN_SAMURAI, "year": "1" * 5000}, status=400).json["errors"]
    assert errors == {"year": "Year must be a whole number from 1888 to 2100."}


def test_a_json_number_of_5000_digits_is_a_400(editor: TestApp) -> None:
    body = json.dumps({**SEVEN_SAMURAI, "year": 0}).replace('"year": 0', '"year": ' + "1" * 5000)
    response = editor.put("/films/1", body, content_type="application/json", headers=JSON, status=400)
    assert "number too long" in response.json["detail"]


@pytest.mark.parametrize("field", ["title", "director", "language"])
def test_text_with_a_lone_surrogate_is_a_400_naming_the_field(editor: TestApp, field: str) -> None:
    body = json.dumps({**SEVEN_SAMURAI, field: "Ran \ud800"})  # json.dumps writes it as \\ud800
    response = editor.put("/films/1", body, content_type="application/json", headers=JSON, status=400)
    assert list(response.json["errors"]) == [field]
    assert stored(editor)[field] == SEVEN_SAMURAI[field]


def test_a_genre_with_a_lone_surrogate_is_a_400_naming_the_genres(editor: TestApp) -> None:
    body = json.dumps({**SEVEN_SAMURAI, "genres": ["Drama", "\udfff"]})
    assert list(put_raw(editor, body).json["errors"]) == ["genres"]


def put_raw(app: TestApp, body: str) -> Any:
    return app.put("/films/1", body, content_type="application/json", headers=JSON, status=400)
