"""Renderers: how what a view returns becomes the response (json, string, custom, Mako), and
``render`` / ``render_to_response`` outside and inside views."""

from __future__ import annotations

import datetime
import decimal
import inspect
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import webob
from webtest import TestApp

from viewpick import (
    JSON,
    ConfigurationError,
    Configurator,
    RendererInfo,
    Response,
    render,
    render_to_response,
    renderers,
)

MakeApp = Callable[..., TestApp]

SHORT_500_TEXT = b"500 Internal Server Error\n\nThe server could not complete the request.\n"
HTML = "text/html; charset=UTF-8"
PLAIN = "text/plain; charset=UTF-8"


def app_with_view(config: Configurator, make_app: MakeApp, view: Callable[..., Any], **keywords: Any) -> TestApp:
    """An app whose route ``/`` (and ``/page``) is served by ``view`` with ``keywords``."""
    config.add_route("home", "/")
    config.add_view(view, route_name="home", **keywords)
    return make_app(config)


def returning(value: Any) -> Callable[[Any], Any]:
    def view(request: Any) -> Any:
        return value

    return view


# --- view results -------------------------------------------------------------------------


def test_a_dict_returned_by_a_view_is_rendered_into_the_response_by_its_renderer(config, make_app):
    app = app_with_view(config, make_app, returning({"answer": 42}), renderer="json")
    res = app.get("/")
    assert res.status_int == 200
    assert res.headers["Content-Type"] == "application/json"
    assert res.body == b'{"answer": 42}'


def test_a_status_set_on_request_response_survives_rendering(config, make_app):
    def view(request):
        request.response.status = 201
        return {"created": True}

    res = app_with_view(config, make_app, view, renderer="json").get("/", status=201)
    assert res.status == "201 Created"
    assert res.body == b'{"created": true}'


def test_a_header_set_on_request_response_survives_rendering(config, make_app):
    def view(request):
        request.response.headers["X-Flavour"] = "oat"
        return {"ok": 1}

    res = app_with_view(config, make_app, view, renderer="json").get("/")
    assert res.headers["X-Flavour"] == "oat"
    assert res.body == b'{"ok": 1}'


def test_a_cookie_set_on_request_response_survives_rendering(config, make_app):
    def view(request):
        request.response.set_cookie("session", "abc123", httponly=True)
        return {"ok": 1}

    res = app_with_view(config, make_app, view, renderer="json").get("/")
    assert res.headers.getall("Set-Cookie") == ["session=abc123; Path=/; HttpOnly"]
    assert res.body == b'{"ok": 1}'


@pytest.mark.parametrize(
    ("renderer", "value", "chosen", "header"),
    [
        ("json", {"a": 1}, "application/problem+json", "application/problem+json"),
        ("string", "a,b", "text/csv", "text/csv; charset=UTF-8"),
        ("templates/escaped.mako", {"value": "x"}, "application/xhtml+xml", "application/xhtml+xml; charset=UTF-8"),
    ],
)
def test_a_content_type_the_view_chose_is_not_overridden_by_the_renderer(
    config, make_app, renderer, value, chosen, header
):
    def view(request):
        request.response.content_type = chosen
        return value

    res = app_with_view(config, make_app, view, renderer=renderer).get("/")
    assert res.headers["Content-Type"] == header


@pytest.mark.parametrize("response_class", [Response, webob.Response])
def test_a_response_returned_by_a_view_is_sent_as_it_is(config, make_app, response_class):
    def view(request):
        response = response_class(body=b"raw bytes", status=202, content_type="application/x-raw")
        response.headers["X-Own"] = "1"
        return response

    res = app_with_view(config, make_app, view, renderer="json").get("/", status=202)
    assert res.body == b"raw bytes"
    assert res.headers["Content-Type"] == "application/x-raw"
    assert res.headers["X-Own"] == "1"


def test_changes_to_request_response_do_not_leak_into_a_response_the_view_returns(config, make_app):
    def view(request):
        request.response.headers["X-Ignored"] = "yes"
        return Response(body=b"mine", content_type="text/plain")

    res = app_with_view(config, make_app, view, renderer="json").get("/")
    assert "X-Ignored" not in res.headers
    assert res.body == b"mine"


@pytest.mark.parametrize(
    "renderer, value",
    [("json", {"a": 1}), ("string", "text"), ("templates/escaped.mako", {"value": "x"})],
)
def test_a_rendered_response_has_the_same_headers_whether_or_not_the_view_touched_request_response(
    config, make_app, renderer, value
):
    def untouched(request):
        return value

    def touched(request):
        request.response  # made, but left as it was
        return value

    for name, view in (("untouched", untouched), ("touched", touched)):
        config.add_route(name, f"/{name}")
        config.add_view(view, route_name=name, renderer=renderer)
        config.add_view(view, route_name=name, renderer=renderer, xhr=True)  # so the answer varies
    app = make_app(config)
    fresh, filled = app.get("/untouched"), app.get("/touched")
    assert fresh.headerlist == filled.headerlist
    assert ("Vary", "X-Requested-With, Accept") in fresh.headerlist
    assert fresh.body == filled.body


def test_a_view_without_renderer_returning_a_dict_gets_a_short_500(config, make_app):
    res = app_with_view(config, make_app, returning({"a": 1})).get("/", headers={"Accept": "text/plain"}, status=500)
    assert res.body == SHORT_500_TEXT


# --- json -----------------------------------------------------------------------------------


def json_app(config: Configurator, make_app: MakeApp, value: Any) -> TestApp:
    return app_with_view(config, make_app, returning(value), renderer="json")


def test_json_content_type_is_application_json(config, make_app):
    res = json_app(config, make_app, {"a": 1}).get("/")
    assert res.headers["Content-Type"] == "application/json"


def test_json_non_ascii_text_decodes_back_from_the_body(config, make_app):
    res = json_app(config, make_app, {"name": "café"}).get("/")
    assert json.loads(res.body.decode("utf-8")) == {"name": "café"}


def test_json_body_is_utf8_when_the_serializer_emits_non_ascii(config, make_app):
    config.add_renderer("json", JSON(ensure_ascii=False))
    res = json_app(config, make_app, {"name": "café"}).get("/")
    assert res.body == '{"name": "café"}'.encode()


@pytest.mark.parametrize(
    ("value", "body"),
    [([1, "two", None], b'[1, "two", null]'), (None, b"null"), ("text", b'"text"'), (3.5, b"3.5")],
)
def test_json_renders_values_that_are_not_dicts(config, make_app, value, body):
    res = json_app(config, make_app, value).get("/")
    assert res.body == body
    assert res.headers["Content-Type"] == "application/json"


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y
        self.requests: list[Any] = []

    def __json__(self, request: Any) -> Any:
        self.requests.append(request)
        return {"x": self.x, "y": self.y, "path": request.path}


def test_json_uses_an_objects_json_method_with_the_real_request(config, make_app):
    point = Point(1, 2)
    seen = []

    def view(request):
        seen.append(request)
        return {"point": point}

    res = app_with_view(config, make_app, view, renderer="json").get("/")
    assert res.body == b'{"point": {"x": 1, "y": 2, "path": "/"}}'
    assert len(point.requests) == 1
    assert point.requests[0] is seen[0]


class Money:
    def __init__(self, amount: str, currency: str) -> None:
        self.amount, self.currency = decimal.Decimal(amount), currency


class Euros(Money):
    def __init__(self, amount: str) -> None:
        super().__init__(amount, "EUR")


def money_renderer() -> JSON:
    renderer = JSON()
    renderer.add_adapter(Money, lambda obj, request: f"{obj.amount} {obj.currency}")
    return renderer


def test_json_adapter_serialises_its_type(config, make_app):
    config.add_renderer("json", money_renderer())
    res = json_app(config, make_app, {"price": Money("9.99", "GBP")}).get("/")
    assert res.body == b'{"price": "9.99 GBP"}'


def test_json_adapter_for_a_base_class_applies_to_subclasses(config, make_app):
    config.add_renderer("json", money_renderer())
    res = json_app(config, make_app, {"price": Euros("5.00")}).get("/")
    assert res.body == b'{"price": "5.00 EUR"}'


def test_json_adapter_receives_the_request(config, make_app):
    renderer = JSON()
    renderer.add_adapter(Money, lambda obj, request: request.params["label"])
    config.add_renderer("json", renderer)
    res = json_app(config, make_app, [Money("1", "USD")]).get("/?label=dollar")
    assert res.body == b'["dollar"]'


def test_json_adapter_added_by_the_app_overrides_a_builtin_one(config, make_app):
    renderer = JSON()
    renderer.add_adapter(datetime.date, lambda obj, request: obj.strftime("%d/%m/%Y"))
    config.add_renderer("json", renderer)
    res = json_app(config, make_app, {"day": datetime.date(2024, 2, 29)}).get("/")
    assert res.body == b'{"day": "29/02/2024"}'


def test_json_adapters_of_one_app_do_not_change_the_json_renderer_of_another():
    with_adapter = Configurator()
    with_adapter.add_renderer("json", money_renderer())
    without = Configurator()
    without.add_route("home", "/")
    without.add_view(returning({"price": Money("1", "USD")}), route_name="home", renderer="json")
    TestApp(without.make_wsgi_app()).get("/", status=500)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2024, 5, 17, 13, 45, 30, 123456), "2024-05-17T13:45:30.123456"),
        (datetime.datetime(2024, 5, 17, 13, 45, tzinfo=datetime.timezone.utc), "2024-05-17T13:45:00+00:00"),
        (datetime.date(2024, 5, 17), "2024-05-17"),
        (datetime.time(9, 5, 7), "09:05:07"),
        (decimal.Decimal("1.10"), "1.10"),
        (decimal.Decimal("12345678901234567890.000000001"), "12345678901234567890.000000001"),
        (uuid.UUID("12345678-1234-5678-1234-567812345678"), "12345678-1234-5678-1234-567812345678"),
    ],
    ids=["datetime", "aware-datetime", "date", "time", "decimal", "long-decimal", "uuid"],
)
def test_json_serialises_builtin_types_as_strings(config, make_app, value, expected):
    res = json_app(config, make_app, {"v": value}).get("/")
    assert res.json == {"v": expected}


@pytest.mark.parametrize(
    ("keywords", "body"),
    [
        ({"sort_keys": True}, b'{"a": 1, "b": 2}'),
        ({"separators": (",", ":")}, b'{"b":2,"a":1}'),
        ({"indent": 1, "sort_keys": True}, b'{\n "a": 1,\n "b": 2\n}'),
    ],
)
def test_json_keyword_arguments_go_to_the_serializer(config, make_app, keywords, body):
    config.add_renderer("json", JSON(**keywords))
    res = json_app(config, make_app, {"b": 2, "a": 1}).get("/")
    assert res.body == body


def test_json_custom_serializer_is_used(config, make_app):
    config.add_renderer("json", JSON(serializer=lambda value, **kw: json.dumps(value, **kw).upper()))
    res = json_app(config, make_app, {"a": "x"}).get("/")
    assert res.body == b'{"A": "X"}'


class Unserialisable:
    def __repr__(self) -> str:
        return "<Unserialisable secret=hunter2>"


def test_json_unserialisable_value_gets_a_short_500_not_a_traceback(config, make_app):
    res = json_app(config, make_app, {"thing": Unserialisable()}).get("/", headers={"Accept": "text/plain"}, status=500)
    assert res.body == SHORT_500_TEXT
    assert res.content_type == "text/plain"


def test_json_unserialisable_value_is_logged_with_its_type(config, make_app, caplog):
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        json_app(config, make_app, {"thing": Unserialisable()}).get("/", status=500)
    assert "is not JSON serializable" in caplog.text
    assert "Unserialisable" in caplog.text


# --- string ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "body"),
    [(42, b"42"), ("café", "café".encode()), ([1, 2], b"[1, 2]"), ({"a": 1}, b"{'a': 1}"), (None, b"None")],
)
def test_string_renders_str_of_the_value_as_utf8(config, make_app, value, body):
    res = app_with_view(config, make_app, returning(value), renderer="string").get("/")
    assert res.body == body


def test_string_content_type_is_text_plain_utf8(config, make_app):
    res = app_with_view(config, make_app, returning(42), renderer="string").get("/")
    assert res.headers["Content-Type"] == PLAIN


# --- custom renderers -----------------------------------------------------------------------


class CSVFactory:
    """A renderer factory producing text/csv from a list of rows; records the infos it gets."""

    media_type = "text/csv"

    def __init__(self) -> None:
        self.infos: list[RendererInfo] = []

    def __call__(self, info: RendererInfo) -> Callable[[Any, dict[str, Any]], str]:
        self.infos.append(info)

        def render_csv(value: Any, system: dict[str, Any]) -> str:
            system["request"].response.content_type = "text/csv"
            return "".join(",".join(str(cell) for cell in row) + "\r\n" for row in value["rows"])

        return render_csv


ROWS = {"rows": [["a", 1], ["b", 2]]}


def test_custom_renderer_registered_by_name_renders_the_view(config, make_app):
    config.add_renderer("csv", CSVFactory())
    res = app_with_view(config, make_app, returning(ROWS), renderer="csv").get("/")
    assert res.body == b"a,1\r\nb,2\r\n"
    assert res.headers["Content-Type"] == "text/csv; charset=UTF-8"


def test_custom_renderer_registered_by_extension_renders_views_naming_such_files(config, make_app):
    config.add_renderer(".txt", CSVFactory())
    res = app_with_view(config, make_app, returning(ROWS), renderer="templates/note.txt").get("/")
    assert res.body == b"a,1\r\nb,2\r\n"


@pytest.mark.parametrize(
    ("registered", "renderer", "expected_type"),
    [("csv", "csv", "csv"), (".txt", "templates/note.txt", ".txt")],
)
def test_custom_renderer_factory_receives_renderer_info(make_app, registered, renderer, expected_type):
    config = Configurator(settings={"csv.delimiter": ";"})
    factory = CSVFactory()
    config.add_renderer(registered, factory)
    app_with_view(config, make_app, returning(ROWS), renderer=renderer)
    assert len(factory.infos) == 1
    info = factory.infos[0]
    assert info.name == renderer
    assert info.package == __name__
    assert info.settings["csv.delimiter"] == ";"
    assert info.type == expected_type


def test_custom_renderer_returning_str_without_a_content_type_is_sent_as_text_plain(config, make_app):
    config.add_renderer("shout", lambda info: lambda value, system: str(value).upper())
    res = app_with_view(config, make_app, returning("hi"), renderer="shout").get("/")
    assert res.body == b"HI"
    assert res.headers["Content-Type"] == PLAIN


def test_custom_renderer_may_return_bytes(config, make_app):
    def factory(info):
        def render_bytes(value, system):
            system["request"].response.content_type = "application/octet-stream"
            return bytes(value)

        return render_bytes

    config.add_renderer("bytes", factory)
    res = app_with_view(config, make_app, returning([0, 255, 10]), renderer="bytes").get("/")
    assert res.body == b"\x00\xff\n"
    assert res.headers["Content-Type"] == "application/octet-stream"


def test_custom_renderer_declared_media_type_is_the_content_type_when_the_renderer_sets_none(config, make_app):
    def factory(info):
        return lambda value, system: "a;b\r\n"

    factory.media_type = "text/csv"
    config.add_renderer("csv", factory)
    res = app_with_view(config, make_app, returning({}), renderer="csv").get("/")
    assert res.headers["Content-Type"] == "text/csv; charset=UTF-8"


def test_custom_renderer_returning_bytes_without_any_type_is_sent_as_octet_stream(config, make_app):
    config.add_renderer("raw", lambda info: lambda value, system: b"\x00\x01")
    res = app_with_view(config, make_app, returning({}), renderer="raw").get("/")
    assert res.headers["Content-Type"] == "application/octet-stream"
    assert res.body == b"\x00\x01"


def test_views_differing_only_in_their_renderers_type_are_chosen_by_accept(config, make_app):
    config.add_renderer("csv", CSVFactory())
    config.add_route("table", "/table")
    config.add_view(returning(ROWS), route_name="table", renderer="json")
    config.add_view(returning(ROWS), route_name="table", renderer="csv")
    app = make_app(config)
    assert app.get("/table", headers={"Accept": "text/csv"}).body == b"a,1\r\nb,2\r\n"
    assert app.get("/table", headers={"Accept": "application/json"}).json == ROWS


@pytest.fixture
def csv_or_json_app(config: Configurator, make_app: MakeApp) -> TestApp:
    """One route, two views: JSON (with an accept predicate), and a view with no predicate
    whose custom renderer's factory says it makes text/csv."""
    config.add_renderer("csv", CSVFactory())
    config.add_route("table", "/table")
    config.add_view(returning(ROWS), route_name="table", renderer="json", accept="application/json")
    config.add_view(returning(ROWS), route_name="table", renderer="csv")
    return make_app(config)


def test_custom_renderer_media_type_wins_negotiation_for_a_client_preferring_it(csv_or_json_app):
    # Without the factory's media_type the csv view would have no type and the JSON view,
    # which the client also accepts, would win.
    res = csv_or_json_app.get("/table", headers={"Accept": "application/json;q=0.5, text/csv"})
    assert res.body == b"a,1\r\nb,2\r\n"
    assert res.headers["Content-Type"] == "text/csv; charset=UTF-8"


def test_custom_renderer_media_type_loses_negotiation_for_a_client_preferring_another(csv_or_json_app):
    res = csv_or_json_app.get("/table", headers={"Accept": "text/csv;q=0.5, application/json"})
    assert res.json == ROWS
    assert res.headers["Content-Type"] == "application/json"


def test_custom_renderer_media_type_is_served_to_a_client_asking_only_for_it(csv_or_json_app):
    res = csv_or_json_app.get("/table", headers={"Accept": "text/csv"})
    assert res.body == b"a,1\r\nb,2\r\n"


def test_unknown_renderer_name_is_a_configuration_error_naming_it(config):
    config.add_route("home", "/")
    config.add_view(returning({}), route_name="home", renderer="jsno")
    with pytest.raises(ConfigurationError, match=r"no renderer is registered for 'jsno'; did you mean 'json'\?"):
        config.make_wsgi_app()


# --- Mako -----------------------------------------------------------------------------------


def test_mako_template_sees_the_views_values_and_request_view_and_renderer_name(config, make_app):
    def greet_view(request):
        return {"greeting": "hello"}

    res = app_with_view(config, make_app, greet_view, renderer="templates/system.mako").get("/")
    assert res.text == "hello|/|greet_view|templates/system.mako\n"


def test_mako_template_sees_the_instance_of_a_view_class_as_view(config, make_app):
    class Shelf:
        def __init__(self, request):
            self.title = f"shelf at {request.path}"

        def show(self):
            return {}

    config.add_route("home", "/")
    config.add_view(Shelf, attr="show", route_name="home", renderer="templates/view_instance.mako")
    assert make_app(config).get("/").text == "shelf at /|Shelf\n"


def test_a_custom_renderer_sees_the_instance_of_a_view_class_as_view(config, make_app):
    class Shelf:
        def __init__(self, request):
            self.request = request

        def __call__(self):
            return {}

    config.add_renderer("who", lambda info: lambda value, system: type(system["view"]).__name__)
    config.add_route("home", "/")
    config.add_view(Shelf, route_name="home", renderer="who")
    assert make_app(config).get("/").text == "Shelf"


def test_mako_content_type_is_text_html_utf8(config, make_app):
    res = app_with_view(config, make_app, returning({"value": "x"}), renderer="templates/escaped.mako").get("/")
    assert res.headers["Content-Type"] == HTML


def test_mako_output_is_utf8_encoded(config, make_app):
    res = app_with_view(config, make_app, returning({"value": "café ☕"}), renderer="templates/escaped.mako").get("/")
    assert res.body == "<p>café ☕</p>\n".encode()


def test_mako_escapes_html_by_default(config, make_app):
    res = app_with_view(config, make_app, returning({"value": "<b>&"}), renderer="templates/escaped.mako").get("/")
    assert res.text == "<p>&lt;b&gt;&amp;</p>\n"


def test_mako_n_filter_turns_escaping_off(config, make_app):
    res = app_with_view(config, make_app, returning({"value": "<b>&"}), renderer="templates/raw.mako").get("/")
    assert res.text == "<p><b>&</p>\n"


def test_mako_full_template_renders_its_defs_in_place(config, make_app):
    res = app_with_view(config, make_app, returning({"title": "News"}), renderer="templates/page.mako").get("/")
    assert res.text == "<h1>News</h1>\n\n<main><p>News at /</p></main>\n"


@pytest.mark.parametrize("renderer", ["templates/page.mako#part", "templates/page#part.mako"])
def test_mako_fragment_renders_only_the_named_def_with_the_views_values(config, make_app, renderer):
    res = app_with_view(config, make_app, returning({"title": "<News>"}), renderer=renderer).get("/")
    assert res.text == "<p>&lt;News&gt; at /</p>"
    assert res.headers["Content-Type"] == HTML


def test_mako_full_page_and_fragment_of_one_template_serve_one_route(config, make_app):
    config.add_route("page", "/page")
    config.add_view(returning({"title": "T"}), route_name="page", renderer="templates/page.mako")
    config.add_view(returning({"title": "T"}), route_name="page", renderer="templates/page.mako#part", xhr=True)
    app = make_app(config)
    assert app.get("/page", headers={"X-Requested-With": "XMLHttpRequest"}).text == "<p>T at /page</p>"
    assert app.get("/page").text == "<h1>T</h1>\n\n<main><p>T at /page</p></main>\n"


def test_mako_template_inheriting_from_a_neighbour_renders(config, make_app):
    res = app_with_view(config, make_app, returning({"title": "child"}), renderer="templates/child.mako").get("/")
    assert res.text == "<html><body>\n<p>child</p>\n</body></html>\n"


def test_mako_package_path_names_a_template_in_another_package(config, make_app):
    renderer = "tests.apps.tmpl_pkg:templates/pkg_page.mako"
    res = app_with_view(config, make_app, returning({"title": "T"}), renderer=renderer).get("/")
    assert res.text == "<p>from the package: T</p>\n"
    assert res.headers["Content-Type"] == HTML


def test_mako_package_path_template_inherits_from_its_neighbour(config, make_app):
    renderer = "tests.apps.tmpl_pkg:templates/pkg_child.mako"
    res = app_with_view(config, make_app, returning({"title": "T"}), renderer=renderer).get("/")
    assert res.text == "<section>\n<p>T</p>\n</section>\n"


@pytest.fixture
def mako_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """Two template directories; ``only_here.mako`` is in the second only."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (second / "only_here.mako").write_text("<p>found ${name}</p>\n", encoding="utf-8")
    return first, second


@pytest.mark.parametrize(
    "as_setting",
    [
        lambda a, b: [str(a), str(b)],
        lambda a, b: f"\n{a}\n{b}\n",
        lambda a, b: f"{a}, {b}",
    ],
    ids=["list", "lines", "commas"],
)
def test_mako_template_found_only_in_mako_directories_renders(make_app, mako_dirs, as_setting):
    config = Configurator(settings={"mako.directories": as_setting(*mako_dirs)})
    res = app_with_view(config, make_app, returning({"name": "it"}), renderer="only_here.mako").get("/")
    assert res.text == "<p>found it</p>\n"


def test_mako_name_starting_with_a_slash_is_searched_only_in_mako_directories(make_app, mako_dirs):
    config = Configurator(settings={"mako.directories": [str(d) for d in mako_dirs]})
    res = app_with_view(config, make_app, returning({"name": "it"}), renderer="/only_here.mako").get("/")
    assert res.text == "<p>found it</p>\n"


def test_mako_settings_are_read_when_the_app_is_compiled_not_when_the_configurator_is_made(make_app, mako_dirs):
    config = Configurator()
    config.settings["mako.directories"] = [str(mako_dirs[1])]
    res = app_with_view(config, make_app, returning({"name": "late"}), renderer="only_here.mako").get("/")
    assert res.text == "<p>found late</p>\n"


def test_a_second_app_built_with_other_mako_directories_searches_those(make_app, mako_dirs):
    config = Configurator(settings={"mako.directories": [str(mako_dirs[0])]})
    config.add_route("home", "/")
    config.add_view(returning("first"), route_name="home", renderer="string", xhr=True)
    make_app(config)
    config.settings["mako.directories"] = [str(mako_dirs[1])]
    config.add_view(returning({"name": "again"}), route_name="home", renderer="only_here.mako")
    assert make_app(config).get("/").text == "<p>found again</p>\n"


def test_mako_template_not_in_any_mako_directory_is_a_configuration_error(make_app, mako_dirs):
    config = Configurator(settings={"mako.directories": [str(mako_dirs[0])]})
    config.add_route("home", "/")
    config.add_view(returning({}), route_name="home", renderer="only_here.mako")
    with pytest.raises(ConfigurationError, match=r"template 'only_here.mako' not found"):
        config.make_wsgi_app()


def render_twice_with_a_change(tmp_path: Path, make_app: MakeApp, settings: dict[str, Any]) -> tuple[str, str]:
    template = tmp_path / "live.mako"
    template.write_text("version one ${n}\n", encoding="utf-8")
    config = Configurator(settings={**settings, "mako.directories": [str(tmp_path)]})
    app = app_with_view(config, make_app, returning({"n": 1}), renderer="live.mako")
    first = app.get("/").text
    template.write_text("version two ${n}\n", encoding="utf-8")
    later = time.time() + 60
    os.utime(template, (later, later))
    return first, app.get("/").text


@pytest.mark.parametrize("flag", [True, "true"])
def test_mako_reload_templates_picks_up_a_changed_file_on_the_next_request(tmp_path, make_app, flag):
    first, second = render_twice_with_a_change(tmp_path, make_app, {"reload_templates": flag})
    assert first == "version one 1\n"
    assert second == "version two 1\n"


@pytest.mark.parametrize("settings", [{}, {"reload_templates": False}, {"reload_templates": "false"}])
def test_mako_without_reload_templates_keeps_serving_the_compiled_template(tmp_path, make_app, settings):
    first, second = render_twice_with_a_change(tmp_path, make_app, settings)
    assert first == "version one 1\n"
    assert second == "version one 1\n"


def test_mako_missing_template_is_a_configuration_error_naming_template_and_view_line(config):
    config.add_route("home", "/")
    line = inspect.currentframe().f_lineno + 1
    config.add_view(returning({}), route_name="home", renderer="templates/nowhere.mako")
    with pytest.raises(ConfigurationError) as caught:
        config.make_wsgi_app()
    message = str(caught.value)
    assert "'templates/nowhere.mako' not found" in message
    assert f"test_renderers.py:{line}" in message


@pytest.mark.parametrize("renderer", ["templates/page.mako#nope", "templates/page#nope.mako"])
def test_mako_missing_def_is_a_configuration_error_naming_the_def_and_the_view_line(config, renderer):
    config.add_route("home", "/")
    line = inspect.currentframe().f_lineno + 1
    config.add_view(returning({}), route_name="home", renderer=renderer)
    with pytest.raises(ConfigurationError) as caught:
        config.make_wsgi_app()
    assert '<%def name="nope()">' in str(caught.value)
    assert "its defs: part" in str(caught.value)
    assert f"test_renderers.py:{line}" in str(caught.value)


def test_mako_template_error_gets_a_short_500(config, make_app):
    app = app_with_view(config, make_app, returning({"zero": 0}), renderer="templates/broken.mako")
    res = app.get("/", headers={"Accept": "text/plain"}, status=500)
    assert res.body == SHORT_500_TEXT


def test_mako_template_error_is_logged_with_template_file_and_line(config, make_app, caplog):
    app = app_with_view(config, make_app, returning({"zero": 0}), renderer="templates/broken.mako")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        app.get("/", status=500)
    errors = [r for r in caplog.records if r.name == "viewpick" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert os.path.join("templates", "broken.mako") + '", line 3, in render_body' in caplog.text
    assert "ZeroDivisionError" in caplog.text


def test_mako_template_syntax_error_is_a_configuration_error_naming_template_file_and_line(tmp_path):
    template = tmp_path / "bad_syntax.mako"
    template.write_text("<p>ok</p>\n% for x in:\n% endfor\n", encoding="utf-8")
    config = Configurator(settings={"mako.directories": [str(tmp_path)]})
    config.add_route("home", "/")
    config.add_view(returning({}), route_name="home", renderer="bad_syntax.mako")
    with pytest.raises(ConfigurationError, match=r"bad_syntax.mako' at line: 2 char: 1"):
        config.make_wsgi_app()


def test_mako_def_named_like_a_value_of_the_view_gets_a_500(config, make_app):
    app = app_with_view(config, make_app, returning({"results": [1], "item": "x"}), renderer="templates/shadow.mako")
    res = app.get("/", headers={"Accept": "text/plain"}, status=500)
    assert res.body == SHORT_500_TEXT


def test_mako_def_named_like_a_value_of_the_view_is_logged_as_hiding_it(config, make_app, caplog):
    app = app_with_view(config, make_app, returning({"results": [1], "item": "x"}), renderer="templates/shadow.mako")
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        app.get("/", status=500)
    assert "<%def name=\"results()\">, which hides the view's value 'results'" in caplog.text


def test_mako_def_not_named_like_a_value_renders(config, make_app):
    app = app_with_view(config, make_app, returning({"item": "x"}), renderer="templates/shadow.mako")
    assert app.get("/").text == "\n<ul><li>x</li></ul>\n"


def test_mako_view_returning_something_other_than_a_dict_gets_a_500(config, make_app):
    app = app_with_view(config, make_app, returning(["not", "a", "dict"]), renderer="templates/escaped.mako")
    res = app.get("/", headers={"Accept": "text/plain"}, status=500)
    assert res.body == SHORT_500_TEXT


# --- render / render_to_response ------------------------------------------------------------


def test_render_a_template_outside_a_view_returns_str_relative_to_the_caller():
    result = render("templates/letter.mako", {"name": "<Ann>"})
    assert result == "Dear &lt;Ann&gt;,\n"
    assert type(result) is str


def test_render_outside_a_view_compiles_a_template_once(tmp_path, monkeypatch):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "__init__.py").write_text("", encoding="utf-8")
    template = tmp_path / "letters" / "note.mako"
    template.write_text("first ${n}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert render("note.mako", {"n": 1}, package="letters") == "first 1\n"
    template.write_text("second ${n}\n", encoding="utf-8")
    later = time.time() + 60
    os.utime(template, (later, later))
    assert render("note.mako", {"n": 2}, package="letters") == "first 2\n"


def test_render_inside_a_view_leaves_the_views_own_response_type_alone(config, make_app):
    def view(request):
        letter = render("templates/letter.mako", {"name": "Ann"}, request)
        return {"letter": letter}

    res = app_with_view(config, make_app, view, renderer="json").get("/")
    assert res.headers["Content-Type"] == "application/json"
    assert res.json == {"letter": "Dear Ann,\n"}


def test_render_a_template_fragment_outside_a_view():
    assert render("templates/page.mako#part", {"title": "T", "request": webob.Request.blank("/x")}) == "<p>T at /x</p>"


def test_render_json_without_a_request_returns_str():
    result = render("json", {"when": datetime.date(2024, 1, 2), "n": decimal.Decimal("1.10")})
    assert result == '{"when": "2024-01-02", "n": "1.10"}'


def test_render_string_without_a_request_returns_str():
    assert render("string", 42) == "42"


def test_render_to_response_json_without_a_request_returns_a_response():
    response = render_to_response("json", {"a": [1, 2]})
    assert isinstance(response, Response)
    assert response.body == b'{"a": [1, 2]}'
    assert response.headers["Content-Type"] == "application/json"
    assert response.status_int == 200


def test_render_to_response_a_template_without_a_request_returns_an_html_response():
    response = render_to_response("templates/letter.mako", {"name": "Ann"})
    assert response.body == b"Dear Ann,\n"
    assert response.headers["Content-Type"] == HTML


def test_render_to_response_in_a_view_uses_the_apps_custom_renderer(config, make_app):
    config.add_renderer("csv", CSVFactory())

    def view(request):
        return render_to_response("csv", ROWS, request=request)

    res = app_with_view(config, make_app, view).get("/")
    assert res.body == b"a,1\r\nb,2\r\n"
    assert res.headers["Content-Type"] == "text/csv; charset=UTF-8"


def test_render_to_response_in_a_view_fills_request_response(config, make_app):
    def view(request):
        request.response.headers["X-Kept"] = "1"
        response = render_to_response("json", {"a": 1}, request=request)
        assert response is request.response
        return response

    res = app_with_view(config, make_app, view).get("/")
    assert res.headers["X-Kept"] == "1"
    assert res.body == b'{"a": 1}'


def test_render_to_response_in_a_view_resolves_templates_relative_to_the_caller(config, make_app):
    def view(request):
        return render_to_response("templates/letter.mako", {"name": "Bo"}, request=request)

    res = app_with_view(config, make_app, view).get("/")
    assert res.body == b"Dear Bo,\n"
    assert res.headers["Content-Type"] == HTML


def test_render_in_a_view_uses_the_apps_json_adapters(config, make_app):
    config.add_renderer("json", money_renderer())

    def view(request):
        return Response(render("json", {"price": Money("2.50", "EUR")}, request=request), content_type="text/plain")

    res = app_with_view(config, make_app, view).get("/")
    assert res.text == '{"price": "2.50 EUR"}'


# --- mako.strict_undefined ------------------------------------------------------------------


def typo_app(make_app: MakeApp, **settings: Any) -> TestApp:
    """A view returning ``name`` to a template that says ``${nmae}``."""
    config = Configurator(settings)
    return app_with_view(config, make_app, returning({"name": "Ann"}), renderer="templates/typo.mako")


def test_mako_strict_undefined_logs_the_missing_name_and_the_template(make_app, caplog):
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        res = typo_app(make_app, **{"mako.strict_undefined": "true"}).get(
            "/", headers={"Accept": "text/plain"}, status=500
        )
    assert res.body == SHORT_500_TEXT
    assert "NameError: 'nmae' is not defined" in caplog.text
    assert "templates/typo.mako" in caplog.text


def test_mako_without_strict_undefined_logs_only_that_something_was_undefined(make_app, caplog):
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        typo_app(make_app).get("/", status=500)
    assert "NameError: Undefined" in caplog.text
    assert "nmae" not in caplog.text.split("NameError")[-1]


def test_mako_reload_templates_turns_strict_undefined_on(make_app, caplog):
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        typo_app(make_app, reload_templates="true").get("/", status=500)
    assert "NameError: 'nmae' is not defined" in caplog.text


def test_mako_strict_undefined_can_be_turned_off_while_reloading(make_app, caplog):
    with caplog.at_level(logging.ERROR, logger="viewpick"):
        typo_app(make_app, reload_templates="true", **{"mako.strict_undefined": "false"}).get("/", status=500)
    assert "NameError: Undefined" in caplog.text


def test_mako_strict_undefined_still_renders_what_is_defined(make_app):
    config = Configurator({"mako.strict_undefined": "true"})
    res = app_with_view(config, make_app, returning({"value": "x"}), renderer="templates/escaped.mako").get("/")
    assert res.status_int == 200


# --- Response ------------------------------------------------------------------------------


def test_a_response_given_a_body_is_html_in_utf8_by_default(config, make_app):
    app = app_with_view(config, make_app, lambda request: Response("<p>café</p>"))
    res = app.get("/")
    assert res.headers["Content-Type"] == HTML
    assert res.body == "<p>café</p>".encode()


def test_a_response_given_text_is_html_in_utf8_by_default():
    assert Response(text="<p>Hi</p>").headers["Content-Type"] == HTML


def test_a_response_given_a_content_type_keeps_it():
    assert Response("a,b", content_type="text/csv").headers["Content-Type"] == "text/csv; charset=UTF-8"


def test_an_empty_response_is_html_as_in_pyramid():
    assert Response().headers["Content-Type"] == HTML


def test_a_response_with_its_content_type_unset_is_left_for_a_renderer_to_fill():
    assert Response.unset().content_type is None


def test_an_error_view_after_a_failing_view_class_gets_itself_as_view(config, make_app, caplog):
    class Shelf:
        def __init__(self, request):
            self.request = request

        def __call__(self):
            raise RuntimeError("shelf collapsed")

    def sorry(request):
        return {}

    config.add_renderer("who", lambda info: lambda value, system: getattr(system["view"], "__name__", "instance"))
    config.add_route("home", "/")
    config.add_view(Shelf, route_name="home", renderer="who")
    config.add_exception_view(sorry, context=Exception, renderer="who")
    with caplog.at_level(logging.CRITICAL, logger="viewpick"):
        assert make_app(config).get("/", status=500).text == "sorry"


def _filled_by_webobs_setters(response: Response, body: str | bytes, media_type: str | None) -> Response:
    """What ``renderers.fill`` promises, written with WebOb's own setters."""
    if response.content_type is None:
        response.content_type = media_type or ("text/plain" if isinstance(body, str) else "application/octet-stream")
    response.body = body.encode(response.charset or "utf-8") if isinstance(body, str) else body
    return response


RESPONSE_STATES: dict[str, Callable[[], Response]] = {
    "untouched": Response.unset,
    "a status and a cookie": lambda: _with(Response.unset(), status=201, cookie=("sid", "1")),
    "the view's own type": lambda: _with(Response.unset(), content_type="application/xml"),
    "the view's own type and charset": lambda: _with(Response.unset(), content_type="text/csv", charset="latin-1"),
    "an empty Content-Type": lambda: Response(headerlist=[("Content-Type", ""), ("X-Kept", "1")]),
}


def _with(response: Response, cookie: tuple[str, str] | None = None, **attributes: Any) -> Response:
    for name, value in attributes.items():
        setattr(response, name, value)
    if cookie is not None:
        response.set_cookie(*cookie)
    return response


@pytest.mark.parametrize("state", sorted(RESPONSE_STATES))
@pytest.mark.parametrize(
    ("body", "media_type"), [("café", "text/html"), ("{}", "application/json"), (b"\x00", None), ("x", None)]
)
def test_filling_a_response_gives_what_webobs_setters_give(state, body, media_type):
    ours = renderers.fill(RESPONSE_STATES[state](), body, media_type)
    theirs = _filled_by_webobs_setters(RESPONSE_STATES[state](), body, media_type)
    assert (ours.status, ours.headerlist, ours.body) == (theirs.status, theirs.headerlist, theirs.body)
