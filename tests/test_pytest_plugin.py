"""The pytest plugin viewpick installs: the ``viewpick_app`` fixture, a WebTest app built from
the factory the configuration or a marker names."""

from __future__ import annotations

pytest_plugins = ["pytester"]


def test_the_factory_named_in_the_ini_file_builds_the_fixtures_app(pytester):
    pytester.makeini("[pytest]\nviewpick_factory = tests.apps.explained:main\n")
    pytester.makepyfile(
        """
        def test_feed(viewpick_app):
            assert viewpick_app.get("/feed", headers={"Accept": "application/json"}).json == {"view": "feed"}
        """
    )
    pytester.runpytest_inprocess().assert_outcomes(passed=1)


def test_a_marker_names_the_factory_and_adds_settings(pytester):
    pytester.makeini("[pytest]\nviewpick_settings =\n    max_body_bytes = 5\n")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.viewpick(factory="tests.apps.explained:main", settings={"debug_dispatch": "true"})
        def test_settings(viewpick_app, viewpick_settings):
            assert viewpick_settings == {"max_body_bytes": "5", "debug_dispatch": "true"}
            response = viewpick_app.get("/feed", headers={"Accept": "text/plain"}, status=406)
            assert "route: feed" in response.text
            viewpick_app.post("/films/1", b"123456", status=413)
        """
    )
    pytester.runpytest_inprocess().assert_outcomes(passed=1)


def test_without_a_factory_the_fixture_says_how_to_name_one(pytester):
    pytester.makepyfile("def test_app(viewpick_app):\n    pass\n")
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*needs a factory: set viewpick_factory*"])


def test_a_factory_that_cannot_be_loaded_is_reported_in_one_line(pytester):
    pytester.makeini("[pytest]\nviewpick_factory = tests.apps.explained:mian\n")
    pytester.makepyfile("def test_app(viewpick_app):\n    pass\n")
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*has no attribute 'mian'*did you mean 'main'*"])


def test_a_settings_line_without_an_equals_sign_is_a_usage_error(pytester):
    pytester.makeini("[pytest]\nviewpick_factory = tests.apps.explained:main\nviewpick_settings = debug\n")
    pytester.makepyfile("def test_app(viewpick_app):\n    pass\n")
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*takes 'key = value' lines*"])
