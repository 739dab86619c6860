"""The benchmark in bench/ must not rot: its quick mode checks every answer of viewpick and
the two floors (they need no extra packages). No timing is asserted here."""

import json
import os
import subprocess
import sys

from bench.contenders import Contender
from bench.scenarios import Reply, all_scenarios

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Everything but the 1000- and 10000-route apps, whose building is too slow for the suite.
QUICK_SCENARIOS = "json,html,xhr,miss405,missing,routes-10:,routes-100:,views,startup,caching"


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
