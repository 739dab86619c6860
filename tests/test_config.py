"""The Configurator: scanning, declaration order, class views, custom predicates, settings,
freezing with make_wsgi_app(), and the configuration errors it reports (each naming the
declaration's file and line)."""

import sys

import pytest

import tests.apps.scan_basic
from tests.conftest import AllowAll
from viewpick import ConfigurationError, Configurator, Response, render, view_defaults


def next_line():
    """The line number after the caller's: where the declaration that follows is written."""
    return sys._getframe(1).f_lineno + 1


def here(line):
    """How an error message names a declaration on ``line`` of this file."""
    return f"tests/test_config.py:{line}"


def home(request):
    return "home"


def first_view(request):
    return "first"


def second_view(request):
    return "second"


def zzz_first(request):
    return "zzz_first"


def aaa_second(request):
    return "aaa_second"


class TenantPredicate:
    """A Pyramid-style custom predicate: ``tenant='acme'`` matches ``X-Tenant: acme``."""

    vary = ("X-Tenant",)

    def __init__(self, val, config):
        self.val = val

    def text(self):
        return f"tenant = {self.val}"

    def phash(self):
        return self.text()

    def __call__(self, context, request):
        return request.headers.get("X-Tenant") == self.val


# --- scan() -----------------------------------------------------------------------------


def test_scan_of_a_dotted_name_registers_its_decorated_views(config, make_app):
    config.add_route("hello", "/hello")
    config.scan("tests.apps.scan_basic")
    app = make_app(config)
    assert app.get("/hello", status=200).text == "hello from a scanned view"


def test_scan_of_a_module_object_registers_its_decorated_views(config, make_app):
    config.add_route("hello", "/hello")
    config.scan(tests.apps.scan_basic)
    app = make_app(config)
    assert app.get("/hello", status=200).text == "hello from a scanned view"


def test_scan_without_argument_scans_the_callers_package_and_its_submodules(make_app):
    from tests.apps.scan_pkg import make_config  # its make_config() calls config.scan()

    app = make_app(make_config())
    assert app.get("/", status=200).text == "root view from scan_pkg/__init__.py"
    assert app.get("/page", status=200).text == "page view from scan_pkg/views.py"


def test_scanned_view_errors_name_the_decorators_file_and_line(config):
    config.scan("tests.apps.scan_basic")  # route 'hello' is never added
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    assert str(raised.value).startswith(
        "view tests.apps.scan_basic.hello (tests/apps/scan_basic.py:6) names route 'hello', which was never added"
    )


def test_stacked_view_configs_make_one_view_each(config, make_app):
    config.add_route("greeting", "/greeting")
    config.scan("tests.apps.scan_stacked")
    app = make_app(config)
    got = app.get("/greeting", status=200)
    assert (got.content_type, got.text) == ("text/plain", "hello via GET")
    posted = app.post("/greeting", status=200)
    assert (posted.content_type, posted.json) == ("application/json", {"method": "POST"})


# --- declaration order breaks ties ------------------------------------------------------


def test_scan_breaks_ties_by_declaration_order_not_by_function_name(config, make_app):
    config.add_route("tie", "/tie")
    config.scan("tests.apps.scan_order")
    app = make_app(config)
    assert app.get("/tie?a=1&b=1", status=200).text == "zzz_first"
    assert app.get("/tie?b=1", status=200).text == "aaa_second"


def loud_renderer(info):
    return lambda value, system: "LOUD"


loud_renderer.media_type = "text/plain"  # the same type as 'string': only declaration order can decide


def test_stacked_decorators_tie_in_favour_of_the_top_one_though_it_is_applied_last(config, make_app):
    config.add_route("stacked_tie", "/stacked")
    config.add_renderer("loud", loud_renderer)
    config.scan("tests.apps.scan_stacked_order")
    app = make_app(config)
    assert app.get("/stacked?a=1&b=1").text == "{'from': 'stacked'}"
    assert app.get("/stacked?b=1").text == "LOUD"


@pytest.mark.parametrize(
    "declared, winner",
    [
        ([(zzz_first, "a"), (aaa_second, "b")], "zzz_first"),
        ([(aaa_second, "b"), (zzz_first, "a")], "aaa_second"),
    ],
)
def test_add_view_breaks_ties_by_call_order(config, make_app, declared, winner):
    config.add_route("tie", "/tie")
    for view, param in declared:
        config.add_view(view, route_name="tie", request_param=param, renderer="string")
    app = make_app(config)
    assert app.get("/tie?a=1&b=1", status=200).text == winner


# --- class views ------------------------------------------------------------------------


def test_view_config_on_methods_serves_each_method_of_an_instance_made_from_the_request(config, make_app):
    config.add_route("film", "/films/{id}")
    config.scan("tests.apps.scan_classes")
    app = make_app(config)
    assert app.get("/films/7", status=200).json == {"film": "7", "action": "show"}


def test_view_defaults_apply_to_every_method_and_a_methods_own_keyword_wins(config, make_app):
    config.add_route("film", "/films/{id}")
    config.scan("tests.apps.scan_classes")
    app = make_app(config)
    shown = app.get("/films/7", status=200)
    assert shown.content_type == "application/json"  # renderer from @view_defaults
    updated = app.post("/films/7", status=200)
    assert (updated.content_type, updated.text) == ("text/plain", "updated film 7")  # its own renderer


def test_add_view_of_a_class_with_attr_calls_that_method(config, make_app):
    class Greeter:
        def __init__(self, request):
            self.name = request.params.get("name", "world")

        def hello(self):
            return f"hello, {self.name}"

        def goodbye(self):
            return f"goodbye, {self.name}"

    config.add_route("greet", "/greet")
    config.add_view(Greeter, route_name="greet", attr="goodbye", renderer="string")
    app = make_app(config)
    assert app.get("/greet?name=Ann", status=200).text == "goodbye, Ann"


def test_add_view_of_a_class_uses_its_view_defaults(config, make_app):
    from tests.apps.scan_classes import FilmViews

    config.add_route("film", "/films/{id}")
    config.add_view(FilmViews, attr="helper")
    app = make_app(config)
    assert app.get("/films/3", status=200).json == {"film": "3", "action": "helper"}


def test_add_view_of_a_class_without_attr_calls_the_instance(config, make_app):
    class Ping:
        def __init__(self, request):
            self.request = request

        def __call__(self):
            return f"pong {self.request.method}"

    config.add_route("ping", "/ping")
    config.add_view(Ping, route_name="ping", renderer="string")
    assert make_app(config).get("/ping", status=200).text == "pong GET"


def test_class_without_the_named_method_is_a_configuration_error(config):
    class Greeter:
        def __init__(self, request):
            pass

        def hello(self):
            return "hello"

    config.add_route("greet", "/greet")
    line = next_line()
    config.add_view(Greeter, route_name="greet", attr="goodbye", renderer="string")
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert f"({here(line)})" in message
    assert message.endswith("class Greeter has no method 'goodbye' to call (attr=)")


# --- None means "not given" ---------------------------------------------------------------


def test_view_config_keyword_given_none_is_as_if_not_given(config, make_app):
    config.add_route("home", "/")
    config.scan("tests.apps.scan_none")  # accept=None, xhr=None, request_method=None
    app = make_app(config)
    assert app.get("/", headers={"Accept": "image/png"}, status=200).text == "home"
    assert app.delete("/", status=200).text == "home"


def test_add_view_keyword_given_none_is_as_if_not_given(config, make_app):
    config.add_route("home", "/")
    config.add_view(home, route_name="home", accept=None, xhr=None, request_method=None, renderer="string")
    app = make_app(config)
    assert app.get("/", headers={"Accept": "image/png"}, status=200).text == "home"
    assert app.delete("/", status=200).text == "home"


def test_keyword_given_none_does_not_tell_two_views_apart(config):
    config.add_route("home", "/")
    config.add_view(first_view, route_name="home", xhr=None)
    config.add_view(second_view, route_name="home")
    with pytest.raises(
        ConfigurationError, match="conflict on route 'home': both test the same things \\(no predicates\\)"
    ):
        config.make_wsgi_app()


def test_keyword_given_none_keeps_the_view_defaults_value(config, make_app):
    @view_defaults(route_name="report", renderer="json")
    class ReportViews:
        def __init__(self, request):
            pass

        def summary(self):
            return {"report": "summary"}

    config.add_route("report", "/report")
    config.add_view(ReportViews, attr="summary", renderer=None)
    app = make_app(config)
    assert app.get("/report", status=200).json == {"report": "summary"}


# --- configuration errors -----------------------------------------------------------------


def test_two_views_testing_the_same_things_on_one_route_are_reported_together(config):
    config.add_route("home", "/")
    first = next_line()
    config.add_view(first_view, route_name="home", request_method="GET", renderer="string")
    second = next_line()
    config.add_view(second_view, route_name="home", request_method="get", renderer="string")
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    assert str(raised.value).startswith(
        f"views tests.test_config.first_view ({here(first)}) and tests.test_config.second_view ({here(second)}) "
        "conflict on route 'home': both test the same things (request_method = GET,HEAD)"
    )


@pytest.mark.parametrize(
    "keywords, problem",
    [
        (
            {"route_name": "hmoe"},
            "names route 'hmoe', which was never added; did you mean 'home'? "
            "(add it with config.add_route(name, pattern))",
        ),
        ({"route_name": "home", "renderer": "jsn"}, ": no renderer is registered for 'jsn'; did you mean 'json'?"),
        (
            {"route_name": "home", "reqest_method": "GET"},
            ": unknown view keyword 'reqest_method'; did you mean 'request_method'? "
            "(add custom predicates with config.add_view_predicate(name, factory))",
        ),
        (
            {"route_name": "home", "permission": "edit"},
            "needs permission 'edit' but no security policy is set; call config.set_security_policy(policy)",
        ),
        ({"renderer": "string"}, ": a view needs route_name='...' naming a route added with config.add_route"),
        (
            {"route_name": "home", "request_method": "GE T"},
            ": request_method takes method names like 'GET', not 'GE T'",
        ),
        (
            {"route_name": "home", "header": "X-Version:[0-9"},
            ": header 'X-Version:[0-9': '[0-9' is not a valid regular expression",
        ),
        (
            {"route_name": "home", "accept": "text/*"},
            ": 'text/*' is not a media type; use a full type like 'application/json' "
            "(ranges like 'text/*' are for clients)",
        ),
        ({"route_name": "home", "xhr": "yes"}, ": xhr takes True or False, not 'yes'"),
        ({"route_name": "home", "accept": 42}, ": a media type is a string like 'application/json', not 42"),
        ({"route_name": "home", "permission": ""}, ": permission takes a permission name like 'edit', not ''"),
        (
            {"route_name": "home", "request_param": ""},
            ": request_param takes strings like 'name' or 'name=value', not ''",
        ),
        ({"route_name": "home", "request_param": ()}, ": request_param needs at least one name"),
        ({"route_name": "home", "match_param": "action"}, ": match_param takes 'name=value', not 'action'"),
    ],
)
def test_bad_view_declaration_is_reported_with_its_file_and_line(config, keywords, problem):
    config.add_route("home", "/")
    line = next_line()
    config.add_view(home, **keywords)
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert message.startswith(f"view tests.test_config.home ({here(line)})")
    assert problem in message


@pytest.mark.parametrize("name", ["xhr", "request_method", "route_name", "renderer", "attr", "tenant"])
def test_add_view_predicate_refuses_a_name_already_in_use(config, name):
    config.add_view_predicate("tenant", TenantPredicate)
    with pytest.raises(ConfigurationError) as raised:
        line = next_line()
        config.add_view_predicate(name, TenantPredicate)
    assert str(raised.value) == f"view predicate {name!r} ({here(line)}) already exists; choose another name"


def test_predicate_factory_raising_is_reported_with_the_views_file_and_line(config):
    class LowerCaseTenant(TenantPredicate):
        def __init__(self, val, config):
            if val != val.lower():
                raise ValueError("tenant names are lower-case")
            super().__init__(val, config)

    config.add_view_predicate("tenant", LowerCaseTenant)
    config.add_route("home", "/")
    line = next_line()
    config.add_view(home, route_name="home", tenant="ACME")
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    assert str(raised.value) == (
        f"view tests.test_config.home ({here(line)}): predicate tenant='ACME' failed: tenant names are lower-case"
    )


# --- make_wsgi_app() freezes --------------------------------------------------------------


def test_routes_added_after_make_wsgi_app_do_not_reach_the_built_app(config, make_app):
    config.add_route("home", "/")
    config.add_view(home, route_name="home", renderer="string")
    app = make_app(config)
    config.add_route("later", "/later")
    config.add_view(home, route_name="later", renderer="string")
    app.get("/later", status=404)
    make_app(config).get("/later", status=200)


def test_views_added_after_make_wsgi_app_do_not_reach_the_built_app(config, make_app):
    config.add_route("home", "/")
    config.add_view(first_view, route_name="home", renderer="string")
    app = make_app(config)
    config.add_view(second_view, route_name="home", xhr=True, renderer="string")
    xhr = {"X-Requested-With": "XMLHttpRequest"}
    assert app.get("/", headers=xhr, status=200).text == "first"
    assert make_app(config).get("/", headers=xhr, status=200).text == "second"


def test_renderers_added_after_make_wsgi_app_do_not_reach_the_built_app(config, make_app):
    def shout_factory(info):
        return lambda value, system: str(value).upper()

    def whisper_factory(info):
        return lambda value, system: str(value).lower()

    config.add_renderer("loud", shout_factory)
    config.add_route("home", "/")
    config.add_view(lambda request: render("loud", "Hello", request), route_name="home", renderer="string")
    app = make_app(config)
    config.add_renderer("loud", whisper_factory)
    assert app.get("/", status=200).text == "HELLO"
    assert make_app(config).get("/", status=200).text == "hello"


def test_security_policy_set_after_make_wsgi_app_does_not_reach_the_built_app(config, make_app):
    config.add_route("home", "/")
    config.add_view(lambda request: repr(request.identity), route_name="home", renderer="string")
    app = make_app(config)
    config.set_security_policy(AllowAll())
    assert app.get("/", status=200).text == "None"


def test_settings_changed_after_make_wsgi_app_do_not_reach_the_built_app(make_app):
    config = Configurator(settings={"site_name": "Films"})
    config.add_route("home", "/")
    config.add_view(lambda request: request.app.settings["site_name"], route_name="home", renderer="string")
    app = make_app(config)
    config.settings["site_name"] = "Changed"
    assert app.get("/", status=200).text == "Films"


def test_settings_changed_after_make_wsgi_app_do_not_reach_the_built_apps_renderers(make_app):
    def greeting_factory(info):
        return lambda value, system: f"{info.settings['greeting']}, {value}"

    config = Configurator(settings={"greeting": "Hello"})
    config.add_renderer("greeting", greeting_factory)
    config.add_route("home", "/")
    config.add_view(lambda request: "world", route_name="home", renderer="greeting")
    app = make_app(config)
    config.settings["greeting"] = "Goodbye"
    assert app.get("/", status=200).text == "Hello, world"


# --- request.identity -------------------------------------------------------------------


def test_identity_is_asked_of_the_policy_once_per_request(config, make_app):
    policy = AllowAll()
    config.set_security_policy(policy)
    config.add_route("home", "/")
    config.add_view(lambda request: f"{request.identity} {request.identity}", route_name="home", renderer="string")
    app = make_app(config)
    assert app.get("/", status=200).text == "alice alice"
    assert policy.identity_calls == 1
    app.get("/", status=200)
    assert policy.identity_calls == 2


def test_identity_is_asked_once_when_both_the_policy_and_the_view_use_it(config, make_app):
    class IdentityPolicy(AllowAll):
        def permits(self, request, context, permission):
            return request.identity == "alice"

    policy = IdentityPolicy()
    config.set_security_policy(policy)
    config.add_route("home", "/")
    config.add_view(
        lambda request: f"hello {request.identity}", route_name="home", permission="read", renderer="string"
    )
    assert make_app(config).get("/", status=200).text == "hello alice"
    assert policy.identity_calls == 1


def test_identity_is_not_asked_when_nothing_needs_it(config, make_app):
    policy = AllowAll()
    config.set_security_policy(policy)
    config.add_route("home", "/")
    config.add_route("admin", "/admin")
    config.add_view(home, route_name="home", renderer="string")
    config.add_view(home, route_name="admin", permission="admin", renderer="string")
    app = make_app(config)
    app.get("/", status=200)
    app.get("/admin", status=200)
    app.get("/missing", status=404)
    assert policy.identity_calls == 0


def test_identity_is_none_without_a_security_policy(config, make_app):
    config.add_route("home", "/")
    config.add_view(lambda request: repr(request.identity), route_name="home", renderer="string")
    assert make_app(config).get("/", status=200).text == "None"


# --- custom predicates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "tenant, body",
    [("acme", "acme dashboard"), ("globex", "generic dashboard"), (None, "generic dashboard")],
)
def test_custom_predicate_works_as_a_view_config_keyword(config, make_app, tenant, body):
    config.add_view_predicate("tenant", TenantPredicate)
    config.add_route("dashboard", "/dashboard")
    config.scan("tests.apps.scan_custom")
    app = make_app(config)
    headers = {"X-Tenant": tenant} if tenant else {}
    assert app.get("/dashboard", headers=headers, status=200).text == body


def test_custom_predicate_is_built_with_the_configurator_and_called_with_no_context(config, make_app):
    built_with, contexts = [], []

    class RecordingTenant(TenantPredicate):
        def __init__(self, val, config):
            built_with.append(config)
            super().__init__(val, config)

        def __call__(self, context, request):
            contexts.append(context)
            return super().__call__(context, request)

    config.add_view_predicate("tenant", RecordingTenant)
    config.add_route("home", "/")
    config.add_view(home, route_name="home", tenant="acme", renderer="string")
    app = make_app(config)
    app.get("/", headers={"X-Tenant": "acme"}, status=200)
    assert built_with == [config]
    assert contexts == [None]


def test_custom_predicates_vary_headers_are_named_in_the_response(config, make_app):
    config.add_view_predicate("tenant", TenantPredicate)
    config.add_route("dashboard", "/dashboard")
    config.scan("tests.apps.scan_custom")
    app = make_app(config)
    assert app.get("/dashboard", headers={"X-Tenant": "acme"}, status=200).headers["Vary"] == "X-Tenant, Accept"
    assert app.get("/dashboard", status=200).headers["Vary"] == "X-Tenant, Accept"


def test_custom_predicate_added_after_its_views_are_declared_is_still_found(config, make_app):
    config.add_route("dashboard", "/dashboard")
    config.scan("tests.apps.scan_custom")
    config.add_view_predicate("tenant", TenantPredicate)
    app = make_app(config)
    assert app.get("/dashboard", headers={"X-Tenant": "acme"}, status=200).text == "acme dashboard"


# --- settings -----------------------------------------------------------------------------


def test_settings_reach_the_application(make_app):
    config = Configurator(settings={"site_name": "Films", "page_size": 20})
    app = make_app(config)
    assert app.app.settings == {"site_name": "Films", "page_size": 20}


def test_settings_reach_views_through_request_app(make_app):
    config = Configurator(settings={"site_name": "Films"})
    config.add_route("home", "/")
    config.add_view(lambda request: Response(json_body=dict(request.app.settings)), route_name="home")
    assert make_app(config).get("/", status=200).json == {"site_name": "Films"}


def test_settings_are_copied_from_the_mapping_given(make_app):
    given = {"site_name": "Films"}
    config = Configurator(settings=given)
    given["site_name"] = "Changed"
    assert make_app(config).app.settings == {"site_name": "Films"}
