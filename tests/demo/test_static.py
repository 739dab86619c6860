"""The stylesheet and the script are served by viewpick itself, from demo/films/static."""

from __future__ import annotations

from pathlib import Path

from webtest import TestApp

import demo.films

STATIC = Path(demo.films.__file__).parent / "static"


def test_the_page_links_its_stylesheet_which_is_served_as_css(films: TestApp) -> None:
    href = films.get("/films").html.select_one("link[rel=stylesheet]")["href"]
    response = films.get(href)
    assert response.content_type == "text/css"
    assert response.body == (STATIC / "app.css").read_bytes()


def test_the_page_loads_its_script_which_is_served_as_javascript(films: TestApp) -> None:
    src = films.get("/films").html.select_one("script[src]")["src"]
    response = films.get(src)
    assert response.content_type in ("text/javascript", "application/javascript")
    assert response.body == (STATIC / "app.js").read_bytes()


def test_an_unknown_static_file_is_a_404(films: TestApp) -> None:
    films.get("/static/missing.css", status=404)
