"""``viewpick routes``, ``views`` and ``explain`` on the demo catalogue, as a newcomer would
run them from the project's root."""

from __future__ import annotations

import json

import pytest

from viewpick.cli import main


@pytest.fixture
def run(capsys, db_path):
    def run(*argv: str) -> tuple[int, str]:
        command, *rest = argv
        status = main(
            [
                command,
                "demo.films:main",
                "--setting",
                f"films.db={db_path}",
                "--setting",
                "films.password_iterations=1000",
                *rest,
            ]
        )
        return status, capsys.readouterr().out

    return run


def test_routes_lists_the_catalogues_routes_in_match_order(run):
    status, out = run("routes")
    assert status == 0
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")]
    routes = [line.split()[0] for line in headings if not line.startswith("error views for ")]
    assert routes == ["__static__/static", "home", "films", "film", "film_edit", "login", "logout"]
    assert headings[len(routes) :] == [
        "error views for webob.exc.HTTPNotFound",
        "error views for webob.exc.HTTPForbidden",
        "error views for builtins.Exception",
    ]
    assert "demo.films.views.film_list  (demo/films/views.py:" in out


def test_views_shows_the_three_representations_of_the_film_list(run):
    status, out = run("views", "/films")
    assert status == 0
    assert out.count("demo.films.views.film_list") == 3
    assert "renderer=templates/films.mako#results" in out


def test_explain_picks_the_json_view_for_an_api_client(run):
    status, out = run("explain", "GET", "/films", "-H", "Accept: application/json")
    assert status == 0
    assert "decision: view demo.films.views.film_list (demo/films/views.py:" in out
    assert "renderer=json [JSON]: chosen" in out


def test_explain_shows_why_an_anonymous_edit_is_refused(run):
    status, out = run(
        "explain", "PUT", "/films/1", "-H", "Content-Type: application/json", "-H", "Accept: application/json"
    )
    assert status == 1
    assert "FAIL permission = edit" in out and "(identity None)" in out
    assert "decision: 403 Forbidden" in out


def test_explain_as_the_demo_user_reaches_the_json_editor(run):
    status, out = run(
        "explain",
        "PUT",
        "/films/1",
        "-H",
        "Content-Type: application/json",
        "-H",
        "Accept: application/json",
        "--user",
        "demo",
        "--json",
    )
    document = json.loads(out)
    assert status == 0
    assert document["view"].startswith("demo.films.views.save_from_json ")


def test_tweens_lists_the_catalogues_transaction_tween_between_ingress_and_main(run):
    status, out = run("tweens")
    lines = out.splitlines()
    assert status == 0 and lines[0] == "INGRESS" and lines[-1] == "MAIN"
    assert lines[1].startswith("  demo.films.db.transaction_tween_factory  (demo/films/db.py:")


def test_tweens_json_lists_each_tween_and_where_it_was_added(run):
    status, out = run("tweens", "--json")
    assert status == 0
    assert [tween["name"] for tween in json.loads(out)] == ["demo.films.db.transaction_tween_factory"]
