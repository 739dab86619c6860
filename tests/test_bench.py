"""The benchmark in bench/ must not rot: its quick mode checks every answer of viewpick and
the two floors (they need no extra packages). No timing is asserted here."""

import json
import os
import subprocess
import sys

from bench.contenders import Contender
from bench.e2e import parse_wrk, wrk_script
from bench.features import Row, app_with, problems
from bench.scale import slope
from bench.scenarios import Reply, all_scenarios
from bench.wsgi import environ_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Everything but the 1000- and 10000-route apps, whose building is too slow for the suite.
QUICK_SCENARIOS = "json,html,xhr,miss405,missing,routes-10:,routes-100:,views,startup,caching,features"


def scenario(name):
    return next(s for s in all_scenarios() if s.name == name)


def test_quick_bench_finds_every_answer_of_viewpick_and_the_floors_right():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--only",
            "viewpick,webob-floor,raw-wsgi",
            "--scenarios",
            QUICK_SCENARIOS,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all answers right" in done.stdout
    assert "viewpick's caching options" in done.stdout
    assert "viewpick's features" in done.stdout
    assert "csrf-unused" in done.stdout


def test_expected_page_escapes_the_article_and_lists_its_ten_items():
    page = scenario("html").text
    assert "Tom &amp; Jerry&#39;s guide to &lt;cheese&gt;" in page
    assert page.count("<li>") == 10


def test_expected_partial_is_only_the_items():
    partial = scenario("xhr").text
    assert partial.count("<li>") == 10
    assert "<html>" not in partial


def test_reply_with_another_body_is_wrong():
    expected = scenario("html")
    headers = (("Content-Type", "text/html; charset=UTF-8"), ("Vary", "X-Requested-With, Accept"))
    reply = Reply(200, headers, expected.text.encode("utf-8") + b" ")
    (problem,) = expected.problems(reply)
    assert problem.startswith("body b'<!DOCTYPE html>")


def test_reply_with_equal_json_in_other_spacing_and_order_is_right():
    expected = scenario("json")
    body = json.dumps(expected.json, indent=2, sort_keys=True).encode("utf-8")
    headers = (("Content-Type", "application/json"), ("Vary", "Accept, X-Requested-With"))
    assert expected.problems(Reply(200, headers, body)) == []


def test_negotiated_reply_whose_vary_does_not_name_accept_is_wrong():
    expected = scenario("json")
    body = json.dumps(expected.json).encode("utf-8")
    reply = Reply(200, (("Content-Type", "application/json"), ("Vary", "X-Requested-With")), body)
    assert expected.problems(reply) == ["Vary 'X-Requested-With' does not name Accept"]


def test_tolerated_status_is_recorded_not_failed():
    assert scenario("miss405").problems(Reply(404, (), b"")) == []


def test_wrong_status_and_content_type_are_both_reported():
    problems = scenario("routes-10:first").problems(Reply(500, (("Content-Type", "text/html"),), b""))
    assert problems[:2] == ["status 500, expected 200", "content type 'text/html', expected text/plain"]


def test_contender_whose_package_is_missing_is_not_installed():
    assert not Contender("nothing", "bench.nothing_app", ("no_such_package_for_viewpick",)).installed()


def test_end_to_end_quick_mode_finds_every_answer_right_under_gunicorn_and_waitress():
    done = subprocess.run(
        [sys.executable, "-m", "bench.e2e", "--quick", "--only", "viewpick,webob-floor,raw-wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all answers right: 42 checked over HTTP" in done.stdout


def test_wrk_output_gives_requests_per_second_p99_and_socket_errors():
    output = """Running 1s test @ http://127.0.0.1:8000/
  1 threads and 8 connections
  Latency Distribution
     50%  610.00us
     75%  700.00us
     90%    1.02ms
     99%    2.50ms
  4321 requests in 1.00s, 1.23MB read
  Socket errors: connect 0, read 3, write 0, timeout 0
Requests/sec:   4310.25
"""
    assert parse_wrk(output) == (4321, 4310.25, 2.5, "connect 0, read 3, write 0, timeout 0")


def test_wrk_script_sends_the_scenarios_method_path_headers_and_an_empty_body_for_a_post():
    script = wrk_script(scenario("miss405"))
    assert 'wrk.method = "POST"' in script
    assert 'wrk.path = "/articles/2"' in script
    assert 'wrk.headers["Accept"] = "application/json"' in script
    assert 'wrk.body = ""' in script


def test_scale_mode_measures_viewpick_building_memory_and_last_route_and_gives_slopes():
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--only", "viewpick", "--sizes", "10,100", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("slope 10->100") == 3


def test_slope_of_a_cost_that_grows_as_the_square_is_two():
    assert slope((1000, 3.0), (10_000, 300.0)) == "2.00"


def test_feature_row_whose_answer_differs_from_the_expected_one_is_wrong():
    plain = app_with()
    environ = environ_for(scenario("routes-10:first"))  # GET /r0/42: no such route in the features app
    row = Row("error-view", (plain, environ, 404, ""), (app_with("error-view"), environ, 404, "no thing at /r0/43"))
    (problem,) = problems(row)
    assert problem.startswith("features error-view on: 404 b'no thing at /r0/42'")


def test_feature_row_whose_tween_did_not_run_is_wrong():
    environ = environ_for(scenario("routes-10:first"))
    row = Row("tween", (app_with(), environ, 404, ""), (app_with(), environ, 404, ""), "tween")
    assert problems(row) == ["features tween: the tween did not run"]
