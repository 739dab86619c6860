"""The viewpick command line: usage errors, and loading the app factory (load_factory and
make_app), whose every failure is one line naming the module, attribute, file or line."""

import importlib.metadata
import os
import sys
import textwrap

import pytest
from webtest import TestApp

from viewpick.cli import CommandError, load_factory, main, make_app


@pytest.fixture
def project(tmp_path, monkeypatch):
    """``write(name, source)``: a module in a fresh working directory, importable by name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    before = set(sys.modules)

    def write(name, source):
        path = tmp_path / f"{name}.py"
        path.write_text(textwrap.dedent(source))
        return path

    yield write
    for name in set(sys.modules) - before:
        del sys.modules[name]


def usage_error(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    return info.value.code, capsys.readouterr().err


# --- usage errors ----------------------------------------------------------------------------


def test_no_command_is_a_usage_error(capsys):
    code, err = usage_error(capsys, [])
    assert code == 2
    assert "usage: viewpick" in err


def test_unknown_command_is_a_usage_error(capsys):
    code, err = usage_error(capsys, ["serfe"])
    assert code == 2
    assert "invalid choice: 'serfe'" in err


def test_serve_without_a_factory_is_a_usage_error(capsys):
    code, err = usage_error(capsys, ["serve"])
    assert code == 2
    assert "MODULE:FACTORY" in err


@pytest.mark.parametrize("port", ["http", "-1", "65536"])
def test_port_that_is_no_port_number_is_a_usage_error(capsys, port):
    code, err = usage_error(capsys, ["serve", "tests.apps.serve_app:main", "--port", port])
    assert code == 2
    assert f"{port!r} is not a port number" in err


@pytest.mark.parametrize("text", ["debug", "=true"])
def test_setting_that_is_not_key_value_is_a_usage_error(capsys, text):
    code, err = usage_error(capsys, ["serve", "tests.apps.serve_app:main", "--setting", text])
    assert code == 2
    assert f"{text!r} is not key=value" in err


def test_command_errors_are_one_line_and_exit_status_1(capsys):
    assert main(["serve", "no_such_module_here:main", "--port", "0"]) == 1
    assert capsys.readouterr().err == (
        f"viewpick: no module named 'no_such_module_here' (looked in {os.getcwd()} and sys.path); "
        "run from the project's directory or install it\n"
    )


# --- load_factory ---------------------------------------------------------------------------


def test_load_factory_returns_the_named_callable():
    from tests.apps import serve_app

    assert load_factory("tests.apps.serve_app:main") is serve_app.main


def test_load_factory_follows_dotted_attributes(project):
    project("dotted", "class App:\n    @staticmethod\n    def make(settings=None):\n        return None\n")
    assert load_factory("dotted:App.make").__name__ == "make"


def test_load_factory_finds_modules_in_the_working_directory(project, tmp_path):
    project("here", "def main(settings=None):\n    return None\n")
    load_factory("here:main")
    assert sys.path[0] == str(tmp_path)


@pytest.mark.parametrize("spec", ["tests.apps.serve_app", "tests.apps.serve_app:", ":main"])
def test_spec_without_module_and_factory_says_how_to_write_it(spec):
    with pytest.raises(
        CommandError, match=f"'{spec}' is not MODULE:FACTORY; name the app factory like demo.films:main"
    ):
        load_factory(spec)


def test_factory_call_in_the_spec_is_refused_with_the_fix():
    with pytest.raises(CommandError, match=r"write tests.apps.serve_app:main without parentheses"):
        load_factory("tests.apps.serve_app:main()")


def test_missing_module_is_named():
    with pytest.raises(CommandError, match=r"no module named 'no_such_module_here' \(looked in "):
        load_factory("no_such_module_here:main")


def test_missing_submodule_names_the_full_module():
    with pytest.raises(CommandError, match=r"no module named 'tests.apps.no_such_app'"):
        load_factory("tests.apps.no_such_app:main")


def test_missing_dependency_of_the_module_names_the_import_line(project):
    project("needs_dep", "import os\nimport no_such_dependency_here\n")
    with pytest.raises(CommandError) as info:
        load_factory("needs_dep:main")
    assert str(info.value) == (
        "importing needs_dep failed: ModuleNotFoundError: No module named 'no_such_dependency_here' (needs_dep.py:2)"
    )


def test_error_raised_while_importing_names_its_file_and_line(project):
    project("raises", "x = 1\ny = undefined_name\n")
    with pytest.raises(CommandError) as info:
        load_factory("raises:main")
    assert str(info.value) == "importing raises failed: NameError: name 'undefined_name' is not defined (raises.py:2)"


def test_syntax_error_names_its_file_and_line(project):
    project("broken_syntax", "def main(settings=None):\n    return (\n\nx = 1\n")
    with pytest.raises(CommandError, match=r"importing broken_syntax failed: SyntaxError: .* \(broken_syntax.py:2\)"):
        load_factory("broken_syntax:main")


def test_missing_attribute_is_named_with_a_suggestion():
    expected = r"tests.apps.serve_app \(.*serve_app.py\) has no attribute 'mian'; did you mean 'main'\?"
    with pytest.raises(CommandError, match=expected):
        load_factory("tests.apps.serve_app:mian")


def test_attribute_that_is_not_callable_is_refused(project):
    project("not_callable", "main = {'a': 1}\n")
    with pytest.raises(CommandError, match="not_callable:main is a dict, not a function that takes the settings"):
        load_factory("not_callable:main")


# --- make_app -----------------------------------------------------------------------------------


def test_make_app_passes_the_settings_as_strings():
    app = TestApp(make_app("tests.apps.serve_app:main", {"greeting": "hello", "debug": "true"}))
    assert app.get("/").json == {"greeting": "hello", "debug": "true"}


def test_factory_without_a_settings_parameter_is_refused_with_the_fix(project):
    project("no_params", "def main():\n    return None\n")
    with pytest.raises(
        CommandError, match=r"no_params:main must take the settings dict as its one positional argument"
    ):
        make_app("no_params:main", {})


def test_factory_without_an_inspectable_signature_is_still_called():
    # inspect.signature() cannot read the builtin dict; called with the settings, it returns a dict.
    with pytest.raises(CommandError, match=r"builtins:dict returned dict, not a WSGI app"):
        make_app("builtins:dict", {"a": "b"})


def test_factory_returning_no_wsgi_app_is_refused(project):
    project("returns_none", "def main(settings):\n    pass\n")
    expected = r"returns_none:main returned NoneType, not a WSGI app; return config.make_wsgi_app\(\)"
    with pytest.raises(CommandError, match=expected):
        make_app("returns_none:main", {})


def test_factory_raising_names_the_file_and_line(project):
    project("fails", "def main(settings):\n    return settings['missing']\n")
    with pytest.raises(CommandError) as info:
        make_app("fails:main", {})
    assert str(info.value) == "fails:main failed: KeyError: 'missing' (fails.py:2)"


def test_factory_configuration_error_keeps_its_own_message(project):
    project(
        "misconfigured",
        """
        from viewpick import Configurator

        def main(settings):
            config = Configurator(settings)
            config.add_view(lambda request: {}, route_name="nowhere", renderer="json")
            return config.make_wsgi_app()
        """,
    )
    with pytest.raises(CommandError) as info:
        make_app("misconfigured:main", {})
    message = str(info.value)
    assert message.startswith("misconfigured:main failed: ConfigurationError: view ")
    assert "(misconfigured.py:6) names route 'nowhere', which was never added" in message


# --- version ----------------------------------------------------------------------------


def test_version_option_prints_the_installed_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"viewpick {importlib.metadata.version('viewpick')}\n"


def test_the_package_version_is_the_installed_distributions():
    import viewpick

    assert viewpick.__version__ == importlib.metadata.version("viewpick")
    assert viewpick.__version__.split(".")[0].isdigit()


def test_an_unknown_module_attribute_is_still_an_attribute_error():
    import viewpick

    with pytest.raises(AttributeError, match="no attribute '__versoin__'"):
        viewpick.__versoin__
