"""The suite's warning filters (pyproject.toml): other people's deprecations are shown, ours fail.

A warning is attributed to the module that called the deprecated thing, which is what the filters match on.
"""

from __future__ import annotations

import warnings

import pytest


def warn_from(module: str, category: type[Warning] = DeprecationWarning) -> None:
    warnings.warn_explicit("old thing", category, f"{module.replace('.', '/')}.py", 1, module=module)


@pytest.mark.parametrize("module", ["webob.cookies", "mako.template", "viewpickle", "testsuite"])
def test_a_deprecation_raised_in_another_library_does_not_fail(module):
    with warnings.catch_warnings(record=True) as shown:  # keeps the filters, records what they let through
        warn_from(module)
    assert [str(warning.message) for warning in shown] == ["old thing"]


@pytest.mark.parametrize("module", ["viewpick", "viewpick.app", "tests.test_config", "demo.films.views"])
@pytest.mark.parametrize("category", [DeprecationWarning, PendingDeprecationWarning])
def test_a_deprecation_raised_in_viewpick_its_tests_or_the_demo_fails(module, category):
    with pytest.raises(category, match="old thing"):
        warn_from(module, category)


def test_any_other_warning_from_another_library_fails():
    with pytest.raises(UserWarning):
        warn_from("webob.cookies", UserWarning)
