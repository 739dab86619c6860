"""``viewpick routes``, ``viewpick views`` and ``viewpick explain`` on a test app whose views
look alike on purpose: their output, their JSON, and their exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from viewpick.cli import main

APP = "tests.apps.explained:main"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_explain_prints_each_verdict_and_the_decision_and_exits_1_for_an_error_status(capsys):
    status, out, _ = run(capsys, "explain", APP, "GET", "/feed", "-H", "Accept: text/html")
    assert status == 1
    assert "FAIL accept = application/json  (the client sent Accept: text/html)" in out
    assert "decision: 406 Not Acceptable" in out
    assert out.rstrip().endswith("Vary: Accept, Cookie")


def test_explain_exits_0_when_a_view_is_chosen(capsys):
    status, out, _ = run(capsys, "explain", APP, "GET", "/films/3", "--xhr")
    assert status == 0
    assert "decision: view tests.apps.explained.partial (tests/apps/explained.py:" in out


def test_explain_takes_params_and_a_user(capsys):
    assert run(capsys, "explain", APP, "GET", "/films/3", "--param", "print=1")[1].count("printable") >= 2
    status, out, _ = run(
        capsys, "explain", APP, "PUT", "/films/3", "-H", "Content-Type: application/json", "--user", "ann"
    )
    assert status == 0 and "pass permission = edit" in out and "identity 'ann'" in out


def test_explain_json_is_the_same_explanation_for_tools(capsys):
    status, out, _ = run(capsys, "explain", APP, "DELETE", "/films/3", "--json")
    document = json.loads(out)
    assert status == 1
    assert (document["status"], document["route"]) == (405, "film")
    assert document["reason"].endswith("Allowed: GET, HEAD, POST, PUT, OPTIONS.")


def test_explain_of_a_path_no_route_matches_says_so(capsys):
    status, out, _ = run(capsys, "explain", APP, "GET", "/nowhere")
    assert status == 1 and "route: none matched" in out and "404 Not Found" in out


def test_explain_refuses_a_malformed_header_as_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["explain", APP, "GET", "/feed", "-H", "Accept text/html"])
    assert exit.value.code == 2
    assert "is not a header like 'Accept: text/html'" in capsys.readouterr().err


def test_explain_without_a_path_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["explain", APP, "GET"])
    assert exit.value.code == 2


def test_routes_lists_routes_in_match_order_with_their_views_and_declarations(capsys):
    status, out, _ = run(capsys, "routes", APP)
    assert status == 0
    film, feed, about = (out.index(f"{name}  /") for name in ("film", "feed", "about"))
    assert film < feed < about
    assert "  7. tests.apps.explained.page  (tests/apps/explained.py:" in out
    assert "content_type = application/json; request_method = POST,PUT; permission = edit" in out


def test_routes_json_lists_each_views_methods_and_renderer(capsys):
    document = json.loads(run(capsys, "routes", APP, "--json")[1])
    about = next(route for route in document if route["route"] == "about")
    assert about["views"] == [
        {
            "view": "tests.apps.explained.about",
            "source": about["views"][0]["source"],
            "renderer": "html",
            "methods": ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"],
            "predicates": [],
        }
    ]


OVERLAPPING = "tests.apps.overlapping:main"


def test_routes_marks_a_route_shadowed_for_the_methods_an_earlier_route_takes(capsys):
    out = run(capsys, "routes", OVERLAPPING)[1]
    replace = out[out.index("film_replace  /films/{key}") :]
    assert "\n    shadowed by film (tests/apps/overlapping.py:26) for GET, HEAD\n" in replace
    film = out[: out.index("film_update  /films/{name}")]
    assert "\n    shadows film_replace (tests/apps/overlapping.py:28) for GET, HEAD\n" in film


def test_routes_marks_routes_that_share_paths_but_not_methods(capsys):
    out = run(capsys, "routes", OVERLAPPING)[1]
    update = out[out.index("film_update  /films/{name}") : out.index("film_replace  /films/{key}")]
    assert (
        "after film (tests/apps/overlapping.py:26), which fits all its paths but serves none of its methods" in update
    )


def test_routes_marks_a_route_for_generating_urls_only(capsys):
    out = run(capsys, "routes", OVERLAPPING)[1]
    assert (
        "sitemap  /sitemap  (tests/apps/overlapping.py:29)  static=True: for generating URLs only, never matched\n"
        in out
    )
    assert "(no views)" not in out


def test_routes_json_lists_methods_shadowing_and_url_only(capsys):
    document = {entry["route"]: entry for entry in json.loads(run(capsys, "routes", OVERLAPPING, "--json")[1])}
    replace = document["film_replace"]
    assert (replace["methods"], replace["url_only"]) == (["GET", "HEAD", "PUT"], False)
    assert replace["shadowed_by"] == [
        {"route": "film", "source": "tests/apps/overlapping.py:26", "methods": ["GET", "HEAD"]},
        {"route": "film_update", "source": "tests/apps/overlapping.py:27", "methods": []},
    ]
    assert [(s["route"], s["methods"]) for s in document["film"]["shadows"]] == [
        ("film_update", []),
        ("film_replace", ["GET", "HEAD"]),
    ]
    assert (document["sitemap"]["url_only"], document["sitemap"]["views"]) == (True, [])


def test_explain_names_the_routes_passed_over_for_the_method(capsys):
    status, out, _ = run(capsys, "explain", OVERLAPPING, "POST", "/films/1")
    assert status == 0
    assert "  film (/films/{id}, tests/apps/overlapping.py:26): serves GET, HEAD\n" in out
    assert "route: film_update (/films/{name})" in out


def test_views_shows_the_route_a_path_matches_and_its_candidates(capsys):
    status, out, _ = run(capsys, "views", APP, "/films/7")
    assert status == 0
    assert out.startswith("film  /films/{id:\\d+}")
    assert "matchdict {'id': '7'}" in out
    assert out.count("tests.apps.explained.") == 7


def test_views_of_a_path_no_route_matches_exits_1(capsys):
    status, out, _ = run(capsys, "views", APP, "/films/seven")
    assert (status, out) == (1, "/films/seven: no route matches\n")


def test_inspecting_a_factory_that_returns_another_wsgi_app_is_a_clear_error(capsys):
    status, _, err = run(capsys, "routes", "tests.apps.explained:wrapped")
    assert status == 1
    assert "not a viewpick application" in err


def test_the_console_script_runs_explain_with_its_exit_status():
    result = subprocess.run(
        [sys.executable, "-m", "viewpick", "explain", APP, "POST", "/feed"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "decision: 405 Method Not Allowed" in result.stdout


def test_tweens_of_an_app_without_any_lists_only_the_ends(capsys):
    assert run(capsys, "tweens", APP) == (0, "INGRESS\nMAIN\n", "")
