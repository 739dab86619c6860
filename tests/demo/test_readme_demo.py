"""The README's curl commands for the demo give what the README says they give."""

from __future__ import annotations

import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from webtest import TestApp

README = Path(__file__).resolve().parents[2] / "README.md"


def demo_curl_lines() -> list[str]:
    """The ``curl`` lines of the README's "Try the demo" section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Try the demo") :]
    section = section[: section.index("\n## ")]
    return [line for line in section.splitlines() if line.startswith("curl ")]


def run(app: TestApp, line: str) -> tuple[str, str]:
    """The body ``curl`` would print for ``line`` (``-H`` options and a URL), and the line's comment."""
    args = shlex.split(line.partition("#")[0])[1:]
    headers = {}
    while args[0] == "-H":
        name, _, value = args[1].partition(": ")
        headers[name] = value
        args = args[2:]
    (url,) = args
    parts = urlsplit("http://" + url)
    return app.get(f"{parts.path}?{parts.query}", headers=headers).text, line.partition("#")[2].strip()


@pytest.fixture
def curls(films: TestApp) -> list[tuple[str, str]]:
    lines = demo_curl_lines()
    assert len(lines) == 3, "the README shows three curl commands for the demo"
    return [run(films, line) for line in lines]


def test_the_first_readme_curl_prints_the_whole_page(curls: list[tuple[str, str]]) -> None:
    body, comment = curls[0]
    assert comment.startswith("the whole HTML page")
    assert body.startswith("<!DOCTYPE html>") and '<form id="search"' in body and "Seven Samurai" in body


def test_the_second_readme_curl_prints_only_the_results(curls: list[tuple[str, str]]) -> None:
    body, comment = curls[1]
    assert comment == "only the results: a <p> and a <table>"
    assert body.strip().startswith('<p class="count">') and body.strip().endswith("</table>")
    assert "<html" not in body and "<form" not in body


def test_the_third_readme_curl_prints_the_json_its_comment_begins_with(curls: list[tuple[str, str]]) -> None:
    body, comment = curls[2]
    assert body.startswith(comment.partition("...")[0])
