"""``viewpick.testing``'s Pyramid names - setUp/tearDown/testConfig, DummyRequest,
DummySecurityPolicy (``config.testing_securitypolicy``), DummyResource - used as Pyramid's quick
tutorial and wiki tutorial use them in their unit tests, plus a functional test of the same app."""

from __future__ import annotations

import io
import unittest
from typing import Any

import pytest
from webtest import TestApp

from viewpick import testing
from viewpick.acl import ACLHelper, Allow, Authenticated, Everyone
from viewpick.sessions import SignedCookieSessionFactory


class TutorialViewTests(unittest.TestCase):
    def setUp(self):
        self.config = testing.setUp({"site.name": "Tutorial"})
        self.config.include("tests.apps.tutorial.routes")

    def tearDown(self):
        testing.tearDown()

    def test_home_links_to_hello_by_route_url(self):
        from tests.apps.tutorial.views import home

        response = home(testing.DummyRequest())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content_type, "text/html")
        self.assertIn(b'href="http://example.com/howdy/a/b"', response.body)

    def test_view_class_reads_the_matchdict_set_on_the_request(self):
        from tests.apps.tutorial.views import TutorialViews

        request = testing.DummyRequest()
        request.matchdict["first"] = "First"
        request.matchdict["last"] = "Last"
        info = TutorialViews(request).hello()
        self.assertEqual(info["full_name"], "First Last")

    def test_params_are_the_query_string(self):
        from tests.apps.tutorial.views import TutorialViews

        request = testing.DummyRequest(params={"q": "kurosawa"}, matchdict={"first": "a", "last": "b"})
        self.assertEqual(TutorialViews(request).hello()["q"], "kurosawa")

    def test_a_view_gets_the_context_settings_and_static_url(self):
        from tests.apps.tutorial.routes import PageResource
        from tests.apps.tutorial.views import page

        self.config.testing_securitypolicy(userid="editor")
        request = testing.DummyRequest(matchdict={"name": "FrontPage"})
        request.context = PageResource(request)
        info = page(request)
        self.assertEqual(info["edit_url"], "http://example.com/pages/FrontPage/edit")
        self.assertEqual(info["css"], "http://example.com/static/app.css")
        self.assertEqual(info["site"], "Tutorial")

    def test_a_permissive_policy_permits_and_records_the_context(self):
        from tests.apps.tutorial.views import page

        policy = self.config.testing_securitypolicy(userid="editor", permissive=True)
        context = testing.DummyResource(name="FrontPage")
        info = page(testing.DummyRequest(context=context))
        self.assertTrue(info["can_edit"])
        self.assertEqual(policy.checked, [(context, "edit")])

    def test_a_refusing_policy_refuses(self):
        from tests.apps.tutorial.views import page

        self.config.testing_securitypolicy(userid="visitor", permissive=False)
        info = page(testing.DummyRequest(context=testing.DummyResource(name="FrontPage")))
        self.assertFalse(info["can_edit"])

    def test_the_policys_identity_is_the_requests(self):
        self.config.testing_securitypolicy(userid="editor")
        self.assertEqual(testing.DummyRequest().identity, "editor")

    def test_login_posts_a_form_and_remembers_the_user(self):
        from tests.apps.tutorial.views import login

        policy = self.config.testing_securitypolicy(remember_result=[("Set-Cookie", "auth=editor")])
        response = login(testing.DummyRequest(post={"login": "editor", "password": "secret"}))
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.location, "http://example.com/")
        self.assertEqual(policy.remembered, "editor")
        self.assertEqual(response.headers["Set-Cookie"], "auth=editor")

    def test_login_refuses_a_wrong_password_without_remembering(self):
        from tests.apps.tutorial.views import login

        policy = self.config.testing_securitypolicy()
        response = login(testing.DummyRequest(post={"login": "editor", "password": "guess"}))
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(policy.remembered)


class DummyRequestTests(unittest.TestCase):
    def test_headers_and_cookies_are_the_requests(self):
        request = testing.DummyRequest(headers={"X-Requested-With": "XMLHttpRequest"}, cookies={"theme": "dark"})
        self.assertTrue(request.is_xhr)
        self.assertEqual(request.cookies["theme"], "dark")

    def test_post_makes_a_form_post(self):
        request = testing.DummyRequest(post={"title": "Ran"})
        self.assertEqual((request.method, request.POST["title"], request.params["title"]), ("POST", "Ran", "Ran"))

    def test_keywords_become_attributes(self):
        self.assertEqual(testing.DummyRequest(dbsession="a session").dbsession, "a session")

    def test_a_request_may_be_bound_to_a_built_application(self):
        from tests.apps.tutorial import main

        request = testing.DummyRequest(app=main({"site.name": "Built"}))
        self.assertEqual(
            (request.route_path("hello", first="a", last="b"), request.app.settings["site.name"]),
            ("/howdy/a/b", "Built"),
        )

    def test_without_setup_a_request_is_bound_to_nothing(self):
        request = testing.DummyRequest()
        with self.assertRaises(LookupError):
            request.route_url("home")


def test_test_config_binds_requests_inside_the_block_only():
    with testing.testConfig() as config:
        config.add_route("home", "/home")
        assert testing.DummyRequest().route_path("home") == "/home"
    assert testing.DummyRequest().app is None


def test_dummy_resources_carry_an_acl_the_acl_helper_reads():
    root = testing.DummyResource(__acl__=[(Allow, Authenticated, "edit")])
    page = testing.DummyResource("FrontPage", root, __acl__=[(Allow, Everyone, "view")])
    assert ACLHelper().permits(page, [Everyone, Authenticated], "edit")
    assert not ACLHelper().permits(page, [Everyone], "edit")


def test_the_tutorial_app_works_end_to_end():
    app = TestApp(tutorial_app())
    assert b"/howdy/a/b" in app.get("/").body
    assert app.get("/howdy/Ann/Lee?q=x").json == {"page_title": "Hello View", "full_name": "Ann Lee", "q": "x"}
    assert app.post("/login", {"login": "editor", "password": "guess"}, status=400).text == "<p>Wrong password</p>"
    assert app.get("/pages/FrontPage").json["can_edit"] is False
    app.post("/login", {"login": "editor", "password": "secret"}, status=303)
    assert app.get("/pages/FrontPage").json["can_edit"] is True


def tutorial_app():
    from tests.apps.tutorial import main

    return main()


def test_a_request_bound_to_a_configurator_whose_routes_have_no_views_yet_generates_their_urls():
    with testing.testConfig() as config:
        config.add_route("film", "/films/{id}")
        assert testing.DummyRequest().route_url("film", id=7) == "http://example.com/films/7"


def test_a_dummy_request_has_a_session_to_flash_into_without_a_factory() -> None:
    def save(request: Any) -> dict[str, Any]:
        request.session.flash("Saved.")
        return {}

    request = testing.DummyRequest(post={"title": "x"})
    save(request)
    assert request.session.peek_flash() == ["Saved."]


def test_a_dummy_request_uses_the_session_factory_of_its_configurator() -> None:
    with testing.testConfig() as config:
        config.set_session_factory(SignedCookieSessionFactory("secret"))
        request = testing.DummyRequest(cookies={"session": "garbage"})
        assert request.session.new and request.csrf_token == request.session["_csrft_"]


def test_the_readmes_unit_test_example_passes(tmp_path):
    from tests.test_readme import code_block_after

    namespace: dict = {"__name__": "readme_test_views"}
    exec(compile(code_block_after("`test_views.py`:"), str(tmp_path / "test_views.py"), "exec"), namespace)
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(namespace["PageViewTests"])
    result = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
    assert (result.testsRun, result.wasSuccessful()) == (2, True)


def test_a_request_has_the_request_methods_the_configuration_added():
    with testing.testConfig({"greeting": "hello"}) as config:
        config.add_request_method(lambda request: request.app.settings["greeting"], "greeting", reify=True)
        config.add_request_method(lambda request, name: f"hi {name}", "greet")
        request = testing.DummyRequest()
        assert (request.greeting, request.greet("ann")) == ("hello", "hi ann")


def test_a_request_without_such_an_attribute_says_so():
    with testing.testConfig(), pytest.raises(AttributeError):
        testing.DummyRequest().no_such_thing


def test_the_demos_views_run_with_a_dummy_request_on_a_real_database(tmp_path):
    from demo.films import make_config
    from demo.films.views import film_detail

    config = make_config({"films.db": str(tmp_path / "films.sqlite3"), "films.secret": "s"})
    request = testing.DummyRequest(app=config, matchdict={"id": "1"})
    try:
        assert film_detail(request)["film"].title == "Seven Samurai"
    finally:
        request.db.close()
